#!/bin/sh
# Issue 10's rows in collroof-fit, on hand-written fixtures with known times
# (tests/fixtures/fit/run-rows: world, p=4; t = 5 + S/5000 us for alltoall,
# 5.5 + S/4800 alltoallv uniform, 8 + S/2000 alltoallv zipf:1.2 with imbalance 2.25,
# allreduce overlap cadences with known overlaps; workload.csv: step 10000 us, calls
# 4000 + 3000 + 1200 us, gaps 700 us asked). run-wlonly holds only workload.csv.
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FIX="$top_srcdir/tests/fixtures/fit"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT INT TERM
have_gp=0
command -v "${CR_GNUPLOT:-gnuplot}" >/dev/null 2>&1 && have_gp=1

"$FIT" --bootstrap 50 --seed 3 -o "$T/o" "$FIX/run-rows" >"$T/out" 2>"$T/err" ||
  bail "collroof-fit on run-rows: $(cat "$T/err")"
O=$T/o

# --- skew: groups apart, ratios from the fixture's times ---
check "fit.csv: alltoall, alltoallv uniform and zipf:1.2 fitted apart" \
  test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "skew") c = i; next }
                   $1 ~ /^alltoall/ { print $1 "/" $c }' "$O/fit.csv" | sort -u | tr '\n' ' ')" = \
       "alltoall/ alltoallv/uniform alltoallv/zipf:1.2 "
a=$(awk -F, '$1 == "alltoallv" && $NF != "" { print $8 }' "$O/fit.csv" | sort -n | tr '\n' ' ')
check "alpha of each routing its own (5.5 uniform, 8 zipf; got $a)" \
  awk -F, '$1 == "alltoallv" { n++; a[$NF] = $8 }
           END { exit !(n == 2 && a["uniform"] > 5.49 && a["uniform"] < 5.51 &&
                        a["zipf:1.2"] > 7.99 && a["zipf:1.2"] < 8.01) }' "$O/fit.csv"
# skew.csv ratio at 1M: (8 + 1048576/2000) / (5 + 1048576/5000) = 532.288 / 214.7152
check "skew.csv: ratio to alltoall at 1M is 2.479 (532.288/214.7152)" \
  awk -F, '$5 == "zipf:1.2" && $6 == 1048576 { r = $9 }
           END { exit !(r > 2.4789 && r < 2.4792) }' "$O/skew.csv"
check "skew.csv: every zipf row's ratio = t / t_balanced and imbalance 2.25" \
  awk -F, 'NR > 1 && $5 == "zipf:1.2" { n++; S = $6; t = 8 + S / 2000; b = 5 + S / 5000
           if ((($9 - t / b) ^ 2) > 1e-6 || $12 != 2.25 || $13 != 2.25 * S) bad++ }
           END { exit !(n == 11 && !bad) }' "$O/skew.csv"
check "skew.csv: the uniform ratio at 1K is 8.512/5.7133" \
  awk -F, '$5 == "zipf:1.2" && $6 == 1024 { r = $11 }
           END { exit !((r - 8.512 / 5.713333) ^ 2 < 1e-6) }' "$O/skew.csv"
check "summary: skew table names 1M with ratio 2.479 and imbalance 2.250" \
  grep -Eq '^ +1M +532\.288 +214\.715 +2\.479 +2\.250 ' "$T/out"
check "roofline.csv carries skew and imbalance" \
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "skew") s = i; if ($i == "imbalance") m = i }; next }
           $1 == "alltoallv" && $s == "zipf:1.2" && $m == 2.25 { n++ } END { exit n != 11 }' "$O/roofline.csv"
# Two routings at one size in one run are not duplicates of each other.
check "no duplicate warning across routings" sh -c "! grep -q duplicate '$T/err'"

# --- predict --skew ---
P() { "$FIT" predict --fit "$O" --collective alltoallv --bytes 1M --ranks 4 "$@"; }
P > "$T/p-def" 2>&1
check "predict alltoallv: uniform by default (5.5 + 1M/4800 = 223.95 us)" \
  grep -Eq 'skew uniform\)|time +22[34]' "$T/p-def"
check "... and says so" grep -q "skew uniform" "$T/p-def"
P --skew zipf:1.2 > "$T/p-zipf" 2>&1
check "predict --skew zipf:1.2: the zipf fit (532.3 us)" grep -Eq 'time +532\.[23] us' "$T/p-zipf"
P --skew hot:0.5:2 > "$T/p-hot" 2>&1
check "predict --skew hot:0.5:2 refused, naming the skews fitted (rc $?)" \
  grep -q "not fitted with skew 'hot:0.5:2'.*skews fitted: uniform, zipf:1.2" "$T/p-hot"
"$FIT" predict --fit "$O" --collective alltoall --bytes 1M --ranks 4 --skew zipf:1.2 >"$T/p-a2a" 2>&1
check "predict --skew on alltoall refused (rc $?)" grep -q "applies to alltoallv only" "$T/p-a2a"
P --skew zipf:1.2 --csv "$T/pred.csv" >/dev/null 2>&1
check "predict --csv appends the skew column" \
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "skew") k = i; ok = k > 0 }
           NR == 2 { ok = ok && $k == "zipf:1.2" } END { exit !ok }' "$T/pred.csv"
# Without the uniform rows: no default, the skews named.
mkdir -p "$T/nouni"
grep -v ',uniform,' "$FIX/run-rows/results.csv" >"$T/nouni/results.csv"
"$FIT" --no-plots --bootstrap 0 -o "$T/nouni/fit" "$T/nouni" >/dev/null 2>&1 || bail "fit nouni"
"$FIT" predict --fit "$T/nouni/fit" --collective alltoallv --bytes 1M --ranks 4 >"$T/p-nouni" 2>&1
rc=$?
check "only skewed routings fitted: predict refuses without --skew (rc $rc), naming zipf:1.2" \
  sh -c "[ $rc -ne 0 ] && grep -q 'only with skewed routings (zipf:1.2)' '$T/p-nouni'"
# A skew that is no routing, or on another collective: the row refused by name.
mkdir -p "$T/badskew"
sed 's/,zipf:1\.2,/,zipf:x,/' "$FIX/run-rows/results.csv" >"$T/badskew/results.csv"
"$FIT" --no-plots -o "$T/badskew/fit" "$T/badskew" >"$T/p-bad" 2>&1
check "skew 'zipf:x' refused naming it (rc $?)" grep -q "skew 'zipf:x' is not uniform, zipf:S or hot:F:K" "$T/p-bad"

# --- overlap ---
check "summary: overlap table at 1M: 0.25 [0.20, 0.30] and 0.90 [0.85, 0.95]" \
  grep -Eq '^ +1M 0\.25 \[0\.20, 0\.30\] +0\.90 \[0\.85, 0\.95\]' "$T/out"
check "summary: 11 sizes in the overlap table" \
  test "$(grep -cE '^ +[0-9]+[KM] 0\.[0-9]{2} \[' "$T/out")" = 11

# --- workload ---
W=$O/workload.csv
check "workload.csv: call totals 4000, 3000, 1200; shares 0.4, 0.3, 0.12" \
  awk -F, '$3 == 1 && $13 == 4000 && $16 == 0.4 { n++ } $3 == 2 && $13 == 3000 && $16 == 0.3 { n++ }
           $3 == 3 && $13 == 1200 && $16 == 0.12 && $12 == "zipf:1.2" { n++ } END { exit n != 3 }' "$W"
check "workload.csv: shares of calls and remainder sum to 1" \
  awk -F, '$3 != "step" && NR > 1 { s += $16 } END { exit !((s - 1) ^ 2 < 1e-12) }' "$W"
check "workload.csv: remainder row 1800 us (10000 - 8200), 700 us of gaps asked" \
  awk -F, '$3 == "remainder" && $13 == 1800 && $11 == 700 && $16 == 0.18 { ok = 1 } END { exit !ok }' "$W"
check "workload.csv: step row: calls_total 8200, remainder 1800, t_call 10000" \
  awk -F, '$3 == "step" && $21 == 8200 && $22 == 1800 && $17 == 10000 { ok = 1 } END { exit !ok }' "$W"
check "workload.csv: t_call_us and busbw per call (1000 us, 39.3216 GB/s)" \
  awk -F, '$3 == 1 && $17 == 1000 && $19 == 39.3216 { ok = 1 } END { exit !ok }' "$W"
check "summary: Workload steps section with the remainder" \
  sh -c "grep -q '^Workload steps (measured' '$T/out' && grep -Eq 'remainder: compute gaps \\(700\\.0 us asked\\) \\+ sync +1800\\.0 +18\\.0%' '$T/out'"

# --- plots ---
if [ "$have_gp" = 1 ]; then
  for f in overlap-allreduce.svg overlap-allreduce.png skew-world.svg skew-world.png \
           workload-1.svg workload-1.png roofline-world.svg; do
    check "plot $f rendered" test -s "$O/$f"
  done
  check "overlap plot: one line per cadence, error bars" \
    test "$(grep -c 'using 1:2:3:4 with yerrorlines' "$O/plot-overlap-allreduce.gp")" = 4
  check "skew plot: zipf, uniform and the balanced alltoall" \
    sh -c "grep -q \"title 'alltoall isolated p=4 (balanced)'\" '$O/plot-skew-world.gp' &&
           grep -q \"title 'alltoallv/zipf:1.2 isolated p=4'\" '$O/plot-skew-world.gp'"
else
  skip "plots rendered" "gnuplot not installed"
fi

# --- a run directory with only workload.csv ---
"$FIT" --bootstrap 20 -o "$T/wo" "$FIX/run-wlonly" >"$T/wo.out" 2>&1
rc=$?
check "workload only: exit 0 (rc $rc)" test "$rc" = 0
check "workload only: says there is no roofline" grep -q "^no roofline: .*only a workload replay" "$T/wo.out"
check "workload only: fit/workload.csv written" \
  awk -F, '$3 == "step" && $22 == 1800 { ok = 1 } END { exit !ok }' "$T/wo/workload.csv"
[ "$have_gp" = 1 ] && check "workload only: its plot rendered" test -s "$T/wo/workload-1.svg"

# --- the reader's strictness ---
mkdir -p "$T/w"
wl() { "$FIT" --no-plots -o "$T/w/fit" "$@" "$T/w" >"$T/w.out" 2>&1; }
src=$FIX/run-wlonly/workload.csv
sed '3s/,4000\.0000,/,4e3x,/' "$src" >"$T/w/workload.csv"
wl; rc=$?
check "t_median_us '4e3x' refused naming line 3 (rc $rc)" \
  sh -c "[ $rc = 1 ] && grep -q 'workload.csv:3: column t_median_us: .4e3x. is not a decimal' '$T/w.out'"
wl --lenient; rc=$?
check "--lenient: that row skipped with a warning (rc $rc)" \
  sh -c "[ $rc = 0 ] && grep -q 'row skipped (--lenient)' '$T/w.out' &&
         ! grep -q '^rows,dp-tp-moe,1,' '$T/w/fit/workload.csv'"
sed '1s/t_call_us/t_cal_us/' "$src" >"$T/w/workload.csv"
wl; check "header without t_call_us refused (rc $?)" grep -q "lacks the column 't_call_us'" "$T/w.out"
{ cat "$src"; printf 'wlonly,dp-tp-moe,4,allreduce,dp,4,2,1,8,1024,float,1'; } >"$T/w/workload.csv"
wl; rc=$?
check "torn last line: warned and ignored (rc $rc)" \
  sh -c "[ $rc = 0 ] && grep -q 'torn last line ignored' '$T/w.out'"
sed '/,step,/d' "$src" >"$T/w/workload.csv"
wl; check "no step row: refused (rc $?)" grep -q "has call rows but no step row" "$T/w.out"
sed '3s/,allreduce,/,pingpong,/' "$src" >"$T/w/workload.csv"
wl; check "a probe as a call: refused (rc $?)" grep -q "column collective: 'pingpong' is not a collective a workload can call" "$T/w.out"
sed '3s/,1000\.0000,/,999.0000,/' "$src" >"$T/w/workload.csv"
wl; check "t_call_us not t_median_us / count: refused (rc $?)" grep -q "t_call_us 999 is not t_median_us / count" "$T/w.out"
sed '3s/,dp,/,xp,/' "$src" >"$T/w/workload.csv"
wl; check "unknown comm refused (rc $?)" grep -q "column comm: 'xp' is not world" "$T/w.out"
finish
