/* The trace reader against shared/trace-format.md: every record kind, the lexical rules, and
 * every error path with its message and line number. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "el2emu/trace.h"

/* Reads text to its end or to the first error. Returns the last trace_reader_next() status;
 * *last receives the last record read, err/line the error. */
static int read_all(const char *text, struct trace_record *last, char *err, size_t errlen,
		    unsigned long *line, unsigned *count)
{
	struct trace_limits lim;
	struct trace_reader *r;
	struct trace_record rec;
	int st;

	trace_limits_default(&lim);
	lim.max_line = 256;
	r = trace_reader_open_mem(text, strlen(text), &lim);
	assert_non_null(r);
	*count = 0;
	while ((st = trace_reader_next(r, &rec)) > 0) {
		(*count)++;
		if (last)
			*last = rec;
	}
	snprintf(err, errlen, "%s", trace_reader_error(r));
	*line = trace_reader_line(r);
	/* The record's pointers die with the reader: copy what the tests look at. */
	trace_reader_close(r);
	return st;
}

/* The last record of "el2emu-trace 1\n" + body, which must parse. */
static struct trace_record one(const char *body, char *text, size_t textlen)
{
	char buf[1024], err[256];
	struct trace_limits lim;
	struct trace_reader *r;
	struct trace_record rec, last;
	unsigned long line;
	unsigned n;
	int st;

	snprintf(buf, sizeof(buf), "el2emu-trace 1\n%s", body);
	assert_int_equal(read_all(buf, NULL, err, sizeof(err), &line, &n), 0);
	trace_limits_default(&lim);
	r = trace_reader_open_mem(buf, strlen(buf), &lim);
	while ((st = trace_reader_next(r, &rec)) > 0)
		last = rec;
	assert_int_equal(st, 0);
	snprintf(text, textlen, "%s", last.text);
	if (last.kind == TRACE_MEM) {
		static uint8_t bytes[64];

		assert_true(last.u.mem.len <= sizeof(bytes));
		memcpy(bytes, last.u.mem.bytes, last.u.mem.len);
		last.u.mem.bytes = bytes;
	}
	last.text = text;
	trace_reader_close(r);
	return last;
}

/* body must fail at line `line` with a message containing `msg`. */
static void expect_error(const char *body, unsigned long line, const char *msg)
{
	char err[256];
	unsigned long l;
	unsigned n;

	assert_int_equal(read_all(body, NULL, err, sizeof(err), &l, &n), -1);
	if (!strstr(err, msg) || l != line) {
		print_error("input:\n%s\nerror at line %lu: '%s', wanted line %lu: '%s'\n", body, l,
			    err, line, msg);
		fail();
	}
}

static void test_header_comments_blanks(void **state)
{
	char err[256];
	unsigned long line;
	unsigned n;
	struct trace_record rec;

	(void)state;
	assert_int_equal(read_all("# a comment first\n\n  \t\nel2emu-trace 1   # ok\n", &rec, err,
				  sizeof(err), &line, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(line, 4);
	/* Without a final newline, with CRLF line ends, with tabs between tokens. */
	assert_int_equal(read_all("el2emu-trace 1\r\nram\t0x1000  0x1000", &rec, err, sizeof(err),
				  &line, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rec.kind, TRACE_RAM);
	assert_int_equal(rec.line, 2);
}

static void test_records(void **state)
{
	char text[256];
	struct trace_record r;

	(void)state;
	r = one("ram 0x70000000 8388608 # eight MiB\n", text, sizeof(text));
	assert_int_equal(r.kind, TRACE_RAM);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.u.ram.base, 0x70000000);
	assert_int_equal(r.u.ram.size, 0x800000);
	assert_string_equal(r.text, "ram 0x70000000 8388608");

	r = one("mem 0x70000010 00ff10Ab\n", text, sizeof(text));
	assert_int_equal(r.kind, TRACE_MEM);
	assert_int_equal(r.u.mem.addr, 0x70000010);
	assert_int_equal(r.u.mem.len, 4);
	assert_memory_equal(r.u.mem.bytes, "\x00\xff\x10\xab", 4);

	r = one("  mem64   0x70000008 0x0000000070001003   # S2 L1[1]\n", text, sizeof(text));
	assert_int_equal(r.kind, TRACE_MEM64);
	assert_int_equal(r.u.mem64.addr, 0x70000008);
	assert_int_equal(r.u.mem64.value, 0x70001003);
	assert_string_equal(r.text, "mem64   0x70000008 0x0000000070001003");

	r = one("reg vttbr_el2 0xFFFFFFFFFFFFFFFF\n", text, sizeof(text));
	assert_int_equal(r.kind, TRACE_REG);
	assert_string_equal(r.name, "vttbr_el2");
	assert_true(r.u.reg.value == UINT64_MAX);

	r = one("at S12E1R 0x8040000740 0xff00000070600b80\n", text, sizeof(text));
	assert_int_equal(r.kind, TRACE_AT);
	assert_string_equal(r.name, "S12E1R");
	assert_true(r.has_opt);
	assert_true(r.u.at.va == 0x8040000740ull);
	assert_true(r.u.at.par == 0xff00000070600b80ull);
	r = one("at s1e1r 18446744073709551615\n", text, sizeof(text));
	assert_false(r.has_opt);
	assert_true(r.u.at.va == UINT64_MAX);

	r = one("tlbi ALLE1IS\n", text, sizeof(text));
	assert_int_equal(r.kind, TRACE_TLBI);
	assert_false(r.has_opt);
	r = one("tlbi IPAS2E1IS 0x20204\n", text, sizeof(text));
	assert_true(r.has_opt);
	assert_int_equal(r.u.tlbi.xt, 0x20204);

	r = one("hostmap 0x70000000 0x2070013000 0x200000\n", text, sizeof(text));
	assert_int_equal(r.kind, TRACE_HOSTMAP);
	assert_false(r.u.hostmap.none);
	assert_true(r.u.hostmap.pa == 0x2070013000ull);
	assert_int_equal(r.u.hostmap.size, 0x200000);
	r = one("hostmap 0x883ff000 none 0x1000\n", text, sizeof(text));
	assert_true(r.u.hostmap.none);
	assert_int_equal(r.u.hostmap.ipa, 0x883ff000);
}

static void test_access_results(void **state)
{
	char text[256];
	struct trace_record r;

	(void)state;
	r = one("access r 1 0x80000468 pa=0x2088213468\n", text, sizeof(text));
	assert_int_equal(r.kind, TRACE_ACCESS);
	assert_int_equal(r.u.access.type, 'r');
	assert_int_equal(r.u.access.el, 1);
	assert_int_equal(r.u.access.va, 0x80000468);
	assert_true(r.has_opt);
	assert_int_equal(r.u.access.expect.kind, TRACE_RES_PA);
	assert_true(r.u.access.expect.addr == 0x2088213468ull);
	r = one("access w 0 0x80001c60 fault=s2:0x0f:0x20201000\n", text, sizeof(text));
	assert_int_equal(r.u.access.type, 'w');
	assert_int_equal(r.u.access.el, 0);
	assert_int_equal(r.u.access.expect.kind, TRACE_RES_S2);
	assert_int_equal(r.u.access.expect.fsc, 0x0f);
	assert_int_equal(r.u.access.expect.addr, 0x20201000);
	r = one("access x 1 0x80003180 fault=s1:11\n", text, sizeof(text));
	assert_int_equal(r.u.access.type, 'x');
	assert_int_equal(r.u.access.expect.kind, TRACE_RES_S1);
	assert_int_equal(r.u.access.expect.fsc, 0x0b);
	r = one("access r 1 0xc0113778 fault=s2ptw:0x06:0x10400000\n", text, sizeof(text));
	assert_int_equal(r.u.access.expect.kind, TRACE_RES_S2PTW);
	assert_int_equal(r.u.access.expect.fsc, 0x06);
	assert_int_equal(r.u.access.expect.addr, 0x10400000);
	r = one("access r 1 0x800058f0 fault=host:0x883ff000\n", text, sizeof(text));
	assert_int_equal(r.u.access.expect.kind, TRACE_RES_HOST);
	assert_int_equal(r.u.access.expect.addr, 0x883ff000);
	r = one("access r 1 0x800058f0\n", text, sizeof(text));
	assert_false(r.has_opt);
}

static void test_result_format(void **state)
{
	struct trace_result a = { TRACE_RES_S2, 0x0f, 0x20201000 }, b = a;
	char buf[64];

	(void)state;
	trace_result_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "fault=s2:0x0f:0x20201000");
	assert_true(trace_result_equal(&a, &b));
	b.kind = TRACE_RES_S2PTW;
	assert_false(trace_result_equal(&a, &b));
	trace_result_format(&b, buf, sizeof(buf));
	assert_string_equal(buf, "fault=s2ptw:0x0f:0x20201000");
	b = (struct trace_result){ TRACE_RES_S1, 0x07, 0 };
	trace_result_format(&b, buf, sizeof(buf));
	assert_string_equal(buf, "fault=s1:0x07");
	b = (struct trace_result){ TRACE_RES_PA, 0, 0x2088213468ull };
	trace_result_format(&b, buf, sizeof(buf));
	assert_string_equal(buf, "pa=0x2088213468");
	b = (struct trace_result){ TRACE_RES_HOST, 0, 0x883ff000 };
	trace_result_format(&b, buf, sizeof(buf));
	assert_string_equal(buf, "fault=host:0x883ff000");
}

static void test_numbers(void **state)
{
	uint64_t v;

	(void)state;
	assert_true(trace_parse_u64("0", &v) && v == 0);
	assert_true(trace_parse_u64("0x0", &v) && v == 0);
	assert_true(trace_parse_u64("007", &v) && v == 7);
	assert_true(trace_parse_u64("0XfF", &v) && v == 255);
	assert_true(trace_parse_u64("18446744073709551615", &v) && v == UINT64_MAX);
	assert_true(trace_parse_u64("0xffffffffffffffff", &v) && v == UINT64_MAX);
	assert_true(trace_parse_u64("0x00000000000000000000001", &v) && v == 1);
	assert_false(trace_parse_u64("18446744073709551616", &v));
	assert_false(trace_parse_u64("0x10000000000000000", &v));
	assert_false(trace_parse_u64("", &v));
	assert_false(trace_parse_u64("0x", &v));
	assert_false(trace_parse_u64("-1", &v));
	assert_false(trace_parse_u64("+1", &v));
	assert_false(trace_parse_u64("12a", &v));
	assert_false(trace_parse_u64("0b101", &v));
	assert_false(trace_parse_u64("0x1g", &v));
}

static void test_errors(void **state)
{
	(void)state;
	/* Header. */
	expect_error("", 1, "empty trace");
	expect_error("# only a comment\n\n", 2, "empty trace");
	expect_error("ram 0 0x1000\n", 1, "the first record must be 'el2emu-trace 1'");
	expect_error("el2emu-trace 2\n", 1, "unsupported trace version 2");
	expect_error("el2emu-trace\n", 1, "el2emu-trace takes more fields");
	expect_error("el2emu-trace 1 1\n", 1, "el2emu-trace takes fewer fields");
	expect_error("el2emu-trace 1\nel2emu-trace 1\n", 2, "repeated 'el2emu-trace' header");
	expect_error("el2emu-trace one\n", 1, "version 'one' is not a number");
	/* Record kinds and field counts. */
	expect_error("el2emu-trace 1\n\nframe 1 2\n", 3, "unknown record 'frame'");
	expect_error("el2emu-trace 1\nRAM 0 1\n", 2, "unknown record 'RAM'");
	expect_error("el2emu-trace 1\nram 0\n", 2, "ram takes more fields");
	expect_error("el2emu-trace 1\nram 0 1 2\n", 2, "ram takes fewer fields");
	expect_error("el2emu-trace 1\nmem 0\n", 2, "mem takes more fields");
	expect_error("el2emu-trace 1\nmem64 0 1 2\n", 2, "mem64 takes fewer fields");
	expect_error("el2emu-trace 1\nreg HCR_EL2\n", 2, "reg takes more fields");
	expect_error("el2emu-trace 1\nat S1E1R\n", 2, "at takes more fields");
	expect_error("el2emu-trace 1\nat S1E1R 0 0 0\n", 2, "at takes fewer fields");
	expect_error("el2emu-trace 1\ntlbi\n", 2, "tlbi takes more fields");
	expect_error("el2emu-trace 1\ntlbi VAE1 1 2\n", 2, "tlbi takes fewer fields");
	expect_error("el2emu-trace 1\nhostmap 0 0\n", 2, "hostmap takes more fields");
	expect_error("el2emu-trace 1\naccess r 1\n", 2, "access takes more fields");
	expect_error("el2emu-trace 1\naccess r 1 0 pa=0 x\n", 2, "access takes fewer fields");
	expect_error("el2emu-trace 1\nram 1 2 3 4 5 6 7\n", 2, "too many fields");
	/* Numbers. */
	expect_error("el2emu-trace 1\nram 0x1g 0x1000\n", 2, "base '0x1g' is not a number");
	expect_error("el2emu-trace 1\nram 0x1\x1b[2J 0x1000\n", 2,
		     "base '0x1?[2J' is not a number");
	expect_error("el2emu-trace 1\nram 0x1\r 0x1000\n", 2, "base '0x1?' is not a number");
	expect_error("el2emu-trace 1\nram 0 -1\n", 2, "size '-1' is not a number");
	expect_error("el2emu-trace 1\nram 0 18446744073709551616\n", 2,
		     "size '18446744073709551616' does not fit in 64 bits");
	expect_error("el2emu-trace 1\nmem64 0x10000000000000000 0\n", 2,
		     "does not fit in 64 bits");
	expect_error("el2emu-trace 1\nreg HCR_EL2 0x\n", 2, "value '0x' is not a number");
	expect_error("el2emu-trace 1\nat S1E1R 0 par\n", 2, "PAR 'par' is not a number");
	expect_error("el2emu-trace 1\ntlbi VAE1 zz\n", 2, "operand 'zz' is not a number");
	expect_error("el2emu-trace 1\nhostmap 0 somewhere 1\n", 2,
		     "PA 'somewhere' is not a number");
	/* mem and mem64. */
	expect_error("el2emu-trace 1\nmem 0 abc\n", 2, "mem: odd number of hex digits (3)");
	expect_error("el2emu-trace 1\nmem 0 0x12\n", 2, "mem: '0x' at offset 0 is not a hex byte");
	expect_error("el2emu-trace 1\nmem 0 12zz\n", 2, "mem: 'zz' at offset 2 is not a hex byte");
	expect_error("el2emu-trace 1\nmem64 0x1004 0\n", 2,
		     "mem64: address 0x1004 is not 8-byte aligned");
	/* Names. */
	expect_error("el2emu-trace 1\nreg HCR-EL2 1\n", 2, "has a character other than");
	expect_error("el2emu-trace 1\nat S1E1R.x 1\n", 2, "has a character other than");
	expect_error("el2emu-trace 1\ntlbi AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
		     2, "is too long");
	/* access. */
	expect_error("el2emu-trace 1\naccess rw 1 0\n", 2, "access type 'rw' is not r, w or x");
	expect_error("el2emu-trace 1\naccess q 1 0\n", 2, "access type 'q' is not r, w or x");
	expect_error("el2emu-trace 1\naccess r 2 0\n", 2, "exception level 2 is not 0 or 1");
	expect_error("el2emu-trace 1\naccess r one 0\n", 2,
		     "exception level 'one' is not a number");
	expect_error("el2emu-trace 1\naccess r 1 0 ok\n", 2, "neither pa=<hostpa> nor fault=");
	expect_error("el2emu-trace 1\naccess r 1 0 pa=\n", 2, "access result address '' is not");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=s3:1\n", 2, "unknown access result");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=s1\n", 2, "fault=s1 takes fault=s1:<fsc>");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=s1:1:2\n", 2, "fault=s1 takes");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=s2:7\n", 2,
		     "fault=s2 takes fault=s2:<fsc>:<ipa>");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=host:1:2\n", 2, "fault=host takes");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=s2:1:2:3\n", 2, "too many ':' fields");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=s1:0x40\n", 2,
		     "fault status code 0x40 is wider than 6 bits");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=s2ptw:x:0\n", 2,
		     "fault status code 'x' is not a number");
	expect_error("el2emu-trace 1\naccess r 1 0 fault=host:y\n", 2,
		     "fault address 'y' is not a number");
}

static void test_lines_and_bytes(void **state)
{
	char big[600];
	static const char nul[] = "el2emu-trace 1\nram 0\0 1\n";
	struct trace_limits lim;
	struct trace_reader *r;
	struct trace_record rec;

	(void)state;
	/* Lines are bounded (the tests use max_line = 256). */
	memset(big, 'a', sizeof(big));
	memcpy(big, "el2emu-trace 1\nmem 0 ", 21);
	big[sizeof(big) - 1] = '\0';
	expect_error(big, 2, "line longer than 256 bytes");
	/* A NUL byte is malformed input, not the end of the line. */
	trace_limits_default(&lim);
	r = trace_reader_open_mem(nul, sizeof(nul) - 1, &lim);
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(trace_reader_next(r, &rec), -1);
	assert_string_equal(trace_reader_error(r), "NUL byte in the line");
	assert_int_equal(trace_reader_line(r), 2);
	/* After an error the reader stays failed. */
	assert_int_equal(trace_reader_next(r, &rec), -1);
	trace_reader_close(r);
}

struct dribble {
	const char *text;
	size_t pos, fail_at;
};

/* One byte per call, and a read error at fail_at (0: never). */
static long dribble_read(void *ctx, char *buf, size_t cap, char *err, size_t errlen)
{
	struct dribble *d = ctx;

	if (d->fail_at && d->pos == d->fail_at) {
		snprintf(err, errlen, "device unplugged");
		return -1;
	}
	if (!cap || !d->text[d->pos])
		return 0;
	buf[0] = d->text[d->pos++];
	return 1;
}

static void test_chunk_boundaries(void **state)
{
	static const char text[] = "el2emu-trace 1\n# comment\nram 0x70000000 0x1000\n"
				   "mem 0x70000000 00112233\r\n\naccess r 1 0x1 pa=0x2";
	struct dribble d = { text, 0, 0 };
	struct trace_limits lim;
	struct trace_reader *r;
	struct trace_record rec;

	(void)state;
	/* Lines assembled from one-byte reads parse as the whole text does. */
	trace_limits_default(&lim);
	r = trace_reader_open_fn(dribble_read, &d, &lim);
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.kind, TRACE_HEADER);
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.kind, TRACE_RAM);
	assert_int_equal(rec.line, 3);
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.kind, TRACE_MEM);
	assert_int_equal(rec.u.mem.len, 4);
	assert_memory_equal(rec.u.mem.bytes, "\x00\x11\x22\x33", 4);
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.kind, TRACE_ACCESS);
	assert_int_equal(rec.line, 6);
	assert_string_equal(rec.text, "access r 1 0x1 pa=0x2");
	assert_int_equal(trace_reader_next(r, &rec), 0);
	assert_int_equal(trace_reader_next(r, &rec), 0);
	trace_reader_close(r);

	/* A read error stops the reader with the source's message, at the line being read. */
	d = (struct dribble){ text, 0, 30 };
	r = trace_reader_open_fn(dribble_read, &d, &lim);
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(trace_reader_next(r, &rec), -1);
	assert_string_equal(trace_reader_error(r), "read error: device unplugged");
	assert_int_equal(trace_reader_line(r), 3);
	trace_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_comments_blanks),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_access_results),
		cmocka_unit_test(test_result_format),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_lines_and_bytes),
		cmocka_unit_test(test_chunk_boundaries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
