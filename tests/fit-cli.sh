#!/bin/sh
# collroof-fit command line: options, bad values, bad files, predict, intensity.
set -u
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FIX="$top_srcdir/tests/fixtures/fit"
T=$(mktemp -d "${TMPDIR:-/tmp}/fit-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

# expect RC PATTERN CMD...: exit status RC and PATTERN in stdout+stderr.
expect() {
  rc=$1; pat=$2; shift 2
  "$@" > "$T/out" 2>&1
  got=$?
  if [ "$got" -ne "$rc" ] || ! grep -q -- "$pat" "$T/out"; then
    fail "$* -> rc $got (want $rc) and '$pat'"; cat "$T/out"
  else
    ok "$* -> rc $rc and '$pat'"
  fi
}

expect 0 "--max-segments K" "$FIT" --help
expect 0 "collroof-fit " "$FIT" --version
expect 2 "no run given" "$FIT"
expect 2 "invalid --bootstrap 'x'" "$FIT" --bootstrap x "$FIX/run-csv"
expect 2 "invalid --max-segments '9'" "$FIT" --max-segments 9 "$FIX/run-csv"
expect 2 "invalid --format 'pdf'" "$FIT" --format pdf "$FIX/run-csv"
# An option of another command: named once, with the command that takes it; an
# unknown one named once (a character of two bytes whole).
# refused WANT CMD...: exit status 2, WANT in the output exactly once, no usage text.
refused() {
  want=$1; shift
  "$@" > "$T/out" 2>&1
  got=$?
  n=$(grep -oF -- "$want" "$T/out" | wc -l)
  if [ "$got" -ne 2 ] || [ "$n" -ne 1 ] || grep -q "^usage" "$T/out"; then
    fail "$* -> rc $got (want 2), '$want' $n times (want 1)"; cat "$T/out"
  else
    ok "$* -> rc 2, '$want' once"
  fi
}
refused "option '--flops' is not accepted by collroof-fit predict; collroof-fit intensity takes it" \
  "$FIT" predict --fit "$T/fit" --flops 2e12 --bytes 1M --ranks 8
refused "option '--csv' is not accepted by collroof-fit intensity; collroof-fit predict and collroof-fit plan and collroof-fit boundary take it" \
  "$FIT" intensity --flops 2e12 --bytes 1M --peak-tflops 100 --bw-GBps 10 --csv "$T/x.csv"
refused "option '--peak-tflops' is not accepted by collroof-fit; collroof-fit intensity and collroof-fit plan and collroof-fit workload and collroof-fit boundary take it" \
  "$FIT" --peak-tflops 100 "$FIX/run-csv"
refused "unknown option '-ü'" "$FIT" predict -ü
refused "unknown option '--nosuch'" "$FIT" intensity --nosuch=3
refused "missing value for option '--bytes'" "$FIT" predict --bytes
expect 1 "cannot read $T/nope" "$FIT" "$T/nope"
: > "$T/empty.csv"
expect 1 "empty.csv:1: empty file" "$FIT" -o "$T/o" "$T/empty.csv"
# A line cut short: in the middle refused, naming it; as the last line (no newline:
# a write cut short by a full disk) ignored with a warning, the rest fitted.
J=$FIX/run-jsonl/results.jsonl
{ head -n 5 "$J"; sed -n 6p "$J" | head -c 100; echo; sed -n 7,12p "$J"; } > "$T/trunc.jsonl"
expect 1 "trunc.jsonl:6: not a JSON object" "$FIT" -o "$T/o" "$T/trunc.jsonl"
{ head -n 12 "$J"; sed -n 13p "$J" | head -c 100; } > "$T/torn.jsonl"
expect 0 "torn.jsonl:13: torn last line ignored" "$FIT" --no-plots -o "$T/o" "$T/torn.jsonl"
# Random bytes after a fixed first byte (a leading '{' would make it JSONL).
{ printf 'x'; head -c 300000 /dev/urandom 2>/dev/null | tr -d '\000' | head -c 20000; } > "$T/garbage.csv"
expect 1 "garbage.csv:1: header lacks" "$FIT" -o "$T/o" "$T/garbage.csv"
{ head -5 "$FIX/run-csv/results.csv"; echo "bench,allreduce,numa,isolated,8,2,4,1,128,128,float,31,iters,1,nan,1,1,1,1,1,1,1,1,pass";
  sed -n '6,30p' "$FIX/run-csv/results.csv"; } > "$T/nan.csv"
expect 1 "nan.csv:6: column t_median_us" "$FIT" -o "$T/o" "$T/nan.csv"
expect 0 "row skipped (--lenient)" "$FIT" --lenient --no-plots -o "$T/o" "$T/nan.csv"

# One-rank groups (p = 1, F = 0: nothing crosses a bus, busbw 0): fitted, summarised,
# a time plot but no busbw roofline plot for a level holding only such groups.
awk -F, -v OFS=, 'NR == 1 { print; next } $3 == "numa" { $5 = 1; $23 = 0; print }' \
    "$FIX/run-csv/results.csv" > "$T/p1.csv"
expect 0 "allreduce numa isolated p=1" "$FIT" --bootstrap 20 -o "$T/p1" "$T/p1.csv"
if command -v gnuplot > /dev/null 2>&1; then
  [ -s "$T/p1/time-numa.png" ] || { fail "p=1: no time plot"; }
  [ ! -e "$T/p1/roofline-numa.png" ] || { fail "p=1: a busbw roofline of zeros"; }
fi

# Fit, then predict and intensity from the fit directory.
expect 0 "allreduce" "$FIT" --no-plots --bootstrap 100 -o "$T/fit" "$FIX/run-jsonl"
expect 0 "interpolates in size within segment 2" "$FIT" predict --fit "$T/fit" \
  --collective allreduce --level node --bytes 1M --ranks 8 --csv "$T/pred.csv"
expect 0 "extrapolates in ranks" "$FIT" predict --fit "$T/fit" --collective allreduce \
  --level node --bytes 1M --nodes 4 --ppn 8 --csv "$T/pred.csv"
[ "$(wc -l < "$T/pred.csv")" -eq 3 ] || { fail "predict --csv rows"; }
expect 0 "extrapolates in size beyond" "$FIT" predict --fit "$T/fit" --collective allgather \
  --level world --bytes 4G --ranks 8
# A group of one rank (a named level with one rank per host) has F = 0: its fit.csv
# row is skipped with a warning, and predictions from the other groups still work.
mkdir -p "$T/fit1" && cp "$T/fit"/*.csv "$T/fit1/"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
    NR == 2 { print; $c["level"] = "numa"; $c["ranks"] = 1; $c["F"] = 0; print; next } { print }' \
    "$T/fit/fit.csv" > "$T/fit1/fit.csv"
expect 0 "fit.csv:3: skipped: a group with F = 0" "$FIT" predict --fit "$T/fit1" \
  --collective allreduce --level node --bytes 1M --ranks 8
expect 0 "interpolates in size" "$FIT" predict --fit "$T/fit1" \
  --collective allreduce --level node --bytes 1M --ranks 8
# Defaults chosen per level: world has only streaming rows here, the other levels only
# isolated ones; predict takes world/streaming (this crashed when the two defaults,
# world and isolated, were picked independently).
mkdir -p "$T/mix" && cp "$T/fit"/*.csv "$T/mix/"
awk -F, -v OFS=, 'NR > 1 && $2 == "world" { $3 = "streaming" } { print }' "$T/fit/fit.csv" > "$T/mix/fit.csv"
awk -F, -v OFS=, 'NR > 1 && $2 == "world" { $3 = "streaming" } { print }' "$T/fit/scaling.csv" > "$T/mix/scaling.csv"
expect 0 "allreduce world streaming p=8" "$FIT" predict --fit "$T/mix" --collective allreduce \
  --bytes 1M --ranks 8
# A reduction on one rank moves nothing: refused, not invented.
expect 1 "moves no data (F(1) = 0)" "$FIT" predict --fit "$T/fit" --collective allreduce \
  --bytes 1M --ranks 1
# --latency-us sets the latency floor: 8 bytes in segment 1 take 3 us + 8 B / r_inf.
expect 0 "time   3.00[0-9] us" "$FIT" predict --fit "$T/fit" --collective allreduce \
  --level world --bytes 8 --ranks 8 --latency-us 3
# ... and in segment 2 (alpha 34 us, r_inf 3.2 GB/s; alpha_1 = 8.5 us) the curve moves
# by 3 - 8.5: 34 - 5.5 + 1048576 / 3200 = 356.2 us (not 3 + 327.7: that segment's
# intercept is no latency).
expect 0 "time   356.2 us" "$FIT" predict --fit "$T/fit" --collective allreduce \
  --level world --bytes 1M --ranks 8 --latency-us 3
# --link-GBps on a segment with r_inf = inf and no recorded link: finite, no NaN.
mkdir -p "$T/flat" && cp "$T/fit"/*.csv "$T/flat/"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
    { $c["link_ceiling_GBps"] = "" } $1 == "allreduce" && $2 == "world" && $5 == 1 {
      $c["rinf_GBps"] = "inf"; $c["rinf_hi_GBps"] = "inf" } { print }' "$T/fit/fit.csv" > "$T/flat/fit.csv"
expect 0 "busbw ceiling what-if\\|link rate what-if" "$FIT" predict --fit "$T/flat" \
  --collective allreduce --level world --bytes 1K --ranks 8 --link-GBps 20
grep -qi "nan" "$T/out" && { fail "--link-GBps on r_inf = inf gave NaN:"; cat "$T/out"; }
# A negative intercept never gives a negative time (it gave -101.9 us, and -450.6 us
# at 64 ranks, exit 0). Segment 2 of allreduce world p=8 at alpha -500 us: at 64K the
# line is negative, so the time is the latency floor alpha_1 = 8.5 us (scaled to p),
# and the answer says so.
negfit() { # negfit DIR SEGMENT ALPHA: $T/fit with that allreduce world segment's alpha
  mkdir -p "$1" && cp "$T/fit"/*.csv "$1/"
  awk -F, -v OFS=, -v seg="$2" -v a="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
    $1 == "allreduce" && $2 == "world" && $5 == seg {
      $c["alpha_us"] = a; $c["alpha_lo_us"] = a - 10; $c["alpha_hi_us"] = a + 10 } { print }' \
    "$T/fit/fit.csv" > "$1/fit.csv"
}
negfit "$T/neg2" 2 -500
for p in 8 64; do
  expect 0 "latency floor [0-9.]* us applied" "$FIT" predict --fit "$T/neg2" \
    --collective allreduce --level world --bytes 64K --ranks $p --csv "$T/neg2.csv"
  check "64K allreduce on $p ranks: no negative time" sh -c "! grep -q 'time *-' '$T/out'"
done
check "predict --csv: t_lo >= 0 and t_lo <= t <= t_hi" awk -F, \
  'NR > 1 && !($7 >= 0 && $7 <= $6 && $6 <= $8 && $6 > 0) { bad = 1 } END { exit bad }' "$T/neg2.csv"
# Segment 1 at alpha -101.9 us: no latency anywhere in the fit, an 8-byte time would be
# <= 0: refused, saying why.
negfit "$T/neg1" 1 -101.9
for p in 8 64; do
  expect 1 "not finite and positive" "$FIT" predict --fit "$T/neg1" --collective allreduce \
    --level world --bytes 8 --ranks $p
done
expect 1 "cannot append to /nonexistent/p.csv" "$FIT" predict --fit "$T/fit" \
  --collective allreduce --bytes 1M --ranks 8 --csv /nonexistent/p.csv
expect 2 "expected at most" "$FIT" predict --fit "$T/fit" --collective allreduce \
  --bytes 1M --nodes 1048576 --ppn 2048
expect 1 "no fit for collective 'bcast'" "$FIT" predict --fit "$T/fit" --collective bcast \
  --bytes 1M --ranks 8
expect 2 "invalid --bytes '1Q'" "$FIT" predict --fit "$T/fit" --collective allreduce \
  --bytes 1Q --ranks 8
# Fits never merge variants: the same rows measured blocking and nonblocking give
# separate fit.csv groups, told apart by the variant column and in the summary.
awk -F, -v OFS=, 'NR == 1 { print $0, "in_place", "variant"; next }
    { print $0, 0, "blocking"; print $0, 0, "nonblocking" }' "$FIX/run-csv/results.csv" > "$T/var.csv"
expect 0 "^allreduce/nonblocking *node" "$FIT" --no-plots --bootstrap 20 -o "$T/var" "$T/var.csv"
nseg1() { awk -F, -v v="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
          $c["segment"] == 1 && $c["variant"] == v && $c["dtype"] == "float"' "$T/var/fit.csv" | wc -l; }
check "fit.csv: 5 groups per variant" test "$(nseg1 blocking)" -eq 5 -a "$(nseg1 nonblocking)" -eq 5
check "roofline.csv carries the group key columns (skew, imbalance, max_recv_bytes appended after them)" \
  sh -c "head -1 '$T/var/roofline.csv' | grep -q ',dtype,in_place,variant,nodes,ppn,skew,imbalance,max_recv_bytes\$'"
# predict will not pick a variant for the user; told one, it says which it read.
expect 1 "fitted for several variants (dtype float, in_place 0, variant blocking; dtype float, in_place 0, variant nonblocking)" \
  "$FIT" predict --fit "$T/var" --collective allreduce --bytes 1M --ranks 8
expect 0 "S=1048576 bytes (float, nonblocking)" "$FIT" predict --fit "$T/var" \
  --collective allreduce --variant nonblocking --bytes 1M --ranks 8
expect 1 "no fit for collective 'allreduce' dtype double" "$FIT" predict --fit "$T/var" \
  --collective allreduce --dtype double --bytes 1M --ranks 8
expect 2 "invalid --variant 'overlap'" "$FIT" predict --fit "$T/var" --collective allreduce \
  --variant overlap --bytes 1M --ranks 8
expect 2 "invalid --in-place 'yes'" "$FIT" predict --fit "$T/var" --collective allreduce \
  --in-place yes --bytes 1M --ranks 8
# A fit directory written before these columns existed still predicts.
mkdir -p "$T/old"
cut -d, -f1-27 "$T/fit/fit.csv" > "$T/old/fit.csv"
cut -d, -f1-13 "$T/fit/scaling.csv" > "$T/old/scaling.csv"
expect 0 "interpolates in size within segment 2" "$FIT" predict --fit "$T/old" \
  --collective allreduce --level node --bytes 1M --ranks 8
expect 0 "extrapolates in ranks" "$FIT" predict --fit "$T/old" --collective allreduce \
  --level node --bytes 1M --ranks 32

# Fits never merge topologies: the fixture's 2 x 4 rows again as 8 x 1, twice as
# slow, give two groups per level at p=8, told apart by nodes,ppn and in the summary;
# predict reads the topology asked for and will not guess between them.
awk -F, -v OFS=, 'NR == 1 { print; next } { print }
    { $6 = 8; $7 = 1; for (i = 14; i <= 21; i++) $i *= 2; $22 /= 2; $23 /= 2; print }' \
  "$FIX/run-csv/results.csv" > "$T/topo.csv"
expect 0 "^allreduce/8x1 *world" "$FIT" --no-plots --bootstrap 20 -o "$T/topo" "$T/topo.csv"
ntopo() { awk -F, -v n="$1" -v q="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
          $c["segment"] == 1 && $c["level"] == "world" && $c["nodes"] == n && $c["ppn"] == q' \
          "$T/topo/fit.csv" | wc -l; }
check "fit.csv: one world group per topology" test "$(ntopo 2 4)" -eq 1 -a "$(ntopo 8 1)" -eq 1
check "roofline.csv: rows of both topologies" sh -c "awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next } { print \$c[\"nodes\"] \"x\" \$c[\"ppn\"] }' \
  '$T/topo/roofline.csv' | sort -u | tr '\\n' ' ' | grep -qx '2x4 8x1 '"
expect 1 "fitted for several topologies (nodes x ppn: 2x4, 8x1): choose one with --nodes N --ppn Q" \
  "$FIT" predict --fit "$T/topo" --collective allreduce --level world --bytes 1M --ranks 8
expect 1 "not measured on 4 nodes x 2 ppn" "$FIT" predict --fit "$T/topo" \
  --collective allreduce --level world --bytes 1M --nodes 4 --ppn 2
ptime() { "$FIT" predict --fit "$T/topo" --collective allreduce --level world --bytes 8M \
          --nodes "$1" --ppn "$2" | awk '$1 == "time" { print $2 }'; }
t24=$(ptime 2 4); t81=$(ptime 8 1)
check "predict --nodes 8 --ppn 1 reads 8x1 ($t81 us), twice 2x4's ($t24 us)" \
  awk -v a="$t81" -v b="$t24" 'BEGIN { exit !(b > 0 && a / b > 1.9 && a / b < 2.1) }'
expect 0 "of p=8 on 8x1 (nodes x ppn)" "$FIT" predict --fit "$T/topo" --collective allreduce \
  --level world --bytes 8M --nodes 8 --ppn 1
# A fit.csv without nodes,ppn (any topology) still answers a query that names one.
mkdir -p "$T/notopo"
cut -d, -f1-20,23- "$T/fit/fit.csv" > "$T/notopo/fit.csv"
expect 0 "interpolates in size within segment 2 (.*) of p=8\$" "$FIT" predict --fit "$T/notopo" \
  --collective allreduce --level node --bytes 1M --nodes 2 --ppn 4

# An unknown collective: refused, naming it and the known ones (F comes from the
# plug-in table; no silent F = 1).
expect 2 "invalid --collective 'nosuch': expected allreduce, .*pingpong" "$FIT" predict \
  --fit "$T/fit" --collective nosuch --bytes 1M --ranks 8
expect 2 "invalid --collective 'nosuch'" "$FIT" intensity --flops 1e9 --bytes 1G \
  --peak-tflops 100 --fit "$T/fit" --collective nosuch --ranks 8
# A results file with an unknown collective: an error naming it; --lenient skips it.
{ head -1 "$FIX/run-csv/results.csv"; sed -n '2,30p' "$FIX/run-csv/results.csv" |
  awk -F, -v OFS=, 'NR == 1 { $2 = "nosuch" } { print }'; } > "$T/nosuch.csv"
expect 1 "nosuch.csv:2: unknown collective 'nosuch' (this collroof-fit knows allreduce" \
  "$FIT" -o "$T/o" "$T/nosuch.csv"
expect 0 "nosuch.csv:2: unknown collective 'nosuch'.*row skipped (--lenient)" \
  "$FIT" --lenient --no-plots -o "$T/o" "$T/nosuch.csv"
expect 0 "communication-bound" "$FIT" intensity --flops 1e9 --bytes 1G --peak-tflops 100 \
  --bw-GBps 50
expect 0 "compute-bound" "$FIT" intensity --flops 1e15 --bytes 64M --peak-tflops 100 \
  --fit "$T/fit" --collective allreduce --level node --ranks 8
finish
