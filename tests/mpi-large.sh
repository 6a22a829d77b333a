#!/bin/sh
# Messages of 2 GiB and more: a block above INT_MAX elements travels as units of a
# contiguous type (sums by a user op), never clamped; the bytes column, algbw and
# validation use the true size; a size that cannot fit is refused naming the
# true need. The real 2 GiB run is skipped where the host lacks the memory.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

# refused SIZE COLL PER_RANK: refused before allocating, naming PER_RANK per rank.
refused() {
    timeout 60 "$MPIEXEC" -np 2 "$COLLROOF" -c "$2" -m "$1" -q -o "$T/refused" >"$T/out" 2>"$T/err"
    rc=$?
    check "-c $2 -m $1: refused (rc $rc)" test "$rc" -eq 2
    check "-c $2 -m $1: names the true need, $3 per rank: $(grep -m1 error "$T/err")" \
        grep -qF "($3) per rank" "$T/err"
    check "-c $2 -m $1: nothing written" test ! -e "$T/refused/results.csv"
}
refused 1048576G bcast "1048576.0 GiB"
refused 1048576G allreduce "2097152.0 GiB"   # send and receive buffers

# rows_ok DIR ASKED...: one row per asked size, bytes = the size, valid = pass.
rows_ok() {
    local dir=$1; shift
    check "$dir: one row per size" test "$(csv_rows "$dir/results.csv")" -eq $#
    check "$dir: bytes = the sizes asked ($*)" \
        test "$(csv_col "$dir/results.csv" bytes | tr '\n' ' ')" = "$* "
    check "$dir: every row valid = pass" test -z "$(csv_col "$dir/results.csv" valid | grep -vx pass)"
    check "$dir: algbw = bytes / median" awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { want = $col["bytes"] / $col["t_median_us"] / 1e3
          if ($col["algbw_GBps"] < want * 0.999 || $col["algbw_GBps"] > want * 1.001) exit 1 }' \
        "$dir/results.csv"
}

# The large-count path at small sizes: MPI counts of at most 7 elements
# (COLLROOF_MAX_COUNT, testing only), every collective, a reduction type.
COLLROOF_MAX_COUNT=7 crun 2 -c all,pingpong -d int32 -m 256,4K,1M --min-iters 2 --max-iters 4 \
    --warmup 1 -q -o "$T/small" >"$T/out" 2>&1
check "counts at most 7: exit 0 ($(tail -1 "$T/out"))" test $? -eq 0
rows_ok "$T/small" 256 4096 1048576 256 4096 1048576 256 4096 1048576 256 4096 1048576 \
    256 4096 1048576 256 4096 1048576

# A real message above INT_MAX elements: bcast of 2^31 + 2^20 chars (validated once,
# one timed call). Needs 2 × 2 GiB of buffers and room for the MPI library.
need_kb=$((8 * 1024 * 1024))
avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if [ "${avail_kb:-0}" -lt "$need_kb" ]; then
    skip "bcast -d char -m 2049M" "MemAvailable ${avail_kb:-?} kB < $need_kb kB"
else
    crun 2 -c bcast -d char -m 2049M --min-iters 1 --max-iters 1 --warmup 0 --timeout 240 \
        -q -o "$T/big" >"$T/out" 2>&1
    check "bcast -d char -m 2049M: exit 0 ($(tail -1 "$T/out"))" test $? -eq 0
    rows_ok "$T/big" 2148532224
fi
finish
