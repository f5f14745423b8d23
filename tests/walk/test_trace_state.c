/* trace_state: the state a trace describes up to a line (include/el2emu/trace_state.h).
 * Expected values are the records written here; the host map follows trace-format.md
 * ("Later records override earlier ones", "Without any hostmap, every ram region is mapped
 * 1:1"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "el2emu/trace_state.h"

static char path[64];

static void write_trace(const char *text)
{
	int fd;
	FILE *f;

	strcpy(path, "/tmp/el2emu-test-state-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct trace_state *load(const char *text, unsigned long line, char *err, size_t len)
{
	struct trace_limits lim;
	struct trace_state *s;

	trace_limits_default(&lim);
	write_trace(text);
	s = trace_state_load(path, line, &lim, err, len);
	unlink(path);
	return s;
}

static const char trace1[] =
	"el2emu-trace 1\n"				/* 1 */
	"ram 0x70000000 0x200000\n"			/* 2 */
	"reg VTTBR_EL2 0x1\n"				/* 3 */
	"mem64 0x70000008 0x1111\n"			/* 4 */
	"at S12E1R 0x1000 0x809\n"			/* 5 */
	"reg TCR_EL12 0x2\n"				/* 6: the VHE alias writes TCR_EL1 */
	"mem64 0x70000008 0x2222\n"			/* 7 */
	"tlbi VMALLS12E1IS\n"				/* 8 */
	"access r 1 0x1000 pa=0x1000\n"			/* 9 */
	"reg VTTBR_EL2 0x3\n";				/* 10 */

static void test_up_to_line(void **unused)
{
	char err[256];
	struct trace_state *s;
	uint64_t v;

	(void)unused;
	s = load(trace1, 6, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(trace_state_line(s), 6);
	assert_int_equal(trace_state_regs(s)->vttbr_el2, 1);
	assert_int_equal(trace_state_regs(s)->tcr_el1, 2);
	assert_int_equal(trace_mem_read64(trace_state_mem(s), 0x70000008, &v), TRACE_MEM_OK);
	assert_int_equal(v, 0x1111);
	assert_int_equal(trace_state_skipped(s), 1);
	assert_int_equal(trace_state_tlbis(s), 0);
	trace_state_free(s);

	s = load(trace1, 0, err, sizeof(err));
	assert_non_null(s);
	assert_int_equal(trace_state_line(s), 10);
	assert_int_equal(trace_state_regs(s)->vttbr_el2, 3);
	assert_int_equal(trace_mem_read64(trace_state_mem(s), 0x70000008, &v), TRACE_MEM_OK);
	assert_int_equal(v, 0x2222);
	assert_int_equal(trace_state_skipped(s), 2);
	assert_int_equal(trace_state_tlbis(s), 1);
	trace_state_free(s);
}

static void test_hostmap(void **unused)
{
	char err[256];
	struct trace_state *s;
	uint64_t pa, base, size;

	(void)unused;
	/* No hostmap: ram is mapped 1:1; the block reported is the largest aligned one in ram. */
	s = load("el2emu-trace 1\nram 0x40000000 0x40000000\nram 0x80000000 0x1000\n", 0, err,
		 sizeof(err));
	assert_non_null(s);
	assert_true(trace_state_host(s, 0x40201234, &pa, &base, &size));
	assert_int_equal(pa, 0x40201234);
	assert_int_equal(base, 0x40000000);
	assert_int_equal(size, 0x40000000);
	assert_true(trace_state_host(s, 0x80000ff8, &pa, &base, &size));
	assert_int_equal(base, 0x80000000);
	assert_int_equal(size, 0x1000);
	assert_false(trace_state_host(s, 0x80001000, &pa, &base, &size));
	trace_state_free(s);

	/* A later record overrides the middle of an earlier one, `none` removes a page. */
	s = load("el2emu-trace 1\n"
		 "ram 0x70000000 0x200000\n"
		 "hostmap 0x70000000 0x2070013000 0x200000\n"
		 "hostmap 0x70100000 0x3000000000 0x1000\n"
		 "hostmap 0x70101000 none 0x1000\n", 0, err, sizeof(err));
	assert_non_null(s);
	assert_true(trace_state_host(s, 0x70000010, &pa, &base, &size));
	assert_int_equal(pa, 0x2070013010);
	assert_int_equal(base, 0x70000000);
	assert_int_equal(size, 0x100000);
	assert_true(trace_state_host(s, 0x70100008, &pa, &base, &size));
	assert_int_equal(pa, 0x3000000008);
	assert_false(trace_state_host(s, 0x70101000, &pa, &base, &size));
	assert_true(trace_state_host(s, 0x70102000, &pa, &base, &size));
	assert_int_equal(pa, 0x2070115000);
	assert_int_equal(base, 0x70102000);
	/* Outside every hostmap range. */
	assert_false(trace_state_host(s, 0x90000000, &pa, &base, &size));
	trace_state_free(s);
}

static void test_errors(void **unused)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "el2emu-trace 1\nreg NOPE_EL2 1\n", ":2: unknown register 'NOPE_EL2'" },
		{ "el2emu-trace 1\ntlbi NOPE\n", ":2: unknown TLBI operation 'NOPE'" },
		{ "el2emu-trace 1\nat S1E3R 0x0\n", ":2: unknown AT operation 'S1E3R'" },
		{ "el2emu-trace 1\nram 0x0 0x1000\nmem64 0x1000 0x1\n",
		  ":3: 0x1000+0x8 is outside every ram region" },
		{ "el2emu-trace 1\nhostmap 0x0 0x0 0\n", ":2: hostmap range is empty" },
		{ "el2emu-trace 1\nhostmap 0xfffffffffffff000 0x0 0x2000\n",
		  ":2: hostmap range runs past the end of the address space" },
		{ "el2emu-trace 2\n", ":1: " },
		{ "ram 0x0 0x1000\n", ":1: " },
	};
	struct trace_state *s;
	char err[256];

	(void)unused;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = 0;
		assert_null(load(cases[i].text, 0, err, sizeof(err)));
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
		assert_non_null(strstr(err, "/tmp/el2emu-test-state-"));
	}
	/* A malformed record after the line limit is never read. */
	s = load("el2emu-trace 1\nram 0x0 0x1000\nreg NOPE 1\n", 2, err, sizeof(err));
	assert_non_null(s);
	trace_state_free(s);
}

static void test_missing_file(void **unused)
{
	struct trace_limits lim;
	char err[256] = "";

	(void)unused;
	trace_limits_default(&lim);
	assert_null(trace_state_load("/nonexistent/el2emu.trace", 0, &lim, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/el2emu.trace"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_to_line),
		cmocka_unit_test(test_hostmap),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
