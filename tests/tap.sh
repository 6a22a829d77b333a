# TAP for the shell tests, read by automake's tap-driver.sh (tests/tests.am); sourced
# by tests/lib.sh, and alone by the tests that set up their own environment.
# One "ok N - WHAT" / "not ok N - WHAT" line per check, "# SKIP" for skipped ones, and
# the plan "1..N" printed last by finish: a test that dies half-way leaves no plan and
# is reported as an error. Everything else the test writes on stdout (cat of a log, a
# tool that prints "ok") reaches the driver as a "# " comment: stdout goes through a
# filter that passes unchanged only the lines tap() marks. stderr goes to the log as is.
CR_TAP_MARK=$(printf '\037')
cr_tap_n=0 fails=0 passes=0 skips=0
cr_tap_filter() {
    # A test that re-executes itself (exec keeps the pid) is filtered already.
    [ "${CR_TAP_FILTERED:-}" != "$$" ] || return 0
    cr_tap_dir=$(mktemp -d "${TMPDIR:-/tmp}/collroof-tap.XXXXXX") || return 0
    mkfifo "$cr_tap_dir/out" || { rmdir "$cr_tap_dir"; return 0; }
    awk -v m="$CR_TAP_MARK" '{ if (substr($0, 1, 1) == m) print substr($0, 2)
                               else print "# " $0
                               fflush() }' <"$cr_tap_dir/out" &
    exec >"$cr_tap_dir/out"
    rm -rf "$cr_tap_dir"
    CR_TAP_FILTERED=$$
    export CR_TAP_FILTERED
}
cr_tap_filter
tap() { printf '%s%s\n' "$CR_TAP_MARK" "$(printf '%s' "$*" | tr '\n' ' ')"; }
diag() { printf '%s\n' "$*"; }   # a "# " comment in the log
ok() { passes=$((passes + 1)); cr_tap_n=$((cr_tap_n + 1)); tap "ok $cr_tap_n - $*"; }
fail() { fails=$((fails + 1)); cr_tap_n=$((cr_tap_n + 1)); tap "not ok $cr_tap_n - $*"; }
skip() { # skip WHAT WHY
    skips=$((skips + 1)); cr_tap_n=$((cr_tap_n + 1)); tap "ok $cr_tap_n - $1 # SKIP $2"
}
skip_all() { tap "1..0 # SKIP $*"; exit 0; }   # the whole test does not apply here
bail() { tap "Bail out! $*"; exit 1; }          # cannot go on: an error, whatever ran
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
# The plan, last. Under the driver (CR_TAP=1) the verdict is in the TAP lines and the
# exit status is 0; run by hand, the exit status says whether every check passed.
finish() {
    tap "1..$cr_tap_n"
    diag "$passes passed, $fails failed, $skips skipped"
    [ "$fails" -eq 0 ] || [ "${CR_TAP:-0}" = 1 ]
}
