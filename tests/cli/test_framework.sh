#!/usr/bin/env bash
# test_framework.sh: `cpdplan framework` end to end with the built binary:
# list after init, CASE and Moodle CSV export/import round trips, show,
# malformed files (exit status, exact message, database unchanged), usage.
# Needs CPDPLAN (the binary), DATA (tests/data) and SRC (the repository).
set -euo pipefail

: "${CPDPLAN:?set CPDPLAN to the cpdplan binary}" "${DATA:?set DATA to tests/data}" "${SRC:?set SRC to the repository}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CPDPLAN_DB="$tmp/cp.db"
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() {
  failed=$((failed + 1))
  echo "FAIL: $*" >&2
}
# check NAME COMMAND...: the command succeeds
check() {
  local name=$1
  shift
  if "$@"; then ok; else bad "$name"; fi
}
# same TEXT1 TEXT2 NAME
same() { if [ "$1" = "$2" ]; then ok; else bad "$3: expected [$2], got [$1]"; fi; }
rows() { sqlite3 "$CPDPLAN_DB" "SELECT (SELECT count(*) FROM framework) || '/' || (SELECT count(*) FROM item)"; }

"$CPDPLAN" init >/dev/null

# 1-4: the four shipped frameworks with their statement counts
list=$("$CPDPLAN" framework list)
same "$(echo "$list" | awk '$2 == "ASP05" {print $NF}')" "153" "ASP05 statements"
same "$(echo "$list" | grep ' PSS19 ' | sed 's/.*  //')" "151 (+6 principles)" "PSS19 statements"
same "$(echo "$list" | awk '$2 == "WEIP" {print $NF}')" "3" "WEIP statements"
same "$(echo "$list" | awk '$2 == "VSC" {print $NF}')" "30" "VSC statements"

# 5: list as CSV
same "$("$CPDPLAN" framework list --format csv | sed -n 1p)" "identifier,short_name,title,version,statements,principles,items" "csv header"

# 6-9: CASE export is the shipped file, byte for byte; re-import changes nothing
for pair in ASP05:aspect-eip-2005 PSS19:prospect-ecs-scotland-2019 WEIP:wales-eip VSC:vsc-cymru-standard; do
  code=${pair%%:*}
  "$CPDPLAN" framework export "$code" --out "$tmp/$code.json"
  if cmp -s "$tmp/$code.json" "$SRC/frameworks/${pair#*:}.json"; then ok; else bad "$code CASE export differs"; fi
done

# 10: re-import of the export: updated, nothing changed
out=$("$CPDPLAN" framework import "$tmp/ASP05.json" "$tmp/PSS19.json")
same "$out" "imported ASP05: 153 statements (updated: 0 added, 0 changed, 0 removed, 0 retired)
imported PSS19: 151 statements (updated: 0 added, 0 changed, 0 removed, 0 retired)" "CASE re-import"

# 11-12: Moodle CSV export -> import -> export gives the same file
"$CPDPLAN" framework export PSS19 --format moodle-csv --out "$tmp/pss19.csv"
same "$(head -1 "$tmp/pss19.csv")" '"Parent ID number","ID number","Short name",Description,"Description format","Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)","Cross-referenced competency ID numbers","Exported ID (optional)","Is framework",Taxonomy' "Moodle header"
same "$("$CPDPLAN" framework import "$tmp/pss19.csv")" "imported PSS19: 151 statements (updated: 0 added, 0 changed, 0 removed, 0 retired)" "Moodle re-import"
"$CPDPLAN" framework export PSS19 --format moodle-csv >"$tmp/pss19b.csv"
check "Moodle round trip" cmp -s "$tmp/pss19.csv" "$tmp/pss19b.csv"
# ... and the CASE export is still the shipped file
"$CPDPLAN" framework export PSS19 >"$tmp/pss19b.json"
check "CASE after Moodle import" cmp -s "$tmp/pss19b.json" "$SRC/frameworks/prospect-ecs-scotland-2019.json"

# 15-16: into a fresh database the Moodle file brings the same framework
CPDPLAN_DB="$tmp/fresh.db" "$CPDPLAN" init --empty >/dev/null
same "$(CPDPLAN_DB="$tmp/fresh.db" "$CPDPLAN" framework import "$tmp/pss19.csv")" "imported PSS19: 151 statements (created)" "fresh Moodle import"
check "fresh show equal" cmp -s <("$CPDPLAN" framework show PSS19 --format json) \
  <(CPDPLAN_DB="$tmp/fresh.db" "$CPDPLAN" framework show PSS19 --format json)

# 17: a real Moodle export imports and exports byte for byte
same "$("$CPDPLAN" framework import "$DATA/frameworks/moodle-export.csv")" "imported OECD-CORE: 17 statements (created)" "Moodle fixture import"
"$CPDPLAN" framework export OECD-CORE --format moodle-csv --out "$tmp/oecd.csv"
check "Moodle fixture round trip" cmp -s "$tmp/oecd.csv" "$DATA/frameworks/moodle-export.csv"

# 19: another publisher's package
same "$("$CPDPLAN" framework import "$DATA/frameworks/other-publisher-case.json")" "imported What Standards Could Be: 5 statements (created)" "OpenSALT import"

# 20-21: show
show=$("$CPDPLAN" framework show PSS19)
same "$(echo "$show" | grep -c '^    PSS19-4\.K\.1 (Statement) .*\[agreed\]$')" "1" "show marks agreed"
same "$(echo "$show" | grep -c '^PSS19-P[1-6] (Principle) ')" "6" "show principles"

# 22-26: malformed files: exit 1, exact message, nothing written
before=$(rows)
for case in \
  "bad-syntax.json|10:25: invalid JSON: '}' expected near '\"humanCodingScheme\"'" \
  "bad-cycle.json|31:5: isChildOf cycle: CYC-3 -> CYC-2 -> CYC-3" \
  "bad-unknown-node.json|19:29: item UNK-1: isChildOf an unknown node 0b3c1a52-6a34-4d3e-9d52-4c6f0f6f0cff" \
  "bad-moodle-parent.csv|4: competency BADP-2: parent ID number BADP-9 is not in the file" \
  "bad-moodle-quote.csv|3:15: malformed CSV: a quote inside an unquoted field, or text after a closing quote"; do
  file=${case%%|*}
  set +e
  err=$("$CPDPLAN" framework import "$DATA/frameworks/$file" 2>&1 >/dev/null)
  rc=$?
  set -e
  if [ "$rc" = 1 ] && [ "$err" = "cpdplan: $DATA/frameworks/$file:${case#*|}" ]; then ok; else bad "$file: rc=$rc [$err]"; fi
done
same "$(rows)" "$before" "row counts after failed imports"

# 28: a good file before a bad one stays imported; the bad one writes nothing
set +e
"$CPDPLAN" framework import "$DATA/frameworks/bad-duplicate-code.json" >/dev/null 2>&1
rc=$?
set -e
same "$rc/$(rows)" "1/$before" "failed import exit status and rows"

# 29-31: usage errors exit 2; unknown framework exits 1
set +e
"$CPDPLAN" framework export >/dev/null 2>&1; r1=$?
"$CPDPLAN" framework export ASP05 --format xml >/dev/null 2>&1; r2=$?
err=$("$CPDPLAN" framework show NOPE 2>&1); r3=$?
set -e
same "$r1" "2" "export without a framework"
same "$r2" "2" "unknown export format"
same "$r3/$err" "1/cpdplan: no framework \"NOPE\"" "unknown framework"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
