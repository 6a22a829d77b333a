# shellcheck shell=bash
# infra_lock SECONDS: the infra tests (Slurm, network namespaces) run one at a time
# on this machine, across checkouts and CI: flock on fd 9 of one lock file,
# $CR_INFRA_LOCK (default /tmp/collroof-infra.lock), bounded wait. A caller that
# already holds it (`flock FILE make check`: an ancestor process has the file open;
# automake's driver reuses the inherited descriptor's number, so ancestors are
# looked at, not this process) is not waited for. Daemons a test starts must not
# inherit fd 9 (close it: 9>&-).
infra_lock() {
    local lock=${CR_INFRA_LOCK:-/tmp/collroof-infra.lock} pid=$$ fd _
    command -v flock >/dev/null 2>&1 || return 0
    for _ in $(seq 1 64); do   # this shell and its ancestors
        for fd in /proc/$pid/fd/*; do
            [ "$(readlink "$fd" 2>/dev/null)" = "$lock" ] &&
                { echo "infra lock $lock held by a caller (pid $pid)"; return 0; }
        done
        pid=$(awk '$1 == "PPid:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
        case $pid in ''|0|1) break ;; esac
    done
    exec 9>>"$lock" || { echo "warning: cannot open $lock; running unlocked"; return 0; }
    flock -w "$1" 9 || echo "warning: $lock still held after $1 s; running anyway"
}
