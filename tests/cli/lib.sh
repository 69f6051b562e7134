# lib.sh: helpers for the CLI end-to-end tests (sourced). Needs CPDPLAN (the
# binary) and DATA (tests/data); makes a temporary directory T and counts
# checks, printing "N passed, M failed" at the end.
set -uo pipefail
: "${CPDPLAN:?set CPDPLAN to the cpdplan binary}" "${DATA:?set DATA to tests/data}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PASS=0
FAIL=0
export CPDPLAN_DB="$T/test.db"

cp() { "$CPDPLAN" "$@"; }
pass() { PASS=$((PASS + 1)); }
failed() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }

# check NAME COMMAND...: the command succeeds
check() {
  local name=$1; shift
  if "$@" >"$T/out" 2>"$T/err"; then pass; else failed "$name (exit $?): $(cat "$T/err")"; fi
}
# check_out NAME EXPECTED COMMAND...: stdout contains EXPECTED
check_out() {
  local name=$1 want=$2; shift 2
  if "$@" >"$T/out" 2>"$T/err" && grep -qF -- "$want" "$T/out"; then pass
  else failed "$name: wanted '$want' in: $(cat "$T/out" "$T/err")"; fi
}
# db_hash: a digest of the whole database content
db_hash() { sqlite3 "$CPDPLAN_DB" .dump | sha256sum | cut -d' ' -f1; }
# check_rejects NAME EXPECTED_STDERR COMMAND...: exit 1, exact stderr, database unchanged
check_rejects() {
  local name=$1 want=$2; shift 2
  local before after rc
  before=$(db_hash)
  "$@" >"$T/out" 2>"$T/err"; rc=$?
  after=$(db_hash)
  if [ "$rc" -ne 1 ]; then failed "$name: exit $rc, wanted 1 ($(cat "$T/err"))"; return; fi
  if [ "$(cat "$T/err")" != "$want" ]; then failed "$name: stderr was '$(cat "$T/err")', wanted '$want'"; return; fi
  if [ "$before" != "$after" ]; then failed "$name: database changed"; return; fi
  pass
}
finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}
