/* Shared by the randomised translate tests: a seeded PRNG (splitmix64, reproducible) and
 * the comparison of two answers to the same walk, every member of the result (success) or
 * of the fault record. */
#ifndef EL2EMU_TESTS_TRANSLATE_COMPARE_H
#define EL2EMU_TESTS_TRANSLATE_COMPARE_H

#include "el2emu/translate.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static inline uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void expect_same_answer(bool ok1, const struct tr_result *r1,
				      const struct tr_fault *f1, bool ok2,
				      const struct tr_result *r2, const struct tr_fault *f2)
{
	assert_int_equal(ok1, ok2);
	if (ok1) {
		assert_int_equal(r1->oa, r2->oa);
		assert_int_equal(r1->ipa, r2->ipa);
		assert_int_equal(r1->level, r2->level);
		assert_int_equal(r1->block_size, r2->block_size);
		assert_int_equal(r1->desc, r2->desc);
		assert_int_equal(r1->attr, r2->attr);
		assert_int_equal(r1->sh, r2->sh);
		assert_int_equal(r1->perms, r2->perms);
		assert_int_equal(r1->contiguous, r2->contiguous);
		assert_int_equal(r1->ng, r2->ng);
		assert_int_equal(r1->s2_valid, r2->s2_valid);
		assert_int_equal(r1->s2_level, r2->s2_level);
		assert_int_equal(r1->s2_block_size, r2->s2_block_size);
		assert_int_equal(r1->s2_desc, r2->s2_desc);
		assert_int_equal(r1->s2ap, r2->s2ap);
		assert_int_equal(r1->s2_xn, r2->s2_xn);
		assert_int_equal(r1->s2_memattr, r2->s2_memattr);
		assert_int_equal(r1->s2_sh, r2->s2_sh);
		assert_int_equal(r1->s2_contiguous, r2->s2_contiguous);
		assert_int_equal(r1->s1_attr, r2->s1_attr);
		assert_int_equal(r1->s1_sh, r2->s1_sh);
		assert_int_equal(r1->asid, r2->asid);
		assert_int_equal(r1->hw_updated, r2->hw_updated);
	}
	assert_int_equal(f1->type, f2->type);
	assert_int_equal(f1->level, f2->level);
	assert_int_equal(f1->stage2, f2->stage2);
	assert_int_equal(f1->s1ptw, f2->s1ptw);
	assert_int_equal(f1->write, f2->write);
	assert_int_equal(f1->ipa, f2->ipa);
	assert_int_equal(f1->va, f2->va);
	assert_int_equal(f1->pa, f2->pa);
}

#endif
