#!/bin/sh
# Every collective plug-in under MPI: fill, run (blocking and nonblocking, in place
# and not), check, and a deliberate corruption that the check must notice
# (tests/coll_driver.c), on 2 ranks and on 4 oversubscribed ranks.
. "$(dirname "$0")/lib.sh"
DRIVER="$top_builddir/tests/coll_driver"
OVERSUB=
"$MPIEXEC" --version 2>&1 | grep -q 'Open MPI' && OVERSUB=--oversubscribe

check "coll_driver on 2 ranks" timeout 120 "$MPIEXEC" -np 2 "$DRIVER" 2
check "coll_driver on 4 ranks" timeout 120 "$MPIEXEC" -np 4 $OVERSUB "$DRIVER" 4
finish
