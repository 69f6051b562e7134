#!/usr/bin/env bash
# test_catalogue.sh: end to end: the shipped catalogue loaded by init (and its
# CSV export byte for byte the shipped file), activities and sessions imported
# from real files (idempotent, updated in place), show/list in every format,
# session add, every malformed activities and sessions file rejected with its
# exact FILE:LINE:COL message and the database unchanged, and a round trip:
# list --format csv imported into a fresh database gives the same lists.
. "$(dirname "$0")/lib.sh"
: "${SRC:?set SRC to the source tree}"
C="$DATA/catalogue"
P="$DATA/people"

check init cp init
check_out shipped "13 activities" cp activity list
cp activity list --format csv >"$T/shipped.csv"
cmp -s "$T/shipped.csv" "$SRC/frameworks/catalogues/vsc-cymru.csv" && pass || failed "shipped catalogue export differs"
check_out shipped-again "13 activities: 0 added, 0 updated, 13 unchanged" cp activity import "$SRC/frameworks/catalogues/vsc-cymru.csv"
check_out init-help "activity catalogue" cp help init
check_out help "usage: cpdplan activity import FILE.csv" cp help activity import
check_out help-session "usage: cpdplan session add ACTIVITY --start S --end E" cp session add --help

check services cp service import "$P/services.csv"
check posts cp post import "$P/posts.csv"
check people cp person import "$P/people.csv"

# activities: import, warning, re-import, update in place
check_out import "4 activities: 4 added, 0 updated, 0 unchanged" cp activity import "$C/activities.csv"
grep -qF "cpdplan: warning: $C/activities.csv: unknown columns ignored: Notes" "$T/err" && pass || failed "unknown column warning"
check_out reimport "4 activities: 0 added, 0 updated, 4 unchanged" cp activity import "$C/activities.csv"
check_out list-all "17 activities" cp activity list
check_out list-strand "TST-A        First step" cp activity list --strand Induction
check_out list-strand-count "3 activities" cp activity list --strand induction
check_out list-kind "TST-D         Any stage briefing " cp activity list --kind briefing
check_out list-kind-count "2 activities" cp activity list --kind Briefing
check_out list-json '"code": "TST-C"' cp activity list --strand "leadership development" --format json
check_out show "prerequisites    TST-A TST-B" cp activity show tst-c
check_out show-stages "stages           senior chief" cp activity show TST-C
check_out show-statements "statements       2" cp activity show TST-C
check_out show-item "  ASP05  ASP05-1.K.1  " cp activity show TST-C
check_out show-any "stages           any" cp activity show TST-D
check_out show-json '"framework": "PSS19"' cp activity show TST-C --format json
check_out show-csv 'TST-C,"Accredited, with a comma",accredited module,leadership development,ASP05-1.K.1 PSS19-1.K.2,TST-A TST-B,5,1200,en,Test University,senior chief,senior staff; by nomination,Test University,20' \
  cp activity show TST-C --format csv
# statement text cut to the width: 2 + 5 + 2 + 11 + 2 = 22 columns before it, 10 after
COLUMNS=32 cp activity show TST-C >"$T/narrow"
grep -q "^  ASP05  ASP05-1.K.1  .\{9\}…$" "$T/narrow" && pass || failed "text not cut to COLUMNS: $(grep ASP05 "$T/narrow")"
check_out update "3 activities: 1 added, 2 updated, 0 unchanged" cp activity import "$C/activities-update.csv"
check_out updated "title            First step (revised)" cp activity show TST-A
check_out partial "2 activities: 0 added, 1 updated, 1 unchanged" cp activity import "$C/activities-partial.csv"
check_out partial-kept "statements       2" cp activity show TST-C

# sessions
check_out s-import "4 sessions: 4 added, 0 updated, 0 unchanged" cp session import "$C/sessions.csv"
check_out s-reimport "4 sessions: 0 added, 0 updated, 4 unchanged" cp session import "$C/sessions.csv"
check_out s-list "2026-11-03T09:30  2026-11-04T16:00+01:00  TST-B     Cardiff  20        cy        bob@test.gov.uk  6f0c1b9e-4a8e-4f5b-9a53-0d7a2f1c3e11" \
  cp session list
check_out s-count "4 sessions" cp session list
check_out s-from "2 sessions" cp session list --from 2026-11-03 --to 2026-12-31
check_out s-activity "1 session" cp session list --activity tst-a
check_out s-csv "TST-A,2026-10-01,2026-10-28," cp session list --format csv
check_out s-json '"facilitator": "ann@test.gov.uk"' cp session list --format json
check_out s-update "4 sessions: 0 added, 2 updated, 2 unchanged" cp session import "$C/sessions-update.csv"
check_out s-move "1 sessions: 0 added, 1 updated, 0 unchanged" cp session import "$C/sessions-move.csv"
check_out s-moved "2026-12-01T09:30  2026-12-01T16:30" cp session list --activity TST-B
check_out s-add "added session " cp session add TST-D --start 2027-02-01T13:30 --end 2027-02-01T16:30 --place Bangor --capacity 30 --facilitator dan@test.gov.uk
check_out s-added "Bangor  30        en        dan@test.gov.uk" cp session list --activity TST-D
check_rejects s-add-dup "cpdplan: a session of TST-D starting 2027-02-01T13:30 at Bangor is already held ($(cp session list --activity TST-D --format csv | tail -1 | cut -d, -f4))" \
  cp session add TST-D --start 2027-02-01T13:30 --end 2027-02-01T16:30 --place Bangor
check_rejects s-add-unknown "cpdplan: unknown activity NOPE" cp session add NOPE --start 2027-02-01 --end 2027-02-01
check_rejects s-add-order "cpdplan: end 2027-01-31 is before start 2027-02-01" cp session add TST-D --start 2027-02-01 --end 2027-01-31
check_rejects s-add-facilitator "cpdplan: unknown facilitator zed@test.gov.uk" cp session add TST-D --start 2027-02-01 --end 2027-02-01 --facilitator zed@test.gov.uk
cp session add TST-D --start 2027-02-01 >/dev/null 2>"$T/err"; [ $? -eq 2 ] && grep -qF "give --start and --end" "$T/err" && pass || failed "session add without --end"
cp session add TST-D --start 2027-02-01 --end 2027-02-02 --capacity lots >/dev/null 2>&1; [ $? -eq 2 ] && pass || failed "bad --capacity"
check_rejects s-list-date "cpdplan: from \"2027-02-30\" is not a date (YYYY-MM-DD)" cp session list --from 2027-02-30
check_rejects s-list-activity "cpdplan: no activity \"NOPE\"" cp session list --activity NOPE
check_rejects show-unknown "cpdplan: no activity \"NOPE\"" cp activity show NOPE

# malformed activities: exact message, exit 1, database unchanged
check_rejects a-missing "cpdplan: $C/bad-activity-missing-column.csv:1: missing required column \"title\"" cp activity import "$C/bad-activity-missing-column.csv"
check_rejects a-empty-code "cpdplan: $C/bad-activity-empty-code.csv:3:1: code is empty" cp activity import "$C/bad-activity-empty-code.csv"
check_rejects a-code "cpdplan: $C/bad-activity-code.csv:2:1: code \"A B\" may hold only letters, digits, '-', '_' and '.'" cp activity import "$C/bad-activity-code.csv"
check_rejects a-title "cpdplan: $C/bad-activity-empty-title.csv:2:2: title is empty for X1" cp activity import "$C/bad-activity-empty-title.csv"
check_rejects a-duplicate "cpdplan: $C/bad-activity-duplicate.csv:4:1: duplicate code x1 (also on line 2)" cp activity import "$C/bad-activity-duplicate.csv"
check_rejects a-statement "cpdplan: $C/bad-activity-statement.csv:3:3: unknown statement WEIP-9" cp activity import "$C/bad-activity-statement.csv"
check_rejects a-group "cpdplan: $C/bad-activity-group.csv:2:3: ASP05-1 is not a statement that can be graded (it groups statements)" cp activity import "$C/bad-activity-group.csv"
check_rejects a-prereq "cpdplan: $C/bad-activity-prereq.csv:2:3: prerequisite X2 is not in the file or the database" cp activity import "$C/bad-activity-prereq.csv"
check_rejects a-self "cpdplan: $C/bad-activity-self.csv:2:3: X1 cannot be its own prerequisite" cp activity import "$C/bad-activity-self.csv"
check_rejects a-cycle "cpdplan: $C/bad-activity-cycle.csv:2:3: prerequisites form a cycle: X1 -> X3 -> X2 -> X1" cp activity import "$C/bad-activity-cycle.csv"
check_rejects a-cycle-held "cpdplan: $C/bad-activity-cycle-held.csv:2:3: prerequisites form a cycle: TST-A -> TST-C -> TST-A" cp activity import "$C/bad-activity-cycle-held.csv"
check_rejects a-days "cpdplan: $C/bad-activity-days.csv:2:3: days \"-1\" is not a number of 0 or more" cp activity import "$C/bad-activity-days.csv"
check_rejects a-cost "cpdplan: $C/bad-activity-cost.csv:2:3: cost \"£100\" is not a number of 0 or more" cp activity import "$C/bad-activity-cost.csv"
check_rejects a-credits "cpdplan: $C/bad-activity-credits.csv:2:3: credits \"twenty\" is not a number of 0 or more" cp activity import "$C/bad-activity-credits.csv"
check_rejects a-language "cpdplan: $C/bad-activity-language.csv:2:3: language \"French\" is not one of en, cy, both" cp activity import "$C/bad-activity-language.csv"
check_rejects a-stage "cpdplan: $C/bad-activity-stage.csv:2:3: stage \"junior\" is not one of new, established, experienced, senior, chief" cp activity import "$C/bad-activity-stage.csv"
check_rejects a-strand "cpdplan: $C/bad-activity-strand.csv:2:3: strand \"governance\" is not one of induction, management development, leadership development, cross-cutting" cp activity import "$C/bad-activity-strand.csv"
check_rejects a-empty "cpdplan: $C/empty.csv:1: empty file: no header row" cp activity import "$C/empty.csv"
check_rejects a-no-file "cpdplan: $T/none.csv: cannot open: No such file or directory" cp activity import "$T/none.csv"

# malformed sessions
check_rejects s-missing "cpdplan: $C/bad-session-missing-column.csv:1: missing required column \"end\"" cp session import "$C/bad-session-missing-column.csv"
check_rejects s-activity "cpdplan: $C/bad-session-activity.csv:3:1: unknown activity NOPE" cp session import "$C/bad-session-activity.csv"
check_rejects s-date "cpdplan: $C/bad-session-date.csv:2:2: start \"2026-02-30\" is not a date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)" cp session import "$C/bad-session-date.csv"
check_rejects s-time "cpdplan: $C/bad-session-time.csv:2:3: end \"2026-10-01T24:00\" is not a date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)" cp session import "$C/bad-session-time.csv"
check_rejects s-order "cpdplan: $C/bad-session-order.csv:2:3: end 2026-10-01 is before start 2026-10-02" cp session import "$C/bad-session-order.csv"
check_rejects s-offset "cpdplan: $C/bad-session-offset.csv:2:3: end 2026-10-01T10:30+01:00 is before start 2026-10-01T10:00Z" cp session import "$C/bad-session-offset.csv"
check_rejects s-capacity "cpdplan: $C/bad-session-capacity.csv:2:4: capacity \"-3\" is not a whole number of 0 or more" cp session import "$C/bad-session-capacity.csv"
check_rejects s-facilitator "cpdplan: $C/bad-session-facilitator.csv:2:4: unknown facilitator zed@test.gov.uk" cp session import "$C/bad-session-facilitator.csv"
check_rejects s-language "cpdplan: $C/bad-session-language.csv:2:4: language \"Gaelic\" is not one of en, cy, both" cp session import "$C/bad-session-language.csv"
check_rejects s-uuid "cpdplan: $C/bad-session-uuid.csv:2:4: id \"1234\" is not a UUID" cp session import "$C/bad-session-uuid.csv"
check_rejects s-dup-id "cpdplan: $C/bad-session-duplicate-id.csv:3:4: duplicate id 6f0c1b9e-4a8e-4f5b-9a53-0d7a2f1c3e99 (also on line 2)" cp session import "$C/bad-session-duplicate-id.csv"
check_rejects s-dup "cpdplan: $C/bad-session-duplicate.csv:3:2: duplicate session of TST-A starting 2026-10-01 at Online (also on line 2)" cp session import "$C/bad-session-duplicate.csv"
check_rejects s-empty "cpdplan: $C/empty.csv:1: empty file: no header row" cp session import "$C/empty.csv"

# round trip: the CSV lists import into a fresh database as the same catalogue
cp activity list --format csv >"$T/activities.csv"
cp session list --format csv >"$T/sessions.csv"
cp activity list >"$T/activities.txt"
cp session list >"$T/sessions.txt"
export CPDPLAN_DB="$T/fresh.db"
check fresh-init cp init
check fresh-services cp service import "$P/services.csv"
check fresh-posts cp post import "$P/posts.csv"
check fresh-people cp person import "$P/people.csv"
check_out rt-activities "18 activities: 5 added, 0 updated, 13 unchanged" cp activity import "$T/activities.csv"
check_out rt-sessions "5 sessions: 5 added, 0 updated, 0 unchanged" cp session import "$T/sessions.csv"
cp activity list --format csv | cmp -s - "$T/activities.csv" && pass || failed "activities CSV round trip"
cp session list --format csv | cmp -s - "$T/sessions.csv" && pass || failed "sessions CSV round trip"
cp activity list | cmp -s - "$T/activities.txt" && pass || failed "activity list round trip"
cp session list | cmp -s - "$T/sessions.txt" && pass || failed "session list round trip"
check_out rt-again "5 sessions: 0 added, 0 updated, 5 unchanged" cp session import "$T/sessions.csv"

# init --empty loads no activities
export CPDPLAN_DB="$T/empty.db"
check empty-init cp init --empty
check_out empty-list "0 activities" cp activity list
check_rejects empty-import "cpdplan: $C/bad-activity-statement.csv:2:3: unknown statement WEIP-1" cp activity import "$C/bad-activity-statement.csv"
finish
