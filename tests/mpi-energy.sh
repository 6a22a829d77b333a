#!/bin/sh
# The energy columns against a fake powercap tree whose counters a helper process
# advances at known rates: package PKG_W, DRAM DRAM_W, the package wrapping every
# RANGE / PKG_W seconds. COLLROOF_POWERCAP_ROOT points collroof at the tree.
#
# What must hold: the row's energy per call times the calls made (samples x
# calls_per_sample) is the energy over the reader's window energy_loop_s, which the
# helper spent at PKG_W: E_call * calls / energy_loop_s = PKG_W within TOL. The
# window is the whole sampling loop, barriers and reductions included, so the
# energy per call is at least the power times the median time per call (within
# TOL) and usually more. The helper writes every 10 ms: each reading may lag by a
# write period and a scheduling delay (the ranks run niced so that the helper is not
# starved by their polling); TOL covers that for loops of ~1.2 s. Rows whose loop
# stopped early (the precision target met by quantised times) are too short for a
# 10 ms fake and are left out of the rate checks; at least 4 of 6 must remain.
# Then: an empty tree leaves the columns empty with one warning naming the path,
# and a --time-limit longer than the wrap estimate is warned about once.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
HELPER=
cleanup() {
    [ -n "$HELPER" ] && kill "$HELPER" 2>/dev/null && wait "$HELPER" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PKG_W=900          # µJ per µs
DRAM_W=60
RANGE=3000000000   # µJ: the package wraps every 3.3 s, its stated power limit is the
TOL=0.2            # helper's rate, so collroof's wrap estimate is exactly that
FAKE=$T/powercap
mkdir -p "$FAKE/intel-rapl:0/intel-rapl:0:0" "$FAKE/intel-rapl:0:1"
printf 'package-0\n' >"$FAKE/intel-rapl:0/name"
printf 'dram\n' >"$FAKE/intel-rapl:0/intel-rapl:0:0/name"
printf 'core\n' >"$FAKE/intel-rapl:0:1/name"   # inside the package: never summed
for z in intel-rapl:0 intel-rapl:0/intel-rapl:0:0 intel-rapl:0:1; do
    printf '%s\n' $RANGE >"$FAKE/$z/max_energy_range_uj"
    printf '0\n' >"$FAKE/$z/energy_uj"
done
printf '%s\n' $((PKG_W * 1000000)) >"$FAKE/intel-rapl:0/constraint_0_max_power_uw"

# The helper: energy_uj = (start + W * µs since t0) mod RANGE, every 10 ms, each
# file replaced whole (rename) so that a reader never sees a half-written number;
# it counts its wraps in $T/wraps.
bash -c '
    fake=$1 pkg=$2 dram=$3 range=$4 out=$5
    t0=${EPOCHREALTIME/./}; last=0; wraps=0
    while :; do
        now=${EPOCHREALTIME/./}; us=$((now - t0))
        p=$(((range - 200000000 + pkg * us) % range)); d=$(((dram * us) % range))
        [ $p -lt $last ] && wraps=$((wraps + 1)) && echo $wraps >"$out"
        last=$p
        echo $p >"$fake/intel-rapl:0/e.tmp" && mv "$fake/intel-rapl:0/e.tmp" "$fake/intel-rapl:0/energy_uj"
        echo $d >"$fake/intel-rapl:0/intel-rapl:0:0/e.tmp" &&
            mv "$fake/intel-rapl:0/intel-rapl:0:0/e.tmp" "$fake/intel-rapl:0/intel-rapl:0:0/energy_uj"
        sleep 0.01
    done' helper "$FAKE" $PKG_W $DRAM_W $RANGE "$T/wraps" &
HELPER=$!

# Loops end on the time limit (no precision stop), ~1.2 s each, under the 3.3 s wrap
# period: at most one wrap per loop, and about a third of the loops hold one (so a
# run whose loops all miss the wraps is possible, ~7%: the unit tests check the wrap
# arithmetic itself). On a loaded machine a loop may outlast the period: its row is
# then left empty (with a warning), never wrong.
QUICK="--min-iters 10 --max-iters 1000000 --precision 0.000001 --time-limit 1.2 --warmup 2 -q"
timeout 300 nice -n 5 "$MPIEXEC" -np 2 -x COLLROOF_POWERCAP_ROOT="$FAKE" "$COLLROOF" -c allreduce \
    -m 64K,256K,1M --cadence both $QUICK -o "$T/run" 2>"$T/run.err"
check "fake counters: exits 0" test $? -eq 0
kill "$HELPER" 2>/dev/null && wait "$HELPER" 2>/dev/null
HELPER=
cat "$T/run.err"
check "fake counters: no warning but a loop outlasting the wrap period" \
    test "$(grep warning "$T/run.err" | grep -vc 'energy: the loop took')" -eq 0
check "the helper's package counter wrapped during the run ($(cat "$T/wraps" 2>/dev/null) times)" \
    test "$(cat "$T/wraps" 2>/dev/null || echo 0)" -ge 2
check "6 rows" test "$(csv_rows "$T/run/results.csv")" -eq 6
# one line per row: the columns the checks need, by name
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { print $c["samples"], $c["calls_per_sample"], $c["t_median_us"], $c["bytes"],
            $c["energy_loop_s"], $c["energy_pkg_J_per_call"], $c["energy_pkg_J_per_call_sum"],
            $c["energy_dram_J_per_call"], $c["energy_dram_J_per_call_sum"],
            $c["energy_pJ_per_byte"], $c["energy_pJ_per_byte_sum"] }' "$T/run/results.csv" \
    >"$T/all"
awk 'NF == 11 && $5 >= 0.5' "$T/all" >"$T/rows"   # measured, and long enough for the fake
awk -v pw=$PKG_W -v dw=$DRAM_W '{ n = $1 * $2
    printf "  S=%s loop %.3f s, %d calls: package %.1f W, dram %.1f W; %.4g J/call vs median %.4g J\n",
        $4, $5, n, $6 * n / $5, $8 * n / $5, $6, pw * $3 * 1e-6 }' "$T/rows"
check "every row: all energy columns filled, or none" test -z "$(awk 'NF != 11 && NF != 4' "$T/all")"
check "at least 4 of 6 rows measured with loops of 0.5 s or more" test "$(wc -l <"$T/rows")" -ge 4
check "package: E/call x calls / loop_s = $PKG_W W within $TOL, on every row" test -z "$(awk \
    -v w=$PKG_W -v tol=$TOL '{ p = $6 * $1 * $2 / $5; if (p < w * (1 - tol) || p > w * (1 + tol)) print }' \
    "$T/rows")"
check "dram: E/call x calls / loop_s = $DRAM_W W within $TOL, on every row" test -z "$(awk \
    -v w=$DRAM_W -v tol=$TOL '{ p = $8 * $1 * $2 / $5; if (p < w * (1 - tol) || p > w * (1 + tol)) print }' \
    "$T/rows")"
check "package: E/call >= W x median time per call (1 - $TOL): the loop holds the calls" \
    test -z "$(awk -v w=$PKG_W -v tol=$TOL '$6 < w * $3 * 1e-6 * (1 - tol)' "$T/rows")"
check "one host: sum = max" test -z "$(awk '$6 != $7 || $8 != $9 || $10 != $11' "$T/rows")"
check "pJ/B = (package + dram) per call / bytes x 1e12 (6 digits)" test -z "$(awk \
    '{ e = ($6 + $8) / $4 * 1e12; if ($10 < e * 0.9999 || $10 > e * 1.0001) print }' "$T/rows")"
check "metadata records the zones: package-0 and dram summed, core listed" \
    sh -c "head -1 '$T/run/results.jsonl' | grep -q '\"energy\":{\"package\":true,\"dram\":true' &&
           head -1 '$T/run/results.jsonl' | grep -q '\"zone\":\"intel-rapl:0:1\",\"name\":\"core\",\"kind\":\"other\"'"
check "the JSONL carries the numbers" grep -q '"energy_pkg_J_per_call":[0-9]' "$T/run/results.jsonl"
timeout 60 "$top_builddir/collroof-fit" "$T/run" -o "$T/fit" >"$T/fit.out" 2>&1
check "collroof-fit reads the rows with energy (csv and jsonl)" test $? -eq 0
timeout 60 "$top_builddir/collroof-fit" "$T/run/results.csv" -o "$T/fit2" >>"$T/fit.out" 2>&1
check "collroof-fit reads results.csv with energy" test $? -eq 0

# No counters: an empty tree.
mkdir "$T/empty"
timeout 120 "$MPIEXEC" -np 2 -x COLLROOF_POWERCAP_ROOT="$T/empty" "$COLLROOF" -c allreduce \
    -m 1K,4K --min-iters 5 --max-iters 10 --warmup 1 -q -o "$T/none" 2>"$T/none.err"
check "empty tree: exits 0" test $? -eq 0
cat "$T/none.err"
check "empty tree: one warning, naming the path" \
    test "$(grep -c 'energy' "$T/none.err")" -eq 1 -a \
    "$(grep -c "warning: energy: host .* has no readable powercap (RAPL) energy counters ($T/empty: no package or dram zone" "$T/none.err")" -eq 1
check "empty tree: every energy column empty" test -z "$(awk -F, 'NR == 1 {
    for (i = 1; i <= NF; i++) if ($i ~ /^energy_/) e[i] = 1; next }
    { for (i in e) if ($i != "") print }' "$T/none/results.csv")"
check "empty tree: JSON null" grep -q '"energy_pkg_J_per_call":null' "$T/none/results.jsonl"
timeout 60 "$top_builddir/collroof-fit" "$T/none" -o "$T/fit3" >"$T/fit.out" 2>&1
check "collroof-fit reads the rows with empty energy" test $? -eq 0

# A time limit past the wrap estimate (3.3 s): said once; a short loop still measured.
timeout 120 "$MPIEXEC" -np 2 -x COLLROOF_POWERCAP_ROOT="$FAKE" "$COLLROOF" -c allreduce \
    -m 1K --min-iters 5 --max-iters 10 --warmup 1 --time-limit 9 -q -o "$T/long" 2>"$T/long.err"
check "long time limit: exits 0" test $? -eq 0
cat "$T/long.err"
check "long time limit: one warning naming the wrap estimate" \
    test "$(grep -c 'energy: --time-limit 9 s is longer than 3.33 s' "$T/long.err")" -eq 1 -a \
    "$(grep -c warning "$T/long.err")" -eq 1
check "long time limit: the short loop's row is measured" \
    test -n "$(csv_col "$T/long/results.csv" energy_loop_s)"

# Overlap rows leave energy empty (their loop also runs compute-alone samples); the
# isolated row beside them is measured.
timeout 120 "$MPIEXEC" -np 2 -x COLLROOF_POWERCAP_ROOT="$FAKE" "$COLLROOF" -c allreduce \
    -m 4K --cadence isolated,overlap --min-iters 5 --max-iters 10 --warmup 1 --time-limit 0.2 \
    -q -o "$T/ovl" 2>"$T/ovl.err"
check "overlap cadence: exits 0 ($?); energy on the isolated row, empty on the overlap row" \
    test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                     { print $c["cadence"] ":" ($c["energy_loop_s"] != "") }' "$T/ovl/results.csv" |
            sort | tr '\n' ' ')" = "isolated:1 overlap:0 "
finish
