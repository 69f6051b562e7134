#!/usr/bin/env bash
# test_planner.sh: end to end: mentors assign, schedule, plan show/list,
# enrol confirm/withdraw/complete and session capacity over the hand-made
# service of tests/data/planner (see its README for the scenarios): who gets
# the one Reflective Manager place and who waits, in which order; Strategic
# Leader only after Reflective Manager; induction e-learning before the
# residential course; Dee's obvious mentor; a freed place offered down the
# waitlist without re-planning; confirmed places fixed; a dry run that finds
# nothing to change; the CSV columns the design gives; and errors that leave
# the database as it was.
. "$(dirname "$0")/lib.sh"
D="$DATA/planner"
U="$DATA/rules_unit"
TODAY=2026-11-23
RM1=11111111-0000-4000-8000-000000000001
SL1=11111111-0000-4000-8000-000000000002
RES0=11111111-0000-4000-8000-000000000003
EL1=11111111-0000-4000-8000-000000000004
RES1=11111111-0000-4000-8000-000000000005

check init cp init
check services cp service import "$U/services.csv"
check posts cp post import "$U/posts.csv"
check people cp person import "$D/people.csv"
check grades cp assess import "$D/assessments.csv"
check sessions cp session import "$D/sessions.csv"

# ---- mentors ----
check_out assign "the exact optimum" cp mentors assign --today $TODAY
cp mentors list --format csv >"$T/pairs.csv"
[ "$(head -1 "$T/pairs.csv")" = "mentee,mentor,score,statements,status" ] && pass || failed "pairs header: $(head -1 "$T/pairs.csv")"
grep -q "^dee@t.gov.uk,eve@t.gov.uk,3.3,WEIP-1 WEIP-2,proposed$" "$T/pairs.csv" && pass || failed "dee's mentor: $(cat "$T/pairs.csv")"
grep -q "^dee@t.gov.uk,tom@t.gov.uk" "$T/pairs.csv" && failed "dee paired with her line manager" || pass
# every mentor within capacity (eve 1, tom 2, fay 1, ann 2, bob 1)
awk -F, 'NR > 1 { n[$2]++ } END { for (m in n) if ((m == "eve@t.gov.uk" || m == "fay@t.gov.uk" || m == "bob@t.gov.uk") && n[m] > 1 || n[m] > 2) exit 1 }' \
  "$T/pairs.csv" && pass || failed "capacity: $(cat "$T/pairs.csv")"
# scoring in two threads (two copies of the rules) gives the same pairs as in one
cp mentors assign --dry-run --format csv --today $TODAY --threads 1 >"$T/t1.csv" && \
  cp mentors assign --dry-run --format csv --today $TODAY --threads 2 >"$T/t2.csv" && cmp -s "$T/t1.csv" "$T/t2.csv" && \
  grep -q "^dee@t.gov.uk,eve@t.gov.uk," "$T/t2.csv" && pass || failed "threads: $(diff "$T/t1.csv" "$T/t2.csv")"
# assigning again changes nothing
cp mentors list --format csv >"$T/pairs1.csv"
check again cp mentors assign --today $TODAY
cp mentors list --format csv >"$T/pairs2.csv"
cmp -s "$T/pairs1.csv" "$T/pairs2.csv" && pass || failed "re-assign moved pairs"

# ---- schedule ----
check_out schedule "Objective" cp schedule --today $TODAY
cp schedule --today $TODAY --dry-run >"$T/dry.txt"
grep -q "No change against the stored plan." "$T/dry.txt" && pass || failed "dry run: $(cat "$T/dry.txt")"
cp plan list --format csv >"$T/plan.csv"
[ "$(head -1 "$T/plan.csv")" = "person,cycle,kind,activity,session,start,end,status,score,reason" ] && pass \
  || failed "plan header: $(head -1 "$T/plan.csv")"
row() { grep -c "^$1,2026-27,$2,$3,$4,.*,$5," "$T/plan.csv"; }
[ "$(row dee@t.gov.uk session VSC-MDP-RM $RM1 proposed)" = 1 ] && pass || failed "dee's RM place: $(grep dee "$T/plan.csv")"
[ "$(row gwen@t.gov.uk session VSC-MDP-RM $RM1 waitlisted)" = 1 ] && pass || failed "gwen waits: $(grep gwen "$T/plan.csv")"
[ "$(row huw@t.gov.uk session VSC-MDP-RM $RM1 waitlisted)" = 1 ] && pass || failed "huw waits: $(grep huw "$T/plan.csv")"
grep -q "^gwen@t.gov.uk,.*waitlisted, number 1" "$T/plan.csv" && pass || failed "gwen first: $(grep gwen "$T/plan.csv")"
grep -q "^huw@t.gov.uk,.*waitlisted, number 2" "$T/plan.csv" && pass || failed "huw second: $(grep huw "$T/plan.csv")"
grep -q "^huw@t.gov.uk,2026-27,session,VSC-MDP-SL" "$T/plan.csv" && failed "huw given SL before RM" || pass
# a need is covered by a mentor too: Huw waits for the module, but Tom's strength covers WEIP-2
grep -q "^huw@t.gov.uk,2026-27,mentor,,tom@t.gov.uk,.*covers WEIP-2" "$T/plan.csv" && pass || failed "huw's mentor: $(grep huw "$T/plan.csv")"
grep -q "^huw@t.gov.uk,2026-27,open," "$T/plan.csv" && failed "huw has an open need: $(grep huw "$T/plan.csv")" || pass
[ "$(row cai@t.gov.uk session VSC-IND-EL $EL1 proposed)" = 1 ] && pass || failed "cai's e-learning: $(grep cai "$T/plan.csv")"
[ "$(row cai@t.gov.uk session VSC-IND-RES $RES1 proposed)" = 1 ] && pass || failed "cai's residential: $(grep cai "$T/plan.csv")"
grep -q "$RES0" "$T/plan.csv" && failed "the residential before the e-learning was given" || pass
grep -q "^fay@t.gov.uk,2026-27,open,.*WEIP-3: no session of VSC-X-UPDATE after 2026-11-23" "$T/plan.csv" && pass \
  || failed "fay's open need: $(grep fay "$T/plan.csv")"
grep -q "^dee@t.gov.uk,2026-27,mentor,,eve@t.gov.uk,.*proposed" "$T/plan.csv" && pass || failed "dee's mentor row: $(grep dee "$T/plan.csv")"
check_out show "Plan for dee@t.gov.uk, cycle 2026-27" cp plan show dee@t.gov.uk
cp schedule --today $TODAY --format json >"$T/run.json"
python3 - "$T/run.json" <<'PY' && pass || failed "run json: $(cat "$T/run.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["bound"] >= r["objective"] > 0, r
assert 0 <= r["gap"] < 1e-9 and r["optimal"], r          # a service this small is solved exactly
assert r["method"] == "exact", r
assert r["waitlisted"] == 2 and r["places"] >= 3, r
PY

# every JSON output parses, and says what the text says
jsonok() { "$@" >"$T/j.json" 2>"$T/err" && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/j.json"; }
jsonok cp mentors list --format json && pass || failed "mentors list json: $(cat "$T/err")"
jsonok cp mentors assign --dry-run --format json --today $TODAY && pass || failed "mentors assign json: $(cat "$T/err")"
jsonok cp plan show dee@t.gov.uk --format json && grep -q '"optimal": true' "$T/j.json" && pass || failed "plan show json: $(cat "$T/j.json" "$T/err")"
jsonok cp plan list --format json && pass || failed "plan list json: $(cat "$T/err")"
jsonok cp schedule --dry-run --format json --today $TODAY && grep -q '"changes": \[\]' "$T/j.json" && pass || failed "dry run json: $(cat "$T/j.json" "$T/err")"

# ---- a freed place goes down the waitlist, without re-planning ----
check_out withdraw "offered to gwen@t.gov.uk" cp enrol withdraw dee@t.gov.uk $RM1
cp plan list --format csv >/dev/null
sqlite3 "$CPDPLAN_DB" "SELECT p.email, e.status, coalesce(e.position, 0) FROM enrolment e JOIN person p ON p.id=e.person_id
  JOIN session s ON s.id=e.session_id WHERE s.uuid='$RM1' ORDER BY p.email" >"$T/rm.txt"
[ "$(tr '\n' ' ' <"$T/rm.txt")" = "dee@t.gov.uk|withdrawn|0 gwen@t.gov.uk|proposed|0 huw@t.gov.uk|waitlisted|1 " ] && pass \
  || failed "after withdraw: $(cat "$T/rm.txt")"
check_out capacity "1 place offered from the waitlist" cp session capacity $RM1 2
check_out confirm "proposed -> confirmed" cp enrol confirm huw@t.gov.uk $RM1
# re-planning keeps the confirmed place; with RM held before SL, Huw can now take SL
check_out replan "Objective" cp schedule --today $TODAY
cp plan list --format csv >"$T/plan2.csv"
grep -q "^huw@t.gov.uk,2026-27,session,VSC-MDP-RM,$RM1,.*,confirmed," "$T/plan2.csv" && pass || failed "huw's RM kept: $(grep huw "$T/plan2.csv")"
grep -q "^huw@t.gov.uk,2026-27,session,VSC-MDP-SL,$SL1,.*,proposed," "$T/plan2.csv" && pass || failed "huw's SL: $(grep huw "$T/plan2.csv")"
grep -q "^dee@t.gov.uk,2026-27,session,VSC-MDP-RM,$RM1" "$T/plan2.csv" && failed "dee re-offered the session she left" || pass
check_out complete "confirmed -> completed (30 hours in the CPD record)" cp enrol complete huw@t.gov.uk $RM1 --reflection "useful"
[ "$(sqlite3 "$CPDPLAN_DB" "SELECT hours, reflection FROM cpd_record")" = "30.0|useful" ] && pass || failed "cpd record"

# ---- bad input: exact message, database unchanged ----
check_rejects confirm-twice "cpdplan: huw@t.gov.uk's place in VSC-MDP-RM on 2027-01-10 is completed: only a proposed or waitlisted place is confirmed" \
  cp enrol confirm huw@t.gov.uk $RM1
check_rejects no-place "cpdplan: eve@t.gov.uk has no place in session $RM1 (see cpdplan plan show)" cp enrol withdraw eve@t.gov.uk $RM1
check_rejects bad-capacity "cpdplan: no session \"nosuch\" (see cpdplan session list)" cp session capacity nosuch 3
# ---- induction: sessions in the order of prerequisites ----
# Cai (newly appointed): the residential course goes after the e-learning
# (2027-01-05), so the January one is suggested, not December's; with only
# December's, none can be, and the text says why
check_out induction-order "suggested: 2027-01-20 to 2027-01-21, Aberystwyth (both)" cp induction cai@t.gov.uk --today $TODAY
export CPDPLAN_DB="$T/induction.db"
check init-2 cp init
check services-2 cp service import "$U/services.csv"
check posts-2 cp post import "$U/posts.csv"
check people-2 cp person import "$D/people.csv"
grep -v "$RES1" "$D/sessions.csv" >"$T/sessions-dec.csv"
check sessions-2 cp session import "$T/sessions-dec.csv"
check_out induction-none-after \
  "no session to suggest: its one dated session starts before the sessions suggested for its prerequisites end" \
  cp induction cai@t.gov.uk --today $TODAY

# ---- mentors list in text: a long list of statements shortened ----
# (a sample service, where mentors share up to dozens of statements): each
# text row shows the first 4 of the CSV's statements, then "… (+N)" for the
# N others when N > 1; CSV keeps them all
export CPDPLAN_DB="$T/sample.db"
check init-3 cp init
check sample cp sample --people 300 --seed 7 --today $TODAY --out "$T/s"
for f in service:services post:posts person:people assess:assessments; do
  check "import-${f%%:*}" cp "${f%%:*}" import "$T/s/${f#*:}.csv"
done
check assign-sample cp mentors assign --today $TODAY
cp mentors list --format csv >"$T/ml.csv"
cp mentors list >"$T/ml.txt"
awk -F, 'NR > 1 { n = split($4, c, " "); want = $4
                  if (n > 5) { want = c[1] " " c[2] " " c[3] " " c[4] " … (+" n - 4 ")"; long++ }
                  print $1 "|" want }
         END { if (!long) exit 1 }' "$T/ml.csv" >"$T/want" && pass || failed "the sample has no pair with more than 5 statements"
# the text table's statements column: between the score and the status
awk 'NR > 1 { sub(/[ ]+(proposed|active|ended)[ ]*$/, ""); mentee = $1; $1 = $2 = $3 = ""; sub(/^[ ]+/, "")
              print mentee "|" $0 }' "$T/ml.txt" >"$T/got"
cmp -s "$T/want" "$T/got" && pass || failed "mentors list text statements: $(diff "$T/want" "$T/got" | head -5)"

# ---- the same pairs however the work is shared ----
# (scored in two threads by chunks of 32 mentees while the matching places
# them as they come, or all in one thread); and with plugin errors on the
# last mentee of chunk 0 and the second of chunk 1 (which the second thread
# meets first), the error named is the first in mentee order either way
cp mentors assign --dry-run --format csv --today $TODAY --threads 1 >"$T/s1.csv" &&
  cp mentors assign --dry-run --format csv --today $TODAY --threads 2 >"$T/s2.csv" && cmp -s "$T/s1.csv" "$T/s2.csv" &&
  [ "$(wc -l <"$T/s1.csv")" -gt 100 ] && pass || failed "sample threads: $(diff "$T/s1.csv" "$T/s2.csv" | head -5)"
# mentees, in order: everyone with a need (none has an active mentor yet)
cp needs --today $TODAY --format csv | tail -n +2 | cut -d, -f1 | uniq >"$T/mentees"
first=$(sed -n 32p "$T/mentees")
later=$(sed -n 34p "$T/mentees")
[ "$(wc -l <"$T/mentees")" -gt 64 ] && pass || failed "the sample has too few mentees for two chunks"
cat >"$T/fails.lua" <<LUA
return {name = "fails", version = "1", api = 1, hooks = {
  score_mentor = function(mentee, mentor, ctx)
    if mentee.email == "$later" or mentee.email == "$first" then error("no score for " .. mentee.email) end
    return ctx.previous(mentee, mentor, ctx)
  end}}
LUA
for th in 1 2; do
  check_rejects "score error, $th thread(s)" \
    "cpdplan: plugin $T/fails.lua:3: no score for $first (in hook score_mentor for person $first)" \
    cp mentors assign --today $TODAY --threads $th --plugin "$T/fails.lua"
done

finish
