# TAP for the shell tests, read by automake's tap-driver.sh (tests/tests.am); sourced
# by tests/lib.sh, and alone by the tests that set up their own environment.
# One "ok N - WHAT" / "not ok N - WHAT" line per check, "# SKIP" for skipped ones, and
# the plan "1..N" printed last by finish: a test that dies half-way leaves no plan and
# is reported as an error. Everything else the test writes on stdout (cat of a log, a
# tool that prints "ok") reaches the driver as a "# " comment: the test runs again as
# a child whose stdout goes through a filter that passes unchanged only the lines
# tap() marks; the parent waits for both and exits with the child's status, so the
# driver reads that status after the last line. stderr goes to the log as is.
CR_TAP_MARK=$(printf '\037')
cr_tap_n=0 fails=0 passes=0 skips=0
if [ "${CR_TAP_WRAPPED:-}" != "$0" ]; then
    CR_TAP_WRAPPED=$0
    export CR_TAP_WRAPPED
    { "${BASH:-sh}" "$0" "$@"; printf '%sexit %s\n' "$CR_TAP_MARK" $?; } |
        awk -v m="$CR_TAP_MARK" '
            substr($0, 1, 1) == m { line = substr($0, 2)
                                    if (line ~ /^exit [0-9]+$/) st = substr(line, 6) + 0
                                    else print line
                                    fflush(); next }
            { print "# " $0; fflush() }
            END { exit st }'
    exit
fi
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
