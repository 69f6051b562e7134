/* framework.c: the `framework` commands (placeholder until implemented). */
#include "cli.h"

const cp_command cp_cmds_framework[] = {
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
