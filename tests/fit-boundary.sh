#!/bin/sh
# collroof-fit boundary on the hand-made fit of fit-plan.sh (tests/fixtures/plan/fit)
# and a hand-made catalog, without MPI: every assignment's step time and link energy
# against hand arithmetic, the reach rule, the step limit, the Pareto front exactly,
# "matters most", the CSV, the plot, measured wire bytes used and labelled (a run whose
# bytes differ from the model), and the refusals (exit 2, the bad value named).
set -u
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FX="$top_srcdir/tests/fixtures/plan"
T=$(mktemp -d "${TMPDIR:-/tmp}/fit-boundary.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
COLLROOF_LINKS_CATALOG="$top_srcdir/share/collroof/links.csv"
export COLLROOF_LINKS_CATALOG

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
# col FILE ROW NAME: the cell of column NAME in data row ROW (1-based).
col() {
  awk -F, -v r="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    NR - 1 == r { print $c[name]; exit }' "$1"
}
# column FILE NAME: the column's cells joined by ','.
column() { csv_col "$1" "$2" | paste -sd, -; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
  if (m < 1e-30) m = 1e-30; exit !(d <= 1e-9 * m) }'; }
is() { if near "$2" "$3"; then ok "$1: $2"; else fail "$1: got '$2', want $3"; fi; }
same() { if [ "$2" = "$3" ]; then ok "$1: $2"; else fail "$1: got '$2', want '$3'"; fi; }

# Three hand-made classes. cu: copper, 400 Gb/s = 50 GB/s a port, reach 2 m, 2-4 pJ/bit;
# op: optics, 800 Gb/s = 100 GB/s, reach 100 m, 10-20 pJ/bit; aec: as slow as cu, reach
# 5 m, 6-8 pJ/bit (dearer than cu at the same speed: always dominated by cu).
H="class,description,medium,lane_Gbps,lanes,port_Gbps,reach_m,pJ_per_bit_lo,pJ_per_bit_hi,latency_ns_lo,latency_ns_hi,includes,source_kind,source,notes"
{ echo "$H"
  echo "cu,hand-made copper,electrical,50,8,400,2,2,4,,,both ends,user-given,test figure,"
  echo "op,hand-made optics,optical,100,8,800,100,10,20,,,both ends,user-given,test figure,"
  echo "aec,hand-made active copper,electrical,50,8,400,5,6,8,,,both ends,user-given,test figure,"
} > "$T/mine.csv"

# The two-level step on 2 nodes x 2 ppn: a node allreduce (p=2) and a rail allreduce
# (p=2, the 2 nodes), 1 MiB each, no compute.
printf 'collroof-workload 1\nname two-level\ncall allreduce 1M comm=node\ncall allreduce 1M comm=rail\n' > "$T/two.wl"
# Bytes (fit_energy.h): 2 groups x p=2 x F(2)=1 x 1 MiB = 4 MiB = 33554432 bits a level.
# Times: the fixture's node allreduce fit has alpha 10 us, its rail one 20 us, no link
# ceiling recorded, so a what-if X GB/s is the busbw ceiling and r_inf = X / F = X:
#   t = alpha + 1048576 B / (X x 1000 B/us)
#   node: cu 10 + 20.97152 = 30.97152, op 10 + 10.48576 = 20.48576
#   rail: cu 20 + 20.97152 = 40.97152, op 20 + 10.48576 = 30.48576
# Energy high end, rail through a switch (--hops rail=2):
#   node cu 33554432 x 4e-12 = 1.34217728e-4 J, node op x 20e-12 = 6.7108864e-4 J
#   rail cu x 4e-12 x 2 = 2.68435456e-4 J,     rail op x 20e-12 x 2 = 1.34217728e-3 J
# Rows (node varies fastest, candidates in catalog order):
#   1 node=cu rail=cu  t 71.94304  e_hi 4.02653184e-4
#   2 node=op rail=cu  t 61.45728  e_hi 9.39524096e-4
#   3 node=cu rail=op  t 61.45728  e_hi 1.476395008e-3  (as fast as 2, dearer: dominated)
#   4 node=op rail=op  t 50.97152  e_hi 2.01326592e-3
BASE="--fit $FX/fit --workload $T/two.wl --nodes 2 --ppn 2 --links $T/mine.csv"

# --- (b) the cheapest (copper everywhere) is too slow for 65 us: optics at the node ---
expect 0 "least energy within the limit: #2 node=op rail=cu" "$FIT" boundary $BASE \
  --reach node=1,rail=1 --hops rail=2 --classes cu,op --max-step-ms 0.065 --csv "$T/b.csv" \
  --plot "$T/plot"
same "four assignments" "$(csv_rows "$T/b.csv" | tr -d ' ')" 4
same "classes at node" "$(column "$T/b.csv" class_node)" "cu,op,cu,op"
same "classes at rail" "$(column "$T/b.csv" class_rail)" "cu,cu,op,op"
is "row 1 step (cu, cu)" "$(col "$T/b.csv" 1 step_us)" 71.94304
is "row 2 step (op, cu)" "$(col "$T/b.csv" 2 step_us)" 61.45728
is "row 3 step (cu, op)" "$(col "$T/b.csv" 3 step_us)" 61.45728
is "row 4 step (op, op)" "$(col "$T/b.csv" 4 step_us)" 50.97152
is "row 1 energy high" "$(col "$T/b.csv" 1 energy_hi_J)" 4.02653184e-4
is "row 2 energy high" "$(col "$T/b.csv" 2 energy_hi_J)" 9.39524096e-4
is "row 3 energy high" "$(col "$T/b.csv" 3 energy_hi_J)" 1.476395008e-3
is "row 4 energy high" "$(col "$T/b.csv" 4 energy_hi_J)" 2.01326592e-3
# (d) low end of row 2: 33554432 bits x (10 pJ node op + 2 pJ x 2 hops rail cu)
is "row 2 energy low = 33554432 x (10 + 2 x 2) pJ" "$(col "$T/b.csv" 2 energy_lo_J)" 4.69762048e-4
is "row 2 energy mid = (lo + hi) / 2" "$(col "$T/b.csv" 2 energy_mid_J)" 7.04643072e-4
is "row 2 rail energy high (cu, 2 hops)" "$(col "$T/b.csv" 2 energy_rail_hi_J)" 2.68435456e-4
is "row 2 node energy low (op)" "$(col "$T/b.csv" 2 energy_node_lo_J)" 3.3554432e-4
is "bytes at rail: 4 MiB" "$(col "$T/b.csv" 1 link_rail_bytes)" 4194304
is "cu's ceiling: 400 Gb/s / 8 = 50 GB/s" "$(col "$T/b.csv" 1 ceiling_node_GBps)" 50
is "op's ceiling: 100 GB/s" "$(col "$T/b.csv" 4 ceiling_rail_GBps)" 100
is "no overlap: exposed = comm" "$(col "$T/b.csv" 3 exposed_us)" 61.45728
same "(c) the front: 1, 2, 4 (3 is as fast as 2 and dearer)" "$(column "$T/b.csv" pareto)" "1,1,0,1"
same "the limit: only copper everywhere is over" "$(column "$T/b.csv" meets_limit)" "0,1,1,1"
same "the best row" "$(column "$T/b.csv" best)" "0,1,0,0"
same "bytes basis" "$(col "$T/b.csv" 1 bytes_basis)" modelled
check "untouched levels' cells empty" test -z "$(col "$T/b.csv" 1 class_internode)$(col "$T/b.csv" 1 energy_world_hi_J)"
# matters most: rail's choice moves energy by 1.34217728e-3 - 2.68435456e-4 = 1.073741824e-3 J,
# node's by 6.7108864e-4 - 1.34217728e-4 = 5.36870912e-4 J (both 10.48576 us)
check "matters most: rail, by 0.001074 J and 10.486 us" grep -q \
  "matters most: rail (its choice moves step energy by up to 0.001074 J and step time by up to 10.486 us" "$T/out"
check "node's spread beside it" grep -q "node: up to 0.0005369 J and 10.486 us" "$T/out"
check "classes cited as the user's" grep -q "cu: hand-made copper; includes both ends; source (user-given, from your --links file): test figure" "$T/out"
same "without a run's wire bytes each level's bytes are labelled modelled" \
  "$(col "$T/b.csv" 1 link_node_basis),$(col "$T/b.csv" 1 link_rail_basis),$(col "$T/b.csv" 1 link_bytes_source)" \
  "modelled,modelled,0 of 2 call lines measured (wire)"

# --- (e) measured wire bytes, as plan uses them: the run measured the rail allreduce
# (p=2, 2 x 2, 1 MiB) at 5e6 bytes per call, not the model's 4 MiB; the node call
# stays modelled (no wire counter sees it). Found beside the fit (RUN/fit's parent)
# and by --energy-run; a row at another topology or with high background is not used.
mkdir -p "$T/run"; cp -r "$FX/fit" "$T/run/fit"
{ echo "collective,level,cadence,ranks,nodes,ppn,bytes,wire_tx_bytes_per_call,wire_bg_high"
  echo "allreduce,rail,isolated,2,4,2,1048576,9999,0"
  echo "allreduce,rail,isolated,2,2,2,1048576,7777,1"
  echo "allreduce,rail,isolated,2,2,2,1048576,5000000,0"
} > "$T/run/results.csv"
WBASE="--workload $T/two.wl --nodes 2 --ppn 2 --links $T/mine.csv --reach node=1,rail=1 --hops rail=2 --classes cu,op"
for how in parent energy-run; do
  if [ $how = parent ]; then set -- --fit "$T/run/fit"; else set -- --fit "$FX/fit" --energy-run "$T/run"; fi
  # shellcheck disable=SC2086
  expect 0 "line 4 allreduce: bytes across nodes measured, 5e+06 per call (wire_tx_bytes_per_call of .*results.csv:4 (allreduce rail p=2 isolated))" \
    "$FIT" boundary "$@" $WBASE --csv "$T/w.csv"
  check "($how) the header says some lines are measured" grep -q "bytes measured for some call lines, modelled for the rest" "$T/out"
  check "($how) the rail level's bytes are labelled measured, node's modelled" sh -c \
    "grep -q '^  rail  *5e+06 bytes per step (measured) over 1 m' '$T/out' && grep -q '^  node  *4.1943e+06 bytes per step (modelled)' '$T/out'"
  same "($how) rail bytes: the measured 5e6 in every row" "$(column "$T/w.csv" link_rail_bytes)" "5000000,5000000,5000000,5000000"
  same "($how) node bytes stay modelled (4 MiB)" "$(col "$T/w.csv" 1 link_node_bytes)" 4194304
  is "($how) row 4 rail energy high = 5e6 x 8 x 20 pJ x 2 hops" "$(col "$T/w.csv" 4 energy_rail_hi_J)" 1.6e-3
  is "($how) row 1 energy high = node cu 4 MiB x 8 x 4 pJ + rail cu 5e6 x 8 x 4 pJ x 2" \
    "$(col "$T/w.csv" 1 energy_hi_J)" "$(awk 'BEGIN { printf "%.12g", 33554432 * 4e-12 + 5e6 * 8 * 4e-12 * 2 }')"
  is "($how) time unchanged by measured bytes (row 1)" "$(col "$T/w.csv" 1 step_us)" 71.94304
  same "($how) labels: step modelled (a line is), node modelled, rail measured, 1 of 2 lines" \
    "$(col "$T/w.csv" 1 bytes_basis),$(col "$T/w.csv" 1 link_node_basis),$(col "$T/w.csv" 1 link_rail_basis),$(col "$T/w.csv" 1 link_internode_basis),$(col "$T/w.csv" 1 link_bytes_source)" \
    "modelled,modelled,measured,,1 of 2 call lines measured (wire)"
done
# a rail-only step: every line measured, the step's basis measured
printf 'collroof-workload 1\nname rail\ncall allreduce 1M comm=rail\n' > "$T/rail.wl"
expect 0 "(bytes measured;" "$FIT" boundary --fit "$T/run/fit" --workload "$T/rail.wl" --nodes 2 --ppn 2 \
  --links "$T/mine.csv" --reach rail=1 --classes cu,op --csv "$T/wr.csv"
same "rail-only step: bytes_basis measured" "$(col "$T/wr.csv" 1 bytes_basis)" measured
# the plot: a labelled point per assignment, the front (rows 4, 2, 1 by time) as a line
check "plot written" test -s "$T/plot/plot-boundary.gp" -a -s "$T/plot/boundary.dat"
check "a quoted label per assignment" grep -q "set label 3 'node=cu rail=op' at 61.45728, 0.001476395008" "$T/plot/plot-boundary.gp"
same "the front's block, by step time" "$(awk '/Pareto/ { f = 1; next } f && NF { print $1 }' "$T/plot/boundary.dat" | paste -sd, -)" "4,2,1"
if command -v gnuplot >/dev/null 2>&1; then
  check "gnuplot rendered boundary.svg" test -s "$T/plot/boundary.svg"
else
  skip "gnuplot rendered boundary.svg" "no gnuplot"
fi

# --- without a limit the least energy is copper everywhere ---
expect 0 "least energy: #1 node=cu rail=cu" "$FIT" boundary $BASE --reach node=1,rail=1 \
  --hops rail=2 --classes cu,op --csv "$T/n.csv"
same "no limit: meets_limit empty" "$(column "$T/n.csv" meets_limit)" ",,,"
# --- a limit nothing meets ---
expect 0 "no assignment meets --max-step-ms 0.04 (40 us)" "$FIT" boundary $BASE \
  --reach node=1,rail=1 --classes cu,op --max-step-ms 0.04 --csv "$T/x.csv"
same "no best row" "$(column "$T/x.csv" best)" "0,0,0,0"

# --- (a) the rail spans 30 m: copper (2 m) cannot, optics is forced there ---
# rows: node=cu rail=op (61.45728 us, 1.476395008e-3 J), node=op rail=op; least energy: row 1
expect 0 "rail: forced, op is the only class that reaches 30 m" "$FIT" boundary $BASE \
  --reach node=1,rail=30 --hops rail=2 --classes cu,op --csv "$T/a.csv"
same "two assignments, optics at the rail" "$(column "$T/a.csv" class_rail)" "op,op"
same "copper kept at the node" "$(column "$T/a.csv" class_node)" "cu,op"
check "copper named as not reaching" grep -q "not reaching: cu (reach 2 m < 30 m)" "$T/out"
check "least energy: copper node, optical rail" grep -q "least energy: #1 node=cu rail=op" "$T/out"
is "its energy" "$(col "$T/a.csv" 1 energy_hi_J)" 1.476395008e-3
check "node matters most (the only choice left)" grep -q "matters most: node" "$T/out"

# --- (c) three classes: aec is as slow as cu and dearer, never on the front ---
# rows (node fastest over cu, op, aec): 1 cu/cu 2 op/cu 3 aec/cu 4 cu/op 5 op/op 6 aec/op
# 7 cu/aec 8 op/aec 9 aec/aec; front as before: cu/cu, op/cu, op/op
expect 0 "9 assignments" "$FIT" boundary $BASE --reach node=1,rail=1 --hops rail=2 \
  --classes cu,op,aec --csv "$T/c.csv"
same "the front exactly" "$(column "$T/c.csv" pareto)" "1,1,0,0,1,0,0,0,0"
# aec at node with cu at rail: 33554432 x (8 + 4 x 2) pJ = 5.36870912e-4 J, 30.97152 + 40.97152 us
is "row 3 (aec, cu) energy high" "$(col "$T/c.csv" 3 energy_hi_J)" 5.36870912e-4
is "row 3 (aec, cu) step" "$(col "$T/c.csv" 3 step_us)" 71.94304

# --- --ports: 2 copper ports at the rail = 100 GB/s: rail cu 30.48576 us ---
expect 0 "boundary" "$FIT" boundary $BASE --reach node=1,rail=1 --classes cu,op --ports rail=2 \
  --csv "$T/p.csv"
is "cu's rail ceiling with 2 ports" "$(col "$T/p.csv" 1 ceiling_rail_GBps)" 100
is "row 1 step: 30.97152 + 30.48576" "$(col "$T/p.csv" 1 step_us)" 61.45728

# --- overlap: a 100 us gap before the rail call, half of it may hide ---
# row 1: exposed = 30.97152 + 40.97152 / 2 = 51.45728; step = 100 + 51.45728
printf 'collroof-workload 1\nname ov\ncall allreduce 1M comm=node\ncall allreduce 1M comm=rail gap_us=100\n' > "$T/ov.wl"
expect 0 "boundary" "$FIT" boundary --fit "$FX/fit" --workload "$T/ov.wl" --nodes 2 --ppn 2 \
  --links "$T/mine.csv" --reach node=1,rail=1 --classes cu,op --overlap 0.5 --csv "$T/o.csv"
is "row 1 comm" "$(col "$T/o.csv" 1 comm_us)" 71.94304
is "row 1 exposed after overlap" "$(col "$T/o.csv" 1 exposed_us)" 51.45728
is "row 1 step" "$(col "$T/o.csv" 1 step_us)" 151.45728

# --- the shipped catalog runs (classes without a reach are left out, said so) ---
expect 0 "no reach in the catalog" "$FIT" boundary --fit "$FX/fit" --workload "$T/two.wl" \
  --nodes 2 --ppn 2 --reach node=0.5,rail=40

# --- refusals: exit 2, the bad value named ---
expect 2 "give its distance, --reach rail=METRES" "$FIT" boundary $BASE --reach node=1
expect 2 "no link class reaches the rail level's 1000 m: the longest reach in the catalog is op's 100 m" \
  "$FIT" boundary $BASE --classes cu,op --reach node=1,rail=1000
expect 2 "invalid --reach value '-1' for rail" "$FIT" boundary $BASE --reach node=1,rail=-1
expect 2 "invalid --reach value '0' for rail: expected metres above 0" "$FIT" boundary $BASE --reach rail=0
expect 2 "invalid --reach value 'abc' for rail" "$FIT" boundary $BASE --reach rail=abc
expect 2 "invalid --reach value 'nan' for rail" "$FIT" boundary $BASE --reach rail=nan
expect 2 "invalid --reach 'rack=5'" "$FIT" boundary $BASE --reach rack=5
expect 2 "invalid --reach 'rail'" "$FIT" boundary $BASE --reach rail
expect 2 "invalid --ports value '1.5' for rail: expected an integer" "$FIT" boundary $BASE \
  --reach node=1,rail=1 --ports rail=1.5
expect 2 "invalid --classes 'cu,nosuch': no class 'nosuch'; the catalog has" "$FIT" boundary $BASE \
  --reach node=1,rail=1 --classes cu,nosuch
expect 2 "boundary needs --fit DIR, --workload FILE, --nodes N and --ppn P" "$FIT" boundary \
  --fit "$FX/fit" --workload "$T/two.wl" --reach node=1
{ echo "$H"; echo "ok,a,optical,100,4,400,10,1,2,,,x,user-given,s,"
  echo "nosrc,a,optical,100,4,400,10,1,2,,,x,datasheet,,"; } > "$T/bad.csv"
expect 2 "bad.csv:3: class nosrc has no source" "$FIT" boundary --fit "$FX/fit" \
  --workload "$T/two.wl" --nodes 2 --ppn 2 --links "$T/bad.csv" --reach node=1,rail=1
expect 2 "invalid --max-step-ms '-3'" "$FIT" boundary $BASE --reach node=1,rail=1 --max-step-ms -3
expect 2 "exclude each other" "$FIT" boundary $BASE --reach node=1,rail=1 --overlap 0.5 --overlap-from-fit

finish
