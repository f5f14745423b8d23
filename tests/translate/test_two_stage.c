/* The two-stage EL1&0 walk: the four-way fault matrix of stage 1 via stage 2 (data page
 * unmapped, table page unmapped, data page write-protected, table page write-protected),
 * the 24 descriptor reads of a 4+4-level walk, and hardware AF updates through stage 2.
 * Expected values follow the Arm ARM: a stage-2 fault on a stage-1 table access is a
 * stage-2 fault with S1PTW=1 that reports the stage-2 level (AArch64.S2Translate called
 * from AArch64.S1Walk; shared/notes/qemu-oracle.md section 8 for QEMU 7.2's deviation);
 * PAR_EL1 fault form F=1, FST, PTW (bit 8), S (bit 9), bit 11 RES1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "builder.h"

#define RAM 0x40000000ull
#define RAM_SIZE (8ull << 20)
#define S2_POOL (RAM + 0x400000)	/* stage-2 tables live in the upper half */
#define S1_POOL RAM			/* stage-1 tables (IPA = PA) in the lower half */
#define VA 0x0000123456789abcull
#define DATA_IPA 0x40300000ull		/* the data page */
#define S2_PAGE (1u << 10 | 3u << 8 | 3u << 6 | 0xfu << 2)	/* AF, ISH, RW, WB */

struct two {
	struct fx_mem mem;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct bld s1, s2;
	uint64_t s1_leaf_slot;
	uint64_t s1_tables[4];	/* IPA of the stage-1 table at each level */
};

static uint64_t s2_slot_of(struct two *t, uint64_t ipa)
{
	return bld_slot(&t->s2, ipa, 3, 0);
}

static int setup(void **state)
{
	struct two *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	fx_add_ram(&t->mem, RAM, RAM_SIZE);
	tr_features_default(&t->feat);
	/* Stage 2: 4K, T0SZ=16, SL0=2 (level 0), identity 4K pages over the S1 pool and the
	 * data page. */
	bld_init(&t->s2, &t->mem, S2_POOL, 0x400000, 12, 48, 0);
	for (uint64_t a = S1_POOL; a < S1_POOL + 0x10000; a += 0x1000)
		bld_map(&t->s2, a, a, 3, S2_PAGE);
	bld_map(&t->s2, DATA_IPA, DATA_IPA, 3, S2_PAGE);
	/* Stage 1: 4K, T0SZ=16, 4 levels; tables from the S1 pool (IPA = PA). */
	bld_init(&t->s1, &t->mem, S1_POOL, 0x10000, 12, 48, 0);
	t->s1_leaf_slot = bld_map(&t->s1, VA, DATA_IPA, 3, 1u << 10 | 3u << 8 | 1u << 6);
	t->s1_tables[0] = t->s1.root;
	for (int l = 1; l < 4; l++)
		t->s1_tables[l] = bld_slot(&t->s1, VA, l, 0) & ~0xfffull;
	t->regs.vtcr_el2 = 16 | 2u << 6 | 3u << 12 | 5ull << 16;
	t->regs.vttbr_el2 = t->s2.root;
	t->regs.tcr_el1 = 16 | 5ull << 32 | 1u << 23 | 3u << 12;
	t->regs.ttbr0_el1 = t->s1.root;
	t->regs.sctlr_el1 = 1 | 1u << 2;
	t->regs.mair_el1 = 0xff;
	t->regs.hcr_el2 = 1;	/* VM */
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct two *t = *state;

	fx_free(&t->mem);
	free(t);
	return 0;
}

static struct tr_ctx ctx_of(struct two *t, struct tr_walk_log *log)
{
	struct tr_ctx c = { .regs = &t->regs, .feat = &t->feat, .mem = fx_ops(&t->mem),
			    .log = log };

	return c;
}

static void test_success_24_reads(void **state)
{
	struct two *t = *state;
	struct tr_walk_log log;
	struct tr_ctx c = ctx_of(t, &log);
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;

	tr_log_reset(&log);
	assert_true(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_int_equal(res.oa, DATA_IPA | 0xabc);
	assert_int_equal(res.ipa, DATA_IPA | 0xabc);
	assert_int_equal(res.level, 3);
	assert_int_equal(res.s2_level, 3);
	/* 4 stage-1 levels, each preceded by a 4-level stage-2 walk, plus 4 for the
	 * output: 4 * (4 + 1) + 4 = 24. */
	assert_int_equal(log.n, 24);
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(log.e[i].stage, i % 5 == 4 ? 1 : 2);
	for (unsigned i = 20; i < 24; i++) {
		assert_int_equal(log.e[i].stage, 2);
		assert_false(log.e[i].s1ptw);
	}
	/* The S1 level-2 read: table IPA = PA here. */
	assert_int_equal(log.e[14].level, 2);
	assert_int_equal(log.e[14].table_ia, t->s1_tables[2]);
	assert_int_equal(log.e[14].table_pa, t->s1_tables[2]);
	assert_int_equal(log.e[14].index, (VA >> 21) & 511);
}

/* (1) Data page unmapped at stage 2: stage-2 Translation fault, level 3, S1PTW=0. */
static void test_data_page_unmapped(void **state)
{
	struct two *t = *state;
	struct tr_ctx c = ctx_of(t, NULL);
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;

	fx_w64(&t->mem, s2_slot_of(t, DATA_IPA), 0);
	assert_false(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_TRANSLATION);
	assert_int_equal(f.level, 3);
	assert_true(f.stage2);
	assert_false(f.s1ptw);
	assert_int_equal(f.ipa, DATA_IPA | 0xabc);
	assert_int_equal(f.va, VA);
	assert_int_equal(tr_fault_fsc(&f), 0x07);
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA), 0xa0f);
	/* AT S1E1R does not translate the output: it succeeds with the IPA. */
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, VA) & 0xfffffffff001ull, DATA_IPA);
}

/* (2) Table page unmapped at stage 2: stage-2 Translation fault with S1PTW=1, reported
 * at the stage-2 level, IPA = the stage-1 descriptor's address. */
static void test_table_page_unmapped(void **state)
{
	struct two *t = *state;
	struct tr_ctx c = ctx_of(t, NULL);
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;
	uint64_t desc_ipa = t->s1_tables[2] + 8 * ((VA >> 21) & 511);

	fx_w64(&t->mem, s2_slot_of(t, t->s1_tables[2]), 0);
	assert_false(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_TRANSLATION);
	assert_int_equal(f.level, 3);
	assert_true(f.stage2);
	assert_true(f.s1ptw);
	assert_int_equal(f.ipa, desc_ipa);
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA), 0xb0f);
	assert_int_equal(tr_at(&c, TR_AT_S1E1R, VA), 0xb0f);
}

/* (2b) The stage-2 level is reported: an unmapped stage-2 level 1 entry gives level 1. */
static void test_table_unmapped_s2_level1(void **state)
{
	struct two *t = *state;
	struct tr_ctx c = ctx_of(t, NULL);
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;

	/* Move the stage-1 root to IPA 0x80000000, not mapped at stage-2 level 1. */
	t->regs.ttbr0_el1 = 0x80000000;
	assert_false(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_TRANSLATION);
	assert_int_equal(f.level, 1);
	assert_true(f.s1ptw);
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA), 0xb0b);
}

/* (3) Data page write-protected at stage 2 (S2AP=01): reads succeed, a write is a
 * stage-2 Permission fault, level 3, S1PTW=0. */
static void test_data_page_write_protected(void **state)
{
	struct two *t = *state;
	struct tr_ctx c = ctx_of(t, NULL);
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_access wr = { .type = TR_ACC_WRITE, .el = 1 };
	struct tr_result res;
	struct tr_fault f;
	uint64_t slot = s2_slot_of(t, DATA_IPA);

	fx_w64(&t->mem, slot, fx_r64(&t->mem, slot) & ~(1ull << 7));
	assert_true(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_int_equal(res.perms & (TR_PERM_W1 | TR_PERM_W0), 0);
	assert_false(tr_translate(&c, TR_REGIME_EL10, VA, &wr, &res, &f));
	assert_int_equal(f.type, TR_FAULT_PERMISSION);
	assert_int_equal(f.level, 3);
	assert_true(f.stage2);
	assert_false(f.s1ptw);
	assert_true(f.write);
	assert_int_equal(tr_at(&c, TR_AT_S12E1W, VA), 0xa1f);
}

/* (4) Table page write-protected at stage 2: walks only read, so translations succeed;
 * but a hardware AF update of the stage-1 descriptor is a write through stage 2 and takes
 * a stage-2 Permission fault with S1PTW=1 (AArch64.S1Translate, descriptor update). */
static void test_table_page_write_protected(void **state)
{
	struct two *t = *state;
	struct tr_ctx c = ctx_of(t, NULL);
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;
	uint64_t slot = s2_slot_of(t, t->s1_tables[3]);
	uint64_t leaf_ipa = t->s1_leaf_slot;	/* IPA = PA for the stage-1 pool */

	fx_w64(&t->mem, slot, fx_r64(&t->mem, slot) & ~(1ull << 7));
	assert_true(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_int_equal(tr_at(&c, TR_AT_S12E1W, VA) & 1, 0);

	/* AF=0 with TCR_EL1.HA=1: the update needs stage-2 write permission. */
	fx_w64(&t->mem, t->s1_leaf_slot, fx_r64(&t->mem, t->s1_leaf_slot) & ~(1ull << 10));
	t->regs.tcr_el1 |= 1ull << 39;
	assert_false(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_PERMISSION);
	assert_int_equal(f.level, 3);
	assert_true(f.stage2);
	assert_true(f.s1ptw);
	assert_int_equal(f.ipa, leaf_ipa);
	assert_int_equal(fx_r64(&t->mem, t->s1_leaf_slot) & (1ull << 10), 0);

	/* Writable again: the update happens, through stage 2, and the walk succeeds. */
	fx_w64(&t->mem, slot, fx_r64(&t->mem, slot) | (1ull << 7));
	assert_true(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_true(res.hw_updated);
	assert_int_not_equal(fx_r64(&t->mem, t->s1_leaf_slot) & (1ull << 10), 0);
}

/* A stage-2 Access flag fault on a table page: S1PTW=1, FST 0b0010LL. */
static void test_table_page_s2_af(void **state)
{
	struct two *t = *state;
	struct tr_ctx c = ctx_of(t, NULL);
	uint64_t slot = s2_slot_of(t, t->s1_tables[1]);

	fx_w64(&t->mem, slot, fx_r64(&t->mem, slot) & ~(1ull << 10));
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA), 0xb17);
	/* With VTCR_EL2.HA the walk sets it instead. */
	t->regs.vtcr_el2 |= 1u << 21;
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA) & 1, 0);
	assert_int_not_equal(fx_r64(&t->mem, slot) & (1ull << 10), 0);
}

/* HCR_EL2.PTW=1: a stage-1 walk access to stage-2 Device memory is a stage-2 Permission
 * fault (AArch64.S2CheckPermissions). */
static void test_ptw_device(void **state)
{
	struct two *t = *state;
	struct tr_ctx c = ctx_of(t, NULL);
	uint64_t slot = s2_slot_of(t, t->s1_tables[0]);

	fx_w64(&t->mem, slot, fx_r64(&t->mem, slot) & ~(0xfull << 2));	/* Device-nGnRnE */
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA) & 1, 0);
	t->regs.hcr_el2 |= 1u << 2;
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA), 0xb1f);
}

/* HCR_EL2.CD: stage-2 Normal data memory is Non-cacheable (PAR ATTR 0x44, SH 0b10);
 * HCR_EL2.TGE: VM behaves as 0 and the EL1&0 stage 1 as disabled (flat, Device-nGnRnE). */
static void test_hcr_cd_tge(void **state)
{
	struct two *t = *state;
	struct tr_ctx c = ctx_of(t, NULL);

	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA), 0xff00000040300b80ull);
	t->regs.hcr_el2 |= 1ull << 32;
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA), 0x4400000040300b00ull);
	t->regs.hcr_el2 = 1 | 1ull << 27;
	assert_int_equal(tr_at(&c, TR_AT_S12E1R, VA), 0x0000123456789b00ull);
}

/* A caller-provided stage 2 (the shadow stage 2 plugs in this way) sees every table
 * address with s1ptw=true and the output with s1ptw=false. */
struct hook_state {
	unsigned ptw, out;
	uint64_t offset;
};

static bool offset_hook(void *vctx, uint64_t ipa, const struct tr_access *acc, bool s1ptw,
			struct tr_result *out, struct tr_fault *fault)
{
	struct hook_state *h = vctx;

	(void)acc;
	(void)fault;
	if (s1ptw)
		h->ptw++;
	else
		h->out++;
	memset(out, 0, sizeof(*out));
	out->oa = ipa + h->offset;
	out->attr = 0xff;
	out->sh = 3;
	out->perms = 0x3f;
	return true;
}

static void test_custom_hook(void **state)
{
	struct two *t = *state;
	struct hook_state h = { 0, 0, 0 };
	struct tr_s2_hook hook = { offset_hook, &h };
	struct tr_ctx c = ctx_of(t, NULL);
	struct tr_access rd = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault f;

	assert_true(tr_walk_s1(&c, TR_REGIME_EL10, VA, &rd, &hook, &res, &f));
	assert_int_equal(h.ptw, 4);
	assert_int_equal(h.out, 1);
	assert_int_equal(res.oa, DATA_IPA | 0xabc);
	assert_int_equal(res.attr, 0xff);
	/* Through ctx->s2_hook, tr_translate uses it too. */
	c.s2_hook = &hook;
	h.offset = 0x1000000000ull;
	h.ptw = h.out = 0;
	/* Table IPAs now land outside RAM: external abort on the stage-1 walk, level 0. */
	assert_false(tr_translate(&c, TR_REGIME_EL10, VA, &rd, &res, &f));
	assert_int_equal(f.type, TR_FAULT_EXT_ABORT_WALK);
	assert_int_equal(f.level, 0);
	assert_false(f.stage2);
	assert_int_equal(tr_fault_fsc(&f), 0x14);
	assert_int_equal(h.ptw, 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_success_24_reads),
		T(test_data_page_unmapped),
		T(test_table_page_unmapped),
		T(test_table_unmapped_s2_level1),
		T(test_data_page_write_protected),
		T(test_table_page_write_protected),
		T(test_table_page_s2_af),
		T(test_ptw_device),
		T(test_hcr_cd_tge),
		T(test_custom_hook),
	};

	return cmocka_run_group_tests_name("translate_two_stage", tests, NULL, NULL);
}
