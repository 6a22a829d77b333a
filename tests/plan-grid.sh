#!/bin/sh
# collroof-fit plan --grid on the hand-made fit of tests/fixtures/plan (no MPI): one
# plan per point of nodes x ppn x what-if rates. Asserted: the CSV has grid size x
# (call lines + 1) rows; each point's rows carry its own what-if and its measured-
# fabric step; the what-if arithmetic exactly on one point (rail allreduce p=2 at
# 0.25 GB/s = 20 + 1048576 / 250 us; rail latency 5 us = 5 + 1048576 / 500 us); a
# grid point equals plan without --grid at the same settings; numeric cells plain;
# the table and the plot (one block and one panel per what-if); --energy: every
# point's call and step rows carry the link energy columns, a point's energy equals
# plan --nodes N --energy's (measured wire bytes too), a what-if rate leaves the
# energy as it is and changes the power; refusals (exit 2): bytes= named, an axis
# given twice, a bad field, --energy without --link, a level --link leaves unpriced
# at a grid point (no CSV left behind).
set -u
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FX="$top_srcdir/tests/fixtures/plan"
T=$(mktemp -d "${TMPDIR:-/tmp}/plan-grid.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

expect() { # expect RC PATTERN CMD...
  rc=$1; pat=$2; shift 2
  "$@" > "$T/out" 2>&1
  got=$?
  if [ "$got" -ne "$rc" ] || ! grep -q -- "$pat" "$T/out"; then
    fail "$* -> rc $got (want $rc) and '$pat'"; cat "$T/out"
  else
    ok "$* -> rc $rc and '$pat'"
  fi
}
# cell CSV NODES WHATIF ROW NAME: column NAME of row ROW of the plan at NODES, WHATIF.
cell() {
  awk -F, -v n="$2" -v w="$3" -v r="$4" -v name="$5" '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["nodes"] == n && $c["whatif"] == w && $c["row"] == r { print $c[name]; exit }' "$1"
}
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
  if (m < 1) m = 1; exit !(a != "" && d <= 1e-6 * m) }'; }
is() { if near "$2" "$3"; then ok "$1: $2"; else fail "$1: got '$2', want $3"; fi; }

# 3 node counts x 2 rail rates = 6 points; step.wl has 5 call lines
expect 0 "6 points" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --ppn 2 \
  --grid nodes=2..8,rail-GBps=0.25,0.5 --csv "$T/g.csv" --plot "$T/plot"
cp "$T/out" "$T/g.txt"
check "CSV rows = 6 points x (5 calls + 1 step) = 36" test "$(csv_rows "$T/g.csv")" = 36
check "6 step rows, 3 per what-if" test \
  "$(awk -F, '$4 == "step" { print $NF " " $0 }' "$T/g.csv" | grep -c 'rail=0.25 GB/s')" = 3
check "every row carries its point's what-if (18 rows each)" test \
  "$(grep -c ',rail=0.25 GB/s,' "$T/g.csv"),$(grep -c ',rail=0.5 GB/s,' "$T/g.csv")" = 18,18
check "within a point, every row's what-if is its step row's" awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = s = 0; next }
  { w[n++] = $c["whatif"] }
  $c["row"] == "step" { for (j = s; j < n; j++) if (w[j] != $c["whatif"]) exit 1; s = n }' "$T/g.csv"
# the point (2 nodes, rail 0.25): line 8 is rail allreduce p=2
is "what-if arithmetic: line 8 rail allreduce p=2 at 0.25 GB/s = 20 + 1048576 / 250" \
  "$(cell "$T/g.csv" 2 'rail=0.25 GB/s' 4 t_call_us)" 4214.304
is "line 7 node allreduce unchanged by a rail what-if: 10 + 1048576 / 1000" \
  "$(cell "$T/g.csv" 2 'rail=0.25 GB/s' 3 t_call_us)" 1058.576
# on the measured fabric (rail 0.5 GB/s, the fixture's ceiling): fit-plan.sh's step
want=$(awk 'BEGIN { printf "%.6f", 3 * 2117.152 + 2 * 534.288 + 1058.576 + 2117.152 + 2127.152 + 5400 }')
is "the point's measured-fabric step = the plain plan's step at 2 nodes" \
  "$(cell "$T/g.csv" 2 'rail=0.25 GB/s' step t_measured_fabric_us)" "$want"
is "rail=0.5 GB/s (the measured ceiling) plans the measured step" \
  "$(cell "$T/g.csv" 2 'rail=0.5 GB/s' step t_us)" "$want"
# a grid point = plan without --grid at the same settings
"$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 8 --ppn 2 \
  --level-GBps rail=0.25 --csv "$T/one.csv" >/dev/null 2>&1
one=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["row"] == "step" { print $c["t_us"] }' "$T/one.csv")
is "point (8 nodes, rail 0.25) = plan --nodes 8 --level-GBps rail=0.25" \
  "$(cell "$T/g.csv" 8 'rail=0.25 GB/s' step t_us)" "$one"
check "numeric cells: plain decimals or empty" awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = split("nodes ppn world_ranks line ranks bytes count extrapolated t_call_us t_call_lo_us t_call_hi_us comm_us exposed_us exposed_node_us exposed_rail_us exposed_internode_us exposed_world_us gap_us compute_us t_us t_lo_us t_hi_us t_measured_fabric_us", num, " "); next }
  { if (NF != length(c)) exit 1
    for (k = 1; k <= n; k++) { v = $c[num[k]]
      if (v != "" && v !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) { print num[k] "=" v; exit 1 } } }' "$T/g.csv"
# the table: a header and one line per point, the what-if named
check "table: 6 point lines" test "$(grep -cE '^[0-9]+ +2 +rail=0\.(25|5) GB/s' "$T/g.txt")" = 6
# the plot: a block per what-if, a panel per block, strings quoted
check "plot: plan-grid.dat has 2 blocks of 3 points" test \
  "$(awk '/^#/ { next } /^$/ { b++ } END { print NR }' "$T/plot/plan-grid.dat"),$(grep -c '^[0-9]' "$T/plot/plan-grid.dat")" = 9,6
check "plot: one panel per what-if" test "$(grep -c '^plot ' "$T/plot/plot-plan-grid.gp")" = 2
check "plot: titles single-quoted" awk '/^set (title|xlabel|ylabel|output) / && $3 !~ /^\x27/ { exit 1 }' \
  "$T/plot/plot-plan-grid.gp"
if command -v gnuplot >/dev/null 2>&1; then
  check "plot: plan-grid.svg rendered" test -s "$T/plot/plan-grid.svg"
fi
# a latency what-if and axes from the options: --nodes 2 (no nodes= in the grid)
expect 0 "1 points" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 --ppn 2 \
  --grid rail-latency-us=5 --csv "$T/l.csv"
is "rail latency 5 us: line 8 = 5 + 1048576 / 500" "$(cell "$T/l.csv" 2 'rail latency 5 us' 4 t_call_us)" 2102.152
check "ppn axis: 2 points, ppn 2 and 4" sh -c "'$FIT' plan --fit '$FX/fit' --workload '$FX/step.wl' \
  --grid nodes=2,ppn=2,4 --csv '$T/p.csv' >/dev/null 2>&1 && test \"\$(awk -F, '\$4 == \"step\" { printf \"%s \", \$2 }' '$T/p.csv')\" = '2 4 '"

# --energy: link energy per point, as plan --energy prices one plan (fit-energy.sh's
# hand-made classes; a measured wire row for the rail allreduce at 2 x 2: 5e6 bytes,
# and a host energy (RAPL) for the node allreduce there)
COLLROOF_LINKS_CATALOG="$top_srcdir/share/collroof/links.csv"
export COLLROOF_LINKS_CATALOG
{ echo "class,description,medium,lane_Gbps,lanes,port_Gbps,reach_m,pJ_per_bit_lo,pJ_per_bit_hi,latency_ns_lo,latency_ns_hi,includes,source_kind,source,notes"
  echo "cu,hand-made copper,electrical,100,8,800,2,1,2,,,both ends,user-given,test figure,"
  echo "op,hand-made optics,optical,100,8,800,500,10,30,,,both ends,user-given,test figure,"
} > "$T/mine.csv"
{ echo "collective,level,cadence,ranks,nodes,ppn,bytes,energy_pkg_J_per_call_sum,energy_dram_J_per_call_sum,wire_tx_bytes_per_call,wire_bg_high"
  echo "allreduce,rail,isolated,2,2,2,1048576,,,5000000,0"
  echo "allreduce,node,isolated,2,2,2,1048576,0.5,0.25,,"
} > "$T/wire.csv"
E="--energy --links $T/mine.csv --link node=cu,rail=op:2,world=cu --energy-run $T/wire.csv"
# shellcheck disable=SC2086
expect 0 "link_J \[lo, hi\]" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --ppn 2 \
  --grid nodes=2..8,rail-GBps=0.25,0.5 $E --csv "$T/e.csv"
check "energy grid: 36 rows, every one with a link_bytes_basis" test \
  "$(csv_rows "$T/e.csv"),$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["link_bytes_basis"] ~ /^(modelled|measured)$/' "$T/e.csv" | wc -l)" = 36,36
check "energy grid: the table says which points' bytes are part measured (2 nodes)" \
  test "$(grep -cE '^2 +2 .*part measured$' "$T/out")" = 2
check "energy grid: the table says a what-if rate does not change energy per bit" \
  grep -q "not the energy per bit" "$T/out"
for n in 2 8; do
  # shellcheck disable=SC2086
  "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes $n --ppn 2 $E \
    --level-GBps rail=0.25 --csv "$T/e$n.csv" >/dev/null 2>&1
  for r in 1 3 4 5 step; do
    for name in link_rail_bytes link_lo_J link_hi_J link_power_hi_W link_bytes_basis host_measured_J; do
      want=$(cell "$T/e$n.csv" $n 'rail=0.25 GB/s' $r $name)
      got=$(cell "$T/e.csv" $n 'rail=0.25 GB/s' $r $name)
      # host energy: empty where the run did not measure the call
      if [ "$got" = "$want" ] && { [ -n "$want" ] || [ $name = host_measured_J ]; }; then ok "energy grid ($n nodes) row $r $name = plan --nodes $n's: $got"
      else fail "energy grid ($n nodes) row $r $name: got '$got', plan --nodes $n gives '$want'"; fi
    done
  done
done
is "2 nodes: line 7's host energy (RAPL) = package + DRAM" "$(cell "$T/e.csv" 2 'rail=0.25 GB/s' 3 host_measured_J)" 0.75
is "2 nodes: rail bytes per step measured, 4 calls x 5e6" "$(cell "$T/e.csv" 2 'rail=0.25 GB/s' step link_rail_bytes)" 20000000
check "2 nodes: line 5 measured, its source the wire row" test \
  "$(cell "$T/e.csv" 2 'rail=0.25 GB/s' 1 link_bytes_basis),$(cell "$T/e.csv" 2 'rail=0.25 GB/s' 1 link_bytes_source | sed 's/.*wire.csv:/wire.csv:/')" = "measured,wire.csv:2 (allreduce rail p=2 isolated)"
check "8 nodes: no wire row at that topology, line 5 modelled" test \
  "$(cell "$T/e.csv" 8 'rail=0.25 GB/s' 1 link_bytes_basis)" = modelled
is "a what-if rate leaves the step's energy as it is (2 nodes, 0.25 vs 0.5 GB/s)" \
  "$(cell "$T/e.csv" 2 'rail=0.25 GB/s' step link_hi_J)" "$(cell "$T/e.csv" 2 'rail=0.5 GB/s' step link_hi_J)"
e=$(cell "$T/e.csv" 2 'rail=0.25 GB/s' step link_hi_J); t=$(cell "$T/e.csv" 2 'rail=0.25 GB/s' step t_us)
is "... and changes the power: energy / the what-if step time" \
  "$(cell "$T/e.csv" 2 'rail=0.25 GB/s' step link_power_hi_W)" "$(awk -v e="$e" -v t="$t" 'BEGIN { printf "%.12g", e / (t * 1e-6) }')"
check "energy columns: plain decimals or empty" awk -F, '
  NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = split("link_node_bytes link_rail_bytes link_internode_bytes link_world_bytes link_node_lo_J link_node_hi_J link_rail_lo_J link_rail_hi_J link_internode_lo_J link_internode_hi_J link_world_lo_J link_world_hi_J link_call_lo_J link_call_hi_J link_lo_J link_hi_J link_power_lo_W link_power_hi_W link_lo_pJ_per_byte link_hi_pJ_per_byte host_measured_J", num, " "); next }
  { for (k = 1; k <= n; k++) { v = $c[num[k]]
      if (v != "" && v !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) { print num[k] "=" v; exit 1 } } }' "$T/e.csv"

# refusals
expect 2 "bytes= does not apply to a workload" "$FIT" plan --fit "$FX/fit" \
  --workload "$FX/step.wl" --grid nodes=2,bytes=1M
expect 2 "node counts given twice" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --nodes 4 --grid nodes=2..8
expect 2 "ranks per node given twice" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --ppn 2 --grid ppn=2,4
expect 2 "invalid --grid field 'bogus-GBps'" "$FIT" plan --fit "$FX/fit" \
  --workload "$FX/step.wl" --grid bogus-GBps=3
expect 2 "invalid --grid nodes value '0'" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --grid nodes=0
expect 2 "--energy needs --link" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --grid nodes=2 --energy
expect 2 "--links and --energy-run belong to --energy" "$FIT" plan --fit "$FX/fit" \
  --workload "$FX/step.wl" --grid nodes=2 --energy-run "$T/wire.csv"
expect 2 "grid point 1 (2 nodes x 2 ppn): workload line 9: call alltoallv moves .* across the world level, which --link does not price" \
  "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --ppn 2 --grid nodes=2,4 --energy \
  --links "$T/mine.csv" --link node=cu,rail=op --csv "$T/unpriced.csv"
check "a grid refused at a point leaves no CSV" test ! -e "$T/unpriced.csv"
check "a refused grid writes no CSV" sh -c "! '$FIT' plan --fit '$FX/fit' --workload '$FX/step.wl' \
  --grid bytes=1M --csv '$T/no.csv' 2>/dev/null && test ! -e '$T/no.csv'"
finish
