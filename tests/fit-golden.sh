#!/bin/sh
# Golden files: fit.csv and roofline.csv on fixed inputs must not change.
# Regenerate (after a deliberate change) with CR_UPDATE_GOLDEN=1 make check.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
FIT="$top_builddir/collroof-fit"
FIX="$top_srcdir/tests/fixtures/fit"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/fit-golden.XXXXXX")
trap 'rm -rf "$OUT"' EXIT INT TERM
fail=0

check() { # check NAME INPUT
  "$FIT" --no-plots --bootstrap 200 --seed 7 -o "$OUT/$1" "$2" > "$OUT/$1.txt"
  for f in fit.csv roofline.csv scaling.csv; do
    g="$FIX/golden/$1-$f"
    if [ "${CR_UPDATE_GOLDEN:-0}" = 1 ]; then
      cp "$OUT/$1/$f" "$g"
      echo "updated $g"
    elif ! diff -u "$g" "$OUT/$1/$f"; then
      echo "FAIL: $1 $f differs from $g (CR_UPDATE_GOLDEN=1 regenerates)"
      fail=1
    fi
  done
}

check jsonl "$FIX/run-jsonl"
check csv "$FIX/run-csv/results.csv"

# The contract header of fit.csv, byte for byte.
want='collective,level,cadence,ranks,segment,bytes_lo,bytes_hi,alpha_us,alpha_lo_us,alpha_hi_us,rinf_GBps,rinf_lo_GBps,rinf_hi_GBps,busbw_ceiling_GBps,n_half_bytes,rel_err_median,points'
head -1 "$OUT/jsonl/fit.csv" | cut -d, -f1-17 | grep -qx "$want" || { echo "FAIL: fit.csv header"; fail=1; }
# Same seed, same output; every generated group finds its breakpoint at 32K|64K.
"$FIT" --no-plots --bootstrap 200 --seed 7 -o "$OUT/again" "$FIX/run-jsonl" > /dev/null
cmp -s "$OUT/again/fit.csv" "$OUT/jsonl/fit.csv" || { echo "FAIL: not deterministic"; fail=1; }
n=$(awk -F, 'NR > 1 && $5 == 2 && $19 == 32768 && $20 == 65536' "$OUT/jsonl/fit.csv" | wc -l)
[ "$n" -eq 15 ] || { echo "FAIL: expected 15 groups with a 32K|64K break, got $n"; fail=1; }

# A real 2-rank run whose last segments (beyond the cache) are slower and have
# intercepts alpha < 0: fit.csv keeps the numbers, the summary shows '-', and the
# roofline takes segment 1's alpha and the highest segment ceiling the data reach.
C="$OUT/cache"
CR_GNUPLOT=true "$FIT" --bootstrap 50 --seed 7 --format svg -o "$C" \
  "$FIX/run-cache/results.csv" > "$C.txt"
awk -F, '$1 == "allreduce" && $5 == 3 && $8 < 0 { ok = 1 } END { exit !ok }' "$C/fit.csv" ||
  { echo "FAIL: fit.csv lost the negative intercept"; fail=1; }
awk '$1 == "allreduce" && $5 == 3 && $7 == "-" && $8 == "-" && $(NF-1) == "-" { ok = 1 }
     END { exit !ok }' "$C.txt" || { echo "FAIL: summary shows alpha <= 0 as a latency"; fail=1; }
grep -q "^roofline: allreduce world isolated p=2: latency floor 0\.5.* (segment 2)" "$C.txt" ||
  { echo "FAIL: allreduce roofline line"; cat "$C.txt"; fail=1; }
seg2=$(awk -F, '$1 == "allreduce" && $5 == 2 { print $14 }' "$C/fit.csv")
a1=$(awk -F, '$1 == "allreduce" && $5 == 1 { print $8 }' "$C/fit.csv")
awk -F, -v c="$seg2" -v a="$a1" '$1 == "allreduce" && ($16 != c || $18 != 2 || $19 != a) { bad = 1 }
     END { exit bad }' "$C/roofline.csv" || { echo "FAIL: roofline.csv ceiling is not segment 2's"; fail=1; }
grep -q "noenhanced" "$C/plot-world.gp" && grep -q "title 'roof ceiling $(printf %.4g "$seg2") GB/s'" "$C/plot-world.gp" ||
  { echo "FAIL: plot labels not literal or wrong ceiling line"; fail=1; }
exit $fail
