/* SPDX-License-Identifier: MIT */
/*
 * Second nested guest: entry at EL1 (IPA GST_VM2_TEXT, VM number in x0), its VBAR_EL1
 * vectors, and the EL1 <-> EL0 switch. Every exception builds a 272-byte frame on SP_EL1
 * (x0-x30, ELR_EL1, SPSR_EL1) and calls gst_vm2_trap(frame, kind); a zero return resumes
 * the interrupted code from the (possibly edited) frame, a non-zero one ends the EL0 run
 * that gst_vm2_enter_el0() started and returns the frame's x0 from that call.
 */
#include "../common/asm.h"

#define FRAME_SIZE	272
#define FRAME_ELR	248

	gst_start
	gst_set_vbar_el1 vm2_vectors
	bl	gst_vm2_main
3:	b	3b

/*
 * u64 gst_vm2_enter_el0(u64 entry, u64 arg, u64 user_sp): runs entry(arg) at EL0t on
 * user_sp (DAIF masked) until it makes its exit SVC; returns the x0 it exits with.
 */
	.text
	.global gst_vm2_enter_el0
gst_vm2_enter_el0:
	gst_push_callee
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
	gst_pop_callee
	ret

/* Kinds 8-11 (lower EL, AArch64) are the SVCs and aborts of the EL0 program; anything else
 * (EL1 runs on SP_EL1, there is no AArch32) is a bug that gst_vm2_trap() reports. */
	.macro	ventry kind
	gst_ventry_frame \kind, FRAME_SIZE, vm2_trap_common
	.endm

	gst_vector_table vm2_vectors, ventry

vm2_trap_common:
	gst_frame_x2_x30 stp, sp
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
	gst_frame_x2_x30 ldp, sp
	add	sp, sp, #FRAME_SIZE
	eret
1:	ldr	x0, [sp, #0]
	b	vm2_el0_leave

	.section .bss, "aw", %nobits
	.balign	8
vm2_kernel_sp:
	.zero	8
