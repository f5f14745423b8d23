/* SPDX-License-Identifier: MIT */
/*
 * Guest hypervisor entry (EL2, MMU off, loaded at 0x40000000), EL2 vectors and the world
 * switch. gst_vcpu_run(v) saves the callee-saved registers on the EL2 stack, loads the
 * nested guest's x0-x30 from v and ERETs (ELR_EL2/SPSR_EL2 are set by the C caller). A
 * lower-EL exception stores x0-x30 back into v (found through TPIDR_EL2), pops the same
 * frame and returns the exception kind (0 sync, 1 IRQ, 2 FIQ, 3 SError) from gst_vcpu_run.
 */
#include "../common/asm.h"

	gst_start
	bl	gst_hyp_main
	bl	gst_psci_off

	.text
	.global gst_psci_off
gst_psci_off:
	/* PSCI SYSTEM_OFF through SMC (QEMU virt has no EL3; SMC is the PSCI conduit). */
	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16
	smc	#0
3:	b	3b

	.global gst_vcpu_run
gst_vcpu_run:
	gst_push_callee
	msr	tpidr_el2, x0
	gst_frame_x2_x30 ldp, x0
	ldp	x0, x1, [x0, #0]
	eret

guest_exit:
	/* x0/x1 of the guest are on the stack, x1 = kind */
	mrs	x0, tpidr_el2
	gst_frame_x2_x30 stp, x0
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	mov	x0, x1
	gst_pop_callee
	ret

hyp_bad:
	mov	x0, x1
	bl	gst_hyp_bad

/* Saves x0/x1 on SP_EL2 and branches with x1 = kind: lower-EL AArch64 exceptions (kinds 8-11,
 * the nested guest) exit the world switch, anything else is a bug of the guest hypervisor. */
	.macro	ventry kind
	stp	x0, x1, [sp, #-16]!
	.if	\kind >= 8 && \kind <= 11
	mov	x1, #(\kind - 8)
	b	guest_exit
	.else
	mov	x1, #\kind
	b	hyp_bad
	.endif
	.endm

	.global gst_hyp_vectors
	gst_vector_table gst_hyp_vectors, ventry

	.section .guest_image, "a"
	.incbin	"vm.bin"	/* build/guests/vm/vm.bin, found through -Wa,-I */
#if GST_DUO
	.section .guest_image2, "a"
	.incbin	"vm2.bin"	/* build/guests/vm2/vm2.bin, at 0x40140000 (duo.ld) */
#endif
