/* el2emu command-line entry point: dispatches to the subcommands of commands.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "el2emu/trace.h"
#include "el2emu/version.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
#define X(name, fn, summary) {name, fn, summary},
	EL2EMU_COMMANDS(X)
#undef X
};

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("el2emu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool cli_parse_u64(const char *s, uint64_t *out)
{
	return trace_parse_u64(s, out);
}

bool cli_parse_size(const char *s, uint64_t *out)
{
	char buf[32];
	size_t len = strlen(s);
	unsigned shift = 0;
	uint64_t v;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len + 1);
	switch (buf[len - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	default: break;
	}
	if (shift)
		buf[len - 1] = '\0';
	if (!trace_parse_u64(buf, &v) || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = v << shift;
	return true;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: el2emu <command> [options] [args]\n"
		"       el2emu --help | --version\n"
		"\n"
		"An emulator of the ARMv8 EL2 translation regimes for nested virtualization.\n"
		"\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'el2emu <command> --help' for the options of a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("el2emu %s\n", EL2EMU_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);

	if (argv[1][0] == '-')
		cli_error("unknown option '%s'", argv[1]);
	else
		cli_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
