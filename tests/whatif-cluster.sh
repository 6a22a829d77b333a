#!/bin/bash
# What-if fabrics against measurements they did not see (issue #11): an emulated
# cluster of HOSTS (3) hosts on network namespaces (tests/cluster/netns-cluster), 2
# ranks per host, every link shaped by tbf.
#
# At RATE_A (25mbit): collroof measures allreduce and allgather at levels rail,
# internode and world, with the pingpong probe (the link ceiling the what-if scales
# from), and the node level (reduce_scatter, allgather: the hierarchical model's node
# phases); collroof-fit fits them. The links are then reshaped to each rate of RATES_B
# (50mbit, a faster link; 12500kbit, a slower one) and the same groups measured again
# at 64 KiB-1 MiB (well above the 32 KB burst). predict, from the RATE_A fit only,
# answers each with --level-GBps internode=B (B in GB/s, nominal: the number a user
# has for another NIC), which reprices every fit across nodes (rail, internode,
# world over several hosts); rail=B gives the rail rows the same answer.
#
# Printed per rate B: predicted on the measured fabric, predicted what-if [95%
# interval], measured at B, error, inside/outside, and the what-if alone: its ratio
# (what-if / the fit's answer at A) against the measured ratio (B / A, same size),
# free of the fit's own error; the issue's goal (within 15% at >= 64 KiB, every
# measurement inside its interval); the hierarchical answers at 3 x 2 with their
# rail phase repriced. Asserted for each rate (bounds from repeated runs,
# docs/testing.md): every what-if finite, 0 < lo <= t <= hi and moved the way the
# rate did; rail=B and internode=B agree on rail rows; at least WITHIN_MIN of the
# rows within 15%, COVER_MIN inside their interval, median |error| <= MEDERR_MAX,
# RATIO_MIN of the ratios within 15%.
#
# Why the rates are low: a what-if scales every term of the bandwidth part with the
# link. Here 6 ranks and 3 TCP stacks share 2 cores; up to ~50 Mbit/s the links bind,
# above it the host starts to (world allreduce of 1 MiB ran 1.2x faster at 200 Mbit/s
# than at 100, not 2x), and a what-if from 100 to 200 Mbit/s (or 50 to 100) measures
# the emulator's cores, not the model: those runs came out 10-40% optimistic
# (docs/testing.md). On a cluster whose links bind, as these do below 50 Mbit/s, the
# faster and the slower direction are both checked. A nominal B against the probe's
# measured ceiling (TCP/IP headers: ~96% of nominal at any rate) makes every answer
# ~4% optimistic; the per-message latency does not scale (a bandwidth what-if keeps
# alpha), which is right, and is why 64 KiB rows move less than the rate.
# WHATIF_RATE_A, WHATIF_RATES_B (a list), WHATIF_BURST (tbf; default 25mbit,
# "50mbit 12500kbit", 32kb), WHATIF_HOSTS (default 3) change the setup;
# WHATIF_KEEP=DIR copies results, fits and tables there.
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
RATE_A=${WHATIF_RATE_A:-25mbit}
RATES_B=${WHATIF_RATES_B:-${WHATIF_RATE_B:-50mbit 12500kbit}}
BURST=${WHATIF_BURST:-32kb}
HOSTS=${WHATIF_HOSTS:-3}
# Asserted bounds (docs/testing.md has the runs they come from); the issue's goals
# (every row within 15%, every measurement inside its interval) are printed beside.
# Five runs here (25 -> 50 and 25 -> 12.5 Mbit/s; two with more sizes at A, one
# beside a build): within 15% 0.83-0.89 (0.78 beside the build), inside 0.89-1.00,
# median |error| 3.5-6.3%; the what-if's ratio within 15% of the measured B / A in
# 177 of 180 rows (largest 20.6%). The rows beyond 15% are the 6-rank world ring
# (and internode) at 1 MiB, where the rate-A fit itself misses its own 1 MiB
# measurement by ~15% (a bump at that size at every rate) while the ratio is right.
WITHIN_MIN=${WHATIF_WITHIN_MIN:-0.55}
COVER_MIN=${WHATIF_COVER_MIN:-0.80}
MEDERR_MAX=${WHATIF_MEDERR_MAX:-0.15}
RATIO_MIN=${WHATIF_RATIO_MIN:-0.85}
COLLS=allreduce,allgather

cluster_init whatif "${WHATIF_KEEP:-}" 'a-*' 'b-*' 'fit-*' '*.txt' '*.csv'
[ -x "$COLLROOF" ] && [ -x "$FIT" ] || bail "collroof or collroof-fit not built"

# tbf rate in GB/s (1e9 B/s): 100mbit -> 0.0125.
gbps() {
    awk -v r="$1" 'BEGIN { n = r + 0; u = tolower(r); sub(/^[0-9.]+/, "", u)
        m = u == "kbit" ? 1e3 : u == "mbit" ? 1e6 : u == "gbit" ? 1e9 : u == "bit" ? 1 : -1
        if (m < 0 || n <= 0) exit 1; printf "%.6g", n * m / 8 / 1e9 }'
}
GB_A=$(gbps "$RATE_A") || bail "rates must be NUMBER{bit,kbit,mbit,gbit} (got $RATE_A)"
for r in $RATES_B; do
    gbps "$r" >/dev/null || bail "rates must be NUMBER{bit,kbit,mbit,gbit} (got $r)"
done
[ -n "$RATES_B" ] || bail "WHATIF_RATES_B is empty"

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
for r in $RATES_B; do
    "$CLUSTER" shape "$r" --burst "$BURST" || bail "reshape to $r"
    measure "$COLLS,pingpong" rail,internode,world 64K:1M:x4 "$WORK/b-$r"
done
diag "measured in $(($(date +%s) - start)) s"

"$FIT" --no-plots --bootstrap 50 -o "$WORK/fit-a" "$WORK/a-node" "$WORK/a-across" \
    >"$WORK/fit-a.txt" 2>&1 || { cat "$WORK/fit-a.txt"; bail "collroof-fit (rate A) failed"; }
link() {   # FITDIR: the internode link ceiling the fit recorded (GB/s)
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["level"] == "internode" && $c["link_ceiling_GBps"] != "" { v = $c["link_ceiling_GBps"] }
        END { print v + 0 }' "$1/fit.csv"
}
link_a=$(link "$WORK/fit-a")
# The rate-A groups as measured (the same sizes as B's): collective level ranks bytes t.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["collective"] != "pingpong" {
        print $c["collective"], $c["level"], $c["ranks"], $c["bytes"], $c["t_median_us"] }' \
    "$WORK/a-across/results.csv" >"$WORK/a-meas.txt"
check "the probe measured the link ceiling at $RATE_A ($link_a GB/s)" \
    awk -v l="$link_a" -v n="$GB_A" 'BEGIN { exit !(l > 0.8 * n && l < 1.1 * n) }'

# One rate B: the what-ifs from the rate-A fit against its measurement.
whatif() {   # RATE
    local r=$1 B W=$WORK/b-$1 bad=0 same faster c lv p s n inside within15 mederr meanerr \
        nonpos missing link_b
    B=$(gbps "$r")
    faster=$(awk -v a="$GB_A" -v b="$B" 'BEGIN { print (b > a) }')
    "$FIT" --no-plots --bootstrap 0 -o "$WORK/fit-$r" "$W" >"$WORK/fit-$r.txt" 2>&1 ||
        { cat "$WORK/fit-$r.txt"; bail "collroof-fit (rate $r) failed"; }
    link_b=$(link "$WORK/fit-$r")
    diag "links: $RATE_A nominal $GB_A GB/s, probe $link_a; $r nominal $B GB/s, probe $link_b"
    # The rate-B groups: collective level ranks bytes t_median_us.
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["collective"] != "pingpong" && $c["bytes"] >= 65000 {
            print $c["collective"], $c["level"], $c["ranks"], $c["bytes"], $c["t_median_us"] }' \
        "$W/results.csv" >"$W.meas.txt"
    check "$r: measured every group ($(wc -l <"$W.meas.txt") rows)" \
        [ "$(wc -l <"$W.meas.txt")" -ge 12 ]
    # The what-if from the rate-A fit, for each measured group; world also hierarchical.
    while read -r c lv p s _; do
        topo=()
        [ "$lv" = world ] && topo=(--nodes "$HOSTS" --ppn 2)
        "$FIT" predict --fit "$WORK/fit-a" --collective "$c" --level "$lv" --bytes "$s" \
            --ranks "$p" "${topo[@]}" --level-GBps "internode=$B" --csv "$W.pred.csv" \
            >>"$W.predict.txt" 2>"$W.pred.err" || { cat "$W.pred.err"; bad=$((bad + 1)); }
        if [ "$lv" = rail ]; then
            "$FIT" predict --fit "$WORK/fit-a" --collective "$c" --level rail --bytes "$s" \
                --ranks "$p" --level-GBps "rail=$B" --csv "$W.pred-rail.csv" >/dev/null \
                2>"$W.pred.err" || { cat "$W.pred.err"; bad=$((bad + 1)); }
        fi
    done <"$W.meas.txt"
    check "$r: predict answered every what-if query" [ "$bad" = 0 ]
    same=$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        FNR == NR { if ($c["level"] == "rail") r[$1 " " $5] = $c["t_us"]; next }
        $c["level"] == "rail" { n++; if (r[$1 " " $5] != $c["t_us"]) d++ }
        END { print n + 0, d + 0 }' "$W.pred.csv" "$W.pred-rail.csv")
    check "$r: rail=B and internode=B give the rail rows the same answer (rows, differing: $same)" \
        awk -v s="$same" 'BEGIN { split(s, f, " "); exit !(f[1] > 0 && f[2] == 0) }'

    # collective level ranks bytes t lo hi t_measured_fabric (flat rows; by column name)
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["level"] != "hierarchical" { print $c["collective"], $c["level"], $c["ranks"],
            $c["bytes"], $c["t_us"], $c["t_lo_us"], $c["t_hi_us"], $c["t_measured_us"] }' \
        "$W.pred.csv" >"$W.pred.txt"
    awk -v faster="$faster" '
        FILENAME == ARGV[1] { a[$1 " " $2 " " $3 " " $4] = $5; next }
        FILENAME == ARGV[2] { k = $1 " " $2 " " $3 " " $4; t[k] = $5; lo[k] = $6; hi[k] = $7; tm[k] = $8; next }
        { k = $1 " " $2 " " $3 " " $4
          if (!(k in t)) { printf "no prediction for %s\n", k; miss++; next }
          if (!(t[k] > 0 && lo[k] > 0 && lo[k] <= t[k] && t[k] <= hi[k] &&
                (faster ? t[k] < tm[k] : t[k] > tm[k]))) nonpos++
          e = t[k] / $5 - 1; ae = e < 0 ? -e : e; in_ = $5 >= lo[k] && $5 <= hi[k]
          n++; inside += in_; w15 += ae <= 0.15; err[n] = ae; sum += e
          if ($2 != "world") { n1++; w1 += ae <= 0.15; if (ae > max1) max1 = ae }
          # The what-if alone: its ratio (what-if / the fit on the measured fabric)
          # against the measured ratio (B / A at the same size), free of the fit error.
          re = "    -"
          if (a[k] > 0 && tm[k] > 0) {
              x = (t[k] / tm[k]) / ($5 / a[k]) - 1; nr++; ax = x < 0 ? -x : x
              r15 += ax <= 0.15; if (ax > rmax) rmax = ax; re = sprintf("%+5.1f%%", 100 * x) }
          printf "%-10s %-9s p=%d %8d  A-fabric %9.0f  what-if %9.0f [%9.0f, %9.0f]  measured %9.0f  %+6.1f%%  %s  ratio %s\n", \
              $1, $2, $3, $4, tm[k], t[k], lo[k], hi[k], $5, 100 * e, in_ ? "inside" : "OUTSIDE", re }
        END {
          for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (err[j] < err[i]) { x = err[i]; err[i] = err[j]; err[j] = x }
          med = n ? (n % 2 ? err[(n + 1) / 2] : (err[n / 2] + err[n / 2 + 1]) / 2) : -1
          printf "SUMMARY n=%d inside=%.3f within15=%.3f median_abs_err=%.3f mean_err=%+.3f nonpositive=%d missing=%d ratio_within15=%.3f ratio_max=%.3f\n", \
              n, n ? inside / n : 0, n ? w15 / n : 0, med, n ? sum / n : 0, nonpos, miss, \
              nr ? r15 / nr : 0, rmax
          printf "ONE-PER-HOST rail and internode: %d of %d within 15%%, largest |error| %.1f%%\n", \
              w1, n1, 100 * max1 }' \
        "$WORK/a-meas.txt" "$W.pred.txt" "$W.meas.txt" >"$W.table.txt"
    diag "rate-A fit ($RATE_A) with --level-GBps internode=$B against the $r measurement:"
    cat "$W.table.txt"
    diag "the hierarchical answers at ${HOSTS}x2 (rail phase repriced; world rows above, in order):"
    grep '^  hierarchical  measured' "$W.predict.txt" | sed 's/^  hierarchical  /  /'
    read -r _ n inside within15 mederr meanerr nonpos missing rwithin15 rmax < <(grep '^SUMMARY' "$W.table.txt" |
        sed 's/[a-z_0-9]*=//g')
    diag "$r: issue #11 goal: every row within 15% (got $within15) and inside its interval (got $inside); median |error| $mederr, mean error $meanerr"
    check "$r: every measurement has its what-if prediction ($n compared)" \
        [ "$missing" = 0 -a "${n:-0}" -gt 0 ]
    check "$r: every what-if finite, 0 < lo <= t <= hi, moved the way the rate did ($([ "$faster" = 1 ] && echo faster || echo slower) link: $([ "$faster" = 1 ] && echo faster || echo slower))" \
        [ "$nonpos" = 0 ]
    check "$r: at least $WITHIN_MIN of the rows within 15% (got $within15)" \
        awk -v v="$within15" -v m="$WITHIN_MIN" 'BEGIN { exit !(v >= m) }'
    check "$r: at least $COVER_MIN of the measurements inside their 95% interval (got $inside)" \
        awk -v v="$inside" -v m="$COVER_MIN" 'BEGIN { exit !(v >= m) }'
    check "$r: median |error| at most $MEDERR_MAX (got $mederr)" \
        awk -v v="$mederr" -v m="$MEDERR_MAX" 'BEGIN { exit !(v <= m) }'
    diag "$r: the what-if's ratio against the measured ratio B / A: within 15% in $rwithin15 of the rows, largest |error| $rmax"
    check "$r: at least $RATIO_MIN of the what-if ratios within 15% of the measured B / A (got $rwithin15)" \
        awk -v v="$rwithin15" -v m="$RATIO_MIN" 'BEGIN { exit !(v >= m) }'
}
for r in $RATES_B; do whatif "$r"; done
finish
