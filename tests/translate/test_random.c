/* Robustness: one million walks over random descriptor values and random register and
 * feature values (seeded PRNG, reproducible). Guest-controlled input must never crash
 * the walker or break the invariants of drive.h; run under ASan/UBSan in CI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fixture.h"
#include "drive.h"

#define RAM 0x40000000ull
#define RAM_SIZE (64u << 10)
#define WALKS 1000000u
#define REFILL 64u	/* new memory image every REFILL walks */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_million_random_walks),
	};

	return cmocka_run_group_tests_name("translate_random", tests, NULL, NULL);
}
