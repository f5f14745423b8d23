/* SPDX-License-Identifier: MIT */
/*
 * SIMD&FP registers are one register file shared by the guest hypervisor and its nested
 * guest (tests/e2e): values written at EL2 are seen at nested EL1 and back. (FP access
 * traps are not tested: Unicorn 2.0.1 never raises them, docs/cpu.md.) Expected output:
 * QEMU 7.2's (fp.out).
 */
#include "../common.S.inc"

	.text
	.global	_start
_start:
	e2e_start vectors
	e2e_nested_s2 s2_l1
	mov	x0, #(3 << 20)		/* CPACR_EL1.FPEN: no FP traps at EL1 */
	msr	cpacr_el1, x0
	ldr	x1, =0x1111222233334444
	fmov	d0, x1
	e2e_el1h_return nested
	eret

lower:
	mrs	x0, esr_el2
	bl	puthex
	mov	x0, x9			/* what the nested guest read from d0 */
	bl	puthex
	fmov	x0, d1			/* what it wrote into d1 */
	bl	puthex
off:
	e2e_system_off
	b	.

	e2e_puthex

	e2e_vectors vectors, off, lower_sync=lower

	.balign	4096
nested:
	fmov	x9, d0
	ldr	x2, =0x5555666677778888
	fmov	d1, x2
	hvc	#1
	b	.
	.ltorg

	.data
	e2e_s2_l1 s2_l1

	e2e_stack
