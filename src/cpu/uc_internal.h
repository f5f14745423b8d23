/* The only Unicorn internals el2emu uses (src/cpu/uc_internal.c): Debian bookworm's
 * libunicorn 2.0.1 exports QEMU's target functions, and CPUARMState has a fixed layout in
 * that build. Everything is checked by ucx_selftest() at start-up. */
#ifndef EL2EMU_CPU_UC_INTERNAL_H
#define EL2EMU_CPU_UC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

struct ucx {
	uintptr_t cs;	/* CPUState * */
	uintptr_t env;	/* CPUARMState * */
};

/* The pending exception as QEMU raised it (valid inside a UC_HOOK_INTR callback). */
struct ucx_exc {
	uint32_t syndrome;
	uint64_t vaddress;
	uint32_t target_el;
};

/* Version check and a CurrentEL/syndrome probe on a scratch engine. 0 or -1 + err. */
int ucx_selftest(char *err, size_t errlen);
/* Find cs/env of an engine (writes X0..X28 and PC as markers). 0 or -1 + err. */
int ucx_attach(uc_engine *uc, struct ucx *x, char *err, size_t errlen);
/* After a host-side PSTATE/EL or SCR/HCR change: refresh QEMU's cached TB flags. */
void ucx_rebuild_hflags(const struct ucx *x);
/* Flush the engine's whole softmmu TLB (host writes of TTBR/SCTLR/VTTBR do not). */
void ucx_tlb_flush(const struct ucx *x);
void ucx_get_exc(const struct ucx *x, struct ucx_exc *e);
void ucx_set_exc(const struct ucx *x, const struct ucx_exc *e);
/* Inside a UC_HOOK_INTR callback only: deliver the pending exception the way the CPU
 * would (ESR/FAR/ELR/SPSR, PSTATE, SP banking, vector), to env->exception.target_el. */
void ucx_deliver(const struct ucx *x);

#endif
