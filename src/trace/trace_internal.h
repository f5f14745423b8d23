/* Private to src/trace: the counted allocator behind trace_heap_*(). */
#ifndef EL2EMU_TRACE_INTERNAL_H
#define EL2EMU_TRACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

struct sr_desc;
struct tr_sysregs;

/* calloc/free that keep count of the bytes in use, so that tests can assert that replay
 * memory does not grow with the number of records. trace_free() takes the size given to
 * trace_calloc(); both accept NULL/0. */
void *trace_calloc(size_t n, size_t size);
void trace_free(void *p, size_t size);

/* `reg` records (regs.c): the slot of struct tr_sysregs a register written at EL2 feeds,
 * following VHE aliases (TCR_EL12 writes TCR_EL1); -1 for the registers of the sysreg table
 * that do not feed translation (accepted, no effect). */
int trace_reg_slot(const struct sr_desc *d);
void trace_reg_store(struct tr_sysregs *regs, int slot, uint64_t value);

#endif
