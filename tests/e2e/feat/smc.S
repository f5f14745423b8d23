/* SPDX-License-Identifier: MIT */
/*
 * Cross-modifying code between the guest hypervisor and its nested guest (tests/e2e):
 * the nested guest runs a page of code, the hypervisor rewrites one instruction of it,
 * cleans and invalidates (DC CVAU, IC IVAU, as the Arm ARM B2.4.4 sequence requires) and
 * re-enters it; the new instruction must run. Expected output: QEMU 7.2's (smc.out).
 */
	.equ	UART, 0x09000000

	.text
	.global	_start
_start:
	ldr	x0, =stack_top
	mov	sp, x0
	adr	x0, vectors
	msr	vbar_el2, x0
	ldr	x0, =0x80023559		/* 4K, T0SZ=25, start level 1 */
	msr	vtcr_el2, x0
	adr	x0, s2_l1
	orr	x0, x0, #(1 << 48)
	msr	vttbr_el2, x0
	ldr	x0, =0x80000001		/* RW | VM */
	msr	hcr_el2, x0
	mov	x23, #0			/* runs so far */
run:
	adr	x0, code
	msr	elr_el2, x0
	mov	x0, #0x3c5
	msr	spsr_el2, x0
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
	ldr	x0, =0x84000008
	smc	#0
	b	.

puthex:
	ldr	x1, =UART
	mov	x3, #60
1:	lsr	x2, x0, x3
	and	x2, x2, #0xf
	cmp	x2, #10
	add	x4, x2, #'0'
	add	x5, x2, #('a' - 10)
	csel	x2, x4, x5, lo
	str	w2, [x1]
	subs	x3, x3, #4
	b.pl	1b
	mov	x2, #'\n'
	str	w2, [x1]
	ret

	.balign	2048
vectors:
	.rept	8
	.balign	0x80
	b	off
	.endr
	.balign	0x80
	b	exit			/* 0x400 lower EL, sync: the nested HVC */
	.rept	7
	.balign	0x80
	b	off
	.endr
	.ltorg

	.data
	.balign	4096
code:
	movz	x9, #0x41
	hvc	#1
	b	.
	.balign	4096
s2_l1:
	.quad	0x00000000000004c5	/* 0-1G: Device block (the UART) */
	.quad	0x00000000400007fd	/* 1G-2G: Normal block, RW */
	.fill	510, 8, 0

	.bss
	.balign	16
	.space	4096
stack_top:
