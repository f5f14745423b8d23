/* el2emu replay: not implemented yet (placeholder replaced by its module's work). */
#include "commands.h"

int cmd_replay(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'replay' is not implemented yet");
	return 2;
}
