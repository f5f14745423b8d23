/* Drives every translate entry point once over a given state, checking the invariants
 * that hold for any input: faults carry a type and a level in [-1, 3], successes a
 * power-of-two block, PAR_EL1 bit 11 is set, the log count stays bounded. Shared by the
 * seeded random test and the libFuzzer target. */
#ifndef EL2EMU_TESTS_TRANSLATE_DRIVE_H
#define EL2EMU_TESTS_TRANSLATE_DRIVE_H

#include <stdlib.h>

#include "el2emu/translate.h"

/* Called on a broken invariant; the random test and the fuzzer both abort. */
static inline void drive_fail(const char *why)
{
	(void)why;
	abort();
}

static inline void drive_check(bool ok, const struct tr_result *r, const struct tr_fault *f)
{
	if (ok) {
		if (r->block_size & (r->block_size - 1))
			drive_fail("block size not a power of two");
	} else {
		if (f->type == TR_FAULT_NONE)
			drive_fail("fault without a type");
		if (f->level < -1 || f->level > 3)
			drive_fail("fault level out of range");
		if (f->type == TR_FAULT_ACCESS && f->level < 0)
			drive_fail("access flag fault at level -1");
	}
}

/* sel picks the entry point and its arguments, including out-of-range regimes and AT
 * operations (a caller bug must give a fault, not a crash). */
static inline void drive_one(struct tr_ctx *ctx, unsigned sel, uint64_t va)
{
	struct tr_access acc = { .type = (enum tr_acc_type)(sel % 3),
				 .el = (uint8_t)((sel >> 2) % 3),
				 .at = (sel >> 4) & 1, .pan = (sel >> 5) & 1 };
	struct tr_result res;
	struct tr_fault fault;
	bool ok;

	switch ((sel >> 6) % 4) {
	case 0: {
		uint64_t par = tr_at(ctx, (enum tr_at_op)((sel >> 8) % 11), va);

		if (!(par & (1u << 11)))
			drive_fail("PAR bit 11 clear");
		return;
	}
	case 1:
		ok = tr_translate(ctx, (enum tr_regime)((sel >> 8) % 5), va, &acc, &res, &fault);
		break;
	case 2:
		ok = tr_walk_s2(ctx, va, &acc, &res, &fault);
		break;
	default:
		ok = tr_walk_s1(ctx, (enum tr_regime)((sel >> 8) % 5), va, &acc, NULL, &res,
				&fault);
		break;
	}
	drive_check(ok, &res, &fault);
	if (ctx->log && ctx->log->n > 4 * TR_LOG_MAX)
		drive_fail("walk log count unbounded");
}

#endif
