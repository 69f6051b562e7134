#!/usr/bin/env bash
# test_assess.sh: end to end: judgements imported (idempotent), the agreed
# grade (manager's benchmark else self), peers' spread, evidence, and every
# malformed assessments file rejected with the database unchanged; ';' in
# a <location>, FRAMEWORK:CODE, a row repeated in one file, regrades by the
# same peer, stakeholders, dates in the future.
. "$(dirname "$0")/lib.sh"
P="$DATA/people"
A="$DATA/assess"
cp init >/dev/null
cp service import "$P/services.csv" >/dev/null
cp post import "$P/posts.csv" >/dev/null
cp person import "$P/people.csv" >/dev/null

check_out import "8 judgements: 8 recorded, 0 already held" cp assess import "$A/assessments.csv"
check_out reimport "8 judgements: 0 recorded, 8 already held" cp assess import "$A/assessments.csv"
cp assess profile dan@test.gov.uk --format csv > "$T/p.csv"
# WEIP-1: self 2, manager 1 -> agreed 1 by manager; two evidence items
grep -qF 'dan@test.gov.uk,2026-27,WEIP,WEIP-1,WEIP-1,Managing self,2,1,0,,,0,1,manager,Notes of visit <https://intranet.example/visits/12>; Training log <sharepoint:/cpd/dan>,Exemplary: could lead a session' "$T/p.csv" && pass || failed "WEIP-1 line: $(grep WEIP-1 "$T/p.csv")"
# WEIP-2: self 3, no manager -> agreed 3 by self; peers 2 and 4
grep -qF ',WEIP-2,Professional Leadership and Management,3,,2,2,4,0,3,self,,' "$T/p.csv" && pass || failed "WEIP-2 line: $(grep WEIP-2 "$T/p.csv")"
grep -qF ',WEIP-3,' "$T/p.csv" && grep WEIP-3 "$T/p.csv" | grep -qF ',NA,,0,,,0,NA,self,' && pass || failed "WEIP-3 N/A: $(grep WEIP-3 "$T/p.csv")"
check_out text "Agreed grades: 1: 1   2: 0   3: 1   4: 0   N/A: 1   not yet graded: 0" cp assess profile dan@test.gov.uk
check_out json '"agreed_by": "manager"' cp assess profile dan@test.gov.uk --format json
# history is kept: a new self grade is a new row, and becomes the self grade
check_out set "recorded dan@test.gov.uk self grade of 1 on WEIP-2" cp assess set dan@test.gov.uk WEIP-2 1 --cycle 2026-27 --date 2026-11-01
check_out newest "WEIP-2,Professional Leadership and Management,1,," cp assess profile dan@test.gov.uk --format csv
[ "$(sqlite3 "$CPDPLAN_DB" "SELECT count(*) FROM assessment a JOIN item i ON i.id=a.item_id WHERE i.code='WEIP-2' AND kind='self'")" = 2 ] && pass || failed "history kept"

check_out semicolons "2 judgements: 1 recorded, 1 already held" cp assess import "$A/semicolons.csv"
check_out regrade "4 judgements: 4 recorded, 0 already held" cp assess import "$A/regrade.csv"
cp assess profile dan@test.gov.uk --format csv > "$T/p2.csv"
# bob's regrade replaces his 4; two anonymous stakeholders and one N/A
grep -qF ',WEIP-2,Professional Leadership and Management,1,,2,2,2,2,1,self,Headteacher survey <https://survey.example/2026>,' "$T/p2.csv" && pass || failed "WEIP-2 spreads: $(grep WEIP-2 "$T/p2.csv")"
grep -qF 'Report <https://x.example/r?a=1;b=2>; Notes <file:/n>' "$T/p2.csv" && pass || failed "evidence with ';': $(grep WEIP-1 "$T/p2.csv")"
check_out set-spaces "already recorded" cp assess set "dan@test.gov.uk " WEIP-2 " 1 " --cycle 2026-27 --date 2026-11-01

check_rejects future "cpdplan: $A/bad-future.csv:2:6: date 2099-01-01 is in the future (today is $(date +%F))" cp assess import "$A/bad-future.csv"
check_rejects self-manager "cpdplan: $A/bad-self-manager.csv:2:6: a manager judgement cannot be made by the person themself" cp assess import "$A/bad-self-manager.csv"
check_rejects unknown-person "cpdplan: $A/bad-unknown-person.csv:3:1: unknown person nobody@test.gov.uk" cp assess import "$A/bad-unknown-person.csv"
check_rejects unknown-statement "cpdplan: $A/bad-unknown-statement.csv:2:2: unknown statement WEIP-9" cp assess import "$A/bad-unknown-statement.csv"
check_rejects grade "cpdplan: $A/bad-grade.csv:2:5: grade \"5\" is not 1, 2, 3, 4 or NA" cp assess import "$A/bad-grade.csv"
check_rejects profile "cpdplan: $A/bad-not-in-profile.csv:2:2: VSC-KS.1 is not in the profile of dan@test.gov.uk (agree it first: cpdplan profile add PERSON STATEMENT)" cp assess import "$A/bad-not-in-profile.csv"
check_rejects date "cpdplan: $A/bad-date.csv:2:6: date \"01/10/2026\" is not a date (YYYY-MM-DD)" cp assess import "$A/bad-date.csv"
check_rejects evidence "cpdplan: $A/bad-evidence.csv:2:6: evidence item has an unclosed <location>" cp assess import "$A/bad-evidence.csv"
check_rejects missing "cpdplan: $A/bad-missing-column.csv:1: missing required column \"by\"" cp assess import "$A/bad-missing-column.csv"
check_rejects grouping "cpdplan: $A/bad-not-a-statement.csv:2:2: VSC-KS is not a statement that can be graded (it groups statements)" cp assess import "$A/bad-not-a-statement.csv"
check_rejects set-outside "cpdplan: VSC-PQ.1 is not in the profile of dan@test.gov.uk (agree it first: cpdplan profile add PERSON STATEMENT)" cp assess set dan@test.gov.uk VSC-PQ.1 2 --cycle 2026-27
finish
