/* el2emu bench walk: the cost of a native 4-level walk (4 descriptor reads) and of a
 * 4+4-level two-stage walk (24 reads), against a baseline of 24 dependent loads through
 * the same memory callback, measured in the same run; and QEMU's in-guest AT S12E1R on the
 * same tables (tools/qemu-at-timer), measured in the same run when QEMU can run it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "commands.h"
#include "el2emu/translate.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (4ull << 20)
#define ROUNDS 10
#define QEMU_AT_S12E1R_NS 270.0	/* in-guest AT S12E1R on QEMU, shared/notes */
/* The PAR_EL1 (F=0 format) an AT S12E1R of VA 0x1234567000 must give on build()'s tables:
 * PA[47:12] 0x40300000 from the stage-1 page through the identity stage 2; ATTR[63:56] 0xff,
 * stage-1 MAIR Attr0 (Normal WB) combined with stage-2 MemAttr 0b1111 (Normal WB) keeps
 * stage 1's; SH[8:7] 0b11 (both stages Inner Shareable, PAREncodeShareability()); NS[9] 1
 * (IMPDEF: QEMU reports 1 for Non-secure); bit 11 RES1. */
#define QEMU_AT_PAR 0xff00000040300b80ull
#define QEMU_ELF_NEXT_TO_EL2EMU "tests/bench-qemu/qemu-at-timer.elf"
#define QEMU_OUT_MAX 4096

struct ram {
	uint64_t *w;
};

static bool ram_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	const struct ram *r = ctx;
	uint64_t off = pa - RAM_BASE;

	if (off >= RAM_SIZE || (off & 7))
		return false;
	*val = r->w[off >> 3];
	return true;
}

static void put(struct ram *r, uint64_t pa, uint64_t v)
{
	r->w[(pa - RAM_BASE) >> 3] = v;
}

/* Stage 2: 4K, T0SZ=16, 4 levels from level 0, IPA = PA over the RAM in 4K pages.
 * Stage 1: 4K, T0SZ=16, 4 levels, VA 0x1234567000 -> IPA 0x40300000. */
static void build(struct ram *r, struct tr_sysregs *regs)
{
	uint64_t s2 = RAM_BASE, s1 = RAM_BASE + 0x100000;

	put(r, s2 + 8 * ((RAM_BASE >> 39) & 511), (s2 + 0x1000) | 3);
	put(r, s2 + 0x1000 + 8 * ((RAM_BASE >> 30) & 511), (s2 + 0x2000) | 3);
	for (uint64_t i = 0; i < RAM_SIZE >> 21; i++) {
		uint64_t l3 = s2 + 0x3000 + i * 0x1000;

		put(r, s2 + 0x2000 + 8 * (((RAM_BASE >> 21) + i) & 511), l3 | 3);
		for (uint64_t j = 0; j < 512; j++)
			put(r, l3 + 8 * j, (RAM_BASE + (i << 21) + (j << 12)) | 0x7ff);
	}
	const uint64_t va = 0x1234567000;

	put(r, s1 + 8 * ((va >> 39) & 511), (s1 + 0x1000) | 3);
	put(r, s1 + 0x1000 + 8 * ((va >> 30) & 511), (s1 + 0x2000) | 3);
	put(r, s1 + 0x2000 + 8 * ((va >> 21) & 511), (s1 + 0x3000) | 3);
	put(r, s1 + 0x3000 + 8 * ((va >> 12) & 511), 0x40300000 | 0x703);

	memset(regs, 0, sizeof(*regs));
	regs->vtcr_el2 = 0x80000000 | 5u << 16 | 3u << 12 | 1u << 10 | 1u << 8 | 2u << 6 | 16;
	regs->vttbr_el2 = s2;
	regs->tcr_el1 = 5ull << 32 | 1u << 23 | 3u << 12 | 1u << 10 | 1u << 8 | 16;
	regs->ttbr0_el1 = s1;
	regs->mair_el1 = 0xff;
	regs->sctlr_el1 = 0x30d0181d;
}

/* FNV-1a over the RAM's 64-bit words, then the registers of the two-stage walk (HCR_EL2
 * RW|VM); tools/qemu-at-timer computes the same over its tables and the registers as QEMU
 * reads them back, so that a change to build() alone is caught, not silently compared. */
static uint64_t tables_digest(const struct ram *r, const struct tr_sysregs *regs)
{
	const uint64_t rv[7] = { regs->vtcr_el2, regs->vttbr_el2, regs->tcr_el1, regs->ttbr0_el1,
				 regs->mair_el1, regs->sctlr_el1, 0x80000001 };
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < RAM_SIZE / 8; i++)
		h = (h ^ r->w[i]) * 0x100000001b3ull;
	for (size_t i = 0; i < 7; i++)
		h = (h ^ rv[i]) * 0x100000001b3ull;
	return h;
}

/* The walker calls read64 through a pointer it cannot see through; so does the chain. */
static struct tr_mem_ops *volatile chain_ops;

static uint64_t load_chain(uint64_t start)
{
	uint64_t pa = start;

	for (int i = 0; i < 24; i++)
		if (!chain_ops->read64(chain_ops->ctx, pa, &pa))
			return 0;
	return pa;
}

static bool qemu_on_path(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		if (n && n < sizeof(buf) - 32) {
			memcpy(buf, path, n);
			strcpy(buf + n, "/qemu-system-aarch64");
			if (!access(buf, X_OK))
				return true;
		}
		path += n + (path[n] == ':');
	}
	return false;
}

/* build/tests/bench-qemu/qemu-at-timer.elf, el2emu itself being build/el2emu. */
static bool qemu_default_elf(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= size - 1)
		return false;
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash + 1 - buf) + sizeof(QEMU_ELF_NEXT_TO_EL2EMU) > size)
		return false;
	strcpy(slash + 1, QEMU_ELF_NEXT_TO_EL2EMU);
	return !access(buf, R_OK);
}

/* Runs tools/qemu-at-timer on QEMU (bounded by `timeout 30`) and parses its one line
 * `at_s12e1r_ns=<ns> par=0x<hex> tables=0x<hex>`. Any failure: false, with the reason on
 * stderr. */
static bool qemu_measure(const char *elf, uint64_t tables, double *ns)
{
	char out[QEMU_OUT_MAX + 1];
	size_t len = 0;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds)) {
		cli_error("bench walk: QEMU: pipe failed");
		return false;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		cli_error("bench walk: QEMU: fork failed");
		return false;
	}
	if (!pid) {
		FILE *in = freopen("/dev/null", "r", stdin);

		(void)in;
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("timeout", "timeout", "30", "qemu-system-aarch64", "-M",
		       "virt,virtualization=on", "-cpu", "max", "-nographic", "-kernel", elf,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* Bounded: what does not fit is read and dropped so that QEMU never blocks. */
	for (;;) {
		char drop[512];
		ssize_t n = len < QEMU_OUT_MAX ? read(fds[0], out + len, QEMU_OUT_MAX - len)
					       : read(fds[0], drop, sizeof(drop));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < QEMU_OUT_MAX)
			len += (size_t)n;
	}
	close(fds[0]);
	out[len] = 0;
	int rc = waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;

	if (rc) {
		cli_error("bench walk: QEMU run of %s failed (exit status %d%s)", elf, rc,
			  rc == 124 ? ": killed by timeout" : rc == 127 ? ": not found" : "");
		return false;
	}

	/* The line must start a line of the output. */
	char *line = strstr(out, "at_s12e1r_ns=");

	while (line && line != out && line[-1] != '\n')
		line = strstr(line + 1, "at_s12e1r_ns=");
	double v;
	unsigned long long par, digest;
	int used = 0;

	if (!line ||
	    sscanf(line, "at_s12e1r_ns=%lf par=0x%llx tables=0x%llx%n", &v, &par, &digest,
		   &used) != 3 ||
	    (line[used] != '\n' && line[used] != '\r') || !(v > 0 && v < 1e9)) {
		line = strstr(out, "error:");
		cli_error("bench walk: QEMU printed no usable line%s%.*s", line ? ": " : "",
			  line ? (int)strcspn(line, "\r\n") : 0, line ? line : "");
		return false;
	}
	if (par != QEMU_AT_PAR) {
		cli_error("bench walk: QEMU AT S12E1R gave PAR 0x%llx, not 0x%llx: not the same "
			  "tables", par, QEMU_AT_PAR);
		return false;
	}
	if (digest != tables) {
		cli_error("bench walk: QEMU's tables (digest 0x%llx) are not build()'s (0x%llx)",
			  digest, (unsigned long long)tables);
		return false;
	}
	*ns = v;
	return true;
}

int bench_walk(int argc, char **argv)
{
	bool json = false;
	unsigned long iters = 2000000;
	struct ram ram;
	struct tr_sysregs regs;
	struct tr_features feat;
	struct tr_mem_ops ops;
	struct tr_walk_log log;
	struct tr_access acc = { .type = TR_ACC_READ, .el = 1 };
	struct tr_result res;
	struct tr_fault fault;
	uint64_t t0, sink = 0, chain_start = RAM_BASE + 0x200000;
	double s1_ns, s12_ns, s2_ns, chain_ns, s12nc_ns;
	unsigned s1_reads, s12_reads;
	const char *qemu_elf = NULL;
	char elf_buf[4096];
	bool no_qemu = false, measured = false;
	double qemu_ns = QEMU_AT_S12E1R_NS;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--iters") && i + 1 < argc) {
			uint64_t v;

			if (!cli_parse_u64(argv[++i], &v) || !v || v > UINT32_MAX) {
				cli_error("bench walk: --iters needs a positive number");
				return 2;
			}
			iters = (unsigned long)v;
		} else if (!strcmp(argv[i], "--qemu") && i + 1 < argc) {
			qemu_elf = argv[++i];
		} else if (!strcmp(argv[i], "--no-qemu")) {
			no_qemu = true;
		} else {
			cli_error("bench walk: unknown option '%s' (use --json, --iters N, "
				  "--qemu ELF, --no-qemu)", argv[i]);
			return 2;
		}
	}
	/* 2 MiB aligned and huge-page backed where the kernel allows, so that host TLB
	 * effects do not differ between the walk and the baseline from run to run. */
	ram.w = aligned_alloc(2u << 20, RAM_SIZE);
	if (ram.w) {
		madvise(ram.w, RAM_SIZE, MADV_HUGEPAGE);
		memset(ram.w, 0, RAM_SIZE);
	}
	if (!ram.w) {
		cli_error("bench walk: out of memory");
		return 1;
	}
	build(&ram, &regs);
	/* QEMU first, alone: it would otherwise compete with the walks for the CPU. Without
	 * --qemu, the program built next to el2emu is used if QEMU is on PATH. */
	if (!qemu_elf && !no_qemu && qemu_on_path() && qemu_default_elf(elf_buf, sizeof(elf_buf)))
		qemu_elf = elf_buf;
	if (qemu_elf && !no_qemu)
		measured = qemu_measure(qemu_elf, tables_digest(&ram, &regs), &qemu_ns);
	if (!measured)
		qemu_ns = QEMU_AT_S12E1R_NS;
	/* 24 dependent loads scattered over distinct pages, like the walk's tables. */
	for (int i = 0; i < 24; i++)
		put(&ram, chain_start + (uint64_t)i * 0x1008,
		    chain_start + (uint64_t)(i + 1) * 0x1008);
	tr_features_default(&feat);
	ops = (struct tr_mem_ops){ ram_read64, NULL, &ram };
	chain_ops = &ops;
	/* The walks use a register-decode cache (tr_ctx.cache), as a caller that walks many
	 * addresses under the same registers would: it still compares the registers on
	 * every walk. s12_nocache_ns is the same two-stage walk decoding them every time. */
	static struct tr_cache cache;
	struct tr_ctx ctx = { .regs = &regs, .feat = &feat, .mem = ops, .cache = &cache };
	struct tr_ctx nocache = ctx;

	nocache.cache = NULL;

	/* Check the shapes once, with the log: 4 and 24 reads. */
	ctx.log = &log;
	tr_log_reset(&log);
	regs.hcr_el2 = 0;
	if (!tr_translate(&ctx, TR_REGIME_EL10, 0x1234567abc, &acc, &res, &fault) ||
	    res.oa != 0x40300abc) {
		cli_error("bench walk: stage-1 walk failed");
		free(ram.w);
		return 1;
	}
	s1_reads = log.n;
	tr_log_reset(&log);
	regs.hcr_el2 = 0x80000001;
	if (!tr_translate(&ctx, TR_REGIME_EL10, 0x1234567abc, &acc, &res, &fault) ||
	    res.oa != 0x40300abc) {
		cli_error("bench walk: two-stage walk failed");
		free(ram.w);
		return 1;
	}
	s12_reads = log.n;
	ctx.log = NULL;

	/* Noisy shared machines: several rounds, each measuring all four in turn, and the
	 * best (minimum) of each kept. */
	chain_ns = s1_ns = s2_ns = s12_ns = s12nc_ns = 1e30;
	for (unsigned round = 0; round < ROUNDS; round++) {
		unsigned long n = iters / ROUNDS + 1;
		double t;

		t0 = bench_now_ns();
		for (unsigned long i = 0; i < n; i++)
			sink += load_chain(chain_start);
		t = (double)(bench_now_ns() - t0) / (double)n;
		chain_ns = t < chain_ns ? t : chain_ns;

		regs.hcr_el2 = 0;
		t0 = bench_now_ns();
		for (unsigned long i = 0; i < n; i++) {
			tr_translate(&ctx, TR_REGIME_EL10, 0x1234567abc, &acc, &res, &fault);
			sink += res.oa;
		}
		t = (double)(bench_now_ns() - t0) / (double)n;
		s1_ns = t < s1_ns ? t : s1_ns;

		regs.hcr_el2 = 0x80000001;
		t0 = bench_now_ns();
		for (unsigned long i = 0; i < n; i++) {
			tr_translate(&ctx, TR_REGIME_EL10, 0x1234567abc, &acc, &res, &fault);
			sink += res.oa;
		}
		t = (double)(bench_now_ns() - t0) / (double)n;
		s12_ns = t < s12_ns ? t : s12_ns;

		t0 = bench_now_ns();
		for (unsigned long i = 0; i < n; i++) {
			tr_translate(&nocache, TR_REGIME_EL10, 0x1234567abc, &acc, &res, &fault);
			sink += res.oa;
		}
		t = (double)(bench_now_ns() - t0) / (double)n;
		s12nc_ns = t < s12nc_ns ? t : s12nc_ns;

		t0 = bench_now_ns();
		for (unsigned long i = 0; i < n; i++) {
			tr_walk_s2(&ctx, 0x40300abc, &acc, &res, &fault);
			sink += res.oa;
		}
		t = (double)(bench_now_ns() - t0) / (double)n;
		s2_ns = t < s2_ns ? t : s2_ns;
	}
	free(ram.w);

	if (json)
		printf("{\"s1_walk_ns\": %.2f, \"s2_walk_ns\": %.2f, \"s12_walk_ns\": %.2f, "
		       "\"load_chain_ns\": %.2f, "
		       "\"ratio\": %.3f, \"s1_reads\": %u, \"s12_reads\": %u, "
		       "\"s12_nocache_ns\": %.2f, "
		       "\"qemu_at_s12e1r_ns\": %.1f, \"qemu_at_source\": \"%s\", "
		       "\"speedup_vs_qemu_at\": %.2f, "
		       "\"iterations\": %lu, \"checksum\": %llu}\n",
		       s1_ns, s2_ns, s12_ns, chain_ns, s12_ns / chain_ns, s1_reads, s12_reads,
		       s12nc_ns, qemu_ns, measured ? "measured" : "notes", qemu_ns / s12_ns, iters,
		       (unsigned long long)(sink & 0xffff));
	else
		printf("stage-1 walk (4K, 4 levels, %u reads):      %8.2f ns\n"
		       "stage-2 walk (4K, 4 levels, 4 reads):      %8.2f ns\n"
		       "two-stage walk (4K, 4+4 levels, %u reads): %8.2f ns\n"
		       "  the same without the decode cache:       %8.2f ns\n"
		       "24 dependent loads (baseline):             %8.2f ns\n"
		       "ratio two-stage / baseline:                %8.3f (target <= 3)\n"
		       "speedup vs QEMU in-guest AT S12E1R (%.1f ns, %s): %.2fx (target >= 3)\n",
		       s1_reads, s1_ns, s2_ns, s12_reads, s12_ns, s12nc_ns, chain_ns,
		       s12_ns / chain_ns,
		       qemu_ns, measured ? "measured" : "notes", qemu_ns / s12_ns);
	return 0;
}
