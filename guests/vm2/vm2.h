/* SPDX-License-Identifier: MIT */
/*
 * The second nested guest program (vm2/), shared with the guest hypervisor's duo image:
 * its IPA layout, where duo.elf carries its text, and its stage-1 virtual addresses.
 * The UART (GST_UART) and the demand region (GST_VM_DEMAND) are the same as for vm/.
 */
#ifndef GST_VM2_H
#define GST_VM2_H

#include "../common/gst.h"

#define GST_VM2_TEXT		0x40100000UL	/* IPA of its EL1 text + rodata (64K) */
#define GST_VM2_USER_TEXT	0x40110000UL	/* IPA of its EL0 text (64K) */
#define GST_VM2_TEXT_SIZE	0x20000UL
#define GST_VM2_TEXT_PA		0x40140000UL	/* vm2.bin in duo.elf: IPA != PA */
#define GST_VM2_DATA		0x40200000UL	/* bss: stage-1 tables, EL0 page, stacks */
#define GST_VM2_DATA_SIZE	0x100000UL
/* TTBR1_EL1 (T1SZ=25: VAs 0xffffff8000000000 and up) alias of its privileged page. */
#define GST_VM2_HIGH_VA		0xffffffffc0000000UL
#define GST_VM2_HOLE_VA		0x40300000UL	/* no stage-1 L3 entry: L3 fault */
#define GST_VM2_S2HOLE_VA	0x40630000UL	/* stage 1 maps it, stage 2 never does */

#endif
