#!/bin/sh
# --workload on 2 and 4 ranks against what must hold: the contract's header and one
# row per call line plus the step; in every sample the step (max over ranks of a
# rank's whole step) is at least each call's time (max over ranks of that call on a
# rank: part of the same rank's step), so its order statistics are too; a known
# 20 ms compute gap before each of 3 calls makes every step >= 60 ms and, on
# one rank, stays out of the call's time; one allreduce of 1 MiB agrees with the sweep's row within
# 3x; comm=tp/dp under layout tp=2 on 4 ranks form 2 groups of 2; bad files and
# conflicting options exit 2 with one message naming the line, leaving no run
# directory; the shipped workloads, scaled down, replay and validate.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
FX="$top_srcdir/tests/fixtures/workload"
OPTS="-q --min-iters 5 --max-iters 40 --time-limit 0.3 --warmup 1"
HEADER=run_id,workload,row,collective,comm,ranks,groups,nodes,ppn,bytes,dtype,count,gap_us,skew,samples,stop,t_min_us,t_median_us,t_ci_lo_us,t_ci_hi_us,t_mean_us,t_p90_us,t_max_us,t_call_us,algbw_GBps,busbw_GBps,valid,dir

# val FILE ROW COLUMN: the value of COLUMN in the row whose row column is ROW.
val() {
    awk -F, -v row="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                                     $c["row"] == row { print $c[name] }' "$1"
}
# samples JSONL ROW: that row's raw samples, one per line.
samples() {
    grep "\"row\":\"$2\"" "$1" | sed 's/.*"samples":\[\([^]]*\)\].*/\1/' | tr ',' '\n'
}

for np in 2 4; do
    crun $np --workload "$FX/step.wl" $OPTS -o "$T/s$np" 2>"$T/err"
    check "step.wl on $np ranks runs" test $? -eq 0
    f="$T/s$np/workload.csv"
    check "step.wl on $np ranks: the contract's header" test "$(head -1 "$f")" = "$HEADER"
    check "step.wl on $np ranks: the step and 6 call rows" test "$(csv_rows "$f")" -eq 7
    check "step.wl on $np ranks: rows step,1..6 in order" \
        test "$(csv_col "$f" row | tr '\n' ' ')" = "step 1 2 3 4 5 6 "
    check "step.wl on $np ranks: every row validates" test "$(csv_col "$f" valid | sort -u)" = pass
    check "step.wl on $np ranks: step row ranks=$np groups=1 count=1 workload=test-step" \
        test "$(val "$f" step ranks),$(val "$f" step groups),$(val "$f" step count),$(val "$f" step workload)" = "$np,1,1,test-step"
    check "step.wl on $np ranks: step bytes = sum of bytes x count" \
        test "$(val "$f" step bytes)" = "$(awk -F, 'NR > 1 && $3 != "step" { s += $10 * $12 } END { print s }' "$f")"
    check "step.wl on $np ranks: step gap_us = 200 x 2" test "$(val "$f" step gap_us)" = 400.0000
    check "step.wl on $np ranks: every row has the step's sample count" \
        test "$(csv_col "$f" samples | sort -u | wc -l)" -eq 1
    check "step.wl on $np ranks: t_call_us = t_median_us / count" \
        test -z "$(awk -F, 'NR > 1 { d = $18 / $12 - $24; if (d > 0.0002 || d < -0.0002) print }' "$f")"
    check "step.wl on $np ranks: step median >= every call's median, step min >= every call's min" \
        test -z "$(awk -F, 'NR == 2 { m = $18; n = $17; next } NR > 2 && ($18 > m || $17 > n)' "$f")"
    j="$T/s$np/workload.jsonl"
    samples "$j" step >"$T/step"
    bad=0
    for r in 1 2 3 4 5 6; do
        samples "$j" $r | paste -d' ' "$T/step" - | awk '$2 > $1 { b = 1 } END { exit b }' || bad=1
    done
    check "step.wl on $np ranks: in every sample the step >= each call (workload.jsonl)" test $bad -eq 0
    check "step.wl on $np ranks: workload.jsonl holds metadata, the file's text and 7 rows" \
        test "$(wc -l <"$j")" -eq 8 -a -n "$(head -1 "$j" | grep '"workload":{' | grep 'call allgather 32K comm=tp')"
    check "step.wl on $np ranks: status.json says complete" grep -q '"complete"' "$T/s$np/status.json"
    check "step.wl on $np ranks: no results.csv beside workload.csv" test ! -e "$T/s$np/results.csv"
done
check "comm rows on 2 ranks (tp=2): tp 2x1, dp 1x2, node 2x1, rail 1x2" \
    test "$(awk -F, 'NR > 1 { printf "%s:%s:%s ", $5, $6, $7 }' "$T/s2/workload.csv")" = \
         ":2:1 dp:1:2 tp:2:1 tp:2:1 world:2:1 node:2:1 rail:1:2 "

# comm=tp and dp under layout tp=2 on 4 ranks of one host: 2 groups of 2 each.
crun 4 --workload "$FX/tp2.wl" $OPTS -o "$T/tp" 2>"$T/err"
check "tp2.wl on 4 ranks runs" test $? -eq 0
check "tp2.wl on 4 ranks: comm=tp ranks=2 groups=2, comm=dp ranks=2 groups=2" \
    test "$(awk -F, 'NR > 2 { printf "%s:%s:%s ", $5, $6, $7 }' "$T/tp/workload.csv")" = "tp:2:2 dp:2:2 "

# Ground truth: a known compute gap. A gap is wall time (the kernel runs in chunks
# until the rank's clock says 20 ms have passed), so every rank's step holds its own
# 3 x 20 ms and every sample, the median too, is at least 60 ms; and the gaps
# lengthen the step by about 60 ms (>= 48 ms allowed: the calls' own times move
# between the two runs on a loaded machine), on 1 and 2 ranks. On 1 rank no rank waits for another's
# compute inside the call, so the call's time must exclude the gaps outright (on
# 2 ranks a bcast receiver waits for a root whose kernel ran late: that wait is
# the call's, as in a real step).
for np in 1 2; do
    crun $np --workload "$FX/gap0.wl" $OPTS -o "$T/g0-$np" 2>"$T/err"
    crun $np --workload "$FX/gap20ms.wl" $OPTS -o "$T/g20-$np" 2>"$T/err"
    check "gap20ms.wl on $np ranks runs" test $? -eq 0
    a=$(val "$T/g0-$np/workload.csv" step t_median_us)
    b=$(val "$T/g20-$np/workload.csv" step t_median_us)
    check "a 3 x 20 ms gap lengthens the step on $np ranks by >= 48 ms ($a -> $b us)" \
        awk -v a="$a" -v b="$b" 'BEGIN { exit !(b - a >= 48000) }'
    check "3 x 20 ms gaps on $np ranks: the step's median is at least 60000 us ($b)" \
        awk -v b="$b" 'BEGIN { exit !(b >= 60000) }'
    check "gap20ms.wl on $np ranks: step gap_us = 3 x 20000" \
        test "$(val "$T/g20-$np/workload.csv" step gap_us)" = 60000.0000
done
c=$(val "$T/g20-1/workload.csv" 1 t_median_us)
check "on 1 rank the call row excludes the gaps (3 bcasts of 4K: $c us < 20000)" \
    awk -v c="$c" 'BEGIN { exit !(c < 20000) }'

# One allreduce of 1 MiB: the call row agrees with the sweep's row within 3x.
crun 2 --workload "$FX/allreduce-1m.wl" $OPTS -o "$T/ar" 2>"$T/err"
crun 2 -c allreduce -m 1M $OPTS -o "$T/sw" 2>"$T/err"
w=$(val "$T/ar/workload.csv" 1 t_call_us)
s=$(csv_col "$T/sw/results.csv" t_median_us)
check "allreduce 1M: workload call $w us vs sweep $s us within 3x" \
    awk -v w="$w" -v s="$s" 'BEGIN { exit !(w > 0 && s > 0 && w < 3 * s && s < 3 * w) }'

# Validation failure injected on rank 1: exit 3, valid=fail on every row.
COLLROOF_INJECT_FAULT=1 crun 2 --workload "$FX/tp2.wl" $OPTS \
    -o "$T/fault" >/dev/null 2>"$T/err"
rc=$?
check "an injected wrong element: exit 3 (rc $rc)" test $rc -eq 3
check "an injected wrong element: every row says fail" \
    test "$(csv_col "$T/fault/workload.csv" valid | sort -u)" = fail

# The run directory is created O_EXCL: a second run into it is refused.
crun 2 --workload "$FX/gap0.wl" $OPTS -o "$T/g0-2" >/dev/null 2>"$T/err"
check "a second replay into the same directory is refused, naming workload.csv" \
    test $? -ne 0 -a -n "$(grep 'workload.csv' "$T/err")"

# Bad files and conflicting options: exit 2, one error naming the file's line, no
# run directory.
refused() { # refused NP NAMED ARGS...
    np=$1 named=$2; shift 2
    rm -rf "$T/bad"
    crun $np "$@" -q -o "$T/bad" >"$T/out" 2>"$T/err"
    rc=$?
    check "'$*': exit 2 (rc $rc)" test $rc -eq 2
    check "'$*': one error line naming $named" \
        test "$(grep -c 'error' "$T/err")" -eq 1 -a -n "$(grep -F -- "$named" "$T/err")"
    check "'$*': no run directory" test ! -e "$T/bad"
}
refused 2 "bad-coll.wl:3: unknown collective 'allreduc'" --workload "$FX/bad-coll.wl"
refused 2 "bad-version.wl:2: unsupported version '2'" --workload "$FX/bad-version.wl"
refused 2 "bad-key.wl:3: unknown key 'cuont'" --workload "$FX/bad-key.wl"
refused 2 "bad-tp.wl:3: comm=tp but the file has no 'layout" --workload "$FX/bad-tp.wl"
refused 2 "bad-skew.wl:2:" --workload "$FX/bad-skew.wl"
refused 4 "bad-layout3.wl:2: layout tp=3 does not divide the 4 ranks" --workload "$FX/bad-layout3.wl"
refused 4 "bad-hot.wl:2:" --workload "$FX/bad-hot.wl"
refused 2 "no-such.wl: cannot open" --workload "$T/no-such.wl"
refused 2 "-c/--collectives" --workload "$FX/gap0.wl" -c allreduce
refused 2 "-m/--sizes" --workload "$FX/gap0.wl" -m 1M
refused 2 "--cadence" --workload "$FX/gap0.wl" --cadence streaming
refused 2 "-l/--levels" --workload "$FX/gap0.wl" -l node
refused 2 "--resume" --workload "$FX/gap0.wl" --resume "$T/g0-2"
crun 2 --resume "$T/g0-2" -q >"$T/out" 2>"$T/err"
rc=$?
check "--resume of a replay's directory: exit 2 (rc $rc), one error naming it" \
    test $rc -eq 2 -a "$(grep -c 'error' "$T/err")" -eq 1 -a -n "$(grep 'holds a workload replay' "$T/err")"

# The shipped workloads, every size in KiB instead of MiB, replay and validate.
for w in dp-buckets-1.3b tp-layer moe-layer; do
    sed 's/\( [0-9][0-9]*\)M /\1K /' "$top_srcdir/share/collroof/workloads/$w.wl" >"$T/$w.wl"
    crun 2 --workload "$T/$w.wl" -q --min-iters 3 --max-iters 5 --time-limit 0.2 --warmup 0 \
        -o "$T/ship-$w" 2>"$T/err"
    check "shipped $w.wl (scaled to KiB) replays on 2 ranks" test $? -eq 0
    check "shipped $w.wl: one row per call line plus the step, all pass" \
        test "$(csv_rows "$T/ship-$w/workload.csv")" -eq \
             $(($(grep -c '^call ' "$T/$w.wl") + 1)) -a \
             "$(csv_col "$T/ship-$w/workload.csv" valid | sort -u)" = pass
done
finish
