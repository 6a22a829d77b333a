#!/bin/sh
# collroof-fit plan and workload on a hand-made fit (tests/fixtures/plan/fit: one
# straight segment per group, sigma 5%), without MPI: the arithmetic exactly.
#   step = sum over call lines of count x (compute + exposed), compute = gap_us (or
#   flops / peak, mem_bytes / bandwidth), exposed = t - min(overlap x t, compute);
#   every call priced as `predict` prices its level and rank count; intervals contain
#   their point; the binding ceiling; the plan CSV's cells; refusals (exit 2); the
#   generators' byte counts against hand arithmetic.
set -u
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FX="$top_srcdir/tests/fixtures/plan"
T=$(mktemp -d "${TMPDIR:-/tmp}/fit-plan.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

# expect RC PATTERN CMD...: exit status RC and PATTERN in stdout+stderr.
expect() {
  rc=$1; pat=$2; shift 2
  "$@" > "$T/out" 2>&1
  got=$?
  if [ "$got" -ne "$rc" ] || ! grep -q -- "$pat" "$T/out"; then
    fail "$* -> rc $got (want $rc) and '$pat'"; cat "$T/out"
  else
    ok "$* -> rc $rc and '$pat'"
  fi
}
# col CSV ROW NAME: the value of column NAME on the row whose `row` is ROW (first plan).
col() {
  awk -F, -v r="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["row"] == r { print $c[name]; exit }' "$1"
}
# near A B: |A - B| <= 1e-6 x max(|B|, 1).
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
  if (m < 1) m = 1; exit !(d <= 1e-6 * m) }'; }
is() { # is DESCRIPTION GOT WANT
  if near "$2" "$3"; then ok "$1: $2"; else fail "$1: got '$2', want $3"; fi
}

# --- the step: no overlap, no peak: compute = gap_us ---
expect 0 "step " "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 --ppn 2 \
  --csv "$T/p.csv" --plot "$T/plot"
cp "$T/out" "$T/p.txt"
# Each call as predict prices it (node allgather p=2 1M = 10 + 1048576 / 2000 us, ...).
pred() { rm -f "$T/pred.csv"; "$FIT" predict --fit "$FX/fit" --csv "$T/pred.csv" "$@" >/dev/null &&
  awk -F, 'NR == 2 { print $6 }' "$T/pred.csv"; }
near5() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-5 * b) }'; }
p=$(pred --collective allreduce --bytes 1M --level rail --ranks 2 --nodes 2 --ppn 2)
if near5 "$(col "$T/p.csv" 1 t_call_us)" "$p"; then ok "line 5 dp (tp 2, ppn 2: one per node) = predict's rail allreduce p=2 ($p)"
else fail "line 5 dp: $(col "$T/p.csv" 1 t_call_us), predict says $p"; fi
is "line 6 tp = node allgather p=2: 10 + 1048576 / 2000" "$(col "$T/p.csv" 2 t_call_us)" 534.288
is "line 7 node = node allreduce p=2: 10 + 1048576 / 1000" "$(col "$T/p.csv" 3 t_call_us)" 1058.576
is "line 8 rail = rail allreduce p=2: 20 + 1048576 / 500" "$(col "$T/p.csv" 4 t_call_us)" 2117.152
is "line 9 world alltoallv zipf:1.2 p=4 measured at 2x2: 30 + 1048576 / 500" \
  "$(col "$T/p.csv" 5 t_call_us)" 2127.152
check "line 9 rests on the world fit, line 5 on rail, not extrapolated" \
  test "$(col "$T/p.csv" 5 level),$(col "$T/p.csv" 1 level),$(col "$T/p.csv" step extrapolated)" = "world,rail,0"
# step = sum count x t_call + sum count x gap: 3 x 2117.152 + 2 x 534.288 + 1058.576
#   + 2117.152 + 2127.152 + (3 x 100 + 2 x 50 + 5000)
want=$(awk 'BEGIN { printf "%.6f", 3 * 2117.152 + 2 * 534.288 + 1058.576 + 2117.152 + 2127.152 + 5400 }')
is "step t_us = sum of count x t_call + gaps" "$(col "$T/p.csv" step t_us)" "$want"
is "step compute_us = sum of count x gap_us" "$(col "$T/p.csv" step compute_us)" 5400
sum=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["row"] != "step" {
  s += $c["t_us"] } END { printf "%.6f", s }' "$T/p.csv")
is "step t_us = sum of the call rows' t_us" "$sum" "$want"
check "every row's interval contains its point (t, t_call, comm, exposed)" awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { if (!($c["t_lo_us"] <= $c["t_us"] && $c["t_us"] <= $c["t_hi_us"] && $c["t_lo_us"] > 0)) exit 1
    if ($c["row"] != "step" && !($c["t_call_lo_us"] <= $c["t_call_us"] && $c["t_call_us"] <= $c["t_call_hi_us"])) exit 1
    if (!($c["exposed_lo_us"] <= $c["exposed_us"] && $c["exposed_us"] <= $c["exposed_hi_us"])) exit 1 }' "$T/p.csv"
# The step's interval: lines independent, repetitions of a line one error: narrower
# than the sum of the lines' bounds, wider than the widest line's.
check "step interval narrower than the sum of the line bounds" awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["row"] != "step" { lo += $c["t_lo_us"]; hi += $c["t_hi_us"]; next }
  { exit !($c["t_lo_us"] > lo && $c["t_hi_us"] < hi) }' "$T/p.csv"
check "binding: line 8 (gap 5000 us > 2117 us) compute, line 7 comm:node, line 5 comm:rail" \
  test "$(col "$T/p.csv" 4 binds),$(col "$T/p.csv" 3 binds),$(col "$T/p.csv" 1 binds)" = "compute,comm:node,comm:rail"
check "exposed per level adds up to the step's exposed" awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c["row"] == "step" {
    s = $c["exposed_node_us"] + $c["exposed_rail_us"] + $c["exposed_internode_us"] + $c["exposed_world_us"]
    d = s - $c["exposed_us"]; exit !(d < 1e-6 * s && d > -1e-6 * s) }' "$T/p.csv"
check "the printout states the step formula and each call's basis" \
  grep -q "step = sum of count x (compute + exposed communication)" "$T/p.txt"
check "the printout names line 9's fit and extrapolation" \
  grep -q "line 9: world alltoallv p=4 (segment fit); extrapolated no" "$T/p.txt"

# --- CSV for spreadsheets: units in names, plain numbers in numeric cells ---
check "header: units in the column names" grep -q \
  "^nodes,ppn,world_ranks,row,line,collective,comm,ranks,bytes,count,level,algorithm,extrapolated,t_call_us," "$T/p.csv"
check "numeric cells: plain decimals or empty (no units, no thousands separators)" awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = split("nodes ppn world_ranks line ranks bytes count extrapolated t_call_us t_call_lo_us t_call_hi_us comm_us comm_lo_us comm_hi_us overlap exposed_us exposed_lo_us exposed_hi_us exposed_node_us exposed_rail_us exposed_internode_us exposed_world_us gap_us compute_us flops mem_bytes t_math_us t_mem_us intensity_flop_per_byte critical_flop_per_byte t_us t_lo_us t_hi_us", num, " "); next }
  { if (NF != length(c)) { print "fields " NF; exit 1 }
    for (k = 1; k <= n; k++) { v = $c[num[k]]
      if (v != "" && v !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) { print num[k] "=" v; exit 1 } } }' "$T/p.csv"
check "row is 1.. or step; extrapolated 0/1" awk -F, 'NR > 1 { if ($4 !~ /^([0-9]+|step)$/ || $13 !~ /^[01]$/) exit 1 }' "$T/p.csv"

# --- compute from flops= and mem_bytes=, the binding ceiling, intensity ---
expect 0 "step " "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 --ppn 2 \
  --peak-tflops 1 --csv "$T/f.csv"
# line 6: flops 1e12 at 1e12 FLOP/s = 1e6 us per repetition, x 2
is "line 6 t_math_us = count x flops / peak" "$(col "$T/f.csv" 2 t_math_us)" 2000000
is "line 6 compute_us = t_math (flops replace gap_us)" "$(col "$T/f.csv" 2 compute_us)" 2000000
check "line 6 binds compute" test "$(col "$T/f.csv" 2 binds)" = compute
# intensity 1e12 / 1048576; critical 1e12 / (1048576 B / 534.288 us)
is "line 6 intensity = flops / bytes" "$(col "$T/f.csv" 2 intensity_flop_per_byte)" \
  "$(awk 'BEGIN { printf "%.10g", 1e12 / 1048576 }')"
is "line 6 critical = peak / (bytes / t)" "$(col "$T/f.csv" 2 critical_flop_per_byte)" \
  "$(awk 'BEGIN { printf "%.10g", 1e12 / (1048576 / 534.288e-6) }')"
expect 0 "step " "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 --ppn 2 \
  --peak-tflops 1 --mem-GBps 1 --csv "$T/m.csv"
# mem 1 GiB at 1e9 B/s = 1073741.824 us > 1e6 us of math: memory binds
is "line 6 compute_us = max(t_math, t_mem) = count x 2^30 / 1e9 s" "$(col "$T/m.csv" 2 compute_us)" 2147483.648
check "line 6 binds memory" test "$(col "$T/m.csv" 2 binds)" = memory

# --- overlap: exposed = t - min(f t, compute) ---
expect 0 "step " "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 --ppn 2 \
  --overlap 0.5 --csv "$T/o.csv"
# line 5: 2117.152 - min(1058.576, 100) = 2017.152, x 3; line 8: 2117.152 - 1058.576
is "--overlap 0.5 line 5 hides at most its gap: 3 x (2117.152 - 100)" "$(col "$T/o.csv" 1 exposed_us)" 6051.456
is "--overlap 0.5 line 8 hides half: 2117.152 / 2" "$(col "$T/o.csv" 4 exposed_us)" 1058.576
expect 0 "step " "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 --ppn 2 \
  --overlap 1 --csv "$T/o1.csv"
is "--overlap 1 line 8: step share max(compute, comm) = 5000" "$(col "$T/o1.csv" 4 t_us)" 5000
is "--overlap 1 line 7 (no gap): nothing hides" "$(col "$T/o1.csv" 3 exposed_us)" 1058.576
# from the fit's overlap.csv: world allreduce, nearest measured size (1M: 0.6, not
# 64K's 0.2 nor overlap_test's 0.9); t = 40 + 1048576 / 250 = 4234.304 at 2 x 2
printf 'collroof-workload 1\ncall allreduce 1M comm=world gap_us=1000\n' > "$T/w.wl"
expect 0 "overlap.csv allreduce world p=4 S=1048576" "$FIT" plan --fit "$FX/fit" \
  --workload "$T/w.wl" --nodes 2 --ppn 2 --overlap-from-fit --csv "$T/of.csv"
is "--overlap-from-fit overlap" "$(col "$T/of.csv" 1 overlap)" 0.6
is "--overlap-from-fit exposed = 4234.304 - min(0.6 x 4234.304, 1000)" "$(col "$T/of.csv" 1 exposed_us)" 3234.304
expect 2 "exclude each other" "$FIT" plan --fit "$FX/fit" --workload "$T/w.wl" --overlap 0.5 \
  --overlap-from-fit

# --- projection: world beyond the measured topology runs the hierarchical algorithm ---
expect 0 "hierarchical rail 4x2" "$FIT" plan --fit "$FX/fit" --workload "$T/w.wl" \
  --nodes 2,4 --ppn 2 --csv "$T/n.csv" --plot "$T/plot2"
check "--nodes 2,4: two step rows" test "$(awk -F, '$4 == "step"' "$T/n.csv" | wc -l)" = 2
check "--nodes 2,4: 2 measured (world), 4 hierarchical" test \
  "$(awk -F, 'NR > 1 && $4 != "step" { printf "%s ", $11 }' "$T/n.csv")" = "world hierarchical "
check "plot: plan.dat has one line per node count" test "$(grep -vc '^#' "$T/plot2/plan.dat")" = 2
check "plot: every string in plot-plan.gp single-quoted (title, labels, colours)" \
  awk '/^set (title|xlabel|ylabel|output) / && $3 !~ /^\x27/ { exit 1 }' "$T/plot2/plot-plan.gp"
if command -v gnuplot >/dev/null 2>&1; then
  check "plot: plan.svg rendered" test -s "$T/plot2/plan.svg"
fi

# --- refusals: exit 2, the call line and what is missing named ---
printf 'collroof-workload 1\n# no alltoall in the fit\ncall alltoall 1M\n' > "$T/r1.wl"
expect 2 "r1.wl:3: call alltoall world: the fit has no alltoall rows" "$FIT" plan \
  --fit "$FX/fit" --workload "$T/r1.wl" --nodes 2 --ppn 2
printf 'collroof-workload 1\ncall bcast 1M comm=rail\n' > "$T/r2.wl"
expect 2 "r2.wl:2: call bcast comm=rail on 2 ranks.*levels node" "$FIT" plan --fit "$FX/fit" \
  --workload "$T/r2.wl" --nodes 2 --ppn 2
printf 'collroof-workload 1\nlayout tp=4\ncall allgather 1M comm=tp\n' > "$T/r3.wl"
expect 2 "r3.wl:2: layout tp=4 does not divide --ppn 2" "$FIT" plan --fit "$FX/fit" \
  --workload "$T/r3.wl" --nodes 2 --ppn 2
printf 'collroof-workload 1\ncall allreduce 1M flops=x\n' > "$T/r4.wl"
expect 2 "r4.wl:2: bad value 'x' for flops" "$FIT" plan --fit "$FX/fit" --workload "$T/r4.wl"
expect 2 "plan needs --fit DIR and --workload FILE" "$FIT" plan --fit "$FX/fit"
expect 2 "invalid --nodes '2,x'" "$FIT" plan --fit "$FX/fit" --workload "$T/w.wl" --nodes 2,x
expect 2 "invalid --overlap '1.5'" "$FIT" plan --fit "$FX/fit" --workload "$T/w.wl" --overlap 1.5

# --- generators: the byte counts by hand ---
"$FIT" workload dp --params 1.3e9 --bytes-per-param 2 --bucket 25M -o "$T/dp.wl"
# 2.6e9 bytes: floor(2.6e9 / 26214400) = 99 buckets, 2.6e9 - 99 x 26214400 = 4774400
check "dp: 99 buckets of 25 MiB" grep -q "^call allreduce 26214400 comm=dp count=99 dtype=float$" "$T/dp.wl"
check "dp: the remainder 4774400" grep -q "^call allreduce 4774400 comm=dp count=1 dtype=float$" "$T/dp.wl"
check "dp: the arithmetic in comments" grep -q "floor(2600000000 / 26214400) = 99" "$T/dp.wl"
"$FIT" workload dp --params 1e6 --bytes-per-param 4 --bucket 1M --tokens 1000 -o "$T/dp2.wl"
# 4e6 bytes = 3 x 1048576 + 854272; flops per bucket 4 x (1048576 / 4) x 1000
check "dp --tokens: flops= 4 x params per bucket x tokens" \
  grep -q "^call allreduce 1048576 comm=dp count=3 dtype=float flops=1.04858e+09$" "$T/dp2.wl"
check "dp --tokens: remainder's flops prorated" \
  grep -q "^call allreduce 854272 comm=dp count=1 dtype=float flops=8.54272e+08$" "$T/dp2.wl"
"$FIT" workload tp --hidden 4096 --seq 2048 --micro-batch 1 --layers 24 --tp 8 \
  --peak-tflops 300 -o "$T/tp.wl"
# activation 2048 x 1 x 4096 x 2 = 16777216; per layer 4 all-gathers + 4 reduce-scatters
check "tp: layout tp=8" grep -q "^layout tp=8$" "$T/tp.wl"
check "tp: 4 all-gather lines of 16777216 x 24 layers" \
  test "$(grep -c '^call allgather 16777216 comm=tp count=24$' "$T/tp.wl")" = 4
# MLP forward 16 b s h^2 / tp = 16 x 2048 x 4096^2 / 8 = 6.87195e10 FLOPs; 229.065 us at 300 TFLOP/s
check "tp: MLP forward flops and gap" grep -q \
  "^call reduce_scatter 16777216 comm=tp count=24 flops=6.87195e+10 gap_us=229.065$" "$T/tp.wl"
"$FIT" workload moe --experts 8 --top-k 2 --tokens 4096 --hidden 2048 --skew zipf:1.2 -o "$T/moe.wl"
# dispatch 4096 x 2 x 2048 x 2 = 33554432 (the shipped moe-layer.wl's 32M)
check "moe: four alltoallv of 33554432, zipf:1.2 seed 7" \
  test "$(grep -c '^call alltoallv 33554432 comm=world skew=zipf:1.2 seed=7' "$T/moe.wl")" = 4
check "moe: expert forward flops 4096 x 2 x 16 x 2048^2" grep -q "flops=5.49756e+11$" "$T/moe.wl"
# Each generator parses its file with collroof's parser before writing it (exit 1
# otherwise); plan reads them too: tp.wl (layout tp=8) on 1 node x 8 from node fits
# at 2 ranks, said to extrapolate.
expect 0 "line 21: node allgather p=8 (segment fit); extrapolated yes" "$FIT" plan \
  --fit "$FX/fit" --workload "$T/tp.wl" --nodes 1 --ppn 8
# pp: 1F1B on 4 stages, 8 micro-batches of 8M, fwd 1000 us, bwd 2000 us: m shifts each
# way, the bubble (4 - 1) x 3000 us carried as gap before the first forward and the
# last backward shift (p x fwd, p x bwd): gaps 4000 + 7 x 1000 + 7 x 2000 + 8000 =
# 33000 = (m + p - 1) x (fwd + bwd).
"$FIT" workload pp --stages 4 --micro-batches 8 --activation-bytes 8M --fwd-us 1000 \
  --bwd-us 2000 -o "$T/pp.wl"
check "pp: the file's lines exactly" test "$(grep -v '^#' "$T/pp.wl" | tr '\n' '|')" = \
"collroof-workload 1|name pp4-m8-tp1-A8388608|layout tp=1 pp=4|\
call sendrecv 8388608 comm=pp dir=next count=1 gap_us=4000|\
call sendrecv 8388608 comm=pp dir=next count=7 gap_us=1000|\
call sendrecv 8388608 comm=pp dir=prev count=7 gap_us=2000|\
call sendrecv 8388608 comm=pp dir=prev count=1 gap_us=8000|"
check "pp: the bubble stated" grep -q '^#   1F1B bubble (p - 1) x (fwd + bwd) = 3 x (1000 + 2000) = 9000 us per step' "$T/pp.wl"
check "pp: bubble fraction 3 / 11" grep -q '^#   bubble fraction (p - 1) / (m + p - 1) = 3 / 11 = 0.2727' "$T/pp.wl"
check "pp: says what the lockstep replay misses" grep -q "^# What a lockstep replay does not capture" "$T/pp.wl"
# the activation from s x b x h x 2 / tp = 512 x 2 x 1024 x 2 / 2, no compute: one line each way
"$FIT" workload pp --stages 2 --micro-batches 3 --hidden 1024 --seq 512 --micro-batch 2 --tp 2 \
  -o "$T/pp2.wl"
check "pp: activation 1048576 from h, s, b over tp 2; layout tp=2 pp=2; 3 each way" \
  test "$(grep -v '^#' "$T/pp2.wl" | tail -3 | tr '\n' '|')" = \
"layout tp=2 pp=2|call sendrecv 1048576 comm=pp dir=next count=3|call sendrecv 1048576 comm=pp dir=prev count=3|"
"$FIT" workload pp --stages 2 --micro-batches 4 --activation-bytes 1M --fwd-flops 1e9 \
  --peak-tflops 100 -o "$T/pp3.wl"
check "pp: FLOPs: bwd 2 x fwd, the bubble in the first and last line's flops=, gap_us = flops / peak" \
  test "$(grep '^call' "$T/pp3.wl" | sed 's/.*count=//' | tr '\n' '|')" = \
"1 flops=2e+09 gap_us=20|3 flops=1e+09 gap_us=10|3 flops=2e+09 gap_us=20|1 flops=4e+09 gap_us=40|"
expect 2 "invalid --stages '1': expected an integer in \\[2, 65536\\]" "$FIT" workload pp --stages 1 \
  --micro-batches 4 --activation-bytes 1M
expect 2 "invalid --micro-batches '0'" "$FIT" workload pp --stages 2 --micro-batches 0 \
  --activation-bytes 1M
expect 2 "invalid --activation-bytes 'x'" "$FIT" workload pp --stages 2 --micro-batches 2 \
  --activation-bytes x
expect 2 "pp needs --stages >= 2, --micro-batches >= 1 and --activation-bytes" "$FIT" workload pp \
  --stages 4 --micro-batches 2
expect 2 "not both" "$FIT" workload pp --stages 4 --micro-batches 2 --activation-bytes 1M \
  --fwd-us 10 --fwd-flops 1e9
expect 2 "tp: --tp 1 is no tensor parallelism" "$FIT" workload tp --hidden 4 --seq 4 --tp 1
expect 2 "tp needs --hidden" "$FIT" workload tp --seq 10 --tp 2
# A run on one host measured at level world (no node rows): plan prices a call within
# the node from those world rows (fixtures/plan/onehost: 4 ranks on one host,
# alltoallv zipf:1.2), exactly as predict reads them.
mkdir "$T/onehost" && cp "$FX/onehost/results.csv" "$T/onehost/" &&
  "$FIT" "$T/onehost" >/dev/null 2>&1
printf 'collroof-workload 1\ncall alltoallv 512K comm=world skew=zipf:1.2 seed=7 count=2\n' \
  > "$T/moe1.wl"
expect 0 "world alltoallv p=4 (segment fit)" "$FIT" plan --fit "$T/onehost/fit" \
  --workload "$T/moe1.wl" --nodes 1 --ppn 4 --csv "$T/p1.csv"
rm -f "$T/pred.csv"
"$FIT" predict --fit "$T/onehost/fit" --collective alltoallv --skew zipf:1.2 --bytes 512K \
  --ranks 4 --level world --csv "$T/pred.csv" >/dev/null 2>&1
p=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["t_us"]; exit }' "$T/pred.csv")
if near5 "$(col "$T/p1.csv" 1 t_call_us)" "$p"; then ok "one host: call = predict's world alltoallv p=4 ($p)"
else fail "one host: plan $(col "$T/p1.csv" 1 t_call_us), predict $p"; fi
# What-if: rail at 0.25 GB/s. The fixture records no link ceiling, so X is rail's
# busbw ceiling: allreduce p=2 has F = 1, r_inf = 250 B/us, t = 20 + 1048576 / 250;
# the node calls keep their fits; the step on the measured fabric is the plain plan's.
expect 0 "what-if rail=0.25 GB/s: step" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --nodes 2 --ppn 2 --level-GBps rail=0.25 --csv "$T/pw.csv"
is "what-if: line 8 rail allreduce p=2 = 20 + 1048576 / 250" "$(col "$T/pw.csv" 4 t_call_us)" 4214.304
is "what-if: line 7 node allreduce unchanged" "$(col "$T/pw.csv" 3 t_call_us)" 1058.576
is "what-if: the step's measured-fabric column = the plain plan's step" \
  "$(col "$T/pw.csv" step t_measured_fabric_us)" "$(col "$T/p.csv" step t_us)"
check "what-if: the step row names it" test "$(col "$T/pw.csv" step whatif)" = "rail=0.25 GB/s"
check "no what-if: whatif and t_measured_fabric_us empty" \
  test "$(col "$T/p.csv" step whatif)$(col "$T/p.csv" step t_measured_fabric_us)" = ""
expect 2 "invalid --level-GBps level 'bogus'" "$FIT" plan --fit "$FX/fit" \
  --workload "$FX/step.wl" --level-GBps bogus=3
expect 0 "usage: collroof-fit workload dp" "$FIT" workload --help
expect 0 "usage: collroof-fit plan" "$FIT" plan --help
# A fit of several runs holds the node level once per run (2 x 2 and 3 x 2 here, at
# p=2 only); a tp group of 4 on --ppn 4 reads one run's series, extrapolated, and
# is not refused for the runs' topologies (it was: "choose one with --nodes --ppn").
mkdir -p "$T/multi/fit"
{ head -1 "$FX/fit/fit.csv"; grep '^allgather,node,' "$FX/fit/fit.csv"
  grep '^allgather,node,' "$FX/fit/fit.csv" | awk -F, -v OFS=, '{ $21 = 3; print }'
} > "$T/multi/fit/fit.csv"
printf 'collroof-workload 1\nname tp4\nlayout tp=4\ncall allgather 1M comm=tp\n' > "$T/tp4.wl"
expect 0 "node allgather p=4 (segment fit); extrapolated yes" "$FIT" plan --fit "$T/multi/fit" \
  --workload "$T/tp4.wl" --nodes 2 --ppn 4
finish
