/* The recorder of `el2emu run --trace-out` (src/cpu/record.c) on a fake machine: which
 * records it writes, and that they reproduce the machine's state for the reader. The
 * expected values are the fake memory's contents and shared/trace-format.md's meaning. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "record.h"

#define BASE UINT64_C(0x40000000)
#define NPAGES 4

static uint8_t ram[NPAGES][4096];
static char path[64];

static bool fake_read_page(void *ctx, uint64_t ipa, uint8_t *buf)
{
	(void)ctx;
	if (ipa < BASE || ipa >= BASE + NPAGES * 4096 || (ipa & 4095))
		return false;
	memcpy(buf, ram[(ipa - BASE) / 4096], 4096);
	return true;
}

static void put64(uint64_t ipa, uint64_t v)
{
	memcpy(&ram[(ipa - BASE) / 4096][ipa & 4095], &v, 8);
}

static struct cpu_rec *open_rec(enum cpu_trace_accesses acc)
{
	struct cpu_rec_env env = { fake_read_page, NULL };
	char err[128];
	struct cpu_rec *r;
	int fd;

	memset(ram, 0, sizeof(ram));
	snprintf(path, sizeof(path), "/tmp/el2emu-record-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	r = cpu_rec_new(path, acc, &env, err, sizeof(err));
	assert_non_null(r);
	return r;
}

/* The records after the header, one string each ("mem64 0x... 0x..."), comments dropped. */
static unsigned read_lines(char lines[][96], unsigned max)
{
	struct trace_limits lim;
	struct trace_reader *rd;
	struct trace_record rec;
	char err[128];
	unsigned n = 0;

	trace_limits_default(&lim);
	rd = trace_reader_open_path(path, &lim, err, sizeof(err));
	assert_non_null(rd);
	assert_int_equal(trace_reader_next(rd, &rec), 1);
	assert_int_equal(rec.kind, TRACE_HEADER);
	while (trace_reader_next(rd, &rec) == 1) {
		assert_true(n < max);
		snprintf(lines[n++], 96, "%s", rec.text);
	}
	assert_string_equal(trace_reader_error(rd), "");
	trace_reader_close(rd);
	unlink(path);
	return n;
}

/* A page a walk reads is dumped once, as its non-zero runs (replay memory starts zeroed);
 * a later change is written as mem64 before the next event; unbacked pages are ignored. */
static void test_pages(void **state)
{
	struct cpu_rec *r = open_rec(CPU_TRACE_ACC_FIRST);
	struct tr_sysregs regs;
	char l[32][96];
	unsigned n;

	(void)state;
	memset(&regs, 0, sizeof(regs));
	put64(BASE + 0x1000, 0x40002003);
	put64(BASE + 0x1010, 0x11);
	put64(BASE + 0x1018, 0x22);
	put64(BASE + 0x1ff8, 0x33);
	cpu_rec_note_read(r, BASE + 0x1000);
	cpu_rec_note_read(r, BASE + 0x1ff8);		/* same page: nothing more */
	cpu_rec_note_read(r, UINT64_C(0x7000000000));	/* not RAM: nothing */
	put64(BASE + 0x1010, 0x44);			/* a tracked word changes ... */
	put64(BASE + 0x3000, 0x55);			/* ... an untracked one too */
	cpu_rec_at(r, &regs, "S1E2R", 0x1000, 0x80);
	cpu_rec_at(r, &regs, "S1E2R", 0x2000, 0x80);	/* nothing changed in between */
	assert_int_equal(cpu_rec_free(r, NULL, 0), 0);
	n = read_lines(l, 32);
	assert_int_equal(n, 6);
	assert_string_equal(l[0], "mem64 0x40001000 0x40002003");
	assert_string_equal(l[1], "mem 0x40001010 11000000000000002200000000000000");
	assert_string_equal(l[2], "mem64 0x40001ff8 0x33");
	assert_string_equal(l[3], "mem64 0x40001010 0x44");
	assert_string_equal(l[4], "at S1E2R 0x1000 0x80");
	assert_string_equal(l[5], "at S1E2R 0x2000 0x80");
}

/* Registers: written when they differ from what the trace last set (0 at the start). */
static void test_registers(void **state)
{
	struct cpu_rec *r = open_rec(CPU_TRACE_ACC_FIRST);
	struct tr_sysregs regs;
	char l[32][96];
	unsigned n;

	(void)state;
	memset(&regs, 0, sizeof(regs));
	regs.hcr_el2 = UINT64_C(0x80000001);
	regs.vttbr_el2 = UINT64_C(0x1000041000000);
	regs.tcr_el1 = UINT64_C(0x280803519);
	cpu_rec_tlbi(r, &regs, "VMALLS12E1IS", false, 0);
	regs.vttbr_el2 = UINT64_C(0x2000041090000);
	cpu_rec_tlbi(r, &regs, "IPAS2E1IS", true, 0x40400);
	cpu_rec_hostmap(r, &regs, BASE, BASE + 0x8000000, 0x8000000);
	cpu_rec_hostmap(r, &regs, BASE + 0x400000, UINT64_MAX, 0x1000);
	assert_int_equal(cpu_rec_free(r, NULL, 0), 0);
	n = read_lines(l, 32);
	assert_int_equal(n, 8);
	assert_string_equal(l[0], "reg HCR_EL2 0x80000001");
	assert_string_equal(l[1], "reg VTTBR_EL2 0x1000041000000");
	assert_string_equal(l[2], "reg TCR_EL1 0x280803519");
	assert_string_equal(l[3], "tlbi VMALLS12E1IS");
	assert_string_equal(l[4], "reg VTTBR_EL2 0x2000041090000");
	assert_string_equal(l[5], "tlbi IPAS2E1IS 0x40400");
	assert_string_equal(l[6], "hostmap 0x40000000 0x48000000 0x8000000");
	assert_string_equal(l[7], "hostmap 0x40400000 none 0x1000");
}

/* first-per-page: one record per (context, VA page, kind, EL, outcome) until the next TLBI
 * or host change; contexts are the virtual VTTBR (CnP ignored) with stage 2 on, the VMID
 * with it off. */
static void test_sampling(void **state)
{
	struct cpu_rec *r = open_rec(CPU_TRACE_ACC_FIRST);
	struct tr_sysregs a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.hcr_el2 = 1;
	a.vttbr_el2 = UINT64_C(0x1000041000000);
	b = a;
	assert_true(cpu_rec_is_new(r, &a, 'r', 1, 0x40201000, TRACE_RES_PA));
	assert_true(cpu_rec_is_new(r, &a, 'r', 1, 0x40201000, TRACE_RES_PA));	/* no take */
	assert_true(cpu_rec_want_access(r, &a, 'r', 1, 0x40201000, TRACE_RES_PA));
	assert_false(cpu_rec_is_new(r, &a, 'r', 1, 0x40201008, TRACE_RES_PA));
	assert_false(cpu_rec_want_access(r, &a, 'r', 1, 0x40201ff8, TRACE_RES_PA));
	assert_true(cpu_rec_want_access(r, &a, 'w', 1, 0x40201000, TRACE_RES_PA));
	assert_true(cpu_rec_want_access(r, &a, 'r', 0, 0x40201000, TRACE_RES_PA));
	assert_true(cpu_rec_want_access(r, &a, 'r', 1, 0x40201000, TRACE_RES_S2));
	b.vttbr_el2 |= 1;					/* CnP: same context */
	assert_false(cpu_rec_want_access(r, &b, 'r', 1, 0x40201000, TRACE_RES_PA));
	b.vttbr_el2 = UINT64_C(0x1000041170000);		/* same VMID, new BADDR */
	assert_true(cpu_rec_want_access(r, &b, 'r', 1, 0x40201000, TRACE_RES_PA));
	b.hcr_el2 = 0;						/* VM=0: VMID 1 alone */
	assert_true(cpu_rec_want_access(r, &b, 'r', 1, 0x40201000, TRACE_RES_PA));
	b.vttbr_el2 = UINT64_C(0x1000041000000);
	assert_false(cpu_rec_want_access(r, &b, 'r', 1, 0x40201000, TRACE_RES_PA));
	cpu_rec_tlbi(r, &a, "IPAS2E1IS", true, 0x40201);	/* a new PA may follow */
	assert_true(cpu_rec_want_access(r, &a, 'r', 1, 0x40201000, TRACE_RES_PA));
	assert_false(cpu_rec_want_access(r, &a, 'r', 1, 0x40201000, TRACE_RES_PA));
	cpu_rec_hostmap(r, &a, BASE, BASE, 0x1000);
	assert_true(cpu_rec_want_access(r, &a, 'r', 1, 0x40201000, TRACE_RES_PA));
	assert_int_equal(cpu_rec_free(r, NULL, 0), 0);
	unlink(path);
}

static void test_modes(void **state)
{
	struct cpu_rec *r;
	struct tr_sysregs a;
	struct trace_result res = { .kind = TRACE_RES_S1, .fsc = 0x06 };
	char l[8][96];

	(void)state;
	memset(&a, 0, sizeof(a));
	r = open_rec(CPU_TRACE_ACC_NONE);
	assert_false(cpu_rec_want_access(r, &a, 'r', 1, 0x1000, TRACE_RES_PA));
	assert_false(cpu_rec_is_new(r, &a, 'r', 1, 0x1000, TRACE_RES_PA));
	assert_int_equal(cpu_rec_free(r, NULL, 0), 0);
	unlink(path);
	r = open_rec(CPU_TRACE_ACC_ALL);
	assert_true(cpu_rec_want_access(r, &a, 'r', 1, 0x1000, TRACE_RES_PA));
	assert_true(cpu_rec_want_access(r, &a, 'r', 1, 0x1000, TRACE_RES_PA));
	cpu_rec_access(r, &a, 'r', 1, 0x20000000, &res);
	assert_int_equal(cpu_rec_free(r, NULL, 0), 0);
	assert_int_equal(read_lines(l, 8), 1);
	assert_string_equal(l[0], "access r 1 0x20000000 fault=s1:0x06");
}

/* Any page of a large space: one non-zero word, its address. */
static bool synth_read_page(void *ctx, uint64_t ipa, uint8_t *buf)
{
	(void)ctx;
	memset(buf, 0, 4096);
	memcpy(buf, &ipa, 8);
	return true;
}

/* Whatever the guest's tables span, the copies stay bounded (8192 pages): beyond, the
 * recording reports that the trace is incomplete instead of growing. */
static void test_page_limit(void **state)
{
	struct cpu_rec_env env = { synth_read_page, NULL };
	char err[160] = "";
	struct cpu_rec *r;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/el2emu-record-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	r = cpu_rec_new(path, CPU_TRACE_ACC_FIRST, &env, err, sizeof(err));
	assert_non_null(r);
	for (uint64_t i = 0; i < 8192; i++)
		cpu_rec_note_read(r, BASE + i * 4096);
	cpu_rec_note_read(r, BASE);			/* tracked: still fine */
	assert_int_equal(cpu_rec_free(r, err, sizeof(err)), 0);
	r = cpu_rec_new(path, CPU_TRACE_ACC_FIRST, &env, err, sizeof(err));
	assert_non_null(r);
	for (uint64_t i = 0; i < 8193; i++)
		cpu_rec_note_read(r, BASE + i * 4096);
	assert_int_equal(cpu_rec_free(r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 8192 pages"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_sampling),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_page_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
