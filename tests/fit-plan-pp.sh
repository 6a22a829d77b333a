#!/bin/sh
# collroof-fit plan of pipeline stages (comm=pp, layout pp=M) on a hand-made fit
# (tests/fixtures/plan-pp/fit: sendrecv at node p=2 (5 us, 4 GB/s), node p=4 (6 us,
# 4 GB/s), rail p=2 (20 us, 1 GB/s), rail p=4 (25 us, 1 GB/s); allreduce node p=4
# (10 us, 1 GB/s)), without MPI. A stage boundary inside one host is priced by the
# node sendrecv fit, one crossing hosts by the rail one, on pp ranks; dp stays inside
# a stage; the arithmetic exactly; refusals exit 2 naming what to measure.
set -u
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FX="$top_srcdir/tests/fixtures/plan-pp"
T=$(mktemp -d "${TMPDIR:-/tmp}/fit-plan-pp.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

# col CSV ROW NAME: the value of column NAME on the row whose `row` is ROW.
col() {
  awk -F, -v r="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["row"] == r { print $c[name]; exit }' "$1"
}
is() { # is DESCRIPTION GOT WANT: |got - want| <= 1e-6 x max(|want|, 1)
  if awk -v a="$2" -v b="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
       if (m < 1) m = 1; exit !(d <= 1e-6 * m) }'; then ok "$1: $2"; else fail "$1: got '$2', want $3"; fi
}
# wl PP: a step of 3 x (sendrecv next 1M + 100 us) + 3 x sendrecv prev 1M + a dp allreduce
wl() {
  printf 'collroof-workload 1\nlayout pp=%s\ncall sendrecv 1M comm=pp count=3 gap_us=100\ncall sendrecv 1M comm=pp dir=prev count=3\ncall allreduce 1M comm=dp\n' "$1" >"$T/pp$1.wl"
}
wl 2; wl 4; wl 3
# plan N P PP: plan.csv of ppPP.wl on N nodes x P ppn into $T/N-P-PP.csv
plan() {
  "$FIT" plan --fit "$FX/fit" --workload "$T/pp$3.wl" --nodes "$1" --ppn "$2" --csv "$T/$1-$2-$3.csv" >"$T/out" 2>&1
}

check "1 node x 4, pp=4: plan runs" plan 1 4 4
f="$T/1-4-4.csv"
check "... both sendrecv lines at node on 4 ranks" test "$(col "$f" 1 level),$(col "$f" 1 ranks),$(col "$f" 2 level)" = "node,4,node"
is "... t_call = node sendrecv p=4: 6 + 1048576 / 4000" "$(col "$f" 1 t_call_us)" 268.144
check "... dp has one rank per stage: nothing to communicate" test "$(col "$f" 3 level),$(col "$f" 3 ranks)" = "none,1"
is "... step = 6 x 268.144 + 3 x 100" "$(col "$f" step t_us)" "$(awk 'BEGIN { printf "%.6f", 6 * 268.144 + 300 }')"
grep -q '(4 ranks, tp 1, pp 4)' "$T/out"; check "... the text names pp 4" test $? -eq 0

check "1 node x 4, pp=2: plan runs" plan 1 4 2
f="$T/1-4-2.csv"
is "... sendrecv at node p=2: 5 + 1048576 / 4000" "$(col "$f" 2 t_call_us)" 267.144

check "2 nodes x 4, pp=2: plan runs" plan 2 4 2
f="$T/2-4-2.csv"
check "... the stage boundary crosses hosts: rail, 2 ranks" test "$(col "$f" 1 level),$(col "$f" 1 ranks)" = "rail,2"
is "... t_call = rail sendrecv p=2: 20 + 1048576 / 1000" "$(col "$f" 1 t_call_us)" 1068.576
check "... dp = one stage = one host of 4: node allreduce p=4" test "$(col "$f" 3 level),$(col "$f" 3 ranks)" = "node,4"
is "... dp t_call = 10 + 1048576 / 1000" "$(col "$f" 3 t_call_us)" 1058.576
is "... step = 6 x 1068.576 + 1058.576 + 300" "$(col "$f" step t_us)" "$(awk 'BEGIN { printf "%.6f", 6 * 1068.576 + 1058.576 + 300 }')"

check "4 nodes x 4, pp=4: plan runs" plan 4 4 4
is "... rail sendrecv p=4 measured at 4 x 4: 25 + 1048576 / 1000" "$(col "$T/4-4-4.csv" 1 t_call_us)" 1073.576
check "... not extrapolated" test "$(col "$T/4-4-4.csv" 1 extrapolated)" = 0

check "2 nodes x 4, pp=4 (2 stages per host): plan runs" plan 2 4 4
check "... the chain crosses hosts: rail, 4 ranks" test "$(col "$T/2-4-4.csv" 1 level),$(col "$T/2-4-4.csv" 1 ranks)" = "rail,4"

plan 1 4 3
check "pp=3 on 4 ranks: exit 2" test $? -eq 2
check "... naming the layout line and the rank count" grep -q 'pp3.wl:2: layout pp=3 does not divide the 4 ranks' "$T/out"

# no sendrecv rows at all: refused naming what to measure
"$FIT" plan --fit "$top_srcdir/tests/fixtures/plan/fit" --workload "$T/pp2.wl" --nodes 2 --ppn 2 >"$T/out" 2>&1
check "a fit without sendrecv: exit 2" test $? -eq 2
check "... naming collroof -c sendrecv -l node,rail" grep -q 'pp2.wl:3: call sendrecv pp: the fit has no sendrecv rows.*collroof -c sendrecv -l node,rail' "$T/out"
# node rows only, target across hosts: refused naming the levels to measure
mkdir "$T/nodeonly" && grep -v ',rail,' "$FX/fit/fit.csv" >"$T/nodeonly/fit.csv"
"$FIT" plan --fit "$T/nodeonly" --workload "$T/pp2.wl" --nodes 2 --ppn 4 >"$T/out" 2>&1
check "node rows only, stages on 2 hosts: exit 2" test $? -eq 2
check "... naming -l rail,internode" grep -q 'stage boundaries cross hosts: measure one rank per host, e.g. collroof -c sendrecv -l rail,internode' "$T/out"
# The generator's file plans: 4 stages on 4 nodes x 4, 8 micro-batches of 8M, fwd
# 1000 us, bwd 2000 us: compute (m + p - 1) x 3000 = 33000 us, 16 shifts of the rail
# sendrecv p=4 (25 + 8388608 / 1000 us each).
"$FIT" workload pp --stages 4 --micro-batches 8 --activation-bytes 8M --fwd-us 1000 \
  --bwd-us 2000 -o "$T/gen.wl"
"$FIT" plan --fit "$FX/fit" --workload "$T/gen.wl" --nodes 4 --ppn 4 --csv "$T/gen.csv" >"$T/out" 2>&1
check "the pp generator's file plans" test $? -eq 0
is "... step compute = 11 x 3000" "$(col "$T/gen.csv" step compute_us)" 33000
is "... step = 33000 + 16 x (25 + 8388.608)" "$(col "$T/gen.csv" step t_us)" \
  "$(awk 'BEGIN { printf "%.6f", 33000 + 16 * (25 + 8388.608) }')"
finish
