#!/bin/sh
# Pipeline parallelism under --workload on 4 ranks (issue 11): layout pp=2 and pp=4
# give comm=pp groups of one rank per stage (pp=2: 2 groups of 2; pp=4: 1 group of
# 4) and dp groups inside a stage; sendrecv dir=next and dir=prev rows validate (each
# rank checks it received its stage neighbour's pattern, rank 0 / the last stage
# nothing) and carry dir; and a 2-rank sendrecv of S takes time of the order of a
# pingpong's one-way time of S in the sweep (within 5x either way).
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
OPTS="-q --min-iters 5 --max-iters 40 --time-limit 0.3 --warmup 1 --validate every"

# row FILE ROW: "collective comm ranks groups dir valid" of that row.
row() {
    awk -F, -v row="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["row"] == row { print $c["collective"], $c["comm"], $c["ranks"], $c["groups"],
                           $c["dir"], $c["valid"] }' "$1"
}

cat >"$T/pp2.wl" <<'WL'
collroof-workload 1
name pp2
layout tp=1 pp=2
call sendrecv 64K comm=pp count=2 gap_us=50
call sendrecv 64K comm=pp dir=prev count=2
call allreduce 16K comm=dp
WL
crun 4 --workload "$T/pp2.wl" $OPTS -o "$T/r2" 2>"$T/err2"
check "pp=2 on 4 ranks runs" test $? -eq 0
f="$T/r2/workload.csv"
check "pp=2: the step and 3 call rows" test "$(csv_rows "$f")" -eq 4
check "pp=2: row 1 sendrecv pp, 2 groups of 2, next, pass" test "$(row "$f" 1)" = "sendrecv pp 2 2 next pass"
check "pp=2: row 2 sendrecv pp, 2 groups of 2, prev, pass" test "$(row "$f" 2)" = "sendrecv pp 2 2 prev pass"
check "pp=2: row 3 dp inside a stage: 2 groups of 2, no dir" test "$(row "$f" 3)" = "allreduce dp 2 2  pass"
check "pp=2: step row: 4 ranks, gap 100 us, bytes 4 x 64K + 16K" \
    test "$(row "$f" step | cut -d' ' -f1-4),$(csv_col "$f" gap_us | head -1),$(csv_col "$f" bytes | head -1)" = "step  4 1,100.0000,278528"

cat >"$T/pp4.wl" <<'WL'
collroof-workload 1
layout pp=4
call sendrecv 32K comm=pp
call sendrecv 32K comm=pp dir=prev
call bcast 4K comm=dp
WL
crun 4 --workload "$T/pp4.wl" $OPTS -o "$T/r4" 2>"$T/err4"
check "pp=4 on 4 ranks runs" test $? -eq 0
f="$T/r4/workload.csv"
check "pp=4: row 1 one group of 4 stages, next, pass" test "$(row "$f" 1)" = "sendrecv pp 4 1 next pass"
check "pp=4: row 2 prev, pass" test "$(row "$f" 2)" = "sendrecv pp 4 1 prev pass"
check "pp=4: row 3 dp of one rank per stage: 4 groups of 1" test "$(row "$f" 3)" = "bcast dp 1 4  pass"

printf 'collroof-workload 1\nlayout pp=3\ncall sendrecv 1K comm=pp\n' >"$T/pp3.wl"
crun 4 --workload "$T/pp3.wl" $OPTS -o "$T/r3" 2>"$T/err3"
check "pp=3 on 4 ranks: exit 2" test $? -eq 2
check "... naming the layout line and the world" grep -q "pp3.wl:2: layout pp=3 does not divide the world's 4 ranks" "$T/err3"

# The generator's file replays: 2 stages, 2 micro-batches of 64K, fwd 100 us, bwd
# 200 us: 4 shift lines, their gaps (m + p - 1) x (fwd + bwd) = 900 us a step.
"$top_builddir/collroof-fit" workload pp --stages 2 --micro-batches 2 --activation-bytes 64K \
    --fwd-us 100 --bwd-us 200 -o "$T/gen.wl"
crun 4 --workload "$T/gen.wl" $OPTS -o "$T/rg" 2>"$T/errg"
check "the pp generator's file replays on 4 ranks" test $? -eq 0
f="$T/rg/workload.csv"
check "... 4 shift rows next, next, prev, prev, all valid" \
    test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["row"] != "step" { printf "%s/%s ", $c["dir"], $c["valid"] }' "$f")" = "next/pass next/pass prev/pass prev/pass "
check "... step gap 900 us, step median >= 900 us" \
    awk -v g="$(csv_col "$f" gap_us | head -1)" -v t="$(csv_col "$f" t_median_us | head -1)" \
        'BEGIN { exit !(g == 900 && t >= 900) }'

# sendrecv against pingpong's one-way time on 2 ranks at 1 MiB
crun 2 -c sendrecv,pingpong -m 1M -q --min-iters 10 --max-iters 50 --time-limit 0.5 -o "$T/sw" 2>/dev/null
check "sweep of sendrecv and pingpong on 2 ranks runs" test $? -eq 0
s=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
             $c["collective"] == "sendrecv" { print $c["t_median_us"] }' "$T/sw/results.csv")
p=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
             $c["collective"] == "pingpong" { print $c["t_median_us"] }' "$T/sw/results.csv")
check "sendrecv 1 MiB on 2 ranks ($s us) within 5x of pingpong's one-way ($p us)" \
    awk -v s="$s" -v p="$p" 'BEGIN { exit !(s > 0 && p > 0 && s < 5 * p && p < 5 * s) }'
finish
