/* The sparse memory model (trace-format.md `ram`, `mem`, `mem64`): backed, zero-initialised
 * regions, pages allocated on first write, bounded by struct trace_limits. Also gzip input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "el2emu/trace.h"

static struct trace_mem *mem_with(uint64_t max_alloc, uint32_t max_regions, uint64_t max_ram)
{
	struct trace_limits lim;

	trace_limits_default(&lim);
	lim.max_alloc = max_alloc;
	lim.max_regions = max_regions;
	lim.max_ram = max_ram;
	return trace_mem_new(&lim);
}

static void test_regions(void **state)
{
	struct trace_mem *m = mem_with(1 << 20, 4, 1ull << 40);
	char err[256];

	(void)state;
	assert_int_equal(trace_mem_add_region(m, 0x70000000, 0x200000, err, sizeof(err)), 0);
	assert_int_equal(trace_mem_add_region(m, 0x88000000, 0x400000, err, sizeof(err)), 0);
	/* Adjacent, below the first: fine, and a range across the boundary is backed. */
	assert_int_equal(trace_mem_add_region(m, 0x6ff00000, 0x100000, err, sizeof(err)), 0);
	assert_true(trace_mem_backed(m, 0x6fffffff, 2));
	assert_true(trace_mem_backed(m, 0x70000000, 0x200000));
	assert_false(trace_mem_backed(m, 0x70000000, 0x200001));
	assert_false(trace_mem_backed(m, 0x701fffff, 2));
	assert_false(trace_mem_backed(m, 0x87ffffff, 1));
	assert_false(trace_mem_backed(m, 0x70000000, 0));
	assert_false(trace_mem_backed(m, UINT64_MAX, 2));
	assert_int_equal(trace_mem_regions(m), 3);
	assert_int_equal(trace_mem_declared(m), 0x700000);

	assert_int_equal(trace_mem_add_region(m, 0x701ff000, 0x2000, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "overlaps an earlier one"));
	assert_int_equal(trace_mem_add_region(m, 0x60000000, 0x10000001, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "overlaps"));
	assert_int_equal(trace_mem_add_region(m, 0x1000, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "ram region is empty");
	assert_int_equal(trace_mem_add_region(m, 0xfffffffffffff000, 0x2000, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "runs past the end of the address space"));
	/* The very last byte of the address space is a valid region. */
	assert_int_equal(trace_mem_add_region(m, 0xfffffffffffff000, 0x1000, err, sizeof(err)),
			 0);
	assert_true(trace_mem_backed(m, UINT64_MAX, 1));
	assert_int_equal(trace_mem_add_region(m, 0x1000, 0x1000, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 4 regions (--max-regions)"));
	trace_mem_free(m);
}

static void test_declared_limit(void **state)
{
	struct trace_mem *m = mem_with(1 << 20, 16, 8ull << 30);
	char err[256];

	(void)state;
	/* A 10 GB declaration is refused with a message naming the option. */
	assert_int_equal(trace_mem_add_region(m, 0, 10000000000ull, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--max-ram"));
	assert_int_equal(trace_mem_add_region(m, 0, 6ull << 30, err, sizeof(err)), 0);
	assert_int_equal(trace_mem_add_region(m, 8ull << 30, 3ull << 30, err, sizeof(err)), -1);
	assert_int_equal(trace_mem_add_region(m, 8ull << 30, 2ull << 30, err, sizeof(err)), 0);
	/* Declared is not allocated: nothing was written. */
	assert_int_equal(trace_mem_allocated(m), 0);
	trace_mem_free(m);
}

static void test_read_write(void **state)
{
	struct trace_mem *m = mem_with(3 * TRACE_PAGE_SIZE, 4, 1ull << 40);
	uint8_t buf[16], zero[16] = { 0 };
	uint64_t v = 1, seen;
	char err[256];

	(void)state;
	assert_int_equal(trace_mem_add_region(m, 0x70000000, 8ull << 30, err, sizeof(err)), 0);
	/* Untouched backed memory reads as zero without allocating. */
	assert_int_equal(trace_mem_read64(m, 0x170000000, &v), TRACE_MEM_OK);
	assert_int_equal(v, 0);
	assert_int_equal(trace_mem_read(m, 0x70000ff8, buf, sizeof(buf)), TRACE_MEM_OK);
	assert_memory_equal(buf, zero, sizeof(buf));
	assert_int_equal(trace_mem_allocated(m), 0);
	/* Outside: unbacked, for reads and writes. */
	assert_int_equal(trace_mem_read64(m, 0x6ffffffc, &v), TRACE_MEM_UNBACKED);
	assert_int_equal(trace_mem_write64(m, 0x6ffffff8, 1), TRACE_MEM_UNBACKED);

	/* Little-endian words; a write across a page boundary allocates both pages. */
	assert_int_equal(trace_mem_write64(m, 0x70000ffc, 0x1122334455667788ull), TRACE_MEM_OK);
	assert_int_equal(trace_mem_allocated(m), 2 * TRACE_PAGE_SIZE);
	assert_int_equal(trace_mem_read(m, 0x70000ffc, buf, 8), TRACE_MEM_OK);
	assert_memory_equal(buf, "\x88\x77\x66\x55\x44\x33\x22\x11", 8);
	assert_int_equal(trace_mem_read64(m, 0x70001000, &v), TRACE_MEM_OK);
	assert_int_equal(v, 0x11223344);

	/* Compare-and-swap stores only on a match and reports what it found. */
	assert_int_equal(trace_mem_cas64(m, 0x70001000, 5, 6, &seen), TRACE_MEM_OK);
	assert_int_equal(seen, 0x11223344);
	assert_int_equal(trace_mem_read64(m, 0x70001000, &v), TRACE_MEM_OK);
	assert_int_equal(v, 0x11223344);
	assert_int_equal(trace_mem_cas64(m, 0x70001000, 0x11223344, 6, &seen), TRACE_MEM_OK);
	assert_int_equal(trace_mem_read64(m, 0x70001000, &v), TRACE_MEM_OK);
	assert_int_equal(v, 6);

	/* max_alloc = 3 pages: the third page is allocated, the fourth is refused and nothing
	 * of the refused write is stored. */
	assert_int_equal(trace_mem_write64(m, 0x1f0000000, 7), TRACE_MEM_OK);
	assert_int_equal(trace_mem_write64(m, 0x200000000, 7), TRACE_MEM_LIMIT);
	assert_int_equal(trace_mem_read64(m, 0x200000000, &v), TRACE_MEM_OK);
	assert_int_equal(v, 0);
	assert_int_equal(trace_mem_allocated(m), 3 * TRACE_PAGE_SIZE);
	/* Rewriting allocated pages is still fine. */
	assert_int_equal(trace_mem_write64(m, 0x1f0000008, 8), TRACE_MEM_OK);
	trace_mem_free(m);
}

static void test_many_pages(void **state)
{
	struct trace_mem *m = mem_with(4096ull * TRACE_PAGE_SIZE, 4, 1ull << 40);
	char err[256];
	uint64_t v;

	(void)state;
	/* Enough pages to grow the page table several times; each keeps its own value. */
	assert_int_equal(trace_mem_add_region(m, 0, 1ull << 36, err, sizeof(err)), 0);
	for (uint64_t i = 0; i < 4096; i++)
		assert_int_equal(trace_mem_write64(m, i * 0x1001000, i + 1), TRACE_MEM_OK);
	for (uint64_t i = 0; i < 4096; i++) {
		assert_int_equal(trace_mem_read64(m, i * 0x1001000, &v), TRACE_MEM_OK);
		assert_int_equal(v, i + 1);
	}
	assert_int_equal(trace_mem_write64(m, 0x123456789000, 1), TRACE_MEM_UNBACKED);
	assert_int_equal(trace_mem_write64(m, 0xfff000000, 1), TRACE_MEM_LIMIT);
	trace_mem_free(m);
}

/* Writes text gzip-compressed into a temporary file; returns its size. */
static long write_gz(const char *path, const char *text)
{
	gzFile gz = gzopen(path, "wb");
	FILE *f;
	long size;

	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
	assert_int_equal(gzclose(gz), Z_OK);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	return size;
}

static void test_gzip(void **state)
{
	char path[] = "/tmp/el2emu-test-XXXXXX";
	char text[4096], err[256];
	struct trace_limits lim;
	struct trace_reader *r;
	struct trace_record rec;
	unsigned n = 0;
	long size;
	int fd, st;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	strcpy(text, "el2emu-trace 1\nram 0x70000000 0x1000\n");
	for (int i = 0; i < 100; i++)
		strcat(text, "mem64 0x70000008 0x70001003\n");
	size = write_gz(path, text);
	trace_limits_default(&lim);

	r = trace_reader_open_path(path, &lim, err, sizeof(err));
	assert_non_null(r);
	while ((st = trace_reader_next(r, &rec)) > 0)
		n++;
	assert_int_equal(st, 0);
	assert_int_equal(n, 102);
	trace_reader_close(r);

	/* Corrupted: zlib's error (a bad block or a CRC mismatch) is a read error. */
	{
		FILE *f = fopen(path, "r+b");
		int c;

		assert_non_null(f);
		fseek(f, size / 2, SEEK_SET);
		c = fgetc(f);
		fseek(f, size / 2, SEEK_SET);
		fputc(c ^ 0x55, f);
		fclose(f);
	}
	r = trace_reader_open_path(path, &lim, err, sizeof(err));
	assert_non_null(r);
	while ((st = trace_reader_next(r, &rec)) > 0)
		;
	assert_int_equal(st, -1);
	assert_non_null(strstr(trace_reader_error(r), "read error: "));
	trace_reader_close(r);
	size = write_gz(path, text);

	/* Cut short: an error, never a silent end of the trace. */
	assert_int_equal(truncate(path, size - 12), 0);
	r = trace_reader_open_path(path, &lim, err, sizeof(err));
	assert_non_null(r);
	while ((st = trace_reader_next(r, &rec)) > 0)
		;
	assert_int_equal(st, -1);
	assert_non_null(strstr(trace_reader_error(r), "cut short"));
	trace_reader_close(r);
	unlink(path);

	assert_null(trace_reader_open_path("/nonexistent/x.trace", &lim, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_declared_limit),
		cmocka_unit_test(test_read_write),
		cmocka_unit_test(test_many_pages),
		cmocka_unit_test(test_gzip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
