#!/bin/sh
# Integration, one host: placement.csv and the binding warnings under
# --bind-to core / none, --levels auto on oversubscribed ranks, explicit levels,
# probe pairs, --mem policies and a bad NUMA node. Every expectation comes from the
# machine at run time: the cores, packages, NUMA nodes and cpusets from hwloc (the
# topology the ranks see: a fake one under tests/topo-fake.sh), memory from libnuma
# and sysfs, the levels from placement.csv (levels_oracle in lib.sh).
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
QUICK="--min-iters 6 --max-iters 30 --time-limit 0.1 --warmup 1 -q"
PLACEMENT="rank,host,node_index,local_rank,package,numa,core,pu,cpuset,bound"
ncores=$(hw -N core all)                 # what collroof counts on this host
allpus=$(hw --po -I pu all | tr , '\n' | sort -n | paste -sd, -)
real_cores=$(hwloc-calc -N core all)     # what mpirun binds to
diag "ranks' topology: $ncores cores, PUs $allpus${CR_FAKE_TOPO:+ (fake: $CR_FAKE_TOPO)}"

# sorted LIST: a comma list in numeric order.
sorted() { printf '%s\n' "$1" | tr , '\n' | sort -n | paste -sd, -; }
# placement_bad FILE: rows whose package, numa, core, pu or bound differ from what
# hwloc says of their cpuset: the object that contains it, else (the rank is placed
# by the CPU it last ran on) -1 or one of the objects it spans; bound: the cpuset
# leaves out some PU of the host.
placement_bad() {
    local rank cpuset set col want got
    for rank in $(csv_col "$1" rank); do
        cpuset=$(awk -F, -v r="$rank" 'NR > 1 && $1 == r { print $9 }' "$1")
        set=$(sorted "$(cpuset_expand "$cpuset")")
        for col in package numa core pu; do
            want=$(hw_objs "$col" "$cpuset")
            got=$(awk -F, -v r="$rank" -v name=$col 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
                $1 == r { print $c[name] }' "$1")
            case $want in
            *,*) case ",$want,-1," in *",$got,"*) ;; *) echo "rank $rank $col $got (spans $want)" ;; esac ;;
            *) [ "$got" = "$want" ] || echo "rank $rank $col $got (hwloc: $want)" ;;
            esac
        done
        want=1; [ "$set" = "$allpus" ] && want=0
        got=$(awk -F, -v r="$rank" 'NR > 1 && $1 == r { print $10 }' "$1")
        [ "$got" = "$want" ] || echo "rank $rank bound $got (want $want)"
    done
}
# one_real_core CPUSET: the cpuset is exactly the PUs of one core of the real machine.
one_real_core() {
    local set core
    set=$(cpuset_expand "$1")
    core=$(hwloc-calc --pi -I core $(printf '%s\n' "$set" | tr , '\n' | sed 's/^/pu:/') 2>/dev/null)
    case $core in '' | *,*) return 1 ;; esac
    [ "$(sorted "$(hwloc-calc --po -I pu core:"$core")")" = "$(sorted "$set")" ]
}
# level_rows FILE COLLECTIVE: "level:ranks:groups" of its rows, one per line.
level_rows() {
    awk -F, -v coll="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["collective"] == coll { print $c["level"] ":" $c["ranks"] ":" $c["groups"] }' "$1"
}

# Bound: one rank per core, each cpuset one whole core of the machine (one PU without
# SMT, all its hardware threads with), placed where hwloc puts that cpuset.
if [ "$real_cores" -ge 2 ]; then
    timeout 120 "$MPIEXEC" -np 2 --bind-to core --map-by core $MPIX "$COLLROOF" -c bcast -m 1K $QUICK \
        -o "$T/bound" 2>"$T/bound.err"
    check "--bind-to core: exits 0" test $? -eq 0
    PL=$T/bound/placement.csv
    check "placement.csv header" test "$(head -1 "$PL")" = "$PLACEMENT"
    check "placement.csv: one row per rank" test "$(csv_rows "$PL")" -eq 2
    check "--bind-to core: distinct cpusets" test "$(csv_col "$PL" cpuset | sort -u | wc -l)" -eq 2
    for c in $(csv_col "$PL" cpuset); do
        check "--bind-to core: cpuset $c is one whole core" one_real_core "$c"
    done
    bad=$(placement_bad "$PL")
    check "--bind-to core: package, numa, core, pu and bound as hwloc places the cpusets ($bad)" \
        test -z "$bad"
    check "--bind-to core: binding warning iff some rank covers the host" \
        test "$(grep -c 'not bound' "$T/bound.err")" -eq "$(csv_col "$PL" bound | grep -c '^0$')"
    check "local ranks 0 and 1" test "$(csv_col "$PL" local_rank | tr '\n' ' ')" = "0 1 "
    check "nodes = 1, ppn = 2 in results" \
        test "$(csv_col "$T/bound/results.csv" nodes),$(csv_col "$T/bound/results.csv" ppn)" = "1,2"
else
    skip "--bind-to core on 2 ranks" "this machine has $real_cores core"
fi

# Unbound: each rank's cpuset is every CPU it may use; bound = 0 where that is the
# whole host, and then one warning saying how to bind.
timeout 120 "$MPIEXEC" -np 2 --bind-to none $MPIX "$COLLROOF" -c bcast -m 1K $QUICK -o "$T/none" 2>"$T/none.err"
check "--bind-to none: exits 0" test $? -eq 0
bad=$(placement_bad "$T/none/placement.csv")
check "--bind-to none: placement as hwloc places the cpusets ($bad)" test -z "$bad"
unbound=$(csv_col "$T/none/placement.csv" bound | grep -c '^0$')
if [ -z "${CR_FAKE_TOPO:-}" ]; then
    check "--bind-to none: bound = 0 on both ranks" test "$unbound" -eq 2
fi
check "--bind-to none: $([ "$unbound" -gt 0 ] && echo one warning, with the fix || echo no warning)" \
    test "$(grep -c 'not bound.*--bind-to core' "$T/none.err")" -eq "$([ "$unbound" -gt 0 ] && echo 1 || echo 0)"

# More ranks than cores: warned once; auto runs exactly the levels placement.csv calls
# for (on one host never node, which equals world, nor internode, which has one rank).
np=$((ncores + 1)); [ $np -lt 4 ] && np=4
timeout 300 "$MPIEXEC" -np $np --bind-to none $MPIX "$COLLROOF" -l auto -c allreduce,pingpong -m 1K,64K $QUICK -o "$T/auto" 2>"$T/auto.err"
check "auto on $np ranks: exits 0" test $? -eq 0
check "more ranks than cores: warned once" test "$(grep -c "runs $np ranks on $ncores cores" "$T/auto.err")" -eq 1
check "auto says why it skipped node" grep -q 'skipping level node: same groups as level world' "$T/auto.err"
check "auto says why it skipped internode" grep -q 'skipping level internode: a group has fewer than 2 ranks' "$T/auto.err"
levels_oracle "$T/auto/placement.csv" >"$T/auto.oracle"
want=$(awk '$5 == "run" { print $1 ":" $4 ":" $2 }' "$T/auto.oracle" | sort | tr '\n' ' ')
got=$(level_rows "$T/auto/results.csv" allreduce | sort -u | tr '\n' ' ')
check "auto ran the levels placement.csv calls for: $got(want $want)" test "$got" = "$want"
# Probe pairs: one per distance class found among the ranks (placement.csv).
want=$(awk -F, 'NR > 1 { n++; p[n] = $5 + 0; m[n] = $6 + 0 }
    END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
              if (p[i] < 0 || p[j] < 0) continue
              if (p[i] != p[j]) d = "node"; else if (m[i] < 0 || m[j] < 0) continue
              else d = m[i] == m[j] ? "numa" : "package"
              print d ":2:1" } }' "$T/auto/placement.csv" | sort -u | tr '\n' ' ')
got=$(level_rows "$T/auto/results.csv" pingpong | sort -u | tr '\n' ' ')
check "pingpong: one pair per distance class: $got(want $want)" test "$got" = "$want"
check "pingpong busbw = algbw = bytes / t" test -z "$(awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i;next}
    $c["collective"]=="pingpong" { b = $c["bytes"] / $c["t_median_us"] * 1e-3
      if ($c["busbw_GBps"] != $c["algbw_GBps"] || (b - $c["algbw_GBps"])^2 > (1e-4 * b)^2) print NR }' "$T/auto/results.csv")"
check "topology summary and ceilings in the metadata" \
    sh -c "head -1 '$T/auto/results.jsonl' | grep -q '\"topology\"' && head -1 '$T/auto/results.jsonl' | grep -q '\"ceilings\"' && head -1 '$T/auto/results.jsonl' | grep -q '\"placement\"'"
check "topology summary counts $ncores cores" \
    grep -q "\"cores\":$ncores," "$T/auto/results.jsonl"

# Named levels run in order, each with the groups placement.csv gives it (a level no
# rank belongs to is warned about and has no rows).
timeout 120 "$MPIEXEC" -np 4 --bind-to none $MPIX "$COLLROOF" -l world,node,package,numa -c allgather -m 4K $QUICK -o "$T/named"
check "named levels: exits 0" test $? -eq 0
levels_oracle "$T/named/placement.csv" >"$T/named.oracle"
want=$(awk '$2 > 0 && $1 ~ /^(world|node|package|numa)$/ { print $1 ":" $4 ":" $2 }' "$T/named.oracle" | tr '\n' ' ')
got=$(level_rows "$T/named/results.csv" allgather | tr '\n' ' ')
check "named levels in order, ranks and groups from placement.csv: $got(want $want)" test "$got" = "$want"

# Memory policies: the pages are where they were asked to be. Rank 0 (whose buffers
# the row records) is bound, so "local" and "default" mean the node of its CPU.
bind="--bind-to none"; [ "$real_cores" -ge 2 ] && bind="--bind-to core --map-by core"
first=$(numa_allowed | cut -d, -f1)
nallowed=$(numa_allowed | tr , '\n' | grep -c .)
for m in local interleave node:$first default; do
    timeout 120 "$MPIEXEC" -np 2 $bind $MPIX "$COLLROOF" --mem $m -c allreduce -m 1M $QUICK -o "$T/mem-$m"
    cpu0=$(awk -F, 'NR == 2 { print $9 }' "$T/mem-$m/placement.csv" | tr ';' , | cut -d, -f1 | cut -d- -f1)
    case $m in
    local | default) want=numa:$(numa_of_cpu "$cpu0") ;;
    interleave) want=numa:$first; [ "$nallowed" -gt 1 ] && want=interleave ;;
    node:*) want=numa:$first ;;
    esac
    numa_avail || want=default
    got=$(csv_col "$T/mem-$m/results.csv" mem)
    check "--mem $m: pages $got (want $want)" test "$got" = "$want"
done
past=$(( $(numa_max) + 1 )); numa_avail || past=1
timeout 60 "$MPIEXEC" -np 2 $MPIX "$COLLROOF" --mem node:$past -c bcast -m 1K $QUICK -o "$T/nodebad" 2>"$T/nodebad.err"
check "--mem node:$past (past the last node) refused with status 2" test $? -eq 2
check "--mem node:$past: one message naming it" test "$(grep -c "node:$past" "$T/nodebad.err")" -eq 1
check "--mem node:$past: nothing written" test ! -e "$T/nodebad/results.csv"

# Cold cache: on a host whose L3 is 1 MB (a synthetic hwloc topology for the ranks,
# which takes precedence over an XML one) the pool exceeds twice the last-level cache
# and says so; without --cold-cache the row says 0.
SYN="pack:1 l3:1(size=1MB) core:2 pu:1"
timeout 120 "$MPIEXEC" -np 2 --bind-to none $MPIX -x HWLOC_SYNTHETIC="$SYN" "$COLLROOF" --cold-cache -c allreduce -m 64K $QUICK -o "$T/cold" 2>/dev/null
check "--cold-cache, 1 MB L3: cold_cache = 1" test "$(csv_col "$T/cold/results.csv" cold_cache)" = 1
check "synthetic L3 seen in the topology summary" grep -q '"bytes":1000000' "$T/cold/results.jsonl"
timeout 120 "$MPIEXEC" -np 2 $MPIX "$COLLROOF" -c allreduce -m 64K $QUICK -o "$T/warm"
check "without --cold-cache: cold_cache = 0" test "$(csv_col "$T/warm/results.csv" cold_cache)" = 0

# --probe-memory: a memcpy ceiling per NUMA node the ranks may use (numa null without
# NUMA), in the metadata.
timeout 120 "$MPIEXEC" -np 2 $MPIX "$COLLROOF" --probe-memory -c bcast -m 1K $QUICK -o "$T/probe"
check "--probe-memory: exits 0" test $? -eq 0
want=$first; numa_avail || want=null
check "--probe-memory: memcpy GB/s recorded for numa $want" \
    sh -c "head -1 '$T/probe/results.jsonl' | grep -qE '\"memcpy\":\\[\\{\"host\":\"[^\"]+\",\"numa\":$want,\"GBps\":[0-9.]+'"
check "--probe-memory: one memcpy entry per node ($nallowed)" \
    test "$(head -1 "$T/probe/results.jsonl" | grep -o '"numa":[0-9a-z]*,"GBps"' | wc -l)" -eq "$(numa_avail && echo "$nallowed" || echo 1)"
check "without --probe-memory: no memcpy probe" \
    sh -c "head -1 '$T/warm/results.jsonl' | grep -q '\"memcpy\":\\[\\]'"
want=true; numa_avail || want=false
check "topology records libnuma $want" grep -q "\"libnuma\":$want" "$T/warm/results.jsonl"

# Where libnuma finds no NUMA (tests/nonuma.so makes numa_available() fail), buffers
# get the plain allocation: the run validates, records mem=default and libnuma false,
# node:0 is still accepted, node:1 still refused, and an explicit policy is warned once.
NONUMA=$top_builddir/tests/nonuma.so
if [ -f "$NONUMA" ]; then
    timeout 120 "$MPIEXEC" -np 2 $MPIX -x LD_PRELOAD="$NONUMA" "$COLLROOF" --mem interleave --probe-memory \
        -c allreduce,pingpong -m 4K,1M $QUICK -o "$T/nonuma" 2>"$T/nonuma.err"
    check "no NUMA: exits 0" test $? -eq 0
    check "no NUMA: every row passes validation" \
        test "$(csv_col "$T/nonuma/results.csv" valid | sort -u)" = pass
    check "no NUMA: mem = default on every row" \
        test "$(csv_col "$T/nonuma/results.csv" mem | sort -u)" = default
    check "no NUMA: topology records libnuma false" \
        grep -q '"libnuma":false' "$T/nonuma/results.jsonl"
    check "no NUMA: one warning naming --mem interleave" \
        test "$(grep -c 'warning: --mem interleave: NUMA is not available' "$T/nonuma.err")" -eq 1
    check "no NUMA: --probe-memory still measures memcpy (numa null)" \
        grep -q '"memcpy":\[{"host":"[^"]*","numa":null,"GBps":[0-9.]' "$T/nonuma/results.jsonl"
    timeout 60 "$MPIEXEC" -np 2 $MPIX -x LD_PRELOAD="$NONUMA" "$COLLROOF" --mem node:0 -c bcast -m 1K \
        $QUICK -o "$T/nonuma0" 2>/dev/null
    check "no NUMA: --mem node:0 accepted" test "$(csv_col "$T/nonuma0/results.csv" mem)" = default
    timeout 60 "$MPIEXEC" -np 2 $MPIX -x LD_PRELOAD="$NONUMA" "$COLLROOF" --mem node:1 -c bcast -m 1K \
        $QUICK -o "$T/nonuma1" 2>"$T/nonuma1.err"
    check "no NUMA: --mem node:1 refused with status 2" test $? -eq 2
    check "no NUMA: --mem node:1 named once" test "$(grep -c 'node:1' "$T/nonuma1.err")" -eq 1
else
    fail "tests/nonuma.so not built (make check builds it)"
fi

# The launcher's node count against the processor names (fake Slurm nodes sharing one
# hostname): rank 0 warns once when Slurm says more nodes than the names show.
env SLURM_STEP_NUM_NODES=3 timeout 60 "$MPIEXEC" -np 2 $MPIX "$COLLROOF" -c bcast -m 1K $QUICK \
    -o "$T/nodes3" 2>"$T/nodes3.err"
check "launcher says 3 nodes, the names 1: warned once" test "$(grep -c \
    'warning: the launcher says 3 nodes (SLURM_STEP_NUM_NODES) but the ranks report 1 distinct' \
    "$T/nodes3.err")" -eq 1
env SLURM_STEP_NUM_NODES=1 timeout 60 "$MPIEXEC" -np 2 $MPIX "$COLLROOF" -c bcast -m 1K $QUICK \
    -o "$T/nodes1" 2>"$T/nodes1.err"
check "launcher says 1 node, the names 1: no warning" test "$(grep -c 'the launcher says' "$T/nodes1.err")" -eq 0

finish
