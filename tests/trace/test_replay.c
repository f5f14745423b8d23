/* The replay driver: streaming with bounded memory over 1,000,000 records, the output and
 * exit status that shared/trace-format.md ("Replay output") defines, and the semantic errors
 * (names, operands, memory) with their line numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "el2emu/trace.h"

/* ---- A generated trace, produced on the fly so that only the replay holds memory. ---- */

static const char *const gen_setup[] = {
	"el2emu-trace 1\n",
	"ram 0x70000000 0x800000   # 8 MiB\n",
	"ram 0x100000000 0x40000000\n",
	"reg VTCR_EL2 0x80023559\n",
	"reg VTTBR_EL2 0x82000070000000\n",
	"reg TCR_EL1 0x280903510\n",
	"reg SCTLR_EL1 0x30d0181d\n",
	"reg HCR_EL2 0x80000001\n",
};
#define GEN_SETUP (sizeof(gen_setup) / sizeof(gen_setup[0]))
#define GEN_KINDS 8

struct gen {
	uint64_t total, next;	/* records after the setup */
	char pending[160];
	size_t pend_len, pend_pos;
};

/* Record i of the body: every record kind, touching a fixed set of pages. */
static int gen_line(uint64_t i, char *buf, size_t len)
{
	unsigned slot = (unsigned)(i / GEN_KINDS % 64);

	switch (i % GEN_KINDS) {
	case 0:
		return snprintf(buf, len, "mem64 0x%llx 0x%llx\n",
				0x70000000ull + slot * 8, 0x70001003ull + i);
	case 1:
		return snprintf(buf, len, "mem 0x%llx 0011223344556677  # bytes\n",
				0x100000000ull + slot * 0x1000);
	case 2:
		return snprintf(buf, len, "reg TTBR0_EL1 0x%llx\n", 0x40000000ull + slot * 0x1000);
	case 3:
		return snprintf(buf, len, "at S12E1R 0x%llx\n", 0x8040000000ull + i);
	case 4:
		return snprintf(buf, len, "tlbi %s\n", slot % 2 ? "ALLE1IS" : "VMALLS12E1IS");
	case 5:
		return snprintf(buf, len, "hostmap 0x70000000 0x%llx 0x800000\n",
				0x2000000000ull + slot * 0x1000);
	case 6:
		return snprintf(buf, len, "access %c %u 0x%llx\n", "rwx"[slot % 3], slot % 2,
				0x80000000ull + i * 8);
	default:
		return snprintf(buf, len, "\n# comment %llu\n", (unsigned long long)i);
	}
}

static long gen_read(void *ctx, char *buf, size_t cap, char *err, size_t errlen)
{
	struct gen *g = ctx;
	size_t n = 0;

	(void)err;
	(void)errlen;
	while (n < cap) {
		size_t take;

		if (g->pend_pos == g->pend_len) {
			int len;

			if (g->next < GEN_SETUP)
				len = snprintf(g->pending, sizeof(g->pending), "%s",
					       gen_setup[g->next]);
			else if (g->next < GEN_SETUP + g->total)
				len = gen_line(g->next - GEN_SETUP, g->pending, sizeof(g->pending));
			else
				break;
			g->next++;
			g->pend_len = (size_t)len;
			g->pend_pos = 0;
		}
		take = g->pend_len - g->pend_pos;
		if (take > cap - n)
			take = cap - n;
		memcpy(buf + n, g->pending + g->pend_pos, take);
		g->pend_pos += take;
		n += take;
	}
	return (long)n;
}

static int replay_generated(uint64_t total, struct trace_stats *st)
{
	struct gen g = { .total = total };
	struct trace_replay_opts o = { .out = stderr, .err = stderr };
	struct trace_reader *r;
	int status;

	trace_limits_default(&o.limits);
	r = trace_reader_open_fn(gen_read, &g, &o.limits);
	assert_non_null(r);
	status = trace_replay(r, "generated", &o, st);
	trace_reader_close(r);
	return status;
}

static void test_streaming_bounded(void **state)
{
	struct trace_stats small, big;
	uint64_t in_use = trace_heap_in_use();

	(void)state;
	assert_int_equal(replay_generated(8000, &small), 0);
	assert_int_equal(replay_generated(1000000, &big), 0);
	/* Every record was replayed ... */
	assert_int_equal(big.records[TRACE_MEM64], 125000);
	assert_int_equal(big.records[TRACE_AT], 125000);
	assert_int_equal(big.records[TRACE_ACCESS], 125000);
	assert_int_equal(big.records[TRACE_HOSTMAP], 125000);
	assert_int_equal(big.at_unchecked, 125000);
	assert_int_equal(big.lines, GEN_SETUP + 1000000 + 125000);
	/* ... and the memory of the replay did not grow with their number: the peak of the
	 * module's allocations is the same for 8,000 and for 1,000,000 records. */
	assert_true(big.heap_peak > 0);
	assert_int_equal(big.heap_peak, small.heap_peak);
	assert_int_equal(big.mem_allocated, small.mem_allocated);
	/* The allocated RAM is the pages written, not the 1 GiB declared. */
	assert_int_equal(big.mem_allocated, 65 * TRACE_PAGE_SIZE);
	/* Everything was freed. */
	assert_int_equal(trace_heap_in_use(), in_use);
}

/* ---- Output and status ---- */

struct run {
	int status;
	struct trace_stats st;
	char *out, *err;
	size_t out_len, err_len;
};

static void run_text(const char *text, struct run *rn)
{
	struct trace_replay_opts o = { .audit = false };
	struct trace_reader *r;
	FILE *out, *err;

	memset(rn, 0, sizeof(*rn));
	out = open_memstream(&rn->out, &rn->out_len);
	err = open_memstream(&rn->err, &rn->err_len);
	assert_non_null(out);
	assert_non_null(err);
	trace_limits_default(&o.limits);
	o.limits.max_alloc = 4 * TRACE_PAGE_SIZE;
	o.out = out;
	o.err = err;
	r = trace_reader_open_mem(text, strlen(text), &o.limits);
	rn->status = trace_replay(r, "t.trace", &o, &rn->st);
	trace_reader_close(r);
	fclose(out);
	fclose(err);
}

static void run_free(struct run *rn)
{
	free(rn->out);
	free(rn->err);
}

static void expect_replay_error(const char *text, const char *want)
{
	struct run rn;

	run_text(text, &rn);
	if (rn.status != 2 || strcmp(rn.err, want)) {
		print_error("status %d, stderr '%s', wanted 2 and '%s'\n", rn.status, rn.err,
			    want);
		run_free(&rn);
		fail();
	}
	run_free(&rn);
}

static void test_mismatch_output(void **state)
{
	struct run rn;

	(void)state;
	/* No ram: an AT walk touches no backed memory, and the S1 translation of VA 0 with
	 * stage 1 off cannot be a success at PA 0x1234000 (PAR 0x1234000). Neither can an
	 * access at host PA 0x5000 when nothing is mapped. Whatever the engine answers, the
	 * line says what was expected and the status is 1. */
	run_text("el2emu-trace 1\n"
		 "at S1E1R 0x0 0x1234000   # deliberately wrong\n"
		 "at S1E1R 0x0\n"
		 "access r 1 0x0 pa=0x5000\n"
		 "access r 1 0x0\n",
		 &rn);
	assert_int_equal(rn.status, 1);
	assert_int_equal(rn.st.passed, 0);
	assert_int_equal(rn.st.failed, 2);
	assert_int_equal(rn.st.at_unchecked, 1);
	assert_int_equal(rn.st.access_unchecked, 1);
	assert_non_null(strstr(rn.out, "t.trace:2: at S1E1R 0x0 0x1234000: "
					"expected 0x1234000 got 0x"));
	assert_non_null(strstr(rn.out, "t.trace:4: access r 1 0x0 pa=0x5000: "
					"expected pa=0x5000 got "));
	assert_string_equal(rn.err, "");
	run_free(&rn);
}

static void test_pass_and_summary_counts(void **state)
{
	struct run rn;

	(void)state;
	/* HCR_EL2.VM=0 and SCTLR_EL1.M=0: stage 1 and stage 2 off, the nested access maps
	 * VA = IPA = L1 IPA (Arm ARM AArch64.S1DisabledOutput), and without any hostmap the
	 * ram region is mapped 1:1 by the host (trace-format.md): pa=VA. With a hostmap the
	 * host PA moves with it; `none` makes it a host fault on the page. */
	run_text("el2emu-trace 1\n"
		 "ram 0x80000000 0x100000\n"
		 "access r 1 0x80000468 pa=0x80000468\n"
		 "hostmap 0x80000000 0x2080013000 0x100000\n"
		 "access w 0 0x80000468 pa=0x2080013468\n"
		 "hostmap 0x80000000 none 0x1000\n"
		 "access r 1 0x80000468 fault=host:0x80000000\n"
		 "access r 1 0x80001468 pa=0x2080014468\n",
		 &rn);
	assert_int_equal(rn.status, 0);
	assert_int_equal(rn.st.passed, 4);
	assert_int_equal(rn.st.failed, 0);
	assert_string_equal(rn.out, "");
	run_free(&rn);
}

static void test_par_open_bits(void **state)
{
	struct run rn;

	(void)state;
	/* Arm ARM D24.2 PAR_EL1. Stage 1 and 2 off, SCTLR_EL1.C=0: AT S1E1R gives PA = VA,
	 * Device-nGnRnE (ATTR 0x00), which PAREncodeShareability reports as SH=0b10; bit 11 is
	 * RES1; NS (bit 9) is UNKNOWN and bit 10 IMPDEF, so either value of them passes. */
	run_text("el2emu-trace 1\n"
		 "ram 0x70000000 0x1000\n"
		 "at S1E1R 0x70000000 0x70000900\n"	/* NS=0 */
		 "at S1E1R 0x70000008 0x70000b00\n"	/* NS=1 */
		 "at S1E1R 0x70000010 0x70000f00\n"	/* NS=1, bit 10=1 */
		 "at S1E1R 0x70000018 0x70000a00\n"	/* SH=0b00: wrong */
		 "at S1E1R 0x70000020 0x70001900\n"	/* PA: wrong */
		 "at S1E1R 0x70000028 0x70000901\n"	/* F=1: wrong */
		 /* EL1&0 stage 1 on, T0SZ=16: VA bit 48 set is outside the TTBR0 range, a
		  * translation fault at level 0 (PAR 0x809, as in two-stage-4k.trace); bits
		  * [63:48] of a fault PAR are IMPDEF. */
		 "reg TCR_EL1 0x280903510\n"
		 "reg SCTLR_EL1 0x30d0181d\n"
		 "at S1E1R 0x1000000000000 0x809\n"
		 "at S1E1R 0x1000000000000 0xabcd000000000809\n"
		 "at S1E1R 0x1000000000000 0x80b\n"		/* level 1: wrong */
		 "at S1E1R 0x1000000000000 0xa09\n",		/* S=1: wrong */
		 &rn);
	assert_int_equal(rn.status, 1);
	assert_int_equal(rn.st.passed, 5);
	assert_int_equal(rn.st.failed, 5);
	assert_non_null(strstr(rn.out, "t.trace:6: at S1E1R 0x70000018 0x70000a00: expected "
					"0x70000a00 got 0x70000"));
	assert_non_null(strstr(rn.out, "t.trace:7: "));
	assert_non_null(strstr(rn.out, "t.trace:8: "));
	assert_non_null(strstr(rn.out, "t.trace:13: "));
	assert_non_null(strstr(rn.out, "t.trace:14: "));
	assert_null(strstr(rn.out, "t.trace:3: "));
	assert_null(strstr(rn.out, "t.trace:12: "));
	run_free(&rn);
}

static void test_nested_host_faults(void **state)
{
	struct run rn;

	(void)state;
	/* Guest stage 2 (4K, IPA 32 bits, start level 1) maps nested IPA 0..2 MiB with one L2
	 * block to L1 0x88000000; the nested stage 1 is off (VA = nested IPA). Descriptor
	 * reads and the output both need the host's mapping (trace-format.md `hostmap`): the
	 * guest's stage-2 table page unmapped by the host is fault=host on that page, then the
	 * output page. */
	run_text("el2emu-trace 1\n"
		 "ram 0x70000000 0x200000\n"
		 "ram 0x88000000 0x200000\n"
		 "reg VTCR_EL2 0x80023560\n"
		 "reg VTTBR_EL2 0x70000000\n"
		 "reg HCR_EL2 0x80000001\n"
		 "mem64 0x70000000 0x70001003\n"	/* S2 L1[0] -> L2 table */
		 "mem64 0x70001000 0x880007fd\n"	/* S2 L2[0] 2 MiB block, RW, AF=1 */
		 "hostmap 0x88000000 0x1088000000 0x200000\n"
		 "access r 1 0x1234 fault=host:0x70000000\n"
		 "hostmap 0x70000000 0x1070000000 0x200000\n"
		 "access r 1 0x1234 pa=0x1088001234\n"
		 "hostmap 0x88001000 none 0x1000\n"
		 "access w 0 0x1238 fault=host:0x88001000\n"
		 "access w 0 0x2238 pa=0x1088002238\n"
		 /* Beyond the block: a guest stage-2 translation fault at level 2. */
		 "access r 1 0x200010 fault=s2:0x06:0x200000\n",
		 &rn);
	if (rn.status != 0)
		print_error("%s%s", rn.out, rn.err);
	assert_int_equal(rn.status, 0);
	assert_int_equal(rn.st.passed, 5);
	run_free(&rn);
}

static void test_audit_and_stats(void **state)
{
	static const char text[] = "el2emu-trace 1\n"
				   "ram 0x80000000 0x100000\n"
				   "access r 1 0x80000468 pa=0x80000468\n"
				   "tlbi VMALLS12E1IS\n"
				   "access r 1 0x80000468 pa=0x80000468\n";
	struct trace_replay_opts o = { .audit = true };
	struct trace_reader *r;
	struct trace_stats st;
	char *json = NULL, *txt = NULL;
	size_t json_len = 0, txt_len = 0;

	(void)state;
	trace_limits_default(&o.limits);
	o.nested_json = open_memstream(&json, &json_len);
	o.nested_stats = open_memstream(&txt, &txt_len);
	r = trace_reader_open_mem(text, strlen(text), &o.limits);
	assert_int_equal(trace_replay(r, "t.trace", &o, &st), 0);
	trace_reader_close(r);
	fclose(o.nested_json);
	fclose(o.nested_stats);
	/* The audit ran and found nothing stale; both forms of the statistics were written. */
	assert_int_equal(st.passed, 2);
	assert_int_equal(st.failed, 0);
	assert_true(json_len > 2 && json[0] == '{' && json[json_len - 1] == '}');
	assert_non_null(strstr(json, "\"audit_bugs\":0"));
	assert_true(txt_len > 0);
	free(json);
	free(txt);
}

static void test_semantic_errors(void **state)
{
	(void)state;
	expect_replay_error("el2emu-trace 1\nreg HCR_EL3 1\n",
			    "t.trace:2: error: unknown register 'HCR_EL3'\n");
	expect_replay_error("el2emu-trace 1\nreg IPAS2E1IS 1\n",
			    "t.trace:2: error: unknown register 'IPAS2E1IS'\n");
	expect_replay_error("el2emu-trace 1\n\nat S1E1X 1\n",
			    "t.trace:3: error: unknown AT operation 'S1E1X' (S1E1R S1E1W S1E0R "
			    "S1E0W S12E1R S12E1W S12E0R S12E0W S1E2R S1E2W)\n");
	expect_replay_error("el2emu-trace 1\ntlbi TTBR0_EL1\n",
			    "t.trace:2: error: unknown TLBI operation 'TTBR0_EL1'\n");
	expect_replay_error("el2emu-trace 1\ntlbi ipas2e1is\n",
			    "t.trace:2: error: tlbi IPAS2E1IS takes a register operand <xt>\n");
	expect_replay_error("el2emu-trace 1\ntlbi alle2 0\n",
			    "t.trace:2: error: tlbi ALLE2 takes no register operand\n");
	/* Arm ARM C5.5: VMALL* and ALL* take no Xt; by-VA and by-ASID forms do. */
	expect_replay_error("el2emu-trace 1\ntlbi VMALLE1IS 0x1\n",
			    "t.trace:2: error: tlbi VMALLE1IS takes no register operand\n");
	expect_replay_error("el2emu-trace 1\ntlbi VMALLS12E1 0x1\n",
			    "t.trace:2: error: tlbi VMALLS12E1 takes no register operand\n");
	expect_replay_error("el2emu-trace 1\ntlbi VAE1IS\n",
			    "t.trace:2: error: tlbi VAE1IS takes a register operand <xt>\n");
	expect_replay_error("el2emu-trace 1\ntlbi ASIDE1\n",
			    "t.trace:2: error: tlbi ASIDE1 takes a register operand <xt>\n");
	expect_replay_error("el2emu-trace 1\nmem 0x1000 00\n",
			    "t.trace:2: error: mem: 0x1000+0x1 is outside every ram region\n");
	expect_replay_error("el2emu-trace 1\nram 0x1000 0x1000\nmem 0x1ff0 "
			    "00112233445566778899aabbccddeeff00\n",
			    "t.trace:3: error: mem: 0x1ff0+0x11 is outside every ram region\n");
	/* max_alloc is 4 pages here. */
	expect_replay_error("el2emu-trace 1\nram 0 0x100000\nmem64 0 1\nmem64 0x1000 1\n"
			    "mem64 0x2000 1\nmem64 0x3000 1\nmem64 0x4000 1\n",
			    "t.trace:7: error: mem64: writing 0x4000+0x8: over the limit of "
			    "allocated memory (--max-alloc)\n");
	expect_replay_error("el2emu-trace 1\nhostmap 0 0 0\n",
			    "t.trace:2: error: hostmap range is empty\n");
	/* A reader error is reported the same way, after the records before it ran. */
	expect_replay_error("el2emu-trace 1\nram 0 0x1000\nbogus\n",
			    "t.trace:3: error: unknown record 'bogus'\n");
}

static void test_case_insensitive_names(void **state)
{
	struct run rn;

	(void)state;
	run_text("el2emu-trace 1\nreg Vttbr_El2 0x1\nreg ttbr0_el1 0\nreg CPTR_EL2 0\n"
		 "tlbi vmalls12e1is\ntlbi Ipas2E1Is 0x20204\nat s12e1r 0x1000\n", &rn);
	assert_int_equal(rn.status, 0);
	/* CPTR_EL2 is a known register that does not feed translation. */
	assert_int_equal(rn.st.regs_ignored, 1);
	assert_int_equal(rn.st.records[TRACE_REG], 3);
	assert_int_equal(rn.st.records[TRACE_TLBI], 2);
	run_free(&rn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mismatch_output),
		cmocka_unit_test(test_pass_and_summary_counts),
		cmocka_unit_test(test_par_open_bits),
		cmocka_unit_test(test_nested_host_faults),
		cmocka_unit_test(test_audit_and_stats),
		cmocka_unit_test(test_semantic_errors),
		cmocka_unit_test(test_case_insensitive_names),
		cmocka_unit_test(test_streaming_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
