/* SPDX-License-Identifier: MIT */
#include "pt.h"

static u64 pt_index(const struct gst_pt *pt, u64 in, unsigned int lvl)
{
	unsigned int bits = pt->gshift - 3;
	u64 idx = in >> gst_pt_shift(pt, lvl);

	/* The start level may resolve more bits (concatenation is not used here). */
	return lvl == pt->start ? idx : idx & ((1UL << bits) - 1);
}

static u64 pt_oa_mask(const struct gst_pt *pt)
{
	/* OA[47:gshift] of a table/page/block descriptor (no 52-bit OA here). */
	return ((1UL << 48) - 1) & ~((1UL << pt->gshift) - 1);
}

volatile u64 *gst_pt_leaf(const struct gst_pt *pt, u64 in, unsigned int lvl)
{
	volatile u64 *table = (volatile u64 *)pt->root;

	for (unsigned int l = pt->start; l < lvl; l++) {
		u64 d = table[pt_index(pt, in, l)];

		if ((d & 3) != 3)
			return 0;
		table = (volatile u64 *)(d & pt_oa_mask(pt));
	}
	return &table[pt_index(pt, in, lvl)];
}

static volatile u64 *pt_walk_alloc(struct gst_pt *pt, u64 in, unsigned int lvl)
{
	volatile u64 *table = (volatile u64 *)pt->root;

	for (unsigned int l = pt->start; l < lvl; l++) {
		volatile u64 *e = &table[pt_index(pt, in, l)];

		if ((*e & 3) == 1)
			return 0;	/* a block is in the way */
		if (!(*e & PT_VALID)) {
			u64 t = pt->alloc();

			if (!t)
				return 0;
			*e = t | PT_TABLE | PT_VALID;
		}
		table = (volatile u64 *)(*e & pt_oa_mask(pt));
	}
	return &table[pt_index(pt, in, lvl)];
}

int gst_pt_map(struct gst_pt *pt, u64 in, u64 out, u64 size, u64 attrs, unsigned int lvl)
{
	u64 step = 1UL << gst_pt_shift(pt, lvl);

	for (u64 off = 0; off < size; off += step) {
		volatile u64 *e = pt_walk_alloc(pt, in + off, lvl);

		if (!e)
			return -1;
		*e = ((out + off) & pt_oa_mask(pt)) | attrs | PT_AF | PT_VALID |
		     (lvl == 3 ? PT_TABLE : 0);
	}
	return 0;
}
