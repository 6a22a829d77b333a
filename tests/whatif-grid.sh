#!/bin/sh
# predict's what-if fabrics, --csv and --grid on a hand-made fit of known parameters
# (tests/fixtures/whatif/README): exact what-if arithmetic, refusals of bad values,
# a strict spreadsheet checker (units in the header, numeric cells plain decimals,
# one row per grid point) and the grid's plot. No MPI.
set -u
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FIX="$top_srcdir/tests/fixtures/whatif"
T=$(mktemp -d "${TMPDIR:-/tmp}/whatif-grid.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

P() { "$FIT" predict --fit "$FIX" --collective allreduce --bytes 1M "$@"; }
# time PREDICT-ARGS...: the flat answer's time (us) as printed.
ptime() { P "$@" 2>/dev/null | awk '$1 == "time" { print $2; exit }'; }
# near GOT WANT: equal to 4 significant digits (predict prints %.4g).
near() { awk -v g="$1" -v w="$2" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= 5e-4 * w) }'; }

# --- the flat answer: what the what-if replaces -------------------------------------
# rail p=2: alpha 20 us, r_inf 1 GB/s, link 2 GB/s; S = 1048576 bytes.
t=$(ptime --level rail --ranks 2)
check "measured: 20 + 1048576 / 1000 = 1068.576 us (got $t)" near "$t" 1068.576
t=$(ptime --level rail --ranks 2 --level-GBps rail=4)
check "rail=4: r_inf x 4 / link 2: 20 + 1048576 / 2000 = 544.288 us (got $t)" near "$t" 544.288
t=$(ptime --level rail --ranks 2 --link-GBps 4)
check "--link-GBps 4 at level rail: the same 544.288 us (got $t)" near "$t" 544.288
t=$(ptime --level rail --ranks 2 --link-GBps 8 --level-GBps rail=4)
check "rail=4 overrides --link-GBps 8 there (got $t)" near "$t" 544.288
t=$(ptime --level rail --ranks 2 --level-GBps internode=4)
check "internode=4 reaches rail, which has none of its own (got $t)" near "$t" 544.288
t=$(ptime --level rail --ranks 2 --level-GBps internode=4,rail=8)
check "rail=8 beside internode=4: rail's own wins, 20 + 1048576 / 4000 (got $t)" near "$t" 282.144
t=$(ptime --level rail --ranks 2 --level-GBps node=100)
check "node=100 leaves rail as measured (got $t)" near "$t" 1068.576
t=$(ptime --level rail --ranks 2 --level-latency-us rail=5)
check "rail latency 5 us: 5 + 1048.576 (got $t)" near "$t" 1053.576
t=$(ptime --level rail --ranks 2 --level-latency-us rail=5 --level-GBps rail=4)
check "both: 5 + 524.288 (got $t)" near "$t" 529.288
# node reduce_scatter records no link: X is the busbw ceiling, r_inf = X / F(2) = 20.
t=$("$FIT" predict --fit "$FIX" --collective reduce_scatter --level node --bytes 1M --ranks 2 \
    --level-GBps node=10 2>/dev/null | awk '$1 == "time" { print $2; exit }')
check "node=10 without a recorded link: busbw ceiling, 10 + 1048576 / 20000 (got $t)" near "$t" 62.4288
# world over 2 hosts crosses nodes: internode=4 applies (link 2: x2), 30 + 1048576 / 1600.
t=$(ptime --level world --ranks 4 --level-GBps internode=4)
check "internode=4 reaches world over 2 hosts: 30 + 655.36 (got $t)" near "$t" 685.36
P --level rail --ranks 2 --level-GBps rail=4 >"$T/side" 2>&1
check "the answer shows the measured fabric beside the what-if, with the ratio" \
    grep -Eq 'flat +measured 1069 us .* what-if 544.3 us .* ratio 0\.509' "$T/side"

# --- refusals: each names the bad value, exit 2 ---------------------------------------
refuse() {   # WANT ARGS...
    want=$1; shift
    P --ranks 2 "$@" >"$T/out" 2>&1
    rc=$?
    if [ "$rc" = 2 ] && grep -qF -- "$want" "$T/out"; then ok "refused $* ($want)"
    else fail "refused $* -> rc $rc, want 2 and '$want'"; cat "$T/out"; fi
}
refuse "invalid --level-GBps level 'fabric': expected one of world, node" --level-GBps fabric=3
refuse "invalid --level-GBps value '-1' for level rail" --level-GBps rail=-1
refuse "invalid --level-GBps value '0' for level rail" --level-GBps rail=0
refuse "invalid --level-GBps value 'fast' for level rail" --level-GBps rail=fast
refuse "invalid --level-GBps value '0x10' for level rail" --level-GBps rail=0x10
refuse "invalid --level-GBps value 'inf' for level rail" --level-GBps rail=inf
refuse "invalid --level-GBps value '' for level rail" --level-GBps rail=
refuse "invalid --level-GBps 'rail': expected LEVEL=VALUE" --level-GBps rail
refuse "invalid --level-GBps 'rail=1,,node=2': an empty item" --level-GBps rail=1,,node=2
refuse "invalid --level-latency-us level 'nic'" --level-latency-us nic=2
refuse "invalid --level-latency-us value '1e999' for level node" --level-latency-us node=1e999
refuse "invalid --grid field 'speed'" --grid speed=1
refuse "invalid --grid nodes range '8..2'" --grid nodes=8..2
refuse "invalid --grid nodes range '2..8:x1'" --grid nodes=2..8:x1
refuse "invalid --grid nodes value '0'" --grid nodes=0,2
refuse "invalid --grid nodes value '2.5'" --grid nodes=2.5
refuse "invalid --grid bytes value '1Q'" --grid bytes=1Q
refuse "invalid --grid rail-GBps value 'x'" --grid nodes=2,rail-GBps=x
refuse "invalid --grid field 'fabric-GBps'" --grid fabric-GBps=2
refuse "field 'nodes' given twice" --grid nodes=2,nodes=4
refuse "invalid --grid '4': expected FIELD=VALUES first" --grid 4,nodes=2
refuse "expected at most 100000" --grid nodes=1..1000:+1,bytes=1K:1G,rail-GBps=1..20:+1

# --- the grid: one row per point, exact what-if arithmetic --------------------------
# 4 node counts x 2 sizes x 2 rail rates = 16 points; rail=2 is the measured link.
G="nodes=2..16,ppn=2,bytes=1M,4M,rail-GBps=2,4"
P --grid "$G" --csv "$T/grid.csv" --grid-plot "$T/plot" >"$T/grid.out" 2>&1
rc=$?
check "predict --grid exits 0 (rc $rc)" [ "$rc" = 0 ]
check "the table on stdout says 16 points" grep -q '^16 grid points' "$T/grid.out"
# A strict reader: RFC 4180 fields (quotes, doubled quotes), the header's columns
# once each, every numeric column (a unit suffix _us, _GBps, or a count) a plain
# decimal or empty, every row as wide as the header.
cat >"$T/strict.awk" <<'EOF'
function split_csv(line, f,   n, i, c, q, cur) {
    n = 0; cur = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur c; i++ } else q = 0 }
                 else cur = cur c }
        else if (c == "\"" && cur == "") q = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
    }
    f[++n] = cur
    return n
}
function numeric(name) {
    return name ~ /_(us|GBps)$/ || name ~ /^(ranks|bytes|nodes|ppn|in_place|extrapolated|whatif_time_ratio)$/
}
NR == 1 { nh = split_csv($0, h)
          for (i = 1; i <= nh; i++) { if (h[i] in seen) { print "duplicate column " h[i]; bad++ }
                                      seen[h[i]] = i }
          next }
{ n = split_csv($0, f)
  if (n != nh) { print "row " NR ": " n " fields, header " nh; bad++ }
  for (i = 1; i <= n; i++)
      if (numeric(h[i]) && f[i] != "" && f[i] !~ /^-?[0-9]+(\.[0-9]+)?$/) {
          print "row " NR " column " h[i] ": '" f[i] "' is not a plain decimal"; bad++ }
  rows++ }
END { print "ROWS " rows + 0; exit bad > 0 }
EOF
awk -f "$T/strict.awk" "$T/grid.csv" >"$T/strict.out"
check "grid.csv: strict CSV, numeric cells plain decimals ($(grep -v ROWS "$T/strict.out" | head -1))" \
    [ $? = 0 ]
check "grid.csv: one row per grid point (16)" grep -qx 'ROWS 16' "$T/strict.out"
for c in t_us t_lo_us t_hi_us busbw_GBps whatif_rail_GBps t_measured_us whatif_time_ratio \
    extrapolated algorithm fits_used; do
    check "grid.csv has column $c" sh -c "head -1 '$T/grid.csv' | tr , '\n' | grep -qx '$c'"
done
# Hierarchical rail at N nodes x 2: node reduce_scatter(S) + rail allreduce(S/2) +
# node allgather(S). Node phases 10 + S / 5000 each; the rail phase at p = N from
# p0 = 2: alpha 20 ceil(log2 N), r_inf 1 x F(2) / F(N), F(N) = 2 (N - 1) / N, so its
# bandwidth term is (S / 2) F(N) / 1000 on the measured link and half that at rail=4.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    function lg(n,  k) { k = 0; while (2 ^ k < n) k++; return k }
    { N = $c["nodes"]; S = $c["bytes"]; X = $c["whatif_rail_GBps"]
      node = 2 * (10 + S / 5000); a = 20 * lg(N); bw = S / 2 * (2 * (N - 1) / N) / 1000
      want_m = node + a + bw; want = node + a + bw * 2 / X
      em = $c["t_measured_us"] / want_m - 1; e = $c["t_us"] / want - 1
      if (em < 0) em = -em; if (e < 0) e = -e
      if (em > 2e-6 || e > 2e-6 || $c["level"] != "hierarchical" ||
          $c["algorithm"] != "hierarchical rail") {
          printf "row %d: N=%d S=%d X=%s: t %s (want %.7g), measured %s (want %.7g)\n",
                 NR, N, S, X, $c["t_us"], want, $c["t_measured_us"], want_m; bad++ }
      if (X == 4) { half++
          # doubling rail GB/s halves the rail phase bandwidth term: measured - what-if = bw / 2
          d = ($c["t_measured_us"] - $c["t_us"]) / (bw / 2) - 1; if (d < 0) d = -d
          if (d > 1e-5) { printf "row %d: measured - what-if %.7g, want %.7g\n", NR,
                                 $c["t_measured_us"] - $c["t_us"], bw / 2; bad++ } }
      if (X == 2 && $c["whatif_time_ratio"] != 1) { printf "row %d: ratio %s, want 1\n", NR, $c["whatif_time_ratio"]; bad++ }
      n++ }
    END { exit !(n == 16 && half == 8 && !bad) }' "$T/grid.csv" >"$T/arith.out"
check "grid: every row's what-if and measured time exact to 7 digits; rail=4 halves the rail phase's bandwidth term; rail=2 (the measured link) changes nothing" [ $? = 0 ]
[ -s "$T/arith.out" ] && cat "$T/arith.out"
P --grid "nodes=2,4,ppn=2" --csv "$T/twice.csv" >/dev/null 2>&1
P --grid "nodes=2,4,ppn=2" --csv "$T/twice.csv" >/dev/null 2>&1
check "a grid appended to an existing file adds rows, not a second header" \
    sh -c "[ \$(wc -l <'$T/twice.csv') = 5 ] && [ \$(grep -c '^collective,' '$T/twice.csv') = 1 ]"
# Rows in order: what-ifs outermost, then ppn, bytes, nodes innermost.
check "grid rows: nodes innermost, then bytes, then the rail rate" \
    sh -c "awk -F, 'NR > 1 { print \$20 \"/\" \$5 }' '$T/grid.csv' | head -5 | tr '\n' ' ' |
           grep -qx '2/1048576 4/1048576 8/1048576 16/1048576 2/4194304 '"
# A grid with a bad point still writes its row, empty numbers and why: no world-only
# hierarchy for alltoall here, no flat fit either.
"$FIT" predict --fit "$FIX" --collective alltoall --grid nodes=2,4,ppn=2,bytes=1M \
    --csv "$T/none.csv" >"$T/none.out" 2>&1
rc=$?
check "points without an answer: exit 1, rows kept with empty numbers (rc $rc)" \
    sh -c "[ $rc = 1 ] && [ \$(wc -l <'$T/none.csv') = 3 ] &&
           awk -F, 'NR > 1 && \$6 != \"\" { exit 1 }' '$T/none.csv'"

# --- the plot: data and script, labels quoted as data ---------------------------------
check "grid plot: plot-grid.gp and grid.dat written" test -s "$T/plot/plot-grid.gp" -a -s "$T/plot/grid.dat"
check "grid plot: log-log, time vs nodes, intervals as error bars" \
    sh -c "grep -q 'set logscale xy' '$T/plot/plot-grid.gp' && grep -q 'yerrorlines' '$T/plot/plot-grid.gp'"
check "grid plot: 4 series (2 rates x 2 sizes), each with 4 node counts" \
    awk 'BEGIN { RS = "" } { k = 0; m = split($0, l, "\n")
                               for (i = 1; i <= m; i++) k += l[i] !~ /^#/
                               s++; if (k != 4) bad = 1 }
         END { exit !(s == 4 && !bad) }' "$T/plot/grid.dat"
if command -v gnuplot >/dev/null 2>&1; then
    check "grid plot rendered (grid.svg)" test -s "$T/plot/grid.svg"
fi
"$FIT" predict --fit "$FIX" --collective allreduce --grid "nodes=2,ppn=2,bytes=1M,rail-GBps=3" \
    --grid-plot "$T/q'x\`" >/dev/null 2>&1
check "grid plot in a directory named with quotes and a backquote: no label or name escapes" \
    sh -c "! grep -q '\`' '$T/q'\"'\"'x\`/plot-grid.gp'"
# --- a negative intercept (time faster than linear over the segment) ---------------
# rail allreduce p=2: alpha -500 us, r_inf 0.01 GB/s (10 B/us), no link recorded, F = 1;
# at 1 MiB t = -500 + 104857.6 = 104357.6 us. A faster rail (X = 0.1 GB/s, 10x the
# busbw ceiling) shortens all of it: t' = t / 10 = 10435.76 us (alpha left alone gave
# -500 + 10485.76 = 9985.76; at 100 GB/s it gave a time <= 0 and refused). A slower
# rail (0.005) leaves alpha as measured: -500 + 209715.2 = 209215.2 us.
mkdir "$T/neg"
printf '%s\n%s\n' "$(head -1 "$FIX/fit.csv")" \
  'allreduce,rail,isolated,2,1,1024,67108864,-500,-600,-400,0.01,0.01,0.01,0.01,1,,float,0,blocking,2,1,0,' \
  > "$T/neg/fit.csv"
N() { "$FIT" predict --fit "$T/neg" --collective allreduce --bytes 1M --ranks 2 --level rail "$@" 2>/dev/null |
      awk '$1 == "time" { print $2; exit }'; }
t=$(N); check "negative alpha, as measured: $t us = 104357.6" near "$t" 104357.6
t=$(N --level-GBps rail=0.1); check "negative alpha, 10x faster rail: $t us = 104357.6 / 10" near "$t" 10435.76
t=$(N --level-GBps rail=100); check "negative alpha, 100 GB/s: $t us = 104357.6 / 10000 (positive)" near "$t" 10.43576
t=$(N --level-GBps rail=0.005); check "negative alpha, slower rail: alpha kept, $t us = 209215.2" near "$t" 209215.2
# --- the run's measurement at exactly the point asked, beside the fit's answer ---
# rail allreduce p=2 at 1 MiB: the fit says 20 + 1048576 / 1000 = 1068.576 us; the run
# measured 1187.3 (isolated, blocking, valid): -10.0%; rows of another cadence, variant
# or a failed validation are not read; a what-if scales the measurement by its ratio
# (rail=0.5 on a 2 GB/s link: 20 + 1048576 / 250 = 4214.304, x 3.944 -> 4682.5 us).
mkdir -p "$T/mp/fit" && cp "$FIX/fit.csv" "$T/mp/fit/"
{ echo "collective,level,cadence,ranks,nodes,ppn,bytes,dtype,in_place,variant,skew,valid,t_median_us,t_ci_lo_us,t_ci_hi_us"
  echo "allreduce,rail,streaming,2,2,2,1048576,float,0,blocking,,pass,5000,4900,5100"
  echo "allreduce,rail,isolated,2,2,2,1048576,float,0,nonblocking,,pass,9999,9990,10010"
  echo "allreduce,rail,isolated,2,2,2,1048576,float,0,blocking,,fail,7777,7770,7780"
  echo "allreduce,rail,isolated,2,2,2,1048576,float,0,blocking,,pass,1187.3,1180,1195"
} > "$T/mp/results.csv"
"$FIT" predict --fit "$T/mp/fit" --collective allreduce --level rail --ranks 2 --bytes 1M \
    >"$T/mp.out" 2>&1
check "predict prints the run's measurement at the point (line 5) and the fit's -10.0%" grep -q \
  "^  measured here: 1187 us \[1180, 1195\] (.*results.csv:5); the fit's answer is -10.0% off it" \
  "$T/mp.out"
"$FIT" predict --fit "$T/mp/fit" --collective allreduce --level rail --ranks 2 --bytes 1M \
    --level-GBps rail=0.5 >"$T/mp.out" 2>&1
check "with a what-if: the measurement scaled by its ratio (x 3.944: 4683 us)" grep -q \
  "^  the measurement scaled by the what-if (x 3.944): 4683 us" "$T/mp.out"
"$FIT" predict --fit "$T/mp/fit" --collective allreduce --level rail --ranks 2 --bytes 512K \
    >"$T/mp.out" 2>&1
check "no line at a size the run did not measure" sh -c "! grep -q 'measured here' '$T/mp.out'"
finish
