#!/bin/sh
# Golden files: fit.csv and roofline.csv on fixed inputs must not change.
# Regenerate (after a deliberate change) with CR_UPDATE_GOLDEN=1 make check.
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FIX="$top_srcdir/tests/fixtures/fit"
OUT=$(tmpdir)
trap 'rm -rf "$OUT"' EXIT INT TERM

golden() { # golden NAME INPUT
  "$FIT" --no-plots --bootstrap 200 --seed 7 -o "$OUT/$1" "$2" > "$OUT/$1.txt" ||
    bail "collroof-fit on $2"
  for f in fit.csv roofline.csv scaling.csv; do
    g="$FIX/golden/$1-$f"
    if [ "${CR_UPDATE_GOLDEN:-0}" = 1 ]; then
      cp "$OUT/$1/$f" "$g"
      skip "$1 $f" "updated $g"
    else
      check "$1 $f equals $g (CR_UPDATE_GOLDEN=1 regenerates)" diff -u "$g" "$OUT/$1/$f"
    fi
  done
}

golden jsonl "$FIX/run-jsonl"
golden csv "$FIX/run-csv/results.csv"
# reduce and gather at node level on 4 ranks, t = alpha + S / r_inf exactly (reduce
# 5 us + S / 2.048 GB/s, gather 8 us + S / 1.024 GB/s): the reader takes their rows,
# and the fit recovers alpha and r_inf with F = 1 and 3/4 (method.md's table).
golden rooted "$FIX/run-rooted/results.csv"
check "rooted: reduce and gather fitted with their alpha, r_inf, F, ceiling F r_inf" \
    test "$(awk -F, 'NR > 1 { printf "%s %d %.6g %.6g %.6g %.6g\n", $1, $4, $8, $11, $18, $14 }' \
                "$OUT/rooted/fit.csv" | tr '\n' ';')" = \
         "gather 4 8 1.024 0.75 0.768;reduce 4 5 2.048 1 2.048;"

# The contract header of fit.csv, byte for byte.
want='collective,level,cadence,ranks,segment,bytes_lo,bytes_hi,alpha_us,alpha_lo_us,alpha_hi_us,rinf_GBps,rinf_lo_GBps,rinf_hi_GBps,busbw_ceiling_GBps,n_half_bytes,rel_err_median,points'
check "fit.csv header" sh -c "head -1 '$OUT/jsonl/fit.csv' | cut -d, -f1-17 | grep -qx '$want'"
# Same seed, same output; every generated group finds its breakpoint at 32K|64K.
"$FIT" --no-plots --bootstrap 200 --seed 7 -o "$OUT/again" "$FIX/run-jsonl" > /dev/null
check "same seed, same fit.csv" cmp -s "$OUT/again/fit.csv" "$OUT/jsonl/fit.csv"
n=$(awk -F, 'NR > 1 && $5 == 2 && $19 == 32768 && $20 == 65536' "$OUT/jsonl/fit.csv" | wc -l)
check "15 groups with a 32K|64K break (got $n)" test "$n" -eq 15

# A real 2-rank run whose last segments (beyond the cache) are slower and have
# intercepts alpha < 0: fit.csv keeps the numbers, the summary shows '-', and the
# roofline takes segment 1's alpha and the highest segment ceiling the data reach.
C="$OUT/cache"
CR_GNUPLOT=true "$FIT" --bootstrap 50 --seed 7 --format svg -o "$C" \
  "$FIX/run-cache/results.csv" > "$C.txt" || bail "collroof-fit on run-cache"
check "fit.csv keeps the negative intercept" \
  awk -F, '$1 == "allreduce" && $5 == 3 && $8 < 0 { ok = 1 } END { exit !ok }' "$C/fit.csv"
check "the summary shows no alpha <= 0 as a latency" \
  awk '$1 == "allreduce" && $5 == 3 && $7 == "-" && $8 == "-" && $(NF-1) == "-" { ok = 1 }
     END { exit !ok }' "$C.txt"
check "allreduce roofline line" \
  grep -q "^roofline: allreduce world isolated p=2: latency floor 0\.5.* (segment 2)" "$C.txt"
seg2=$(awk -F, '$1 == "allreduce" && $5 == 2 { print $14 }' "$C/fit.csv")
a1=$(awk -F, '$1 == "allreduce" && $5 == 1 { print $8 }' "$C/fit.csv")
check "roofline.csv ceiling is segment 2's" \
  awk -F, -v c="$seg2" -v a="$a1" '$1 == "allreduce" && ($16 != c || $18 != 2 || $19 != a) { bad = 1 }
     END { exit bad }' "$C/roofline.csv"
check "plot labels literal (noenhanced)" grep -q "noenhanced" "$C/plot-world.gp"
check "plot ceiling line at segment 2's ceiling" \
  grep -q "title 'roof ceiling $(printf %.4g "$seg2") GB/s'" "$C/plot-world.gp"
finish
