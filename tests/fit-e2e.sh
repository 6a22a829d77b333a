#!/bin/sh
# End to end: collroof (2 ranks, loopback only) -> collroof-fit -> files and plots.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
FIT="$top_builddir/collroof-fit"
CR="$top_builddir/collroof"
T=$(mktemp -d "${TMPDIR:-/tmp}/fit-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
if [ ! -x "$CR" ] || [ -z "${MPIEXEC:-}" ] || [ "${MPIEXEC}" = no ]; then
  echo "SKIP: collroof or MPIEXEC not available"; exit 77
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo OMPI_MCA_pml=ob1
export OMPI_MCA_btl=self,vader,tcp
timeout 300 "$MPIEXEC" --oversubscribe -np 2 "$CR" -c allreduce -m 8:64K --max-iters 50 \
  --time-limit 0.2 -o "$T/run" > "$T/collroof.log" 2>&1 || {
  echo "FAIL: collroof run"; cat "$T/collroof.log"; exit 1; }

"$FIT" --bootstrap 200 -o "$T/fit" "$T/run" > "$T/fit.log" 2>&1 || {
  echo "FAIL: collroof-fit"; cat "$T/fit.log"; exit 1; }
cat "$T/fit.log"
for f in fit.csv roofline.csv scaling.csv; do
  [ -s "$T/fit/$f" ] || { echo "FAIL: $f missing"; fail=1; }
done
# fit.csv parses: 27 fields per line, numeric alpha and r_inf, allreduce rows.
awk -F, 'NR == 1 { n = NF; next }
         NF != n || $8 !~ /^-?[0-9.e+-]+$/ || $11 !~ /^[0-9.e+-]+$|^inf$/ { bad = 1 }
         $1 == "allreduce" { ok = 1 }
         END { exit bad || !ok }' "$T/fit/fit.csv" || { echo "FAIL: fit.csv content"; fail=1; }
# roofline.csv has one row per measured size.
rows=$(awk 'NR > 1' "$T/run/results.csv" | grep -c allreduce)
rl=$(awk 'NR > 1' "$T/fit/roofline.csv" | grep -c allreduce)
[ "$rows" -eq "$rl" ] || { echo "FAIL: roofline rows $rl, measurements $rows"; fail=1; }
ls "$T/fit"/plot-*.gp > /dev/null 2>&1 || { echo "FAIL: no gnuplot script"; fail=1; }
if command -v gnuplot > /dev/null 2>&1; then
  for p in "$T/fit"/roofline-*.png "$T/fit"/time-*.png; do
    [ -s "$p" ] && head -c 8 "$p" | grep -q PNG || { echo "FAIL: $p is not a PNG"; fail=1; }
  done
  for s in "$T/fit"/roofline-*.svg; do
    grep -q "<svg" "$s" || { echo "FAIL: $s is not an SVG"; fail=1; }
  done
fi
# A nonblocking run fitted together with the blocking one: the variants stay apart.
timeout 300 "$MPIEXEC" --oversubscribe -np 2 "$CR" -c allreduce -m 8:64K --max-iters 50 \
  --time-limit 0.2 --nonblocking -o "$T/nb" > "$T/nb.log" 2>&1 || {
  echo "FAIL: collroof --nonblocking run"; cat "$T/nb.log"; exit 1; }
"$FIT" --no-plots --bootstrap 50 -o "$T/both" "$T/run" "$T/nb" > "$T/both.log" 2>&1 || {
  echo "FAIL: collroof-fit on both runs"; cat "$T/both.log"; exit 1; }
v=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["collective"] == "allreduce" { print $c["variant"] }' "$T/both/fit.csv" | sort -u | tr '\n' ' ')
[ "$v" = "blocking nonblocking " ] || { echo "FAIL: fit.csv variants '$v'"; fail=1; }
grep -q "^allreduce/nonblocking " "$T/both.log" || { echo "FAIL: summary labels"; fail=1; }
# Without gnuplot: scripts and data are written, the command is printed.
CR_GNUPLOT=/nonexistent/gnuplot "$FIT" --bootstrap 50 -o "$T/fit2" "$T/run/results.csv" \
  > "$T/fit2.log" 2>&1 || { echo "FAIL: fit without gnuplot"; fail=1; }
grep -q "render with" "$T/fit2.log" || { echo "FAIL: render command not printed"; fail=1; }
ls "$T/fit2"/plot-*.dat > /dev/null 2>&1 || { echo "FAIL: no plot data"; fail=1; }
exit $fail
