/* el2emu replay: re-executes trace files (shared/trace-format.md) and checks every
 * expectation. Exit status: 0 all passed, 1 an expectation failed, 2 malformed input or a
 * usage error; with several files, the worst of them. */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "el2emu/trace.h"

static void replay_usage(FILE *out)
{
	fprintf(out,
		"usage: el2emu replay [options] FILE...\n"
		"\n"
		"Replays each trace (el2emu trace format 1; gzip-compressed files are read\n"
		"transparently, '-' is standard input) in order through the translation engine\n"
		"and checks every expectation. Prints one line per failed expectation,\n"
		"'FILE:LINE: <record>: expected <x> got <y>', a malformed record as\n"
		"'FILE:LINE: error: <why>', and ends with 'N passed, M failed'.\n"
		"Exit status: 0 all passed, 1 an expectation failed, 2 malformed input.\n"
		"\n"
		"options:\n"
		"  --json             print the summary and statistics as one JSON object\n"
		"                     (failure and error lines then go to standard error)\n"
		"  --audit            after every record, re-derive every shadow stage-2 leaf;\n"
		"                     one left stale by a TLBI or hostmap is a failure\n"
		"  --stats            print the shadow stage-2 statistics of each file\n"
		"                     (with --json: always included)\n"
		"  --progress         show a progress bar on standard error even when standard\n"
		"                     output is not a terminal (by default it is shown only\n"
		"                     when both are terminals and --json is not given)\n"
		"  --no-progress      never show the progress bar\n"
		"  --max-alloc SIZE   RAM pages a replay may allocate (default 512M)\n"
		"  --max-ram SIZE     total size of the ram records (default 8G)\n"
		"  --max-regions N    number of ram records (default 1024)\n"
		"  --max-hostmap N    disjoint hostmap ranges (default 4096)\n"
		"  --max-line SIZE    bytes in one line (default 1M)\n"
		"  -h, --help         show this help\n"
		"SIZE is a number (0x hex or decimal) with an optional K, M or G suffix.\n");
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_file(FILE *out, const char *path, int status, const struct trace_stats *st,
		      const char *shadow)
{
	fputs("{\"file\":", out);
	json_string(out, path);
	fprintf(out, ",\"status\":%d,\"passed\":%" PRIu64 ",\"failed\":%" PRIu64
		",\"lines\":%lu,\"records\":{", status, st->passed, st->failed, st->lines);
	for (int k = 0; k < TRACE_NKINDS; k++)
		fprintf(out, "%s\"%s\":%" PRIu64, k ? "," : "", trace_kind_name((enum trace_kind)k),
			st->records[k]);
	fprintf(out, "},\"at_unchecked\":%" PRIu64 ",\"access_unchecked\":%" PRIu64
		",\"regs_ignored\":%" PRIu64 ",\"mem_allocated\":%" PRIu64
		",\"mem_declared\":%" PRIu64 ",\"heap_peak\":%" PRIu64,
		st->at_unchecked, st->access_unchecked, st->regs_ignored, st->mem_allocated,
		st->mem_declared, st->heap_peak);
	if (shadow && *shadow)
		fprintf(out, ",\"shadow\":%s", shadow);
	fputc('}', out);
}

/* The progress bar on standard error: drawn when a file starts, then redrawn at most every
 * BAR_INTERVAL_NS (the replay reports every TRACE_PROGRESS_RECORDS records, so the cost is
 * one clock read per few thousand records), erased before any other output. */
#define BAR_INTERVAL_NS 250000000ull
#define BAR_WIDTH 24

struct bar {
	bool drawn;
	uint64_t start_ns, next_ns;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void bar_erase(struct bar *b)
{
	if (b->drawn)
		fputs("\r\033[K", stderr);
	b->drawn = false;
}

static void bar_update(void *ctx, const struct trace_progress *p)
{
	struct bar *b = ctx;
	uint64_t now;
	size_t len;
	double secs;

	if (!p) {
		bar_erase(b);
		return;
	}
	now = now_ns();
	if (p->records == 0)
		b->start_ns = now;
	else if (now < b->next_ns)
		return;
	b->next_ns = now + BAR_INTERVAL_NS;
	secs = (double)(now - b->start_ns) / 1e9;
	len = strlen(p->name);
	/* The name's tail, so that the line stays within 80 columns. */
	fprintf(stderr, "\r\033[K%s%s ", len > 24 ? "..." : "",
		len > 24 ? p->name + len - 21 : p->name);
	if (p->total) {
		unsigned fill = (unsigned)((double)p->done * BAR_WIDTH / (double)p->total);
		char cells[BAR_WIDTH + 1];

		for (unsigned i = 0; i < BAR_WIDTH; i++)
			cells[i] = i < fill ? '#' : '-';
		cells[BAR_WIDTH] = '\0';
		fprintf(stderr, "[%s] %3u%% ", cells,
			(unsigned)((double)p->done * 100 / (double)p->total));
	}
	fprintf(stderr, "%" PRIu64 " records", p->records);
	if (secs > 0)
		fprintf(stderr, ", %.0f/s", (double)p->records / secs);
	fflush(stderr);
	b->drawn = true;
}

/* Sets the limit an option names; 0 if argv[i] is no limit option, -1 on a bad value. */
static int limit_option(struct trace_limits *lim, const char *opt, const char *val)
{
	static const struct {
		const char *name;
		size_t off;
		bool u32;
	} opts[] = {
		{ "--max-alloc", offsetof(struct trace_limits, max_alloc), false },
		{ "--max-ram", offsetof(struct trace_limits, max_ram), false },
		{ "--max-regions", offsetof(struct trace_limits, max_regions), true },
		{ "--max-hostmap", offsetof(struct trace_limits, max_hostmap), true },
		{ "--max-line", offsetof(struct trace_limits, max_line), true },
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (strcmp(opt, opts[i].name))
			continue;
		if (!val) {
			cli_error("replay: %s needs a value", opt);
			return -1;
		}
		if (!cli_parse_size(val, &v) || (opts[i].u32 && v > UINT32_MAX)) {
			cli_error("replay: bad value '%s' for %s", val, opt);
			return -1;
		}
		if (opts[i].u32) {
			uint32_t v32 = (uint32_t)v;

			memcpy((char *)lim + opts[i].off, &v32, sizeof(v32));
		} else {
			memcpy((char *)lim + opts[i].off, &v, sizeof(v));
		}
		return 1;
	}
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	struct trace_replay_opts o = { .out = stdout, .err = stderr };
	uint64_t passed = 0, failed = 0;
	int nfiles = 0, done = 0, worst = 0, progress = -1;	/* -1: when on a terminal */
	bool json = false, opts_done = false, stats = false;
	struct bar bar = { 0 };

	trace_limits_default(&o.limits);
	/* First pass: options, anywhere before "--". What is not a file becomes NULL, so the
	 * second pass replays what is left, in order. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r;

		if (opts_done || a[0] != '-' || !strcmp(a, "-")) {
			nfiles++;
			continue;
		}
		argv[i] = NULL;
		if (!strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			replay_usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--json")) {
			json = true;
			continue;
		}
		if (!strcmp(a, "--audit")) {
			o.audit = true;
			continue;
		}
		if (!strcmp(a, "--stats")) {
			stats = true;
			continue;
		}
		if (!strcmp(a, "--progress") || !strcmp(a, "--no-progress")) {
			progress = a[2] == 'p';
			continue;
		}
		r = limit_option(&o.limits, a, i + 1 < argc ? argv[i + 1] : NULL);
		if (r < 0)
			return 2;
		if (r > 0) {
			argv[++i] = NULL;	/* the option's value */
			continue;
		}
		cli_error("replay: unknown option '%s'", a);
		replay_usage(stderr);
		return 2;
	}
	if (!nfiles) {
		cli_error("replay: no trace file given");
		replay_usage(stderr);
		return 2;
	}
	if (progress < 0)
		progress = !json && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
	if (progress) {
		o.progress = bar_update;
		o.progress_ctx = &bar;
	}
	if (json) {
		o.out = stderr;
		fputs("{\"files\":[", stdout);
	} else if (stats) {
		o.nested_stats = stdout;
	}
	for (int i = 1; i < argc; i++) {
		struct trace_stats st;
		char *shadow = NULL;
		size_t shadow_len = 0;
		int status;

		if (!argv[i])
			continue;
		/* The shadow statistics of one file, to embed in its JSON object. */
		o.nested_json = json ? open_memstream(&shadow, &shadow_len) : NULL;
		status = trace_replay_path(argv[i], &o, &st);
		bar_erase(&bar);
		if (o.nested_json)
			fclose(o.nested_json);
		passed += st.passed;
		failed += st.failed;
		if (status > worst)
			worst = status;
		if (json) {
			if (done)
				fputc(',', stdout);
			json_file(stdout, argv[i], status, &st, shadow);
		} else if (nfiles > 1) {
			printf("%s: %" PRIu64 " passed, %" PRIu64 " failed\n", argv[i], st.passed,
			       st.failed);
		}
		free(shadow);
		done++;
	}
	if (json)
		printf("],\"passed\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"status\":%d}\n", passed,
		       failed, worst);
	else
		printf("%" PRIu64 " passed, %" PRIu64 " failed\n", passed, failed);
	return worst;
}
