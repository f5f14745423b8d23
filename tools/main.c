/* el2emu command-line entry point: dispatches to the subcommands of commands.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
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
