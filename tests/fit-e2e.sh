#!/bin/sh
# End to end: collroof (2 ranks, loopback only) -> collroof-fit -> files and plots.
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
if [ ! -x "$COLLROOF" ] || [ "${MPIEXEC}" = no ]; then
  skip_all "collroof or MPIEXEC not available"
fi
export OMPI_MCA_btl=self,vader,tcp
timeout 300 "$MPIEXEC" --oversubscribe -np 2 "$COLLROOF" -c allreduce -m 8:64K --max-iters 50 \
  --time-limit 0.2 -o "$T/run" > "$T/collroof.log" 2>&1 || { cat "$T/collroof.log"; bail "collroof run"; }

"$FIT" --bootstrap 200 -o "$T/fit" "$T/run" > "$T/fit.log" 2>&1 || { cat "$T/fit.log"; bail "collroof-fit"; }
cat "$T/fit.log"
for f in fit.csv roofline.csv scaling.csv; do
  check "$f written" test -s "$T/fit/$f"
done
# fit.csv parses: one width, numeric alpha and r_inf, allreduce rows.
check "fit.csv content" awk -F, 'NR == 1 { n = NF; next }
         NF != n || $8 !~ /^-?[0-9.e+-]+$/ || $11 !~ /^[0-9.e+-]+$|^inf$/ { bad = 1 }
         $1 == "allreduce" { ok = 1 }
         END { exit bad || !ok }' "$T/fit/fit.csv"
# roofline.csv has one row per measured size.
rows=$(awk 'NR > 1' "$T/run/results.csv" | grep -c allreduce)
rl=$(awk 'NR > 1' "$T/fit/roofline.csv" | grep -c allreduce)
check "roofline rows $rl = measurements $rows" test "$rows" -eq "$rl"
check "a gnuplot script" sh -c "ls '$T/fit'/plot-*.gp >/dev/null 2>&1"
if command -v gnuplot > /dev/null 2>&1; then
  for p in "$T/fit"/roofline-*.png "$T/fit"/time-*.png; do
    check "$(basename "$p") is a PNG" sh -c "[ -s '$p' ] && head -c 8 '$p' | grep -q PNG"
  done
  for s in "$T/fit"/roofline-*.svg; do
    check "$(basename "$s") is an SVG" grep -q "<svg" "$s"
  done
else
  skip "PNG and SVG plots" "gnuplot not installed"
fi
# A nonblocking run fitted together with the blocking one: the variants stay apart.
timeout 300 "$MPIEXEC" --oversubscribe -np 2 "$COLLROOF" -c allreduce -m 8:64K --max-iters 50 \
  --time-limit 0.2 --nonblocking -o "$T/nb" > "$T/nb.log" 2>&1 || { cat "$T/nb.log"; bail "collroof --nonblocking run"; }
"$FIT" --no-plots --bootstrap 50 -o "$T/both" "$T/run" "$T/nb" > "$T/both.log" 2>&1 ||
  { cat "$T/both.log"; bail "collroof-fit on both runs"; }
v=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["collective"] == "allreduce" { print $c["variant"] }' "$T/both/fit.csv" | sort -u | tr '\n' ' ')
check "fit.csv keeps both variants apart ('$v')" test "$v" = "blocking nonblocking "
check "the summary labels the nonblocking groups" grep -q "^allreduce/nonblocking " "$T/both.log"
# Without gnuplot: scripts and data are written, the command is printed.
CR_GNUPLOT=/nonexistent/gnuplot "$FIT" --bootstrap 50 -o "$T/fit2" "$T/run/results.csv" \
  > "$T/fit2.log" 2>&1
check "fit without gnuplot exits 0" test $? -eq 0
check "without gnuplot: render command printed" grep -q "render with" "$T/fit2.log"
check "without gnuplot: plot data written" sh -c "ls '$T/fit2'/plot-*.dat >/dev/null 2>&1"
finish
