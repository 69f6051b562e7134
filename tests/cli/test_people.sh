#!/usr/bin/env bash
# test_people.sh: end to end: services, posts, people import (idempotent,
# managers in any order), profiles, and every malformed people file rejected
# with its exact FILE:LINE:COL message and the database unchanged; odd but
# valid files (BOM, CRLF, blank lines, capitals and spaces in emails, header
# only, columns left out) and a re-import that would close a cycle.
. "$(dirname "$0")/lib.sh"
P="$DATA/people"

check init cp init
check_out services "2 services: 2 added" cp service import "$P/services.csv"
check_out posts "3 posts: 3 added" cp post import "$P/posts.csv"
check_out import "5 people: 5 added, 0 updated, 0 unchanged" cp person import "$P/people.csv"
check_out reimport "5 people: 0 added, 0 updated, 5 unchanged" cp person import "$P/people.csv"
check_out services-again "2 services: 0 added, 0 updated, 2 unchanged" cp service import "$P/services.csv"
check_out show-manager "line_manager     bob@test.gov.uk" cp person show cerys@test.gov.uk
check_out show-language "language         cy" cp person show ann@test.gov.uk
check_out list-team "Primary" cp person list --team Primary
check_out export "\"Lead, Bob\",bob@test.gov.uk,Team Leader,Primary,Testshire,ann@test.gov.uk,2015-01-05,senior,both,1," cp person export

check_out service-list "Testshire,wales,VSC WEIP,4," cp service list --format csv
check_out post-list "Team Leader                 VSC-KS VSC-PC" cp post list

# export then import round trip changes nothing
cp person export > "$T/roundtrip.csv"
check_out roundtrip "5 people: 0 added, 0 updated, 5 unchanged" cp person import "$T/roundtrip.csv"

# profiles: Welsh adviser = WEIP-1, WEIP-2 (all) + WEIP-3 (agreed for Challenge Adviser)
check_out profile-count "3 statements" cp profile show dan@test.gov.uk
check_out profile-post "WEIP-3" cp profile show dan@test.gov.uk
# a key area graded as a whole is listed once, not as a heading and again as a statement
[ "$(cp profile show dan@test.gov.uk | grep -c 'WEIP-1')" = 1 ] && pass || failed "WEIP-1 listed more than once"
# team leader: WEIP-1, WEIP-2 + VSC-KS (3) + VSC-PC (7)
check_out profile-tl "12 statements" cp profile show bob@test.gov.uk
# head of service: WEIP-1, WEIP-2 + all of VSC (30)
check_out profile-head "32 statements" cp profile show ann@test.gov.uk
# English adviser: Aspect, 153
check_out profile-eng "153 statements" cp profile show eve@example.gov.uk
check cp-remove cp profile remove dan@test.gov.uk WEIP-3
check_out profile-removed "2 statements" cp profile show dan@test.gov.uk
check cp-add cp profile add dan@test.gov.uk WEIP-3 VSC-PQ
check_out profile-added "23 statements" cp profile show dan@test.gov.uk
check cp-remove2 cp profile remove dan@test.gov.uk VSC-PQ

# edits
check edit cp person edit dan@test.gov.uk --team Secondary --mentor-capacity 3
check_out edited "team             Secondary" cp person show dan@test.gov.uk
check_rejects edit-cycle "cpdplan: line managers form a cycle: ann@test.gov.uk -> cerys@test.gov.uk -> bob@test.gov.uk -> ann@test.gov.uk" \
  cp person edit ann@test.gov.uk --line-manager cerys@test.gov.uk
check_rejects add-dup "cpdplan: dan@test.gov.uk is already held (use \`person edit\`)" cp person add dan@test.gov.uk "Dan Again"
check_rejects unknown-person "cpdplan: no person nobody@test.gov.uk" cp person show nobody@test.gov.uk

# malformed files: exact message, exit 1, database unchanged
check_rejects unknown-manager "cpdplan: $P/bad-unknown-manager.csv:3:6: line manager zed@test.gov.uk is not in the file or the database" \
  cp person import "$P/bad-unknown-manager.csv"
check_rejects cycle "cpdplan: $P/bad-cycle.csv:2:3: line managers form a cycle: a@t.org -> c@t.org -> b@t.org -> a@t.org" \
  cp person import "$P/bad-cycle.csv"
check_rejects bad-date "cpdplan: $P/bad-date.csv:2:3: appointed \"2026-02-30\" is not a date (YYYY-MM-DD)" \
  cp person import "$P/bad-date.csv"
check_rejects duplicate "cpdplan: $P/bad-duplicate.csv:4:2: duplicate email a@t.org (also on line 2)" \
  cp person import "$P/bad-duplicate.csv"
check_rejects missing-column "cpdplan: $P/bad-missing-column.csv:1: missing required column \"email\"" \
  cp person import "$P/bad-missing-column.csv"
check_rejects latin1 "cpdplan: $P/bad-latin1.csv:2:4: not valid UTF-8 (save the file as CSV UTF-8)" \
  cp person import "$P/bad-latin1.csv"
check_rejects quote "cpdplan: $P/bad-quote.csv:2: malformed CSV: a quoted field is never closed" \
  cp person import "$P/bad-quote.csv"
check_rejects stage "cpdplan: $P/bad-stage.csv:2:3: stage \"junior\" is not one of new, established, experienced, senior, chief" \
  cp person import "$P/bad-stage.csv"
check_rejects capacity "cpdplan: $P/bad-capacity.csv:2:3: mentor_capacity \"lots\" is not a whole number from 0 to 50" \
  cp person import "$P/bad-capacity.csv"
check_rejects no-file "cpdplan: $T/none.csv: cannot open: No such file or directory" cp person import "$T/none.csv"

check_rejects self-manager "cpdplan: $P/bad-self-manager.csv:2:3: a@t.org cannot be their own line manager" \
  cp person import "$P/bad-self-manager.csv"
check_rejects empty "cpdplan: $P/empty.csv:1: empty file: no header row" cp person import "$P/empty.csv"
check_rejects reimport-cycle "cpdplan: $P/bad-reimport-cycle.csv:2:3: line managers form a cycle: ann@test.gov.uk -> cerys@test.gov.uk -> bob@test.gov.uk -> ann@test.gov.uk" \
  cp person import "$P/bad-reimport-cycle.csv"
check_rejects unagree-no-post "cpdplan: no post No Such Post" cp post remove "No Such Post" WEIP-3
check_out header-only "0 people: 0 added, 0 updated, 0 unchanged" cp person import "$P/header-only.csv"
check_out bom-crlf "2 people: 2 added, 0 updated, 0 unchanged" cp person import "$P/bom-crlf.csv"
check_out bom-crlf-again "2 people: 0 added, 0 updated, 2 unchanged" cp person import "$P/bom-crlf.csv"
check_out bom-crlf-manager "line_manager     ann.upper@test.gov.uk" cp person show BOB.LOWER@test.gov.uk
# columns a file leaves out keep their values
check_out partial "1 people: 0 added, 1 updated, 0 unchanged" cp person import "$P/partial.csv"
check_out partial-kept "line_manager     bob@test.gov.uk" cp person show dan@test.gov.uk
check_out partial-team "team             Secondary" cp person show dan@test.gov.uk

# unknown columns are reported, not fatal
printf 'name,email,shoe_size\nZed,zed@t.org,9\n' > "$T/extra.csv"
"$CPDPLAN" person import "$T/extra.csv" >/dev/null 2>"$T/warn" && grep -qF "unknown columns ignored: shoe_size" "$T/warn" && pass || failed "unknown column warning"

# the database file is private
[ "$(stat -c %a "$CPDPLAN_DB")" = 600 ] && pass || failed "database mode $(stat -c %a "$CPDPLAN_DB")"
# a database from the version before the planner's snapshot index and the
# grade digests: a read-only command brings the schema up to date once
# (folding every person's grades), then reads
cp assess set ann@test.gov.uk WEIP-2 3 --cycle 2026-27 --date 2026-11-01 >/dev/null || failed "assess set"
sqlite3 "$CPDPLAN_DB" "DROP INDEX assessment_cycle; DROP TABLE grade_digest; DROP TRIGGER assessment_digest_insert;
  DROP TRIGGER assessment_digest_delete; DROP TRIGGER assessment_digest_update; PRAGMA user_version=3"
check_out upgrade-read-only "32 statements" cp profile show ann@test.gov.uk
[ "$(sqlite3 "$CPDPLAN_DB" 'PRAGMA user_version')" = 5 ] && pass || failed "schema not brought up to date"
[ "$(sqlite3 "$CPDPLAN_DB" "SELECT count(*) FROM sqlite_master WHERE name='assessment_cycle'")" = 1 ] && pass ||
  failed "index assessment_cycle not made"
[ "$(sqlite3 "$CPDPLAN_DB" "SELECT count(*) FROM grade_digest WHERE grades IS NOT NULL")" = \
  "$(sqlite3 "$CPDPLAN_DB" "SELECT count(*) FROM (SELECT DISTINCT cycle_id, person_id FROM assessment)")" ] &&
  [ "$(sqlite3 "$CPDPLAN_DB" "SELECT count(*) FROM grade_digest")" -gt 0 ] && pass ||
  failed "grade digests not folded on upgrade"

finish
