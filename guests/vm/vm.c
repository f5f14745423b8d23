/* SPDX-License-Identifier: MIT */
/*
 * The nested guest (runs at EL1 under the guest hypervisor; the same text serves every VM).
 * Each step prints one line, and everything it reads or writes goes into a running
 * FNV-1a checksum that it hands to the guest hypervisor with HVC_EXIT.
 */
#include "../common/nested.h"

void gst_vm_main(u64 n, u64 flags);
void gst_vm_trap(u64 kind);
u64 gst_vm_lazy(u64 x);

/* Written by the exception handler behind the compiler's back. */
static volatile u64 vm_svc_seen;
static volatile u64 vm_abort_seen;

/* Stage-1 tables of the guest, in its own bss (IPAs; identity-mapped below). */
#define VM_PT_PAGES 16
static u8 vm_pt_pool[VM_PT_PAGES][4096] __attribute__((aligned(4096)));
static unsigned int vm_pt_used;

static u64 vm_pt_alloc(void)
{
	if (vm_pt_used == VM_PT_PAGES)
		return 0;
	return (u64)vm_pt_pool[vm_pt_used++];
}

/* TCR_EL1: T0SZ=25 (39-bit VA, 4K granule walk starts at level 1), IRGN0=ORGN0=WB,
 * SH0=Inner, TG0=4K, EPD1=1 (no TTBR1 walks), TG1=4K, IPS=40 bits. */
#define VM_TCR (25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | \
		(2UL << 30) | (2UL << 32))

static void vm_mmu_on(void)
{
	struct gst_pt s1 = { .gshift = 12, .start = 1, .alloc = vm_pt_alloc };
	u64 normal = PT_S1_ATTR(0) | PT_SH_INNER;
	int err = 0;

	s1.root = vm_pt_alloc();
	/* text (with the lazy part): read-only, executable at EL1 */
	err |= gst_pt_map(&s1, GST_VM_TEXT, GST_VM_TEXT, GST_VM_TEXT_SIZE + GST_VM_LAZY_SIZE,
			  normal | PT_S1_RO | PT_S1_UXN, 3);
	err |= gst_pt_map(&s1, GST_VM_DATA, GST_VM_DATA, GST_VM_DATA_SIZE,
			  normal | PT_S1_PXN | PT_S1_UXN, 3);
	err |= gst_pt_map(&s1, GST_VM_REMAP, GST_VM_REMAP, 4096,
			  normal | PT_S1_PXN | PT_S1_UXN, 3);
	err |= gst_pt_map(&s1, GST_VM_ALIAS_VA, GST_VM_REMAP, 4096,
			  normal | PT_S1_RO | PT_S1_PXN | PT_S1_UXN, 3);
	err |= gst_pt_map(&s1, GST_VM_DEMAND, GST_VM_DEMAND, GST_VM_DEMAND_SIZE,
			  normal | PT_S1_PXN | PT_S1_UXN, 3);
	err |= gst_pt_map(&s1, GST_UART, GST_UART, 4096,
			  PT_S1_ATTR(1) | PT_S1_PXN | PT_S1_UXN, 3);
	if (err)
		vm_panic(0x5031, vm_pt_used);

	write_sysreg(mair_el1, VM_MAIR);
	write_sysreg(tcr_el1, VM_TCR);
	write_sysreg(ttbr0_el1, s1.root);
	vm_mmu_enable();
	say("mmu on ttbr0=0x%lx tcr=0x%lx tables=%lu", s1.root, VM_TCR, (u64)vm_pt_used);
}

/* Lives in its own 64K page that the guest hypervisor maps on the first instruction fetch. */
__attribute__((section(".lazy"), noinline)) u64 gst_vm_lazy(u64 x)
{
	return x * 3 + 0x1234;
}

void gst_vm_trap(u64 kind)
{
	u64 esr = read_sysreg(esr_el1);
	u64 ec = esr >> 26;

	if (kind == 4 && ec == 0x15) {
		say("svc #0x%lx esr=0x%lx", esr & 0xffff, esr);
		vm_svc_seen++;
		return;		/* ELR_EL1 already points after the SVC */
	}
	if (kind == 4 && ec == 0x25 && !vm_abort_seen) {
		u64 far = read_sysreg(far_el1);

		/* Data abort from EL1: EC 0x25; DFSC 0b0001LL is a translation fault, level LL. */
		say("el1 data abort far=0x%lx ec=0x%lx wnr=%lu dfsc=0x%02lx", far, ec,
		    (esr >> 6) & 1, esr & 0x3f);
		vm_abort_seen++;
		vm_csum = gst_mix(vm_csum, far);
		write_sysreg(elr_el1, read_sysreg(elr_el1) + 4);
		return;
	}
	say("unexpected exception kind=%lu esr=0x%lx elr=0x%lx far=0x%lx", kind, esr,
	    read_sysreg(elr_el1), read_sysreg(far_el1));
	vm_panic(esr, kind);
}

static void vm_remap_test(int mmu)
{
	u64 r1, a, b;

	a = vm_read(GST_VM_REMAP);
	b = vm_read(GST_VM_REMAP + 0xff8);
	say("remap page before: [0]=0x%lx [0xff8]=0x%lx", a, b);
	vm_write(GST_VM_REMAP + 8, 0x600d000000000000UL | vm_n);
	if (mmu) {
		say("alias va=0x%lx reads 0x%lx", GST_VM_ALIAS_VA + 8,
		    vm_read(GST_VM_ALIAS_VA + 8));
		vm_at(GST_VM_ALIAS_VA);
	}
	hvc(HVC_REMAP, 0, 0, &r1);
	a = vm_read(GST_VM_REMAP);
	b = vm_read(GST_VM_REMAP + 8);
	say("remap page after: [0]=0x%lx [8]=0x%lx", a, b);
	if (mmu) {
		say("alias va=0x%lx reads 0x%lx", GST_VM_ALIAS_VA, vm_read(GST_VM_ALIAS_VA));
		vm_at(GST_VM_ALIAS_VA);
	}
}

static void vm_demand_test(int mmu)
{
	/* Four addresses 0x11000 apart: four different pages with a 4K or a 64K stage 2. */
	if (mmu)
		vm_at(GST_VM_DEMAND + 0x11000);
	vm_demand_words(0x11000, 0xd000000000000000UL);
	if (mmu)
		vm_at(GST_VM_DEMAND + 0x11000);
	u64 l = gst_vm_lazy(vm_n);
	vm_csum = gst_mix(vm_csum, l);
	say("lazy text returned 0x%lx", l);
}

void gst_vm_main(u64 n, u64 flags)
{
	u64 r1;
	int mmu = (flags & VMF_MMU) != 0;

	vm_n = n;
	vm_csum = GST_FNV_INIT;
	say("start el=%lu flags=0x%lx", read_sysreg(CurrentEL) >> 2, flags);

	vm_ping(0x1000 + n, &r1);

	if (flags & VMF_BAD) {
		/* The guest hypervisor decodes this stage-2 fault and powers off: not returning. */
		say("reading ipa=0x%lx, which has no stage-2 mapping", GST_VM_BAD_IPA);
		vm_read(GST_VM_BAD_IPA);
		vm_panic(0xbad, 0);
	}

	__asm__ volatile("svc #0x21" : : : "memory");
	if (vm_svc_seen != 1)
		vm_panic(0x5c, vm_svc_seen);

	if (mmu) {
		vm_mmu_on();
		vm_at(GST_VM_TEXT);
		vm_at(GST_VM_DATA + 0x1000);
		vm_at(GST_VM_HOLE_VA);
		/* No stage-1 mapping: the guest's own VBAR_EL1 handler takes this fault. */
		(void)*(volatile u64 *)GST_VM_HOLE_VA;
		if (vm_abort_seen != 1)
			vm_panic(0xab, vm_abort_seen);
	}

	/* Data the guest keeps in its own RAM, read back after the other VMs ran. */
	for (u64 i = 0; i < 8; i++)
		vm_write(GST_VM_DATA + 0x30000 + i * 0x1008, (n << 32) | i);

	hvc(HVC_YIELD, 0, 0, &r1);
	if (flags & VMF_REMAP)
		vm_remap_test(mmu);
	hvc(HVC_YIELD, 0, 0, &r1);
	if (flags & VMF_DEMAND)
		vm_demand_test(mmu);
	hvc(HVC_YIELD, 0, 0, &r1);

	for (u64 i = 0; i < 8; i++) {
		u64 v = vm_read(GST_VM_DATA + 0x30000 + i * 0x1008);

		if (v != ((n << 32) | i))
			vm_panic(0xda7a, v);
	}
	vm_exit();
}
