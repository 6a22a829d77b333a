# shellcheck shell=bash
# Shared by the tests on the emulated cluster (tests/cluster/netns-cluster):
# predict-cluster, predict-hier, plan-cluster, whatif-cluster, wire-cluster.
# Source it after tests/tap.sh, with MPIEXEC and top_srcdir set.
#
# cluster_init NAME [KEEP_DIR [PATTERN...]]
#   Skips (77) without root, iproute2 (ip, tc), Open MPI's mpirun (the cluster
#   launches with it) or network namespaces; takes the infra lock (one infra test at
#   a time: tests/infra-lock.sh); makes WORK, a new directory; exports
#   NETNS_CLUSTER_DIR (under WORK), NETNS_CLUSTER_MPIRUN and a tbf queue of 2 s
#   (several TCP flows leaving one host drop nothing). On exit, also on a failure or
#   a signal: the cluster down, then, when KEEP_DIR is not empty, the files of WORK
#   that match the PATTERNs copied there, then WORK removed.
CLUSTER=$top_srcdir/tests/cluster/netns-cluster

cluster_init() {
    local name=$1 probe
    CLUSTER_KEEP=${2:-}
    CLUSTER_KEEP_PATTERNS=("${@:3}")
    [ "$(id -u)" = 0 ] || skip_all "needs root for network namespaces"
    command -v ip >/dev/null && command -v tc >/dev/null || skip_all "iproute2 (ip, tc) missing"
    "$MPIEXEC" --version 2>/dev/null | grep -qiE 'open ?mpi|openrte' ||
        skip_all "the namespace cluster launches with Open MPI's mpirun; MPIEXEC=$MPIEXEC is not"
    . "$top_srcdir/tests/infra-lock.sh"
    infra_lock 900
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/cr-$name.XXXXXX") || bail "cannot make a work directory"
    export NETNS_CLUSTER_DIR=$WORK/cluster NETNS_CLUSTER_MPIRUN=$MPIEXEC
    export NETNS_CLUSTER_TBF_LATENCY=2s
    trap cluster_cleanup EXIT
    trap 'exit 130' INT TERM
    probe=crnc-probe-$$
    ip netns add "$probe" 2>/dev/null || skip_all "ip netns add impossible here"
    ip netns del "$probe"
}

cluster_cleanup() {
    local p
    "$CLUSTER" down
    if [ -n "$CLUSTER_KEEP" ] && mkdir -p "$CLUSTER_KEEP"; then
        for p in "${CLUSTER_KEEP_PATTERNS[@]}"; do
            # the patterns are the test's own, expanded inside WORK only
            (cd "$WORK" && for f in $p; do [ -e "$f" ] && cp -r -- "$f" "$CLUSTER_KEEP"/; done)
        done
    fi
    rm -rf "$WORK"
}
