/* service.h: services (local authorities or consortia) and the frameworks
 * they adopt, and posts with the `agreed` framework items added to their
 * default profile. A service named for the first time is created and adopts
 * the database's default frameworks (set by `cpdplan init --adopt`). */
#ifndef CPDPLAN_SERVICE_H
#define CPDPLAN_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "cpdplan/error.h"
#include "cpdplan/people.h"
#include "cpdplan/store.h"

/* Find the service called name, creating it (with the default adoption)
 * when new. Sets *id and *created. */
int cp_service_ensure(cp_store *st, const char *name, int64_t *id, int *created, cp_error *err);

/* The service adopts a framework (by short name or CASE identifier); the
 * service is created if new. Adopting twice is not an error. */
int cp_service_adopt(cp_store *st, const char *service, const char *framework, cp_error *err);

/* The service stops using a framework. */
int cp_service_drop(cp_store *st, const char *service, const char *framework, cp_error *err);

typedef struct cp_service_info {
  char uuid[37];
  char *name;
  char *nation;
  char *frameworks; /* short names, space-separated */
  long people;
} cp_service_info;

int cp_service_list(cp_store *st, cp_service_info **out, size_t *n, cp_error *err);
void cp_service_list_free(cp_service_info *list, size_t n);

/* Import services.csv: columns service (required), nation, frameworks
 * (short names or identifiers, space-separated: adopted in addition). */
int cp_service_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err);

/* ---- posts ---- */

/* Find or create a post by name. */
int cp_post_ensure(cp_store *st, const char *name, int64_t *id, cp_error *err);

/* Add (agree) or remove a framework item (statement, element, dimension,
 * key area; by code or uuid) on a post's default profile. */
int cp_post_agree(cp_store *st, const char *post, const char *item, cp_error *err);
int cp_post_unagree(cp_store *st, const char *post, const char *item, cp_error *err);

typedef struct cp_post_info {
  char *name;
  char *agreed; /* item codes, space-separated */
  long people;
} cp_post_info;

int cp_post_list(cp_store *st, cp_post_info **out, size_t *n, cp_error *err);
void cp_post_list_free(cp_post_info *list, size_t n);

/* Import posts.csv: columns post (required), statements (item codes,
 * space-separated, agreed for the post in addition to those held). */
int cp_post_import_csv(cp_store *st, const char *path, cp_import_result *res, cp_error *err);

#endif
