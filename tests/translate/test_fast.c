/* The two-stage fast path (walk.c, el10_fast()) against the general walk: random but
 * well-formed two-stage configurations (every granule at both stages, start levels with
 * and without stage-2 concatenation, blocks and pages, random leaf and table attributes,
 * HA/HD, FWB/CD/ID, every access kind), laid out by builder.h from the Arm ARM's
 * descriptor formats, then walked with the register-decode cache (fast path) and without
 * it (general walk only): every field of every answer must agree. Random single-bit
 * corruptions of descriptors between walks cover the paths where the fast path gives
 * up. A last test changes a stage-2 table descriptor in the middle of a walk, which the
 * fast path must notice (it predicts addresses from the descriptors it read before). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "builder.h"
#include "compare.h"
#include "rng.h"
#include "fixture.h"

#define RAM 0x40000000ull
#define RAM_SIZE (32ull << 20)
#define S2_AREA (4ull << 20)		/* stage-2 tables: RAM + [0, 4M) */
#define S1_AREA (12ull << 20)		/* stage-1 tables: RAM + [4M, 16M) */
#define MAPPED (16ull << 20)		/* IPA = PA window mapped by stage 2 */
#define ROUNDS 300u
#define VAS 48u
#define WALKS_PER_VA 8u

static unsigned pick_gbits(void)
{
	static const unsigned g[] = { 12, 12, 12, 14, 16 };

	return g[rnd() % 5];
}

/* TCR/VTCR TG0 encodings: 0b00 4K, 0b01 64K, 0b10 16K. */
static uint64_t tg0(unsigned gbits)
{
	return gbits == 12 ? 0 : gbits == 16 ? 1 : 2;
}

/* A leaf level with a block (or page) descriptor for the granule without DS (Arm ARM
 * D8.3: 4K blocks at levels 1-2, 16K at 2, 64K at 2 (level 1 needs 52-bit PAs)). */
static int pick_leaf(unsigned gbits, int start)
{
	int lo = gbits == 12 ? 1 : 2, l = lo + (int)(rnd() % (unsigned)(4 - lo));

	if (l < start)
		l = start;
	/* Pages most of the time: more levels, more reads. */
	return (rnd() % 3) ? 3 : l;
}

struct cfg {
	unsigned g1, g2, ia1, ia2;
	int s1start, s2start;
};

/* Stage 2: the window RAM..RAM+MAPPED mapped IPA = PA, leaves at random levels with
 * random attributes (mostly readable and accessed, so that stage-1 walks go through). */
static uint64_t build_s2(struct fx_mem *m, const struct cfg *c, struct tr_sysregs *r)
{
	struct bld b;

	bld_init(&b, m, RAM, S2_AREA, c->g2, c->ia2, c->s2start);
	r->vttbr_el2 = b.root | (rnd() & 0xffull) << 48;	/* VMID */
	for (uint64_t ipa = RAM; ipa < RAM + MAPPED;) {
		int level = pick_leaf(c->g2, c->s2start);
		uint64_t size = 1ull << bld_lsb(c->g2, level), a = rnd();

		if ((ipa & (size - 1)) || ipa + size > RAM + MAPPED)
			level = 3, size = 1ull << c->g2;
		/* AF, S2AP, MemAttr, SH, XN[1:0], Contiguous and DBM bits. */
		bld_map(&b, ipa, ipa, level,
			((a & 15) ? 1u << 10 : 0) | ((a & 0x70) ? 3u << 6 : (a >> 8 & 3) << 6) |
			(a >> 10 & 0xf) << 2 | (a >> 14 & 3) << 8 | (a >> 16 & 3) << 53 |
			(a >> 18 & 1) << 52 | (a >> 19 & 1) << 51);
		ipa += size;
	}
	return b.next;
}

/* Stage 1: VAS random VAs, each mapped to a random IPA of the window (leaf at a random
 * level), random table attributes on the tables made for it. */
static uint64_t build_s1(struct fx_mem *m, const struct cfg *c, struct tr_sysregs *r,
			 uint64_t *vas)
{
	struct bld b;

	bld_init(&b, m, RAM + S2_AREA, S1_AREA, c->g1, c->ia1, c->s1start);
	r->ttbr0_el1 = b.root | (rnd() & 0xffffull) << 48;	/* ASID */
	for (unsigned i = 0; i < VAS; i++) {
		int level = pick_leaf(c->g1, c->s1start);
		uint64_t size = 1ull << bld_lsb(c->g1, level);
		uint64_t va = rnd() & ((1ull << c->ia1) - 1) & ~(size - 1);
		uint64_t ipa = (RAM + rnd() % MAPPED) & ~(size - 1), a = rnd();
		uint64_t tattr = (a & 0x300) ? 0 : (a >> 10 & 0xf) << 59;	/* APTable, (P)XNTable */
		uint64_t slot;

		if (ipa < RAM)
			ipa = RAM;
		slot = bld_slot(&b, va, level, tattr);
		/* AF, AttrIndx, AP[2:1], SH, nG, Contiguous, DBM, PXN, UXN. */
		fx_w64(m, slot, bld_oa_field(&b, ipa) | (level == 3 ? 3 : 1) |
			   ((a & 15) ? 1u << 10 : 0) | (a >> 4 & 7) << 2 | (a >> 20 & 3) << 6 |
			   (a >> 22 & 3) << 8 | (a >> 24 & 1) << 11 | (a >> 25 & 1) << 52 |
			   (a >> 26 & 1) << 51 | (a >> 27 & 3) << 53);
		vas[i] = va;
	}
	return b.next;
}

/* Registers for the configuration: VTCR_EL2 (T0SZ, SL0, TG0, PS=48 bits, HA/HD), TCR_EL1
 * (T0SZ, TG0, IPS=48 bits, EPD1, HA/HD, TBI0), random MAIR, SCTLR_EL1.C/I/WXN and
 * HCR_EL2.FWB/CD/ID. */
static void set_regs(const struct cfg *c, struct tr_sysregs *r)
{
	uint64_t a = rnd();
	unsigned sl0 = c->g2 == 12 ? (unsigned)(2 - c->s2start) : (unsigned)(3 - c->s2start);

	r->vtcr_el2 = (64 - c->ia2) | (uint64_t)sl0 << 6 | tg0(c->g2) << 14 | 5ull << 16 |
		      1u << 31 | ((a & 3) == 0 ? 1ull << 21 | (a >> 2 & 1) << 22 : 0);
	r->tcr_el1 = (64 - c->ia1) | tg0(c->g1) << 14 | 1u << 23 | 5ull << 32 |
		     ((a >> 3 & 3) == 0 ? 1ull << 39 | (a >> 5 & 1) << 40 : 0) |
		     (a >> 6 & 1) << 37;
	r->mair_el1 = rnd();
	r->sctlr_el1 = 1 | ((a >> 8 & 1) ? 1u << 2 : 0) | ((a >> 9 & 1) ? 1u << 12 : 0) |
		       ((a >> 10 & 7) == 0 ? 1u << 19 : 0);
	r->hcr_el2 = 1 | ((a >> 13 & 3) == 0 ? 1ull << 46 : 0) |
		     ((a >> 15 & 7) == 0 ? 1ull << 32 : 0) | ((a >> 18 & 7) == 0 ? 1ull << 33 : 0);
}

/* A random legal configuration: input sizes and the start levels they imply (Arm ARM D8.2),
 * stage 2 sometimes one level lower with concatenated tables, at most 16 of them
 * (AArch64.S2InconsistentSL). 16K stage 2 from level 0 needs DS: not made. */
static void pick_cfg(struct cfg *c)
{
	c->g1 = pick_gbits();
	c->g2 = pick_gbits();
	c->ia1 = 25 + (unsigned)(rnd() % 24);
	c->ia2 = 32 + (unsigned)(rnd() % 17);	/* the window fits */
	if (c->g2 == 14 && c->ia2 == 48)
		c->ia2 = 47;
	c->s1start = bld_s1_start(c->g1, c->ia1);
	c->s2start = bld_s1_start(c->g2, c->ia2);
	if ((rnd() & 1) && c->s2start < (c->g2 == 12 ? 2 : 3) &&
	    c->ia2 - bld_lsb(c->g2, c->s2start + 1) <= c->g2 - 3 + 4)
		c->s2start++;
}

static void test_fast_path_agrees_with_general_walk(void **state)
{
	static struct tr_cache cache;
	static uint64_t vas[VAS];
	struct fx_mem mem;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct tr_ctx plain = { .regs = &regs, .feat = &feat, .no_side_effects = true };
	struct tr_ctx cached = plain;
	unsigned long walks = 0, ok = 0, fast = 0;

	(void)state;
	rng_state = 0x243f6a8885a308d3ull;
	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, RAM, RAM_SIZE);
	plain.mem = cached.mem = fx_ops(&mem);
	cached.cache = &cache;
	tr_features_default(&feat);
	for (unsigned round = 0; round < ROUNDS; round++) {
		struct cfg c;

		uint64_t s2end, s1end;

		memset(fx_ptr(&mem, RAM), 0, S2_AREA + S1_AREA);
		memset(&regs, 0, sizeof(regs));
		pick_cfg(&c);
		set_regs(&c, &regs);
		s2end = build_s2(&mem, &c, &regs);
		s1end = build_s1(&mem, &c, &regs, vas);
		for (unsigned i = 0; i < VAS * WALKS_PER_VA; i++) {
			uint64_t a = rnd();
			struct tr_access acc = { .type = (enum tr_acc_type)(a % 3),
						 .el = (uint8_t)(a >> 2 & 1), .pan = a >> 3 & 1,
						 .at = a >> 4 & 1 };
			uint64_t va = vas[(a >> 8) % VAS] | (a >> 16 & 0xfff);
			struct tr_result r1, r2;
			struct tr_fault f1, f2;
			bool ok1, ok2;

			/* One walk in 16: a random bit of a random table word flips. */
			if ((a >> 32 & 15) == 0) {
				uint64_t pa = (a >> 63) ? RAM + (rnd() % ((s2end - RAM) / 8)) * 8 :
					      RAM + S2_AREA +
					      (rnd() % ((s1end - RAM - S2_AREA) / 8)) * 8;

				fx_w64(&mem, pa, fx_r64(&mem, pa) ^ 1ull << (rnd() % 64));
			}
			/* And some VAs outside what is mapped. */
			if ((a >> 36 & 7) == 0)
				va = rnd() & ((1ull << c.ia1) - 1);
			ok1 = tr_translate(&plain, TR_REGIME_EL10, va, &acc, &r1, &f1);
			fast -= cache.fast_walks;
			ok2 = tr_translate(&cached, TR_REGIME_EL10, va, &acc, &r2, &f2);
			fast += cache.fast_walks;
			expect_same_answer(ok1, &r1, &f1, ok2, &r2, &f2);
			assert_int_equal(tr_at(&plain, TR_AT_S12E1R + (int)(a >> 40 & 3), va),
					 tr_at(&cached, TR_AT_S12E1R + (int)(a >> 40 & 3), va));
			walks++;
			ok += ok1;
		}
	}
	fx_free(&mem);
	print_message("%lu walks, %lu translated, %lu by the fast path\n", walks, ok, fast);
	/* The configurations are mostly well formed: many walks succeed, and most of those
	 * take the fast path (the others meet AF=0, DBM under HD, a corruption, or are the
	 * first after a register change). */
	assert_true(ok > walks / 6);
	assert_true(fast > ok / 2);
}

/* A memory whose read callback rewrites one descriptor when the walk makes its n-th
 * read: a stage-2 table descriptor changing under a walk. */
struct racy {
	struct fx_mem *m;
	unsigned reads, at;
	uint64_t pa, val;
};

static bool racy_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	struct racy *r = ctx;

	if (++r->reads == r->at)
		fx_w64(r->m, r->pa, r->val);
	return fx_read64(r->m, pa, val);
}

/* A stage-2 table descriptor changed in the middle of a two-stage walk. 4K at both stages,
 * 48-bit, start level 0: the stage-1 tables lie in one 2M of IPA, so the stage-2 walks of
 * their addresses share levels 0-2 (0-1 with 2M blocks) and the fast path issues their
 * reads from the descriptors the first one read; an output IPA in another 2M shares
 * levels 0-1. Before read `at`, the tables' stage-2 descriptor at `level` is pointed at a
 * new table that maps the tables' 2M to a copy of them 2M higher, whose leaf maps va 64K
 * further. The walk must use the descriptors it reads (Arm ARM), so the fast path must
 * notice the change and give up; the answer is then the general walk's over the changed
 * memory (a walk made after the change; the abandoned reads had no effect). */
struct change {
	uint64_t out;	/* the IPA the original stage-1 leaf maps va to */
	int s2_leaf;	/* stage 2 maps RAM + [8M, 12M) IPA = PA: pages (3), 2M blocks (2) */
	int level;	/* the stage-2 level of the descriptor changed */
	unsigned at;	/* the read before which it changes */
};

static void descriptor_change_case(const struct change *k)
{
	static struct tr_cache cache;
	struct fx_mem mem;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct racy racy = { .m = &mem };
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .no_side_effects = true,
			      .mem = { racy_read64, NULL, &racy }, .cache = &cache };
	struct tr_ctx plain = ctx;
	struct bld s2, s1;
	const uint64_t va = 0x0000123456789000ull, tables = RAM + 0x800000, alias = RAM + 0xa00000;
	const uint64_t s2_attrs = 1u << 10 | 3u << 6 | 0xfu << 2; /* AF, S2AP RW, Normal WB */
	const uint64_t new_l3 = RAM + 0x3f0000, new_l2 = RAM + 0x3e0000;
	/* Over the changed memory: the stage-1 tables are read from the copy, whose leaf
	 * gives out + 64K; through the new table if that is in the tables' 2M, else through
	 * the unchanged identity. */
	const uint64_t want_ipa = k->out + 0x10000;
	const uint64_t want_oa = (want_ipa ^ tables) >> 21 ? want_ipa : alias + (want_ipa - tables);
	struct tr_result r1, r2;
	struct tr_fault f1, f2;
	struct tr_access acc = { .type = TR_ACC_READ, .el = 1 };
	uint64_t slot, old;

	memset(&cache, 0, sizeof(cache));
	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, RAM, RAM_SIZE);
	plain.cache = NULL;
	tr_features_default(&feat);
	memset(&regs, 0, sizeof(regs));
	bld_init(&s2, &mem, RAM, S2_AREA, 12, 48, 0);
	for (uint64_t ipa = tables; ipa < tables + 0x400000; ipa += 1ull << bld_lsb(12, k->s2_leaf))
		bld_map(&s2, ipa, ipa, k->s2_leaf, s2_attrs);
	regs.vttbr_el2 = s2.root;
	regs.vtcr_el2 = 16 | 2u << 6 | 5ull << 16 | 1u << 31;
	bld_init(&s1, &mem, tables, 0x10000, 12, 48, 0);
	bld_map(&s1, va, k->out, 3, 1u << 10);
	for (uint64_t o = 0; o < 0x10000; o += 8)
		fx_w64(&mem, alias + o, fx_r64(&mem, tables + o));
	/* The copy's table descriptors still point at the original tables' IPAs. */
	fx_w64(&mem, bld_slot(&s1, va, 3, 0) - tables + alias, want_ipa | 3 | 1u << 10);
	/* The new tables: a level-3 table mapping the tables' 2M to the copy's; a copy of
	 * the level-2 table in which the tables' 2M is that level-3 table, or a block. */
	for (unsigned i = 0; i < 512; i++)
		fx_w64(&mem, new_l3 + 8 * i, (alias + 0x1000ull * i) | 3 | s2_attrs);
	old = fx_r64(&mem, bld_slot(&s2, tables, 1, 0));
	for (unsigned i = 0; i < 512; i++)
		fx_w64(&mem, new_l2 + 8 * i, fx_r64(&mem, (old & 0x0000fffffffff000ull) + 8 * i));
	fx_w64(&mem, new_l2 + 8 * ((tables >> 21) & 511),
	       k->s2_leaf == 3 ? new_l3 | 3 : alias | 1 | s2_attrs);
	slot = bld_slot(&s2, tables, k->level, 0);
	old = fx_r64(&mem, slot);
	regs.tcr_el1 = 16 | 1u << 23 | 5ull << 32;
	regs.ttbr0_el1 = s1.root;
	regs.sctlr_el1 = 1;
	regs.hcr_el2 = 1;

	/* Unchanged: the original mapping; the second walk takes the fast path (the first
	 * decodes the registers into the cache). */
	racy.at = 0;
	for (int i = 0; i < 2; i++) {
		assert_true(tr_translate(&ctx, TR_REGIME_EL10, va, &acc, &r1, &f1));
		assert_int_equal(r1.oa, k->out);
	}
	assert_int_equal(cache.fast_walks, 1);
	/* Changed before read `at` of the fast path's walk. */
	racy.pa = slot;
	racy.val = (k->level == 2 ? new_l3 : new_l2) | 3;
	racy.reads = 0;
	racy.at = k->at;
	assert_true(tr_translate(&ctx, TR_REGIME_EL10, va, &acc, &r1, &f1));
	racy.at = 0;
	assert_true(tr_translate(&plain, TR_REGIME_EL10, va, &acc, &r2, &f2));
	expect_same_answer(true, &r1, &f1, true, &r2, &f2);
	assert_int_equal(r1.ipa, want_ipa);
	assert_int_equal(r1.oa, want_oa);
	assert_int_equal(cache.fast_walks, 1);	/* the fast path gave up */
	fx_w64(&mem, slot, old);
	fx_free(&mem);
}

/* Each case is the only one of them that a given re-read check of the fast path catches.
 * Read 5 is the stage-1 level-0 descriptor, read 20 the stage-1 leaf. */
static void test_fast_path_sees_a_descriptor_change(void **state)
{
	static const struct change cases[] = {
		/* The next table walk's re-read of stage-2 level 2 (the tables are at RAM + 8M;
		 * output in their 2M or not). */
		{ .out = RAM + 0x900000, .s2_leaf = 3, .level = 2, .at = 5 },
		{ .out = RAM + 0xb00000, .s2_leaf = 3, .level = 2, .at = 5 },
		/* Only the output walk's, sharing levels 0-2 with the tables' walks... */
		{ .out = RAM + 0x900000, .s2_leaf = 3, .level = 2, .at = 20 },
		/* ...or only levels 0-1. */
		{ .out = RAM + 0xb00000, .s2_leaf = 3, .level = 1, .at = 20 },
		/* Blocks: the table walks' re-read of stage-2 level 1 above a level-2 leaf. */
		{ .out = RAM + 0x900000, .s2_leaf = 2, .level = 1, .at = 5 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		descriptor_change_case(&cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_path_agrees_with_general_walk),
		cmocka_unit_test(test_fast_path_sees_a_descriptor_change),
	};

	return cmocka_run_group_tests_name("translate_fast", tests, NULL, NULL);
}
