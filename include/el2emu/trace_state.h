/* el2emu trace state: the machine state a trace describes up to a given line, for inspection
 * (`el2emu walk`). It applies the state records (ram, mem, mem64, reg, hostmap; tlbi is
 * checked and counted) and skips the queries (at, access), so loading runs no translation:
 * no Access flag or dirty update and no shadow stage 2 is ever touched.
 *
 * Built on the reader and the sparse memory model of el2emu/trace.h; same bounds, same
 * error style (`FILE:LINE: why`). */
#ifndef EL2EMU_TRACE_STATE_H
#define EL2EMU_TRACE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "el2emu/trace.h"
#include "el2emu/translate.h"

struct trace_state;

/* Reads path (plain or gzip, "-" for stdin) and applies every record on lines 1..upto_line
 * (0: the whole file). Returns NULL with `path:line: why` in err on a malformed record or
 * when the file cannot be read. */
struct trace_state *trace_state_load(const char *path, unsigned long upto_line,
				     const struct trace_limits *lim, char *err, size_t errlen);
void trace_state_free(struct trace_state *s);

/* The registers that feed translation, as the records left them (zero when never written). */
const struct tr_sysregs *trace_state_regs(const struct trace_state *s);
/* The guest hypervisor's physical address space (L1 IPA). */
struct trace_mem *trace_state_mem(struct trace_state *s);
/* The last line applied, and how many query records (at, access) and tlbi were skipped. */
unsigned long trace_state_line(const struct trace_state *s);
uint64_t trace_state_skipped(const struct trace_state *s);
uint64_t trace_state_tlbis(const struct trace_state *s);

/* The host's stage 2 for the guest hypervisor, as the hostmap records define it (without
 * any, every ram region is mapped 1:1). On true, *pa is the host PA of ipa and [*base,
 * *base + *size) the mapped range around it (the 1:1 default reports the largest naturally
 * aligned 1 GiB / 2 MiB / 4 KiB block lying wholly in ram). */
bool trace_state_host(const struct trace_state *s, uint64_t ipa, uint64_t *pa, uint64_t *base,
		      uint64_t *size);

#endif
