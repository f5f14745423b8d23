/* SPDX-License-Identifier: MIT */
/*
 * SIMD&FP registers are one register file shared by the guest hypervisor and its nested
 * guest (tests/e2e): values written at EL2 are seen at nested EL1 and back. (FP access
 * traps are not tested: Unicorn 2.0.1 never raises them, docs/cpu.md.) Expected output:
 * QEMU 7.2's (fp.out).
 */
	.equ	UART, 0x09000000

	.text
	.global	_start
_start:
	ldr	x0, =stack_top
	mov	sp, x0
	adr	x0, vectors
	msr	vbar_el2, x0
	ldr	x0, =0x80023559
	msr	vtcr_el2, x0
	adr	x0, s2_l1
	orr	x0, x0, #(1 << 48)
	msr	vttbr_el2, x0
	ldr	x0, =0x80000001
	msr	hcr_el2, x0
	mov	x0, #(3 << 20)		/* CPACR_EL1.FPEN: no FP traps at EL1 */
	msr	cpacr_el1, x0
	ldr	x1, =0x1111222233334444
	fmov	d0, x1
	adr	x0, nested
	msr	elr_el2, x0
	mov	x0, #0x3c5
	msr	spsr_el2, x0
	eret

lower:
	mrs	x0, esr_el2
	bl	puthex
	mov	x0, x9			/* what the nested guest read from d0 */
	bl	puthex
	fmov	x0, d1			/* what it wrote into d1 */
	bl	puthex
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
	.rept	4
	.balign	0x80
	b	off
	.endr
	.rept	4
	.balign	0x80
	b	off
	.endr
	.balign	0x80
	b	lower			/* 0x400 */
	.rept	7
	.balign	0x80
	b	off
	.endr

	.balign	4096
nested:
	fmov	x9, d0
	ldr	x2, =0x5555666677778888
	fmov	d1, x2
	hvc	#1
	b	.
	.ltorg

	.data
	.balign	4096
s2_l1:
	.quad	0x00000000000004c5
	.quad	0x00000000400007fd
	.fill	510, 8, 0

	.bss
	.balign	16
	.space	4096
stack_top:
