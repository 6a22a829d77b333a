#!/bin/bash
# Predictions against measurements they did not see (issue #8): an emulated cluster
# of 8 hosts on network namespaces (tests/cluster/netns-cluster), every link shaped
# to RATE by tbf. collroof measures allreduce, allgather, alltoall and reduce_scatter
# on TRAIN hosts (3, 4, 5; on 2 hosts allreduce and alltoall are anomalously slow here,
# 6.3-6.9 MB/s of busbw against 7.4-11 at 3-5, and bent the fitted slopes) with 1 and
# 2 ranks per host, twice each (run-to-run spread), at level world; collroof-fit
# fits them; predict answers for TEST hosts
# (6, 8) at sizes >= 64 KiB; collroof measures those (TEST_REPS launches, alternating
# with the training's) and the test prints the table of predicted [95% interval]
# against measured (the median of a cell's launches; coverage counted per launch).
#
# Asserted: every prediction finite and positive with 0 < lo <= t <= hi; the fit kept
# ppn 1 and ppn 2 apart (projection.csv); at least COVER_MIN of the measurements
# inside their interval; median |error| at most MEDERR_MAX. Printed against the
# issue's targets: the share inside the interval (>= 90%) and within 15% (>= 90%).
#
# Open MPI's algorithms are fixed (coll_tuned dynamic rules: ring allreduce and
# allgather, pairwise alltoall, recursive-halving reduce_scatter_block): a model
# fitted on some rank counts cannot see the library's decision table switch
# algorithms at a rank count it never measured, and the test is of the model.
# PREDICT_RATE, PREDICT_BURST (tbf; default 100mbit, 32kb), PREDICT_TRAIN, PREDICT_TEST
# (host counts; default "3 4 5", "6 8"), PREDICT_TEST_REPS (launches of each test cell;
# default 1: 2 took 6.9 min), PREDICT_TRAIN_LEVELS and PREDICT_RS_ALG (reduce_scatter_block's
# coll_tuned algorithm; default 3) change the setup; an 8 KB burst was tried and
# predicted worse (56% within 15%, 88% inside). PREDICT_KEEP=DIR copies the results,
# fits and table there.
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
RATE=${PREDICT_RATE:-100mbit}
BURST=${PREDICT_BURST:-32kb}
TRAIN=${PREDICT_TRAIN:-3 4 5}
TEST=${PREDICT_TEST:-6 8}
TEST_REPS=${PREDICT_TEST_REPS:-1}
# Training levels: world only (the flat model, asserted); PREDICT_TRAIN_LEVELS=
# world,node,rail adds the hierarchical projection's column (and 2 minutes). The
# hierarchical projection is proven against a library that runs it in predict-hier.sh.
TRAIN_LEVELS=${PREDICT_TRAIN_LEVELS:-world}
# Asserted bounds: a model that ignores how time grows with p (predict before issue
# #8: 3 of 81 inside, errors to 5x) fails them by far; the issue's goals (>= 0.90
# inside, within 15%) are printed beside. On CI's machine, alone, the 2-4-host setup
# once measured 0.79 inside with a median error of 0.144; here beside others' builds
# (load 10-21) 0.75, 0.17. Trained on 3-5 hosts, three runs at load 5-9: 0.96, 1.00,
# 0.96 inside, median 0.037, 0.026, 0.055. Not tightened on three runs: two shared
# cores emulate all 16 ranks and 8 links, so its noise is the machine's load.
COVER_MIN=${PREDICT_COVER_MIN:-0.75}
MEDERR_MAX=${PREDICT_MEDERR_MAX:-0.20}
COLLS=allreduce,allgather,alltoall,reduce_scatter

cluster_init predict "${PREDICT_KEEP:-}" 'train-*' 'test-*' 'fit' '*.txt' '*.csv'
[ -x "$COLLROOF" ] && [ -x "$FIT" ] || bail "collroof or collroof-fit not built"

"$CLUSTER" up 8 --slots 2 --rate "$RATE" --burst "$BURST" || bail "cluster up"

# The algorithms, fixed; ranks that wait yield the two shared cores.
export OMPI_MCA_coll_tuned_use_dynamic_rules=1 OMPI_MCA_coll_tuned_allreduce_algorithm=4 \
    OMPI_MCA_coll_tuned_allgather_algorithm=4 OMPI_MCA_coll_tuned_alltoall_algorithm=2 \
    OMPI_MCA_coll_tuned_reduce_scatter_block_algorithm=${PREDICT_RS_ALG:-3} OMPI_MCA_mpi_yield_when_idle=1

measure() {   # NODES PPN DIR LEVELS SIZES
    timeout 300 "$CLUSTER" mpirun -np $(($1 * $2)) --map-by "ppr:$2:node" "$COLLROOF" -q \
        -c "$COLLS" -l "$4" -m "$5" --time-limit 0.5 --max-iters 50 --min-iters 5 --warmup 1 \
        -o "$3" >"$3.log" 2>&1 || { cat "$3.log"; bail "collroof on $1 x $2 failed"; }
}

# The machine's load (1, 5, 15 min), noted at every phase: two shared cores emulate
# every host and link, so the figures below are the machine's as much as the model's.
loads=()
load_note() { local l; l=$(cut -d' ' -f1-3 /proc/loadavg); loads+=("${l%% *}"); diag "load average $l ($1)"; }

# Training and test launches alternate (train 1, test 1, train 2, test 2): a machine
# whose speed drifts (two shared cores emulate every host and link) drifts under
# both, and the training's run-to-run spread spans the conditions the test cells saw.
# The test cells (world only, >= 64 KiB: all that is compared) are launched
# TEST_REPS times; the error is taken against the median of a cell's launches, the
# coverage counted per launch (each one is a new measurement the interval must hold).
start=$(date +%s)
load_note start
train_dirs=()
train() {   # REP
    local ppn n d
    for ppn in 1 2; do
        for n in $TRAIN; do
            d=$WORK/train-n$n-ppn$ppn-r$1
            measure "$n" "$ppn" "$d" "$TRAIN_LEVELS" 16K:1M:x4
            train_dirs+=("$d")
        done
    done
    load_note "after training launch $1"
}
test_cells() {   # REP
    local ppn n
    for ppn in 1 2; do
        for n in $TEST; do measure "$n" "$ppn" "$WORK/test-n$n-ppn$ppn-r$1" world 64K:1M:x4; done
    done
    load_note "after test launch $1"
}
for r in $(seq 1 $((TEST_REPS > 2 ? TEST_REPS : 2))); do
    [ "$r" -le 2 ] && train "$r"
    [ "$r" -le "$TEST_REPS" ] && test_cells "$r"
done
diag "measured in $(($(date +%s) - start)) s"

"$FIT" --no-plots --bootstrap 50 -o "$WORK/fit" "${train_dirs[@]}" >"$WORK/fit.txt" 2>&1 ||
    { cat "$WORK/fit.txt"; bail "collroof-fit failed"; }
grep 'scaling model' "$WORK/fit.txt"

# Never mixed: world is one series per ppn, each with the TRAIN rank counts.
ntrain=$(echo $TRAIN | wc -w)
for ppn in 1 2; do
    got=$(awk -F, -v q="$ppn" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["level"] == "world" && $c["ppn"] == q && $c["nodes"] == 0 { print $c["rank_counts"] }' \
        "$WORK/fit/projection.csv" | sort -u | tr '\n' ' ')
    want=$(for c in ${COLLS//,/ }; do echo "$ntrain"; done | sort -u | tr '\n' ' ')
    check "projection.csv: world at ppn $ppn is one series of $ntrain rank counts per collective" \
        [ "$got" = "$want" ]
done

# Predict every (collective, nodes, ppn, size) of TEST; table against the measured.
PRED=$WORK/pred.csv
bad=0
for ppn in 1 2; do
    for n in $TEST; do
        for c in ${COLLS//,/ }; do
            for s in 65536 262144 1048576; do
                "$FIT" predict --fit "$WORK/fit" --collective "$c" --bytes "$s" --nodes "$n" \
                    --ppn "$ppn" --csv "$PRED" >/dev/null 2>"$WORK/pred.err" || {
                    cat "$WORK/pred.err"; bad=$((bad + 1)); }
            done
        done
    done
done
check "predict answered every query" [ "$bad" = 0 ]

# predicted rows: collective level ranks bytes t lo hi (the columns before `basis`)
awk -F, 'NR > 1 { print $1, $2, $4, $5, $6, $7, $8 }' "$PRED" >"$WORK/pred.txt"
for ppn in 1 2; do
    for n in $TEST; do
        for r in $(seq 1 "$TEST_REPS"); do
            awk -F, -v n="$n" -v q="$ppn" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                $c["level"] == "world" && $c["bytes"] >= 65000 {
                    print $c["collective"], n, q, $c["bytes"], $c["t_median_us"] }' \
                "$WORK/test-n$n-ppn$ppn-r$r/results.csv"
        done
    done
done >"$WORK/meas.txt"

# One line per test cell: the median of its launches against the prediction; inside
# counted per launch (and for the median, printed), |error| of the median.
awk '
    FNR == NR { key = $1 " " $3 " " $4
                if ($2 == "hierarchical") h[key] = $5
                else { t[key] = $5; lo[key] = $6; hi[key] = $7 }
                next }
    { c = $1 " " $2 " " $3 " " $4; if (!(c in nl)) order[++ncell] = c; nl[c]++; v[c, nl[c]] = $5 }
    function med(a, n,   i, j, x) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
        return n ? (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) : -1 }
    END {
      for (q = 1; q <= ncell; q++) {
          cc = order[q]; split(cc, f, " "); cl = f[1]; nn = f[2]; pp = f[3]; s = f[4]; p = nn * pp
          delete a; lmin = lmax = v[cc, 1]
          for (j = 1; j <= nl[cc]; j++) { a[j] = v[cc, j]; if (a[j] < lmin) lmin = a[j]; if (a[j] > lmax) lmax = a[j] }
          m = med(a, nl[cc]); spread[q] = lmax / lmin - 1
          k = ""
          for (kk in t) { split(kk, g, " ")
                          if (g[1] == cl && g[2] == p && g[3] > 0 && s / g[3] > 0.98 && s / g[3] < 1.02) k = kk }
          if (k == "") { printf "no prediction for %s %dx%d %s\n", cl, nn, pp, s; miss++; continue }
          if (!(t[k] > 0 && lo[k] > 0 && hi[k] >= t[k] && lo[k] <= t[k] && hi[k] < 1e300)) nonpos++
          e = t[k] / m - 1; ae = e < 0 ? -e : e
          in_ = m >= lo[k] && m <= hi[k]
          for (j = 1; j <= nl[cc]; j++) { nlch++; insl += v[cc, j] >= lo[k] && v[cc, j] <= hi[k] }
          n++; inside += in_; w15 += ae <= 0.15; err[n] = ae
          printf "%-15s %dx%d %8d  pred %10.0f [%10.0f, %10.0f]  meas %10.0f (%d, spread %4.1f%%)  %+6.1f%%  %s", \
              cl, nn, pp, s, t[k], lo[k], hi[k], m, nl[cc], 100 * spread[q], 100 * e, in_ ? "inside " : "OUTSIDE"
          if (k in h) printf "  hierarchical %10.0f (%+.1f%%)", h[k], 100 * (h[k] / m - 1)
          printf "\n" }
      delete a; for (i = 1; i <= n; i++) a[i] = err[i]
      mederr = med(a, n)
      delete a; for (q = 1; q <= ncell; q++) a[q] = spread[q]
      printf "SPREAD launch_to_launch median=%.3f max=%.3f\n", med(a, ncell), a[ncell]
      printf "SUMMARY n=%d launches=%d inside=%.3f inside_median=%.3f within15=%.3f median_abs_err=%.3f nonpositive=%d missing=%d\n", \
          n, nlch, nlch ? insl / nlch : 0, n ? inside / n : 0, n ? w15 / n : 0, mederr, nonpos, miss }' \
    "$WORK/pred.txt" "$WORK/meas.txt" >"$WORK/table.txt"
cat "$WORK/table.txt"
read -r _ n nlaunch inside _ within15 mederr nonpos missing < <(grep '^SUMMARY' "$WORK/table.txt" |
    sed 's/[a-z_0-9]*=//g')
diag "load average (1 min) at each phase: ${loads[*]}"
diag "issue #8 targets: >= 0.90 inside the 95% interval (got $inside of $nlaunch launches), >= 0.90 within 15% (got $within15), median |error| <= 0.10 (got $mederr)"
check "every test cell has a prediction ($n compared)" [ "$missing" = 0 -a "${n:-0}" -gt 0 ]
check "every prediction finite, positive, 0 < lo <= t <= hi" [ "$nonpos" = 0 ]
check "at least $COVER_MIN of the launches inside their 95% interval (got $inside)" \
    awk -v v="$inside" -v m="$COVER_MIN" 'BEGIN { exit !(v >= m) }'
check "median |error| at most $MEDERR_MAX (got $mederr)" \
    awk -v v="$mederr" -v m="$MEDERR_MAX" 'BEGIN { exit !(v <= m) }'
finish
