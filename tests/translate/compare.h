/* The comparison of two answers to the same walk, every member of the result (success)
 * and of the fault record: shared by the randomised translate tests and the fuzzer.
 * EXPECT_EQ is cmocka's assert_int_equal unless the includer defines its own. */
#ifndef EL2EMU_TESTS_TRANSLATE_COMPARE_H
#define EL2EMU_TESTS_TRANSLATE_COMPARE_H

#include "el2emu/translate.h"

#ifndef EXPECT_EQ
#define EXPECT_EQ(a, b) assert_int_equal(a, b)
#endif

/* What any two ways of making a translation must agree on: success, the output, its
 * level, attributes and permissions, or the fault's kind, level and stage. */
static inline void expect_same_outcome(bool ok1, const struct tr_result *r1,
				       const struct tr_fault *f1, bool ok2,
				       const struct tr_result *r2, const struct tr_fault *f2)
{
	EXPECT_EQ(ok1, ok2);
	if (ok1) {
		EXPECT_EQ(r1->oa, r2->oa);
		EXPECT_EQ(r1->level, r2->level);
		EXPECT_EQ(r1->attr, r2->attr);
		EXPECT_EQ(r1->sh, r2->sh);
		EXPECT_EQ(r1->perms, r2->perms);
	} else {
		EXPECT_EQ(f1->type, f2->type);
		EXPECT_EQ(f1->level, f2->level);
		EXPECT_EQ(f1->stage2, f2->stage2);
		EXPECT_EQ(f1->s1ptw, f2->s1ptw);
	}
}

/* The same walk made two ways (with and without the decode cache): every member. */
static inline void expect_same_answer(bool ok1, const struct tr_result *r1,
				      const struct tr_fault *f1, bool ok2,
				      const struct tr_result *r2, const struct tr_fault *f2)
{
	expect_same_outcome(ok1, r1, f1, ok2, r2, f2);
	if (ok1) {
		EXPECT_EQ(r1->ipa, r2->ipa);
		EXPECT_EQ(r1->block_size, r2->block_size);
		EXPECT_EQ(r1->desc, r2->desc);
		EXPECT_EQ(r1->contiguous, r2->contiguous);
		EXPECT_EQ(r1->ng, r2->ng);
		EXPECT_EQ(r1->s2_valid, r2->s2_valid);
		EXPECT_EQ(r1->s2_level, r2->s2_level);
		EXPECT_EQ(r1->s2_block_size, r2->s2_block_size);
		EXPECT_EQ(r1->s2_desc, r2->s2_desc);
		EXPECT_EQ(r1->s2ap, r2->s2ap);
		EXPECT_EQ(r1->s2_xn, r2->s2_xn);
		EXPECT_EQ(r1->s2_memattr, r2->s2_memattr);
		EXPECT_EQ(r1->s2_sh, r2->s2_sh);
		EXPECT_EQ(r1->s2_contiguous, r2->s2_contiguous);
		EXPECT_EQ(r1->s1_attr, r2->s1_attr);
		EXPECT_EQ(r1->s1_sh, r2->s1_sh);
		EXPECT_EQ(r1->asid, r2->asid);
		EXPECT_EQ(r1->hw_updated, r2->hw_updated);
	}
	EXPECT_EQ(f1->type, f2->type);
	EXPECT_EQ(f1->level, f2->level);
	EXPECT_EQ(f1->stage2, f2->stage2);
	EXPECT_EQ(f1->s1ptw, f2->s1ptw);
	EXPECT_EQ(f1->write, f2->write);
	EXPECT_EQ(f1->ipa, f2->ipa);
	EXPECT_EQ(f1->va, f2->va);
	EXPECT_EQ(f1->pa, f2->pa);
}

#endif
