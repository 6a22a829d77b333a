#!/bin/sh
# docs/boundary.md runs as shown: scripts/boundary-guide, reusing the measurement the
# guide used (tests/fixtures/bguide/run: 2 emulated hosts x 2 ranks, 1 Gbit/s, wire
# bytes counted), runs every collroof-fit command of the guide, and every line of the
# guide's command blocks (those that start with "$ " and are not the MPI
# measurement) appears verbatim in what they print; "..." marks a trim. Also: the
# 2-node plan names its measured line, and the boundary picks CPO across nodes. No
# MPI; a few seconds.
set -u
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/boundary-guide.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
DOC="$top_srcdir/docs/boundary.md"
mkdir "$T/g" && cp -r "$top_srcdir/tests/fixtures/bguide/run" "$T/g/" || bail "fixture"
BOUNDARY_GUIDE_RUN="$T/g" top_builddir="$top_builddir" \
  "$top_srcdir/scripts/boundary-guide" "$T/g" >"$T/out" 2>&1
check "boundary-guide ran ($(grep -c '^\$ ' "$T/out") commands)" test "$(grep -c '^\$ ' "$T/out")" -ge 10
awk '/^```/ { if (inb) { inb = 0; next } getline l; if (l ~ /^\$ / && l !~ /^\$ collroof /) { inb = 1; print l } ; next }
     inb' "$DOC" | grep -vx '\.\.\.' | grep -v '^$' >"$T/lines"
n=$(wc -l <"$T/lines")
missing=0
while IFS= read -r line; do
  grep -Fxq -- "$line" "$T/out" || { missing=$((missing + 1)); diag "not printed: $line"; }
done <"$T/lines"
check "all $n lines of the guide's command blocks are what the commands print" test "$missing" = 0
check "the 2-node plan prices line 18 with the run's measured wire bytes" \
  grep -q "line 18 allreduce: bytes across nodes measured" "$T/out"
check "the dp boundary: least energy with DAC in the node and CPO across nodes" \
  grep -q "least energy: #14 node=dac-800g-osfp rail=my-cpo" "$T/out"
check "the guide names every collroof-fit command it runs" sh -c "grep '^\\\$ collroof-fit [a-z]' '$T/out' | while IFS= read -r c; do grep -Fxq -- \"\$c\" '$DOC' || exit 1; done"
finish
