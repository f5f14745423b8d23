/* SPDX-License-Identifier: MIT */
/*
 * Random instruction words (rand.bin, 1024 of them) run as the guest hypervisor at EL2,
 * or with -DNESTED as a nested guest at EL1 under a stage 2. Every exception is skipped
 * (ELR + 4) by the vectors. Whatever the words do, el2emu must neither crash nor run
 * past --max-insns (tests/e2e/run-fuzz.sh).
 */
	.text
	.global	_start
_start:
	adr	x0, vec
	msr	vbar_el2, x0
	ldr	x0, =0x40080000
	mov	sp, x0
#ifdef NESTED
	ldr	x0, =0x80023559		/* 4K, T0SZ=25, start level 1 */
	msr	vtcr_el2, x0
	adr	x0, s2_l1
	orr	x0, x0, #(1 << 48)
	msr	vttbr_el2, x0
	ldr	x0, =0x80000001		/* RW | VM */
	msr	hcr_el2, x0
	adr	x0, nvec
	msr	vbar_el1, x0
	adr	x0, rand
	msr	elr_el2, x0
	mov	x0, #0x3c5
	msr	spsr_el2, x0
	eret
#else
	b	rand
#endif
skip:
	mrs	x9, elr_el2
	add	x9, x9, #4
	msr	elr_el2, x9
	eret
	.balign	2048
vec:
	.rept	16
	.balign	0x80
	b	skip
	.endr
nskip:
	mrs	x9, elr_el1
	add	x9, x9, #4
	msr	elr_el1, x9
	eret
	.balign	2048
nvec:
	.rept	16
	.balign	0x80
	b	nskip
	.endr
	.balign	4096
rand:
	.incbin	"rand.bin"
#ifdef NESTED
	hvc	#0
#else
	ldr	x0, =0x84000008
	smc	#0
#endif
	.ltorg
	.data
	.balign	4096
s2_l1:
	.quad	0x00000000000004c5	/* 0-1G: Device block (the UART) */
	.quad	0x00000000400007fd	/* 1G-2G: Normal block, RW */
	.fill	510, 8, 0
