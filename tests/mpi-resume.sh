#!/bin/bash
# --resume DIR (issue #9): a run cut short — SIGTERM to the launcher, or SIGKILL to a
# rank — is continued with the same options: the measurements it finished are kept,
# the rest measured and appended, and the set of rows equals an uninterrupted run's,
# with no duplicates, results.csv and results.jsonl alike, status.json "complete".
# Torn lines are cut and measured again. Another job (options, --net-if among them,
# also for a run recorded before options held it; ranks), --overwrite,
# -o elsewhere, a missing run or another version's header are refused (exit 2) with
# one message naming the difference. Ranks are signalled by PID only.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
cr_mark rs
trap '[ -n "${CR_TEST_KEEP:-}" ] || rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
FIT=$top_builddir/collroof-fit

# keys DIR: each row's identity (collective level cadence bytes), sorted, from the CSV
keys() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
             { print $c["collective"], $c["level"], $c["cadence"], $c["bytes"] }' \
        "$1/results.csv" | sort
}
# jkeys DIR: the same from results.jsonl (every line must parse)
jkeys() {
    sed 1d "$1/results.jsonl" | sed -n 's/.*"collective":"\([^"]*\)".*"level":"\([^"]*\)".*"cadence":"\([^"]*\)".*"bytes":\([0-9]*\).*/\1 \2 \3 \4/p' | sort
}
# whole: every CSV line has the header's fields and every JSONL line ends in }
whole() {
    awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$1/results.csv" &&
        ! grep -qv '}$' "$1/results.jsonl"
}

# Every measurement samples for its whole --time-limit (a precision it cannot reach):
# ~7 s per sweep, so that a signal sent after a few rows (mpirun forwards it ~1 s
# later) lands mid-sweep.
OPTS=(-q -c allreduce,bcast,allgather -m 8:256K:x4 --time-limit 0.3 --precision 0.0001
      --min-iters 3 --max-iters 1000000 --warmup 1)

# 0. The truth: the same sweep, uninterrupted.
crun 2 "${OPTS[@]}" -o "$T/full" >"$T/full.out" 2>&1
check "uninterrupted run completes (rc $?)" test -s "$T/full/results.csv"
keys "$T/full" >"$T/full.keys"
total=$(wc -l <"$T/full.keys")

# timeout --foreground: our signal goes to mpirun alone, as a user's kill or a batch
# system's to the launcher would. (Without it, timeout signals its whole process
# group, ranks included, and follows with SIGCONT; Open MPI's mpirun then SIGKILLs
# the ranks at once, and rank 0 may die before it records "interrupted":
# docs/options.md, "When things go wrong".)
# cut SIGNAL TARGET DIR ROWS: run the sweep into DIR and send SIGNAL to TARGET
# (launcher or rank1) once DIR holds ROWS rows; prints the exit status.
cut_run() {
    local sig=$1 target=$2 dir=$3 rows=$4 job p=''
    timeout --foreground 300 "$MPIEXEC" -np 2 "$COLLROOF" "${OPTS[@]}" -o "$dir" >"$dir.out" 2>&1 &
    job=$!
    for _ in $(seq 1 300); do
        [ -s "$dir/results.csv" ] && [ "$(csv_rows "$dir/results.csv")" -ge "$rows" ] && break
        sleep 0.1
    done
    t0=$(date +%s.%N)
    if [ "$target" = launcher ]; then kill "-$sig" "$job"
    else p=$(rank_pid 1); [ -n "$p" ] && kill "-$sig" "$p"; fi
    wait "$job"
    echo $?
    awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >"$dir.took"
    # no rank outlives its launcher (a late row would change the files under the test)
    for _ in $(seq 1 100); do
        [ -z "$(rank_pid 0)$(rank_pid 1)" ] && return
        sleep 0.1
    done
    echo "$dir" >>"$T/alive"
}

# 1. SIGTERM to the launcher after a few rows; resume; the rows equal the truth's.
rc=$(cut_run TERM launcher "$T/a" 4)
kept=$(csv_rows "$T/a/results.csv")
check "SIGTERM mid-sweep: non-zero exit ($rc), $kept of $total rows, status $(json_get "$T/a/status.json" status)" \
    test "$rc" != 0 -a "$kept" -lt "$total" -a "$(json_get "$T/a/status.json" status)" = interrupted
crun 2 --resume "$T/a" >"$T/a.res" 2>&1
rc=$?
check "--resume: exit 0 (rc $rc), status complete, resumed_rows $kept" \
    test "$rc" = 0 -a "$(json_get "$T/a/status.json" status)" = complete \
         -a "$(json_get "$T/a/status.json" resumed_rows)" = "$kept"
keys "$T/a" >"$T/a.keys"
check "resumed rows = the uninterrupted run's ($(wc -l <"$T/a.keys") of $total), no duplicates" \
    cmp -s "$T/a.keys" "$T/full.keys"
jkeys "$T/a" >"$T/a.jkeys"
check "results.jsonl holds the same rows ($(sed 1d "$T/a/results.jsonl" | wc -l))" \
    test "$(sed 1d "$T/a/results.jsonl" | wc -l)" = "$total" -a "$(cat "$T/a.jkeys")" = "$(cat "$T/a.keys")"
whole "$T/a"
check "every line whole; one header, one metadata line" \
    test $? = 0 -a "$(grep -cxF "$(head -1 "$T/full/results.csv")" "$T/a/results.csv")" = 1 \
         -a "$(grep -c '"type":"metadata"' "$T/a/results.jsonl")" = 1
check "status.json rows = rows in the file ($(json_get "$T/a/status.json" rows))" \
    test "$(json_get "$T/a/status.json" rows)" = "$total"
"$FIT" --no-plots -o "$T/a.fit" "$T/a" >"$T/a.fit.out" 2>&1
check "collroof-fit fits the resumed run, no incomplete-run note (rc $?)" \
    sh -c "test -s '$T/a.fit/fit.csv' && ! grep -q 'did not complete\|note: run' '$T/a.fit.out'"

# 2. Resuming a complete run measures nothing and changes nothing.
cp "$T/a/results.csv" "$T/a.before"
crun 2 --resume "$T/a" >"$T/a.again" 2>&1
check "--resume of a complete run: exit 0 ($?), results.csv unchanged" cmp -s "$T/a.before" "$T/a/results.csv"

# 3. A rank SIGKILLed (a lost node): status stays "running"; resume completes it.
rc=$(cut_run KILL rank1 "$T/b" 4)
check "rank 1 SIGKILLed: non-zero exit ($rc), fewer rows ($(csv_rows "$T/b/results.csv"))" \
    test "$rc" != 0 -a "$(csv_rows "$T/b/results.csv")" -lt "$total"
check "... the whole job ended $(cat "$T/b.took") s after the kill (at most 20 s)" \
    awk -v t="$(cat "$T/b.took")" 'BEGIN { exit !(t <= 20) }'
crun 2 -q --timeout 120 --resume "$T/b" >"$T/b.res" 2>&1
rc=$?
keys "$T/b" >"$T/b.keys"
check "... --resume (with another --timeout) completes it (rc $rc), rows = the truth's" \
    cmp -s "$T/b.keys" "$T/full.keys"

# 4. Torn lines: half a JSONL line and a CSV row without its JSONL twin are cut,
#    said once, and measured again.
rc=$(cut_run TERM launcher "$T/c" 4)
n=$(csv_rows "$T/c/results.csv")
sed -n '3p' "$T/full/results.csv" >>"$T/c/results.csv"         # a row only the CSV holds
sed -n '3p' "$T/full/results.jsonl" | head -c 40 >>"$T/c/results.jsonl"   # no newline
crun 2 --resume "$T/c" >"$T/c.res" 2>&1
rc=$?
check "torn lines: exit 0 ($rc), one warning that they were cut" \
    test "$rc" = 0 -a "$(grep -c 'not whole in both results files cut' "$T/c.res")" = 1
keys "$T/c" >"$T/c.keys"
whole "$T/c"
check "... rows = the truth's, every line whole" test $? = 0 -a "$(cat "$T/c.keys")" = "$(cat "$T/full.keys")"

# 5. Refusals: exit 2, one message naming the difference, nothing changed.
rc=$(cut_run TERM launcher "$T/d" 3)
cp "$T/d/results.csv" "$T/d.before"
refuse() {   # NAME PATTERN NP ARGS...
    local name=$1 pat=$2 np=$3 rc
    shift 3
    timeout 120 "$MPIEXEC" -np "$np" "$COLLROOF" "$@" >"$T/r.out" 2>"$T/r.err"
    rc=$?
    check "$name: exit 2 (rc $rc), one message naming it, results unchanged" \
        test "$rc" = 2 -a "$(grep -cF -- "$pat" "$T/r.err")" = 1 \
             -a "$(cmp -s "$T/d.before" "$T/d/results.csv" && echo same)" = same
}
refuse "other sizes" "option sizes: the run had" 2 --resume "$T/d" -m 8:1M
refuse "other collectives" "option collectives" 2 --resume "$T/d" -c alltoall
refuse "other ranks" "ranks: the run had 2, this one 3" 3 --resume "$T/d"
refuse "--overwrite" "--overwrite would replace it" 2 --resume "$T/d" --overwrite
refuse "-o elsewhere" "name two directories" 2 --resume "$T/d" -o "$T/elsewhere"
refuse "other --run-id" "but the run's id is" 2 --resume "$T/d" --run-id other
refuse "no run there" "cannot read $T/none/results.jsonl" 2 --resume "$T/none"
# --net-if names the interfaces every row's wire_* columns count: another set would
# mix two interfaces' bytes in one file; the message names both values
check "the metadata records --net-if among the options" \
    grep -q '"options":{[^}]*"net_if":"auto"' "$T/d/results.jsonl"
refuse "other --net-if" 'option net_if: the run had "auto", this one "lo"' 2 --resume "$T/d" --net-if lo
# a run recorded before options held net_if compares as its wire object says (auto)
cp "$T/d/results.jsonl" "$T/d.jsonl"
sed -i '1s/\("options":{[^}]*\),"net_if":"auto"/\1/' "$T/d/results.jsonl"
check "an older run's metadata (no options.net_if) made for the next check" \
    sh -c "! grep -q '\"options\":{[^}]*\"net_if\"' '$T/d/results.jsonl'"
refuse "other --net-if, older run" 'option net_if: the run had "auto", this one "lo"' 2 --resume "$T/d" --net-if lo
cp "$T/d.jsonl" "$T/d/results.jsonl"
sed -i '1s/$/,extra/' "$T/d/results.csv"
cp "$T/d/results.csv" "$T/d.before"
refuse "another version's header" "header is not the one this collroof writes" 2 --resume "$T/d"
# 6. A full disk while resuming: the partial row is cut back to the end of the kept
#    ones (not to the start of the file), and a second resume completes the run.
SHIM=$top_builddir/tests/faultshim.so
rc=$(cut_run TERM launcher "$T/e" 3)
before=$(csv_rows "$T/e/results.csv")
if [ ! -f "$SHIM" ]; then
    skip "disk full while resuming" "tests/faultshim.so not built"
elif [ "$before" -gt $((total - 2)) ]; then
    skip "disk full while resuming" "the cut run kept $before of $total rows: too few left to fill a disk with"
else
    timeout 120 "$MPIEXEC" -np 2 -x LD_PRELOAD="$SHIM" -x FAULTSHIM_ENOSPC_FILE=results.csv \
        -x FAULTSHIM_ENOSPC_LINES=1 "$COLLROOF" --resume "$T/e" >"$T/e.out" 2>&1
    rc=$?
    whole "$T/e"
    check "disk full while resuming: non-zero exit ($rc), the $before kept rows and the 1 new one the disk took stay, whole" \
        test "$rc" != 0 -a $? = 0 -a "$(csv_rows "$T/e/results.csv")" = $((before + 1))
    crun 2 --resume "$T/e" >"$T/e.res" 2>&1
    check "... a second --resume completes it (rc $?): rows = the truth's" \
        test "$(keys "$T/e")" = "$(cat "$T/full.keys")"
fi
check "no rank outlived its launcher by 10 s ($(cat "$T/alive" 2>/dev/null))" test ! -e "$T/alive"
sed -i '1s/,extra$//' "$T/d/results.csv"
crun 2 "${OPTS[@]}" --net-if auto --resume "$T/d" >"$T/d.res" 2>&1
check "the run's options given again, --net-if auto too, are accepted (rc $?)" test "$(keys "$T/d")" = "$(cat "$T/full.keys")"
finish
