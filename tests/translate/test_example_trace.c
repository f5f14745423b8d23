/* Reproduces every PAR_EL1 value of shared/examples/two-stage-4k.trace by building exactly
 * those registers and tables in fixture memory. The expected values are the trace's:
 * QEMU 10.0.2 answers, checked there against a reference model written from the Arm ARM
 * pseudocode (architectural except the documented IMPDEF bits, NS=1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fixture.h"

static struct fx_mem mem;
static struct tr_sysregs regs;
static struct tr_features feat;

static void build(void)
{
	static const uint64_t d[][2] = {
		/* stage 2 */
		{ 0x70000008, 0x0000000070001003 }, { 0x70000010, 0x0000000070002003 },
		{ 0x70001000, 0x00000000702007fd }, { 0x70002000, 0x00000000704007fd },
		{ 0x70002008, 0x0000000070003003 }, { 0x70003000, 0x00000000706007ff },
		{ 0x70003008, 0x00000000706017ff }, { 0x70003018, 0x000000007060377f },
		{ 0x70003020, 0x00000000706043ff },
		/* stage 1 */
		{ 0x70200008, 0x0000000040001003 }, { 0x70201008, 0x0000000040002003 },
		{ 0x70201010, 0x0000000040400003 }, { 0x70202000, 0x0000000040003003 },
		{ 0x70202008, 0x0000000080000701 }, { 0x70202010, 0x0000000080000301 },
		{ 0x70203000, 0x0000000080200703 }, { 0x70203008, 0x0000000080201783 },
		{ 0x70203010, 0x0000000080202f43 }, { 0x70203018, 0x0000000080203f43 },
		{ 0x70203020, 0x0000000080204303 }, { 0x70203030, 0x0000000080204703 },
	};

	memset(&mem, 0, sizeof(mem));
	fx_add_ram(&mem, 0x70000000, 0x800000);
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		fx_w64(&mem, d[i][0], d[i][1]);
	memset(&regs, 0, sizeof(regs));
	regs.sctlr_el2 = 0x30c5183c;
	regs.vtcr_el2 = 0x80023559;
	regs.vttbr_el2 = 0x82000070000000;
	regs.mair_el1 = 0x4404ff;
	regs.tcr_el1 = 0x280903510;
	regs.ttbr0_el1 = 0xfb000040000000;
	regs.ttbr1_el1 = 0;
	regs.sctlr_el1 = 0x30d0181d;
	regs.hcr_el2 = 0x80000001;
	tr_features_default(&feat);
}

static int setup(void **state)
{
	(void)state;
	build();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fx_free(&mem);
	return 0;
}

static const struct {
	const char *op;
	uint64_t va, par;
} expect[] = {
	{ "S12E1R", 0x8040000740, 0xff00000070600b80 },
	{ "S1E1R", 0x8040000740, 0xff00000080200b80 },
	{ "S12E1W", 0x8040000740, 0xff00000070600b80 },
	{ "S12E0R", 0x8040000740, 0x81f },
	{ "S12E1R", 0x804039db18, 0xff0000007059db80 },
	{ "S1E1W", 0x80402cee80, 0xff000000800ceb80 },
	{ "S1E1R", 0x8040001a28, 0xff00000080201b80 },
	{ "S1E1W", 0x8040001a28, 0x81f },
	{ "S12E1W", 0x8040001a28, 0x81f },
	{ "S12E1R", 0x80400028a0, 0xa0f },
	{ "S1E1R", 0x80400028a0, 0xff00000080202b80 },
	{ "S12E0R", 0x8040003178, 0xff00000070603b80 },
	{ "S12E1W", 0x8040003178, 0xa1f },
	{ "S1E1R", 0x8040004ae8, 0x817 },
	{ "S12E1R", 0x8040005678, 0x80f },
	{ "S12E1R", 0x8040006470, 0xa17 },
	{ "S12E1R", 0x80405e94f8, 0x815 },
	{ "S12E0W", 0x80407b49d8, 0x80d },
	{ "S12E1R", 0x8080000020, 0xb0d },
	{ "S1E1R", 0x8080000020, 0xb0d },
	{ "S12E1R", 0x12340000, 0x809 },
	{ "S1E1R", 0x1000000000000, 0x809 },
};

static void test_every_par(void **state)
{
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .mem = fx_ops(&mem) };

	(void)state;
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		enum tr_at_op op = tr_at_op_from_name(expect[i].op);
		uint64_t par;

		assert_int_not_equal(op, TR_AT_NONE);
		par = tr_at(&ctx, op, expect[i].va);
		if (par != expect[i].par)
			print_error("record %zu: at %s 0x%llx: expected 0x%llx got 0x%llx\n", i,
				    expect[i].op, (unsigned long long)expect[i].va,
				    (unsigned long long)expect[i].par, (unsigned long long)par);
		assert_int_equal(par, expect[i].par);
	}
}

/* The trace's AT queries read memory only: no AF update is enabled (TCR/VTCR.HA=0). */
static void test_no_writes(void **state)
{
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .mem = fx_ops(&mem) };

	(void)state;
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		tr_at(&ctx, tr_at_op_from_name(expect[i].op), expect[i].va);
	assert_int_equal(mem.cas_calls, 0);
}

/* A 4-level stage 1 whose tables sit in a stage-2 L2 block (2 reads each), and an output
 * IPA mapped by a stage-2 L3 page (3 reads): 4 * (2 + 1) + 3 = 15 descriptor reads,
 * logged in walk order (the stage-2 reads for each stage-1 table first). */
static void test_walk_log(void **state)
{
	struct tr_walk_log log;
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .mem = fx_ops(&mem), .log = &log };
	struct tr_access acc = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault fault;

	(void)state;
	tr_log_reset(&log);
	assert_true(tr_translate(&ctx, TR_REGIME_EL10, 0x8040000740, &acc, &res, &fault));
	assert_int_equal(res.oa, 0x70600740);
	assert_int_equal(log.n, 15);
	/* First: stage-2 L1 read for the stage-1 L0 table at IPA 0x40000000. */
	assert_int_equal(log.e[0].stage, 2);
	assert_int_equal(log.e[0].level, 1);
	assert_true(log.e[0].s1ptw);
	assert_int_equal(log.e[0].desc_pa, 0x70000008);
	assert_int_equal(log.e[1].stage, 2);
	assert_int_equal(log.e[1].level, 2);
	assert_int_equal(log.e[1].desc_pa, 0x70001000);
	/* Third: the stage-1 L0 read itself, table IPA 0x40000000 at PA 0x70200000. */
	assert_int_equal(log.e[2].stage, 1);
	assert_int_equal(log.e[2].level, 0);
	assert_int_equal(log.e[2].table_ia, 0x40000000);
	assert_int_equal(log.e[2].table_pa, 0x70200000);
	assert_int_equal(log.e[2].index, 1);
	assert_int_equal(log.e[2].desc, 0x0000000040001003);
	/* Last: the stage-2 L3 read for the output IPA 0x80200740. */
	assert_int_equal(log.e[14].stage, 2);
	assert_int_equal(log.e[14].level, 3);
	assert_false(log.e[14].s1ptw);
	assert_int_equal(log.e[14].desc_pa, 0x70003000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_par, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_log, setup, teardown),
	};

	return cmocka_run_group_tests_name("translate_example_trace", tests, NULL, NULL);
}
