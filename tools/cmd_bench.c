/* el2emu bench: dispatches to the benchmarks of bench.h. Figures are reported as
 * ratios against a baseline measured in the same run, since machines are noisy. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "commands.h"

static const struct bench {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} benches[] = {
#define X(name, fn, summary) {name, fn, summary},
	EL2EMU_BENCHES(X)
#undef X
};

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: el2emu bench <benchmark> [--json] [options]\n\nbenchmarks:\n");
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		fprintf(out, "  %-8s %s\n", benches[i].name, benches[i].summary);
}

int cmd_bench(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (!strcmp(argv[1], benches[i].name))
			return benches[i].fn(argc - 1, argv + 1);
	cli_error("bench: unknown benchmark '%s'", argv[1]);
	usage(stderr);
	return 2;
}
