#!/bin/sh
# alltoallv under --skew on 2 and 4 ranks: hot:1.0:1 sends every byte to one rank,
# which receives p times what a balanced rank does (self-sends count), and the row
# says so exactly; zipf:0 routes as uniform; validation passes (blocking and
# nonblocking); the skew columns and the metadata record the routing; bad specs
# are refused with exit 2 and one message naming the value; collroof-fit reads it.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
OPTS="-q --max-iters 10 --min-iters 3 --time-limit 0.2 --warmup 1"
SIZES=4K,64K,1M

# cols FILE NAME...: those columns of every data row, comma-separated.
cols() {
    f=$1; shift
    awk -F, -v names="$*" 'NR == 1 { n = split(names, want, " ")
                                     for (i = 1; i <= NF; i++) at[$i] = i; next }
                           { line = ""
                             for (k = 1; k <= n; k++) line = line (k > 1 ? "," : "") $at[want[k]]
                             print line }' "$f"
}

for np in 2 4; do
    crun $np -c alltoallv --skew hot:1.0:1 -m $SIZES $OPTS -o "$T/hot$np" 2>"$T/err"
    check "hot:1.0:1 on $np ranks runs" test $? -eq 0
    f="$T/hot$np/results.csv"
    check "hot:1.0:1 on $np ranks: 3 rows" test "$(csv_rows "$f")" -eq 3
    check "hot:1.0:1 on $np ranks: validation passes" \
        test "$(csv_col "$f" valid | sort -u)" = pass
    check "hot:1.0:1 on $np ranks: skew column" test "$(csv_col "$f" skew | sort -u)" = hot:1.0:1
    check "hot:1.0:1 on $np ranks: skew_seed column (default 1)" \
        test "$(csv_col "$f" skew_seed | sort -u)" = 1
    check "hot:1.0:1 on $np ranks: imbalance is exactly $np" \
        test "$(csv_col "$f" imbalance | sort -u)" = $np
    check "hot:1.0:1 on $np ranks: max_recv_bytes = $np x bytes" \
        test -z "$(cols "$f" bytes max_recv_bytes | awk -F, -v p=$np '$2 != p * $1')"
    check "hot:1.0:1 on $np ranks: busbw = algbw x (p-1)/p" \
        test -z "$(cols "$f" algbw_GBps busbw_GBps |
                   awk -F, -v p=$np '{ r = $2 / ($1 * (p - 1) / p); if (r < 0.999 || r > 1.001) print }')"

    for s in uniform zipf:0; do
        crun $np -c alltoallv --skew $s --skew-seed 7 -m $SIZES $OPTS --nonblocking \
            -o "$T/$s$np" 2>"$T/err"
        check "$s on $np ranks (nonblocking) runs and validates" \
            test $? -eq 0 -a "$(csv_col "$T/$s$np/results.csv" valid | sort -u)" = pass
    done
    check "zipf:0 and uniform on $np ranks: same max_recv_bytes and imbalance" \
        test "$(cols "$T/uniform$np/results.csv" bytes max_recv_bytes imbalance)" = \
             "$(cols "$T/zipf:0$np/results.csv" bytes max_recv_bytes imbalance)"
    check "uniform on $np ranks: imbalance >= 1 (multinomial noise), far below p" \
        test -z "$(csv_col "$T/uniform$np/results.csv" imbalance | awk -v p=$np '$1 < 1 || $1 >= p')"
done

# zipf:1.2 beside alltoall: other collectives leave the skew columns empty; the
# metadata records the routing; collroof-fit reads the run.
crun 4 -c alltoall,alltoallv --skew zipf:1.2 --skew-seed 42 -m 8K,256K $OPTS -o "$T/z" 2>"$T/err"
check "zipf:1.2 with alltoall runs" test $? -eq 0
f="$T/z/results.csv"
check "alltoall rows: empty skew, zero max_recv_bytes" \
    test "$(awk -F, 'NR > 1 && $2 == "alltoall"' "$f" | wc -l)" -eq 2 -a \
         -z "$(cols "$f" collective skew max_recv_bytes |
               awk -F, '$1 == "alltoall" && ($2 != "" || $3 != 0)')"
check "alltoallv rows: zipf:1.2, seed 42, imbalance > 1" \
    test -z "$(cols "$f" collective skew skew_seed imbalance |
               awk -F, '$1 == "alltoallv" && ($2 != "zipf:1.2" || $3 != 42 || $4 <= 1)')"
check "metadata options record skew and skew_seed" \
    sh -c "head -1 '$T/z/results.jsonl' | grep -q '\"skew\": *\"zipf:1.2\"' &&
           head -1 '$T/z/results.jsonl' | grep -q '\"skew_seed\": *42'"
crun 4 -c alltoallv --skew zipf:1.2 --skew-seed 42 -m 8K,256K $OPTS -o "$T/z2" 2>"$T/err"
check "the same seed gives the same max_recv_bytes" \
    test "$(cols "$T/z2/results.csv" max_recv_bytes)" = \
         "$(cols "$f" collective max_recv_bytes | awk -F, '$1 == "alltoallv" { print $2 }')"
"$top_builddir/collroof-fit" -o "$T/fit" "$T/z" "$T/hot4" >"$T/fitout" 2>"$T/fiterr"
check "collroof-fit accepts alltoallv rows" test $? -eq 0
check "collroof-fit keeps zipf:1.2 and hot:1.0:1 apart (fit.csv column skew)" \
    test "$(cols "$T/fit/fit.csv" collective skew | grep alltoallv | sort -u | tr '\n' ' ')" = \
         "alltoallv,hot:1.0:1 alltoallv,zipf:1.2 "
check "collroof-fit labels the groups with their routing" \
    sh -c "grep -q 'alltoallv/zipf:1.2' '$T/fitout' && grep -q 'alltoallv/hot:1.0:1' '$T/fitout'"

# Bad routings: exit 2, exactly one error line naming the value.
refused() { # refused NAMED ARGS...
    named=$1; shift
    crun 4 "$@" -m 4K -q -o "$T/bad" >"$T/out" 2>"$T/err"
    rc=$?
    check "'$*': exit 2 (rc $rc)" test $rc -eq 2
    check "'$*': one error line naming $named" \
        test "$(grep -c 'error' "$T/err")" -eq 1 -a -n "$(grep -F -- "$named" "$T/err")"
}
for s in zipf:-1 hot:2:1 hot:0.5:0 hot:0.5:99 foo; do
    refused "'$s'" -c alltoallv --skew $s
done
refused "'x'" -c alltoallv --skew-seed x
refused "--skew zipf:1.2" -c all --skew zipf:1.2
finish
