/* profile.c: the `profile` commands (placeholder until implemented). */
#include "cli.h"

const cp_command cp_cmds_profile[] = {
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
