/* embedded.h: data files compiled into the library by core/embed.cmake.
 * Each table ends with a {NULL, NULL, 0} entry; data is NUL-terminated. */
#ifndef CP_EMBEDDED_H
#define CP_EMBEDDED_H
#include <stddef.h>

typedef struct cp_embedded_file {
  const char *name; /* base name, e.g. "001_init.sql" */
  const char *data; /* contents, NUL-terminated */
  size_t size;      /* size in bytes, without the NUL */
} cp_embedded_file;

extern const cp_embedded_file cp_embedded_sql[];
extern const cp_embedded_file cp_embedded_frameworks[];
extern const cp_embedded_file cp_embedded_catalogues[];
extern const cp_embedded_file cp_embedded_plugins[]; /* plugins/default.lua */

#endif
