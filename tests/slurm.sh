#!/bin/bash
# collroof under Slurm: a private slurmctld + 2 fake slurmd nodes (tests/slurm/slurm-up),
# all inside a fresh network namespace that has only loopback (so no Slurm, munge or
# MPI packet can leave the machine) when `unshare --net` works.
# 1. sbatch scripts/collroof.sbatch with srun --mpi=pmix on 2 nodes x 2 tasks:
#    the job completes and results.csv / placement.csv hold 4 ranks.
# 2. the same template with mpirun inside a 1 node x 2 tasks allocation.
# 3. scripts/collroof-campaign in Slurm mode, nodes 1,2 x ppn 1, --wait: every cell has results.
# 4. The same without --wait, with a cell that fails at run time: the dependent fit
#    job fits the cell that ran.
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
    printf '127.0.0.1 localhost crslurm\n::1 localhost\n' >"$WORK/hosts"
    mount --bind "$WORK/hosts" /etc/hosts || bail "private /etc/hosts"
    echo "slurm.sh: private network namespace (loopback only), hostname crslurm"
fi

timeout 150 "$top_srcdir/tests/slurm/slurm-up" "$SL" --nodes 2 --cpus 2 9>&- ||
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
# 1. The template with srun --mpi=pmix on 2 fake nodes x 2 tasks.
job=$(COLLROOF_OUTDIR=$WORK/run-srun sbatch --parsable -N 2 --ntasks-per-node=2 \
      -o "$WORK/srun.out" "$TEMPLATE" "${ARGS[@]}") || { fails=1; bail "sbatch"; }
st=$(wait_job "$job")
echo "job $job (srun, 2x2): $st at ${SECONDS}s"; cat "$WORK/srun.out"
[ "$st" = COMPLETED ] || fail "srun job $job ended $st"
check_run srun "$WORK/run-srun" 4

# 2. The template with mpirun inside a 1 x 2 allocation.
job=$(COLLROOF_LAUNCH=mpirun COLLROOF_OUTDIR=$WORK/run-mpirun sbatch --parsable -N 1 \
      --ntasks-per-node=2 -o "$WORK/mpirun.out" "$TEMPLATE" "${ARGS[@]}") ||
    { fails=1; bail "sbatch"; }
st=$(wait_job "$job")
echo "job $job (mpirun, 1x2): $st at ${SECONDS}s"; cat "$WORK/mpirun.out"
[ "$st" = COMPLETED ] || fail "mpirun job $job ended $st"
check_run mpirun "$WORK/run-mpirun" 2

# 3. The campaign driver, Slurm mode, 2 cells, waiting and fitting here.
timeout 120 "$top_srcdir/scripts/collroof-campaign" --nodes 1,2 --ppn 1 --wait --timeout 90 \
    --template "$TEMPLATE" --collroof "$COLLROOF" --fit "$COLLROOF_FIT" -d "$WORK/camp" \
    -- "${ARGS[@]}" || fail "collroof-campaign (Slurm mode) exited $?"
cat "$WORK/camp/cells.csv" 2>/dev/null
check_run campaign-n1 "$WORK/camp/n1-ppn1" 1 nofit
check_run campaign-n2 "$WORK/camp/n2-ppn1" 2 nofit

# 4. Without --wait: a dependent job fits the cells that produced rows. Cell n2 fails
# at run time (its directory already holds a results.csv, which collroof refuses to
# overwrite): its job fails, and the fit job still fits cell n1.
if [ "$COLLROOF_FIT" != none ]; then
    mkdir -p "$WORK/camp2/n2-ppn1" && echo "run_id" >"$WORK/camp2/n2-ppn1/results.csv"
    timeout 60 "$top_srcdir/scripts/collroof-campaign" --nodes 1,2 --ppn 1 --template "$TEMPLATE" \
        --collroof "$COLLROOF" --fit "$COLLROOF_FIT" -d "$WORK/camp2" -- "${ARGS[@]}" \
        >"$WORK/camp2.out" 2>&1
    rc=$?
    cat "$WORK/camp2.out" "$WORK/camp2/cells.csv"
    before=$fails
    [ $rc = 0 ] || fail "collroof-campaign (no --wait) exited $rc, want 0 (both cells submitted)"
    fj=$(sed -n 's/^collroof-campaign: fit job \([0-9]*\) runs after.*/\1/p' "$WORK/camp2.out")
    if [ -z "$fj" ]; then
        fail "collroof-campaign submitted no fit job"
    else
        st=$(wait_job "$fj")
        echo "fit job $fj: $st"; cat "$WORK/camp2/fit.out" 2>/dev/null
        [ "$st" = COMPLETED ] || fail "fit job $fj ended $st"
        [ -s "$WORK/camp2/n1-ppn1/fit/fit.csv" ] || fail "the fit job wrote no n1-ppn1/fit/fit.csv"
        grep -q "collroof-fit: 1 groups" "$WORK/camp2/fit.out" || fail "the fit job did not fit cell n1 alone"
    fi
    [ "$fails" != "$before" ] ||
        ok "no --wait: a cell failing at run time, the dependent fit job still fits the other"
fi

diag "${SECONDS}s"
finish
