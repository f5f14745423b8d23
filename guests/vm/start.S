/* SPDX-License-Identifier: MIT */
/*
 * Nested guest entry, at EL1 (IPA GST_VM_TEXT). The guest hypervisor passes the VM number
 * in x0 and the VMF_* flags in x1. The guest zeroes its own bss, installs VBAR_EL1 and
 * calls gst_vm_main(); that never returns (it ends with HVC_EXIT).
 */
#include "../common/asm.h"

	gst_start
	gst_set_vbar_el1 vm_vectors
	bl	gst_vm_main
3:	b	3b

/*
 * Every entry saves the registers a C call may clobber (x0-x18, x29/x30; x19 rides along
 * with x18) on SP_EL1 and calls gst_vm_trap(kind). Kinds 4-7 (current EL, SPx) are SVC and
 * the guest's own stage-1 faults; it has no EL0, so nothing else is expected.
 */
	.macro	ventry kind
	gst_ventry_frame \kind, 256, vm_trap_common
	.endm

	.text
	gst_vector_table vm_vectors, ventry

vm_trap_common:
	gst_frame_x2_x19 stp, sp
	stp	x29, x30, [sp, #160]
	bl	gst_vm_trap
	ldp	x0, x1, [sp, #0]
	gst_frame_x2_x19 ldp, sp
	ldp	x29, x30, [sp, #160]
	add	sp, sp, #256
	eret
