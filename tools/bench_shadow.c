/* el2emu bench shadow: not implemented yet (placeholder replaced by its module's work). */
#include "bench.h"
#include "commands.h"

int bench_shadow(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("bench shadow is not implemented yet");
	return 2;
}
