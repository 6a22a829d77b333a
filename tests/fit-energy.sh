#!/bin/sh
# collroof-fit plan --energy on the hand-made fit of fit-plan.sh (tests/fixtures/plan/fit)
# and a hand-made link catalog, without MPI: the bytes each level carries and their
# energy against hand arithmetic (docs/method.md, "Link energy"), low <= high, the
# CSV's appended columns, the measured host energy kept apart, the shipped catalog
# (every row cited), --links override, and the refusals (exit 2, file:line named).
set -u
. "$(dirname "$0")/lib.sh"
FIT="$top_builddir/collroof-fit"
FX="$top_srcdir/tests/fixtures/plan"
T=$(mktemp -d "${TMPDIR:-/tmp}/fit-energy.XXXXXX")
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
col() {
  awk -F, -v r="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["row"] == r { print $c[name]; exit }' "$1"
}
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
  if (m < 1e-30) m = 1e-30; exit !(d <= 1e-9 * m) }'; }
is() { if near "$2" "$3"; then ok "$1: $2"; else fail "$1: got '$2', want $3"; fi; }

H="class,description,medium,lane_Gbps,lanes,port_Gbps,reach_m,pJ_per_bit_lo,pJ_per_bit_hi,latency_ns_lo,latency_ns_hi,includes,source_kind,source,notes"
{ echo "$H"
  echo "cu,hand-made copper,electrical,100,8,800,2,1,2,,,both ends,user-given,test figure,"
  echo "op,hand-made optics,optical,100,8,800,500,10,30,,,both ends,user-given,test figure,"
} > "$T/mine.csv"
MiB=1048576

# --- the shipped catalog: parses, every row has a source, low <= high ---
expect 0 "step " "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 --ppn 2 \
  --energy --link node=ucie-2d,rail=pluggable-800g-2xdr4:2,world=cpo-switch
rows=$(grep -v '^#' "$COLLROOF_LINKS_CATALOG" | tail -n +2 | wc -l)
check "the shipped catalog has the six kinds of class (>= 6 rows)" test "$rows" -ge 6
check "every shipped row names a source (a URL) and no row is user-given" sh -c \
  "grep -v '^#' '$COLLROOF_LINKS_CATALOG' | tail -n +2 | awk '!/https?:\/\// || /,user-given,/ { bad = 1 } END { exit bad }'"

# --- flat calls on 2 nodes x 2 ppn (fit-plan.sh's fixture step) ---
# line 5 dp (tp 2: one dp rank per node, the rail shape) allreduce p=2, count 3: 2 groups
#   x 2 ranks x F(2)=1 x S = 4 MiB per call; line 8 rail allreduce p=2: 4 MiB; rail = 16 MiB
# line 6 tp allgather p=2, count 2: 2 groups x 2 x 1/2 x S = 1 MiB... x2 ranks = 2 MiB per
#   call; line 7 node allreduce p=2: 4 MiB
# line 9 world alltoallv p=4 on 2 x 2: 4 x 3/4 x S = 3 MiB, of which a rank's peers on
#   the other host, (p - q) / (p - 1) = 2/3, cross: 2 MiB on world, 1 MiB on node
# node = 2 x 2 + 4 + 1 = 9 MiB
expect 0 "link energy per step" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 \
  --ppn 2 --energy --links "$T/mine.csv" --link node=cu --link rail=op:2,world=cu --csv "$T/p.csv"
is "rail bytes per step (16 MiB)" "$(col "$T/p.csv" step link_rail_bytes)" $((16 * MiB))
is "node bytes per step (9 MiB)" "$(col "$T/p.csv" step link_node_bytes)" $((9 * MiB))
is "world bytes per step (2 of alltoallv's 3 MiB cross hosts)" "$(col "$T/p.csv" step link_world_bytes)" $((2 * MiB))
is "line 5 rail bytes (3 calls x 4 MiB)" "$(col "$T/p.csv" 1 link_rail_bytes)" $((12 * MiB))
# energy: bits x pJ/bit x hops
want=$(awk -v m=$MiB 'BEGIN { printf "%.12g", 16 * m * 8 * 10 * 2 * 1e-12 }')
is "rail energy low = 16 MiB x 8 x 10 pJ x 2 hops" "$(col "$T/p.csv" step link_rail_lo_J)" "$want"
want=$(awk -v m=$MiB 'BEGIN { printf "%.12g", 16 * m * 8 * 30 * 2 * 1e-12 }')
is "rail energy high = 16 MiB x 8 x 30 pJ x 2 hops" "$(col "$T/p.csv" step link_rail_hi_J)" "$want"
want=$(awk -v m=$MiB 'BEGIN { printf "%.12g", (16 * 10 * 2 + 9 * 1 + 2 * 1) * m * 8 * 1e-12 }')
is "step energy low = the sum over levels" "$(col "$T/p.csv" step link_lo_J)" "$want"
want=$(awk -v m=$MiB 'BEGIN { printf "%.12g", 4 * m * 8 * 10 * 2 * 1e-12 }')
is "line 5 energy per call (4 MiB on rail)" "$(col "$T/p.csv" 1 link_call_lo_J)" "$want"
lo=$(col "$T/p.csv" step link_lo_J); hi=$(col "$T/p.csv" step link_hi_J); t=$(col "$T/p.csv" step t_us)
check "low <= high" awk -v a="$lo" -v b="$hi" 'BEGIN { exit !(a <= b) }'
is "average power = step energy / step time" "$(col "$T/p.csv" step link_power_hi_W)" \
  "$(awk -v e="$hi" -v t="$t" 'BEGIN { printf "%.12g", e / (t * 1e-6) }')"
is "energy per byte crossing a link" "$(col "$T/p.csv" step link_lo_pJ_per_byte)" \
  "$(awk -v e="$lo" -v m=$MiB 'BEGIN { printf "%.12g", e / (27 * m) * 1e12 }')"
check "bytes are said to be modelled" test "$(col "$T/p.csv" step link_bytes_basis)" = modelled
check "the classes used are in the CSV" grep -q "node=cu x1; rail=op x2; world=cu x1" "$T/p.csv"
check "the user's classes are cited as theirs" grep -q "source (user-given, from your --links file): test figure" "$T/out"
check "columns appended after warning" sh -c "head -1 '$T/p.csv' | grep -q 'warning,link_bytes_basis,'"

# --- hierarchical: a 1 MiB allreduce over 4 nodes x 2 ppn (rail family) ---
# node reduce_scatter (4 nodes x 2 x 1/2 x S = 4 MiB) + rail allreduce of S/2 on 4 ranks
# (2 rails x 4 x 2(3/4) x S/2 = 6 MiB: per host 2(n-1)/n x S = 1.5 MiB) + node allgather (4 MiB)
printf 'collroof-workload 1\nname ar\ncall allreduce 1M comm=world\n' > "$T/ar.wl"
expect 0 "hierarchical" "$FIT" plan --fit "$FX/fit" --workload "$T/ar.wl" --nodes 4 --ppn 2 \
  --energy --links "$T/mine.csv" --link node=cu,rail=op:2 --csv "$T/h.csv"
is "hierarchical rail bytes: 4 hosts x 2(n-1)/n x S" "$(col "$T/h.csv" step link_rail_bytes)" $((6 * MiB))
is "hierarchical node bytes: reduce_scatter + allgather" "$(col "$T/h.csv" step link_node_bytes)" $((8 * MiB))
want=$(awk -v m=$MiB 'BEGIN { printf "%.12g", (6 * 30 * 2 + 8 * 2) * m * 8 * 1e-12 }')
is "hierarchical step energy high" "$(col "$T/h.csv" step link_hi_J)" "$want"

# --- measured host energy (RAPL) kept apart, labelled measured ---
{ echo "collective,level,cadence,ranks,nodes,ppn,bytes,energy_pkg_J_per_call_sum,energy_dram_J_per_call_sum"
  echo "allreduce,node,isolated,2,2,2,1048576,0.5,0.25"
} > "$T/results.csv"
expect 0 "host energy, measured (RAPL" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --nodes 2 --ppn 2 --energy --links "$T/mine.csv" --link node=cu,rail=op,world=cu \
  --energy-run "$T" --csv "$T/r.csv"
is "line 7 (node allreduce p=2 1 MiB) host energy = package + DRAM" "$(col "$T/r.csv" 3 host_measured_J)" 0.75
check "other lines: not measured" test "$(col "$T/r.csv" 1 host_measured_source)" = "not measured"

# --- measured wire bytes (results.csv's wire_tx_bytes_per_call) replace the modelled ---
# the rail allreduce p=2 at 2 nodes x 2 ppn, 1 MiB: 5e6 bytes per call measured (the model:
# 4 MiB); an alltoallv row at another topology (4 x 1) and one whose background is high
# must not be used
R="collective,level,cadence,ranks,nodes,ppn,bytes,energy_pkg_J_per_call_sum,energy_dram_J_per_call_sum,wire_tx_bytes_per_call,wire_bg_high"
{ echo "$R"
  echo "allreduce,rail,isolated,2,2,2,1048576,,,5000000,0"
  echo "alltoallv,world,isolated,4,4,1,1048576,,,9999,0"
  echo "alltoallv,world,isolated,4,2,2,1048576,,,7777,1"
  echo "allreduce,rail,streaming,2,2,2,1048576,,,123,0"
} > "$T/wire.csv"
expect 0 "line 5 allreduce: bytes across nodes measured, 5e+06 per call" "$FIT" plan --fit "$FX/fit" \
  --workload "$FX/step.wl" --nodes 2 --ppn 2 --energy --links "$T/mine.csv" \
  --link node=cu,rail=op:2,world=cu --energy-run "$T/wire.csv" --csv "$T/w.csv"
check "the output says some lines are measured" grep -q "measured for some call lines, modelled for the rest" "$T/out"
check "line 9 (alltoallv) is not said to be measured" sh -c "! grep -q 'line 9 alltoallv: bytes across nodes measured' '$T/out'"
is "rail bytes per step: 4 calls x 5e6 measured" "$(col "$T/w.csv" step link_rail_bytes)" 20000000
is "world bytes stay modelled (2 MiB): the 4x1 and the high-background rows unused" \
  "$(col "$T/w.csv" step link_world_bytes)" $((2 * MiB))
is "node bytes stay modelled (9 MiB)" "$(col "$T/w.csv" step link_node_bytes)" $((9 * MiB))
is "rail energy low = 2e7 x 8 x 10 pJ x 2 hops" "$(col "$T/w.csv" step link_rail_lo_J)" \
  "$(awk 'BEGIN { printf "%.12g", 2e7 * 8 * 10 * 2 * 1e-12 }')"
check "line 5's basis flips to measured" test "$(col "$T/w.csv" 1 link_bytes_basis)" = measured
check "line 9's basis stays modelled" test "$(col "$T/w.csv" 5 link_bytes_basis)" = modelled
check "line 5's source is the isolated row (line 2)" sh -c "grep -q 'wire.csv:2 (allreduce rail p=2 isolated)' '$T/w.csv'"
check "the step row counts the measured lines" sh -c "grep -q '2 of 5 call lines measured (wire)' '$T/w.csv'"
check "the step's basis is modelled while any line is" test "$(col "$T/w.csv" step link_bytes_basis)" = modelled

# hierarchical: the world row at 4 nodes x 2 ppn (7e6 bytes) replaces the rail phase's
# modelled 6 MiB; the node phases stay modelled (8 MiB). Found without --energy-run:
# the fit directory's parent (collroof-fit writes RUN/fit) holds results.csv
mkdir -p "$T/run"; cp -r "$FX/fit" "$T/run/fit"
{ echo "$R"; echo "allreduce,world,isolated,8,4,2,1048576,,,7000000,0"; } > "$T/run/results.csv"
expect 0 "bytes measured)" "$FIT" plan --fit "$T/run/fit" --workload "$T/ar.wl" --nodes 4 --ppn 2 \
  --energy --links "$T/mine.csv" --link node=cu,rail=op:2 --csv "$T/hw.csv"
is "hierarchical rail bytes measured (7e6)" "$(col "$T/hw.csv" step link_rail_bytes)" 7000000
is "hierarchical node bytes modelled (8 MiB)" "$(col "$T/hw.csv" step link_node_bytes)" $((8 * MiB))
want=$(awk -v m=$MiB 'BEGIN { printf "%.12g", (7e6 * 30 * 2 + 8 * m * 2) * 8 * 1e-12 }')
is "hierarchical step energy high, measured rail bytes" "$(col "$T/hw.csv" step link_hi_J)" "$want"
check "hierarchical step basis measured" test "$(col "$T/hw.csv" step link_bytes_basis)" = measured
# the same at another topology (8 x 2): no row fits, modelled
expect 0 "modelled from the algorithms, not measured" "$FIT" plan --fit "$T/run/fit" \
  --workload "$T/ar.wl" --nodes 8 --ppn 2 --energy --links "$T/mine.csv" --link node=cu,rail=op:2

# --- predict --energy: one call, flat and hierarchical, the plan's energy code ---
# flat world allreduce p=8 at 1 MiB: 8 x 2(7/8) x S = 14 MiB, a ring on 4 hosts x 2
# crossing hosts on 4 of its 8 hops: 7 MiB on world, 7 MiB on node; hierarchical
# 4 x 2: node 8 MiB (reduce_scatter + allgather), rail 6 MiB (as plan's above)
# (columns counted from the end: the basis text before them may hold quoted commas)
pcol() { awk -F, -v r="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; H = NF; next }
  $2 == r { print $(NF - (H - c[name])); exit }' "$1"; }
rm -f "$T/pe.csv"
expect 0 "link energy per call, hierarchical (4 nodes x 2 ppn)" "$FIT" predict --fit "$FX/fit" \
  --collective allreduce --bytes 1M --nodes 4 --ppn 2 --energy --links "$T/mine.csv" \
  --link node=cu,rail=op:2,world=op --csv "$T/pe.csv"
check "predict names the modelled basis" grep -q "bytes modelled from the algorithms, not measured" "$T/out"
check "predict cites the classes" grep -q "op: hand-made optics; includes both ends; source (user-given" "$T/out"
is "predict flat world bytes (7 of 14 MiB cross hosts)" "$(pcol "$T/pe.csv" world link_world_bytes)" $((7 * MiB))
is "predict flat node bytes (the other 7 MiB)" "$(pcol "$T/pe.csv" world link_node_bytes)" $((7 * MiB))
is "predict flat energy high = 7 MiB x 8 x 30 pJ + 7 MiB x 8 x 2 pJ" "$(pcol "$T/pe.csv" world link_hi_J)" \
  "$(awk -v m=$MiB 'BEGIN { printf "%.7g", 7 * m * 8 * (30 + 2) * 1e-12 }')"
is "predict hierarchical rail bytes (6 MiB)" "$(pcol "$T/pe.csv" hierarchical link_rail_bytes)" $((6 * MiB))
is "predict hierarchical node bytes (8 MiB)" "$(pcol "$T/pe.csv" hierarchical link_node_bytes)" $((8 * MiB))
is "predict hierarchical energy low" "$(pcol "$T/pe.csv" hierarchical link_lo_J)" \
  "$(awk -v m=$MiB 'BEGIN { printf "%.7g", (6 * m * 10 * 2 + 8 * m * 1) * 8e-12 }')"
is "predict hierarchical pJ per byte of S (high)" "$(pcol "$T/pe.csv" hierarchical link_hi_pJ_per_byte_S)" \
  "$(awk -v m=$MiB 'BEGIN { printf "%.7g", (6 * m * 30 * 2 + 8 * m * 2) * 8 / m }')"
check "predict's CSV: energy columns appended at the end" sh -c \
  "head -1 '$T/pe.csv' | grep -q 'whatif_time_ratio,link_bytes_basis,.*,link_classes,link_bytes_source\$'"
# measured: a world row at the fit's topology (2 x 2, p=4) flips the flat answer
{ echo "$R"; echo "allreduce,world,isolated,4,2,2,1048576,,,4000000,0"
  echo "allreduce,world,isolated,4,4,1,1048576,,,1,0"; } > "$T/pw.csv"
rm -f "$T/pm.csv"
expect 0 "bytes measured across nodes: wire_tx_bytes_per_call of .*pw.csv:2" "$FIT" predict \
  --fit "$FX/fit" --collective allreduce --bytes 1M --nodes 2 --ppn 2 --energy \
  --links "$T/mine.csv" --link node=cu,rail=op,world=op --energy-run "$T/pw.csv" --csv "$T/pm.csv"
is "predict measured world bytes (4e6, not the 4x1 row)" "$(pcol "$T/pm.csv" world link_world_bytes)" 4000000
check "predict measured basis" test "$(pcol "$T/pm.csv" world link_bytes_basis)" = measured
# node: the ring's 6 MiB, 2 of its 4 hops inside a host: 3 MiB modelled at 1 pJ
is "predict measured energy low = 4e6 x 8 x 10 pJ + 3 MiB x 8 x 1 pJ" \
  "$(pcol "$T/pm.csv" world link_lo_J)" "$(awk -v m=$MiB 'BEGIN { printf "%.7g", (4e6 * 10 + 3 * m) * 8e-12 }')"
expect 2 "--energy needs --link" "$FIT" predict --fit "$FX/fit" --collective allreduce --bytes 1M \
  --ranks 4 --energy
expect 2 "give --energy with them" "$FIT" predict --fit "$FX/fit" --collective allreduce --bytes 1M \
  --ranks 4 --link world=cu
expect 2 "across the world level, which --link does not price" "$FIT" predict --fit "$FX/fit" \
  --collective allreduce --bytes 1M --nodes 2 --ppn 2 --energy --links "$T/mine.csv" --link node=cu

# --- --links: same id replaces, a new one adds ---
{ echo "$H"; echo "ucie-2d,mine,electrical,32,16,512,,7,8,,,x,user-given,our measurement,"; } > "$T/o.csv"
expect 0 "ucie-2d  *x1 .*(7-8 pJ/bit)" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --nodes 2 --ppn 2 --energy --links "$T/o.csv" --link node=ucie-2d,rail=lpo-800g,world=aec-800g

# --- refusals: exit 2 ---
expect 2 "line 5: call allreduce moves .* across the rail level.*--link rail=CLASS" "$FIT" plan \
  --fit "$FX/fit" --workload "$FX/step.wl" --nodes 2 --ppn 2 --energy --link node=ucie-2d,world=none
expect 2 "--energy needs --link" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --energy
expect 2 "give --energy with it" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --link node=cu
expect 2 "invalid --link class 'nosuch' for node: the catalog has" "$FIT" plan --fit "$FX/fit" \
  --workload "$FX/step.wl" --energy --link node=nosuch
{ echo "$H"; echo "ok,a,optical,100,4,400,,1,2,,,x,user-given,s,"
  echo "nosrc,a,optical,100,4,400,,1,2,,,x,datasheet,,"; } > "$T/bad.csv"
expect 2 "bad.csv:3: class nosrc has no source" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --energy --links "$T/bad.csv" --link node=ok
{ echo "$H"; echo "x,a,optical,100,4,400,,2,1,,,x,user-given,s,"; } > "$T/inv.csv"
expect 2 "inv.csv:2: class x: pJ_per_bit_lo 2 is above pJ_per_bit_hi 1" "$FIT" plan --fit "$FX/fit" \
  --workload "$FX/step.wl" --energy --links "$T/inv.csv" --link node=x
{ echo "$H"; echo "x,a,optical,100,4,400,,1.0e1,20,,,x,user-given,s,"; } > "$T/exp.csv"
expect 2 "exp.csv:2: class x: pJ_per_bit_lo '1.0e1': not a plain decimal" "$FIT" plan --fit "$FX/fit" \
  --workload "$FX/step.wl" --energy --links "$T/exp.csv" --link node=x
{ echo "$H"; echo "x,a,optical,100,4,400,,1,2,,,x,user-given,s,"; echo "x,b,optical,100,4,400,,1,2,,,x,user-given,s,"; } > "$T/dup.csv"
expect 2 "dup.csv:3: class x given twice" "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" \
  --energy --links "$T/dup.csv" --link node=x
COLLROOF_LINKS_CATALOG="$T/bad.csv" expect 2 "bad.csv:2: class ok: source_kind user-given belongs in a user" \
  "$FIT" plan --fit "$FX/fit" --workload "$FX/step.wl" --energy --link node=ok
finish
