/* el2emu bench: each benchmark lives in tools/bench_<name>.c. */
#ifndef EL2EMU_TOOLS_BENCH_H
#define EL2EMU_TOOLS_BENCH_H

#include <stdint.h>

/* X(name, function, one-line summary) */
#define EL2EMU_BENCHES(X)                                                          \
	X("walk", bench_walk, "translation walks against a dependent-load baseline") \
	X("shadow", bench_shadow, "shadow stage-2 fill, hit and invalidation")         \
	X("replay", bench_replay, "trace replay: read baseline, parse only, execute") \
	X("cpu", bench_cpu, "nested CPU: nested vs bare Unicorn MIPS, HVC round trip")

#define X(name, fn, summary) int fn(int argc, char **argv);
EL2EMU_BENCHES(X)
#undef X

/* Monotonic clock in nanoseconds. */
uint64_t bench_now_ns(void);

#endif
