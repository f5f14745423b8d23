/* SPDX-License-Identifier: MIT */
/*
 * Garbage in every system register (tests/e2e): the guest hypervisor reads and writes
 * every register of el2emu's sysreg table and executes every TLBI, AT, DC and IC with
 * x0 = all ones, a pattern and zero (garbage_el2.inc); then a nested guest does the same
 * at EL1 (garbage_el1.inc). Whatever is UNDEFINED or faults is skipped by the vectors.
 * SCTLR/VBAR/ELR/SPSR of the level running, and HCR_EL2, are only read, so that the
 * handlers keep working. It must end with "garbage: done" and SYSTEM_OFF, on QEMU too.
 */
	.text
	.global	_start
_start:
	ldr	x0, =stack_top
	mov	sp, x0
	adr	x0, el2_vectors
	msr	vbar_el2, x0
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
	adr	x0, nested
	msr	elr_el2, x0
	mov	x0, #0x3c5
	msr	spsr_el2, x0
	eret

nested_done:				/* the nested guest's HVC */
	adr	x0, s_done
	bl	puts
	ldr	x0, =0x84000008
	smc	#0
	b	.

puts:
	ldr	x1, =0x09000000
1:	ldrb	w2, [x0], #1
	cbz	w2, 2f
	str	w2, [x1]
	b	1b
2:	ret

el2_skip:
	mrs	x9, elr_el2
	add	x9, x9, #4
	msr	elr_el2, x9
	eret

	.balign	2048
el2_vectors:
	.rept	8
	.balign	0x80
	b	el2_skip
	.endr
	.balign	0x80
	b	nested_done		/* 0x400: lower EL sync (only the final HVC exits) */
	.rept	7
	.balign	0x80
	b	nested_done
	.endr

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
	mrs	x9, elr_el1
	add	x9, x9, #4
	msr	elr_el1, x9
	eret

	.balign	2048
el1_vectors:
	.rept	16
	.balign	0x80
	b	el1_skip
	.endr

el1_body:
	mov	x10, x30
#include "garbage_el1.inc"
	ret	x10
	.ltorg

	.section .rodata
s_el2:	.asciz	"garbage: EL2 done\n"
s_done:	.asciz	"garbage: done\n"

	.bss
	.balign	16
	.space	4096
stack_top:
