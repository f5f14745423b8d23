/* el2emu decode: not implemented yet (placeholder replaced by its module's work). */
#include "commands.h"

int cmd_decode(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'decode' is not implemented yet");
	return 2;
}
