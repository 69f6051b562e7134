/* sample.c: the `sample` commands (placeholder until implemented). */
#include "cli.h"

const cp_command cp_cmds_sample[] = {
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
