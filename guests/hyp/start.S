/* SPDX-License-Identifier: MIT */
/*
 * Guest hypervisor entry (EL2, MMU off, loaded at 0x40000000), EL2 vectors and the world
 * switch. gst_vcpu_run(v) saves the callee-saved registers on the EL2 stack, loads the
 * nested guest's x0-x30 from v and ERETs (ELR_EL2/SPSR_EL2 are set by the C caller). A
 * lower-EL exception stores x0-x30 back into v (found through TPIDR_EL2), pops the same
 * frame and returns the exception kind (0 sync, 1 IRQ, 2 FIQ, 3 SError) from gst_vcpu_run.
 */
	.section .text.start, "ax"
	.global _start
_start:
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	adrp	x9, __stack_top
	add	x9, x9, :lo12:__stack_top
	mov	sp, x9
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
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	msr	tpidr_el2, x0
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret

guest_exit:
	/* x0/x1 of the guest are on the stack, x1 = kind */
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

hyp_bad:
	mov	x0, x1
	bl	gst_hyp_bad

	.macro	ventry target, kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	\target
	.endm

	.balign	2048
	.global gst_hyp_vectors
gst_hyp_vectors:
	ventry	hyp_bad, 0	/* current EL, SP0 */
	ventry	hyp_bad, 1
	ventry	hyp_bad, 2
	ventry	hyp_bad, 3
	ventry	hyp_bad, 4	/* current EL, SPx: a bug in the guest hypervisor */
	ventry	hyp_bad, 5
	ventry	hyp_bad, 6
	ventry	hyp_bad, 7
	ventry	guest_exit, 0	/* lower EL, AArch64: the nested guest */
	ventry	guest_exit, 1
	ventry	guest_exit, 2
	ventry	guest_exit, 3
	ventry	hyp_bad, 12	/* lower EL, AArch32: never used */
	ventry	hyp_bad, 13
	ventry	hyp_bad, 14
	ventry	hyp_bad, 15

	.section .guest_image, "a"
	.incbin	"vm.bin"	/* build/guests/vm/vm.bin, found through -Wa,-I */
#if GST_DUO
	.section .guest_image2, "a"
	.incbin	"vm2.bin"	/* build/guests/vm2/vm2.bin (duo.ld puts it at 0x40140000) */
#endif
