/* SPDX-License-Identifier: MIT */
/*
 * Garbage in every system register (tests/e2e): the guest hypervisor reads and writes
 * every register of el2emu's sysreg table and executes every TLBI, AT, DC and IC with
 * x0 = all ones, a pattern and zero (garbage_el2.inc); then a nested guest does the same
 * at EL1 (garbage_el1.inc). Whatever is UNDEFINED or faults is skipped by the vectors.
 * SCTLR/VBAR/ELR/SPSR of the level running, and HCR_EL2, are only read, so that the
 * handlers keep working. It must end with "garbage: done" and SYSTEM_OFF, on QEMU too.
 */
#include "../common.S.inc"

	.text
	.global	_start
_start:
	e2e_start el2_vectors
	mov	x0, #-1
	bl	el2_body
	ldr	x0, =0x5555aaaa5555aaaa
	bl	el2_body
	mov	x0, #0
	bl	el2_body
	adr	x0, s_el2
	bl	puts
	/* The nested guest, stage 2 off. */
	ldr	x0, =0x80000000		/* RW */
	msr	hcr_el2, x0
	e2e_el1h_return nested
	eret

nested_done:				/* the nested guest's HVC */
	adr	x0, s_done
	bl	puts
	e2e_system_off
	b	.

	e2e_puts

el2_skip:
	e2e_skip_insn 2

	/* Lower EL: only the nested guest's final HVC exits. */
	e2e_vectors el2_vectors, el2_skip, lower=nested_done

el2_body:
	mov	x10, x30
#include "garbage_el2.inc"
	ret	x10
	.ltorg

	.balign	4096
nested:
	adr	x1, el1_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, #-1
	bl	el1_body
	ldr	x0, =0x5555aaaa5555aaaa
	bl	el1_body
	mov	x0, #0
	bl	el1_body
	hvc	#0
	b	.

el1_skip:
	e2e_skip_insn 1

	e2e_vectors el1_vectors, el1_skip

el1_body:
	mov	x10, x30
#include "garbage_el1.inc"
	ret	x10
	.ltorg

	.section .rodata
s_el2:	.asciz	"garbage: EL2 done\n"
s_done:	.asciz	"garbage: done\n"

	e2e_stack
