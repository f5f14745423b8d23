/* el2emu bench cpu: nested-guest throughput against a bare Unicorn engine running the same
 * loop with the same memory in the same run, and the nested HVC round trip (docs/cpu.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "commands.h"
#include "el2emu/cpu.h"

int bench_cpu(int argc, char **argv)
{
	struct cpu_bench_result r;
	unsigned long long iters = 1000000, exits = 20000;
	bool json = false;
	char err[256];
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if ((!strcmp(argv[i], "--iters") || !strcmp(argv[i], "--exits")) &&
			   i + 1 < argc) {
			uint64_t v;

			if (!cli_parse_u64(argv[i + 1], &v) || !v || v > 1000000000ull) {
				cli_error("bench cpu: bad %s '%s'", argv[i], argv[i + 1]);
				return 2;
			}
			if (argv[i][2] == 'i')
				iters = v;
			else
				exits = v;
			i++;
		} else {
			fprintf(stderr, "usage: el2emu bench cpu [--json] [--iters N] [--exits N]\n"
					"  --iters N  loop iterations per HVC exit, throughput run "
					"(default 1000000)\n"
					"  --exits N  HVC round trips, latency run (default 20000)\n");
			return !strcmp(argv[i], "--help") ? 0 : 2;
		}
	}
	if (cpu_bench(iters, exits, &r, err, sizeof(err))) {
		cli_error("bench cpu: %s", err);
		return 1;
	}
	if (json) {
		printf("{\"nested_mips\": %.2f, \"bare_mips\": %.2f, \"ratio\": %.3f, "
		       "\"exit_roundtrip_us\": %.3f, \"traps_per_hvc_exit\": %.2f, "
		       "\"nested_insns\": %llu, \"bare_insns\": %llu, \"exits\": %llu}\n",
		       r.nested_mips, r.bare_mips, r.nested_mips / r.bare_mips,
		       r.exit_roundtrip_us, r.traps_per_hvc_exit,
		       (unsigned long long)r.nested_insns, (unsigned long long)r.bare_insns,
		       (unsigned long long)r.exits);
	} else {
		printf("nested guest loop on el2emu:   %8.2f M insn/s (%llu insns)\n",
		       r.nested_mips, (unsigned long long)r.nested_insns);
		printf("same loop, bare Unicorn:       %8.2f M insn/s (%llu insns)\n", r.bare_mips,
		       (unsigned long long)r.bare_insns);
		printf("ratio nested/bare:             %8.3f\n", r.nested_mips / r.bare_mips);
		printf("HVC -> hypervisor -> ERET:     %8.3f us per round trip (%llu exits)\n",
		       r.exit_roundtrip_us, (unsigned long long)r.exits);
		printf("traps per HVC exit:            %8.2f\n", r.traps_per_hvc_exit);
	}
	return 0;
}
