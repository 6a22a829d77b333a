#!/bin/bash
# Inputs are data, never code (issue #9): hostile text in every text field of
# results.csv and results.jsonl, and in output and run directory paths. collroof-fit
# refuses or fits them, renders the plots with gnuplot when it is installed, and
# nothing outside its output directory changes: no payload ever runs (each tries to
# create a sentinel file). gnuplot's string literals (cr_fit_gp_quote) round-trip
# every payload without running it. Output paths with spaces, quotes, newlines and
# shell syntax are created (with their parents; `..` as the file system resolves it);
# a regular file is refused with a message; a symlink to a directory is written
# through; no file is world-writable even under umask 000.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/tap.sh"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
FIT=$top_builddir/collroof-fit
GPQ=$top_builddir/tests/gp_quote
FIX=$top_srcdir/tests/fixtures/fit
[ -x "$FIT" ] || bail "$FIT not built"
W=$(mktemp -d "${TMPDIR:-/tmp}/fit-hostile.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
S=$W/SENTINEL
GNUPLOT=${CR_GNUPLOT:-gnuplot}
have_gp=0
command -v "$GNUPLOT" >/dev/null 2>&1 && have_gp=1
[ "$have_gp" = 1 ] || diag "gnuplot not installed: plots are written, not rendered"

# The corpus: each tries to run `touch $S` through a shell, gnuplot's system() or
# backquotes, or to break out of a quoted string or a line.
P=(
    "';system 'touch $S"
    "'; system('touch $S'); print '"
    "\`touch $S\`"
    "'\`touch $S\`'"
    "\$(touch $S)"
    "x; touch $S"
    "\"; system(\"touch $S\"); \""
    "a
system 'touch $S'"
    "@touch"
    "$(printf 'A%.0s' $(seq 1 4000))"
    "$(printf '\xff\xfe\x80 bad utf-8')"
    "tab	and\\backslash"
)

# Every output (and the log) is under $W/out*; a payload's sentinel is named SENTINEL
# wherever it lands (absolute in fields, relative to the working directory in paths).
snapshot() { find "$W" -path "$W/out*" -prune -o -print | LC_ALL=C sort; }
no_sentinel() { [ -z "$(find "$W" -name 'SENTINEL*' 2>/dev/null | head -1)" ]; }
clean_after() {   # nothing outside the outputs changed since `before`, no sentinel
    [ "$(snapshot)" = "$before" ] && no_sentinel
}
LOG=$W/out.log
mkdir -p "$W/outp"

# 1. results.csv: every text column in turn takes every payload.
csv=$FIX/run-csv/results.csv
for col in run_id collective level cadence dtype stop valid; do
    bad=''
    i=0
    for p in "${P[@]}"; do
        i=$((i + 1))
        d=$W/in-csv-$col-$i
        mkdir -p "$d"
        V=$p awk -F, -v OFS=, -v col="$col" 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == col) c = k; print; next }
            { $c = ENVIRON["V"]; print }' "$csv" >"$d/results.csv"
        before=$(snapshot)
        (cd "$W" && "$FIT" --bootstrap 20 -o "$W/out-csv-$col-$i" "$d" >"$LOG" 2>&1)
        rc=$?
        nerr=$(grep -c 'error:' "$LOG")
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then bad="$bad #$i: rc $rc;"; fi
        if [ "$rc" -eq 1 ] && [ "$nerr" -ne 1 ]; then bad="$bad #$i: $nerr error lines;"; fi
        clean_after || bad="$bad #$i: something ran or changed outside the output;"
        rm -rf "$d"
    done
    check "results.csv column $col: ${#P[@]} hostile values refused (one error) or fitted, none ran${bad:+ --$bad}" \
        test -z "$bad"
done
# The level is where the plots put it (file names, titles): refused by name.
d=$W/in-level
mkdir -p "$d"
V="';system 'touch SENTINEL" awk -F, -v OFS=, 'NR == 1 { print; next } { $3 = ENVIRON["V"]; print }' \
    "$csv" >"$d/results.csv"
(cd "$W" && "$FIT" -o "$W/out-level" "$d" >"$LOG" 2>&1)
rc=$?
check "a level named ';system 'touch SENTINEL is refused (rc $rc), naming it: $(grep -m1 'error:' "$LOG")" \
    grep -q "level '';system 'touch SENTINEL' is not one of" "$LOG"
rm -rf "$d"

# 1b. Issue 10's rows: every payload as alltoallv's skew in results.csv and as the
# workload name, a call's skew or its comm in workload.csv: refused (one error) or
# fitted, plots rendered, nothing ran.
rows=$FIX/run-rows
for target in results:skew workload.csv:workload workload.csv:skew workload.csv:comm workload.csv:run_id; do
    file=${target%%:*}; col=${target#*:}
    [ "$file" = results ] && file=results.csv
    bad=''
    i=0
    for p in "${P[@]}"; do
        i=$((i + 1))
        d=$W/in-rows-$col-$i
        mkdir -p "$d"
        cp "$rows/results.csv" "$rows/workload.csv" "$d/"
        V=$p awk -F, -v OFS=, -v col="$col" 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == col) c = k; print; next }
            c && ($c != "" || col != "skew") && ($2 == "alltoallv" || FILENAME ~ /workload/) { $c = ENVIRON["V"] } { print }' \
            "$rows/$file" >"$d/$file"
        before=$(snapshot)
        (cd "$W" && "$FIT" --bootstrap 20 -o "$W/out-rows-$col-$i" "$d" >"$LOG" 2>&1)
        rc=$?
        nerr=$(grep -c 'error:' "$LOG")
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then bad="$bad #$i: rc $rc;"; fi
        if [ "$rc" -eq 1 ] && [ "$nerr" -ne 1 ]; then bad="$bad #$i: $nerr error lines;"; fi
        clean_after || bad="$bad #$i: something ran or changed outside the output;"
        rm -rf "$d"
    done
    check "$file column $col: ${#P[@]} hostile values refused (one error) or fitted, none ran${bad:+ --$bad}" \
        test -z "$bad"
done

# 2. results.jsonl: names with quotes, newlines, backquotes (JSON-escaped).
jsonl=$FIX/run-jsonl/results.jsonl
if [ -s "$jsonl" ]; then
    bad=''
    i=0
    for v in "';system 'touch $S" "a\\nsystem 'touch $S'" "\`touch $S\`" "x\\\"y" "\\u0000nul"; do
        for key in level cadence dtype collective; do
            i=$((i + 1))
            d=$W/in-jsonl-$i
            mkdir -p "$d"
            V=$v K=$key awk '{ k = "\"" ENVIRON["K"] "\":\""
                              if ((s = index($0, k)) > 0) {
                                  rest = substr($0, s + length(k)); e = index(rest, "\"")
                                  $0 = substr($0, 1, s - 1) k ENVIRON["V"] substr(rest, e) }
                              print }' "$jsonl" >"$d/results.jsonl"
            before=$(snapshot)
            (cd "$W" && "$FIT" --bootstrap 20 -o "$W/out-jsonl-$i" "$d" >"$LOG" 2>&1)
            rc=$?
            [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || bad="$bad $key #$i: rc $rc;"
            clean_after || bad="$bad $key #$i: something ran;"
            rm -rf "$d"
        done
    done
    check "results.jsonl: hostile names in level, cadence, dtype, collective refused or fitted, none ran${bad:+ --$bad}" \
        test -z "$bad"
fi

# 3. Paths: output directories and run directories named to break a command line
# (the sentinel relative: a path component holds no '/').
bad=''
for name in "out dir" "run'\$(touch SENTINEL)'" "x;touch SENTINEL" "\`touch SENTINEL\`" "o\"q" "nl
x" "back\\slash" "';system 'touch SENTINEL"; do
    o="$W/outp/$name"
    (cd "$W/outp" && "$FIT" --bootstrap 20 -o "$o" "$FIX/run-csv" >"$LOG" 2>&1) ||
        bad="$bad '$name': rc $?;"
    [ -s "$o/fit.csv" ] || bad="$bad '$name': no fit.csv;"
    if [ "$have_gp" = 1 ]; then
        ls "$o"/roofline-*.svg >/dev/null 2>&1 || bad="$bad '$name': no plot rendered;"
    fi
    no_sentinel || bad="$bad '$name': the sentinel exists;"
done
check "output directories with spaces, quotes, \$(), backquotes, newlines: fitted and plotted, nothing ran${bad:+ --$bad}" \
    test -z "$bad"
r="$W/outp/run'\$(touch SENTINEL)'-in"
cp -r "$FIX/run-csv" "$r"
(cd "$W/outp" && "$FIT" --bootstrap 20 "$r" >"$LOG" 2>&1)
rc=$?
check "a run directory named run'\$(touch SENTINEL)': fitted into RUN/fit (rc $rc)" \
    test "$rc" = 0 -a -s "$r/fit/fit.csv"
if [ "$have_gp" = 1 ]; then
    check "... its plots rendered in RUN/fit" ls "$r/fit/roofline-numa.svg"
fi
check "... and nothing ran" no_sentinel
"$FIT" --bootstrap 20 -o "$W/outp/missing/../up" "$FIX/run-csv" >"$LOG" 2>&1
rc=$?
check "-o through a missing directory and '..': created with its parents, '..' as the file system resolves it (rc $rc)" \
    test "$rc" = 0 -a -s "$W/outp/up/fit.csv" -a -d "$W/outp/missing"
: >"$W/outp/afile"
"$FIT" -o "$W/outp/afile" "$FIX/run-csv" >"$LOG" 2>&1
rc=$?
check "-o naming a regular file: refused (rc $rc): $(head -1 "$LOG")" \
    grep -q "exists and is not a directory" "$LOG"
mkdir -p "$W/outp/real"
ln -s "$W/outp/real" "$W/outp/link"
"$FIT" --bootstrap 20 -o "$W/outp/link" "$FIX/run-csv" >"$LOG" 2>&1
check "-o a symlink to a directory: written through it" test -s "$W/outp/real/fit.csv"
(umask 000 && "$FIT" --bootstrap 20 -o "$W/outp/umask" "$FIX/run-csv" >"$LOG" 2>&1)
ww=$(find "$W/outp/umask" -perm -o+w | head -3)
check "umask 000: no world-writable file or directory${ww:+ -- $ww}" test -z "$ww"

# 4. gnuplot string literals: every payload (its first line) printed back by gnuplot,
# control and non-ASCII bytes as '?', nothing run.
if [ "$have_gp" = 1 ] && [ -x "$GPQ" ]; then
    : >"$W/out-lines"
    for p in "${P[@]}"; do printf '%s\n' "$p" | head -1 >>"$W/out-lines"; done
    "$GPQ" <"$W/out-lines" >"$W/out-q.gp"
    (cd "$W" && "$GNUPLOT" out-q.gp >"$W/out-q.txt" 2>&1)
    rc=$?
    LC_ALL=C tr -c '\n -~' '?' <"$W/out-lines" >"$W/out-want"
    check "gnuplot prints every quoted payload back (rc $rc)" test "$rc" = 0
    check "... byte for byte (control and non-ASCII bytes as ?)" cmp -s "$W/out-want" "$W/out-q.txt"
    cmp -s "$W/out-want" "$W/out-q.txt" || diff "$W/out-want" "$W/out-q.txt" | head -5
    check "... and nothing ran" no_sentinel
else
    skip "gnuplot round trip" "gnuplot or tests/gp_quote missing"
fi
# Not a results file: /dev/zero (no line end, ever) is refused, not read into all
# memory; a NUL byte inside a name makes the row malformed, not a shorter name.
timeout 120 "$FIT" -o "$W/out-zero" /dev/zero >"$LOG" 2>&1
rc=$?
check "collroof-fit /dev/zero: refused (rc $rc): $(head -1 "$LOG")" \
    grep -q "without an end: not a results file" "$LOG"
mkdir -p "$W/in-nul"
awk -F, -v OFS=, 'NR == 1 { print; next } { $3 = $3 "\001"; print }' "$csv" | tr '\001' '\000' \
    >"$W/in-nul/results.csv"
"$FIT" -o "$W/out-nul" "$W/in-nul" >"$LOG" 2>&1
rc=$?
check "a NUL byte after a level name: refused (rc $rc), shown as \\x1a" grep -q 'numa\\x1a' "$LOG"
rm -rf "$W/in-nul"
# No system() or popen() anywhere in the programs' sources.
hits=$(grep -rnE '\b(system|popen)[[:space:]]*\(' "$top_srcdir/src" "$top_srcdir/collectives" \
    --include='*.c' | grep -vE ':[[:space:]]*(/\*|\*|//)' || true)
check "no system() or popen() in src/ or collectives/${hits:+ -- $hits}" test -z "$hits"
finish
