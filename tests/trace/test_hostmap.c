/* hostmap: the host's stage 2 as a sorted range map (trace-format.md, "Nested records").
 * Expected values follow from the format's rules: later records override earlier ones for the
 * same range, `none` removes a range, and without any hostmap every ram region is 1:1. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "replay_nested.h"

struct fixture {
	struct trace_limits lim;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct trace_mem *mem;
	struct trace_nested *n;
};

static int setup(void **state)
{
	static struct fixture f;
	struct trace_nested_env env;
	char err[128];

	trace_limits_default(&f.lim);
	f.lim.max_hostmap = 8;
	tr_features_default(&f.feat);
	f.mem = trace_mem_new(&f.lim);
	assert_int_equal(trace_mem_add_region(f.mem, 0x70000000, 0x200000, err, sizeof(err)), 0);
	env = (struct trace_nested_env){ f.mem, &f.regs, &f.feat, &f.lim };
	f.n = trace_nested_new(&env);
	assert_non_null(f.n);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	trace_nested_free(f->n);
	trace_mem_free(f->mem);
	return 0;
}

static int hostmap(struct fixture *f, uint64_t ipa, uint64_t pa, uint64_t size, bool none)
{
	struct trace_record rec = { .kind = TRACE_HOSTMAP, .line = 1, .text = "hostmap" };
	char err[128];

	rec.u.hostmap.ipa = ipa;
	rec.u.hostmap.pa = pa;
	rec.u.hostmap.size = size;
	rec.u.hostmap.none = none;
	return trace_nested_hostmap(f->n, &rec, err, sizeof(err));
}

static bool host_pa(struct fixture *f, uint64_t ipa, uint64_t *pa)
{
	return trace_nested_host_pa(f->n, ipa, pa);
}

static void test_default_identity(void **state)
{
	struct fixture *f = *state;
	uint64_t pa = 0;

	assert_true(host_pa(f, 0x70001234, &pa));
	assert_int_equal(pa, 0x70001234);
	assert_true(host_pa(f, 0x701fffff, &pa));
	/* Outside every ram region: not mapped. */
	assert_false(host_pa(f, 0x70200000, &pa));
	assert_false(host_pa(f, 0x6fffffff, &pa));
}

static void test_override_and_remove(void **state)
{
	struct fixture *f = *state;
	uint64_t pa = 0;

	assert_int_equal(hostmap(f, 0x70000000, 0x2070013000, 0x200000, false), 0);
	assert_true(host_pa(f, 0x70000468, &pa));
	assert_int_equal(pa, 0x2070013468);
	/* The explicit map replaces the 1:1 default, even outside ram. */
	assert_false(host_pa(f, 0x80000000, &pa));
	/* Remove one page in the middle: the range splits in two. */
	assert_int_equal(hostmap(f, 0x70100000, 0, 0x1000, true), 0);
	assert_false(host_pa(f, 0x70100000, &pa));
	assert_false(host_pa(f, 0x70100fff, &pa));
	assert_true(host_pa(f, 0x700fffff, &pa));
	assert_int_equal(pa, 0x2070112fff);
	assert_true(host_pa(f, 0x70101000, &pa));
	assert_int_equal(pa, 0x2070114000);
	/* A later record over both pieces and the hole overrides them. */
	assert_int_equal(hostmap(f, 0x700ff000, 0x5000000000, 0x3000, false), 0);
	assert_true(host_pa(f, 0x70100010, &pa));
	assert_int_equal(pa, 0x5000001010);
	assert_true(host_pa(f, 0x70101fff, &pa));
	assert_int_equal(pa, 0x5000002fff);
	assert_true(host_pa(f, 0x70102000, &pa));
	assert_int_equal(pa, 0x2070115000);
	assert_true(host_pa(f, 0x700fefff, &pa));
	assert_int_equal(pa, 0x2070111fff);
	/* Removing everything leaves nothing mapped (no return to the default). */
	assert_int_equal(hostmap(f, 0, 0, UINT64_MAX, true), 0);
	assert_false(host_pa(f, 0x70000000, &pa));
}

static void test_errors_and_bound(void **state)
{
	struct fixture *f = *state;
	uint64_t pa;

	assert_int_equal(hostmap(f, 0x1000, 0x1000, 0, false), -1);
	assert_int_equal(hostmap(f, 0xfffffffffffff000, 0, 0x2000, false), -1);
	assert_int_equal(hostmap(f, 0x1000, 0xfffffffffffff000, 0x2000, false), -1);
	/* lim.max_hostmap = 8 disjoint ranges: the ninth is refused, the map is unchanged. */
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(hostmap(f, i * 0x10000, 0x100000 + i * 0x10000, 0x1000, false),
				 0);
	assert_int_equal(hostmap(f, 8 * 0x10000, 0, 0x1000, false), -1);
	assert_false(host_pa(f, 8 * 0x10000, &pa));
	/* Splitting a range would also make a ninth one. */
	assert_int_equal(hostmap(f, 0x10000, 0, 0x10, true), 0);
	assert_int_equal(hostmap(f, 0x20010, 0, 0x10, true), -1);
	assert_true(host_pa(f, 0x20000, &pa));
	assert_int_equal(pa, 0x120000);
	/* Replacing one range by another keeps the count. */
	assert_int_equal(hostmap(f, 0x30000, 0x999000, 0x1000, false), 0);
	assert_true(host_pa(f, 0x30010, &pa));
	assert_int_equal(pa, 0x999010);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_default_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_and_bound, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
