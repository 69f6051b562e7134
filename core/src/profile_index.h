/* profile_index.h: profiles for many people at once (used by imports that
 * check thousands of rows): the framework items, adoptions, post agreements
 * and per-person changes loaded once, each (service, post) profile computed
 * once as a bitset over items. Internal. */
#ifndef CP_PROFILE_INDEX_H
#define CP_PROFILE_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "cpdplan/error.h"
#include "cpdplan/store.h"

typedef struct cp_profile_index cp_profile_index;

int cp_profile_index_load(cp_store *st, cp_profile_index **out, cp_error *err);
void cp_profile_index_free(cp_profile_index *ix);

/* Source of item in the profile of a person (service_id, post_id may be 0):
 * a cp_profile_source, 0 when the item is not in it, or CP_ENOMEM. */
int cp_profile_index_source(cp_profile_index *ix, int64_t person_id, int64_t service_id, int64_t post_id,
                            int64_t item_id);

/* True if the person has personal additions or removals. */
bool cp_profile_index_has_changes(const cp_profile_index *ix, int64_t person_id);

/* True if item is a gradeable (statement) item. */
bool cp_profile_index_gradeable(const cp_profile_index *ix, int64_t item_id);

#endif
