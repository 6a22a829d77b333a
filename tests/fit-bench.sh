#!/bin/sh
# scripts/bench-fit (small size for make check): it reports a positive throughput
# that agrees with its own sample count and time, and the fit it times recovers the
# parameters its generator put in: for each of the 15 groups (collective c = 1..3:
# allreduce, allgather, alltoall; level l = 1..5: numa, package, node, internode,
# world) segment 1 (8 B-32K) alpha = 1.5 l + c us, r_inf = 2 (6 - l) GB/s, and
# segment 2 (64K up) alpha 4x, r_inf 1.6x, each within 2% and inside its 95% CI.
# Its scaling table (50 and 200 sizes here) has a row per size; its coverage
# section (20 datasets here): every interval holds its own estimate.
. "$(dirname "$0")/lib.sh"
BENCH="$top_srcdir/scripts/bench-fit"
FIT="$top_builddir/collroof-fit"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
PER=50 REPS=100

BENCH_FIT_SIZES="50 200" sh "$BENCH" "$FIT" $PER $REPS 20 >"$T/bench.out" 2>&1
check "bench-fit exits 0" test $? -eq 0
cat "$T/bench.out"
# "bench-fit: N raw samples, R bootstrap replicates: T s, X samples/s"
check "bench-fit: $((PER * 375)) samples, $REPS replicates, time > 0, samples/s > 0 = N / T" \
    awk -v n=$((PER * 375)) -v r=$REPS '/^bench-fit: / {
        seen = 1; t = $8 + 0; x = $10 + 0
        if ($2 != n || $5 != r || t <= 0 || x <= 0) bad = 1
        # T is printed to 1 ms: compare when that rounding is under 5%
        if (t >= 0.02 && (x * t - n) ^ 2 > (0.05 * n) ^ 2) bad = 1 }
        END { exit !seen || bad }' "$T/bench.out"
check "bench-fit scaling: a row per size (50, 200) with seconds >= 0 and 3 segments found" \
    awk '/^bench-fit scaling:/ { on = 1; next } on && $1 ~ /^[0-9]+$/ {
             n++; if ($1 != (n == 1 ? 50 : 200) || !($2 >= 0) || $3 != 3) bad = 1 }
         END { exit !(n == 2 && !bad) }' "$T/bench.out"
check "bench-fit coverage: 20 datasets, every interval holds its estimate (raw and residual, alpha and r_inf)" \
    awk '/^bench-fit coverage: 20 datasets/ { seen = 1 }
         $1 == "raw" || $1 == "residual" { n++; if ($4 != "100.0%") bad = 1 }
         END { exit !(seen && n == 4 && !bad) }' "$T/bench.out"

sh "$BENCH" --gen "$T/run.jsonl" $PER
"$FIT" --no-plots --bootstrap $REPS --seed 1 -o "$T/fit" "$T/run.jsonl" >"$T/fit.txt" 2>&1
check "collroof-fit on the generated run exits 0" test $? -eq 0
# collective level segment alpha_us r_inf_GBps, from the generator's formulas
truth() {
    awk 'BEGIN { split("allreduce allgather alltoall", C, " ")
                 split("numa package node internode world", L, " ")
                 for (c = 1; c <= 3; c++) for (l = 1; l <= 5; l++) {
                     a = 1.5 * l + c; r = 2 * (6 - l)
                     print C[c], L[l], 1, a, r; print C[c], L[l], 2, 4 * a, 1.6 * r } }'
}
truth >"$T/truth"
check "fit.csv: 2 segments per group, 30 rows" test "$(csv_rows "$T/fit/fit.csv")" -eq 30
check "fit.csv: every group breaks between 32K and 64K" test -z "$(awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["segment"] == 1 && $c["bytes_hi"] != 32768 || $c["segment"] == 2 && $c["bytes_lo"] != 65536 {
        print $1, $2 }' "$T/fit/fit.csv")"
bad=$(awk -F, 'FNR == NR { a[$1 " " $2 " " $3] = $4; r[$1 " " $2 " " $3] = $5; next }
    FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { k = $c["collective"] " " $c["level"] " " $c["segment"]; seen[k] = 1
      A = $c["alpha_us"]; R = $c["rinf_GBps"]
      if (!(k in a)) { print k ": not generated"; next }
      if ((A - a[k]) ^ 2 > (0.02 * a[k]) ^ 2 || (R - r[k]) ^ 2 > (0.02 * r[k]) ^ 2)
          print k ": alpha " A " (want " a[k] "), r_inf " R " (want " r[k] ")"
      if (!($c["alpha_lo_us"] <= a[k] && a[k] <= $c["alpha_hi_us"] &&
            $c["rinf_lo_GBps"] <= r[k] && r[k] <= $c["rinf_hi_GBps"]))
          print k ": CI misses the truth" }
    END { for (k in a) if (!(k in seen)) print k ": no row" }' FS=' ' "$T/truth" FS=, "$T/fit/fit.csv")
check "every segment's alpha and r_inf within 2% of the generator's, inside the CI" test -z "$bad"
[ -z "$bad" ] || diag "$bad"

# scripts/bench-predict on its synthetic campaign (ring truths, 4% launch-to-launch
# spread): a table of 6 series and the pooled figures, meeting the goals.
bp=$("$top_srcdir/scripts/bench-predict" --fit "$FIT" 2>&1)
echo "$bp"
check "bench-predict: 6 series held out" \
    test "$(echo "$bp" | grep -cE '^(allreduce|allgather|alltoall) +world +isolated +ppn=[14] ')" = 6
pooled=$(echo "$bp" | sed -n 's/^pooled: \([0-9]*\) held-out.*; \([0-9.]*\)% inside.* |error| \([0-9.]*\)%.*/\1 \2 \3/p')
check "bench-predict: pooled line ($pooled)" test -n "$pooled"
check "bench-predict: synthetic campaign >= 90% inside, median |error| <= 10% ($pooled)" \
    awk -v s="$pooled" 'BEGIN { split(s, f, " "); exit !(f[1] > 100 && f[2] >= 90 && f[3] <= 10) }'
finish
