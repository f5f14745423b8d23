/* The el2emu subcommands. Each lives in its own tools/cmd_*.c file and returns the
 * process exit status: 0 success, 1 a check failed, 2 a usage or input error. */
#ifndef EL2EMU_TOOLS_COMMANDS_H
#define EL2EMU_TOOLS_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

/* X(name, function, one-line summary) */
#define EL2EMU_COMMANDS(X)                                                            \
	X("replay", cmd_replay, "replay trace files and check every expectation")    \
	X("sysreg", cmd_sysreg, "look up, list and decode system registers")         \
	X("decode", cmd_decode, "disassemble AArch64 instruction words")             \
	X("bench", cmd_bench, "measure the walker, shadow stage 2 and replay")      \
	X("walk", cmd_walk, "draw a translation walk step by step")                \
	X("run", cmd_run, "run a guest hypervisor image at virtual EL2")

#define X(name, fn, summary) int fn(int argc, char **argv);
EL2EMU_COMMANDS(X)
#undef X

/* Shared by every command: prints "el2emu: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Numbers on the command line, spelled as in traces: 0x hex or decimal, no sign, at most
 * 64 bits; false otherwise. cli_parse_size also takes a K, M or G (binary) suffix. */
bool cli_parse_u64(const char *s, uint64_t *out);
bool cli_parse_size(const char *s, uint64_t *out);

#endif
