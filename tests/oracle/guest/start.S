/* Entry at EL2 (QEMU virt, virtualization=on, no EL3), EL2 vectors, PSCI off. Shared by the
 * bare-metal probes of the test suite (the oracle, tools/qemu-at-timer): each provides
 * guest_main() and guest_exception(esr, elr, far), after which it powers off. */
	.section .text.start, "ax"
	.global _start
_start:
	ldr	x0, =__stack_top
	mov	sp, x0
	adr	x0, vectors
	msr	vbar_el2, x0
	isb
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	guest_main
	.global psci_off
psci_off:
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF through SMC (no EL3: QEMU's PSCI) */
	smc	#0
3:	wfi
	b	3b

	.text
	.balign	0x800
vectors:
	.rept	16
	.balign	0x80
	b	exc_entry
	.endr

exc_entry:
	mrs	x0, esr_el2
	mrs	x1, elr_el2
	mrs	x2, far_el2
	bl	guest_exception
	b	psci_off
