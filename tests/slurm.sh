#!/bin/bash
# collroof under Slurm: a private slurmctld + 2 fake slurmd nodes (tests/slurm/slurm-up),
# all inside a fresh network namespace that has only loopback (so no Slurm, munge or
# MPI packet can leave the machine) when `unshare --net` works.
# In the private namespace every slurmd has its own UTS namespace (slurm-up --uts):
# hostnames n1, n2, so collroof sees 2 nodes.
# 1. sbatch scripts/collroof.sbatch with srun --mpi=pmix on 2 nodes x 2 tasks:
#    the job completes and results.csv / placement.csv hold 4 ranks on 2 hosts,
#    results say nodes=2 (with UTS namespaces), the log prints status.json.
# 2. the same template with mpirun inside a 1 node x 2 tasks allocation.
# 3. A validation failure (COLLROOF_INJECT_FAULT): collroof-fit runs on the rows anyway
#    and the job fails with exit status 3; a failing collroof-fit fails the job (1).
# 4. SIGTERM to the batch script (what --signal=B:TERM@120 sends before the time
#    limit): collroof records "interrupted", the rows are fitted, the job ends with
#    143 and its log says how to resume; the printed sbatch line, run, completes the
#    run: every row once, status complete.
# 5. scripts/collroof-campaign in Slurm mode, nodes 1,2 x ppn 1, --wait: every cell
#    complete in cells.csv, the fit in camp/fit, the whole command line recorded.
# 6. --wait on partition "one" (MaxNodes=1) with --timeout 12: cell n2 pends forever
#    (PartitionNodeLimit) and is cancelled as unschedulable at once; cell n1's job
#    outlasts the timeout and is cancelled, its rows fitted; no job left queued.
# 7. Without --wait, with a cell that fails at run time: the dependent fit job
#    (collroof-campaign --finish) fits the cell that ran and writes the final states.
# Skips (77) without root or without the Slurm/munge daemons installed.
# make distcheck sets CR_TEST_QUICK=1: these ran in the main pass already.
[ "${CR_TEST_QUICK:-0}" = 1 ] && { echo "1..0 # SKIP CR_TEST_QUICK=1"; exit 0; }
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/tap.sh"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
PATH=$PATH:/usr/sbin:/sbin
COLLROOF=$top_builddir/collroof
FITBIN=$top_builddir/collroof-fit
TEMPLATE=$top_srcdir/scripts/collroof.sbatch

skip() { skip_all "$*"; }

[ "$(id -u)" = 0 ] || skip "needs root (slurmd, munged)"
for p in slurmctld slurmd munged sbatch srun squeue scontrol; do
    command -v "$p" >/dev/null 2>&1 || skip "$p not installed (apt-get install slurm-wlm munge)"
done
[ -x "$COLLROOF" ] || bail "$COLLROOF not built"

# Private network (loopback only), hostname and /etc/hosts for everything below.
if [ -z "${CR_SLURM_TEST_NS:-}" ] && unshare --net --mount --uts true 2>/dev/null; then
    export CR_SLURM_TEST_NS=1
    exec unshare --net --mount --uts bash "$0" "$@"
fi

# The infra tests share the two cores and the timed links: one at a time, across
# checkouts and CI (tests/infra-lock.sh).
. "$top_srcdir/tests/infra-lock.sh"
infra_lock 900

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cr-slurm.XXXXXX") || exit 1
SL=$WORK/slurm
cleanup() {
    [ "$fails" = 0 ] || for f in "$SL"/log/*.log "$WORK"/*.out; do
        [ -r "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }
    done
    "$top_srcdir/tests/slurm/slurm-down" "$SL"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${CR_SLURM_TEST_NS:-}" ]; then
    # Loopback, plus a veth pair whose both ends stay in this namespace: Slurm's
    # getaddrinfo(AI_ADDRCONFIG) finds no address family with loopback alone.
    { ip link set lo up && ip link add crv0 type veth peer name crv1 &&
      ip addr add 10.231.0.254/24 dev crv0 && ip link set crv0 up && ip link set crv1 up; } ||
        bail "network set-up in the private namespace"
    hostname crslurm
    printf '127.0.0.1 localhost crslurm n1 n2\n::1 localhost\n' >"$WORK/hosts"
    mount --bind "$WORK/hosts" /etc/hosts || bail "private /etc/hosts"
    echo "slurm.sh: private network namespace (loopback only), hostname crslurm"
fi

UTS=; [ -n "${CR_SLURM_TEST_NS:-}" ] && UTS=--uts
timeout 150 "$top_srcdir/tests/slurm/slurm-up" "$SL" --nodes 2 --cpus 2 $UTS 9>&- ||
    { fails=1; bail "slurm-up"; }
. "$SL/env"
[ -n "${SLURM_CONF:-}" ] || { fails=1; bail "slurm-up gave no SLURM_CONF"; }
export SLURM_CONF
export OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo OMPI_MCA_pml=ob1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 PRTE_MCA_rmaps_default_mapping_policy=:oversubscribe
export COLLROOF
if [ -x "$FITBIN" ]; then export COLLROOF_FIT=$FITBIN; else export COLLROOF_FIT=none; fi
ARGS=(-q -c allreduce -l world -m 1K:64K:x8 --time-limit 0.2 --min-iters 3 --max-iters 20 --warmup 1)

csv_rows() {   # FILE COND EXPR (awk, fields as $(c["name"]))
    awk -F, "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next } ($2) { print $3 }" "$1"
}

wait_job() {   # JOBID -> prints final state; bounded at 90 s
    local st _
    for _ in $(seq 1 450); do
        st=$(scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
        case $st in PENDING|RUNNING|CONFIGURING|COMPLETING|"") sleep 0.2 ;; *) break ;; esac
    done
    echo "${st:-UNKNOWN}"
}

check_run() {   # NAME RUNDIR RANKS [nofit]: world rows have RANKS ranks, placement too
    local res=$2/results.csv n bad before=$fails
    [ -s "$res" ] || { fail "$1: no $res"; return; }
    n=$(csv_rows "$res" '$(c["level"]) == "world"' 1 | wc -l)
    [ "$n" -gt 0 ] || { fail "$1: results.csv has no rows at level world"; return; }
    bad=$(csv_rows "$res" "\$(c[\"level\"]) == \"world\" && \$(c[\"ranks\"]) != $3" \
          '$(c["ranks"])' | sort -u | tr '\n' ' ')
    [ -z "$bad" ] || fail "$1: world rows with ranks $bad, want $3"
    n=$(csv_rows "$2/placement.csv" 1 '$(c["rank"])' | wc -l)
    [ "$n" = "$3" ] || fail "$1: placement.csv lists $n ranks, want $3"
    [ "$COLLROOF_FIT" = none ] || [ -n "${4:-}" ] || [ -d "$2/fit" ] ||
        fail "$1: collroof-fit left no $2/fit"
    [ "$fails" != "$before" ] || ok "$1: $(csv_rows "$res" 1 1 | wc -l) rows, $3 ranks"
}

cd "$WORK" || exit 1
job_exit() { scontrol show job "$1" 2>/dev/null | sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p'; }
run_status() { sed -n 's/.*"status":"\([^"]*\)".*/\1/p' "$1/status.json" 2>/dev/null; }

# 1. The template with srun --mpi=pmix on 2 fake nodes x 2 tasks.
job=$(COLLROOF_OUTDIR=$WORK/run-srun sbatch --parsable -N 2 --ntasks-per-node=2 \
      -o "$WORK/srun.out" "$TEMPLATE" "${ARGS[@]}") || { fails=1; bail "sbatch"; }
st=$(wait_job "$job")
echo "job $job (srun, 2x2): $st at ${SECONDS}s"; cat "$WORK/srun.out"
[ "$st" = COMPLETED ] || fail "srun job $job ended $st"
check_run srun "$WORK/run-srun" 4
check "srun: the log prints status.json (complete)" \
    grep -q 'collroof.sbatch: status.json: {"status":"complete"' "$WORK/srun.out"
if [ -n "$UTS" ]; then
    hosts=$(csv_rows "$WORK/run-srun/placement.csv" 1 '$(c["host"])' | sort -u | tr '\n' ' ')
    check "srun: fake nodes in UTS namespaces: placement.csv hosts '$hosts' = 'n1 n2 '" \
        test "$hosts" = "n1 n2 "
    check "srun: results say nodes=2" \
        test "$(csv_rows "$WORK/run-srun/results.csv" 1 '$(c["nodes"])' | sort -u)" = 2
    check "srun: no warning about nodes sharing a hostname" \
        test "$(grep -c 'the launcher says' "$WORK/srun.out")" = 0
else
    check "srun: one hostname for 2 nodes: warned once" \
        test "$(grep -c 'warning: the launcher says 2 nodes' "$WORK/srun.out")" = 1
fi

# 2. The template with mpirun inside a 1 x 2 allocation.
job=$(COLLROOF_LAUNCH=mpirun COLLROOF_OUTDIR=$WORK/run-mpirun sbatch --parsable -N 1 \
      --ntasks-per-node=2 -o "$WORK/mpirun.out" "$TEMPLATE" "${ARGS[@]}") ||
    { fails=1; bail "sbatch"; }
st=$(wait_job "$job")
echo "job $job (mpirun, 1x2): $st at ${SECONDS}s"; cat "$WORK/mpirun.out"
[ "$st" = COMPLETED ] || fail "mpirun job $job ended $st"
check_run mpirun "$WORK/run-mpirun" 2

# 3. A validation failure: the rows are fitted, the job fails with collroof's 3.
job=$(COLLROOF_INJECT_FAULT=1 COLLROOF_OUTDIR=$WORK/run-fault sbatch --parsable -N 1 \
      --ntasks-per-node=2 -o "$WORK/fault.out" "$TEMPLATE" "${ARGS[@]}") || { fails=1; bail "sbatch"; }
st=$(wait_job "$job")
echo "job $job (validation failure): $st, exit $(job_exit "$job")"; cat "$WORK/fault.out"
check "validation failure: job FAILED with exit 3 (got $st $(job_exit "$job"))" \
    test "$st:$(job_exit "$job")" = FAILED:3:0
check "validation failure: status.json says so" test "$(run_status "$WORK/run-fault")" = "validation failures"
[ "$COLLROOF_FIT" = none ] ||   # every row failed here: collroof-fit runs and finds none usable
    check "validation failure: collroof-fit ran on the rows anyway" \
        grep -q "collroof-fit: warning: .*ended with status 'validation failures'" "$WORK/fault.out"
# A fit that fails after a complete run: the job fails (exit 1), it no longer exits 0.
job=$(COLLROOF_FIT=false COLLROOF_OUTDIR=$WORK/run-fitfail sbatch --parsable -N 1 \
      --ntasks-per-node=1 -o "$WORK/fitfail.out" "$TEMPLATE" "${ARGS[@]}") || { fails=1; bail "sbatch"; }
st=$(wait_job "$job")
cat "$WORK/fitfail.out"
check "failed fit: job FAILED with exit 1 (got $st $(job_exit "$job"))" test "$st:$(job_exit "$job")" = FAILED:1:0

# 4. SIGTERM to the batch script after a few rows (what --signal=B:TERM sends before
# the time limit), then the printed sbatch line resumes the run.
# shellcheck disable=SC2054
LONG=(-q -c allreduce,allgather -l world -m 1K:256K:x2 --time-limit 0.25 --precision 0.00001
      --min-iters 3 --max-iters 100000 --warmup 1)
job=$(COLLROOF_OUTDIR=$WORK/run-term sbatch --parsable -N 1 --ntasks-per-node=2 \
      -o "$WORK/term.out" "$TEMPLATE" "${LONG[@]}") || { fails=1; bail "sbatch"; }
for _ in $(seq 1 300); do   # <= 60 s for 3 rows
    [ "$(wc -l 2>/dev/null <"$WORK/run-term/results.csv" || echo 0)" -gt 3 ] && break
    sleep 0.2
done
scancel -b -s TERM "$job"
st=$(wait_job "$job")
kept=$(($(wc -l <"$WORK/run-term/results.csv") - 1))
echo "job $job (SIGTERM after rows): $st, exit $(job_exit "$job"), $kept rows"; cat "$WORK/term.out"
check "SIGTERM: job ends with 143 (got $st $(job_exit "$job"))" test "$(job_exit "$job")" = 143:0
check "SIGTERM: status.json says interrupted" test "$(run_status "$WORK/run-term")" = interrupted
[ "$COLLROOF_FIT" = none ] ||
    check "SIGTERM: the kept rows are fitted" test -s "$WORK/run-term/fit/fit.csv"
line=$(sed -n 's/^collroof.sbatch: resume with: //p' "$WORK/term.out")
check "SIGTERM: the log says how to resume" \
    test "$line" = "sbatch -N 1 --ntasks-per-node=2 $TEMPLATE --resume $WORK/run-term"
if [ -n "$line" ] && [ "$kept" -gt 0 ]; then
    read -r -a words <<<"$line"
    job=$("${words[0]}" --parsable -o "$WORK/resume.out" "${words[@]:1}") || { fails=1; bail "sbatch"; }
    st=$(wait_job "$job")
    echo "job $job (resumed): $st"; cat "$WORK/resume.out"
    check "resume: job COMPLETED, status complete" \
        test "$st:$(run_status "$WORK/run-term")" = COMPLETED:complete
    rows=$(csv_rows "$WORK/run-term/results.csv" 1 '$(c["collective"]) "," $(c["bytes"])')
    check "resume: every row once ($kept kept, $(echo "$rows" | wc -l) in all, 18 wanted)" \
        test "$(echo "$rows" | sort -u | wc -l)" = 18 -a "$(echo "$rows" | wc -l)" = 18
    grep -q '"resumed_rows":'"$kept" "$WORK/run-term/status.json" ||
        fail "resume: status.json does not say resumed_rows $kept"
fi

# 5. The campaign driver, Slurm mode, 2 cells, waiting and fitting here.
timeout 120 "$top_srcdir/scripts/collroof-campaign" --nodes 1,2 --ppn 1 --wait --timeout 90 \
    --template "$TEMPLATE" --collroof "$COLLROOF" --fit "$COLLROOF_FIT" -d "$WORK/camp" \
    -- "${ARGS[@]}" || fail "collroof-campaign (Slurm mode) exited $?"
cat "$WORK/camp/cells.csv" 2>/dev/null
check_run campaign-n1 "$WORK/camp/n1-ppn1" 1 nofit
check_run campaign-n2 "$WORK/camp/n2-ppn1" 2 nofit
check "campaign: cells.csv says complete twice" \
    test "$(csv_rows "$WORK/camp/cells.csv" '$(c["status"]) == "complete"' 1 | wc -l)" = 2
[ "$COLLROOF_FIT" = none ] || check "campaign: the fit is in camp/fit, not in a cell's" \
    test -s "$WORK/camp/fit/fit.csv" -a ! -e "$WORK/camp/n1-ppn1/fit"
words=(); eval "words=($(cat "$WORK/camp/command_line"))"   # shell-quoted words
check "campaign: command_line is the whole command line" test "${words[*]:1}" = \
    "--nodes 1,2 --ppn 1 --wait --timeout 90 --template $TEMPLATE --collroof $COLLROOF --fit $COLLROOF_FIT -d $WORK/camp -- ${ARGS[*]}"

# 6. An unschedulable cell and a timeout: partition "one" takes 1 node at most; cell
# n1 measures, then its job lingers (a collroof that sleeps 60 s after its run).
printf '#!/bin/sh\n"%s" "$@" || exit\nexec sleep 60\n' "$COLLROOF" >"$WORK/slow-collroof"
chmod 755 "$WORK/slow-collroof"
timeout 120 "$top_srcdir/scripts/collroof-campaign" --nodes 1,2 --ppn 1 --wait --timeout 12 \
    --sbatch-args "-p one" --template "$TEMPLATE" --collroof "$WORK/slow-collroof" \
    --fit "$COLLROOF_FIT" -d "$WORK/camp3" -- "${ARGS[@]}" >"$WORK/camp3.out" 2>&1
rc=$?
cat "$WORK/camp3.out" "$WORK/camp3/cells.csv"
check "unschedulable: collroof-campaign exits 1 (got $rc) within the timeout" test $rc = 1
st=$(csv_rows "$WORK/camp3/cells.csv" 1 '$(c["status"])' | tr '\n' ,)
check "unschedulable: cells.csv says 'cancelled,unschedulable,' (got '$st')" \
    test "$st" = cancelled,unschedulable,
grep -q 'cell n2-ppn1 can never start (job [0-9]* pending: PartitionNodeLimit)' "$WORK/camp3.out" ||
    fail "unschedulable: no message naming PartitionNodeLimit"
if grep -q 'still queued or running after 12s: [0-9]*; cancelling' "$WORK/camp3.out"; then
    ok "timeout: names the one job left, cancels it"
else fail "timeout: wrong or no list of jobs left"; fi
left=$(squeue -h -p one -o %i | wc -l)
check "timeout: no job of the campaign left in the queue ($left)" test "$left" = 0
[ "$COLLROOF_FIT" = none ] ||
    check "timeout: the cancelled cell's rows are fitted" test -s "$WORK/camp3/fit/fit.csv"

# 7. Without --wait: a dependent job fits the cells that produced rows. Cell n2 fails
# at run time (its directory already holds a results.csv, which collroof refuses to
# overwrite): its job fails, and the fit job still fits cell n1.
if [ "$COLLROOF_FIT" != none ]; then
    mkdir -p "$WORK/camp2/n2-ppn1" && echo "run_id" >"$WORK/camp2/n2-ppn1/results.csv"
    timeout 60 "$top_srcdir/scripts/collroof-campaign" --nodes 1,2 --ppn 1 --template "$TEMPLATE" \
        --collroof "$COLLROOF" --fit "$COLLROOF_FIT" -d "$WORK/camp2" -- "${ARGS[@]}" \
        >"$WORK/camp2.out" 2>&1
    rc=$?
    cat "$WORK/camp2.out"
    before=$fails
    [ $rc = 0 ] || fail "collroof-campaign (no --wait) exited $rc, want 0 (both cells submitted)"
    fj=$(sed -n 's/^collroof-campaign: fit job \([0-9]*\) runs after.*/\1/p' "$WORK/camp2.out")
    if [ -z "$fj" ]; then
        fail "collroof-campaign submitted no fit job"
    else
        st=$(wait_job "$fj")
        echo "fit job $fj: $st"; cat "$WORK/camp2/fit.out" "$WORK/camp2/cells.csv" 2>/dev/null
        [ "$st" = FAILED ] || fail "fit job $fj ended $st, want FAILED (a cell failed)"
        [ -s "$WORK/camp2/fit/fit.csv" ] || fail "the fit job wrote no camp2/fit/fit.csv"
        grep -q "collroof-fit: 1 groups" "$WORK/camp2/fit.out" || fail "the fit job did not fit cell n1 alone"
        st=$(csv_rows "$WORK/camp2/cells.csv" 1 '$(c["status"])' | tr '\n' ,)
        [ "$st" = complete,failed, ] || fail "the fit job wrote cells.csv states '$st', want complete,failed,"
    fi
    [ "$fails" != "$before" ] ||
        ok "no --wait: a cell failing at run time, the dependent fit job still fits the other"
fi

diag "${SECONDS}s"
finish
