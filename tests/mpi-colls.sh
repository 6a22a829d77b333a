#!/bin/sh
# Every collective plug-in under MPI: fill, run (blocking and nonblocking, in place
# and not), check, and a deliberate corruption that the check must notice
# (tests/coll_driver.c; on the root where only the root has a result: reduce,
# gather), on 2, 3 and 4 oversubscribed ranks (and their halves: 1 and 2 ranks);
# then again with MPI counts of at most 7 elements, so that every block above that
# travels as a block above INT_MAX elements does (a contiguous unit type; sums by a
# user op).
. "$(dirname "$0")/lib.sh"
DRIVER="$top_builddir/tests/coll_driver"
OVERSUB=
"$MPIEXEC" --version 2>&1 | grep -q 'Open MPI' && OVERSUB=--oversubscribe

check "coll_driver on 2 ranks" timeout 120 "$MPIEXEC" -np 2 "$DRIVER" 2
check "coll_driver on 3 ranks" timeout 120 "$MPIEXEC" -np 3 $OVERSUB "$DRIVER" 3
check "coll_driver on 4 ranks" timeout 120 "$MPIEXEC" -np 4 $OVERSUB "$DRIVER" 4
check "coll_driver on 2 ranks, counts at most 7" timeout 120 "$MPIEXEC" -np 2 "$DRIVER" 2 7
check "coll_driver on 4 ranks, counts at most 7" timeout 120 "$MPIEXEC" -np 4 $OVERSUB "$DRIVER" 4 7
finish
