#!/bin/sh
# The measurement loop itself (tests/harness_driver.c, test plug-ins that are not
# registered) on 2 and 3 ranks: setup/teardown and b->state, prepare_timed against
# fill, a set-up that fails on rank 1 (an error everywhere, no hang, no row, its
# message once), and the time per operation (a 2 ms call of 2 operations: ~1 ms).
. "$(dirname "$0")/lib.sh"
DRIVER="$top_builddir/tests/harness_driver"
OVERSUB=
"$MPIEXEC" --version 2>&1 | grep -q 'Open MPI' && OVERSUB=--oversubscribe
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

# hd NP MODE: the driver on NP ranks, rows in $T/NP-MODE/, stderr in $T/NP-MODE.err.
hd() {
    timeout 120 "$MPIEXEC" -np "$1" $OVERSUB "$DRIVER" "$2" "$T/$1-$2" 2>"$T/$1-$2.err"
}
# rows_are N DIR: results.csv in DIR has N data rows.
rows_are() { [ -f "$2/results.csv" ] && [ "$(csv_rows "$2/results.csv")" -eq "$1" ]; }
# said_once TEXT FILE: TEXT is on exactly one line of FILE.
said_once() { [ "$(grep -c "$1" "$2")" -eq 1 ]; }

for np in 2 3; do
    check "$np ranks: setup once first, its state seen by every call, teardown once last" \
        hd $np state
    check "$np ranks: a row per measurement (world and part, isolated and streaming)" \
        rows_are 4 "$T/$np-state"
    check "$np ranks: prepare_timed prepares the timed calls; fill when it is NULL" \
        hd $np prepare
    check "$np ranks: setup failing on rank 1: an error on every rank, teardown where it succeeded" \
        hd $np setup-fails
    check "$np ranks: setup failing on rank 1: no row" rows_are 0 "$T/$np-setup-fails"
    check "$np ranks: setup failing on rank 1: its message once" \
        said_once 'setup refused on rank 1' "$T/$np-setup-fails.err"
    check "$np ranks: setup failing on rank 1: the harness says so once" \
        said_once "set-up failed" "$T/$np-setup-fails.err"
    check "$np ranks: time per operation = call time / ops_per_call" hd $np per-op
    for f in "$T/$np"-*.err; do [ -s "$f" ] && { diag "$f:"; cat "$f"; }; done
done
finish
