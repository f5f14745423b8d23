/* SPDX-License-Identifier: MIT */
/*
 * Misbehaving guest hypervisors for el2emu's robustness tests (tests/e2e). One source,
 * one variant per -DBAD_<NAME>. Each starts at EL2 (0x40000000, MMU off), prints through
 * the PL011 and ends with PSCI SYSTEM_OFF, except the variants that never end, which
 * el2emu must stop at --max-insns.
 *   BAD_VTCR      reserved VTCR_EL2 (TG0=0b11, SL0=0b11) then runs a nested guest
 *   BAD_VTTBR     VTTBR_EL2 base outside RAM (an external abort on the stage-2 walk)
 *   BAD_FAULTLOOP nested guest faults at stage 2, the vector re-enters it unchanged
 *   BAD_WILDJUMP  the hypervisor branches to an address nothing backs
 *   BAD_TRAPLOOP  an endless loop of trapped MSRs (must still stop at --max-insns)
 *   BAD_NOVBAR    a wild jump with VBAR_EL2 pointing nowhere (an exception loop)
 */
#include "../common.S.inc"

	.text
	.global	_start
_start:
	e2e_start vectors
	adr	x0, s_hello
	bl	puts
#if defined(BAD_VTCR) || defined(BAD_VTTBR) || defined(BAD_FAULTLOOP)
#ifdef BAD_VTCR
	ldr	x0, =0x800000dd9	/* T0SZ=25 SL0=3 TG0=0b11: reserved */
	orr	x0, x0, #(3 << 14)
	ldr	x1, =0x40200000
#elif defined(BAD_VTTBR)
	ldr	x0, =0x80023559		/* 4K, 39-bit IPA, start level 1 */
	ldr	x1, =0x7000000000	/* BADDR far outside RAM */
#else
	ldr	x0, =0x80023559
	ldr	x1, =0x40200000		/* an empty (zeroed) level-1 table: every IPA faults */
#endif
	msr	vtcr_el2, x0
	orr	x1, x1, #(1 << 48)	/* VMID 1 */
	msr	vttbr_el2, x1
	ldr	x0, =0x80000001		/* RW | VM */
	msr	hcr_el2, x0
	isb
	adr	x0, nested
	msr	elr_el2, x0
	mov	x0, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el2, x0
	eret
#elif defined(BAD_WILDJUMP)
	ldr	x0, =0x7f000000
	br	x0
#elif defined(BAD_TRAPLOOP)
1:	msr	vttbr_el2, xzr
	b	1b
#elif defined(BAD_NOVBAR)
	ldr	x0, =0x7e000000
	msr	vbar_el2, x0
	ldr	x0, =0x7f000000
	br	x0
#endif
	b	off

nested:
	ldr	x0, =0x40100000
	ldr	x1, [x0]
	hvc	#0
	b	.

	e2e_puts
	e2e_puthex

report:
	mov	x19, x30
	adr	x0, s_esr
	bl	puts
	mrs	x0, esr_el2
	bl	puthex
	adr	x0, s_far
	bl	puts
	mrs	x0, far_el2
	bl	puthex
	adr	x0, s_hpfar
	bl	puts
	mrs	x0, hpfar_el2
	bl	puthex
	adr	x0, s_elr
	bl	puts
	mrs	x0, elr_el2
	bl	puthex
	ret	x19

off:
	adr	x0, s_bye
	bl	puts
	e2e_system_off
	b	.

exc:
	bl	report
#ifdef BAD_FAULTLOOP
	eret			/* re-enter the faulting nested instruction, forever */
#endif
	b	off

	e2e_vectors vectors, exc

	.section .rodata
s_hello: .asciz	"bad: start\n"
s_esr:	.asciz	"bad: esr="
s_far:	.asciz	"bad: far="
s_hpfar: .asciz	"bad: hpfar="
s_elr:	.asciz	"bad: elr="
s_bye:	.asciz	"bad: off\n"

	e2e_stack
