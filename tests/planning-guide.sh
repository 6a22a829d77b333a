#!/bin/sh
# docs/planning.md runs as shown: scripts/planning-guide show on the fit the guide
# used (tests/fixtures/planguide/fit, 2 emulated hosts x 2 ranks), and every line of
# the guide's command blocks (those that start with "$ " and are not the MPI
# measurement or the fit that made the fixture) appears verbatim in what the
# commands print; "..." marks a trim. No MPI; under a second.
set -u
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/planning-guide.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
DOC="$top_srcdir/docs/planning.md"
mkdir "$T/g" && cp -r "$top_srcdir/tests/fixtures/planguide/fit" "$T/g/" || bail "fixture"
COLLROOF="$top_builddir/collroof" FIT="$top_builddir/collroof-fit" \
  "$top_srcdir/scripts/planning-guide" show "$T/g" >"$T/out" 2>&1
check "planning-guide show ran ($(grep -c '^\$ ' "$T/out") commands)" test "$(grep -c '^\$ ' "$T/out")" -ge 10
# the blocks: fenced, first line "$ ", not "$ collroof " (MPI) nor the fit of the run
awk '/^```/ { if (inb) { inb = 0; next } getline l; if (l ~ /^\$ / && l !~ /^\$ collroof / &&
       l !~ /^\$ collroof-fit --no-plots/) { inb = 1; print l } ; next }
     inb' "$DOC" | grep -vx '\.\.\.' | grep -v '^$' >"$T/lines"
n=$(wc -l <"$T/lines")
missing=0
while IFS= read -r line; do
  grep -Fxq -- "$line" "$T/out" || { missing=$((missing + 1)); diag "not printed: $line"; }
done <"$T/lines"
check "all $n lines of the guide's command blocks are what the commands print" test "$missing" = 0
check "the guide names every command it runs" sh -c "grep '^\\\$ collroof-fit' '$T/out' | while IFS= read -r c; do grep -Fxq -- \"\$c\" '$DOC' || exit 1; done"
finish
