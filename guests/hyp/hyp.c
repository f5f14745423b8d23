/* SPDX-License-Identifier: MIT */
/*
 * The guest hypervisor. It runs at EL2 with its MMU off and runs nested VMs at EL1 under
 * its own stage 2, in this order (docs/guests.md describes each phase):
 *   phase 1: vm1 (VMID 1, 4K stage 2) and vm2 (VMID 2, 64K stage 2), interleaved at HVC_YIELD
 *   phase 2: vm3 reuses VMID 1 with new stage-2 tables (new BADDR) after TLBI VMALLS12E1IS
 *   phase 3: vm4 with HCR_EL2.VM=0 (IPA == PA), VMID 3
 * The duo image (GST_DUO=1, duo_main()) runs instead the two guest programs vm/ and vm2/.
 * Every line it prints is a function of the image only (no timers, no run-dependent values).
 */
#include "hyp.h"

extern char gst_hyp_vectors[];

#define HCR_VM		(1UL << 0)
#define HCR_RW		(1UL << 31)
#define HCR_E2H		(1UL << 34)
#define SPSR_EL1H_DAIF	0x3c5UL		/* EL1h, D/A/I/F masked */
#define SCTLR_EL1_RES1	0x30d00800UL	/* RES1 bits of SCTLR_EL1 (ARMv8.0 view) */

#define EC_HVC64	0x16
#define EC_IABT_LOW	0x20
#define EC_DABT_LOW	0x24

enum exit_action { RUN_ON, RUN_YIELD, RUN_DONE };

static u64 pool_next = GST_POOL_BASE;
static struct gst_vcpu vcpus[4];
static struct gst_vcpu *loaded;		/* whose EL1 context is in the registers */
static u64 total_csum = GST_FNV_INIT;
static u64 cur_gran;			/* granule of the stage 2 being built */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	gst_puts("hyp: ");
	va_start(ap, fmt);
	gst_vprintf(fmt, ap);
	va_end(ap);
	gst_putc('\n');
}

static __attribute__((noreturn)) void hyp_fail(void)
{
	say("exit 1");
	gst_psci_off();
}

/* Bump allocator: zeroed, size-aligned. The pool is never exhausted by this fixed scenario. */
static u64 pool_alloc(u64 size)
{
	u64 p = (pool_next + size - 1) & ~(size - 1);

	if (p + size > GST_POOL_END) {
		say("FATAL page pool exhausted");
		hyp_fail();
	}
	pool_next = p + size;
	memset((void *)p, 0, size);
	return p;
}

static u64 s2_table_alloc(void)
{
	return pool_alloc(cur_gran);
}

static const char *ec_name(u64 ec)
{
	switch (ec) {
	case 0x00: return "unknown";
	case 0x01: return "wfi/wfe";
	case 0x15: return "svc64";
	case EC_HVC64: return "hvc64";
	case 0x17: return "smc64";
	case 0x18: return "msr/mrs";
	case EC_IABT_LOW: return "iabt-lower";
	case 0x21: return "iabt-cur";
	case 0x22: return "pc-align";
	case EC_DABT_LOW: return "dabt-lower";
	case 0x25: return "dabt-cur";
	case 0x26: return "sp-align";
	default: return "other";
	}
}

/* Prints the decoded syndrome of an exception nobody expected, then powers off. */
static __attribute__((noreturn)) void hyp_unexpected(const char *who, u64 kind)
{
	u64 esr = read_sysreg(HREG(esr));

	say("FATAL %s: unexpected exception kind=%lu esr=0x%lx ec=0x%lx (%s) il=%lu iss=0x%lx",
	    who, kind, esr, esr >> 26, ec_name(esr >> 26), (esr >> 25) & 1, esr & 0x1ffffff);
	say("FATAL elr=0x%lx spsr=0x%lx far=0x%lx hpfar=0x%lx", read_sysreg(HREG(elr)),
	    read_sysreg(HREG(spsr)), read_sysreg(HREG(far)), read_sysreg(hpfar_el2));
	hyp_fail();
}

void gst_hyp_bad(u64 kind)
{
	hyp_unexpected("hyp", kind);
}

static u64 gran_of(const struct gst_vcpu *v)
{
	return 1UL << v->s2.gshift;
}

/*
 * VTCR_EL2: T0SZ=25 (39-bit IPA), SL0=1 (4K: start at level 1; 64K: level 2, as
 * AArch64.S2StartLevel() decodes it), IRGN0/ORGN0
 * Write-Back, SH0 Inner, TG0 4K (0b00) or 64K (0b01), PS=0b010 (40 bits), bit 31 RES1.
 */
static u64 vtcr_for(unsigned int gshift)
{
	return (1UL << 31) | (2UL << 16) | ((gshift == 16 ? 1UL : 0UL) << 14) | (3UL << 12) |
	       (1UL << 10) | (1UL << 8) | (1UL << 6) | 25UL;
}

static void s2_map(struct gst_vcpu *v, u64 ipa, u64 pa, u64 size, u64 attrs, unsigned int lvl)
{
	cur_gran = gran_of(v);
	if (gst_pt_map(&v->s2, ipa, pa, size, attrs, lvl)) {
		say("FATAL vm%lu: stage-2 map of ipa 0x%lx failed", v->n, ipa);
		hyp_fail();
	}
}

static void remap_fill(u64 pa, u64 n, u64 which, u64 size)
{
	for (u64 i = 0; i < size; i += 8)
		*(volatile u64 *)(pa + i) = 0x5a00000000000000UL | (n << 40) | (which << 32) | i;
}

/*
 * The part of a VM every guest program needs: vCPU n entering pc at EL1h (DAIF masked) with
 * x0 = n, and its stage-2 parameters for a granule of 1 << gshift (4K: start level 1,
 * 64K: level 2). Builds no table.
 */
static struct gst_vcpu *vcpu_init(u64 n, u64 vmid, unsigned int gshift, u64 hcr, u64 pc)
{
	struct gst_vcpu *v = &vcpus[n - 1];

	v->n = n;
	v->vmid = vmid;
	v->hcr = hcr;
	v->pc = pc;
	v->pstate = SPSR_EL1H_DAIF;
	v->x[0] = n;
	v->sctlr = SCTLR_EL1_RES1;
	v->s2.gshift = gshift;
	v->s2.start = gshift == 12 ? 1 : 2;
	v->s2.alloc = s2_table_alloc;
	v->vtcr = vtcr_for(gshift);
	return v;
}

/* The stage-2 root table (one granule from the pool), VTTBR_EL2 and the UART's granule. */
static void s2_root_and_uart(struct gst_vcpu *v)
{
	u64 gran = 1UL << v->s2.gshift;

	v->s2.root = pool_alloc(gran);
	v->vttbr = (v->vmid << 48) | v->s2.root;
	s2_map(v, GST_UART, GST_UART, gran, PT_S2_DEVICE | PT_S2_RW | PT_S2_XN, 3);
}

/*
 * Builds a VM: its stage 2 (UART, shared read-only text, private RAM, the remap page; the
 * lazy text and the demand region stay unmapped) and its vCPU at the guest's entry point.
 * data_block: map the private RAM with one 2 MiB level-2 block (4K granule only).
 */
static struct gst_vcpu *vm_create(u64 n, u64 vmid, unsigned int gshift, u64 hcr, u64 flags,
				  int data_block)
{
	struct gst_vcpu *v = vcpu_init(n, vmid, gshift, hcr, GST_VM_TEXT);
	u64 gran = 1UL << gshift;
	u64 data_pa;

	v->flags = flags;
	v->x[1] = flags;
	if (!(hcr & HCR_VM)) {
		/* Stage 2 off: IPA == PA, the VMID still tags the guest's TLB entries. */
		v->vttbr = vmid << 48;
		say("vm%lu: vmid %lu, HCR_EL2.VM=0 (no stage 2), flags=0x%lx", n, vmid, flags);
		return v;
	}
	s2_root_and_uart(v);
	s2_map(v, GST_VM_TEXT, GST_VM_TEXT, GST_VM_TEXT_SIZE, PT_S2_NORMAL_WB | PT_SH_INNER |
	       PT_S2_RO, 3);
	if (data_block) {
		data_pa = pool_alloc(2UL << 20);
		s2_map(v, GST_VM_DATA, data_pa, 2UL << 20, PT_S2_NORMAL_WB | PT_SH_INNER |
		       PT_S2_RW | PT_S2_XN, 2);
	} else {
		data_pa = pool_alloc(GST_VM_DATA_SIZE);
		s2_map(v, GST_VM_DATA, data_pa, GST_VM_DATA_SIZE, PT_S2_NORMAL_WB |
		       PT_SH_INNER | PT_S2_RW | PT_S2_XN, 3);
	}
	v->remap_pa[0] = pool_alloc(gran);
	v->remap_pa[1] = pool_alloc(gran);
	remap_fill(v->remap_pa[0], n, 0xa, gran);
	remap_fill(v->remap_pa[1], n, 0xb, gran);
	s2_map(v, GST_VM_REMAP, v->remap_pa[0], gran, PT_S2_NORMAL_WB | PT_SH_INNER | PT_S2_RW |
	       PT_S2_XN, 3);
	say("vm%lu: vmid %lu, %luK stage 2 vttbr=0x%lx vtcr=0x%lx data pa=0x%lx%s flags=0x%lx",
	    n, vmid, gran >> 10, v->vttbr, v->vtcr, data_pa, data_block ? " (2M block)" : "",
	    flags);
	return v;
}

static void el1_save(struct gst_vcpu *v)
{
	v->sctlr = read_sysreg(VREG(sctlr));
	v->tcr = read_sysreg(VREG(tcr));
	v->ttbr0 = read_sysreg(VREG(ttbr0));
	v->ttbr1 = read_sysreg(VREG(ttbr1));
	v->mair = read_sysreg(VREG(mair));
	v->vbar = read_sysreg(VREG(vbar));
	v->elr = read_sysreg(VREG(elr));
	v->spsr = read_sysreg(VREG(spsr));
	v->esr = read_sysreg(VREG(esr));
	v->far = read_sysreg(VREG(far));
	v->sp_el1 = read_sysreg(sp_el1);
	v->sp_el0 = read_sysreg(sp_el0);
}

static void el1_restore(const struct gst_vcpu *v)
{
	write_sysreg(VREG(sctlr), v->sctlr);
	write_sysreg(VREG(tcr), v->tcr);
	write_sysreg(VREG(ttbr0), v->ttbr0);
	write_sysreg(VREG(ttbr1), v->ttbr1);
	write_sysreg(VREG(mair), v->mair);
	write_sysreg(VREG(vbar), v->vbar);
	write_sysreg(VREG(elr), v->elr);
	write_sysreg(VREG(spsr), v->spsr);
	write_sysreg(VREG(esr), v->esr);
	write_sysreg(VREG(far), v->far);
	write_sysreg(sp_el1, v->sp_el1);
	write_sysreg(sp_el0, v->sp_el0);
}

/* Makes v the VM the registers belong to: its EL1 context, stage 2 and HCR_EL2. */
static void vcpu_load(struct gst_vcpu *v)
{
	if (loaded == v)
		return;
	if (loaded)
		el1_save(loaded);
	el1_restore(v);
	write_sysreg(vtcr_el2, v->vtcr);
	write_sysreg(vttbr_el2, v->vttbr);
	write_sysreg(hcr_el2, v->hcr);
	isb();
	loaded = v;
}

static void hvc_at(struct gst_vcpu *v)
{
	u64 va = v->x[0], par;

	/* AT S12E1R: stage 1 of the loaded EL1 context, then this VM's stage 2 (if VM=1). */
	__asm__ volatile("at s12e1r, %0" : : "r"(va) : "memory");
	isb();
	par = read_sysreg(par_el1);
	if (par & 1)
		say("vm%lu: at s12e1r va=0x%lx par=0x%lx fault fst=0x%02lx s2=%lu ptw=%lu", v->n,
		    va, par, (par >> 1) & 0x3f, (par >> 9) & 1, (par >> 8) & 1);
	else
		say("vm%lu: at s12e1r va=0x%lx par=0x%lx pa=0x%lx attr=0x%02lx sh=%lu", v->n,
		    va, par, (par & 0xfffffffff000UL) | (va & 0xfff), par >> 56,
		    (par >> 7) & 3);
	v->x[0] = par;
}

/*
 * Remaps GST_VM_REMAP to the VM's second page with break-before-make: invalidate the
 * stage-2 entry, TLBI IPAS2E1IS by IPA, then TLBI VMALLE1IS for the combined stage 1+2
 * entries (IPAS2E1IS leaves those alone), and only then write the new descriptor.
 */
static void hvc_remap(struct gst_vcpu *v)
{
	volatile u64 *e = gst_pt_leaf(&v->s2, GST_VM_REMAP, 3);
	u64 oa_mask = ((1UL << 48) - 1) & ~(gran_of(v) - 1);
	u64 old;

	if (!e || !(*e & PT_VALID)) {
		say("FATAL vm%lu: remap page not mapped", v->n);
		hyp_fail();
	}
	old = *e;
	*e = 0;
	dsb(ishst);
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(GST_VM_REMAP >> 12) : "memory");
	dsb(ish);
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
	*e = (old & ~oa_mask) | v->remap_pa[1];
	dsb(ishst);
	isb();
	say("vm%lu: remap ipa=0x%lx pa 0x%lx -> 0x%lx (bbm, tlbi ipas2e1is, tlbi vmalle1is)",
	    v->n, GST_VM_REMAP, old & oa_mask, v->remap_pa[1]);
}

/* A stage-2 translation fault on the demand region or the lazy text: map it and retry. */
static int stage2_fault(struct gst_vcpu *v, u64 esr)
{
	u64 ec = esr >> 26, fsc = esr & 0x3f;
	u64 gran = gran_of(v);
	/* HPFAR_EL2.FIPA (bits 43:4) holds IPA[51:12] of a stage-2 fault. */
	u64 ipa = ((read_sysreg(hpfar_el2) >> 4) & 0xffffffffffUL) << 12;
	u64 far = read_sysreg(HREG(far));
	u64 page = ipa & ~(gran - 1);
	u64 pa;

	/* FSC 0b0001LL: translation fault at level LL; S1PTW (bit 7) must be clear. */
	if ((fsc & 0x3c) != 0x04 || (esr & (1UL << 7)))
		return -1;
	if (ec == EC_DABT_LOW && page >= GST_VM_DEMAND &&
	    page < GST_VM_DEMAND + GST_VM_DEMAND_SIZE) {
		pa = pool_alloc(gran);
		s2_map(v, page, pa, gran, PT_S2_NORMAL_WB | PT_SH_INNER | PT_S2_RW | PT_S2_XN, 3);
		say("vm%lu: demand-page data ipa=0x%lx far=0x%lx wnr=%lu fsc=0x%02lx -> pa=0x%lx",
		    v->n, ipa | (far & 0xfff), far, (esr >> 6) & 1, fsc, pa);
	} else if (ec == EC_IABT_LOW && page >= GST_VM_LAZY &&
		   page < GST_VM_LAZY + GST_VM_LAZY_SIZE) {
		/* The lazy text is in the image at PA == IPA; map it read-only, executable. */
		pa = page;
		s2_map(v, page, pa, gran, PT_S2_NORMAL_WB | PT_SH_INNER | PT_S2_RO, 3);
		say("vm%lu: demand-page text ipa=0x%lx far=0x%lx fsc=0x%02lx -> pa=0x%lx",
		    v->n, ipa | (far & 0xfff), far, fsc, pa);
	} else {
		return -1;
	}
	/* The entry was invalid, so no TLB holds it (no TLBI needed); ELR_EL2 still points
	 * at the faulting instruction, which re-executes. */
	dsb(ishst);
	isb();
	return 0;
}

static enum exit_action handle_exit(struct gst_vcpu *v, u64 kind)
{
	u64 esr = read_sysreg(HREG(esr));
	u64 ec = esr >> 26;
	char who[8] = { 'v', 'm', (char)('0' + v->n), 0 };

	if (kind != 0)
		hyp_unexpected(who, kind);
	if (ec == EC_HVC64) {
		switch (esr & 0xffff) {
		case HVC_PING:
			say("vm%lu: hvc #%u ping x0=0x%lx", v->n, HVC_PING, v->x[0]);
			v->x[0] += 0x100 * v->n;
			v->x[1] = v->n;
			return RUN_ON;
		case HVC_AT:
			hvc_at(v);
			return RUN_ON;
		case HVC_REMAP:
			hvc_remap(v);
			return RUN_ON;
		case HVC_YIELD:
			return RUN_YIELD;
		case HVC_EXIT:
			v->checksum = v->x[0];
			say("vm%lu: exit checksum=0x%016lx", v->n, v->checksum);
			return RUN_DONE;
		case HVC_PANIC:
			say("FATAL vm%lu: panic x0=0x%lx x1=0x%lx elr=0x%lx", v->n, v->x[0],
			    v->x[1], v->pc);
			hyp_fail();
		default:
			break;
		}
	} else if ((ec == EC_DABT_LOW || ec == EC_IABT_LOW) && !stage2_fault(v, esr)) {
		return RUN_ON;
	}
	hyp_unexpected(who, kind);
}

/* Runs v until it yields or exits. */
static void vcpu_step(struct gst_vcpu *v)
{
	enum exit_action act;

	vcpu_load(v);
	do {
		write_sysreg(HREG(elr), v->pc);
		write_sysreg(HREG(spsr), v->pstate);
		u64 kind = gst_vcpu_run(v);

		v->pc = read_sysreg(HREG(elr));
		v->pstate = read_sysreg(HREG(spsr));
		act = handle_exit(v, kind);
	} while (act == RUN_ON);
	if (act == RUN_DONE) {
		v->done = 1;
		total_csum = gst_mix(total_csum, v->checksum);
	}
}

/* Round robin over vms[] until every one has exited. */
static void run_vms(struct gst_vcpu **vms, unsigned int nr)
{
	unsigned int left = nr;

	while (left) {
		left = 0;
		for (unsigned int i = 0; i < nr; i++) {
			if (vms[i]->done)
				continue;
			vcpu_step(vms[i]);
			left += !vms[i]->done;
		}
	}
}

#if GST_DUO
#include "../vm2/vm2.h"

/*
 * Builds the VM that runs the second guest program (vm2/): UART, its EL1 and EL0 text
 * (IPA GST_VM2_TEXT, read-only, executable; held by the image at GST_VM2_TEXT_PA, so IPA !=
 * PA) and 1 MiB of private RAM; the demand region stays unmapped (stage2_fault() serves it).
 */
static struct gst_vcpu *vm2_create(u64 n, u64 vmid, unsigned int gshift, u64 hcr)
{
	struct gst_vcpu *v = vcpu_init(n, vmid, gshift, hcr, GST_VM2_TEXT);
	u64 gran = 1UL << gshift;
	u64 data_pa;

	s2_root_and_uart(v);
	s2_map(v, GST_VM2_TEXT, GST_VM2_TEXT_PA, GST_VM2_TEXT_SIZE, PT_S2_NORMAL_WB |
	       PT_SH_INNER | PT_S2_RO, 3);
	data_pa = pool_alloc(GST_VM2_DATA_SIZE);
	s2_map(v, GST_VM2_DATA, data_pa, GST_VM2_DATA_SIZE, PT_S2_NORMAL_WB | PT_SH_INNER |
	       PT_S2_RW | PT_S2_XN, 3);
	say("vm%lu: vmid %lu, %luK stage 2 vttbr=0x%lx vtcr=0x%lx text ipa=0x%lx pa=0x%lx "
	    "data pa=0x%lx", n, vmid, gran >> 10, v->vttbr, v->vtcr, GST_VM2_TEXT,
	    GST_VM2_TEXT_PA, data_pa);
	return v;
}

/* duo.elf: vm/ in VMID 5 (64K stage 2), then vm2/ in VMID 6 (4K stage 2). */
static void duo_main(u64 hcr_base)
{
	/* vm2's VAs, translated once more after it exited (its EL1 context is still loaded):
	 * EL0 text, TTBR1 alias, a demand page it faulted in, one it never touched. */
	static const u64 probes[] = { GST_VM2_USER_TEXT, GST_VM2_HIGH_VA + 0x2008,
				      GST_VM_DEMAND + 0x9000, GST_VM2_S2HOLE_VA };
	struct gst_vcpu *vms[1];

	say("phase 1: guest program vm (guests/vm), VMID 5, 64K stage 2");
	vms[0] = vm_create(1, 5, 16, hcr_base | HCR_VM, VMF_MMU | VMF_REMAP | VMF_DEMAND, 0);
	run_vms(vms, 1);

	say("phase 2: guest program vm2 (guests/vm2), VMID 6, 4K stage 2, 64K stage 1, EL0");
	vms[0] = vm2_create(2, 6, 12, hcr_base | HCR_VM);
	run_vms(vms, 1);

	say("vm2: after exit, AT S12E1R from the hypervisor with its context loaded");
	for (unsigned int i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		vms[0]->x[0] = probes[i];
		hvc_at(vms[0]);
		total_csum = gst_mix(total_csum, vms[0]->x[0]);
	}
	say("all VMs done: vm1=0x%016lx vm2=0x%016lx", vcpus[0].checksum, vcpus[1].checksum);
	say("checksum=0x%016lx", total_csum);
}
#endif

void gst_hyp_main(void)
{
	u64 hcr_base = HCR_RW | (GST_VHE ? HCR_E2H : 0);
	struct gst_vcpu *vms[2];
	u64 old_baddr;

	if (read_sysreg(CurrentEL) != 8) {
		gst_puts("hyp: FATAL not entered at EL2\nhyp: exit 1\n");
		gst_psci_off();
	}
	write_sysreg(hcr_el2, hcr_base);
	isb();
	write_sysreg(HREG(vbar), (u64)gst_hyp_vectors);
	isb();
	say("el2emu guest hypervisor (%s) at EL2, HCR_EL2=0x%lx", GST_HYP_NAME, hcr_base);

	if (GST_FATAL) {
		say("phase 1: one VM that touches an IPA with no stage-2 mapping");
		vms[0] = vm_create(1, 1, 12, hcr_base | HCR_VM, VMF_BAD, 0);
		run_vms(vms, 1);
		say("FATAL the bad access returned");
		hyp_fail();
	}
#if GST_DUO
	duo_main(hcr_base);
	say("exit 0");
	return;
#endif

	say("phase 1: two VMs, VMIDs 1 and 2, 4K and 64K stage 2, interleaved");
	vms[0] = vm_create(1, 1, 12, hcr_base | HCR_VM, VMF_MMU | VMF_REMAP | VMF_DEMAND, 0);
	vms[1] = vm_create(2, 2, 16, hcr_base | HCR_VM, VMF_MMU | VMF_REMAP | VMF_DEMAND, 0);
	run_vms(vms, 2);

	say("phase 2: VMID 1 reused with new stage-2 tables");
	old_baddr = vcpus[0].s2.root;
	vms[0] = vm_create(3, 1, 12, hcr_base | HCR_VM, VMF_MMU | VMF_REMAP | VMF_DEMAND, 1);
	vcpu_load(vms[0]);
	/* Same VMID, new BADDR: entries cached for vm1's tables would be wrong for vm3. */
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	isb();
	say("vm3: vmid 1 baddr 0x%lx -> 0x%lx, tlbi vmalls12e1is", old_baddr, vms[0]->s2.root);
	run_vms(vms, 1);

	say("phase 3: stage 2 off (HCR_EL2.VM=0)");
	vms[0] = vm_create(4, 3, 12, hcr_base, VMF_MMU, 0);
	run_vms(vms, 1);

	say("all VMs done: vm1=0x%016lx vm2=0x%016lx vm3=0x%016lx vm4=0x%016lx",
	    vcpus[0].checksum, vcpus[1].checksum, vcpus[2].checksum, vcpus[3].checksum);
	say("checksum=0x%016lx", total_csum);
	say("exit 0");
}
