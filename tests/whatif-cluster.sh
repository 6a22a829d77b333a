#!/bin/bash
# What-if fabrics against a measurement they did not see (issue #11): an emulated
# cluster of HOSTS (3) hosts on network namespaces (tests/cluster/netns-cluster), 2
# ranks per host, every link shaped by tbf.
#
# At RATE_A (100mbit): collroof measures allreduce and allgather at levels rail,
# internode and world, with the pingpong probe (the link ceiling the what-if scales
# from), and the node level (reduce_scatter, allgather: the hierarchical model's node
# phases); collroof-fit fits them. The links are then reshaped to RATE_B (50mbit)
# and the same groups measured again at 64 KiB-1 MiB (well above the 32 KB burst).
# predict, from the RATE_A fit only, answers each with --level-GBps internode=B
# (B = RATE_B in GB/s, nominal: the number a user has for another NIC), which
# reprices every fit across nodes (rail, internode, world over several hosts);
# rail=B gives the rail rows the same answer.
#
# Printed: predicted on the measured fabric, predicted what-if [95% interval],
# measured at RATE_B, error, inside/outside; the issue's goal (within 15% at
# >= 64 KiB, every measurement inside its interval); the hierarchical answers at
# 3 x 2 with their rail phase repriced, beside. Asserted (bounds from repeated runs,
# docs/testing.md): every what-if finite, 0 < lo <= t <= hi and moved the way the
# rate did; rail=B and internode=B agree on rail rows; at least WITHIN_MIN of the
# rows within 15%, COVER_MIN inside their interval, median |error| <= MEDERR_MAX.
#
# Why RATE_B is the slower rate, and where it misses: a what-if scales every term of
# the bandwidth part with the link. Here 6 ranks and 3 TCP stacks share 2 cores;
# at 100 Mbit/s the link binds and hides that host-side time, at 200 Mbit/s the
# host starts to bind (world allreduce of 1 MiB: 1.2x faster measured, 2x
# predicted), so a faster RATE_B measures the emulator, not the model: those runs
# (WHATIF_RATE_B=200mbit; or WHATIF_RATE_A=50mbit WHATIF_RATE_B=100mbit) came out
# 10-40% optimistic, and are in docs/testing.md. A nominal B against the probe's
# measured ceiling (TCP/IP headers: ~96% of nominal at any rate) makes every
# answer ~4% optimistic; the per-message latency does not scale (a bandwidth
# what-if keeps alpha), which is right, and is why 64 KiB rows move less than 2x.
# WHATIF_RATE_A, _RATE_B, _BURST (tbf; default 100mbit, 50mbit, 32kb), _HOSTS
# (default 3) change the setup; WHATIF_KEEP=DIR copies results, fits and table there.
# Skips (77) without root, network namespaces or Open MPI's mpirun.
[ "${CR_TEST_QUICK:-0}" = 1 ] && { echo "1..0 # SKIP CR_TEST_QUICK=1"; exit 0; }
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/tap.sh"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
MPIEXEC=${MPIEXEC:-mpirun}
CLUSTER=$top_srcdir/tests/cluster/netns-cluster
COLLROOF=$top_builddir/collroof
FIT=$top_builddir/collroof-fit
RATE_A=${WHATIF_RATE_A:-100mbit}
RATE_B=${WHATIF_RATE_B:-50mbit}
BURST=${WHATIF_BURST:-32kb}
HOSTS=${WHATIF_HOSTS:-3}
# Asserted bounds (docs/testing.md has the runs they come from); the issue's goals
# (every row within 15%, every measurement inside its interval) are printed beside.
# Four runs here (100 -> 50 Mbit/s, beside other engineers' builds): within 15%
# 0.83, 0.67, 0.89, 0.83; inside 0.94, 0.94, 1.00, 0.94; median |error| 5.8%,
# 10.2%, 8.1%, 5.6%.
WITHIN_MIN=${WHATIF_WITHIN_MIN:-0.55}
COVER_MIN=${WHATIF_COVER_MIN:-0.80}
MEDERR_MAX=${WHATIF_MEDERR_MAX:-0.15}
COLLS=allreduce,allgather

[ "$(id -u)" = 0 ] || skip_all "needs root for network namespaces"
command -v ip >/dev/null && command -v tc >/dev/null || skip_all "iproute2 (ip, tc) missing"
"$MPIEXEC" --version 2>/dev/null | grep -qiE 'open ?mpi|openrte' ||
    skip_all "the namespace cluster launches with Open MPI's mpirun; MPIEXEC=$MPIEXEC is not"
[ -x "$COLLROOF" ] && [ -x "$FIT" ] || bail "collroof or collroof-fit not built"

# tbf rate in GB/s (1e9 B/s): 100mbit -> 0.0125.
gbps() {
    awk -v r="$1" 'BEGIN { n = r + 0; u = tolower(r); sub(/^[0-9.]+/, "", u)
        m = u == "kbit" ? 1e3 : u == "mbit" ? 1e6 : u == "gbit" ? 1e9 : u == "bit" ? 1 : -1
        if (m < 0 || n <= 0) exit 1; printf "%.6g", n * m / 8 / 1e9 }'
}
GB_A=$(gbps "$RATE_A") && GB_B=$(gbps "$RATE_B") ||
    bail "rates must be NUMBER{bit,kbit,mbit,gbit} (got $RATE_A, $RATE_B)"

# The infra tests share the two cores and the timed links: one at a time, across
# checkouts and CI (tests/infra-lock.sh).
. "$top_srcdir/tests/infra-lock.sh"
infra_lock 900

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cr-whatif.XXXXXX") || exit 1
export NETNS_CLUSTER_DIR=$WORK/cluster NETNS_CLUSTER_MPIRUN=$MPIEXEC
# A queue that holds 2 s of traffic: several flows leaving one host drop nothing.
export NETNS_CLUSTER_TBF_LATENCY=2s
cleanup() {
    "$CLUSTER" down
    [ -n "${WHATIF_KEEP:-}" ] && mkdir -p "$WHATIF_KEEP" &&
        cp -r "$WORK"/a-* "$WORK"/b-* "$WORK"/fit-* "$WORK"/*.txt "$WORK"/*.csv \
            "$WHATIF_KEEP"/ 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

probe=crnc-probe-$$
ip netns add "$probe" 2>/dev/null || skip_all "ip netns add impossible here"
ip netns del "$probe"

"$CLUSTER" up "$HOSTS" --slots 2 --rate "$RATE_A" --burst "$BURST" || bail "cluster up"

# Flat algorithms fixed (ring allreduce and allgather): the library's decision table
# must not switch algorithms between the two rates; ranks that wait yield the cores.
export OMPI_MCA_coll_tuned_use_dynamic_rules=1 OMPI_MCA_coll_tuned_allreduce_algorithm=4 \
    OMPI_MCA_coll_tuned_allgather_algorithm=4 OMPI_MCA_coll_tuned_reduce_scatter_block_algorithm=3 \
    OMPI_MCA_mpi_yield_when_idle=1

measure() {   # COLLECTIVES LEVELS SIZES DIR
    timeout 300 "$CLUSTER" mpirun -np $((HOSTS * 2)) --map-by ppr:2:node "$COLLROOF" -q \
        -c "$1" -l "$2" -m "$3" --time-limit 0.5 --max-iters 40 --min-iters 5 --warmup 1 \
        -o "$4" >"$4.log" 2>&1 || { cat "$4.log"; bail "collroof ($2) failed"; }
}

start=$(date +%s)
measure reduce_scatter,allgather node 16K:1M:x4 "$WORK/a-node"
measure "$COLLS,pingpong" rail,internode,world 16K:1M:x4 "$WORK/a-across"
"$CLUSTER" shape "$RATE_B" --burst "$BURST" || bail "reshape to $RATE_B"
measure "$COLLS,pingpong" rail,internode,world 64K:1M:x4 "$WORK/b-across"
diag "measured in $(($(date +%s) - start)) s"

"$FIT" --no-plots --bootstrap 50 -o "$WORK/fit-a" "$WORK/a-node" "$WORK/a-across" \
    >"$WORK/fit-a.txt" 2>&1 || { cat "$WORK/fit-a.txt"; bail "collroof-fit (rate A) failed"; }
"$FIT" --no-plots --bootstrap 0 -o "$WORK/fit-b" "$WORK/b-across" >"$WORK/fit-b.txt" 2>&1 ||
    { cat "$WORK/fit-b.txt"; bail "collroof-fit (rate B) failed"; }
link() {   # FITDIR: the internode link ceiling the fit recorded (GB/s)
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["level"] == "internode" && $c["link_ceiling_GBps"] != "" { v = $c["link_ceiling_GBps"] }
        END { print v + 0 }' "$1/fit.csv"
}
link_a=$(link "$WORK/fit-a")
link_b=$(link "$WORK/fit-b")
diag "links: $RATE_A nominal $GB_A GB/s, probe $link_a; $RATE_B nominal $GB_B GB/s, probe $link_b"
check "the probe measured the link ceiling at $RATE_A ($link_a GB/s)" \
    awk -v l="$link_a" -v n="$GB_A" 'BEGIN { exit !(l > 0.8 * n && l < 1.1 * n) }'

# The rate-B groups: collective level ranks bytes t_median_us.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["collective"] != "pingpong" && $c["bytes"] >= 65000 {
        print $c["collective"], $c["level"], $c["ranks"], $c["bytes"], $c["t_median_us"] }' \
    "$WORK/b-across/results.csv" >"$WORK/meas.txt"
check "rate B measured every group ($(wc -l <"$WORK/meas.txt") rows)" \
    [ "$(wc -l <"$WORK/meas.txt")" -ge 12 ]

# The what-if from the rate-A fit, for each measured group; world also hierarchical.
bad=0
while read -r c lv p s _; do
    topo=()
    [ "$lv" = world ] && topo=(--nodes "$HOSTS" --ppn 2)
    "$FIT" predict --fit "$WORK/fit-a" --collective "$c" --level "$lv" --bytes "$s" \
        --ranks "$p" "${topo[@]}" --level-GBps "internode=$GB_B" --csv "$WORK/pred.csv" \
        >>"$WORK/predict.txt" 2>"$WORK/pred.err" || { cat "$WORK/pred.err"; bad=$((bad + 1)); }
    if [ "$lv" = rail ]; then
        "$FIT" predict --fit "$WORK/fit-a" --collective "$c" --level rail --bytes "$s" \
            --ranks "$p" --level-GBps "rail=$GB_B" --csv "$WORK/pred-rail.csv" >/dev/null \
            2>"$WORK/pred.err" || { cat "$WORK/pred.err"; bad=$((bad + 1)); }
    fi
done <"$WORK/meas.txt"
check "predict answered every what-if query" [ "$bad" = 0 ]
same=$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    FNR == NR { if ($c["level"] == "rail") r[$1 " " $5] = $c["t_us"]; next }
    $c["level"] == "rail" { n++; if (r[$1 " " $5] != $c["t_us"]) d++ }
    END { print n + 0, d + 0 }' "$WORK/pred.csv" "$WORK/pred-rail.csv")
check "rail=B and internode=B give the rail rows the same answer (rows, differing: $same)" \
    awk -v s="$same" 'BEGIN { split(s, f, " "); exit !(f[1] > 0 && f[2] == 0) }'

# collective level ranks bytes t lo hi t_measured_fabric (flat rows; by column name)
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["level"] != "hierarchical" { print $c["collective"], $c["level"], $c["ranks"],
        $c["bytes"], $c["t_us"], $c["t_lo_us"], $c["t_hi_us"], $c["t_measured_us"] }' \
    "$WORK/pred.csv" >"$WORK/pred.txt"
awk -v faster="$(awk -v a="$GB_A" -v b="$GB_B" 'BEGIN { print (b > a) }')" '
    FNR == NR { k = $1 " " $2 " " $3 " " $4; t[k] = $5; lo[k] = $6; hi[k] = $7; tm[k] = $8; next }
    { k = $1 " " $2 " " $3 " " $4
      if (!(k in t)) { printf "no prediction for %s\n", k; miss++; next }
      if (!(t[k] > 0 && lo[k] > 0 && lo[k] <= t[k] && t[k] <= hi[k] &&
            (faster ? t[k] < tm[k] : t[k] > tm[k]))) nonpos++
      e = t[k] / $5 - 1; ae = e < 0 ? -e : e; in_ = $5 >= lo[k] && $5 <= hi[k]
      n++; inside += in_; w15 += ae <= 0.15; err[n] = ae; sum += e
      if ($2 != "world") { n1++; w1 += ae <= 0.15; if (ae > max1) max1 = ae }
      printf "%-10s %-9s p=%d %8d  A-fabric %9.0f  what-if %9.0f [%9.0f, %9.0f]  measured %9.0f  %+6.1f%%  %s\n", \
          $1, $2, $3, $4, tm[k], t[k], lo[k], hi[k], $5, 100 * e, in_ ? "inside" : "OUTSIDE" }
    END {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (err[j] < err[i]) { x = err[i]; err[i] = err[j]; err[j] = x }
      med = n ? (n % 2 ? err[(n + 1) / 2] : (err[n / 2] + err[n / 2 + 1]) / 2) : -1
      printf "SUMMARY n=%d inside=%.3f within15=%.3f median_abs_err=%.3f mean_err=%+.3f nonpositive=%d missing=%d\n", \
          n, n ? inside / n : 0, n ? w15 / n : 0, med, n ? sum / n : 0, nonpos, miss
      printf "ONE-PER-HOST rail and internode: %d of %d within 15%%, largest |error| %.1f%%\n", \
          w1, n1, 100 * max1 }' \
    "$WORK/pred.txt" "$WORK/meas.txt" >"$WORK/table.txt"
diag "rate-A fit ($RATE_A) with --level-GBps internode=$GB_B against the $RATE_B measurement:"
cat "$WORK/table.txt"
diag "the hierarchical answers at ${HOSTS}x2 (rail phase repriced; world rows above, in order):"
grep '^  hierarchical  measured' "$WORK/predict.txt" | sed 's/^  hierarchical  /  /'
read -r _ n inside within15 mederr meanerr nonpos missing < <(grep '^SUMMARY' "$WORK/table.txt" |
    sed 's/[a-z_0-9]*=//g')
diag "issue #11 goal: every row within 15% (got $within15) and inside its interval (got $inside); median |error| $mederr, mean error $meanerr"
check "every measurement has its what-if prediction ($n compared)" [ "$missing" = 0 -a "${n:-0}" -gt 0 ]
check "every what-if finite, 0 < lo <= t <= hi, moved the way the rate did (slower link: slower)" \
    [ "$nonpos" = 0 ]
check "at least $WITHIN_MIN of the rows within 15% (got $within15)" \
    awk -v v="$within15" -v m="$WITHIN_MIN" 'BEGIN { exit !(v >= m) }'
check "at least $COVER_MIN of the measurements inside their 95% interval (got $inside)" \
    awk -v v="$inside" -v m="$COVER_MIN" 'BEGIN { exit !(v >= m) }'
check "median |error| at most $MEDERR_MAX (got $mederr)" \
    awk -v v="$mederr" -v m="$MEDERR_MAX" 'BEGIN { exit !(v <= m) }'
finish
