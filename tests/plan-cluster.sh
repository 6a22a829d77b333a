#!/bin/bash
# collroof-fit plan against replayed steps it did not see (issue #11): an emulated
# cluster of 4 hosts on network namespaces (tests/cluster/netns-cluster), 2 ranks per
# host, every host's link to the others shaped to RATE by tbf and the path between
# its own two ranks to LOCAL_RATE (an in-host link: TCP over the host's lo, shaped,
# in place of shared memory; below). collroof measures allreduce, allgather,
# reduce_scatter, alltoallv (zipf:1.2, the MoE file's routing) and sendrecv (the
# pipeline's shift) at levels world, node and rail on TRAIN hosts (2, 3, 4);
# collroof-fit fits them. Four workload files made by `collroof-fit workload`
# (scaled down, every call >= 64 KiB): dp buckets (comm=dp with tp 1: the world), a
# tp layer (layout tp=2: node level), a MoE layer (alltoallv zipf:1.2 on the world)
# and a 1F1B pipeline (one stage per host, sendrecv next/prev with compute gaps and
# the bubble). For each file and each REPLAY host count (2, 3, 4) collroof
# --workload measures the step (a sequence of calls, back to back or after gaps,
# that no sweep measured) and collroof-fit plan predicts it from the fit; the test
# prints by how much plan missed.
#
# Asserted: every plan answered, finite, with t_lo <= t <= t_hi; the CSV's step row
# equals the sum of its call rows; over every (file, hosts) the median |error| at
# most PLAN_MEDERR_MAX and every |error| at most PLAN_ERR_MAX (floors the runs
# support with margin, docs/testing.md); the issue's goal, within 15%, is printed.
#
# Why the in-host path is a shaped link: every emulated host shares the machine's
# 2 cores. Over shared memory a call inside a host is bound by those cores and
# slows down with the number of hosts running at once (the tp file: 575 us per
# call on 2 hosts, 1651 us on 4), which no real node does and no fit of the node
# level can know; the tp file then missed by -36% to +186%. A shaped lo makes the
# node level a link of its own rate, as a scale-up fabric is (PLAN_LOCAL_RATE=""
# restores shared memory, to see it).
#
# Open MPI's algorithms are fixed (coll_tuned dynamic rules, as tests/predict-cluster.sh):
# the replay's calls run the algorithms the fit measured.
# PLAN_RATE, PLAN_LOCAL_RATE, PLAN_BURST (tbf; default 100mbit, 200mbit, 32kb),
# PLAN_TRAIN, PLAN_REPLAY (host counts; default "2 3 4" both) change the setup;
# PLAN_KEEP=DIR keeps the files.
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
RATE=${PLAN_RATE:-100mbit}
BURST=${PLAN_BURST:-32kb}
TRAIN=${PLAN_TRAIN:-2 3 4}
REPLAY=${PLAN_REPLAY:-2 3 4}
LOCAL_RATE=${PLAN_LOCAL_RATE-200mbit}
# Asserted bounds (docs/testing.md has the runs they come from); the issue's goal
# (within 15%) is printed beside.
MEDERR_MAX=${PLAN_MEDERR_MAX:-0.10}
ERR_MAX=${PLAN_ERR_MAX:-0.25}
COLLS=allreduce,allgather,reduce_scatter,alltoallv,sendrecv

cluster_init plan "${PLAN_KEEP:-}" 'train-*' 'replay-*' 'fit' '*.wl' '*.csv' '*.txt'
[ -x "$COLLROOF" ] && [ -x "$FIT" ] || bail "collroof or collroof-fit not built"

maxn=0
for n in $TRAIN $REPLAY; do [ "$n" -gt "$maxn" ] && maxn=$n; done
"$CLUSTER" up "$maxn" --slots 2 --rate "$RATE" --burst "$BURST" \
    ${LOCAL_RATE:+--local-rate "$LOCAL_RATE"} || bail "cluster up"

# The algorithms, fixed; ranks that wait yield the two shared cores.
export OMPI_MCA_coll_tuned_use_dynamic_rules=1 OMPI_MCA_coll_tuned_allreduce_algorithm=4 \
    OMPI_MCA_coll_tuned_allgather_algorithm=4 OMPI_MCA_coll_tuned_alltoall_algorithm=2 \
    OMPI_MCA_coll_tuned_reduce_scatter_block_algorithm=3 OMPI_MCA_mpi_yield_when_idle=1

# The workload files, scaled down (every call >= 64 KiB).
"$FIT" workload dp --params 360448 --bytes-per-param 2 --bucket 256K --name dp-small \
    -o "$WORK/dp.wl" || bail "workload dp"
# tp: hidden 1024 x seq 128 x 2 bytes = 256 KiB per call, 128 KiB per rank's message:
# 4x the 32 KB burst of the token bucket (a bucket sends messages up to twice its
# burst at line rate, faster than the shaped rate, by how long the link idled).
"$FIT" workload tp --hidden 1024 --seq 128 --micro-batch 1 --layers 1 --tp 2 \
    --name tp-small -o "$WORK/tp.wl" || bail "workload tp"
"$FIT" workload moe --experts 8 --tokens 128 --top-k 2 --hidden 256 --skew zipf:1.2 \
    --seed 7 --name moe-small -o "$WORK/moe.wl" || bail "workload moe"
# The pipeline: one stage per host (stages = hosts), so a file per host count.
for n in $REPLAY; do
    "$FIT" workload pp --stages "$n" --micro-batches 4 --activation-bytes 256K --fwd-us 2000 \
        --name "pp-small-$n" -o "$WORK/pp-n$n.wl" || bail "workload pp ($n stages)"
done
WLS="dp tp moe pp"
wlfile() { if [ "$1" = pp ]; then echo "$WORK/pp-n$2.wl"; else echo "$WORK/$1.wl"; fi; }

start=$(date +%s)
train_dirs=()
for n in $TRAIN; do
    d=$WORK/train-n$n
    timeout 300 "$CLUSTER" mpirun -np $((n * 2)) --map-by ppr:2:node "$COLLROOF" -q \
        -c "$COLLS" -l world,node,rail --skew zipf:1.2 --skew-seed 7 -m 64K:512K:x2 \
        --time-limit 0.4 --max-iters 30 --min-iters 5 --warmup 1 -o "$d" >"$d.log" 2>&1 ||
        { cat "$d.log"; bail "collroof on $n hosts failed"; }
    train_dirs+=("$d")
done
diag "fits measured in $(($(date +%s) - start)) s"
for n in $REPLAY; do
    for w in $WLS; do
        d=$WORK/replay-$w-n$n
        timeout 120 "$CLUSTER" mpirun -np $((n * 2)) --map-by ppr:2:node "$COLLROOF" -q \
            --workload "$(wlfile "$w" "$n")" --time-limit 2 --max-iters 20 --min-iters 5 --warmup 1 \
            -o "$d" >"$d.log" 2>&1 || { cat "$d.log"; bail "replay of $w on $n hosts failed"; }
    done
done
diag "measured in $(($(date +%s) - start)) s"

"$FIT" --no-plots --bootstrap 50 -o "$WORK/fit" "${train_dirs[@]}" >"$WORK/fit.txt" 2>&1 ||
    { cat "$WORK/fit.txt"; bail "collroof-fit failed"; }

# Plan every (file, hosts); the measured step is workload.csv's step row median.
bad=0
: >"$WORK/table.txt"
for w in $WLS; do
    for n in $REPLAY; do
        if ! "$FIT" plan --fit "$WORK/fit" --workload "$(wlfile "$w" "$n")" --nodes "$n" --ppn 2 \
            --csv "$WORK/plan-$w-n$n.csv" >"$WORK/plan-$w-n$n.txt" 2>&1; then
            cat "$WORK/plan-$w-n$n.txt"; bad=$((bad + 1)); continue
        fi
        meas=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            $c["row"] == "step" { print $c["t_median_us"] }' "$WORK/replay-$w-n$n/workload.csv")
        awk -F, -v w="$w" -v n="$n" -v m="$meas" '
            NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            $c["row"] != "step" { sum += $c["t_us"]; next }
            { printf "%s %d %s %s %s %s %s %.6g %s\n", w, n, $c["t_us"], $c["t_lo_us"],
                $c["t_hi_us"], m, $c["extrapolated"], sum, $c["t_us"] }' \
            "$WORK/plan-$w-n$n.csv" >>"$WORK/table.txt"
    done
done
check "plan answered every (file, hosts)" [ "$bad" = 0 ]

diag "plan vs replay ($RATE across hosts, ${LOCAL_RATE:-shared memory} inside, 2 ranks per host; fits from hosts: $TRAIN)"
diag "$(printf '%-4s %5s %12s %25s %12s %8s %6s' file hosts plan_us '[95% interval]' \
    measured_us error extrap)"
while read -r w n t lo hi m ex sum _; do
    diag "$(awk -v w="$w" -v n="$n" -v t="$t" -v lo="$lo" -v hi="$hi" -v m="$m" -v ex="$ex" \
        'BEGIN { e = (t - m) / m; printf "%-4s %5d %12.1f %25s %12.1f %+7.1f%% %6s%s", w, n, t,
            sprintf("[%.1f, %.1f]", lo, hi), m, 100 * e, ex ? "yes" : "no",
            (m < lo || m > hi) ? " *" : "" }')"
done <"$WORK/table.txt"

check "every plan finite with 0 < t_lo <= t <= t_hi" awk '
    { if (!($4 > 0 && $4 <= $3 && $3 <= $5 && $3 < 1e12)) exit 1 } END { exit NR == 0 }' \
    "$WORK/table.txt"
check "the step row is the sum of the call rows (t_us)" awk '
    { if ($8 - $3 > 1e-6 * $3 || $3 - $8 > 1e-6 * $3) exit 1 } END { exit NR == 0 }' \
    "$WORK/table.txt"
errs() { awk -v keep="$1" '$1 ~ keep { e = ($3 - $6) / $6; print (e < 0 ? -e : e) }' \
    "$WORK/table.txt" | sort -g | awk '{ a[NR] = $1; if ($1 <= 0.15) in15++ }
        END { med = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
            printf "%.4f %.4f %d %d", med, a[NR], in15, NR }'; }
read -r med mx in15 ntot <<<"$(errs '.')"
for w in $WLS; do
    read -r wmed wmx win15 wtot <<<"$(errs "^$w\$")"
    diag "$w: median |error| $wmed, largest $wmx; within 15%: $win15 of $wtot"
done
diag "every file: median |error| $med, largest $mx; within 15% (the issue's goal): $in15 of $ntot"
check "every file: median |error| $med <= $MEDERR_MAX" awk -v x="$med" -v y="$MEDERR_MAX" 'BEGIN { exit !(x <= y) }'
check "every file: largest |error| $mx <= $ERR_MAX" awk -v x="$mx" -v y="$ERR_MAX" 'BEGIN { exit !(x <= y) }'
diag "total $(($(date +%s) - start)) s"
finish
