/* assess.c: the `assess` commands (placeholder until implemented). */
#include "cli.h"

const cp_command cp_cmds_assess[] = {
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
