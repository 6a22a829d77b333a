#!/bin/bash
# scripts/collroof-campaign --local: a 1-node x ppn 1,2 matrix run in sequence with $MPIEXEC on
# loopback; every cell has its run directory with world rows of N*P ranks, cells.csv
# lists them as done, and collroof-fit (when built) reads all runs together.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/tap.sh"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
MPIEXEC=${MPIEXEC:-mpirun}
COLLROOF=$top_builddir/collroof
FITBIN=$top_builddir/collroof-fit

[ -x "$COLLROOF" ] || bail "$COLLROOF not built"
command -v "${MPIEXEC%% *}" >/dev/null 2>&1 || skip_all "no launcher $MPIEXEC"
export OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo OMPI_MCA_pml=ob1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
launcher=$MPIEXEC
"$MPIEXEC" --version 2>&1 | grep -qiE 'open ?mpi|openrte' && launcher="$MPIEXEC --bind-to none"
fit=none; [ -x "$FITBIN" ] && fit=$FITBIN

# The infra tests share the two cores and multihost.sh times a link: one at a time
# even under `make -j check` (bounded wait).
if command -v flock >/dev/null 2>&1 && exec 9>>"$top_builddir/tests/infra.lock"; then
    flock -w 600 9 || echo "warning: infra.lock still held after 600 s; running anyway"
fi 2>/dev/null

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cr-campaign.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

timeout 120 "$top_srcdir/scripts/collroof-campaign" --local --nodes 1 --ppn 1,2 --timeout 60 \
    --launcher "$launcher" --collroof "$COLLROOF" --fit "$fit" -d "$WORK/camp" \
    -- -q -c allreduce -l world -m 1K:16K:x4 --time-limit 0.1 --min-iters 3 --max-iters 10 \
       --warmup 1
rc=$?
check "collroof-campaign --local exits 0 (rc $rc)" test $rc = 0
cat "$WORK/camp/cells.csv"
[ "$(awk -F, 'NR > 1 && $5 == "done"' "$WORK/camp/cells.csv" | wc -l)" = 2 ] ||
    fail "cells.csv does not list 2 done cells"
for p in 1 2; do
    res=$WORK/camp/n1-ppn$p/results.csv
    [ -s "$res" ] || { fail "no $res"; continue; }
    got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                   $(c["level"]) == "world" { print $(c["ranks"]) }' "$res" | sort -u | tr '\n' ' ')
    [ "$got" = "$p " ] || fail "n1-ppn$p: world rows have ranks '$got', want $p"
done
if [ "$fit" != none ]; then
    [ -s "$WORK/camp/fit.out" ] || fail "collroof-campaign ran no fit (no fit.out)"
fi

finish
