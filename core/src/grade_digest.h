/* grade_digest.h: the agreed grades of a person in a cycle, folded from
 * their judgements, and the digest table that keeps them folded (migration
 * 005). Used by the modules that record judgements (to refresh stale
 * digests before they commit), the store (after migrating, and on opening
 * read-write) and the snapshot (to read them). */
#ifndef CP_GRADE_DIGEST_H
#define CP_GRADE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "store_internal.h"

/* Fold one person's judgements of one cycle into their agreed grades: per
 * statement (item) the latest manager judgement, else the latest
 * self-evaluation; peers and stakeholders inform but do not agree, and
 * grades outside N/A..4 (a wider scale's) are not agreed grades. Calls
 * emit(ud, item, grade) once per item that has one, in item order, with
 * grade CP_GRADE_NA or 1..4. *rows (may be NULL) is set to the number of
 * judgements read. Returns 0 or a cp_error code. */
int cp_grade_fold(cp_store *st, int64_t cycle_id, int64_t person_id, void (*emit)(void *ud, int64_t item, int grade),
                  void *ud, size_t *rows, cp_error *err);

/* Reading a digest blob: cp_digest_open returns 0 when the blob is one this
 * build reads, -1 otherwise; cp_digest_next returns 1 with the next item
 * (increasing) and grade, 0 at the end, -1 when the blob is malformed. */
typedef struct cp_digest_reader {
  const unsigned char *p, *end;
  int64_t item;
} cp_digest_reader;
int cp_digest_open(cp_digest_reader *rd, const void *blob, size_t n);
int cp_digest_next(cp_digest_reader *rd, int64_t *item, int *grade);

/* Fold every stale digest (grades NULL) again, in the caller's transaction
 * or its own; a digest whose person has no judgements left in the cycle is
 * removed. *folded (may be NULL) is set to how many were folded. */
int cp_grade_digest_refresh(cp_store *st, size_t *folded, cp_error *err);

#endif
