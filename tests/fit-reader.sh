#!/bin/bash
# What collroof-fit's readers reject (docs/formats.md, "What the readers reject"): a
# table of bad inputs, each one fixture with one thing wrong. Each case asserts the
# exit status, the message naming the file, line and bad value, and, for a bad row,
# that --lenient skips that row only and fits the others. Warnings (duplicates, a torn
# last line) exit 0 without --lenient and fit the rows kept.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/tap.sh"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
FIT=$top_builddir/collroof-fit
FIX=$top_srcdir/tests/fixtures/fit
[ -x "$FIT" ] || bail "$FIT not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/fit-reader.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
CSV=$FIX/run-csv/results.csv
JSONL=$FIX/run-jsonl/results.jsonl

# measurements FILE [--lenient]: the count collroof-fit reports fitting ("" on error).
measurements() {
    "$FIT" --no-plots --bootstrap 0 -o "$T/o" "$@" 2>/dev/null |
        sed -n 's/^collroof-fit: [0-9]* groups, \([0-9]*\) measurements.*/\1/p'
}
NCSV=$(measurements "$CSV")
NJSONL=$(measurements "$JSONL")
check "the fixtures fit: $NCSV CSV and $NJSONL JSONL measurements" test -n "$NCSV" -a -n "$NJSONL"

# csv_set LINE COLUMN VALUE: the CSV fixture with COLUMN of LINE set to VALUE (awk -v
# would turn backslashes into escapes: the value comes through the environment).
csv_set() {
    V=$3 awk -F, -v OFS=, -v line="$1" -v col="$2" '
        NR == 1 { for (k = 1; k <= NF; k++) if ($k == col) c = k }
        NR == line { $c = ENVIRON["V"] } { print } END { exit !c }' "$CSV" ||
        bail "csv_set: no column $2 in $CSV"
}
# jsonl_sub LINE FROM TO: the JSONL fixture with text FROM replaced by TO on LINE.
jsonl_sub() {
    F=$2 R=$3 awk -v line="$1" 'NR == line { i = index($0, ENVIRON["F"])
        if (i) $0 = substr($0, 1, i - 1) ENVIRON["R"] substr($0, i + length(ENVIRON["F"])) }
        { print }' "$JSONL"
}

# The corpus. Bad rows: NAME|FILE|MESSAGE; the file is refused (exit 1) naming the
# value, and --lenient fits every row but that one (N - 1).
csv_set 3 bytes 0x10 >"$T/hex.csv"
csv_set 3 t_median_us 0x1p1 >"$T/hexfloat.csv"
csv_set 3 t_mean_us nan >"$T/nan-unused.csv"
csv_set 3 t_p99_us abc >"$T/garbage-unused.csv"
csv_set 3 t_max_us inf >"$T/inf.csv"
csv_set 3 t_median_us 2. >"$T/cut.csv"
csv_set 3 t_median_us 2.5e >"$T/cut-exp.csv"
csv_set 3 ranks ' 8' >"$T/space.csv"
csv_set 3 ranks +8 >"$T/plus.csv"
csv_set 3 cadence sometimes >"$T/cadence.csv"
csv_set 3 run_id 'a"b' >"$T/quote.csv"
csv_set 3 run_id "$(printf 'r\tx')" >"$T/tab.csv"
csv_set 3 t_median_us 1e999 >"$T/overflow.csv"
# a NUL byte and text after it, in a name and in a number
{ head -n 2 "$CSV"; sed -n 3p "$CSV" | sed 's/,numa,/,numa@junk,/' | tr @ '\000'; tail -n +4 "$CSV"; } \
    >"$T/nul-name.csv"
{ head -n 2 "$CSV"; sed -n 3p "$CSV" | sed 's/,pass$/,pass@junk/' | tr @ '\000'; tail -n +4 "$CSV"; } \
    >"$T/nul-end.csv"
jsonl_sub 3 '"level":"numa"' '"level":"nu\"ma"' >"$T/quote.jsonl"
jsonl_sub 3 '"cadence":"isolated"' '"cadence":"iso\nlated"' >"$T/newline.jsonl"
jsonl_sub 3 '"cadence":"isolated"' '"cadence":"warm"' >"$T/cadence.jsonl"
jsonl_sub 3 '"bytes":16' '"bytes":16.5' >"$T/float-bytes.jsonl"
awk 'NR == 3 { sub(/"raw_us":\[[^]]*\]/, "\"raw_us\":[100,100,100]") } { print }' "$JSONL" \
    >"$T/raw-median.jsonl"
{ head -n 3 "$CSV"; sed -n 4p "$CSV" | cut -c1-40; tail -n +5 "$CSV"; } >"$T/torn-middle.csv"

bad_rows=(
    "hex.csv|3: column bytes: '0x10' is not a positive integer (not a plain decimal"
    "hexfloat.csv|3: column t_median_us: '0x1p1' is not a finite number >= 0 (not a plain decimal"
    "nan-unused.csv|3: column t_mean_us: 'nan' is not a finite number >= 0"
    "garbage-unused.csv|3: column t_p99_us: 'abc' is not a finite number >= 0"
    "inf.csv|3: column t_max_us: 'inf' is not a finite number >= 0"
    "cut.csv|3: column t_median_us: '2.' is not a finite number >= 0 (not a plain decimal"
    "cut-exp.csv|3: column t_median_us: '2.5e' is not a finite number >= 0"
    "space.csv|3: column ranks: ' 8' is not a positive integer (not a plain decimal"
    "plus.csv|3: column ranks: '+8' is not a positive integer (not a plain decimal"
    "cadence.csv|3: cadence 'sometimes' is not isolated, streaming, overlap or overlap_test"
    "quote.csv|3: column run_id: 'a\"b' is not a name"
    "tab.csv|3: column run_id: 'r\\x09x' is not a name"
    "overflow.csv|3: column t_median_us: '1e999' is not a finite number >= 0 (out of range)"
    "nul-name.csv|3: column level: 'numa\\x1ajunk' is not a name"
    "nul-end.csv|3: column valid: 'pass\\x1ajunk' is not pass, fail or skipped"
    "quote.jsonl|3: key 'level': 'nu\"ma' is not a name"
    "newline.jsonl|3: key 'cadence': 'iso\\x0alated' is not a name"
    "cadence.jsonl|3: cadence 'warm' is not isolated, streaming, overlap or overlap_test"
    "float-bytes.jsonl|3: key 'bytes' must be an integer >= 1"
    "raw-median.jsonl|3: t_median_us 2.5016 disagrees with the median of its 3 raw_us samples (100): more than 5% apart"
    "torn-middle.csv|4: expected 24 fields, found"
)
for c in "${bad_rows[@]}"; do
    f=${c%%|*} msg=${c#*|}
    n=$NCSV; [ "${f##*.}" = jsonl ] && n=$NJSONL
    "$FIT" --no-plots --bootstrap 0 -o "$T/o" "$T/$f" >"$T/out" 2>"$T/err"
    rc=$?
    check "$f: refused (rc $rc), naming it: $(head -c 300 "$T/err")" \
        test "$rc" -eq 1 -a "$(grep -c 'error:' "$T/err")" -eq 1
    check "$f: the message is '$f:$msg'" grep -qF -- "$f:$msg" "$T/err"
    got=$(measurements --lenient "$T/$f")
    check "$f: --lenient skips that row only ($got of $n measurements fitted)" \
        test "$got" = $((n - 1))
done

# Warnings: the file is fitted without --lenient. NAME|MESSAGE|MEASUREMENTS.
{ cat "$CSV"; sed -n 3p "$CSV"; sed -n 5p "$CSV"; sed -n 3p "$CSV"; } >"$T/dup.csv"
{ cat "$JSONL"; sed -n 4p "$JSONL"; } >"$T/dup.jsonl"
{ cat "$CSV"; sed -n 4p "$CSV" | cut -c1-40 | tr -d '\n'; } >"$T/torn.csv"
{ head -n 300 "$JSONL"; sed -n 301p "$JSONL" | cut -c1-150 | tr -d '\n'; } >"$T/torn.jsonl"
{ head -n 300 "$JSONL"; sed -n 301p "$JSONL" | tr -d '\n'; } >"$T/noeol.jsonl"
warns=(
    "dup.csv|:102: 3 duplicate rows (same run_id, collective, level, cadence, dtype, in_place, variant, skew, ranks, nodes, ppn and bytes as an earlier row; the first from line 102): the first of each kept|$NCSV"
    "dup.jsonl|:302: 1 duplicate row|$NJSONL"
    "torn.csv|:102: torn last line ignored: no newline at its end and expected 24 fields|$NCSV"
    "torn.jsonl|:301: torn last line ignored: no newline at its end and not a JSON object|$((NJSONL - 1))"
    "noeol.jsonl||$NJSONL"
)
for c in "${warns[@]}"; do
    IFS='|' read -r f msg n <<<"$c"
    "$FIT" --no-plots --bootstrap 0 -o "$T/o" "$T/$f" >"$T/out" 2>"$T/err"
    rc=$?
    got=$(sed -n 's/^collroof-fit: [0-9]* groups, \([0-9]*\) measurements.*/\1/p' "$T/out")
    check "$f: fitted (rc $rc), $got of $n measurements" test "$rc" -eq 0 -a "$got" = "$n"
    if [ -n "$msg" ]; then
        check "$f: one warning, '$f$msg'" \
            test "$(grep -c 'warning:' "$T/err")" -eq 1 -a "$(grep -cF -- "$f$msg" "$T/err")" -eq 1
    else
        check "$f: no warning (a last line without a newline that parses is a row)" \
            test "$(grep -c 'warning:' "$T/err")" -eq 0
    fi
done

finish
