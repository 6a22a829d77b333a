#!/bin/bash
# Bytes on the wire against the algorithm's count (issue #13): an emulated cluster of
# 4 hosts on network namespaces (tests/cluster/netns-cluster), unshaped. collroof
# reads each host's eth0 counters (/proc/net/dev, the host's own namespace) around
# every loop; Open MPI's algorithms are forced (coll_tuned dynamic rules, as
# predict-cluster.sh forces them: ring allreduce and allgather, pairwise alltoall,
# recursive-halving reduce_scatter_block), so the bytes each call must send are
# known: on p hosts with one rank each, summed over the hosts,
#   ring allreduce 2(p-1)·S, ring allgather (p-1)·S, pairwise alltoall (p-1)·S,
#   recursive halving (p a power of two) (p-1)·S, pingpong 2·S per round trip.
# The protocol's header overhead per byte (TCP/IP, Ethernet, Open MPI's TCP BTL, the
# loop's barriers) is measured by the ping-pong between two hosts at the same size:
# h = measured / (2·S) - 1; a collective's expected bytes are its count × (1 + h).
#
# Asserted, at every size >= 64 KiB on 2 and 4 hosts: measured wire bytes per call
# within WIRE_TOL (5%) of the expectation (the table is printed); the
# wire_min_bytes_per_call column equals the count above (at one rank per host the
# forced algorithms are the minimum); received = sent over the cluster within 1%;
# the busiest host sent 1/p of the total within 5% (these algorithms are
# symmetric); no row flagged for background. Then Open MPI's default algorithms on
# 4 hosts x 2 ranks: no row moves less than its minimum (traffic_efficiency <= 1
# up to the overhead), their efficiency printed.
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
HOSTS=${WIRE_HOSTS:-2 4}
TOL=${WIRE_TOL:-0.05}
SIZES=65536,262144,1048576
COLLS=allreduce,allgather,alltoall,reduce_scatter

cluster_init wire
[ -x "$COLLROOF" ] || bail "collroof not built"

"$CLUSTER" up 4 --slots 2 || bail "cluster up"

measure() {   # NODES PPN COLLS DIR [LEVELS]
    timeout 300 "$CLUSTER" mpirun -np $(($1 * $2)) --map-by "ppr:$2:node" "$COLLROOF" -q \
        -c "$3" -l "${5:-world}" -m "$SIZES" --time-limit 0.2 --max-iters 20 --min-iters 5 \
        --warmup 1 --net-if eth0 -o "$4" >"$4.log" 2>&1
}

start=$(date +%s)
# Open MPI's own choice first (nothing forced), 4 hosts x 2 ranks.
measure 4 2 allreduce,allgather,alltoall,reduce_scatter "$WORK/default" ||
    { cat "$WORK/default.log"; bail "collroof with the default algorithms failed"; }
# The algorithms, fixed; ranks that wait yield the two shared cores.
export OMPI_MCA_coll_tuned_use_dynamic_rules=1 OMPI_MCA_coll_tuned_allreduce_algorithm=4 \
    OMPI_MCA_coll_tuned_allgather_algorithm=4 OMPI_MCA_coll_tuned_alltoall_algorithm=2 \
    OMPI_MCA_coll_tuned_reduce_scatter_block_algorithm=3 OMPI_MCA_mpi_yield_when_idle=1
for n in $HOSTS; do
    measure "$n" 1 "$COLLS,pingpong" "$WORK/n$n" ||
        { cat "$WORK/n$n.log"; bail "collroof on $n hosts failed"; }
done
diag "measured in $(($(date +%s) - start)) s"

# One line per row: collective hosts bytes tx tx_max rx bg min bg_high (wire columns
# by name; empty where not measured).
rows() {   # DIR HOSTS
    awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { print $c["collective"], n, $c["bytes"], $c["wire_tx_bytes_per_call"],
                $c["wire_tx_bytes_per_call_max"], $c["wire_rx_bytes_per_call"],
                $c["wire_bg_bytes_per_call"], $c["wire_min_bytes_per_call"],
                $c["wire_bg_high"], $c["traffic_efficiency"] }' "$1/results.csv"
}
for n in $HOSTS; do rows "$WORK/n$n" "$n"; done >"$WORK/rows.txt"
check "every forced row has its wire columns" \
    awk 'NF != 10 || $4 == "" { bad++ } END { exit !(NR > 0 && !bad) }' "$WORK/rows.txt"

awk -v tol="$TOL" '
    # pingpong rows first: the overhead per byte at each (hosts, bytes)
    FNR == NR { if ($1 == "pingpong") h[$2 " " $3] = $4 / (2 * $3) - 1; next }
    $1 == "pingpong" { next }
    { p = $2; S = $3
      if ($1 == "allreduce") alg = 2 * (p - 1) * S
      else alg = (p - 1) * S              # ring allgather, pairwise alltoall, recursive halving
      k = p " " S
      if (!(k in h)) { printf "no ping-pong at %s\n", k; miss++; next }
      exp_ = alg * (1 + h[k]); e = $4 / exp_ - 1; ae = e < 0 ? -e : e
      n++; within += ae <= tol
      if ($8 != alg) minbad++
      rx = $6 / $4 - 1; if (rx < -0.01 || rx > 0.01) rxbad++
      mx = $5 / ($4 / p) - 1; if (mx < -0.05 || mx > 0.05) maxbad++
      if ($9 != 0) bgbad++
      printf "%-15s %d hosts %8d  algorithm %11d  +overhead %5.2f%%  expected %11.0f  measured %11.0f  %+6.2f%%  (raw %.4fx, min %s)\n", \
          $1, p, S, alg, 100 * h[k], exp_, $4, 100 * e, $4 / alg, $8 }
    END { for (k in h) printf "OVERHEAD %s %.5f\n", k, h[k]
          printf "SUMMARY n=%d within=%d miss=%d minbad=%d rxbad=%d maxbad=%d bgbad=%d\n", \
              n, within, miss, minbad, rxbad, maxbad, bgbad }' \
    "$WORK/rows.txt" "$WORK/rows.txt" >"$WORK/table.txt"
sort "$WORK/table.txt" | grep -v '^SUMMARY'
read -r _ n within miss minbad rxbad maxbad bgbad < <(grep '^SUMMARY' "$WORK/table.txt" |
    sed 's/[a-z_]*=//g')
check "every collective row compared ($n rows, $miss without a ping-pong)" [ "$miss" = 0 -a "${n:-0}" -ge 12 ]
check "measured wire bytes within $TOL of the algorithm's count plus overhead ($within of $n)" \
    [ "$within" = "$n" ]
check "wire_min_bytes_per_call is the forced algorithm's count at one rank per host" [ "$minbad" = 0 ]
check "bytes received = bytes sent over the cluster, within 1%" [ "$rxbad" = 0 ]
check "the busiest host sent 1/p of the total, within 5% (symmetric algorithms)" [ "$maxbad" = 0 ]
check "no row flagged for background traffic (wire_bg_high)" [ "$bgbad" = 0 ]

# The library's own choice, 4 hosts x 2 ranks: traffic efficiency per row.
rows "$WORK/default" 4 >"$WORK/default.txt"
diag "Open MPI's default algorithms, 4 hosts x 2 ranks (traffic_efficiency = minimum / measured):"
awk '{ printf "%-15s %8d  measured %11.0f  busiest host %11.0f  minimum %11.0f  efficiency %s\n", \
           $1, $3, $4, $5, $8, $10 }' "$WORK/default.txt"
check "default algorithms: every row has a traffic efficiency" \
    awk '$10 == "" { bad++ } END { exit !(NR >= 12 && !bad) }' "$WORK/default.txt"
check "default algorithms: none moves less than its minimum (efficiency <= 1 + 3% overhead)" \
    awk '$10 > 1.03 { bad++ } END { exit bad }' "$WORK/default.txt"
finish
