/* SPDX-License-Identifier: MIT */
/*
 * Nested guest entry, at EL1 (IPA GST_VM_TEXT). The guest hypervisor passes the VM number
 * in x0 and the VMF_* flags in x1. The guest zeroes its own bss, installs VBAR_EL1 and
 * calls gst_vm_main(); that never returns (it ends with HVC_EXIT).
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
	adrp	x9, vm_vectors
	add	x9, x9, :lo12:vm_vectors
	msr	vbar_el1, x9
	isb
	bl	gst_vm_main
3:	b	3b

/* Every entry saves x0-x30 and ELR-independent state on SP_EL1 and calls gst_vm_trap(kind). */
	.macro	ventry kind
	.balign	0x80
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	vm_trap_common
	.endm

	.text
	.balign	2048
vm_vectors:
	ventry	0	/* current EL, SP0 */
	ventry	1
	ventry	2
	ventry	3
	ventry	4	/* current EL, SPx: SVC and the guest's own stage-1 faults */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL: the guest has no EL0 */
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

vm_trap_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x29, x30, [sp, #160]
	bl	gst_vm_trap
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
	ldp	x29, x30, [sp, #160]
	add	sp, sp, #256
	eret
