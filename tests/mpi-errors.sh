#!/bin/sh
# Bad input: one clear message from rank 0 naming the bad value, a non-zero exit
# of every rank within seconds, no MPI abort noise, no half-written files.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

# expect_error NAMED ARGS...: 4 ranks; exit != 0 within 30 s (mpirun start-up,
# which a slow name lookup can stretch to seconds, included); exactly one error
# line, naming NAMED; no abort noise.
expect_error() {
    named=$1; shift
    start=$(date +%s)
    timeout 60 "$MPIEXEC" -np 4 "$COLLROOF" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    secs=$(( $(date +%s) - start ))
    check "'$*': non-zero exit (rc $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
    check "'$*': done in $secs s (mpirun start-up included)" test "$secs" -le 30
    check "'$*': exactly one error line" test "$(grep -c 'error' "$T/err")" -eq 1
    check "'$*': the message names '$named'" grep -qF -- "$named" "$T/err"
    check "'$*': no abort noise" sh -c "! grep -qiE 'MPI_ABORT was invoked|exited on signal|Segmentation' '$T/err'"
}

expect_error "'nosuch'" -c nosuch
expect_error "'allreduce,'" -c allreduce,
expect_error "'0'" -m 0
expect_error "'64M:8'" -m 64M:8
expect_error "'8:16:x1'" -m 8:16:x1
expect_error "'-1'" --precision -1
expect_error "'quad'" --dtype quad
expect_error "--dtype char cannot be summed by allreduce" -c allreduce -d char
expect_error "'moon'" --levels moon
expect_error "'--frobnicate'" --frobnicate
# A bad option after a good one with its value: the bad one is named, once (a
# character of two bytes whole), never the value before it.
expect_error "'-ü'" -c bcast -ü
check "'-c bcast -ü': '-ü' named once, 'bcast' not" \
    test "$(grep -oF -- "'-ü'" "$T/err" | wc -l)" -eq 1 -a -z "$(grep -F "'bcast'" "$T/err")"
expect_error "'--quiet' takes no value" -c bcast --quiet=1
expect_error "'maybe'" --validate maybe
expect_error "--min-iters 50 is larger than --max-iters 10" --min-iters 50 --max-iters 10
# Bad input that every rank sees alike ends with MPI_Finalize and status 2 on every
# rank, never MPI_Abort: mpirun exits 2, the message is there once, no abort text
# (Open MPI's own notice of a non-zero exit remains: the launcher prints it).
for args in "--bogus" "-c bcast -m 1048576G"; do
    timeout 60 "$MPIEXEC" -np 2 "$COLLROOF" $args -o "$T/agreed" >"$T/out" 2>&1
    rc=$?
    check "'$args' on 2 ranks: exit status 2 (rc $rc)" test "$rc" -eq 2
    check "'$args' on 2 ranks: one error message" test "$(grep -c 'collroof: error' "$T/out")" -eq 1
    check "'$args' on 2 ranks: no MPI_Abort" sh -c "! grep -qi 'MPI_ABORT' '$T/out'"
done

# Unwritable output directory: nothing may be left behind half-written.
mkdir -p "$T/ro" && chmod 500 "$T/ro"
if [ "$(id -u)" -eq 0 ]; then RO=/proc/collroof-out; else RO="$T/ro/out"; fi
expect_error "$RO" -c bcast -m 1K -o "$RO"
# Sizes that cannot fit in memory are refused before allocating, naming the bytes: one
# buffer larger than all this host has available (MemAvailable), whatever its size.
huge=$(awk '/^MemAvailable:/ { print int($2 / 1048576) + 1 }' /proc/meminfo)G
expect_error "bytes" -c allreduce -d double -m "$huge" -o "$T/huge"
check "nothing written for a refused size" test ! -e "$T/huge/results.csv"

# An earlier run's results are never overwritten by accident.
crun 2 -c bcast -m 1K --max-iters 10 -q -o "$T/again" >/dev/null 2>&1
cp "$T/again/results.csv" "$T/again.before"
expect_error "already holds results.csv" -c bcast -m 1K --max-iters 10 -q -o "$T/again"
check "the earlier results are untouched" cmp -s "$T/again/results.csv" "$T/again.before"
crun 2 -c bcast -m 1K --max-iters 10 -q --overwrite -o "$T/again" >/dev/null 2>&1
check "--overwrite replaces them" test $? -eq 0

# A run killed mid-sweep keeps every finished measurement, whole: CSV rows with
# all their fields, JSONL lines that parse (the JSONL may be one row behind). The
# sweep is long (every size samples for its full second); once 3 rows are written,
# whatever the machine's speed (bounded at 120 s), every rank gets SIGTERM, as a
# batch system's time limit sends it, and the files are read once the ranks are gone.
timeout 300 "$MPIEXEC" -np 2 "$COLLROOF" -c allreduce,allgather -m 1K:64M --precision 1e-6 \
    --max-iters 100000000 --time-limit 1 -q -o "$T/killed" >/dev/null 2>&1 &
killpid=$!
for _ in $(seq 1 600); do
    [ -f "$T/killed/results.csv" ] && [ "$(csv_rows "$T/killed/results.csv")" -ge 3 ] && break
    kill -0 $killpid 2>/dev/null || break
    sleep 0.2
done
launcher=$(pgrep -P $killpid)                      # timeout -> mpirun -> the ranks
ranks=$(for l in $launcher; do pgrep -P "$l"; done)
kill -TERM $ranks 2>/dev/null
for _ in $(seq 1 150); do
    alive=0; for r in $ranks; do kill -0 "$r" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
done
check "killed run: $(echo $ranks | wc -w) ranks ended by SIGTERM" test -n "$ranks" -a $alive = 0
wait $killpid
check "killed run: the launcher reports the failure (status $?)" test $? -ne 0
rows=$(csv_rows "$T/killed/results.csv")
jrows=$(($(wc -l <"$T/killed/results.jsonl") - 1))
check "killed run: $rows finished rows kept" test "$rows" -ge 3
check "killed run: every CSV row whole" \
    awk -F, 'NR == 1 { n = NF } NR > 1 && (NF != n || !/,(pass|fail|skipped),/) { exit 1 }' "$T/killed/results.csv"
check "killed run: JSONL has $jrows lines for $rows rows" test "$jrows" -eq "$rows" -o "$jrows" -eq $((rows - 1))
check "killed run: every JSONL line parses" "$top_builddir/tests/jsonl_check" "$T/killed/results.jsonl" 2 "$jrows"

# A full disk (tests/faultshim.so fills it after 3 rows, 20 bytes into the 4th): the
# row is written whole or not at all. The file that filled up is truncated back to its
# last whole row, the row just written to the other file is removed too, one error
# names the file and ENOSPC, and collroof-fit fits the rows kept.
SHIM=$top_builddir/tests/faultshim.so
for f in results.jsonl results.csv; do
    if [ ! -f "$SHIM" ]; then skip "disk full in $f" "tests/faultshim.so not built"; continue; fi
    d=$T/full-${f#results.}
    timeout 120 "$MPIEXEC" -np 2 -x LD_PRELOAD="$SHIM" -x FAULTSHIM_ENOSPC_FILE="$f" \
        -x FAULTSHIM_ENOSPC_LINES=4 "$COLLROOF" -c allreduce -m 1K,2K,4K,8K,16K --max-iters 10 \
        --min-iters 5 -q -o "$d" >"$T/out" 2>"$T/err"
    rc=$?
    check "disk full in $f: non-zero exit (rc $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
    check "disk full in $f: one error, naming the file and the cause" \
        test "$(grep -c 'error' "$T/err")" -eq 1 -a \
        "$(grep -c "cannot write $d/$f: No space left on device" "$T/err")" -eq 1
    check "disk full in $f: 3 whole rows in results.csv" test "$(csv_rows "$d/results.csv")" -eq 3
    check "disk full in $f: 3 whole rows in results.jsonl" "$top_builddir/tests/jsonl_check" \
        "$d/results.jsonl" 2 3
    check "disk full in $f: both files end with a newline" \
        test "$(tail -c 1 "$d/results.csv" | od -An -c | tr -d ' ')" = '\n' -a \
        "$(tail -c 1 "$d/results.jsonl" | od -An -c | tr -d ' ')" = '\n'
    "$top_builddir/collroof-fit" --no-plots --bootstrap 10 -o "$d/fit" "$d" >"$T/out" 2>"$T/err"
    rc=$?
    check "disk full in $f: collroof-fit fits the 3 rows kept (rc $rc), no torn line" \
        test "$rc" -eq 0 -a "$(grep -c 'torn\|error:' "$T/err")" -eq 0 -a \
        "$(grep -c ', 3 measurements' "$T/out")" -eq 1
done

# Output files are created, never written through a symbolic link: a dangling
# results.csv link in the run directory is refused, with or without --overwrite, and
# nothing appears where it points.
mkdir -p "$T/lnk"
ln -s "$T/outside.csv" "$T/lnk/results.csv"
for ow in "" --overwrite; do
    timeout 60 "$MPIEXEC" -np 2 "$COLLROOF" -q -c bcast -m 8 --time-limit 0.05 $ow -o "$T/lnk" \
        >"$T/out" 2>"$T/err"
    rc=$?
    check "results.csv a dangling symlink${ow:+ ($ow)}: refused (rc $rc): $(grep -m1 error "$T/err")" \
        test "$rc" -ne 0 -a ! -e "$T/outside.csv"
done
check "... the message says why" grep -qE "symbolic link|already exists" "$T/err"

# A good run still exits 0, and --help / --version print once.
timeout 60 "$MPIEXEC" -np 2 "$COLLROOF" --help >"$T/help" 2>&1
check "--help exits 0" test $? -eq 0
check "--help printed once" test "$(grep -c '^Usage' "$T/help")" -eq 1
timeout 60 "$MPIEXEC" -np 2 "$COLLROOF" --version >"$T/ver" 2>&1
check "--version printed once" test "$(grep -c '^collroof ' "$T/ver")" -eq 1

finish
