#!/bin/bash
# scripts/collroof-campaign --local: a 1-node x ppn 1,2 matrix run in sequence with $MPIEXEC on
# loopback; every cell has its run directory with world rows of N*P ranks, cells.csv
# lists them as complete, command_line holds the whole command line, and
# collroof-fit (when built) reads all runs together into the campaign's fit/ (not
# the first cell's).
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

# The infra tests share the two cores and the timed links: one at a time, across
# checkouts and CI (tests/infra-lock.sh).
. "$top_srcdir/tests/infra-lock.sh"
infra_lock 900

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cr-campaign.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

CARGS=(-q -c allreduce -l world -m 1K:16K:x4 --time-limit 0.1 --min-iters 3 --max-iters 10 --warmup 1)
timeout 120 "$top_srcdir/scripts/collroof-campaign" --local --nodes 1 --ppn 1,2 --timeout 60 \
    --launcher "$launcher" --collroof "$COLLROOF" --fit "$fit" -d "$WORK/camp" \
    -- "${CARGS[@]}"
rc=$?
check "collroof-campaign --local exits 0 (rc $rc)" test $rc = 0
cat "$WORK/camp/cells.csv"
check "cells.csv lists 2 complete cells" \
    test "$(awk -F, 'NR > 1 && $5 == "complete"' "$WORK/camp/cells.csv" | wc -l)" = 2
cat "$WORK/camp/command_line"
words=(); eval "words=($(cat "$WORK/camp/command_line"))"   # shell-quoted words
check "command_line is the whole command line" test "${words[*]:1}" = \
    "--local --nodes 1 --ppn 1,2 --timeout 60 --launcher $launcher --collroof $COLLROOF --fit $fit -d $WORK/camp -- ${CARGS[*]}"
for p in 1 2; do
    res=$WORK/camp/n1-ppn$p/results.csv
    [ -s "$res" ] || { fail "no $res"; continue; }
    got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                   $(c["level"]) == "world" { print $(c["ranks"]) }' "$res" | sort -u | tr '\n' ' ')
    [ "$got" = "$p " ] || fail "n1-ppn$p: world rows have ranks '$got', want $p"
done
if [ "$fit" != none ]; then
    check "collroof-campaign fitted the campaign into camp/fit" test -s "$WORK/camp/fit/fit.csv" \
        -a -s "$WORK/camp/fit.out" -a ! -e "$WORK/camp/n1-ppn1/fit"
fi

finish
