/* el2emu sysreg: not implemented yet (placeholder replaced by its module's work). */
#include "commands.h"

int cmd_sysreg(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("'sysreg' is not implemented yet");
	return 2;
}
