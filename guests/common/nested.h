/* SPDX-License-Identifier: MIT */
/*
 * What every nested guest program (vm/, vm2/) does the same way: its VM number and running
 * FNV-1a checksum, the hypercalls, its "vmN: " console lines, checksummed memory accesses,
 * AT through the guest hypervisor and turning its stage 1 on. Each program is one C file
 * that includes this header once, so the state below is that program's own.
 */
#ifndef GST_NESTED_H
#define GST_NESTED_H

#include "pt.h"

/*
 * Plain static, not inline: the compiler then inlines exactly as it did when each program
 * had its own copy, so the text layout (and fatal.out's elr=) stays put. unused: a program
 * need not call every helper.
 */
#define NESTED_FN static __attribute__((unused))

static u64 vm_n;	/* VM number, x0 at entry */
static u64 vm_csum;	/* FNV-1a of everything read, written or returned, for HVC_EXIT */

/* HVC #imm with x0/x1 in and out (gst.h lists the services); *r1 = x1 on return. */
#define hvc(imm, a0, a1, r1) ({						\
	register u64 __x0 __asm__("x0") = (a0);				\
	register u64 __x1 __asm__("x1") = (a1);				\
	__asm__ volatile("hvc %2" : "+r"(__x0), "+r"(__x1) : "i"(imm) : "memory");	\
	*(r1) = __x1;							\
	__x0;								\
})

NESTED_FN void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
NESTED_FN void say(const char *fmt, ...)
{
	va_list ap;

	gst_printf("vm%lu: ", vm_n);
	va_start(ap, fmt);
	gst_vprintf(fmt, ap);
	va_end(ap);
	gst_putc('\n');
}

/* HVC_PANIC: the guest hypervisor reports (a, b) and gives up; it never resumes us. */
NESTED_FN __attribute__((noreturn)) void vm_panic(u64 a, u64 b)
{
	u64 r1;

	for (;;)
		hvc(HVC_PANIC, a, b, &r1);
}

NESTED_FN u64 vm_read(u64 addr)
{
	u64 v = *(volatile u64 *)addr;

	vm_csum = gst_mix(vm_csum, v);
	return v;
}

NESTED_FN void vm_write(u64 addr, u64 v)
{
	*(volatile u64 *)addr = v;
	vm_csum = gst_mix(vm_csum, v);
}

/* HVC_AT: the guest hypervisor's AT S12E1R of va in this VM's context; returns PAR_EL1. */
NESTED_FN u64 vm_at(u64 va)
{
	u64 r1;
	u64 par = hvc(HVC_AT, va, 0, &r1);

	vm_csum = gst_mix(vm_csum, par);
	return par;
}

/* HVC_PING, printed and checksummed: the guest hypervisor returns x0 + 0x100 * n, x1 = n. */
NESTED_FN u64 vm_ping(u64 x0, u64 *r1)
{
	u64 r0 = hvc(HVC_PING, x0, 0, r1);

	say("hvc #%u x0=0x%lx -> x0=0x%lx x1=0x%lx", HVC_PING, x0, r0, *r1);
	vm_csum = gst_mix(vm_csum, r0);
	vm_csum = gst_mix(vm_csum, *r1);
	return r0;
}

/* Prints the checksum and hands it over with HVC_EXIT, which never comes back. */
NESTED_FN __attribute__((noreturn)) void vm_exit(void)
{
	u64 r1;

	say("checksum=0x%016lx", vm_csum);
	hvc(HVC_EXIT, vm_csum, 0, &r1);
	vm_panic(0xe817, 0);
}

/*
 * Writes 4 words `stride` apart into the demand-paged region (GST_VM_DEMAND, unmapped at
 * stage 2 until the guest hypervisor serves each fault), then reads and prints them back.
 */
NESTED_FN void vm_demand_words(u64 stride, u64 tag)
{
	for (u64 k = 0; k < 4; k++)
		vm_write(GST_VM_DEMAND + k * stride, tag | (vm_n << 8) | k);
	for (u64 k = 0; k < 4; k++) {
		u64 addr = GST_VM_DEMAND + k * stride;

		say("demand va=0x%lx reads 0x%lx", addr, vm_read(addr));
	}
}

/* MAIR_EL1 of both programs: Attr0 Normal Write-Back RW-allocate, Attr1 Device-nGnRnE. */
#define VM_MAIR 0x00ffUL
#define SCTLR_M (1UL << 0)
#define SCTLR_C (1UL << 2)
#define SCTLR_I (1UL << 12)

/*
 * Turns stage 1 on once the caller has written MAIR_EL1, TCR_EL1 and the TTBRs: the ISB
 * makes those writes visible to the TLBI (nothing cached from before survives), then
 * SCTLR_EL1.M/C/I.
 */
NESTED_FN void vm_mmu_enable(void)
{
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb(nsh);
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
}

#endif
