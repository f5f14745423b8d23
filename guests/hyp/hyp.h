/* SPDX-License-Identifier: MIT */
#ifndef GST_HYP_H
#define GST_HYP_H

#include "../common/pt.h"

/*
 * GST_VHE=1 builds the VHE guest hypervisor (HCR_EL2.E2H=1). It then reaches its own EL2
 * registers through the EL1 names (redirected to EL2 when E2H=1: the Arm ARM's register
 * redirection under FEAT_VHE) and the nested guest's EL1 registers through the *_EL12 aliases, as a VHE
 * host kernel does. The non-VHE build uses the plain names.
 */
#if GST_VHE
#define HREG(r) r##_el1
#define VREG(r) r##_el12
#define GST_HYP_NAME "vhe"
#elif GST_FATAL
#define HREG(r) r##_el2
#define VREG(r) r##_el1
#define GST_HYP_NAME "nvhe, fatal-fault scenario"
#elif GST_DUO
#define HREG(r) r##_el2
#define VREG(r) r##_el1
#define GST_HYP_NAME "nvhe, duo: two guest programs"
#else
#define HREG(r) r##_el2
#define VREG(r) r##_el1
#define GST_HYP_NAME "nvhe"
#endif

/* GST_FATAL=1 builds the image whose nested guest takes a stage-2 fault the hypervisor
 * does not handle: it shows the decoded-syndrome path and ends with "hyp: exit 1". */
#ifndef GST_FATAL
#define GST_FATAL 0
#endif

/* GST_DUO=1 builds duo.elf: the nested guest program vm/ and the second program vm2/
 * (guests/vm2/vm2.h), one after the other in two VMs. */
#ifndef GST_DUO
#define GST_DUO 0
#endif

/* Field offsets used by start.S: x[0..30] first. */
struct gst_vcpu {
	u64 x[31];
	u64 pc, pstate;				/* ELR_EL2 / SPSR_EL2 at the next entry */
	/* nested EL1 context, saved and restored on every switch between VMs */
	u64 sctlr, tcr, ttbr0, ttbr1, mair, vbar, elr, spsr, esr, far, sp_el1, sp_el0;
	/* the VM */
	u64 n, vmid, hcr, vttbr, vtcr, flags;
	struct gst_pt s2;
	u64 remap_pa[2];
	u64 checksum;
	int done;
};

u64 gst_vcpu_run(struct gst_vcpu *v);
void gst_hyp_main(void);
void gst_hyp_bad(u64 kind) __attribute__((noreturn));
void gst_psci_off(void) __attribute__((noreturn));

#endif
