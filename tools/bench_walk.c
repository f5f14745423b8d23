/* el2emu bench walk: not implemented yet (placeholder replaced by its module's work). */
#include "bench.h"
#include "commands.h"

int bench_walk(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("bench walk is not implemented yet");
	return 2;
}
