/* SPDX-License-Identifier: MIT */
/*
 * Cross-modifying code between the guest hypervisor and its nested guest (tests/e2e):
 * the nested guest runs a page of code, the hypervisor rewrites one instruction of it,
 * cleans and invalidates (DC CVAU, IC IVAU, as the Arm ARM B2.4.4 sequence requires) and
 * re-enters it; the new instruction must run. Expected output: QEMU 7.2's (smc.out).
 */
#include "../common.S.inc"

	.text
	.global	_start
_start:
	e2e_start vectors
	e2e_nested_s2 s2_l1
	mov	x23, #0			/* runs so far */
run:
	e2e_el1h_return code
	eret

exit:
	mov	x0, x9
	bl	puthex
	add	x23, x23, #1
	cmp	x23, #2
	b.hs	off
	/* Rewrite "movz x9, #0x41" into "movz x9, #0x42", then clean and invalidate. */
	adr	x1, code
	ldr	w2, =0xd2800849
	str	w2, [x1]
	dc	cvau, x1
	dsb	ish
	ic	ivau, x1
	dsb	ish
	isb
	b	run
off:
	e2e_system_off
	b	.

	e2e_puthex

	e2e_vectors vectors, off, lower_sync=exit	/* the nested HVC */
	.ltorg

	.data
	.balign	4096
code:
	movz	x9, #0x41
	hvc	#1
	b	.
	e2e_s2_l1 s2_l1

	e2e_stack
