/* SPDX-License-Identifier: MIT */
/*
 * Second nested guest: entry at EL1 (IPA GST_VM2_TEXT, VM number in x0), its VBAR_EL1
 * vectors, and the EL1 <-> EL0 switch. Every exception builds a 272-byte frame on SP_EL1
 * (x0-x30, ELR_EL1, SPSR_EL1) and calls gst_vm2_trap(frame, kind); a zero return resumes
 * the interrupted code from the (possibly edited) frame, a non-zero one ends the EL0 run
 * that gst_vm2_enter_el0() started and returns the frame's x0 from that call.
 */
#define FRAME_SIZE	272
#define FRAME_ELR	248

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
	adrp	x9, vm2_vectors
	add	x9, x9, :lo12:vm2_vectors
	msr	vbar_el1, x9
	isb
	bl	gst_vm2_main
3:	b	3b

/*
 * u64 gst_vm2_enter_el0(u64 entry, u64 arg, u64 user_sp): runs entry(arg) at EL0t on
 * user_sp (DAIF masked) until it makes its exit SVC; returns the x0 it exits with.
 */
	.text
	.global gst_vm2_enter_el0
gst_vm2_enter_el0:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	adrp	x9, vm2_kernel_sp
	mov	x10, sp
	str	x10, [x9, :lo12:vm2_kernel_sp]
	msr	elr_el1, x0
	msr	sp_el0, x2
	mov	x9, #0x3c0		/* SPSR: M=EL0t, D/A/I/F masked */
	msr	spsr_el1, x9
	mov	x0, x1
	eret

vm2_el0_leave:
	/* x0 = the EL0 program's exit value; drop the exception frame, back to the caller. */
	adrp	x9, vm2_kernel_sp
	ldr	x10, [x9, :lo12:vm2_kernel_sp]
	mov	sp, x10
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	.macro	ventry kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	vm2_trap_common
	.endm

	.balign	2048
vm2_vectors:
	ventry	0	/* current EL, SP0: never used (EL1 runs on SP_EL1) */
	ventry	1
	ventry	2
	ventry	3
	ventry	4	/* current EL, SPx: an EL1 exception is a bug here */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64: SVCs and aborts of the EL0 program */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32: never used */
	ventry	13
	ventry	14
	ventry	15

vm2_trap_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #FRAME_ELR]
	mov	x1, x0
	mov	x0, sp
	bl	gst_vm2_trap
	cbnz	x0, 1f
	ldp	x1, x2, [sp, #FRAME_ELR]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
1:	ldr	x0, [sp, #0]
	b	vm2_el0_leave

	.section .bss, "aw", %nobits
	.balign	8
vm2_kernel_sp:
	.zero	8
