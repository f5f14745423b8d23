/* SPDX-License-Identifier: MIT */
/*
 * The guest hypervisor's own stage 1 (EL2 regime, HCR_EL2.E2H=0; with -DVHE the EL2&0
 * regime, E2H=1, privileged-only pages with UXN) for el2emu's tests: it
 * turns on SCTLR_EL2.M with tables that identity-map RAM and the UART, alias VA
 * 0x80000000 to RAM, leave VA 0x100000000 unmapped and point the table for
 * 0xc0000000 at an address nothing backs. Then: accesses and a call through the alias,
 * DAIF, SPSel, HVC and SVC at EL2, AT S1E2R/S1E2W, a data abort, an external abort
 * on the walk and an instruction abort, each reported from its EL2 vector.
 * Expected output: QEMU 7.2's (s1.out).
 */
	.arch	armv8.1-a		/* PAN */
#include "../common.S.inc"
	.equ	ALIAS, 0x40000000	/* VA alias - PA */

	.text
	.global	_start
_start:
	e2e_start vectors
	adr	x0, s_start
	bl	puts
#ifdef VHE
	ldr	x0, =0x480000000	/* E2H | RW */
	msr	hcr_el2, x0
	isb
#endif

	/* Tables: L1 [0] -> L2 (UART 2 MiB block, device), [1] RAM 1 GiB, [2] alias of RAM,
	 * [3] -> a level-2 table at 0x7f000000 (unbacked), [4..] invalid. */
	adr	x1, l1
	adr	x2, l2
	orr	x3, x2, #3
	str	x3, [x1]
	ldr	x3, =0x40000701		/* block, AttrIndx 0, AF, SH inner, AP[2:1]=00 */
#ifdef VHE
	orr	x3, x3, #(1 << 54)	/* UXN; privileged only (AP[1]=0), PXN=0 */
#else
	orr	x3, x3, #0x40		/* AP[1]=1: RES1 in the EL2 regime */
#endif
	str	x3, [x1, #8]
	str	x3, [x1, #16]
	ldr	x3, =0x7f000003
	str	x3, [x1, #24]
#ifdef VHE
	ldr	x3, =0x40000741		/* [5]: RAM again, AP[1]=1: EL0-accessible (for PAN */
	orr	x3, x3, #(1 << 53)	/* and EL0 code), PXN */
	str	x3, [x1, #40]
#endif
	ldr	x3, =0x09000405		/* block, AttrIndx 1 (device), AF */
#ifdef VHE
	orr	x3, x3, #(3 << 53)	/* PXN, UXN, privileged only */
#else
	orr	x3, x3, #0x40
#endif
	str	x3, [x2, #(72 * 8)]
	ldr	x0, =0x04ff		/* Attr0 Normal WB, Attr1 Device-nGnRE */
	msr	mair_el2, x0
#ifdef VHE
	ldr	x0, =0x200803519	/* EL1 layout: T0SZ=25, WB, inner, 4K, EPD1, IPS 40 */
#else
	ldr	x0, =0x80823519		/* T0SZ=25, WB WA, inner shareable, 4K, PS 40 bits */
#endif
	msr	tcr_el2, x0
	adr	x0, l1
	msr	ttbr0_el2, x0
	dsb	sy
	isb
	mrs	x0, sctlr_el2
	orr	x0, x0, #1		/* M */
	orr	x0, x0, #(1 << 2)	/* C */
	orr	x0, x0, #(1 << 12)	/* I */
	msr	sctlr_el2, x0
	isb
	adr	x0, s_mmu
	bl	puts

	/* Through the alias: print a string, read a word, write one, call a function. */
	adr	x0, s_alias
	eor	x0, x0, #0xc0000000	/* + ALIAS: PA 0x4xxxxxxx -> VA 0x8xxxxxxx */
	bl	puts
	adr	x6, word
	eor	x7, x6, #0xc0000000	/* + ALIAS: PA 0x4xxxxxxx -> VA 0x8xxxxxxx */
	ldr	x0, [x7]
	adr	x1, s_read
	bl	say
	ldr	x0, =0x5a5a0001
	str	x0, [x7, #8]
	ldr	x0, [x6, #8]
	adr	x1, s_written
	bl	say
	adr	x0, callee
	eor	x0, x0, #0xc0000000	/* + ALIAS: PA 0x4xxxxxxx -> VA 0x8xxxxxxx */
	blr	x0

	/* PSTATE at EL2 with the MMU on: DAIF, SPSel with SP_EL0, HVC and SVC. */
	msr	daifclr, #0xf
	e2e_say_sysreg daif, s_daif
	msr	daifset, #0xa
	e2e_say_sysreg daif, s_daif
	mov	x22, sp
	ldr	x0, =0x56780
	msr	sp_el0, x0
	msr	spsel, #0
	mov	x0, sp
	msr	spsel, #1
	adr	x1, s_sp
	bl	say
	mov	x0, sp
	sub	x0, x0, x22		/* 0: SP_EL2 is back */
	adr	x1, s_sp
	bl	say
	hvc	#0x11
	svc	#0x12
#ifdef VHE
	/* PSTATE.PAN (EL2&0 regime): an EL0-accessible page faults at EL2, then not. */
	adr	x8, word
	orr	x8, x8, #0x100000000	/* VA 0x14xxxxxxx: L1 entry 5 */
	msr	pan, #1
	e2e_say_sysreg pan, s_pan
	ldr	x0, [x8]		/* permission fault, level 1 */
	msr	pan, #0
	ldr	x0, [x8]
	adr	x1, s_read
	bl	say

	/* Its own EL0 (HCR_EL2.TGE=1): an SVC and a permission fault come back to EL2. */
	ldr	x0, =0x488000000	/* E2H | TGE | RW */
	msr	hcr_el2, x0
	isb
	adr	x0, el0_code
	orr	x0, x0, #0x100000000	/* through entry 5 */
	msr	elr_el2, x0
	msr	spsr_el2, xzr		/* EL0t */
	adr	x23, el0_back
	eret
el0_back:
	ldr	x0, =0x480000000	/* E2H | RW */
	msr	hcr_el2, x0
	isb
#endif

	/* AT S1E2R/W */
	adr	x0, word
	eor	x0, x0, #0xc0000000	/* + ALIAS: PA 0x4xxxxxxx -> VA 0x8xxxxxxx */
	at	s1e2w, x0
	isb
	e2e_say_sysreg par_el1, s_par
	ldr	x0, =0x100000000
	at	s1e2r, x0
	isb
	e2e_say_sysreg par_el1, s_par

	/* Faults at EL2: the handler skips the access. */
	ldr	x8, =0x100000010
	ldr	x0, [x8]		/* translation fault, level 1 */
	ldr	x8, =0xc0000020
	str	x0, [x8]		/* external abort on the walk, level 2 */
	ldr	x0, =0x100000000
	adr	x30, 1f
	br	x0			/* instruction abort: the handler returns to x30 */
1:	adr	x0, s_done
	bl	puts
	e2e_system_off
	b	.

callee:
	mov	x20, x30
	adr	x0, s_callee
	bl	puts
	ret	x20

	e2e_say
	e2e_puts
	e2e_puthex

sync:
	mov	x21, x30
	e2e_say_sysreg esr_el2, s_esr
	e2e_say_sysreg far_el2, s_far
	e2e_say_sysreg elr_el2, s_elr
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x21		/* instruction abort: back to the caller */
	b.ne	1f
	msr	elr_el2, x21
	eret
1:	cmp	x0, #0x25		/* data abort: skip the access */
	b.ne	2f
	mrs	x0, elr_el2
	add	x0, x0, #4
	msr	elr_el2, x0
2:	eret				/* HVC, SVC: ELR is after the instruction */

#ifdef VHE
el0_code:
	svc	#0x44
	mov	x0, #0x40000000		/* privileged-only at EL0: permission fault */
	ldr	x1, [x0]
	b	.

lower:
	e2e_say_sysreg esr_el2, s_el0
	e2e_say_sysreg far_el2, s_far
	e2e_say_sysreg elr_el2, s_elr
	e2e_say_sysreg spsr_el2, s_spsr
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x15		/* SVC: back to EL0 */
	b.ne	1f
	eret
1:	br	x23			/* the fault: EL0 is done */
#endif

bad:
	adr	x0, s_bad
	bl	puts
	e2e_system_off
	b	.

#ifdef VHE
	e2e_vectors vectors, bad, spx_sync=sync, lower_sync=lower	/* lower: its own EL0 */
#else
	e2e_vectors vectors, bad, spx_sync=sync
#endif
	.ltorg

	.section .rodata
s_start:	.asciz	"s1: start\n"
s_mmu:		.asciz	"s1: EL2 MMU on\n"
s_alias:	.asciz	"s1: printed through the alias\n"
s_callee:	.asciz	"s1: called through the alias\n"
s_read:		.asciz	"s1: alias read="
s_written:	.asciz	"s1: written through the alias, read back="
s_daif:		.asciz	"s1: daif="
s_sp:		.asciz	"s1: sp="
s_pan:		.asciz	"s1: pan="
s_el0:		.asciz	"s1: from EL0 esr="
s_spsr:		.asciz	"s1: spsr="
s_par:		.asciz	"s1: par="
s_esr:		.asciz	"s1: esr="
s_far:		.asciz	"s1: far="
s_elr:		.asciz	"s1: elr="
s_bad:		.asciz	"s1: unexpected vector\n"
s_done:		.asciz	"s1: done\n"

	.data
	.balign	8
word:	.quad	0x1234567890abcdef, 0
	.balign	4096
l1:	.fill	512, 8, 0
l2:	.fill	512, 8, 0

	e2e_stack
