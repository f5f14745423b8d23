/* SPDX-License-Identifier: MIT */
/* A VMSAv8-64 translation-table builder for stage 1 and stage 2, 4K or 64K granule. */
#ifndef GST_PT_H
#define GST_PT_H

#include "gst.h"

struct gst_pt {
	u64 root;		/* table base (an address the builder can write through) */
	unsigned int gshift;	/* 12 (4K) or 16 (64K) */
	unsigned int start;	/* start level */
	/* returns a zeroed, granule-aligned table of (1 << gshift) bytes, or 0 */
	u64 (*alloc)(void);
};

/* Lower/upper attributes shared by page and block descriptors (D8.3, VMSAv8-64 formats). */
#define PT_VALID	(1UL << 0)
#define PT_TABLE	(1UL << 1)	/* table at levels < 3, page at level 3 */
#define PT_AF		(1UL << 10)
#define PT_SH_INNER	(3UL << 8)
/* stage 1 */
#define PT_S1_ATTR(i)	((u64)(i) << 2)
#define PT_S1_RO	(2UL << 6)	/* AP[2:1] = 0b10: EL1 read-only */
#define PT_S1_PXN	(1UL << 53)
#define PT_S1_UXN	(1UL << 54)
/* stage 2 */
#define PT_S2_NORMAL_WB	(0xfUL << 2)	/* MemAttr 0b1111 */
#define PT_S2_DEVICE	(0x1UL << 2)	/* MemAttr 0b0001: Device-nGnRE */
#define PT_S2_RO	(1UL << 6)	/* S2AP 0b01 */
#define PT_S2_RW	(3UL << 6)	/* S2AP 0b11 */
#define PT_S2_XN	(2UL << 53)	/* XN[1:0] = 0b10: no execution at EL1 or EL0 */

/* Bits of the address each level resolves: shift of level `lvl` for this granule. */
static inline unsigned int gst_pt_shift(const struct gst_pt *pt, unsigned int lvl)
{
	return pt->gshift + (3 - lvl) * (pt->gshift - 3);
}

/*
 * Maps [in, in + size) to out with `attrs`, using blocks of level `lvl` (3 = pages).
 * Returns 0, or -1 when a table cannot be allocated or a block would replace a table.
 */
int gst_pt_map(struct gst_pt *pt, u64 in, u64 out, u64 size, u64 attrs, unsigned int lvl);

/* The address of the leaf descriptor for `in` at level `lvl`, or 0 if no table leads there. */
volatile u64 *gst_pt_leaf(const struct gst_pt *pt, u64 in, unsigned int lvl);

#endif
