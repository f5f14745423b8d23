/* SPDX-License-Identifier: MIT */
/*
 * The second nested guest program (docs/guests.md, "vm2"). Unlike vm/, it builds a stage 1
 * with the 64K granule and both TTBR0_EL1 and TTBR1_EL1, and it runs a program at EL0: SVCs
 * from EL0 to its own EL1 vectors, and EL0 permission faults on privileged-only and
 * read-only pages, handled at EL1. It also prints through the PL011 itself, makes an HVC
 * round trip, asks the guest hypervisor for AT S12E1R results and touches its demand-paged
 * region. Everything it reads or writes goes into an FNV-1a checksum handed over at the end.
 */
#include "../common/nested.h"
#include "vm2.h"

void gst_vm2_main(u64 n);
u64 gst_vm2_trap(u64 *frame, u64 kind);
u64 gst_vm2_enter_el0(u64 entry, u64 arg, u64 user_sp);
u64 gst_vm2_user(u64 page);

/* The exception frame start.S builds: x0-x30, then ELR_EL1 and SPSR_EL1. */
#define F_ELR 31

#define GRAN 0x10000UL			/* its stage-1 granule (64K) */
#define VM2_PT_PAGES 6
static u8 vm2_pt_pool[VM2_PT_PAGES][GRAN] __attribute__((aligned(GRAN)));
static unsigned int vm2_pt_used;
/* One 64K page EL0 may read and write (its data, its stack at the top)... */
static u8 vm2_user_page[GRAN] __attribute__((aligned(GRAN)));
/* ...and one only EL1 may touch, also mapped at GST_VM2_HIGH_VA through TTBR1_EL1. */
static u8 vm2_priv_page[GRAN] __attribute__((aligned(GRAN)));

/* Written by the exception handler behind the compiler's back. */
static volatile u64 vm2_el0_svcs;
static volatile u64 vm2_el0_aborts;

static u64 vm2_pt_alloc(void)
{
	if (vm2_pt_used == VM2_PT_PAGES)
		return 0;
	return (u64)vm2_pt_pool[vm2_pt_used++];
}

/* ------------------------------------------------------------------------------------ */
/* The EL0 program. It lives in .user_text (its own 64K page, EL0-executable, PXN) and must
 * not call anything in the EL1 text, which EL0 can neither read nor execute: every helper
 * it uses is always inlined (gst_mix()) and no string or table goes to .rodata. */

__attribute__((section(".user_text"), noinline)) u64 gst_vm2_user(u64 page)
{
	volatile u64 *p = (volatile u64 *)page;
	u64 h = GST_FNV_INIT;
	u64 v;

	for (u64 k = 0; k < 4; k++) {
		v = 0xe100000000000000UL | (k << 16) | page >> 16;
		p[k * 0x201] = v;
		h = gst_mix(h, v);
	}
	for (u64 k = 0; k < 4; k++)
		h = gst_mix(h, p[k * 0x201]);

	/* System call 1: the EL1 side prints x0/x1 and returns a transformed x0. */
	register u64 x0 __asm__("x0") = h;
	register u64 x1 __asm__("x1") = 4;
	__asm__ volatile("svc #1" : "+r"(x0), "+r"(x1) : : "memory");
	h = gst_mix(h, x0);

	/* The privileged page through TTBR1: permission fault, EL1 skips the load. */
	v = 0x0bad0bad;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(GST_VM2_HIGH_VA) : "memory");
	h = gst_mix(h, v);
	/* Its own text is read-only at EL0: permission fault on the store, skipped too. */
	__asm__ volatile("str %0, [%1]" : : "r"(h), "r"(GST_VM2_USER_TEXT + 0x100) : "memory");

	/* System call 0: exit to EL1 with the EL0 checksum. */
	x0 = h;
	__asm__ volatile("svc #0" : : "r"(x0) : "memory");
	for (;;)
		;
}

/* ------------------------------------------------------------------------------------ */

u64 gst_vm2_trap(u64 *f, u64 kind)
{
	u64 esr = read_sysreg(esr_el1);
	u64 ec = esr >> 26;

	/* Kind 8: synchronous exception from EL0 (AArch64), VBAR_EL1 + 0x400. */
	if (kind == 8 && ec == 0x15) {
		if ((esr & 0xffff) == 0) {
			say("el0 svc #0 esr=0x%lx exit x0=0x%016lx", esr, f[0]);
			return 1;
		}
		if ((esr & 0xffff) == 1) {
			/* ELR_EL1 already points after the SVC (preferred return address). */
			say("el0 svc #1 esr=0x%lx x0=0x%016lx x1=0x%lx", esr, f[0], f[1]);
			vm_csum = gst_mix(vm_csum, f[0]);
			f[0] ^= 0xffff0000ffff0000UL;
			vm2_el0_svcs++;
			return 0;
		}
	}
	/* EC 0x24: data abort from a lower EL; DFSC 0b001111: permission fault, level 3. */
	if (kind == 8 && ec == 0x24 && (esr & 0x3f) == 0x0f) {
		u64 far = read_sysreg(far_el1);

		say("el0 data abort far=0x%lx ec=0x%lx wnr=%lu dfsc=0x%02lx", far, ec,
		    (esr >> 6) & 1, esr & 0x3f);
		vm_csum = gst_mix(vm_csum, far);
		vm_csum = gst_mix(vm_csum, (esr >> 6) & 1);
		vm2_el0_aborts++;
		f[F_ELR] += 4;
		return 0;
	}
	say("unexpected exception kind=%lu esr=0x%lx elr=0x%lx far=0x%lx", kind, esr,
	    f[F_ELR], read_sysreg(far_el1));
	vm_panic(esr, kind);
}

/*
 * TCR_EL1: 64K granule for both halves. T0SZ = T1SZ = 25 (39-bit VA ranges, so both walks
 * start at level 2: AArch64.S1StartLevel()), IRGN/ORGN Write-Back, SH Inner, TG0 = 0b01
 * (64K), TG1 = 0b11 (64K), EPD1 = 0 (TTBR1 walks enabled), IPS = 0b010 (40 bits).
 */
#define VM2_TCR (25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 14) |	\
		 (25UL << 16) | (1UL << 24) | (1UL << 26) | (3UL << 28) | (3UL << 30) |	\
		 (2UL << 32))
/* Stage-1 AP[2:1] (bits 7:6): 0b01 EL1 and EL0 read/write, 0b11 EL1 and EL0 read-only. */
#define AP_EL0_RW (1UL << 6)
#define AP_EL0_RO (3UL << 6)
#define VA39 ((1UL << 39) - 1)

static void vm2_mmu_on(void)
{
	struct gst_pt lo = { .gshift = 16, .start = 2, .alloc = vm2_pt_alloc };
	struct gst_pt hi = { .gshift = 16, .start = 2, .alloc = vm2_pt_alloc };
	u64 normal = PT_S1_ATTR(0) | PT_SH_INNER;
	u64 xn = PT_S1_PXN | PT_S1_UXN;
	int err = 0;

	lo.root = vm2_pt_alloc();
	hi.root = vm2_pt_alloc();
	err |= gst_pt_map(&lo, GST_VM2_TEXT, GST_VM2_TEXT, GRAN, normal | PT_S1_RO | PT_S1_UXN,
			  3);
	err |= gst_pt_map(&lo, GST_VM2_USER_TEXT, GST_VM2_USER_TEXT, GRAN,
			  normal | AP_EL0_RO | PT_S1_PXN, 3);
	err |= gst_pt_map(&lo, GST_VM2_DATA, GST_VM2_DATA, GST_VM2_DATA_SIZE, normal | xn, 3);
	/* The EL0 page replaces its EL1-only entry from the line above. */
	err |= gst_pt_map(&lo, (u64)vm2_user_page, (u64)vm2_user_page, GRAN,
			  normal | AP_EL0_RW | xn, 3);
	err |= gst_pt_map(&lo, GST_VM_DEMAND, GST_VM_DEMAND, GST_VM_DEMAND_SIZE, normal | xn, 3);
	err |= gst_pt_map(&lo, GST_UART, GST_UART, GRAN, PT_S1_ATTR(1) | xn, 3);
	/* TTBR1 tables index VA[38:16] like TTBR0 ones: hand the builder the low 39 bits. */
	err |= gst_pt_map(&hi, GST_VM2_HIGH_VA & VA39, (u64)vm2_priv_page, GRAN, normal | xn, 3);
	if (err)
		vm_panic(0x5031, vm2_pt_used);

	write_sysreg(mair_el1, VM_MAIR);
	write_sysreg(tcr_el1, VM2_TCR);
	write_sysreg(ttbr0_el1, lo.root);
	write_sysreg(ttbr1_el1, hi.root);
	vm_mmu_enable();
	say("mmu on (64K granule) ttbr0=0x%lx ttbr1=0x%lx tcr=0x%lx tables=%lu", lo.root,
	    hi.root, VM2_TCR, (u64)vm2_pt_used);
}

/* EL1 writes through the TTBR1 alias and reads back through the identity map. */
static void vm2_high_test(void)
{
	u64 low = (u64)vm2_priv_page;

	for (u64 i = 0; i < 4; i++)
		vm_write(GST_VM2_HIGH_VA + i * 0x2008, 0x41e0000000000000UL | (vm_n << 8) | i);
	for (u64 i = 0; i < 4; i++) {
		u64 v = vm_read(low + i * 0x2008);

		if (v != (0x41e0000000000000UL | (vm_n << 8) | i))
			vm_panic(0x41e, v);
	}
	say("ttbr1 va=0x%lx and ttbr0 va=0x%lx reach the same page: [3]=0x%lx",
	    GST_VM2_HIGH_VA, low, vm_read(low + 3 * 0x2008));
}

/* Four words 0x9000 apart: two 64K stage-1 pages, four 4K stage-2 pages faulted in. */
static void vm2_demand_test(void)
{
	vm_at(GST_VM_DEMAND + 0x12000);
	vm_demand_words(0x9000, 0xd200000000000000UL);
	vm_at(GST_VM_DEMAND + 0x12000);
}

static void vm2_el0_test(void)
{
	u64 page = (u64)vm2_user_page;
	u64 r;

	say("el0: entering 0x%lx, data 0x%lx, sp 0x%lx", (u64)gst_vm2_user, page, page + GRAN);
	r = gst_vm2_enter_el0((u64)gst_vm2_user, page, page + GRAN);
	vm_csum = gst_mix(vm_csum, r);
	if (vm2_el0_svcs != 1 || vm2_el0_aborts != 2)
		vm_panic(vm2_el0_svcs, vm2_el0_aborts);
	/* What EL0 wrote must be there for EL1 too. */
	for (u64 k = 0; k < 4; k++) {
		u64 v = vm_read(page + k * 0x201 * 8);

		if (v != (0xe100000000000000UL | (k << 16) | page >> 16))
			vm_panic(0xe1, v);
	}
	say("el0: back at el=%lu, result=0x%016lx svcs=%lu aborts=%lu",
	    read_sysreg(CurrentEL) >> 2, r, vm2_el0_svcs, vm2_el0_aborts);
}

void gst_vm2_main(u64 n)
{
	u64 r0, r1;

	vm_n = n;
	vm_csum = GST_FNV_INIT;
	say("start el=%lu (second guest program: 64K stage 1, TTBR1, EL0)",
	    read_sysreg(CurrentEL) >> 2);

	r0 = vm_ping(0x2000 + n, &r1);
	if (r0 != 0x2000 + n + 0x100 * n || r1 != n)
		vm_panic(r0, r1);

	vm2_mmu_on();
	vm_at(GST_VM2_TEXT);
	vm_at(GST_VM2_USER_TEXT + 0x1000);
	vm_at((u64)vm2_user_page + 0x8);
	vm_at(GST_VM2_HIGH_VA + 0x10);
	vm_at(GST_VM2_HOLE_VA);

	vm2_high_test();
	vm2_demand_test();
	vm2_el0_test();

	vm_exit();
}
