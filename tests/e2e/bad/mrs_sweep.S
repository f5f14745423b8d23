/* SPDX-License-Identifier: MIT */
/*
 * A guest hypervisor that reads every system register encoding there is: MRS x0 for each
 * op0 in {2, 3}, op1, CRn, CRm, op2 (32768 instructions). Whatever el2emu does not model
 * must be UNDEFINED at virtual EL2 (an exception the vector below skips), never a crash:
 * Unicorn 2.0.1 aborts the whole process on a raw read of some registers it lacks storage
 * for (MDCCINT_EL1, OSLAR_EL1, PMSWINC_EL0, ...). Ends with PSCI SYSTEM_OFF.
 */
#include "../common.S.inc"

	.text
	.global	_start
_start:
	adr	x0, vectors
	msr	vbar_el2, x0
	isb
	adr	x0, s_start
	bl	puts
	/* MRS x0, S<op0>_<op1>_C<n>_C<m>_<op2>: o0 (op0 - 2), op1, CRn, CRm, op2 are the
	 * 15 contiguous bits [19:5] of 0xd5300000 | Rt. */
	.set	i, 0
	.rept	32768
	.inst	0xd5300000 | (i << 5)
	.set	i, i + 1
	.endr
	adr	x0, s_done
	bl	puts
	e2e_system_off
1:	b	1b

	e2e_puts

	/* Every exception taken at EL2 (an UNDEFINED read): skip the instruction. */
	.balign	2048
vectors:
	.rept	16
	mrs	x30, elr_el2
	add	x30, x30, #4
	msr	elr_el2, x30
	mov	x30, #0x3c9		/* EL2h, DAIF masked */
	msr	spsr_el2, x30
	eret
	.balign	128
	.endr

	.section .rodata
s_start: .asciz "sweep: reading every system register encoding\n"
s_done:	.asciz "sweep: done\n"
