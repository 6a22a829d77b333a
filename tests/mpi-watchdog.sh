#!/bin/bash
# A run always ends and says how (issue #9): status.json records complete, timed out
# (where) or interrupted (which signal); --timeout's watchdog ends a job whose rank 1
# is SIGSTOPped within seconds of the limit with exit status 4 and one message naming
# the collective, level, size and iteration; SIGTERM to the launcher mid-sweep leaves
# "interrupted" and whole rows; collroof-fit fits such a run and says how it ended.
# Ranks are found by a marker in their environment and signalled by PID only.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
cr_mark wd
stopped=''
cleanup() {
    for p in $stopped; do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
FIT=$top_builddir/collroof-fit

# whole CSV: every line has the header's number of fields
csv_whole() { awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad || NR < 1 }' "$1"; }

# 1. A bad --timeout names itself; 0 turns the watchdog off.
crun 2 --timeout -1 -c bcast -m 8 -o "$T/bad" >"$T/out" 2>"$T/err"
check "--timeout -1: exit 2 (rc $?), naming '-1'" grep -q "bad value '-1' for --timeout" "$T/err"
crun 2 --timeout 0 -q -c bcast -m 8:64 --time-limit 0.05 -o "$T/off" >"$T/out" 2>&1
check "--timeout 0: the run completes (rc $?)" test -s "$T/off/results.csv"

# 2. A complete run says so, with its rows.
crun 2 -q -c allreduce -m 8:1K --time-limit 0.05 -o "$T/ok" >"$T/out" 2>&1
rc=$?
check "complete run: rc $rc, status.json says complete" \
    test "$rc" = 0 -a "$(json_get "$T/ok/status.json" status)" = complete
check "... with its rows ($(json_get "$T/ok/status.json" rows))" \
    test "$(json_get "$T/ok/status.json" rows)" = "$(csv_rows "$T/ok/results.csv")"

# 3. Rank 1 stopped mid-sweep, --timeout 3: the job ends with status 4 within seconds.
timeout 120 "$MPIEXEC" -np 2 "$COLLROOF" -q -c allreduce -m 8:64M --time-limit 2 --timeout 3 \
    -o "$T/hang" >"$T/hang.out" 2>&1 &
job=$!
p1=''
for _ in $(seq 1 100); do
    p1=$(rank_pid 1)
    [ -n "$p1" ] && [ -s "$T/hang/results.csv" ] && [ "$(csv_rows "$T/hang/results.csv")" -ge 3 ] &&
        break
    sleep 0.2
done
if [ -z "$p1" ]; then
    wait "$job"
    bail "rank 1 of the job not found"
fi
t0=$(date +%s.%N)
kill -STOP "$p1"
stopped=$p1
wait "$job"
rc=$?
secs=$(echo "$(date +%s.%N) - $t0" | bc)
kill -CONT "$p1" 2>/dev/null; kill -KILL "$p1" 2>/dev/null; stopped=''
cat "$T/hang.out"
check "rank 1 SIGSTOPped, --timeout 3: exit status 4 (rc $rc)" test "$rc" = 4
check "... within 15 s of the stop ($secs s)" awk -v s="$secs" 'BEGIN { exit !(s <= 15) }'
check "... one timeout message naming allreduce, level world, the size and iteration" \
    test "$(grep -c 'error: timeout: allreduce at level world (isolated), [0-9]* bytes, iteration [0-9]*' "$T/hang.out")" = 1
check "... status.json: timed out in allreduce at level world" \
    test "$(json_get "$T/hang/status.json" status)" = "timed out" -a \
    "$(json_get "$T/hang/status.json" collective)" = allreduce -a \
    "$(json_get "$T/hang/status.json" level)" = world
check "... every row whole" csv_whole "$T/hang/results.csv"
"$FIT" --no-plots -o "$T/hang-fit" "$T/hang" >"$T/fit.out" 2>&1
rc=$?
check "collroof-fit fits the timed-out run (rc $rc) and notes how it ended" \
    grep -q "^note: run .*timed out in allreduce at level world" "$T/fit.out"
inc=$(csv_col "$T/hang-fit/fit.csv" incomplete_rows | sort -u | tr '\n' ' ')
check "fit.csv: incomplete_rows counts the timed-out run's rows in every group ($inc)" \
    test -n "$inc" -a "$(csv_col "$T/hang-fit/fit.csv" incomplete_rows | grep -c '^0$')" = 0

# 3b. Which rank: rank 1 of 3 stops before the barrier of iteration 2 (a testing hook,
#     COLLROOF_INJECT_STALL); the host's progress board lets rank 0 name it.
COLLROOF_INJECT_STALL=1 timeout 120 "$MPIEXEC" -np 3 -x COLLROOF_INJECT_STALL "$COLLROOF" -q \
    -c allreduce -m 8:1K --timeout 2 -o "$T/stall" >"$T/stall.out" 2>&1
rc=$?
check "a rank that never reaches the barrier: exit 4 (rc $rc), the message names rank 1 only" \
    test "$rc" = 4 -a "$(grep -c 'rank 1 on [^ ]* had not reached the barrier of iteration 2' \
                         "$T/stall.out")" = 1
# and with every rank inside the collective, the message says so instead of naming one
grep -q 'every rank on .* had reached the barrier\|had not reached the barrier' "$T/hang.out"
check "SIGSTOPped rank: the message says which ranks reached the barrier, or that all did" test $? = 0

# 4. SIGTERM to the launcher mid-sweep: "interrupted" by signal 15, rows whole.
timeout --foreground 120 "$MPIEXEC" -np 2 "$COLLROOF" -q -c allreduce -m 8:64M --time-limit 2 \
    -o "$T/term" >"$T/term.out" 2>&1 &
job=$!
for _ in $(seq 1 100); do
    [ -s "$T/term/results.csv" ] && [ "$(csv_rows "$T/term/results.csv")" -ge 3 ] && break
    sleep 0.2
done
kill -TERM "$job"
wait "$job"
rc=$?
check "SIGTERM to the launcher: non-zero exit (rc $rc)" test "$rc" -ne 0
check "... status.json: interrupted by signal 15 ($(cat "$T/term/status.json" 2>/dev/null))" \
    test "$(json_get "$T/term/status.json" status)" = interrupted -a \
    "$(json_get "$T/term/status.json" signal)" = 15
check "... every row whole" csv_whole "$T/term/results.csv"
finish
