#!/bin/sh
# scripts/bench-fit runs and prints its figures (small size for make check),
# coverage included, where every interval must hold its own estimate.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
out=$(sh "$top_srcdir/scripts/bench-fit" "$top_builddir/collroof-fit" 50 100 20)
echo "$out"
echo "$out" | grep -q "samples/s"
echo "$out" | grep -q "^bench-fit coverage: 20 datasets"
echo "$out" | awk '$1 == "raw" || $1 == "residual" { n++; if ($4 != "100.0%") bad = 1 }
                   END { exit !(n == 4 && !bad) }' ||
  { echo "FAIL: an interval does not hold its estimate, or the coverage table is missing"; exit 1; }
