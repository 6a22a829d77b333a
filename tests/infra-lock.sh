# infra_lock SECONDS: the infra tests (Slurm, network namespaces) run one at a time
# on this machine, across checkouts and CI: flock on fd 9 of one lock file,
# $CR_INFRA_LOCK (default /tmp/collroof-infra.lock), bounded wait. A caller that
# already holds it (`flock FILE make check`: the file is open on an inherited fd)
# is not waited for. Daemons a test starts must not inherit fd 9 (close it: 9>&-).
infra_lock() {
    local lock=${CR_INFRA_LOCK:-/tmp/collroof-infra.lock} fd
    command -v flock >/dev/null 2>&1 || return 0
    for fd in /proc/$$/fd/*; do
        [ "$(readlink "$fd" 2>/dev/null)" = "$lock" ] &&
            { echo "infra lock $lock held by a caller"; return 0; }
    done
    exec 9>>"$lock" || { echo "warning: cannot open $lock; running unlocked"; return 0; }
    flock -w "$1" 9 || echo "warning: $lock still held after $1 s; running anyway"
}
