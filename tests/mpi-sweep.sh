#!/bin/sh
# Integration: sweeps of every collective and datatype on 2 and 4 local ranks,
# validation on; the CSV and JSONL checked against the file contracts and the
# bus-bandwidth factors of docs/method.md, computed here independently.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

CONTRACT="run_id,collective,level,cadence,ranks,nodes,ppn,groups,bytes,block_bytes,dtype,samples,stop,t_min_us,t_median_us,t_ci_lo_us,t_ci_hi_us,t_mean_us,t_p90_us,t_p99_us,t_max_us,algbw_GBps,busbw_GBps,valid"
QUICK="--min-iters 6 --max-iters 30 --time-limit 0.1 --warmup 1 -q"

# check_csv FILE NP ROWS: contract header, orderings, busbw = algbw × F(p).
check_csv() {
    f=$1 np=$2 rows=$3
    check "$f: header starts with the contract" \
        sh -c "head -1 '$f' | grep -q '^$CONTRACT'"
    check "$f: $rows rows" test "$(csv_rows "$f")" -eq "$rows"
    bad=$(awk -F, -v np="$np" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        {
            p = $c["ranks"]; coll = $c["collective"]
            if (p != np) { print "ranks " p " != " np; next }
            if (!($c["t_min_us"] <= $c["t_median_us"] && $c["t_median_us"] <= $c["t_max_us"])) print "min<=median<=max", NR
            if (!($c["t_ci_lo_us"] <= $c["t_median_us"] && $c["t_median_us"] <= $c["t_ci_hi_us"])) print "CI brackets median", NR
            if (!($c["t_median_us"] <= $c["t_p90_us"] && $c["t_p90_us"] <= $c["t_p99_us"] && $c["t_p99_us"] <= $c["t_max_us"])) print "percentiles ordered", NR
            if ($c["valid"] != "pass") print "valid", NR, $c["valid"]
            if ($c["samples"] < 6) print "samples", NR
            F = (coll == "allreduce") ? 2 * (p - 1) / p : (coll == "bcast" || coll == "reduce") ? 1 : (p - 1) / p
            alg = $c["bytes"] / $c["t_median_us"] * 1e-3
            # the CSV prints t with 4 decimals: allow its rounding (5e-5 us) besides 1e-4
            tol = 1e-4 + 6e-5 / $c["t_median_us"]
            if (alg > 0 && (($c["algbw_GBps"] - alg) / alg > tol || (alg - $c["algbw_GBps"]) / alg > tol)) print "algbw", NR
            want = $c["algbw_GBps"] * F
            if (want > 0 && (($c["busbw_GBps"] - want) / want > 1e-4 || (want - $c["busbw_GBps"]) / want > 1e-4)) print "busbw", NR, $c["busbw_GBps"], want
            blocks = (coll == "allreduce" || coll == "bcast" || coll == "reduce") ? 1 : p
            if ($c["bytes"] != $c["block_bytes"] * blocks) print "block_bytes", NR
        }' "$f")
    check "$f: every row consistent ($bad)" test -z "$bad"
}

# Every collective × datatype on 2 ranks, sizes not divisible by p or the type.
for dt in char int32 int64 float double; do
    colls=allgather,alltoall,bcast,gather
    n=4
    [ "$dt" != char ] && colls=allreduce,reduce_scatter,allgather,alltoall,bcast,reduce,gather && n=7
    crun 2 -c $colls -d $dt -m 24,100,1001,64K $QUICK -o "$T/np2-$dt"
    check "np 2 $dt exits 0" test $? -eq 0
    check_csv "$T/np2-$dt/results.csv" 2 $((n * 4))
    check "np 2 $dt JSONL parses" "$top_builddir/tests/jsonl_check" "$T/np2-$dt/results.jsonl" 2 $((n * 4))
done

# 4 oversubscribed ranks: blocking, in place, nonblocking, streaming, validate every.
# -c all is the five collectives (not alltoallv, reduce, gather: named only).
crun 4 -c all -d double -m 4,100,4K,256K $QUICK -o "$T/np4"
check "np 4 exits 0" test $? -eq 0
check "-c all: allgather allreduce alltoall bcast reduce_scatter" \
    test "$(csv_col "$T/np4/results.csv" collective | sort -u | tr '\n' ' ')" = \
         "allgather allreduce alltoall bcast reduce_scatter "

# 4 bytes of double is less than one element: no row for that size
check_csv "$T/np4/results.csv" 4 15
check "np 4 JSONL parses" "$top_builddir/tests/jsonl_check" "$T/np4/results.jsonl" 4 15
crun 4 -c allreduce,allgather,alltoall,reduce_scatter,reduce,gather -d int32 -m 4K,64K --in-place --validate every $QUICK -o "$T/inplace"
check "in place, validate every: exits 0" test $? -eq 0
check_csv "$T/inplace/results.csv" 4 12
check "in_place column set" test "$(csv_col "$T/inplace/results.csv" in_place | sort -u)" = 1
crun 2 -c allreduce,bcast -m 1K,1M --nonblocking --cadence both $QUICK -o "$T/nb"
check "nonblocking, both cadences: exits 0" test $? -eq 0
check_csv "$T/nb/results.csv" 2 8
check "both cadences labelled" test "$(csv_col "$T/nb/results.csv" cadence | sort -u | tr '\n' ' ')" = "isolated streaming "
check "streaming rows record K calls per sample" \
    test "$(awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i;next} $c["cadence"]=="streaming"{print $c["calls_per_sample"]}' "$T/nb/results.csv" | sort -u)" = 8
check "nonblocking rows say so (variant)" test "$(csv_col "$T/nb/results.csv" variant | sort -u)" = nonblocking
check "blocking rows say so (variant)" test "$(csv_col "$T/inplace/results.csv" variant | sort -u)" = blocking
# pingpong has no nonblocking call: said once, and its rows record what was timed.
crun 2 -c pingpong,allreduce -m 1K,64K --nonblocking $QUICK -o "$T/nbpp" 2> "$T/nbpp.err"
check "--nonblocking with pingpong: exits 0" test $? -eq 0
check "--nonblocking with pingpong: warned once" \
    test "$(grep -c 'nonblocking: pingpong has no nonblocking call' "$T/nbpp.err")" -eq 1
check "variant per collective: pingpong blocking, allreduce nonblocking" test \
    "$(awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i;next} {print $c["collective"] "=" $c["variant"]}' "$T/nbpp/results.csv" | sort -u | tr '\n' ' ')" = "allreduce=nonblocking pingpong=blocking "

# --no-raw leaves samples out; default keeps them (jsonl_check counts them).
crun 2 -c bcast -m 1K $QUICK --no-raw -o "$T/noraw"
check "--no-raw: the measurement is written" "$top_builddir/tests/jsonl_check" "$T/noraw/results.jsonl" 2 1
check "--no-raw: no raw_us" sh -c "! grep -q raw_us '$T/noraw/results.jsonl'"

# Stop rules: a tiny iteration cap stops on iters, a tiny time limit on time.
crun 2 -c bcast -m 1M --min-iters 6 --max-iters 6 --precision 0.0001 -q -o "$T/iters"
check "stop = iters at the cap" test "$(csv_col "$T/iters/results.csv" stop)" = iters
check "samples = cap" test "$(csv_col "$T/iters/results.csv" samples)" = 6
crun 2 -c allreduce -m 8M --min-iters 6 --max-iters 100000 --precision 0.00001 --time-limit 0.3 -q -o "$T/time"
check "stop = time at the time limit" test "$(csv_col "$T/time/results.csv" stop)" = time

# A broken result (a fault injected on rank 1 after the validated call) is caught:
# the row says fail, the error names it, and the exit status is 3.
COLLROOF_INJECT_FAULT=1 crun 2 -c allreduce,allgather -d float -m 4K $QUICK -o "$T/fault" 2>"$T/fault.err"
check "injected fault: exit status 3" test $? -eq 3
check "injected fault: rows say fail" test "$(csv_col "$T/fault/results.csv" valid | sort -u)" = fail
check "injected fault: the error names the collective" grep -q 'allreduce world float at 4096 bytes: 1 wrong elements' "$T/fault.err"
# reduce and gather leave their result on rank 0 alone: a fault there is caught,
# nonblocking too; rank 1 has no output to spoil, and passes.
COLLROOF_INJECT_FAULT=0 crun 3 -c reduce,gather -d int32 -m 4K $QUICK --nonblocking -o "$T/rfault" 2>"$T/rfault.err"
check "injected fault at the root of reduce, gather: exit status 3" test $? -eq 3
check "... rows say fail" test "$(csv_col "$T/rfault/results.csv" valid | sort -u)" = fail
check "... the errors name both" sh -c "grep -q 'reduce world int32 at 4096 bytes: 1 wrong elements' '$T/rfault.err' && grep -q 'gather world int32 at 4092 bytes: 1 wrong elements' '$T/rfault.err'"
COLLROOF_INJECT_FAULT=1 crun 3 -c reduce,gather -d int32 -m 4K $QUICK -o "$T/rnofault" 2>/dev/null
rc=$?
check "a fault injected off the root: nothing to spoil, exit 0 ($rc), rows pass" \
    test $rc -eq 0 -a "$(csv_col "$T/rnofault/results.csv" valid | sort -u)" = pass

# Sizes that round to the same bytes (whole floats per rank on 3 ranks) give one row
# each, not duplicates (which collroof-fit warns about and --resume could not tell
# apart), and one warning says so.
crun 3 -c allreduce,bcast -m 1001,1002,1003,4K $QUICK -o "$T/dups" 2>"$T/dups.err"
check "sizes rounding to one byte count: exit 0 ($?), 2 rows per collective, none twice" \
    test "$(csv_rows "$T/dups/results.csv")" = 4 -a \
         "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                   { print $c["collective"], $c["bytes"] }' "$T/dups/results.csv" | sort | uniq -d)" = ""
check "... one warning naming the sizes" \
    test "$(grep -c 'sizes 1001 and 1002 both measure 1000 bytes of allreduce on 3 ranks' "$T/dups.err")" = 1
finish
