/* The configuration matrix: granule x TxSZ x stage x start level x leaf (block/page)
 * level x permission x fault. Tables come from the test-side builder (builder.h); every
 * expectation is an Arm ARM rule, cited where it is checked:
 *  - start levels and stage-2 SL0/concatenation: D8.2 and AArch64.S2InvalidSL /
 *    AArch64.S2InconsistentSL (a bad SL0 is a level 0 stage-2 Translation fault);
 *  - block levels: AArch64.BlockDescSupported (4K: 1, 2, and 0 with DS; 16K: 2, and 1
 *    with DS; 64K: 2, and 1 with 52-bit PAs), otherwise a Translation fault at that level;
 *  - AF=0 without HA: Access flag fault at the leaf level; AP[2]=1 / S2AP[1]=0 on a
 *    write: Permission fault at the leaf level; invalid leaf: Translation fault there;
 *  - an OA above the PS/IPS size: Address size fault at the leaf level. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "builder.h"

#define RAM 0x80000000ull
#define RAM_SIZE (8ull << 20)

static struct fx_mem mem;
static struct tr_features feat;
static unsigned long checks;

static int setup(void **state)
{
	(void)state;
	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, RAM, RAM_SIZE);
	tr_features_default(&feat);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fx_free(&mem);
	return 0;
}

static bool block_allowed(unsigned g, int level, bool ds)
{
	if (level == 3)
		return true;
	switch (g) {
	case 12: return level == 1 || level == 2 || (level == 0 && ds);
	case 14: return level == 2 || (level == 1 && ds);
	default: return level == 2 || level == 1; /* level 1: PAMax is 52 here */
	}
}

static unsigned tg0(unsigned g)
{
	return g == 12 ? 0 : g == 16 ? 1 : 2;
}

/* An input address inside the range, with a varied page offset. */
static uint64_t pick_ia(unsigned ia_bits, unsigned salt)
{
	uint64_t ia = 0x5a3c96e1d2b4f087ull * (salt + 1);

	return ia & ((1ull << ia_bits) - 1);
}

struct expect {
	bool ok;
	enum tr_fault_type type;
	int level;
};

static void check(bool ok, const struct tr_result *res, const struct tr_fault *f,
		  const struct expect *e, uint64_t want_oa, uint64_t bsize, bool stage2,
		  const char *what)
{
	checks++;
	if (ok != e->ok || (ok && (res->oa != want_oa || res->block_size != bsize)) ||
	    (!ok && (f->type != e->type || f->level != e->level || f->stage2 != stage2))) {
		print_error("%s: ok=%d oa=0x%llx bs=0x%llx fault=%d level=%d s2=%d; want ok=%d "
			    "oa=0x%llx bs=0x%llx fault=%d level=%d\n", what, ok,
			    (unsigned long long)res->oa, (unsigned long long)res->block_size,
			    f->type, f->level, f->stage2, e->ok, (unsigned long long)want_oa,
			    (unsigned long long)bsize, e->type, e->level);
		fail();
	}
}

/* ---- Stage 1 (EL1&0, TTBR0, stage 2 off) ---- */

static void s1_case(unsigned g, unsigned txsz, bool ds, int leaf, unsigned salt)
{
	struct tr_sysregs regs = { 0 };
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .mem = fx_ops(&mem) };
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_access wr = { .type = TR_ACC_WRITE, .el = 1 };
	unsigned ia_bits = 64 - txsz;
	int start = bld_s1_start(g, ia_bits);
	unsigned lsb = bld_lsb(g, leaf);
	uint64_t bsize = 1ull << lsb;
	uint64_t va = pick_ia(ia_bits, salt);
	uint64_t oa = (0x0000a5a5c3c3e000ull * (salt + 3)) & ((1ull << 48) - 1) & ~(bsize - 1);
	uint64_t slot, sh = ds ? 0 : 3ull << 8;
	struct tr_result res;
	struct tr_fault f;
	struct expect e;
	char what[128];
	bool ok;
	struct bld b;

	bld_init(&b, &mem, RAM, RAM_SIZE, g, ia_bits, start);
	b.ds = ds;
	regs.tcr_el1 = txsz | (uint64_t)tg0(g) << 14 | (ds ? 6ull : 5ull) << 32 | 1u << 23 |
		       (ds ? 1ull << 59 : 0) | (ds ? 3u << 12 : 0);
	regs.ttbr0_el1 = b.root;
	regs.sctlr_el1 = 1;
	regs.mair_el1 = 0xff;
	slot = bld_map(&b, va, oa, leaf, 1u << 10 | sh | 2u << 6 /* AP=10 RO */);
	snprintf(what, sizeof(what), "S1 g=%u txsz=%u ds=%d leaf=%d", g, txsz, ds, leaf);

	if (!block_allowed(g, leaf, ds)) {
		/* AArch64.BlockDescSupported(): a block here is invalid. */
		e = (struct expect){ false, TR_FAULT_TRANSLATION, leaf };
		ok = tr_translate(&ctx, TR_REGIME_EL10, va, &rd, &res, &f);
		check(ok, &res, &f, &e, 0, 0, false, what);
		return;
	}
	e = (struct expect){ true, TR_FAULT_NONE, 0 };
	ok = tr_translate(&ctx, TR_REGIME_EL10, va, &rd, &res, &f);
	check(ok, &res, &f, &e, oa | (va & (bsize - 1)), bsize, false, what);
	if (ok)
		assert_int_equal(res.level, leaf);
	/* AP[2]=1: read-only, a write is a Permission fault at the leaf level. */
	e = (struct expect){ false, TR_FAULT_PERMISSION, leaf };
	ok = tr_translate(&ctx, TR_REGIME_EL10, va, &wr, &res, &f);
	check(ok, &res, &f, &e, 0, 0, false, what);
	/* AF=0 with TCR.HA=0: Access flag fault. */
	fx_w64(&mem, slot, fx_r64(&mem, slot) & ~(1ull << 10));
	e = (struct expect){ false, TR_FAULT_ACCESS, leaf };
	ok = tr_translate(&ctx, TR_REGIME_EL10, va, &rd, &res, &f);
	check(ok, &res, &f, &e, 0, 0, false, what);
	/* Invalid leaf: Translation fault at that level. */
	fx_w64(&mem, slot, 0);
	e = (struct expect){ false, TR_FAULT_TRANSLATION, leaf };
	ok = tr_translate(&ctx, TR_REGIME_EL10, va, &rd, &res, &f);
	check(ok, &res, &f, &e, 0, 0, false, what);
	/* OA above IPS (40 bits): Address size fault at the leaf level. */
	if (!ds && bsize <= (1ull << 40)) {
		regs.tcr_el1 = (regs.tcr_el1 & ~(7ull << 32)) | 2ull << 32;
		bld_map(&b, va, (1ull << 41) | (oa & ((1ull << 41) - 1)), leaf,
			1u << 10 | sh);
		e = (struct expect){ false, TR_FAULT_ADDRSIZE, leaf };
		ok = tr_translate(&ctx, TR_REGIME_EL10, va, &rd, &res, &f);
		check(ok, &res, &f, &e, 0, 0, false, what);
	}
}

static void test_s1_matrix(void **state)
{
	static const unsigned grans[] = { 12, 14, 16 };
	unsigned salt = 0;

	(void)state;
	for (unsigned gi = 0; gi < 3; gi++) {
		unsigned g = grans[gi];
		unsigned maxt = g == 16 ? 47 : 48;	/* FEAT_TTST: AArch64.MaxTxSZ */

		for (int dsi = 0; dsi < 2; dsi++) {
			bool ds = dsi;
			unsigned mint = (ds || g == 16) ? 12 : 16; /* DS, or 64K with LVA */

			if (ds && g == 16)
				continue;
			for (unsigned txsz = mint; txsz <= maxt; txsz++) {
				int start = bld_s1_start(g, 64 - txsz);

				for (int leaf = start; leaf <= 3; leaf++)
					s1_case(g, txsz, ds, leaf, salt++);
			}
		}
	}
}

/* TxSZ outside [MinTxSZ, MaxTxSZ]: IMPDEF choice documented in params.c, a level 0
 * Translation fault (as QEMU); the VA outside the TTBR0 range: level 0 Translation fault
 * (AArch64.VAIsOutOfRange). */
static void test_s1_txsz_and_range(void **state)
{
	struct tr_sysregs regs = { 0 };
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .mem = fx_ops(&mem) };
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;

	(void)state;
	regs.sctlr_el1 = 1;
	regs.tcr_el1 = 15 | 5ull << 32;		/* T0SZ=15, 4K, no DS: below 16 */
	regs.ttbr0_el1 = RAM;
	assert_false(tr_translate(&ctx, TR_REGIME_EL10, 0x1000, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_TRANSLATION);
	assert_int_equal(f.level, 0);
	regs.tcr_el1 = 49 | 5ull << 32;		/* above 48 */
	assert_false(tr_translate(&ctx, TR_REGIME_EL10, 0x1000, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_TRANSLATION);
	regs.tcr_el1 = 25 | 5ull << 32;		/* 39-bit VA */
	assert_false(tr_translate(&ctx, TR_REGIME_EL10, 1ull << 39, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_TRANSLATION);
	assert_int_equal(f.level, 0);
	assert_false(f.stage2);
}

/* ---- Stage 2 (VTTBR/VTCR alone) ---- */

static bool sl_encodable(unsigned g, int start, bool ds, unsigned *sl0, bool *sl2)
{
	*sl2 = false;
	switch (g) {
	case 12:
		if (start == -1) {
			*sl2 = true;
			*sl0 = 0;
			return ds;
		}
		*sl0 = start == 3 ? 3 : (unsigned)(2 - start);
		return true;
	case 14:
		*sl0 = (unsigned)(3 - start);
		return start >= 1 || (start == 0 && ds);
	default:
		*sl0 = (unsigned)(3 - start);
		return start >= 1;
	}
}

static void s2_case(unsigned g, unsigned txsz, bool ds, int start, int leaf, unsigned salt)
{
	struct tr_sysregs regs = { 0 };
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .mem = fx_ops(&mem) };
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_access wr = { .type = TR_ACC_WRITE, .el = 1 };
	unsigned ia_bits = 64 - txsz, sl0;
	unsigned stride = g - 3;
	bool sl2, valid;
	unsigned resolved;
	uint64_t ipa = pick_ia(ia_bits, salt);
	struct tr_result res;
	struct tr_fault f;
	struct expect e;
	char what[128];
	bool ok;

	snprintf(what, sizeof(what), "S2 g=%u txsz=%u ds=%d start=%d leaf=%d", g, txsz, ds,
		 start, leaf);
	/* AArch64.S2InvalidSL / S2InconsistentSL: the start level must be encodable and
	 * resolve between 1 bit and one table plus 16 concatenated tables (no concatenation
	 * at level -1). */
	valid = sl_encodable(g, start, ds, &sl0, &sl2);
	resolved = ia_bits > bld_lsb(g, start) ? ia_bits - bld_lsb(g, start) : 0;
	if (resolved < 1 || resolved > (start == -1 ? 4 : stride + 4))
		valid = false;
	regs.vtcr_el2 = txsz | sl0 << 6 | (uint64_t)tg0(g) << 14 | (ds ? 6ull : 5ull) << 16 |
			(ds ? 1ull << 32 : 0) | (sl2 ? 1ull << 33 : 0) | 3u << 12;
	if (!valid) {
		regs.vttbr_el2 = RAM;
		e = (struct expect){ false, TR_FAULT_TRANSLATION, 0 };
		ok = tr_walk_s2(&ctx, ipa, &rd, &res, &f);
		check(ok, &res, &f, &e, 0, 0, true, what);
		if (!ok)
			assert_int_equal(f.ipa, ipa);
		return;
	}
	{
		struct bld b;
		unsigned lsb = bld_lsb(g, leaf);
		uint64_t bsize = 1ull << lsb;
		uint64_t oa = (0x00005a5a3c3c1000ull * (salt + 7)) & ((1ull << 48) - 1) &
			      ~(bsize - 1);
		uint64_t sh = ds ? 0 : 3ull << 8, slot;

		bld_init(&b, &mem, RAM, RAM_SIZE, g, ia_bits, start);
		b.ds = ds;
		regs.vttbr_el2 = b.root;
		/* MemAttr 1111 (WB), S2AP=01 (read-only), AF. */
		slot = bld_map(&b, ipa, oa, leaf, 0xfu << 2 | 1u << 6 | sh | 1u << 10);
		if (!block_allowed(g, leaf, ds)) {
			e = (struct expect){ false, TR_FAULT_TRANSLATION, leaf };
			ok = tr_walk_s2(&ctx, ipa, &rd, &res, &f);
			check(ok, &res, &f, &e, 0, 0, true, what);
			return;
		}
		e = (struct expect){ true, TR_FAULT_NONE, 0 };
		ok = tr_walk_s2(&ctx, ipa, &rd, &res, &f);
		check(ok, &res, &f, &e, oa | (ipa & (bsize - 1)), bsize, true, what);
		e = (struct expect){ false, TR_FAULT_PERMISSION, leaf };
		ok = tr_walk_s2(&ctx, ipa, &wr, &res, &f);
		check(ok, &res, &f, &e, 0, 0, true, what);
		if (!ok)
			assert_int_equal(f.ipa, ipa);
		fx_w64(&mem, slot, fx_r64(&mem, slot) & ~(1ull << 10));
		e = (struct expect){ false, TR_FAULT_ACCESS, leaf };
		ok = tr_walk_s2(&ctx, ipa, &rd, &res, &f);
		check(ok, &res, &f, &e, 0, 0, true, what);
		fx_w64(&mem, slot, 0);
		e = (struct expect){ false, TR_FAULT_TRANSLATION, leaf };
		ok = tr_walk_s2(&ctx, ipa, &rd, &res, &f);
		check(ok, &res, &f, &e, 0, 0, true, what);
	}
}

static void test_s2_matrix(void **state)
{
	static const unsigned grans[] = { 12, 14, 16 };
	unsigned salt = 0;

	(void)state;
	for (unsigned gi = 0; gi < 3; gi++) {
		unsigned g = grans[gi];
		unsigned maxt = g == 16 ? 47 : 48;

		for (int dsi = 0; dsi < 2; dsi++) {
			bool ds = dsi;
			/* AArch64.S2MinTxSZ with PAMax 52: 12 with DS or the 64K LPA format. */
			unsigned mint = (ds || g == 16) ? 12 : 16;

			if (ds && g == 16)
				continue;
			for (unsigned txsz = mint; txsz <= maxt; txsz++)
				/* VTCR.SL2 is RES0 without DS: level -1 needs 4K and DS. */
				for (int start = ds && g == 12 ? -1 : 0; start <= 3; start++)
					for (int leaf = start < 0 ? 0 : start; leaf <= 3; leaf++)
						s2_case(g, txsz, ds, start, leaf, salt++);
		}
	}
}

/* IPA beyond the VTCR.T0SZ range: level 0 stage-2 Translation fault
 * (AArch64.IPAIsOutOfRange). */
static void test_s2_ipa_range(void **state)
{
	struct tr_sysregs regs = { 0 };
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .mem = fx_ops(&mem) };
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;

	(void)state;
	regs.vtcr_el2 = 25 | 1u << 6 | 5ull << 16;
	regs.vttbr_el2 = RAM;
	assert_false(tr_walk_s2(&ctx, 1ull << 39, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_TRANSLATION);
	assert_int_equal(f.level, 0);
	assert_true(f.stage2);
	assert_int_equal(f.ipa, 1ull << 39);
}

static void test_count(void **state)
{
	(void)state;
	/* The matrix really ran (guards against a loop bound typo). */
	assert_true(checks > 1000);
	print_message("matrix checks: %lu\n", checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s1_matrix),
		cmocka_unit_test(test_s1_txsz_and_range),
		cmocka_unit_test(test_s2_matrix),
		cmocka_unit_test(test_s2_ipa_range),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests_name("translate_matrix", tests, setup, teardown);
}
