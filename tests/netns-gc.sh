#!/bin/bash
# tests/cluster/netns-cluster's liveness record: `gc` removes only clusters whose
# holder died, never a live one whose `up` has returned.
# 1. `up 2`, then `gc` from another process: the cluster's namespaces and holder
#    survive, links up.
# 2. The holder killed by PID (a crash): `gc` removes the cluster's namespaces and
#    its lock file.
# 3. `up 2` then `down`: no namespace, holder or lock file left.
# Skips (77) without root or network namespaces.
[ "${CR_TEST_QUICK:-0}" = 1 ] && { echo "1..0 # SKIP CR_TEST_QUICK=1"; exit 0; }
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/tap.sh"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
CLUSTER=$top_srcdir/tests/cluster/netns-cluster
[ "$(id -u)" = 0 ] || skip_all "needs root (network namespaces)"
ip netns add crnc-probe-$$ 2>/dev/null || skip_all "no network namespaces (ip netns add)"
ip netns del crnc-probe-$$

. "$top_srcdir/tests/infra-lock.sh"
infra_lock 900

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cr-netnsgc.XXXXXX") || exit 1
export NETNS_CLUSTER_DIR=$WORK/cluster
cleanup() { "$CLUSTER" down; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

nss() { ip netns list 2>/dev/null | awk '{print $1}' | grep -c -E "^$1-(h[0-9]+|br)\$"; }
state() { sed -n "s/^$1=//p" "$NETNS_CLUSTER_DIR/state"; }
RUNDIR=${NETNS_CLUSTER_RUNDIR:-/run/netns-cluster}

# 1. A live cluster survives gc run from another process after `up` returned.
timeout 60 "$CLUSTER" up 2 9>&- || bail "netns-cluster up 2"
prefix=$(state PREFIX) holder=$(state HOLDER)
diag "cluster $prefix, holder $holder"
check "up: 3 namespaces (2 hosts, bridge)" test "$(nss "$prefix")" = 3
timeout 60 bash "$CLUSTER" gc </dev/null >"$WORK/gc1.out" 2>&1
cat "$WORK/gc1.out"
check "gc from another process: the live cluster keeps its namespaces" test "$(nss "$prefix")" = 3
check "gc: says the cluster is alive" grep -q "$prefix is alive" "$WORK/gc1.out"
check "gc: the holder is still running" kill -0 "$holder"
check "the links are still up (carrier on host 1)" sh -c "ip -n $prefix-h1 link show eth0 | grep -q LOWER_UP"

# 2. The holder dies (crash): the next gc removes the cluster.
kill -KILL "$holder"
for _ in $(seq 1 50); do kill -0 "$holder" 2>/dev/null || break; sleep 0.1; done
timeout 60 bash "$CLUSTER" gc >"$WORK/gc2.out" 2>&1
cat "$WORK/gc2.out"
check "gc after the holder died: no namespace of $prefix left" test "$(nss "$prefix")" = 0
check "gc after the holder died: lock file removed" test ! -e "$RUNDIR/$prefix.lock"
rm -f "$NETNS_CLUSTER_DIR/state"

# 3. down ends the holder and removes the record.
timeout 60 "$CLUSTER" up 2 9>&- || bail "netns-cluster up 2 (again)"
prefix=$(state PREFIX) holder=$(state HOLDER)
"$CLUSTER" down
check "down: no namespace, holder or lock file left" \
    test "$(nss "$prefix")" = 0 -a ! -e "$RUNDIR/$prefix.lock" -a ! -d "/proc/$holder"
diag "${SECONDS}s"
finish
