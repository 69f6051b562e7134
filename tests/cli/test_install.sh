#!/usr/bin/env bash
# test_install.sh: `cmake --install` gives a working installation: the
# installed cpdplan creates a database with the four frameworks from any
# directory, and the help and version work.
. "$(dirname "$0")/lib.sh"
: "${BUILD:?set BUILD to the build directory}"
check install cmake --install "$BUILD" --prefix "$T/prefix"
[ -x "$T/prefix/bin/cpdplan" ] && pass || failed "no installed binary"
[ -f "$T/prefix/include/cpdplan/store.h" ] && pass || failed "no installed headers"
mkdir -p "$T/elsewhere"
cd "$T/elsewhere"
check_out init "created cpdplan.db" env -u CPDPLAN_DB "$T/prefix/bin/cpdplan" init
check_out frameworks "151 (+6 principles)" env -u CPDPLAN_DB "$T/prefix/bin/cpdplan" framework list
check_out version "cpdplan 0.1.0" "$T/prefix/bin/cpdplan" --version
check_out help "usage: cpdplan person import FILE.csv" "$T/prefix/bin/cpdplan" help person import
# usage errors exit 2 and say what is wrong
"$T/prefix/bin/cpdplan" person import >/dev/null 2>"$T/err"; [ $? -eq 2 ] && grep -qF "give the CSV file to import" "$T/err" && pass || failed "usage error"
"$T/prefix/bin/cpdplan" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && pass || failed "unknown command"
finish
