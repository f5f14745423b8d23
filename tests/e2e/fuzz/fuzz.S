/* SPDX-License-Identifier: MIT */
/*
 * Random instruction words (rand.bin, 1024 of them) run as the guest hypervisor at EL2,
 * or with -DNESTED as a nested guest at EL1 under a stage 2. Every exception is skipped
 * (ELR + 4) by the vectors. Whatever the words do, el2emu must neither crash nor run
 * past --max-insns (tests/e2e/run-fuzz.sh).
 */
#include "../common.S.inc"

	.text
	.global	_start
_start:
	adr	x0, vec
	msr	vbar_el2, x0
	ldr	x0, =0x40080000
	mov	sp, x0
#ifdef NESTED
	e2e_nested_s2 s2_l1
	adr	x0, nvec
	msr	vbar_el1, x0
	e2e_el1h_return rand
	eret
#else
	b	rand
#endif
skip:
	e2e_skip_insn 2
	e2e_vectors vec, skip
nskip:
	e2e_skip_insn 1
	e2e_vectors nvec, nskip
	.balign	4096
rand:
	.incbin	"rand.bin"
#ifdef NESTED
	hvc	#0
#else
	e2e_system_off
#endif
	.ltorg
	.data
	e2e_s2_l1 s2_l1
