/* people.c: the `people` commands (placeholder until implemented). */
#include "cli.h"

const cp_command cp_cmds_people[] = {
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
