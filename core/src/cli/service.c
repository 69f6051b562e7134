/* service.c: the `service` commands (placeholder until implemented). */
#include "cli.h"

const cp_command cp_cmds_service[] = {
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
