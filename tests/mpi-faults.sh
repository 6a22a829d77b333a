#!/bin/sh
# faults_per_call against ground truth. tests/faultshim.so (LD_PRELOAD) makes every
# float MPI_Allreduce fault in exactly K fresh pages, as an MPI library does that
# mallocs a large temporary per call: the column must read K (plus the harness's own
# fraction of a fault per call) on every allreduce row and stay near 0 on the
# allgather rows (not wrapped); collroof-fit's summary notes the allreduce group only.
# Then this machine's own MPI at 32 MiB, as it comes and with glibc told to keep freed
# memory: whatever the library does, the row and the warning agree, and keeping freed
# memory never adds fresh pages.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
QUICK="--min-iters 20 --max-iters 40 --time-limit 0.5 --warmup 2 -q"
SHIM=$top_builddir/tests/faultshim.so
K=64
if [ ! -f "$SHIM" ]; then fail "tests/faultshim.so not built (make check builds it)"; finish; exit; fi

field() { # field FILE COLLECTIVE COLUMN: COLUMN of COLLECTIVE's rows, one per line
    awk -F, -v coll="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["collective"] == coll { print $c[name] }' "$1"
}
timeout 120 "$MPIEXEC" -np 2 -x LD_PRELOAD="$SHIM" -x FAULTSHIM_PAGES=$K "$COLLROOF" \
    -c allreduce,allgather -m 4K,256K $QUICK -o "$T/shim" 2>"$T/shim.err"
check "shim run: exits 0" test $? -eq 0
cat "$T/shim.err"
check "shim run: warned once, for allreduce" \
    test "$(grep -c 'warning: allreduce at 4096 bytes: 64 page faults per call' "$T/shim.err")" -eq 1 \
    -a "$(grep -c 'page faults per call' "$T/shim.err")" -eq 1
check "results.csv has a column faults_per_call" \
    sh -c "head -1 '$T/shim/results.csv' | tr , '\n' | grep -qx faults_per_call"
echo "allreduce faults_per_call: $(field "$T/shim/results.csv" allreduce faults_per_call | tr '\n' ' ')"
echo "allgather faults_per_call: $(field "$T/shim/results.csv" allgather faults_per_call | tr '\n' ' ')"
check "allreduce: 2 rows" test "$(field "$T/shim/results.csv" allreduce faults_per_call | wc -l)" -eq 2
check "allreduce: faults_per_call in [$K, $K + 1] on every row" test -z "$(field "$T/shim/results.csv" \
    allreduce faults_per_call | awk -v k=$K '!($1 >= k && $1 <= k + 1)')"
check "allgather: 2 rows" test "$(field "$T/shim/results.csv" allgather faults_per_call | wc -l)" -eq 2
check "allgather: faults_per_call < 1 on every row" test -z "$(field "$T/shim/results.csv" \
    allgather faults_per_call | awk '!($1 < 1)')"
check "the JSONL carries the same key" grep -q '"faults_per_call":6[45]' "$T/shim/results.jsonl"

# The fitter's note, for the allreduce group only (64 pages = 256 KiB >= 10% of 256K).
FIT=$top_builddir/collroof-fit
"$FIT" --no-plots --bootstrap 20 -o "$T/fit" "$T/shim" >"$T/fit.txt" 2>&1
check "collroof-fit on the shim run: exits 0" test $? -eq 0
grep '^note:' "$T/fit.txt"
check "note for allreduce from 4K to 256K" \
    grep -q "^note: allreduce world isolated p=2: from 4K to 256K every call page-faults" "$T/fit.txt"
check "no note for allgather" sh -c "! grep -q '^note: allgather' '$T/fit.txt'"
"$FIT" --no-plots --bootstrap 20 -o "$T/fitc" "$T/shim/results.csv" >"$T/fitc.txt" 2>&1
check "the note from results.csv too" grep -q "^note: allreduce world isolated p=2" "$T/fitc.txt"

# Without the shim the harness itself faults (well) under once per call.
timeout 120 "$MPIEXEC" -np 2 "$COLLROOF" -c allreduce -m 4K,256K $QUICK -o "$T/plain" \
    2>"$T/plain.err"
check "no shim: 2 rows" test "$(field "$T/plain/results.csv" allreduce faults_per_call | wc -l)" -eq 2
check "no shim: faults_per_call < 1" test -z "$(field "$T/plain/results.csv" allreduce \
    faults_per_call | awk '!($1 < 1)')"
check "no shim: no page-fault warning" sh -c "! grep -q 'page faults per call' '$T/plain.err'"

# A 32 MiB allreduce on this machine's MPI (how many pages it faults in per call is the
# library's and libc's business: Open MPI 4.1 on glibc here, 4098), then with glibc
# told to keep freed memory (here 0). Asserted: each run validates; its row's
# faults_per_call is a number and the warning is there exactly when that number
# crosses the rule (>= 16 pages and >= 10% of the bytes); keeping memory adds none.
for env in "" "MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184"; do
    name=${env:+kept}; name=${name:-defaults}
    xs=""; for e in $env; do xs="$xs -x $e"; done
    timeout 120 "$MPIEXEC" -np 2 $xs "$COLLROOF" -c allreduce -m 32M --min-iters 3 \
        --max-iters 10 --time-limit 1 --warmup 1 -q -o "$T/big-$name" >/dev/null 2>"$T/big-$name.err"
    check "32M allreduce ($name): exits 0" test $? -eq 0
    check "32M allreduce ($name): valid" test "$(field "$T/big-$name/results.csv" allreduce valid)" = pass
    f=$(field "$T/big-$name/results.csv" allreduce faults_per_call)
    diag "32M allreduce ${env:-(defaults)}: median $(field "$T/big-$name/results.csv" allreduce \
        t_median_us) us, faults_per_call $f"
    check "32M allreduce ($name): faults_per_call '$f' is a number >= 0" \
        awk -v f="$f" 'BEGIN { exit !(f ~ /^[0-9]+(\.[0-9]*)?$/) }'
    fresh=$(awk -v f="$f" 'BEGIN { print (f >= 16 && f * 4096 >= 0.1 * 33554432) ? 1 : 0 }')
    check "32M allreduce ($name): warned $fresh time(s), as $f faults per call call for" \
        test "$(grep -c 'allreduce at 33554432 bytes: .* page faults per call' "$T/big-$name.err")" -eq "$fresh"
done
check "glibc keeping freed memory adds no fresh pages ($(field "$T/big-kept/results.csv" allreduce \
    faults_per_call) <= $(field "$T/big-defaults/results.csv" allreduce faults_per_call) + 1)" \
    awk -v k="$(field "$T/big-kept/results.csv" allreduce faults_per_call)" \
        -v d="$(field "$T/big-defaults/results.csv" allreduce faults_per_call)" 'BEGIN { exit !(k <= d + 1) }'

finish
