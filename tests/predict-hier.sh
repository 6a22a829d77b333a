#!/bin/bash
# The hierarchical projection against a library that runs a hierarchical algorithm
# (issue #8): an emulated cluster of 8 hosts on network namespaces
# (tests/cluster/netns-cluster), every link shaped to RATE by tbf, 2 ranks per host.
#
# Training (Open MPI's flat coll_tuned, algorithms fixed: ring allreduce and
# allgather, linear bcast/reduce/gather): allreduce and allgather at levels world,
# rail and internode on TRAIN hosts (3, 4, 5: the 2-host ring is anomalously slow
# on this emulator and bent the internode series' slope), REPS launches each;
# allreduce, allgather, reduce_scatter, bcast, reduce and gather at level node
# (2 hosts: within a node the host count does not matter; reduce and gather price
# the leader family's node phases themselves, not by a stand-in). collroof-fit fits them; predict answers for TEST hosts
# (6, 8) at 64 KiB-1 MiB with the flat model (the world series) and both
# hierarchical families: --hier rail (node reduce-scatter + rail allreduce of S/2 +
# node allgather) and --hier leader (node reduce + internode allreduce of S among
# the node leaders + node bcast).
#
# Test (never fitted): world allreduce and allgather on TEST hosts with coll/han,
# TEST_REPS launches alternating with the training's (error against their median,
# coverage counted per launch),
# pinned so that its phases are known: han's "simple" allreduce and allgather
# (node reduce / gather to the leader, the leaders' allreduce / allgather, node
# bcast; not the default pipelined one, whose segments overlap the phases), the
# leaders' phase on coll_tuned (ring), the node phases on coll_tuned (linear).
#
# Asserted (thresholds from repeated runs, docs/testing.md): every prediction finite
# with 0 < lo <= t <= hi; the leader model, which prices what han runs, has at least
# COVER_MIN of the test launches inside its 95% interval and a median |error| at most
# MEDERR_MAX; at 64 KiB allreduce (latency-bound: the flat ring's 2(2N-1) steps
# against the leaders' 2(N-1)) it is closer than the flat model, judged when the
# machine's load average before the first launch is at most LOAD_MAX (4 per core;
# skipped with the reason above it). The issue's goals
# (>= 90% inside, median |error| <= 10%) and the flat and rail models' figures are
# printed beside.
# PREDICT_HIER_RATE, _BURST (tbf; default 100mbit, 32kb), _TRAIN, _TEST (host counts;
# default "3 4 5", "6 8"), _REPS (training launches; default 2), _TEST_REPS (test
# launches; default 2) change the setup;
# PREDICT_HIER_KEEP=DIR copies the results, fits and table there.
# Skips (77) without root, network namespaces or Open MPI's mpirun.
[ "${CR_TEST_QUICK:-0}" = 1 ] && { echo "1..0 # SKIP CR_TEST_QUICK=1"; exit 0; }
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/tap.sh"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
MPIEXEC=${MPIEXEC:-mpirun}
. "$top_srcdir/tests/cluster-lib.sh"
COLLROOF=$top_builddir/collroof
FIT=$top_builddir/collroof-fit
RATE=${PREDICT_HIER_RATE:-100mbit}
BURST=${PREDICT_HIER_BURST:-32kb}
TRAIN=${PREDICT_HIER_TRAIN:-3 4 5}
TEST=${PREDICT_HIER_TEST:-6 8}
REPS=${PREDICT_HIER_REPS:-2}
TEST_REPS=${PREDICT_HIER_TEST_REPS:-2}
# Asserted bounds, from runs here (docs/testing.md): on 2-4 hosts, quiet 12/12
# inside, median |error| 0.108; under other jobs' load 9/12, 0.201 and 11/12,
# 0.289. On 3-5 hosts with two test launches (load before the first 4.5-12.2):
# 0.92, 0.67, 1.00, 0.96, 1.00 of the launches inside; 0.140, 0.116, 0.074, 0.032,
# 0.034.
# Unchanged: at load 12 coverage fell to 0.67. The issue's goals are printed beside.
COVER_MIN=${PREDICT_HIER_COVER_MIN:-0.60}
MEDERR_MAX=${PREDICT_HIER_MEDERR_MAX:-0.30}
# Above this 1-min load average (4 per core) before the first launch, the 64 KiB
# comparison is skipped, not judged (below).
LOAD_MAX=${PREDICT_HIER_LOAD_MAX:-$(($(nproc) * 4))}
COLLS=allreduce,allgather
# Node phases: the leader family's reduce and gather priced by their own fits.
NODE_COLLS=$COLLS,reduce_scatter,bcast,reduce,gather

cluster_init phier "${PREDICT_HIER_KEEP:-}" 'train-*' 'test-*' 'fit' '*.txt' '*.csv'
command -v ompi_info >/dev/null && ompi_info --param coll han --level 9 2>/dev/null |
    grep -q coll_han_use_simple_allreduce ||
    skip_all "Open MPI without coll/han's simple allreduce (needs 4.1 or later)"
[ -x "$COLLROOF" ] && [ -x "$FIT" ] || bail "collroof or collroof-fit not built"

maxn=0
for n in $TRAIN $TEST; do [ "$n" -gt "$maxn" ] && maxn=$n; done
"$CLUSTER" up "$maxn" --slots 2 --rate "$RATE" --burst "$BURST" || bail "cluster up"

# Flat algorithms fixed (training, and han's sub-communicators); ranks that wait
# yield the two shared cores.
export OMPI_MCA_coll_tuned_use_dynamic_rules=1 OMPI_MCA_coll_tuned_allreduce_algorithm=4 \
    OMPI_MCA_coll_tuned_allgather_algorithm=4 OMPI_MCA_coll_tuned_bcast_algorithm=1 \
    OMPI_MCA_coll_tuned_reduce_algorithm=1 OMPI_MCA_coll_tuned_gather_algorithm=1 \
    OMPI_MCA_mpi_yield_when_idle=1
# coll/han on the test runs only: simple (unpipelined) allreduce and allgather, the
# leaders' phase on tuned (3; han's default is basic, a linear reduce + bcast), the
# node phases on tuned (3, han's default).
HAN=(--mca coll_han_priority 100 --mca coll_han_use_simple_allreduce 1
     --mca coll_han_use_simple_allgather 1
     --mca coll_han_allreduce_dynamic_inter_node_module 3
     --mca coll_han_allgather_dynamic_inter_node_module 3
     --mca coll_han_reduce_dynamic_intra_node_module 3
     --mca coll_han_bcast_dynamic_intra_node_module 3
     --mca coll_han_gather_dynamic_intra_node_module 3)

measure() {   # NODES COLLECTIVES LEVELS SIZES DIR [mpirun args...]
    local n=$1 c=$2 lv=$3 m=$4 d=$5
    shift 5
    timeout 300 "$CLUSTER" mpirun -np $((n * 2)) --map-by ppr:2:node "$@" "$COLLROOF" -q \
        -c "$c" -l "$lv" -m "$m" --time-limit 0.5 --max-iters 50 --min-iters 5 --warmup 1 \
        -o "$d" >"$d.log" 2>&1 || { cat "$d.log"; bail "collroof on $n hosts ($lv) failed"; }
}

# The machine's load (1, 5, 15 min), noted at every phase: two shared cores emulate
# every host and link, so the figures below are the machine's as much as the model's.
loads=()
load_note() { local l; l=$(cut -d' ' -f1-3 /proc/loadavg); loads+=("${l%% *}"); diag "load average $l ($1)"; }

# Training and test launches alternate (train 1, test 1, train 2, test 2, ...): a
# machine whose speed drifts drifts under both, and the training's run-to-run spread
# spans the conditions the test launches saw. Each test cell is launched TEST_REPS
# times; the error is taken against the median of its launches, the coverage counted
# per launch (each one is a new measurement the interval must hold).
start=$(date +%s)
load_note start
train_dirs=("$WORK/train-node")
measure 2 "$NODE_COLLS" node 16K:1M:x4 "$WORK/train-node"
train() {   # REP
    local n d
    for n in $TRAIN; do
        d=$WORK/train-n$n-r$1
        measure "$n" "$COLLS" world,rail,internode 16K:1M:x4 "$d"
        train_dirs+=("$d")
    done
    load_note "after training launch $1"
}
test_cells() {   # REP
    local n
    for n in $TEST; do measure "$n" "$COLLS" world 64K:1M:x4 "$WORK/test-n$n-r$1" "${HAN[@]}"; done
    load_note "after test launch $1"
}
for r in $(seq 1 $((REPS > TEST_REPS ? REPS : TEST_REPS))); do
    [ "$r" -le "$REPS" ] && train "$r"
    [ "$r" -le "$TEST_REPS" ] && test_cells "$r"
done
diag "measured in $(($(date +%s) - start)) s"

"$FIT" --no-plots --bootstrap 50 -o "$WORK/fit" "${train_dirs[@]}" >"$WORK/fit.txt" 2>&1 ||
    { cat "$WORK/fit.txt"; bail "collroof-fit failed"; }
grep 'scaling model' "$WORK/fit.txt"

# Predictions: flat and rail in one CSV, leader in another (each also repeats the flat).
bad=0
for n in $TEST; do
    for c in ${COLLS//,/ }; do
        for s in 65536 262144 1048576; do
            for alg in rail leader; do
                "$FIT" predict --fit "$WORK/fit" --collective "$c" --bytes "$s" --nodes "$n" \
                    --ppn 2 --hier "$alg" --csv "$WORK/pred-$alg.csv" >>"$WORK/predict.txt" \
                    2>"$WORK/pred.err" || { cat "$WORK/pred.err"; bad=$((bad + 1)); }
            done
        done
    done
done
check "predict answered every query" [ "$bad" = 0 ]
nhier=$(grep -c '^hierarchical leader on' "$WORK/predict.txt")
check "the leader model priced every query ($nhier)" \
    [ "$nhier" = $(($(echo $TEST | wc -w) * 6)) ]

# model collective ranks bytes t lo hi; model = flat | rail | leader
awk -F, 'FNR == 1 { alg = FILENAME ~ /leader/ ? "leader" : "rail"; next }
         { m = $2 == "hierarchical" ? alg : "flat"; print m, $1, $4, $5, $6, $7, $8 }' \
    "$WORK/pred-rail.csv" "$WORK/pred-leader.csv" >"$WORK/pred.txt"
for n in $TEST; do
    for r in $(seq 1 "$TEST_REPS"); do
        awk -F, -v n="$n" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            $c["level"] == "world" && $c["bytes"] >= 65000 {
                print $c["collective"], n, $c["bytes"], $c["t_median_us"] }' \
            "$WORK/test-n$n-r$r/results.csv"
    done
done >"$WORK/meas.txt"

# One line per test cell: its launches, their median, the three predictions against
# that median; per model: the share of launches inside the interval (each launch is
# a new measurement), the share of cell medians inside, |error| of the median.
awk '
    FNR == NR { k = $1 " " $2 " " $3 " " $4; t[k] = $5; lo[k] = $6; hi[k] = $7; next }
    { c = $1 " " $2 " " $3; if (!(c in nl)) order[++ncell] = c; nl[c]++; v[c, nl[c]] = $4; next }
    function find(m, c, p, s,   kk, f, best) {
        best = ""
        for (kk in t) { split(kk, f, " ")
                        if (f[1] == m && f[2] == c && f[3] == p && f[4] / s > 0.98 && f[4] / s < 1.02) best = kk }
        return best }
    function med(a, n,   i, j, x) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
        return n ? (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) : -1 }
    END {
      nm = split("leader rail flat", M, " ")
      for (q = 1; q <= ncell; q++) {
          split(order[q], f, " "); cl = f[1]; nn = f[2]; s = f[3]
          delete a; for (j = 1; j <= nl[order[q]]; j++) a[j] = v[order[q], j]
          lmin = a[1]; lmax = a[1]
          for (j = 1; j <= nl[order[q]]; j++) { if (a[j] < lmin) lmin = a[j]; if (a[j] > lmax) lmax = a[j] }
          m = med(a, nl[order[q]]); spread[q] = lmax / lmin - 1
          line = sprintf("%-9s %dx2 %8d  han %8.0f (%d launches, spread %4.1f%%)", cl, nn, s, m,
                         nl[order[q]], 100 * spread[q])
          for (i = 1; i <= nm; i++) {
              k = find(M[i], cl, 2 * nn, s)
              if (k == "") { miss++; line = line "  " M[i] " -"; continue }
              if (!(t[k] > 0 && lo[k] > 0 && lo[k] <= t[k] && t[k] <= hi[k] && hi[k] < 1e300)) nonpos++
              e = t[k] / m - 1; ae = e < 0 ? -e : e; in_ = m >= lo[k] && m <= hi[k]
              for (j = 1; j <= nl[order[q]]; j++) { nlch[i]++; insl[i] += v[order[q], j] >= lo[k] && v[order[q], j] <= hi[k] }
              n[i]++; ins[i] += in_; err[i, n[i]] = ae; sum[i] += e
              if (cl == "allreduce" && s < 100000) { lat[i] += ae; nlat[i]++ }
              line = line sprintf("  %s %8.0f [%8.0f,%8.0f] %+5.1f%%%s", M[i], t[k], lo[k], hi[k],
                                  100 * e, in_ ? " " : "*") }
          print line }
      for (i = 1; i <= nm; i++) { delete a; for (j = 1; j <= n[i]; j++) a[j] = err[i, j]
          printf "SUMMARY %s n=%d launches=%d inside=%.3f inside_median=%.3f median_abs_err=%.3f mean_err=%+.3f\n",
                 M[i], n[i], nlch[i], nlch[i] ? insl[i] / nlch[i] : 0, n[i] ? ins[i] / n[i] : 0,
                 med(a, n[i]), n[i] ? sum[i] / n[i] : 0 }
      delete a; for (q = 1; q <= ncell; q++) a[q] = spread[q]
      printf "SPREAD launch_to_launch median=%.3f max=%.3f\n", med(a, ncell), a[ncell]
      printf "LATENCY allreduce_64K_mean_abs_err leader=%.3f flat=%.3f\n", \
             nlat[1] ? lat[1] / nlat[1] : -1, nlat[3] ? lat[3] / nlat[3] : -1
      printf "CHECKS nonpositive=%d missing=%d\n", nonpos, miss }' \
    "$WORK/pred.txt" "$WORK/meas.txt" >"$WORK/table.txt"
diag "measured (han, ${RATE}) against predicted [95% interval], error; * = outside the interval"
cat "$WORK/table.txt"
read -r _ _ n nlaunch inside _ mederr _ < <(grep '^SUMMARY leader' "$WORK/table.txt" | sed 's/[a-z_0-9]*=//g')
read -r _ nonpos missing < <(grep '^CHECKS' "$WORK/table.txt" | sed 's/[a-z_0-9]*=//g')
read -r _ _ latl latf < <(grep '^LATENCY' "$WORK/table.txt" | sed 's/[a-z_0-9]*=//g')
diag "load average (1 min) at each phase: ${loads[*]}"
diag "issue #8 goals: >= 0.90 inside the 95% interval (leader: $inside of $nlaunch launches), median |error| <= 0.10 (leader: $mederr)"
check "every test cell has its three predictions ($n compared)" [ "$missing" = 0 -a "${n:-0}" -gt 0 ]
check "every prediction finite, positive, 0 < lo <= t <= hi" [ "$nonpos" = 0 ]
check "leader model: at least $COVER_MIN of the launches inside its 95% interval (got $inside)" \
    awk -v v="$inside" -v m="$COVER_MIN" 'BEGIN { exit !(v >= m) }'
check "leader model: median |error| at most $MEDERR_MAX (got $mederr)" \
    awk -v v="$mederr" -v m="$MEDERR_MAX" 'BEGIN { exit !(v <= m) }'
# Where the flat model prices another algorithm than the one run: at 64 KiB the flat
# ring on 2N ranks takes 2(2N-1) latency-bound steps, han's leaders 2(N-1). Judged
# only when the machine was not already loaded beyond LOAD_MAX (1-min load average
# before the first launch, others' work): above it the latency-bound cells time the
# scheduler of two cores (launch-to-launch spread 67-208% at 64 KiB, 0-13% at 1 MiB)
# and the leader model, whose leaders' phase was trained with the other ranks idle,
# fell 19-53% short of han (docs/testing.md).
what="allreduce at 64 KiB: the leader model closer than the flat one (mean |error| $latl < $latf)"
if awk -v l="${loads[0]}" -v m="$LOAD_MAX" 'BEGIN { exit !(l > m) }'; then
    skip "$what" "load average ${loads[0]} > $LOAD_MAX before the first launch"
else
    check "$what" awk -v l="$latl" -v f="$latf" 'BEGIN { exit !(l >= 0 && f >= 0 && l < f) }'
fi
finish
