/* Test-side table builder: lays out VMSAv8-64 translation tables in fixture memory from
 * the Arm ARM's description of the formats (D8.3, "Translation table descriptor formats"),
 * independently of the walker under test. */
#ifndef EL2EMU_TESTS_TRANSLATE_BUILDER_H
#define EL2EMU_TESTS_TRANSLATE_BUILDER_H

#include "fixture.h"

struct bld {
	struct fx_mem *m;
	uint64_t next, end;	/* bump allocator for tables */
	unsigned gbits;
	int start;		/* start level */
	unsigned ia_bits;
	bool ds;		/* 52-bit format of TCR.DS: OA[51:50] in bits [9:8] */
	bool lpa64;		/* 64K 52-bit format: OA[51:48] in bits [15:12] */
	uint64_t root;
};

/* The start level implied by an input size for stage 1 (Arm ARM, D8.2 tables of "Input
 * address range, initial lookup level"): e.g. 4K: 49-52 bits level -1, 40-48 level 0,
 * 31-39 level 1, 22-30 level 2, up to 21 level 3. */
static inline int bld_s1_start(unsigned gbits, unsigned ia_bits)
{
	switch (gbits) {
	case 12:
		return ia_bits >= 49 ? -1 : ia_bits >= 40 ? 0 : ia_bits >= 31 ? 1 :
		       ia_bits >= 22 ? 2 : 3;
	case 14:
		return ia_bits >= 48 ? 0 : ia_bits >= 37 ? 1 : ia_bits >= 26 ? 2 : 3;
	default:
		return ia_bits >= 43 ? 1 : ia_bits >= 30 ? 2 : 3;
	}
}

/* The lowest input address bit a level resolves. */
static inline unsigned bld_lsb(unsigned gbits, int level)
{
	return gbits + (gbits - 3) * (unsigned)(3 - level);
}

static inline uint64_t bld_alloc(struct bld *b, uint64_t size)
{
	uint64_t a = (b->next + size - 1) & ~(size - 1);

	if (a + size > b->end)
		abort();
	b->next = a + size;
	for (uint64_t o = 0; o < size; o += 8)
		fx_w64(b->m, a + o, 0);
	return a;
}

/* Output address field of a descriptor in the current format. */
static inline uint64_t bld_oa_field(const struct bld *b, uint64_t oa)
{
	uint64_t d = oa & 0x0000ffffffffffffull;

	if (b->ds)
		d = (oa & 0x0003fffffffff000ull) | ((oa >> 50) & 3) << 8;
	else if (b->lpa64)
		d = (oa & 0x0000ffffffff0000ull) | ((oa >> 48) & 0xf) << 12;
	return d;
}

static inline void bld_init(struct bld *b, struct fx_mem *m, uint64_t base, uint64_t size,
			    unsigned gbits, unsigned ia_bits, int start)
{
	memset(b, 0, sizeof(*b));
	b->m = m;
	b->next = base;
	b->end = base + size;
	b->gbits = gbits;
	b->ia_bits = ia_bits;
	b->start = start;
	/* The start table holds 2^(ia_bits - lsb(start)) entries (several concatenated
	 * tables at stage 2), at least 64 bytes aligned. */
	{
		uint64_t bytes = 8ull << (ia_bits - bld_lsb(gbits, start));

		b->root = bld_alloc(b, bytes < 64 ? 64 : bytes);
	}
}

static inline uint64_t bld_index(const struct bld *b, uint64_t ia, int level)
{
	unsigned lsb = bld_lsb(b->gbits, level);
	unsigned bits = level == b->start ? b->ia_bits - lsb : b->gbits - 3;

	return (ia >> lsb) & ((1ull << bits) - 1);
}

/* Address of the descriptor for ia at level, creating the tables above it (table
 * descriptors carry tattr in their upper attribute bits). */
static inline uint64_t bld_slot(struct bld *b, uint64_t ia, int level, uint64_t tattr)
{
	uint64_t table = b->root;

	for (int l = b->start; l < level; l++) {
		uint64_t slot = table + 8 * bld_index(b, ia, l);
		uint64_t d = fx_r64(b->m, slot);

		if (!(d & 1)) {
			uint64_t t = bld_alloc(b, 1ull << b->gbits);

			d = bld_oa_field(b, t) | tattr | 3;
			fx_w64(b->m, slot, d);
		}
		/* Decode the table address back: the builder only creates tables. */
		if (b->ds)
			table = (d & 0x0003fffffffff000ull & ~((1ull << b->gbits) - 1)) |
				((d >> 8) & 3) << 50;
		else if (b->lpa64)
			table = (d & 0x0000ffffffff0000ull) | ((d >> 12) & 0xf) << 48;
		else
			table = d & 0x0000fffffffff000ull & ~((1ull << b->gbits) - 1);
	}
	return table + 8 * bld_index(b, ia, level);
}

/* Map ia to oa with a leaf at level: a page (bits[1:0]=11) at level 3, else a block
 * (bits[1:0]=01). attrs holds the lower and upper attribute bits. Returns the slot. */
static inline uint64_t bld_map(struct bld *b, uint64_t ia, uint64_t oa, int level,
			       uint64_t attrs)
{
	uint64_t slot = bld_slot(b, ia, level, 0);

	fx_w64(b->m, slot, bld_oa_field(b, oa) | attrs | (level == 3 ? 3 : 1));
	return slot;
}

#endif
