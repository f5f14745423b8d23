/* The recorder behind `el2emu run --trace-out` (src/cpu/record.c): Unicorn-free, fed by
 * hooks in machine.c. It owns the set of tracked L1 IPA pages (every page a C-side walk
 * read) and the last register values written to the trace; before each event record it
 * writes what changed since the previous one, so every record replays against the state
 * the live run saw. */
#ifndef EL2EMU_CPU_RECORD_INTERNAL_H
#define EL2EMU_CPU_RECORD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "el2emu/cpu_record.h"
#include "el2emu/trace.h"
#include "el2emu/translate.h"

struct cpu_rec_env {
	/* Copies the 4 KiB page at L1 IPA ipa (page aligned); false: not RAM. */
	bool (*read_page)(void *ctx, uint64_t ipa, uint8_t *buf);
	void *ctx;
};

struct cpu_rec;

struct cpu_rec *cpu_rec_new(const char *path, enum cpu_trace_accesses acc,
			    const struct cpu_rec_env *env, char *err, size_t errlen);
/* Closes the trace and frees r; 0, or -1 with a message. */
int cpu_rec_free(struct cpu_rec *r, char *err, size_t errlen);

void cpu_rec_comment(struct cpu_rec *r, const char *text);
void cpu_rec_ram(struct cpu_rec *r, uint64_t base, uint64_t size);
/* The host's stage 2 changed: pa == UINT64_MAX unmaps. Memory and registers are synced
 * first, so the record sits where the change happened. */
void cpu_rec_hostmap(struct cpu_rec *r, const struct tr_sysregs *regs, uint64_t ipa,
		     uint64_t pa, uint64_t size);
/* A C-side walk read the word at L1 IPA ipa: its page is dumped the first time. */
void cpu_rec_note_read(struct cpu_rec *r, uint64_t ipa);
void cpu_rec_tlbi(struct cpu_rec *r, const struct tr_sysregs *regs, const char *op,
		  bool has_xt, uint64_t xt);
void cpu_rec_at(struct cpu_rec *r, const struct tr_sysregs *regs, const char *op,
		uint64_t va, uint64_t par);
/* Sampling: true when an access of this kind and outcome kind is to be recorded (its key
 * is taken: the next identical one is not). Only hcr_el2, vttbr_el2 and vtcr_el2 of regs
 * are read. */
bool cpu_rec_want_access(struct cpu_rec *r, const struct tr_sysregs *regs, char type,
			 unsigned el, uint64_t va, enum trace_result_kind outcome);
/* The same test without taking the key (a cheap filter before computing the outcome). */
bool cpu_rec_is_new(struct cpu_rec *r, const struct tr_sysregs *regs, char type, unsigned el,
		    uint64_t va, enum trace_result_kind outcome);
void cpu_rec_access(struct cpu_rec *r, const struct tr_sysregs *regs, char type, unsigned el,
		    uint64_t va, const struct trace_result *res);

#endif
