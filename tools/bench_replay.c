/* el2emu bench replay: how fast traces replay, split into the cost of reading the bytes
 * (a plain line scan, the baseline measured in the same run), of parsing them (reader
 * only: tokenising and decoding every record, nothing executed) and of executing them
 * (trace_replay: parse + translation + compare). Each trace is loaded into memory once
 * (gzip decoded), so no phase measures the disk or zlib. */
#include <glob.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "bench.h"
#include "commands.h"
#include "el2emu/trace.h"

/* A benchmark input is the user's own file; still refuse absurd sizes. */
#define MAX_TRACE_BYTES (1ull << 30)

struct phase {
	uint64_t iters;	/* run in all */
	double ns;	/* per iteration, in the fastest batch */
};

struct file_result {
	const char *path;
	size_t bytes;
	uint64_t records, accesses, lines;
	int status;
	struct phase read, parse, exec;
};

static char *load(const char *path, size_t *len)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = NULL;

	if (!gz)
		return NULL;
	for (;;) {
		char *nb;
		int got;

		if (!buf || n == cap) {
			if (buf)
				cap *= 2;
			if (cap > MAX_TRACE_BYTES)
				break;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		got = gzread(gz, buf + n, (unsigned)(cap - n));
		if (got < 0)
			break;
		if (got == 0) {
			int errnum = Z_OK;

			/* A compressed stream cut short ends with Z_BUF_ERROR: not a whole trace. */
			gzerror(gz, &errnum);
			if (errnum != Z_OK)
				break;
			gzclose(gz);
			*len = n;
			return buf;
		}
		n += (size_t)got;
	}
	gzclose(gz);
	free(buf);
	return NULL;
}

/* Baseline: a plain read of the bytes, finding every line end, as any line reader must. */
static uint64_t scan_lines(const char *buf, size_t len)
{
	uint64_t lines = 0;
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		lines++;
		if (!nl)
			break;
		p = nl + 1;
	}
	return lines;
}

/* Parse only: every record read and decoded, none applied. -1 on malformed input. */
static int parse_all(const char *buf, size_t len, uint64_t *records, uint64_t *accesses)
{
	struct trace_reader *r = trace_reader_open_mem(buf, len, NULL);
	struct trace_record rec;
	int n;

	*records = *accesses = 0;
	if (!r)
		return -1;
	while ((n = trace_reader_next(r, &rec)) > 0) {
		(*records)++;
		*accesses += rec.kind == TRACE_ACCESS;
	}
	trace_reader_close(r);
	return n;
}

static int exec_all(const char *buf, size_t len, uint64_t *lines)
{
	struct trace_replay_opts o = { 0 };
	struct trace_reader *r;
	struct trace_stats st;
	int status;

	trace_limits_default(&o.limits);
	r = trace_reader_open_mem(buf, len, &o.limits);
	if (!r)
		return 2;
	status = trace_replay(r, "bench", &o, &st);
	*lines = st.lines;
	trace_reader_close(r);
	return status;
}

enum phase_kind { PH_READ, PH_PARSE, PH_EXEC };

static void run_batch(enum phase_kind k, const char *buf, size_t len, uint64_t batch,
		      uint64_t *sink)
{
	uint64_t a, b;

	for (uint64_t i = 0; i < batch; i++) {
		switch (k) {
		case PH_READ:
			*sink += scan_lines(buf, len);
			break;
		case PH_PARSE:
			*sink += (uint64_t)parse_all(buf, len, &a, &b) + a;
			break;
		case PH_EXEC:
			*sink += (uint64_t)exec_all(buf, len, &a);
			break;
		}
	}
}

/* Runs one phase for about min_ns: a batch is sized (by doubling) to take at least an
 * eighth of that, then batches run until min_ns have elapsed and the fastest batch gives
 * the figure, since other processes on a shared machine only ever slow a batch down. The
 * sink keeps the compiler from dropping the baseline's work. */
static struct phase run_phase(enum phase_kind k, const char *buf, size_t len, uint64_t min_ns,
			      uint64_t *sink)
{
	struct phase ph = { 0, 0 };
	uint64_t batch = 1, total = 0, t;
	double best = 0;

	for (;;) {
		t = bench_now_ns();
		run_batch(k, buf, len, batch, sink);
		t = bench_now_ns() - t;
		total += t;
		ph.iters += batch;
		if (t >= min_ns / 8 || total >= min_ns)
			break;
		batch *= 2;
	}
	best = (double)t / (double)batch;
	while (total < min_ns) {
		t = bench_now_ns();
		run_batch(k, buf, len, batch, sink);
		t = bench_now_ns() - t;
		total += t;
		ph.iters += batch;
		if ((double)t / (double)batch < best)
			best = (double)t / (double)batch;
	}
	ph.ns = best;
	return ph;
}

static double per_s(uint64_t count, double ns)
{
	return ns > 0 ? (double)count * 1e9 / ns : 0;
}

static bool bench_file(const char *path, uint64_t min_ns, struct file_result *fr)
{
	uint64_t sink = 0;
	char *buf;

	memset(fr, 0, sizeof(*fr));
	fr->path = path;
	buf = load(path, &fr->bytes);
	if (!buf) {
		cli_error("bench replay: cannot read '%s' (unreadable, or over 1 GiB decoded)", path);
		return false;
	}
	/* One untimed pass each: the counts, and whether the trace replays cleanly. */
	if (parse_all(buf, fr->bytes, &fr->records, &fr->accesses) < 0) {
		fr->status = 2;
	} else {
		fr->status = exec_all(buf, fr->bytes, &fr->lines);
		fr->read = run_phase(PH_READ, buf, fr->bytes, min_ns, &sink);
		fr->parse = run_phase(PH_PARSE, buf, fr->bytes, min_ns, &sink);
		fr->exec = run_phase(PH_EXEC, buf, fr->bytes, min_ns, &sink);
	}
	free(buf);
	return sink != 1;	/* always true; the sink only has to be used */
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: el2emu bench replay [--json] [--min-time MS] [FILE...]\n"
		"\n"
		"Replays each trace in memory, repeatedly, and reports the rate of a plain read\n"
		"of its bytes (baseline), of parsing it (no execution) and of executing it\n"
		"(parse + translation + compare). FILE defaults to traces/*.trace and\n"
		"traces/*.trace.gz. --min-time is the time spent on each phase of each file\n"
		"(default 300 ms); the figure is that of the fastest batch of runs.\n");
}

static void print_text(const struct file_result *fr, size_t n, const struct file_result *t,
		       double setup_ns)
{
	for (size_t i = 0; i <= n; i++) {
		const struct file_result *f = i < n ? &fr[i] : t;
		double tr = f->exec.ns - f->parse.ns;

		if (i == n && n < 2)
			break;
		printf("%s: %zu bytes, %" PRIu64 " records (%" PRIu64 " access), status %d\n",
		       f->path, f->bytes, f->records, f->accesses, f->status);
		printf("  read (baseline)  %10.0f ns  %8.1f MB/s\n", f->read.ns,
		       per_s(f->bytes, f->read.ns) / 1e6);
		printf("  parse only       %10.0f ns  %8.1f MB/s  %10.0f records/s  %.1fx read\n",
		       f->parse.ns, per_s(f->bytes, f->parse.ns) / 1e6,
		       per_s(f->records, f->parse.ns),
		       f->read.ns > 0 ? f->parse.ns / f->read.ns : 0);
		printf("  execute          %10.0f ns  %10.0f records/s  %10.0f access/s  "
		       "%.1fx read\n", f->exec.ns, per_s(f->records, f->exec.ns),
		       per_s(f->accesses, f->exec.ns),
		       f->read.ns > 0 ? f->exec.ns / f->read.ns : 0);
		printf("  translation      %10.0f ns  (execute - parse; %.1f ns/record)\n", tr,
		       f->records ? tr / (double)f->records : 0);
	}
	printf("replay setup (a header alone) %.0f ns, included in each execute figure\n",
	       setup_ns);
}

static void json_phase(const char *name, const struct phase *ph)
{
	printf("\"%s\":{\"iterations\":%" PRIu64 ",\"ns\":%.0f}", name, ph->iters, ph->ns);
}

static void json_rates(const struct file_result *f)
{
	double tr = f->exec.ns - f->parse.ns;

	printf("\"bytes\":%zu,\"records\":%" PRIu64 ",\"access\":%" PRIu64
	       ",\"records_per_s\":%.0f,\"access_per_s\":%.0f,\"parse_records_per_s\":%.0f"
	       ",\"parse_bytes_per_s\":%.0f,\"read_bytes_per_s\":%.0f"
	       ",\"parse_ns_per_record\":%.1f,\"translate_ns_per_record\":%.1f"
	       ",\"parse_vs_read\":%.2f,\"exec_vs_read\":%.2f,",
	       f->bytes, f->records, f->accesses, per_s(f->records, f->exec.ns),
	       per_s(f->accesses, f->exec.ns), per_s(f->records, f->parse.ns),
	       per_s(f->bytes, f->parse.ns), per_s(f->bytes, f->read.ns),
	       f->records ? f->parse.ns / (double)f->records : 0,
	       f->records ? tr / (double)f->records : 0,
	       f->read.ns > 0 ? f->parse.ns / f->read.ns : 0,
	       f->read.ns > 0 ? f->exec.ns / f->read.ns : 0);
	json_phase("read", &f->read);
	putchar(',');
	json_phase("parse", &f->parse);
	putchar(',');
	json_phase("exec", &f->exec);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const struct file_result *fr, size_t n, const struct file_result *t,
		       double setup_ns)
{
	printf("{\"bench\":\"replay\",\"files\":[");
	for (size_t i = 0; i < n; i++) {
		printf("%s{\"file\":", i ? "," : "");
		json_string(fr[i].path);
		printf(",\"status\":%d,", fr[i].status);
		json_rates(&fr[i]);
		putchar('}');
	}
	printf("],\"status\":%d,\"setup_ns\":%.0f,", t->status, setup_ns);
	json_rates(t);
	printf("}\n");
}

int bench_replay(int argc, char **argv)
{
	static const char empty[] = "el2emu-trace 1\n";
	struct file_result *fr, total = { .path = "total" };
	struct phase setup;
	uint64_t sink = 0;
	uint64_t min_ns = 300000000ull;
	bool json = false, globbed = false;
	size_t nfiles = 0, n = 0;
	const char **files;
	glob_t g = { 0 };
	int ret = 0;

	files = calloc((size_t)argc + 1, sizeof(*files));
	if (!files)
		return 2;
	for (int i = 1; i < argc; i++) {
		uint64_t ms;

		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--min-time")) {
			if (i + 1 == argc || !trace_parse_u64(argv[++i], &ms) || ms > 3600000) {
				cli_error("bench replay: --min-time takes milliseconds (up to 3600000)");
				free(files);
				return 2;
			}
			min_ns = ms * 1000000ull;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			free(files);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_error("bench replay: unknown option '%s'", argv[i]);
			usage(stderr);
			free(files);
			return 2;
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (!nfiles) {
		glob("traces/*.trace", 0, NULL, &g);
		glob("traces/*.trace.gz", g.gl_pathc ? GLOB_APPEND : 0, NULL, &g);
		globbed = true;
		if (!g.gl_pathc) {
			cli_error("bench replay: no traces/*.trace[.gz] here; give FILE arguments");
			free(files);
			globfree(&g);
			return 2;
		}
	}
	n = globbed ? g.gl_pathc : nfiles;
	fr = calloc(n, sizeof(*fr));
	if (!fr) {
		free(files);
		globfree(&g);
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		const char *path = globbed ? g.gl_pathv[i] : files[i];

		if (!bench_file(path, min_ns, &fr[i])) {
			ret = 2;
			goto out;
		}
		/* The total is one pass over every file, as a replay of all of them. */
		total.bytes += fr[i].bytes;
		total.records += fr[i].records;
		total.accesses += fr[i].accesses;
		total.read.ns += fr[i].read.ns;
		total.parse.ns += fr[i].parse.ns;
		total.exec.ns += fr[i].exec.ns;
		total.read.iters += fr[i].read.iters;
		total.parse.iters += fr[i].parse.iters;
		total.exec.iters += fr[i].exec.iters;
		if (fr[i].status > total.status)
			total.status = fr[i].status;
	}
	/* The fixed cost of a replay (reader, memory, shadow stage 2): a header alone. */
	setup = run_phase(PH_EXEC, empty, sizeof(empty) - 1, min_ns / 4, &sink);
	if (json)
		print_json(fr, n, &total, setup.ns);
	else
		print_text(fr, n, &total, setup.ns);
	/* Figures of a trace that does not replay cleanly are not a replay's. */
	ret = total.status;
out:
	free(fr);
	free(files);
	globfree(&g);
	return ret;
}
