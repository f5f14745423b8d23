/* Unicorn 2.0.1 internals, in this one file only (docs/cpu.md "Unicorn internals").
 *
 * Why: 2.0.1's public API cannot change the exception level of a stopped engine (a PSTATE
 * write leaves QEMU's cached hflags stale), swallows the syndrome and fault address of an
 * exception caught by UC_HOOK_INTR, and has no TLB flush (uc_ctl_flush_tlb is a TB
 * flush). shared/notes/unicorn-2.0.1.md §1, §9.4, §9.7. The offsets below are those of
 * Debian's libunicorn.so.2 2.0.1.post1 (QEMU 5.0 CPUARMState); ucx_selftest() proves them
 * on a scratch engine before any guest runs, and el2emu refuses to start otherwise. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* process_vm_readv */
#endif
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "uc_internal.h"

/* QEMU target functions exported by libunicorn.so.2 (suffix _aarch64). */
void arm_rebuild_hflags_aarch64(void *env);
void arm_cpu_do_interrupt_aarch64(void *cs);
void tlb_flush_aarch64(void *cs);

#define UCX_VERSION 0x20001ffu
#define ENV_FROM_CS 38736u	/* offsetof(ARMCPU, env): env - cs */
#define CS_ENV_PTR 296u		/* offsetof(CPUState, env_ptr) */
#define ENV_XREGS 64u		/* CPUARMState: uint32_t regs[16]; uint64_t xregs[32]; pc */
#define ENV_PC (ENV_XREGS + 32 * 8)
#define ENV_EXC 3024u		/* CPUARMState.exception {syndrome, fsr, vaddress, target_el} */

/* Reads our own memory without faulting on a bad pointer. */
static bool peek(uintptr_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len;
}

static uint64_t marker(unsigned i)
{
	return UINT64_C(0x5eed0000c0de0000) ^ ((uint64_t)i * UINT64_C(0x9e3779b97f4a7c15));
}

int ucx_attach(uc_engine *uc, struct ucx *x, char *err, size_t errlen)
{
	uint64_t saved[29], pc_saved, words[2048], want[30];
	unsigned i, w;
	int found = -1;

	for (i = 0; i < 29; i++) {
		uc_reg_read(uc, UC_ARM64_REG_X0 + (int)i, &saved[i]);
		want[i] = marker(i);
		uc_reg_write(uc, UC_ARM64_REG_X0 + (int)i, &want[i]);
	}
	uc_reg_read(uc, UC_ARM64_REG_PC, &pc_saved);
	want[29] = marker(29) & ~UINT64_C(3);
	/* xregs[29..31] are not written: compare x0..x28, then pc at ENV_PC. */
	uc_reg_write(uc, UC_ARM64_REG_PC, &want[29]);

	if (!peek((uintptr_t)uc, words, sizeof(words))) {
		/* uc_struct may be smaller than the window: retry shorter reads. */
		memset(words, 0, sizeof(words));
		for (w = 0; w < 2048 && peek((uintptr_t)uc + w * 8, &words[w], 8); w++)
			;
	}
	for (w = 0; w < 2048 && found < 0; w++) {
		uintptr_t cs = (uintptr_t)words[w], env_ptr = 0;
		uint64_t regs[29], pc = 0;

		if (cs < 4096 || (cs & 7))
			continue;
		if (!peek(cs + CS_ENV_PTR, &env_ptr, sizeof(env_ptr)) ||
		    env_ptr != cs + ENV_FROM_CS)
			continue;
		if (!peek(env_ptr + ENV_XREGS, regs, sizeof(regs)) ||
		    !peek(env_ptr + ENV_PC, &pc, sizeof(pc)))
			continue;
		if (memcmp(regs, want, sizeof(regs)) || pc != want[29])
			continue;
		x->cs = cs;
		x->env = env_ptr;
		found = (int)w;
	}
	for (i = 0; i < 29; i++)
		uc_reg_write(uc, UC_ARM64_REG_X0 + (int)i, &saved[i]);
	uc_reg_write(uc, UC_ARM64_REG_PC, &pc_saved);
	if (found < 0) {
		snprintf(err, errlen,
			 "cannot locate the CPU state inside this libunicorn (el2emu needs "
			 "Debian's Unicorn 2.0.1 build, see docs/cpu.md)");
		return -1;
	}
	return 0;
}

void ucx_rebuild_hflags(const struct ucx *x)
{
	arm_rebuild_hflags_aarch64((void *)x->env);
}

void ucx_tlb_flush(const struct ucx *x)
{
	tlb_flush_aarch64((void *)x->cs);
}

void ucx_get_exc(const struct ucx *x, struct ucx_exc *e)
{
	const uint8_t *p = (const uint8_t *)x->env + ENV_EXC;

	memcpy(&e->syndrome, p, 4);
	memcpy(&e->vaddress, p + 8, 8);
	memcpy(&e->target_el, p + 16, 4);
}

void ucx_set_exc(const struct ucx *x, const struct ucx_exc *e)
{
	uint8_t *p = (uint8_t *)x->env + ENV_EXC;

	memcpy(p, &e->syndrome, 4);
	memcpy(p + 8, &e->vaddress, 8);
	memcpy(p + 16, &e->target_el, 4);
}

void ucx_deliver(const struct ucx *x)
{
	arm_cpu_do_interrupt_aarch64((void *)x->cs);
}

/* ---- start-up self-test ---- */

struct probe {
	struct ucx x;
	struct ucx_exc exc;
	uint32_t intno;
	int hits;
};

static void probe_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct probe *p = user;

	p->intno = intno;
	ucx_get_exc(&p->x, &p->exc);
	p->hits++;
	uc_emu_stop(uc);
}

int ucx_selftest(char *err, size_t errlen)
{
	/* EL2h: mrs x0, CurrentEL; svc #0x123 (an EL2 SVC: EC 0x15, target EL2). */
	static const uint32_t code[] = { 0xd5384240, 0xd4002461, 0xd503201f };
	uc_arm64_cp_reg scr = { .op0 = 3, .op1 = 6, .crn = 1, .crm = 1, .op2 = 0,
				.val = (1u << 0) | (1u << 8) | (1u << 10) };
	unsigned ver = uc_version(NULL, NULL);
	struct probe p;
	uc_engine *uc;
	uc_hook h;
	uint64_t x0 = 0, pstate = 0x3c9;
	int rc = -1;

	if (ver != UCX_VERSION) {
		snprintf(err, errlen,
			 "libunicorn version 0x%x, but el2emu's CPU needs exactly 2.0.1 "
			 "(0x%x): it uses internals of that build (docs/cpu.md)", ver,
			 UCX_VERSION);
		return -1;
	}
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) {
		snprintf(err, errlen, "uc_open(ARM64) failed");
		return -1;
	}
	memset(&p, 0, sizeof(p));
	if (uc_mem_map(uc, 0x10000, 0x1000, UC_PROT_ALL) ||
	    uc_mem_write(uc, 0x10000, code, sizeof(code)) ||
	    ucx_attach(uc, &p.x, err, errlen))
		goto out;
	uc_reg_write(uc, UC_ARM64_REG_CP_REG, &scr);
	uc_reg_write(uc, UC_ARM64_REG_PSTATE, &pstate);
	ucx_rebuild_hflags(&p.x);
	uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)probe_intr, &p, 1, 0);
	uc_emu_start(uc, 0x10000, 0x10000 + sizeof(code), 0, 0);
	uc_reg_read(uc, UC_ARM64_REG_X0, &x0);
	if (x0 != 8 || p.hits != 1 || p.intno != 2 || p.exc.syndrome != 0x56000123u ||
	    p.exc.target_el != 2) {
		snprintf(err, errlen,
			 "Unicorn self-test failed (CurrentEL=0x%llx, svc intno=%u syndrome=0x%x "
			 "target_el=%u; expected 0x8, 2, 0x56000123, 2): this libunicorn is not "
			 "the 2.0.1 build el2emu was written for",
			 (unsigned long long)x0, p.intno, p.exc.syndrome, p.exc.target_el);
		goto out;
	}
	rc = 0;
out:
	uc_close(uc);
	return rc;
}
