/* SPDX-License-Identifier: MIT */
/*
 * Assembler macros shared by the start.S of the guest hypervisor (hyp/) and the nested
 * guests (vm/, vm2/): the entry sequence, the callee-saved frame, the x0-x30 frame
 * layout (x<i> at offset 8*i) and the vector table. Include it from a .S file only.
 */
#ifndef GST_ASM_H
#define GST_ASM_H

/*
 * _start, in .text.start (which the linker scripts put first, at the load address): zeroes
 * [__bss_start, __bss_end) (the linker scripts keep both 8-byte aligned) and moves SP to
 * __stack_top; the caller's code follows. Uses x9, x10 and the local labels 1 and 2.
 */
	.macro	gst_start
	.section .text.start, "ax"
	.global	_start
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
	.endm

/* VBAR_EL1 = vectors, synchronised before the first exception can be taken. Uses x9. */
	.macro	gst_set_vbar_el1 vectors
	adrp	x9, \vectors
	add	x9, x9, :lo12:\vectors
	msr	vbar_el1, x9
	isb
	.endm

/* Pushes a 96-byte frame of x19-x30 (the AAPCS64 callee-saved registers plus FP/LR). */
	.macro	gst_push_callee
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	.endm

/* Pops the frame gst_push_callee pushed. */
	.macro	gst_pop_callee
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	.endm

/*
 * x2-x19 to (op = stp) or from (op = ldp) [base + 8*i]; x0/x1 are the caller's, who
 * needs one of them as a scratch or return register.
 */
	.macro	gst_frame_x2_x19 op, base
	\op	x2, x3, [\base, #16]
	\op	x4, x5, [\base, #32]
	\op	x6, x7, [\base, #48]
	\op	x8, x9, [\base, #64]
	\op	x10, x11, [\base, #80]
	\op	x12, x13, [\base, #96]
	\op	x14, x15, [\base, #112]
	\op	x16, x17, [\base, #128]
	\op	x18, x19, [\base, #144]
	.endm

/* x2-x30 likewise: a whole x0-x30 frame but for the pair x0/x1. */
	.macro	gst_frame_x2_x30 op, base
	gst_frame_x2_x19 \op, \base
	\op	x20, x21, [\base, #160]
	\op	x22, x23, [\base, #176]
	\op	x24, x25, [\base, #192]
	\op	x26, x27, [\base, #208]
	\op	x28, x29, [\base, #224]
	.ifc	\op, stp
	str	x30, [\base, #240]
	.else
	ldr	x30, [\base, #240]
	.endif
	.endm

/*
 * A VBAR_ELx table (2K aligned, 16 entries of 0x80 bytes: current EL with SP0, current EL
 * with SPx, lower EL AArch64, lower EL AArch32; each sync, IRQ, FIQ, SError). Entry k is
 * the caller's macro `entry` invoked as "entry k".
 */
	.macro	gst_vector_table name, entry
	.balign	2048
\name:
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	\entry	\kind
	.endr
	.endm

/*
 * A vector entry of the nested guests: opens a frame of `size` bytes on SP_EL1, saves
 * x0/x1 at its base and branches to `target` with x0 = kind (the entry's index).
 */
	.macro	gst_ventry_frame kind, size, target
	sub	sp, sp, #\size
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	\target
	.endm

#endif
