#!/usr/bin/env bash
# examples_test.sh: end to end: the example plugins in plugins/examples/ run
# in cpdplan's own host (--plugin FILE, and `plugin enable FILE --options`)
# over a small hand-made Welsh workforce (tests/data/rules/), and change the
# default rules' results in the way each plugin says:
#   welsh-first.lua: for a bilingual senior manager, Welsh and bilingual
#     activities are scored x1.5 (or welsh_factor), so the summer school
#     climbs above the English-only International Links; nil stays nil;
#     English speakers are untouched; welsh_only refuses English-only
#     activities to a Welsh-medium chief officer.
#   cross-team-mentoring.lua: a newly appointed adviser's best mentor, a
#     colleague in the same team, is ruled out with "same team"; mentors in
#     another team (or in none) keep their score and reason.
# Needs CPDPLAN (binary), DATA (tests/data) and SRC (source root).
. "$(dirname "$0")/../cli/lib.sh"
: "${SRC:?set SRC to the source root}"
R="$DATA/rules"
EX="$SRC/plugins/examples"
WELSH="$EX/welsh-first.lua"
CROSS="$EX/cross-team-mentoring.lua"
DAY=(--today 2026-11-23)

# ---- helpers ----

# An RFC 4180 line splitter for awk (no line breaks inside fields).
AWK_CSV='
function parse(line, f,   n, i, c, q, cur) {
  sub(/\r$/, "", line)
  n = 0; cur = ""; q = 0
  for (i = 1; i <= length(line); i++) {
    c = substr(line, i, 1)
    if (q) {
      if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else q = 0 }
      else cur = cur c
    } else if (c == "\"") q = 1
    else if (c == ",") { f[++n] = cur; cur = "" }
    else cur = cur c
  }
  f[++n] = cur
  return n
}'

# field FILE KEYCOL KEY COL: column COL (by header name) of the row whose
# column KEYCOL is KEY; "<no row>" or "<no column ...>" when absent.
field() {
  awk -v kc="$2" -v key="$3" -v col="$4" "$AWK_CSV"'
    NR == 1 {
      n = parse($0, h)
      for (i = 1; i <= n; i++) idx[h[i]] = i
      if (!(kc in idx) || !(col in idx)) { print "<no column " (kc in idx ? col : kc) ">"; found = 1; exit }
      next
    }
    { parse($0, f); if (f[idx[kc]] == key) { print f[idx[col]]; found = 1; exit } }
    END { if (!found) print "<no row>" }' "$1"
}

# columns FILE COL...: those columns (by header name) of every row, sorted
columns() {
  local f=$1; shift
  awk -v want="$*" "$AWK_CSV"'
    NR == 1 { n = parse($0, h); for (i = 1; i <= n; i++) idx[h[i]] = i; k = split(want, w, " "); next }
    { parse($0, f); line = ""; for (i = 1; i <= k; i++) line = line (i > 1 ? "," : "") f[idx[w[i]]]; print line }' "$f" | sort
}

# expect NAME WANTED GOT
expect() {
  if [ "$3" = "$2" ]; then pass; else failed "$1: got '$3', wanted '$2'"; fi
}
# expect_has NAME WANTED_SUBSTRING GOT
expect_has() {
  case "$3" in *"$2"*) pass ;; *) failed "$1: wanted '$2' in '$3'" ;; esac
}
# expect_num NAME A OP B: numbers compared with awk (OP: < > ~ for |A-B| <= 0.002)
expect_num() {
  if awk -v a="$2" -v op="$3" -v b="$4" 'BEGIN {
        if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/) exit 1
        d = a - b; if (d < 0) d = -d
        exit !((op == "<" && a + 0 < b + 0) || (op == ">" && a + 0 > b + 0) || (op == "~" && d <= 0.002)) }'; then pass
  else failed "$1: wanted $2 $3 $4"; fi
}
# run NAME OUT COMMAND...: the command succeeds; its stdout goes to OUT
run() {
  local name=$1 out=$2; shift 2
  if "$@" >"$out" 2>"$T/err"; then pass; else failed "$name (exit $?): $(cat "$T/err")"; : >"$out"; fi
}

# ---- the workforce ----

check_out init "created" cp init
check_out services "1 added" cp service import "$R/services.csv"
check_out posts "4 posts: 4 added" cp post import "$R/posts.csv"
check_out people "8 people: 8 added, 0 updated, 0 unchanged" cp person import "$R/people.csv"
check_out grades "24 judgements: 24 recorded, 0 already held" cp assess import "$R/assessments.csv"
check sandbox-welsh cp plugin check "$WELSH"
check sandbox-cross cp plugin check "$CROSS"

# ---- welsh-first.lua ----

# Rhys: senior manager, language "both"; needs VSC-PQ.17 (grade 4), WEIP-1 and WEIP-2 (grade 3).
run rec-base "$T/rb.csv" cp recommend rhys@council.test "${DAY[@]}" --format csv
run rec-welsh "$T/rw.csv" cp recommend rhys@council.test --plugin "$WELSH" "${DAY[@]}" --format csv
expect header "rank,activity,title,eligible,score,meets,reason" "$(head -1 "$T/rw.csv" | tr -d '\r')"
ss_b=$(field "$T/rb.csv" activity VSC-LD-SS rank); intl_b=$(field "$T/rb.csv" activity VSC-X-INTL rank)
ss_w=$(field "$T/rw.csv" activity VSC-LD-SS rank); intl_w=$(field "$T/rw.csv" activity VSC-X-INTL rank)
# without the plugin the bilingual summer school ranks below English-only International Links...
expect_num "base: summer school below International Links (ranks)" "$ss_b" ">" "$intl_b"
# ...with it, above
expect_num "welsh-first: summer school above International Links (ranks)" "$ss_w" "<" "$intl_w"
# the bilingual activity's score is the default one x1.5, the English-only one's unchanged
expect_num "welsh-first: summer school x1.5" "$(field "$T/rw.csv" activity VSC-LD-SS score)" "~" \
  "$(awk -v s="$(field "$T/rb.csv" activity VSC-LD-SS score)" 'BEGIN { printf "%.4f", s * 1.5 }')"
expect "welsh-first: International Links unchanged" "$(field "$T/rb.csv" activity VSC-X-INTL score)" \
  "$(field "$T/rw.csv" activity VSC-X-INTL score)"
expect "welsh-first: International Links reason unchanged" "$(field "$T/rb.csv" activity VSC-X-INTL reason)" \
  "$(field "$T/rw.csv" activity VSC-X-INTL reason)"
# the default reason is kept, and the plugin says what it did
expect "welsh-first: reason extends the default one" \
  "$(field "$T/rb.csv" activity VSC-LD-SS reason); Welsh-medium provision x1.5" "$(field "$T/rw.csv" activity VSC-LD-SS reason)"
# no value stays no value (previous returned nil), with the default reason
expect "welsh-first: nil stays nil" "" "$(field "$T/rw.csv" activity VSC-X-UPDATE score)"
expect "welsh-first: nil keeps its reason" "develops none of the person's needs" "$(field "$T/rw.csv" activity VSC-X-UPDATE reason)"
expect "welsh-first: still eligible" "yes" "$(field "$T/rw.csv" activity VSC-X-UPDATE eligible)"
# eligibility is the default rules' without welsh_only
expect "welsh-first: eligibility deferred" "$(columns "$T/rb.csv" activity eligible)" "$(columns "$T/rw.csv" activity eligible)"
# an English-only speaker sees exactly the default results
run rec-tom-base "$T/tb.csv" cp recommend tom@council.test "${DAY[@]}" --format csv
run rec-tom-welsh "$T/tw.csv" cp recommend tom@council.test --plugin "$WELSH" "${DAY[@]}" --format csv
if cmp -s "$T/tb.csv" "$T/tw.csv"; then pass; else failed "welsh-first: English speaker's results changed: $(diff "$T/tb.csv" "$T/tw.csv")"; fi
# --plugin is for one run: nothing is enabled
check_out not-enabled "0,default,1.0,(built in)" cp plugin list --format csv
if grep -q welsh-first "$T/out"; then failed "--plugin enabled the plugin: $(cat "$T/out")"; else pass; fi

# Options through `plugin enable` (on a copy of the database).
DB_BASE=$CPDPLAN_DB
command cp "$DB_BASE" "$T/enabled.db"
export CPDPLAN_DB="$T/enabled.db"
check_out enable-welsh "enabled" cp plugin enable "$WELSH" --options '{"welsh_only": true, "welsh_factor": 2}'
check_out listed "welsh-first" cp plugin list --format csv
# Siân: chief officer, language "cy": International Links is taught in English only
run rec-sian-only "$T/so.csv" cp recommend sian@council.test "${DAY[@]}" --format csv
expect "welsh_only: English-only refused to a cy speaker" "no" "$(field "$T/so.csv" activity VSC-X-INTL eligible)"
expect "welsh_only: reason" "taught in English only (welsh_only)" "$(field "$T/so.csv" activity VSC-X-INTL reason)"
expect "welsh_only: bilingual still eligible" "yes" "$(field "$T/so.csv" activity VSC-X-SECOND eligible)"
expect_has "welsh_only: other refusals are the default rules'" "open to senior; this person is chief" \
  "$(field "$T/so.csv" activity VSC-LD-SS reason)"
# Rhys speaks both: welsh_only does not apply; welsh_factor 2 does
run rec-rhys-opts "$T/ro.csv" cp recommend rhys@council.test "${DAY[@]}" --format csv
expect "welsh_only: not for a bilingual speaker" "yes" "$(field "$T/ro.csv" activity VSC-X-INTL eligible)"
expect_num "welsh_factor 2" "$(field "$T/ro.csv" activity VSC-LD-SS score)" "~" \
  "$(awk -v s="$(field "$T/rb.csv" activity VSC-LD-SS score)" 'BEGIN { printf "%.4f", s * 2 }')"
expect_has "welsh_factor in the reason" "Welsh-medium provision x2" "$(field "$T/ro.csv" activity VSC-LD-SS reason)"
# without welsh_only the cy speaker is eligible again
check_out enable-again "enabled" cp plugin enable "$WELSH"
run rec-sian-plain "$T/sp.csv" cp recommend sian@council.test "${DAY[@]}" --format csv
expect "no welsh_only: English-only eligible" "yes" "$(field "$T/sp.csv" activity VSC-X-INTL eligible)"
export CPDPLAN_DB="$DB_BASE"

# ---- cross-team-mentoring.lua ----

# Cai: newly appointed adviser in Primary; initial needs WEIP-1, WEIP-2, WEIP-3.
# Gwen (Primary) has grade 1 on all three; Huw (Secondary) on WEIP-3; Siân (no team) on WEIP-1.
run mentors-base "$T/mb.csv" cp mentors suggest cai@council.test --all "${DAY[@]}" --format csv
run mentors-cross "$T/mc.csv" cp mentors suggest cai@council.test --all --plugin "$CROSS" "${DAY[@]}" --format csv
expect header "rank,mentor,name,team,allowed,score,strengths,reason" "$(head -1 "$T/mc.csv" | tr -d '\r')"
expect "base: same-team Gwen allowed" "yes" "$(field "$T/mb.csv" mentor gwen@council.test allowed)"
expect "base: Gwen ranks first" "1" "$(field "$T/mb.csv" mentor gwen@council.test rank)"
expect "cross-team: Gwen ruled out" "no" "$(field "$T/mc.csv" mentor gwen@council.test allowed)"
expect "cross-team: reason" "same team" "$(field "$T/mc.csv" mentor gwen@council.test reason)"
expect "cross-team: no score" "" "$(field "$T/mc.csv" mentor gwen@council.test score)"
expect "cross-team: her strengths still shown" "WEIP-1 WEIP-2 WEIP-3" "$(field "$T/mc.csv" mentor gwen@council.test strengths)"
expect "cross-team: Mari (same team) ruled out" "same team" "$(field "$T/mc.csv" mentor mari@council.test reason)"
# another team, or no team: the default rules' score and reason are kept
for m in huw@council.test sian@council.test; do
  for c in allowed score reason; do
    expect "cross-team: $m $c kept" "$(field "$T/mb.csv" mentor $m $c)" "$(field "$T/mc.csv" mentor $m $c)"
  done
done
expect "cross-team: Huw now first" "1" "$(field "$T/mc.csv" mentor huw@council.test rank)"
expect "cross-team: other-team ruled-out reason kept" "no strengths to share" "$(field "$T/mc.csv" mentor tom@council.test reason)"
expect "cross-team: the mentee themself" "the mentee themself" "$(field "$T/mc.csv" mentor cai@council.test reason)"
# without --all, only the allowed are listed
run mentors-allowed "$T/ma.csv" cp mentors suggest cai@council.test --plugin "$CROSS" "${DAY[@]}" --format csv
if grep -q gwen@council.test "$T/ma.csv"; then failed "cross-team: Gwen listed without --all: $(cat "$T/ma.csv")"; else pass; fi
expect_has "cross-team: Huw listed" "huw@council.test" "$(cat "$T/ma.csv")"
# welsh-first loaded too changes no mentor
run mentors-both "$T/m2.csv" cp mentors suggest cai@council.test --all --plugin "$WELSH" --plugin "$CROSS" "${DAY[@]}" --format csv
if cmp -s "$T/mc.csv" "$T/m2.csv"; then pass; else failed "cross-team with welsh-first: $(diff "$T/mc.csv" "$T/m2.csv")"; fi
finish
