/* The trace writer against the reader: every record kind written is read back with the
 * meaning shared/trace-format.md gives it (the reader, not the writer, is the reference),
 * in plain text and gzip; output is deterministic; write errors are reported. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "el2emu/trace_writer.h"

static char path_plain[64], path_gz[72];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(path_plain, sizeof(path_plain), "/tmp/el2emu-writer-XXXXXX");
	fd = mkstemp(path_plain);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(path_gz, sizeof(path_gz), "%s.gz", path_plain);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path_plain);
	unlink(path_gz);
	return 0;
}

static void write_all_kinds(const char *path)
{
	struct trace_writer *w;
	char err[128];
	uint8_t bytes[5000];
	struct trace_result pa = { .kind = TRACE_RES_PA, .addr = 0x48001234 };
	struct trace_result s1 = { .kind = TRACE_RES_S1, .fsc = 0x0f };
	struct trace_result s2 = { .kind = TRACE_RES_S2, .fsc = 0x07, .addr = 0x40611000 };
	struct trace_result ptw = { .kind = TRACE_RES_S2PTW, .fsc = 0x06, .addr = 0x40201000 };
	struct trace_result host = { .kind = TRACE_RES_HOST, .addr = 0x7000000000 };
	size_t i;

	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i * 7 + 1);
	w = trace_writer_open(path, err, sizeof(err));
	assert_non_null(w);
	trace_write_comment(w, "a comment\nwith a newline cut here");
	trace_write_ram(w, 0x40000000, 0x8000000);
	trace_write_mem(w, 0x40001000, bytes, sizeof(bytes));	/* two records: 4096 + 904 */
	trace_write_mem64(w, 0x40003008, UINT64_C(0xfedcba9876543210));
	trace_write_reg(w, "VTTBR_EL2", UINT64_C(0x1000041000000));
	trace_write_at(w, "S12E1R", 0x40201000, UINT64_C(0xff00000041041b80));
	trace_write_tlbi(w, "IPAS2E1IS", true, 0x40400);
	trace_write_tlbi(w, "VMALLS12E1IS", false, 0);
	trace_write_hostmap(w, 0x40000000, 0x48000000, 0x8000000);
	trace_write_hostunmap(w, 0x40400000, 0x1000);
	trace_write_access(w, 'r', 1, 0x40100000, &pa);
	trace_write_access(w, 'w', 0, 0x40230000, &s1);
	trace_write_access(w, 'x', 1, 0x40110000, &s2);
	trace_write_access(w, 'r', 1, 0x40600000, &ptw);
	trace_write_access(w, 'w', 1, 0x40700000, &host);
	trace_write_access(w, 'r', 0, 0x1000, NULL);
	assert_int_equal(trace_writer_records(w), 17);
	assert_true(trace_writer_bytes(w) > 2 * sizeof(bytes));
	assert_int_equal(trace_writer_close(w, err, sizeof(err)), 0);
}

static void next(struct trace_reader *r, struct trace_record *rec, enum trace_kind kind)
{
	int st = trace_reader_next(r, rec);

	if (st != 1)
		fail_msg("line %lu: %s", trace_reader_line(r), trace_reader_error(r));
	assert_int_equal(rec->kind, kind);
}

static void check_access(struct trace_reader *r, char type, unsigned el, uint64_t va,
			 enum trace_result_kind kind, uint8_t fsc, uint64_t addr)
{
	struct trace_record rec;

	next(r, &rec, TRACE_ACCESS);
	assert_int_equal(rec.u.access.type, type);
	assert_int_equal(rec.u.access.el, el);
	assert_int_equal(rec.u.access.va, va);
	assert_true(rec.has_opt);
	assert_int_equal(rec.u.access.expect.kind, kind);
	assert_int_equal(rec.u.access.expect.fsc, fsc);
	assert_int_equal(rec.u.access.expect.addr, addr);
}

static void read_back(const char *path)
{
	struct trace_limits lim;
	struct trace_reader *r;
	struct trace_record rec;
	char err[128];

	trace_limits_default(&lim);
	r = trace_reader_open_path(path, &lim, err, sizeof(err));
	assert_non_null(r);
	next(r, &rec, TRACE_HEADER);
	assert_int_equal(rec.u.version, 1);
	next(r, &rec, TRACE_RAM);
	assert_int_equal(rec.u.ram.base, 0x40000000);
	assert_int_equal(rec.u.ram.size, 0x8000000);
	next(r, &rec, TRACE_MEM);
	assert_int_equal(rec.u.mem.addr, 0x40001000);
	assert_int_equal(rec.u.mem.len, 4096);
	assert_int_equal(rec.u.mem.bytes[0], 1);
	assert_int_equal(rec.u.mem.bytes[4095], (uint8_t)(4095 * 7 + 1));
	next(r, &rec, TRACE_MEM);
	assert_int_equal(rec.u.mem.addr, 0x40002000);
	assert_int_equal(rec.u.mem.len, 904);
	assert_int_equal(rec.u.mem.bytes[0], (uint8_t)(4096 * 7 + 1));
	next(r, &rec, TRACE_MEM64);
	assert_int_equal(rec.u.mem64.addr, 0x40003008);
	assert_int_equal(rec.u.mem64.value, UINT64_C(0xfedcba9876543210));
	next(r, &rec, TRACE_REG);
	assert_string_equal(rec.name, "VTTBR_EL2");
	assert_int_equal(rec.u.reg.value, UINT64_C(0x1000041000000));
	next(r, &rec, TRACE_AT);
	assert_string_equal(rec.name, "S12E1R");
	assert_int_equal(rec.u.at.va, 0x40201000);
	assert_true(rec.has_opt);
	assert_int_equal(rec.u.at.par, UINT64_C(0xff00000041041b80));
	next(r, &rec, TRACE_TLBI);
	assert_string_equal(rec.name, "IPAS2E1IS");
	assert_true(rec.has_opt);
	assert_int_equal(rec.u.tlbi.xt, 0x40400);
	next(r, &rec, TRACE_TLBI);
	assert_string_equal(rec.name, "VMALLS12E1IS");
	assert_false(rec.has_opt);
	next(r, &rec, TRACE_HOSTMAP);
	assert_false(rec.u.hostmap.none);
	assert_int_equal(rec.u.hostmap.ipa, 0x40000000);
	assert_int_equal(rec.u.hostmap.pa, 0x48000000);
	assert_int_equal(rec.u.hostmap.size, 0x8000000);
	next(r, &rec, TRACE_HOSTMAP);
	assert_true(rec.u.hostmap.none);
	assert_int_equal(rec.u.hostmap.ipa, 0x40400000);
	assert_int_equal(rec.u.hostmap.size, 0x1000);
	check_access(r, 'r', 1, 0x40100000, TRACE_RES_PA, 0, 0x48001234);
	check_access(r, 'w', 0, 0x40230000, TRACE_RES_S1, 0x0f, 0);
	check_access(r, 'x', 1, 0x40110000, TRACE_RES_S2, 0x07, 0x40611000);
	check_access(r, 'r', 1, 0x40600000, TRACE_RES_S2PTW, 0x06, 0x40201000);
	check_access(r, 'w', 1, 0x40700000, TRACE_RES_HOST, 0, 0x7000000000);
	next(r, &rec, TRACE_ACCESS);
	assert_false(rec.has_opt);
	assert_int_equal(trace_reader_next(r, &rec), 0);	/* nothing else, comment ignored */
	trace_reader_close(r);
}

static void test_round_trip_plain(void **state)
{
	(void)state;
	write_all_kinds(path_plain);
	read_back(path_plain);
}

static void test_round_trip_gzip(void **state)
{
	FILE *f;
	uint8_t hdr[10], zero[4] = { 0 };

	(void)state;
	write_all_kinds(path_gz);
	f = fopen(path_gz, "rb");
	assert_non_null(f);
	assert_int_equal(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr));
	fclose(f);
	/* RFC 1952 member header: ID1 ID2 (really compressed), FLG without FNAME, MTIME 0
	 * (no time stamp: deterministic output). */
	assert_int_equal(hdr[0], 0x1f);
	assert_int_equal(hdr[1], 0x8b);
	assert_int_equal(hdr[3] & 0x08, 0);
	assert_memory_equal(hdr + 4, zero, 4);
	read_back(path_gz);
}

static void *slurp(const char *path, long *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	buf = malloc((size_t)*len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)*len, f), (size_t)*len);
	fclose(f);
	return buf;
}

/* The same calls give the same bytes, compressed too (no time stamp in the gzip header). */
static void test_deterministic(void **state)
{
	const char *paths[2] = { path_plain, path_gz };

	(void)state;
	for (int i = 0; i < 2; i++) {
		long a_len, b_len;
		void *a, *b;

		write_all_kinds(paths[i]);
		a = slurp(paths[i], &a_len);
		write_all_kinds(paths[i]);
		b = slurp(paths[i], &b_len);
		assert_int_equal(a_len, b_len);
		assert_memory_equal(a, b, (size_t)a_len);
		free(a);
		free(b);
	}
}

static void test_errors(void **state)
{
	struct trace_writer *w;
	char err[128] = "";
	uint8_t page[4096] = { 1 };

	(void)state;
	w = trace_writer_open("/nonexistent-dir/x.trace", err, sizeof(err));
	assert_null(w);
	assert_non_null(strstr(err, "cannot create /nonexistent-dir/x.trace"));
	/* /dev/full accepts the open and fails the writes: close reports it. */
	w = trace_writer_open("/dev/full", err, sizeof(err));
	if (!w)
		skip();
	for (int i = 0; i < 64; i++)
		trace_write_mem(w, 0x40000000 + 4096 * (uint64_t)i, page, sizeof(page));
	assert_int_equal(trace_writer_close(w, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writing the trace failed"));
	assert_int_equal(trace_writer_close(NULL, err, sizeof(err)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_gzip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
