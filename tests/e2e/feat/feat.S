/* SPDX-License-Identifier: MIT */
/*
 * Feature probe for el2emu (tests/e2e): a guest hypervisor at EL2 (0x40000000, MMU off,
 * HCR_EL2.E2H=0) and a nested guest at EL1 in the same image. Every step prints what the
 * architecture says it observes, so the UART output can be compared with QEMU's:
 *   at EL2: CurrentEL, MSR DAIFSet/DAIFClr, SPSel with SP_EL0, HVC to itself, PSCI_VERSION;
 *   nested, exits to EL2: TVM, TRVM, TWI, TWE, TSC, stage-2 faults (read, write), HVC;
 *   nested, to its own EL1: UDF, SVC, a virtual IRQ (HCR_EL2.VI) once unmasked;
 *   an ERET from EL2 to nested EL0, whose SVC reaches the nested EL1's lower-EL vector;
 *   the nested guest prints through the UART mapped by the guest's stage 2 (MMIO).
 */
#include "../common.S.inc"
	.equ	HCR_BASE, 0x80000001	/* RW | VM */

	.text
	.global	_start
_start:
	e2e_start hyp_vectors
	adr	x0, s_start
	bl	puts

	e2e_say_sysreg currentel, s_currentel
	msr	daifset, #0xf
	e2e_say_sysreg daif, s_daif
	msr	daifclr, #0x5
	e2e_say_sysreg daif, s_daif
	msr	daifset, #0xf
	ldr	x0, =0x12340
	msr	sp_el0, x0
	msr	spsel, #0
	mov	x0, sp
	msr	spsel, #1
	adr	x1, s_sp0
	bl	say
	mov	x0, sp
	adr	x1, s_sp2
	bl	say
	hvc	#0x42
	ldr	x0, =0x84000000		/* PSCI_VERSION */
	smc	#0
	adr	x1, s_psci
	bl	say

	/* Nested guest: stage 2 with the UART (device) and RAM (normal), 1 GiB blocks. */
	e2e_nested_s2 s2_l1
	e2e_el1h_return nested
	isb
	eret

/* say, puts, puthex: the UART; say's labels start with "hyp: ". */
	e2e_say
	e2e_puts
	e2e_puthex

/* An exception from EL2 itself (HVC #0x42). */
self_sync:
	e2e_say_sysreg esr_el2, s_self_esr
	e2e_say_sysreg elr_el2, s_self_elr
	e2e_say_sysreg spsr_el2, s_self_spsr
	eret

/* An exit from the nested guest. The handlers use x0-x9 and x19: the nested guest keeps
 * nothing there across an exit. */
lower_sync:
	mrs	x6, esr_el2
	lsr	x7, x6, #26
	cmp	x7, #0x16
	b.eq	lower_hvc
	mov	x0, x6
	adr	x1, s_exit_esr
	bl	say
	e2e_say_sysreg elr_el2, s_exit_elr
	cmp	x7, #0x24
	b.ne	1f
	e2e_say_sysreg far_el2, s_exit_far
	e2e_say_sysreg hpfar_el2, s_exit_hpfar
1:	mrs	x0, elr_el2		/* skip the trapped instruction */
	add	x0, x0, #4
	msr	elr_el2, x0
	eret

lower_hvc:
	and	x8, x6, #0xffff
	mov	x0, x8
	adr	x1, s_hvc
	bl	say
	cmp	x8, #0x50
	b.ne	1f
	ldr	x0, =(HCR_BASE | (1 << 26) | (1 << 30) | (1 << 13) | (1 << 14) | (1 << 19))
	msr	hcr_el2, x0		/* TVM TRVM TWI TWE TSC */
	eret
1:	cmp	x8, #0x51
	b.ne	1f
	ldr	x0, =HCR_BASE
	msr	hcr_el2, x0
	eret
1:	cmp	x8, #0x52
	b.ne	1f
	ldr	x0, =(HCR_BASE | (1 << 7) | (1 << 4))
	msr	hcr_el2, x0		/* VI | IMO: a virtual IRQ is pending */
	eret
1:	cmp	x8, #0x53
	b.ne	1f
	adr	x0, el0_code
	msr	elr_el2, x0
	msr	spsr_el2, xzr		/* EL0t, DAIF clear */
	eret
1:	cmp	x8, #0x77
	b.lo	3f
	cmp	x8, #0x78
	b.hi	2f
	mov	x0, x20
	adr	x1, s_el1_esr
	bl	say
	mov	x0, x21
	adr	x1, s_el1_elr
	bl	say
	mov	x0, x22
	adr	x1, s_el1_spsr
	bl	say
	cmp	x8, #0x78
	b.ne	3f
	ldr	x0, =HCR_BASE
	msr	hcr_el2, x0		/* the virtual IRQ is handled */
	eret
2:	cmp	x8, #0x99
	b.ne	3f
	adr	x0, s_done
	bl	puts
	e2e_system_off
	b	.
3:	eret

bad_vector:
	e2e_say_sysreg esr_el2, s_bad
	e2e_system_off
	b	.

	e2e_vectors hyp_vectors, bad_vector, spx_sync=self_sync, lower_sync=lower_sync

/* ---- the nested guest (EL1h, its MMU off) ---- */
	.balign	4096
nested:
	adr	x0, el1_vectors
	msr	vbar_el1, x0
	isb
	adr	x0, s_nested
	ldr	x1, =UART
1:	ldrb	w2, [x0], #1
	cbz	w2, 2f
	str	w2, [x1]
	b	1b
2:	hvc	#0x50
	msr	sctlr_el1, x1		/* TVM */
	mrs	x1, ttbr0_el1		/* TRVM */
	wfi				/* TWI */
	wfe				/* TWE */
	smc	#5			/* TSC */
	hvc	#0x51
	udf	#0			/* to its own EL1 */
	svc	#7
	hvc	#0x52			/* VI, still masked by PSTATE.I */
	msr	daifclr, #2		/* taken here */
	msr	daifset, #2
	ldr	x24, =0x80000010
	ldr	x2, [x24]		/* stage-2 translation fault, read */
	str	x2, [x24, #8]		/* write */
	hvc	#0x53			/* the hypervisor ERETs to el0_code at EL0 */
	b	.

el0_code:
	svc	#3			/* to its EL1, lower-EL vector */
	b	.

el1_lower:
	mrs	x20, esr_el1
	mrs	x21, elr_el1
	mrs	x22, spsr_el1
	hvc	#0x77
	hvc	#0x99
	b	.

el1_sync:
	mrs	x20, esr_el1
	mrs	x21, elr_el1
	mrs	x22, spsr_el1
	hvc	#0x77
	lsr	x23, x20, #26
	cmp	x23, #0x15		/* SVC: ELR already after it */
	b.eq	1f
	add	x21, x21, #4
	msr	elr_el1, x21
1:	eret

el1_irq:
	mov	x20, #0
	mrs	x21, elr_el1
	mrs	x22, spsr_el1
	hvc	#0x78
	eret

el1_bad:
	hvc	#0x66
	b	.

	e2e_vectors el1_vectors, el1_bad, spx_sync=el1_sync, spx_irq=el1_irq, lower_sync=el1_lower
	.ltorg

	.section .rodata
s_start:	.asciz	"feat: start\n"
s_currentel:	.asciz	"hyp: currentel="
s_daif:		.asciz	"hyp: daif="
s_sp0:		.asciz	"hyp: sp with spsel=0: "
s_sp2:		.asciz	"hyp: sp with spsel=1: "
s_psci:		.asciz	"hyp: psci version="
s_self_esr:	.asciz	"hyp: self esr="
s_self_elr:	.asciz	"hyp: self elr="
s_self_spsr:	.asciz	"hyp: self spsr="
s_exit_esr:	.asciz	"hyp: exit esr="
s_exit_elr:	.asciz	"hyp: exit elr="
s_exit_far:	.asciz	"hyp: exit far="
s_exit_hpfar:	.asciz	"hyp: exit hpfar="
s_hvc:		.asciz	"hyp: hvc imm="
s_el1_esr:	.asciz	"hyp: el1 esr="
s_el1_elr:	.asciz	"hyp: el1 elr="
s_el1_spsr:	.asciz	"hyp: el1 spsr="
s_bad:		.asciz	"hyp: unexpected exception esr="
s_nested:	.asciz	"nested: hello through the stage-2 mapped UART\n"
s_done:		.asciz	"feat: done\n"

	.data
	e2e_s2_l1 s2_l1

	e2e_stack
