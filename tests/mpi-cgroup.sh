#!/bin/sh
# The memory guard under a real cgroup limit: in a child memory cgroup limited to
# 512 MiB, a size that cannot fit is refused (exit 2) naming the cgroup's limit, never
# OOM-killed; a small size runs. Needs root and a writable memory controller (v1 or
# v2); skipped otherwise. The cgroup is removed on every exit, its processes moved
# back to this test's cgroup first.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
CG=
# v1: the memory controller's mount and our path in it; v2: the unified hierarchy.
if v1=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' /proc/self/cgroup) && [ -n "$v1" ] &&
   [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
    PARENT=/sys/fs/cgroup/memory${v1%/}; LIMF=memory.limit_in_bytes; REL=${v1%/}
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    v2=$(awk -F: '$1 == "0" { print $3; exit }' /proc/self/cgroup)
    PARENT=/sys/fs/cgroup${v2%/}; LIMF=memory.max; REL=${v2%/}
else
    rm -rf "$T"
    skip_all "no cgroup memory controller at /sys/fs/cgroup"
fi
cleanup() {
    if [ -n "$CG" ] && [ -d "$CG" ]; then
        # processes left behind (a run cut by timeout): back to the parent, then remove
        for pid in $(cat "$CG/cgroup.procs" 2>/dev/null); do
            echo "$pid" >"$PARENT/cgroup.procs" 2>/dev/null
        done
        rmdir "$CG" 2>/dev/null || diag "could not remove $CG"
    fi
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
[ "$(id -u)" = 0 ] || skip_all "not root: cannot create a memory cgroup"
NAME=collroof-test-$$
CG=$PARENT/$NAME
if ! mkdir "$CG" 2>"$T/mkdir.err"; then
    CG=
    skip_all "cannot create a memory cgroup under $PARENT: $(cat "$T/mkdir.err")"
fi
if ! echo $((512 * 1024 * 1024)) >"$CG/$LIMF" 2>"$T/lim.err"; then
    skip_all "cannot set $CG/$LIMF: $(cat "$T/lim.err")"
fi
diag "cgroup $CG: $LIMF = $(cat "$CG/$LIMF")"

# incg ARGS...: collroof on 2 ranks, mpirun and all, inside the cgroup.
incg() {
    sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' incg "$CG" \
        timeout 120 "$MPIEXEC" --oversubscribe -np 2 "$COLLROOF" "$@"
}

incg -m 256M -c allreduce -q -o "$T/big" >"$T/big.out" 2>"$T/big.err"
rc=$?
check "-m 256M in a 512 MiB cgroup: refused with exit 2 (rc $rc)" test "$rc" -eq 2
check "-m 256M: the refusal names the cgroup limit: $(grep -m1 error "$T/big.err")" \
    grep -qF "cgroup $REL/$NAME $LIMF 512.0 MiB" "$T/big.err"
check "-m 256M: says the limit is shared by the host's ranks" \
    grep -qF "shared by the ranks of this host in that cgroup" "$T/big.err"
check "-m 256M: nothing written" test ! -e "$T/big/results.csv"
if [ -f "$CG/memory.oom_control" ] && grep -q '^oom_kill ' "$CG/memory.oom_control"; then
    check "no OOM kill in the cgroup" grep -qx 'oom_kill 0' "$CG/memory.oom_control"
elif [ -f "$CG/memory.events" ]; then
    check "no OOM kill in the cgroup" grep -qx 'oom_kill 0' "$CG/memory.events"
fi

incg -m 1M -c allreduce --time-limit 0.01 --min-iters 1 --max-iters 3 --warmup 0 -q \
    -o "$T/small" >"$T/small.out" 2>"$T/small.err"
rc=$?
check "-m 1M in the same cgroup: runs (rc $rc)" test "$rc" -eq 0
check "-m 1M: rows written" test "$(csv_rows "$T/small/results.csv" 2>/dev/null || echo 0)" -gt 0
[ "$rc" -eq 0 ] || cat "$T/small.err"
finish
