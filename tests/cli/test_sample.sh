#!/usr/bin/env bash
# test_sample.sh: end-to-end tests of `cpdplan sample`: the five CSV files and
# their headers, the summary line, byte-identical reruns, --services, --today
# and --cycle, usage and I/O errors, and that no database is touched; the
# sessions file imports (after the people) into a database made by init.
# Run by CTest with CPDPLAN (the binary), DATA and SRC set.
set -euo pipefail

: "${CPDPLAN:?set CPDPLAN to the cpdplan binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CPDPLAN_DB="$tmp/never.db"
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
  echo "FAIL: $*" >&2
  fail=$((fail + 1))
}
check() { # check NAME COMMAND...: the command must succeed
  local name=$1
  shift
  if "$@"; then ok; else bad "$name"; fi
}
# run CMD...: exit status in $rc, output in $tmp/out and $tmp/err
run() {
  rc=0
  "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}
expect_rc() { # expect_rc NAME STATUS CMD...
  local name=$1 want=$2
  shift 2
  run "$@"
  if [ "$rc" = "$want" ]; then ok; else bad "$name: exit $rc, want $want ($(head -c 300 "$tmp/err"))"; fi
}
column() { # column FILE N: field N of each data row (RFC 4180; no newlines in fields)
  tail -n +2 "$1" | awk -v n="$2" '
    function field(line, n,   i, c, f, k, q) {
      k = 1; f = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
          if (c != "\"") f = f c
          else if (substr(line, i + 1, 1) == "\"") { f = f c; i++ }
          else q = 0
        } else if (c == "\"") q = 1
        else if (c == ",") { if (k == n) return f; k++; f = "" }
        else f = f c
      }
      return k == n ? f : ""
    }
    index($0, "\"") == 0 { split($0, a, ","); print a[n]; next }
    { print field($0, n) }'
}

# ---- help ----
run "$CPDPLAN" sample --help
check "sample --help" grep -q "^usage: cpdplan sample --people N --out DIR" "$tmp/out"
run "$CPDPLAN" help sample
check "help sample" grep -q -- "--services K" "$tmp/out"

# ---- a sample: files, headers, summary ----
expect_rc "sample runs" 0 "$CPDPLAN" sample --people 300 --seed 5 --out "$tmp/a"
summary=$(cat "$tmp/out")
check "summary line" grep -Eq "^wrote $tmp/a: 22 services, 24 posts, 300 people, [0-9]+ assessments, 13 sessions \([0-9.]+ MB\) in [0-9.]+ s$" "$tmp/out"
check "only the five files" test "$(ls -A "$tmp/a" | tr '\n' ' ')" = "assessments.csv people.csv posts.csv services.csv sessions.csv "
check "services header" test "$(head -1 "$tmp/a/services.csv")" = "service,nation,frameworks"
check "posts header" test "$(head -1 "$tmp/a/posts.csv")" = "post,statements"
check "people header" test "$(head -1 "$tmp/a/people.csv")" = \
  "name,email,post,team,service,line_manager,appointed,stage,language,mentor_capacity,retirement_year"
check "assessments header" test "$(head -1 "$tmp/a/assessments.csv")" = \
  "person,statement,cycle,by,grade,assessor,evidence,date,comment"
check "sessions header" test "$(head -1 "$tmp/a/sessions.csv")" = \
  "activity,start,end,id,place,capacity,facilitator,language"
check "one session per activity at 300 people" test "$(column "$tmp/a/sessions.csv" 1 | sort -u | wc -l)" = 13
check "facilitators are people" test -z "$(comm -23 <(column "$tmp/a/sessions.csv" 7 | grep . | sort -u) \
  <(column "$tmp/a/people.csv" 2 | sort -u))"
check "sessions in the school year" test "$(column "$tmp/a/sessions.csv" 2 | cut -c1-10 | sort | sed -n '1p;$p' |
  awk 'NR == 1 { a = ($1 >= "2026-09-01") } NR == 2 { b = ($1 <= "2027-08-31") } END { print a && b }')" = 1
check "22 services" test "$(($(wc -l <"$tmp/a/services.csv") - 1))" = 22
check "300 people" test "$(($(wc -l <"$tmp/a/people.csv") - 1))" = 300
rows=$(($(wc -l <"$tmp/a/assessments.csv") - 1))
check "assessment rows as reported" grep -q " $rows assessments, " <<<"$summary"
check "no database made" test ! -e "$CPDPLAN_DB"
check "unique e-mails" test "$(column "$tmp/a/people.csv" 2 | sort | uniq -d | wc -l)" = 0
check "line managers are people" test -z "$(comm -23 <(column "$tmp/a/people.csv" 6 | grep . | sort -u) \
  <(column "$tmp/a/people.csv" 2 | sort -u))"
check "assessors are people" test -z "$(comm -23 <(column "$tmp/a/assessments.csv" 6 | grep . | sort -u) \
  <(column "$tmp/a/people.csv" 2 | sort -u))"
check "grades 1-4 or NA" test -z "$(column "$tmp/a/assessments.csv" 5 | grep -Ev '^(1|2|3|4|NA)$' | head -1)"
check "kinds of assessor" test -z "$(column "$tmp/a/assessments.csv" 4 | grep -Ev '^(self|manager|peer)$' | head -1)"

# ---- the same options give the same bytes; another seed does not ----
expect_rc "rerun" 0 "$CPDPLAN" sample --people 300 --seed 5 --out "$tmp/b"
for f in services posts people assessments sessions; do
  check "same $f.csv" cmp -s "$tmp/a/$f.csv" "$tmp/b/$f.csv"
done
expect_rc "other seed" 0 "$CPDPLAN" sample --people 300 --seed 6 --out "$tmp/c"
check "other seed, other people" bash -c "! cmp -s '$tmp/a/people.csv' '$tmp/c/people.csv'"

# ---- options ----
expect_rc "three services" 0 "$CPDPLAN" sample --people 40 --services 3 --out "$tmp/d"
check "three nations" test "$(column "$tmp/d/services.csv" 2 | sort | tr '\n' ' ')" = "England Scotland Wales "
expect_rc "--today" 0 "$CPDPLAN" sample --people 50 --today 2027-03-15 --out "$tmp/e"
check "cycle from --today" test "$(column "$tmp/e/assessments.csv" 3 | sort -u)" = "2026-27"
check "dates not after --today" test "$(column "$tmp/e/assessments.csv" 8 | sort | tail -1 | awk '{ print ($1 <= "2027-03-15") }')" = 1
expect_rc "--cycle" 0 "$CPDPLAN" sample --people 50 --cycle 2025-26 --out "$tmp/f"
check "cycle column" test "$(column "$tmp/f/assessments.csv" 3 | sort -u)" = "2025-26"
check "dates in the cycle" test "$(column "$tmp/f/assessments.csv" 8 | sort | sed -n '1p;$p' |
  awk 'NR == 1 { a = ($1 >= "2025-09-01") } NR == 2 { b = ($1 <= "2026-08-31") } END { print a && b }')" = 1
expect_rc "writes into a new nested directory" 0 "$CPDPLAN" sample --people 5 --out "$tmp/g/h/i"
check "nested directory" test -s "$tmp/g/h/i/people.csv"

# ---- one to two sessions per 100 people; the files import, sessions last ----
expect_rc "2000 people" 0 "$CPDPLAN" sample --people 2000 --seed 9 --out "$tmp/k"
nsess=$(sed -n 's/.*assessments, \([0-9]*\) sessions .*/\1/p' "$tmp/out")
check "sessions as reported" test "$(($(wc -l <"$tmp/k/sessions.csv") - 1))" = "$nsess"
check "20 to 40 sessions for 2000 people" test "$nsess" -ge 20 -a "$nsess" -le 40
induction=$(column "$tmp/k/sessions.csv" 1 | grep -c '^VSC-IND-RES$')
new=$(column "$tmp/k/people.csv" 8 | grep -c '^new$')
check "residential induction places for most of the newly appointed" test $((induction * 24)) -ge $((new * 3 / 4))
check "some Welsh-language sessions" grep -q ',cy$' <(for s in 1 2 3 4 5; do
  "$CPDPLAN" sample --people 2000 --seed $s --out "$tmp/w$s" >/dev/null && cat "$tmp/w$s/sessions.csv"; done)
export CPDPLAN_DB="$tmp/k.db"
expect_rc "init" 0 "$CPDPLAN" init
for f in service:services post:posts person:people; do
  expect_rc "import ${f#*:}" 0 "$CPDPLAN" "${f%:*}" import "$tmp/k/${f#*:}.csv"
done
expect_rc "import sessions" 0 "$CPDPLAN" session import "$tmp/k/sessions.csv"
check "sessions imported" grep -q ": $nsess sessions: $nsess added, 0 updated, 0 unchanged" "$tmp/out"
expect_rc "import sessions again" 0 "$CPDPLAN" session import "$tmp/k/sessions.csv"
check "sessions unchanged" grep -q ": $nsess sessions: 0 added, 0 updated, $nsess unchanged" "$tmp/out"
export CPDPLAN_DB="$tmp/never.db"

# ---- errors ----
expect_rc "no --people" 2 "$CPDPLAN" sample --out "$tmp/x"
expect_rc "no --out" 2 "$CPDPLAN" sample --people 5
expect_rc "--people 0" 2 "$CPDPLAN" sample --people 0 --out "$tmp/x"
expect_rc "--people abc" 2 "$CPDPLAN" sample --people abc --out "$tmp/x"
expect_rc "--services 23" 2 "$CPDPLAN" sample --people 5 --services 23 --out "$tmp/x"
expect_rc "--seed -1" 2 "$CPDPLAN" sample --people 5 --seed -1 --out "$tmp/x"
expect_rc "unknown option" 2 "$CPDPLAN" sample --people 5 --out "$tmp/x" --colour red
expect_rc "stray argument" 2 "$CPDPLAN" sample --people 5 --out "$tmp/x" extra
expect_rc "bad --today" 1 "$CPDPLAN" sample --people 5 --today 2026-13-01 --out "$tmp/x"
check "bad --today message" grep -q "^cpdplan: .*today" "$tmp/err"
expect_rc "bad --cycle" 1 "$CPDPLAN" sample --people 5 --cycle soon --out "$tmp/x"
check "nothing written on bad options" test ! -e "$tmp/x"
touch "$tmp/file"
expect_rc "output under a file" 1 "$CPDPLAN" sample --people 5 --out "$tmp/file/out"
check "I/O error message" grep -q "^cpdplan: cannot create directory" "$tmp/err"

# ---- a failed rewrite leaves the old files ----
if [ "$(id -u)" != 0 ]; then
  chmod a-w "$tmp/a"
  expect_rc "read-only directory" 1 "$CPDPLAN" sample --people 10 --out "$tmp/a"
  chmod u+w "$tmp/a"
  check "old people.csv kept" cmp -s "$tmp/a/people.csv" "$tmp/b/people.csv"
fi
check "no temporary files" test -z "$(ls -A "$tmp/a" | grep '^\.' || true)"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
