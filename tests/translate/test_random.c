/* Robustness: one million walks over random descriptor values and random register and
 * feature values (seeded PRNG, reproducible). Guest-controlled input must never crash
 * the walker or break the invariants of drive.h; run under ASan/UBSan in CI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "compare.h"
#include "rng.h"
#include "fixture.h"
#include "drive.h"

#define RAM 0x40000000ull
#define RAM_SIZE (64u << 10)
#define WALKS 1000000u
#define REFILL 64u	/* new memory image every REFILL walks */

/* A random value that, three times in four, points into RAM (keeping random attribute
 * and type bits), so that walks go deep. */
static uint64_t rnd_ptr(void)
{
	uint64_t v = rnd();

	if ((v & 3) != 0)
		v = (v & 0xfff0000000000fffull) | ((RAM + (rnd() % RAM_SIZE)) & ~0xfffull);
	if ((v & 0x30) != 0x30)
		v |= 3;		/* mostly valid table (or page) descriptors */
	return v;
}

static void refill(struct fx_mem *m)
{
	for (uint64_t pa = RAM; pa < RAM + RAM_SIZE; pa += 8)
		fx_w64(m, pa, rnd_ptr());
}

static void randomize(struct tr_sysregs *r, struct tr_features *f)
{
	static const uint8_t pa[] = { 32, 36, 40, 42, 44, 48, 52 };
	uint64_t b = rnd();

	r->hcr_el2 = rnd();
	r->vtcr_el2 = rnd();
	r->vttbr_el2 = rnd_ptr();
	r->tcr_el2 = rnd();
	r->ttbr0_el2 = rnd_ptr();
	r->ttbr1_el2 = rnd_ptr();
	r->sctlr_el2 = rnd();
	r->mair_el2 = rnd();
	r->tcr_el1 = rnd();
	r->ttbr0_el1 = rnd_ptr();
	r->ttbr1_el1 = rnd_ptr();
	r->sctlr_el1 = rnd();
	r->mair_el1 = rnd();
	/* Bias towards enabled, legal configurations, so that walks happen: stage 1 on,
	 * EPD0/E0PD0 off, legal TxSZ. */
	if (b & 1) {
		r->sctlr_el1 |= 1;
		r->sctlr_el2 |= 1;
		r->tcr_el1 &= ~(1ull << 7 | 1ull << 55 | 7ull << 32);
		r->hcr_el2 &= ~(1ull << 12 | 1ull << 27);
		r->ttbr0_el1 &= ~0xfffull;
		r->ttbr0_el2 &= ~0xfffull;
		r->vttbr_el2 &= ~0xfffull;
		/* A consistent stage 2 half of the time (4K, 39-bit IPA, start level 1),
		 * or none. */
		if (b & 4)
			r->vtcr_el2 = (r->vtcr_el2 & ~0xcfffull) | 25 | 1u << 6;
		else
			r->hcr_el2 &= ~1ull;
		r->tcr_el1 = (r->tcr_el1 & ~0x3full) | (12 + rnd() % 37);
		r->tcr_el2 = (r->tcr_el2 & ~0x3full) | (12 + rnd() % 37);
		r->vtcr_el2 = (r->vtcr_el2 & ~0x3full) | (12 + rnd() % 37);
	}
	tr_features_default(f);
	if (b & 2) {
		f->pa_bits = pa[rnd() % 7];
		f->lpa = rnd() & 1;
		f->lpa2 = rnd() & 1;
		f->lva = rnd() & 1;
		f->hafdbs_af = rnd() & 1;
		f->hafdbs_dirty = rnd() & 1;
		f->xnx = rnd() & 1;
		f->ttst = rnd() & 1;
		f->gran4 = rnd() & 1;
		f->gran16_s2 = rnd() & 1;
	}
	if ((b & 0x18) == 0x18)
		f->pa_bits = (uint8_t)rnd();	/* out-of-spec caller values are clamped */
}

static void test_million_random_walks(void **state)
{
	struct fx_mem mem;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct tr_walk_log log;
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .log = &log };
	unsigned long ok = 0;

	(void)state;
	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, RAM, RAM_SIZE);
	ctx.mem = fx_ops(&mem);
	for (unsigned i = 0; i < WALKS; i++) {
		uint64_t sel = rnd();

		if (i % REFILL == 0) {
			refill(&mem);
			randomize(&regs, &feat);
		}
		ctx.no_side_effects = sel & (1u << 20);
		ctx.mem.cas64 = (sel & (1u << 21)) ? NULL : fx_cas64;
		ctx.log = (sel & (1u << 22)) ? NULL : &log;
		tr_log_reset(&log);
		{
			/* Input addresses: fully random, or small enough for most ranges. */
			uint64_t va = rnd();

			if (sel & (3u << 23))
				va &= (1ull << (20 + (sel >> 24) % 32)) - 1;
			drive_one(&ctx, (unsigned)sel, va);
		}
		ok += log.n > 1;
	}
	fx_free(&mem);
	/* The biasing works: thousands of walks get past the first descriptor. */
	print_message("walks with >1 descriptor read: %lu of %u\n", ok, WALKS);
	assert_true(ok > WALKS / 200);
}

/* The walk log and the hook path are observers: a translation with the log gives the
 * same answer as without it, and tr_walk_s1 with an external stage-2 hook (wrapping
 * tr_walk_s2) the same as the builtin two-stage walk. Inspection walks only, so that
 * hardware updates do not change memory between the two. */
static bool wrap_s2(void *vctx, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
		    struct tr_result *out, struct tr_fault *fault)
{
	const struct tr_ctx *c = vctx;

	if (tr_walk_s2(c, ipa, acc, out, fault))
		return true;
	fault->s1ptw = s1ptw;
	return false;
}

static void test_observers_do_not_change_answers(void **state)
{
	struct fx_mem mem;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct tr_walk_log log;
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .no_side_effects = true };
	struct tr_s2_hook hook = { wrap_s2, &ctx };

	(void)state;
	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, RAM, RAM_SIZE);
	ctx.mem = fx_ops(&mem);
	for (unsigned i = 0; i < WALKS / 10; i++) {
		struct tr_access acc = { .type = (enum tr_acc_type)(i % 3), .el = (uint8_t)(i % 2) };
		struct tr_result r1, r2;
		struct tr_fault f1, f2;
		uint64_t va = rnd() & ((1ull << (20 + i % 32)) - 1);
		bool ok1, ok2;

		if (i % REFILL == 0) {
			refill(&mem);
			randomize(&regs, &feat);
			regs.hcr_el2 = (regs.hcr_el2 & ~(1ull << 27 | 1ull << 12)) | 1;
		}
		ctx.log = NULL;
		ok1 = tr_translate(&ctx, TR_REGIME_EL10, va, &acc, &r1, &f1);
		ctx.log = &log;
		tr_log_reset(&log);
		ok2 = tr_translate(&ctx, TR_REGIME_EL10, va, &acc, &r2, &f2);
		expect_same_outcome(ok1, &r1, &f1, ok2, &r2, &f2);
		ctx.log = NULL;
		ok2 = tr_walk_s1(&ctx, TR_REGIME_EL10, va, &acc, &hook, &r2, &f2);
		expect_same_outcome(ok1, &r1, &f1, ok2, &r2, &f2);
	}
	fx_free(&mem);
}

/* The register-decode cache (tr_ctx.cache) never changes an answer: the same walks with
 * and without it agree on every field, while single register and feature bits change
 * between walks (the cache must notice each change) and every regime, range and AT
 * operation is used. */
static void test_cache_gives_same_answers(void **state)
{
	static struct tr_cache cache;
	struct fx_mem mem;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct tr_ctx plain = { .regs = &regs, .feat = &feat, .no_side_effects = true };
	struct tr_ctx cached = plain;
	unsigned changed = 0;

	(void)state;
	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, RAM, RAM_SIZE);
	plain.mem = fx_ops(&mem);
	cached.mem = plain.mem;
	cached.cache = &cache;
	for (unsigned i = 0; i < WALKS / 5; i++) {
		struct tr_access acc = { .type = (enum tr_acc_type)(i % 3), .el = (uint8_t)(i % 3),
					 .pan = i & 8 };
		enum tr_regime regime = (enum tr_regime)((i / 3) % 4);
		struct tr_result r1, r2;
		struct tr_fault f1, f2;
		uint64_t va = rnd();
		bool ok1, ok2;

		if (i & 16)
			va &= (1ull << (20 + i % 32)) - 1;
		if (i % REFILL == 0) {
			refill(&mem);
			randomize(&regs, &feat);
		} else if (i % 3 == 0) {
			/* One bit of one register or feature byte flips under the cache. */
			uint64_t w[sizeof(regs) / 8];
			unsigned char *fb = (unsigned char *)&feat + rnd() % sizeof(feat);

			if (rnd() & 1) {
				memcpy(w, &regs, sizeof(regs));
				w[rnd() % (sizeof(regs) / 8)] ^= 1ull << (rnd() % 64);
				memcpy(&regs, w, sizeof(regs));
			} else if (fb == &feat.pa_bits) {
				feat.pa_bits = (uint8_t)(32 + 4 * (rnd() % 6));
			} else {
				*fb = !*fb;
			}
			changed++;
		}
		ok1 = tr_translate(&plain, regime, va, &acc, &r1, &f1);
		ok2 = tr_translate(&cached, regime, va, &acc, &r2, &f2);
		expect_same_answer(ok1, &r1, &f1, ok2, &r2, &f2);
		{
			enum tr_at_op op = (enum tr_at_op)(i % 10);

			assert_int_equal(tr_at(&plain, op, va), tr_at(&cached, op, va));
		}
	}
	fx_free(&mem);
	assert_true(changed > WALKS / 50);
}

/* A stage-2 hook that answers with a stage-1 walk under other registers (ctx->regs of its
 * own context): a walk nested in the outer one, sharing the outer one's cache when the
 * test says so. */
static bool nested_s1(void *vctx, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
		      struct tr_result *out, struct tr_fault *fault)
{
	const struct tr_ctx *c = vctx;

	if (tr_translate(c, TR_REGIME_EL10, ipa, acc, out, fault))
		return true;
	fault->stage2 = true;
	fault->s1ptw = s1ptw;
	fault->ipa = ipa;
	return false;
}

/* Nested walks on one cache: the inner walk (other registers, the same stage-1 slot) must
 * not change the parameters the outer walk is using. Answers equal those without a
 * cache. */
static void test_cache_nested_walks(void **state)
{
	static struct tr_cache cache;
	struct fx_mem mem;
	struct tr_sysregs regs, regs2;
	struct tr_features feat;
	struct tr_ctx in_plain = { .regs = &regs2, .feat = &feat, .no_side_effects = true };
	struct tr_ctx in_cached = in_plain;
	struct tr_s2_hook h_plain = { nested_s1, &in_plain }, h_cached = { nested_s1, &in_cached };
	struct tr_ctx plain = { .regs = &regs, .feat = &feat, .no_side_effects = true,
				.s2_hook = &h_plain };
	struct tr_ctx cached = plain;
	unsigned deep = 0;

	(void)state;
	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, RAM, RAM_SIZE);
	in_plain.mem = in_cached.mem = plain.mem = cached.mem = fx_ops(&mem);
	in_cached.cache = cached.cache = &cache;
	cached.s2_hook = &h_cached;
	for (unsigned i = 0; i < WALKS / 10; i++) {
		struct tr_access acc = { .type = (enum tr_acc_type)(i % 3),
					 .el = (uint8_t)(i % 2) };
		struct tr_result r1, r2;
		struct tr_fault f1, f2;
		uint64_t va = rnd() & ((1ull << (20 + i % 32)) - 1);
		bool ok1, ok2;

		if (i % REFILL == 0) {
			refill(&mem);
			randomize(&regs2, &feat);
			randomize(&regs, &feat);
			regs.hcr_el2 = (regs.hcr_el2 & ~(1ull << 27 | 1ull << 12)) | 1;
			regs2.hcr_el2 &= ~1ull;
			/* The same translation regime shape, other tables. */
			regs2.tcr_el1 = regs.tcr_el1;
			regs2.sctlr_el1 = regs.sctlr_el1;
		}
		ok1 = tr_translate(&plain, TR_REGIME_EL10, va, &acc, &r1, &f1);
		ok2 = tr_translate(&cached, TR_REGIME_EL10, va, &acc, &r2, &f2);
		expect_same_answer(ok1, &r1, &f1, ok2, &r2, &f2);
		deep += ok1 || f1.stage2;
	}
	fx_free(&mem);
	assert_true(deep > 0);
}

/* Two-stage walks that succeed, with and without the cache: a 39-bit stage 1 (4K, levels
 * 1-3) under a stage 2 that maps the RAM with one 1GB block (IPA = PA), laid out by hand
 * from the descriptor formats (Arm ARM D8.3). Random MAIR, SCTLR.C/I, HCR_EL2.FWB/CD/ID
 * (changed every 8 walks) and random leaf attributes at both stages (every walk): the
 * cached attribute, permission and combination tables must give the answers of a
 * decode. */
static void test_cache_two_stage_attributes(void **state)
{
	static struct tr_cache cache;
	const uint64_t s2 = RAM, s1 = RAM + 0x1000, va = 0x12345000, page = RAM + 0x8000;
	struct fx_mem mem;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct tr_ctx plain = { .regs = &regs, .feat = &feat, .no_side_effects = true };
	struct tr_ctx cached = plain;
	unsigned ok = 0;

	(void)state;
	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, RAM, RAM_SIZE);
	plain.mem = cached.mem = fx_ops(&mem);
	cached.cache = &cache;
	tr_features_default(&feat);
	memset(&regs, 0, sizeof(regs));
	/* VTCR_EL2: T0SZ=25, SL0=01 (level 1), 4K, PS=40 bits; VTTBR_EL2: the level-1 table. */
	regs.vtcr_el2 = 25 | 1u << 6 | 2u << 16;
	regs.vttbr_el2 = s2;
	/* TCR_EL1: T0SZ=25, 4K, EPD1, IPS=40 bits. */
	regs.tcr_el1 = 25 | 1u << 23 | 2ull << 32;
	regs.ttbr0_el1 = s1;
	/* Stage 1: level 1 -> level 2 -> level 3 tables, all IPAs inside the block. */
	fx_w64(&mem, s1 + 8 * ((va >> 30) & 511), (s1 + 0x1000) | 3);
	fx_w64(&mem, s1 + 0x1000 + 8 * ((va >> 21) & 511), (s1 + 0x2000) | 3);
	for (unsigned i = 0; i < WALKS / 10; i++) {
		struct tr_access acc = { .type = (enum tr_acc_type)(rnd() % 3),
					 .el = (uint8_t)(rnd() % 2), .pan = rnd() & 1 };
		uint64_t r = rnd();
		struct tr_result r1, r2;
		struct tr_fault f1, f2;
		bool ok1, ok2;

		if (i % 8 == 0) {
			regs.mair_el1 = rnd();
			regs.sctlr_el1 = 1 | (rnd() & (1u << 2 | 1u << 12 | 1u << 19));
			regs.hcr_el2 = 1 | (rnd() & (1ull << 46 | 1ull << 32 | 1ull << 33));
		}
		/* Stage-2 1GB block: AF and S2AP[0] (readable), S2AP[1], MemAttr[3:0],
		 * SH[1:0], XN[1:0] random. */
		fx_w64(&mem, s2 + 8 * 1, RAM | 1 | 1u << 10 | 1u << 6 | (r & (0xffull << 2)) |
			   ((r >> 8) & 3) << 53);
		/* Stage-1 page: AF, AttrIndx, AP[2:1], SH, nG, PXN/UXN random. */
		fx_w64(&mem, s1 + 0x2000 + 8 * ((va >> 12) & 511), page | 3 | 1u << 10 |
			   ((r >> 16) & 0x9fcull) | ((r >> 32) & 3) << 53);
		ok1 = tr_translate(&plain, TR_REGIME_EL10, va | (r & 0xfff), &acc, &r1, &f1);
		ok2 = tr_translate(&cached, TR_REGIME_EL10, va | (r & 0xfff), &acc, &r2, &f2);
		expect_same_answer(ok1, &r1, &f1, ok2, &r2, &f2);
		if (ok1)
			assert_int_equal(r1.s2_memattr, r2.s2_memattr);
		assert_int_equal(tr_at(&plain, (enum tr_at_op)(TR_AT_S12E1R + (i % 4)), va),
				 tr_at(&cached, (enum tr_at_op)(TR_AT_S12E1R + (i % 4)), va));
		ok += ok1;
	}
	fx_free(&mem);
	/* Many walks get through both stages (the rest are permission faults). */
	assert_true(ok > WALKS / 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_million_random_walks),
		cmocka_unit_test(test_observers_do_not_change_answers),
		cmocka_unit_test(test_cache_gives_same_answers),
		cmocka_unit_test(test_cache_nested_walks),
		cmocka_unit_test(test_cache_two_stage_attributes),
	};

	return cmocka_run_group_tests_name("translate_random", tests, NULL, NULL);
}
