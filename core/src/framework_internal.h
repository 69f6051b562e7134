/* framework_internal.h: what the framework parsers and writers share and the
 * public API does not show: reading one source format's section ("case",
 * "moodle") of a document's doc_json or an item's extra_json. Internal. */
#ifndef CP_FRAMEWORK_INTERNAL_H
#define CP_FRAMEWORK_INTERNAL_H

#include <jansson.h>

/* The object stored under format in the JSON text stored (new reference), or
 * NULL when stored is NULL, not JSON, or has no such object. */
json_t *cp_fw_section(const char *stored, const char *format);

#endif
