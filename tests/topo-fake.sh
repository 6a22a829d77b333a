#!/bin/sh
# The topology tests on machines this one is not. hwloc is given a fixture for the
# ranks (HWLOC_XMLFILE, with HWLOC_THISSYSTEM=1 so that they read their real binding
# in its terms; only collroof reads bindings, it sets none but libnuma's, which stays
# on the real machine), mpirun keeps mapping and binding on the real one; libnuma is
# made NUMA-less by tests/nonuma.so. On each: test_levels and mpi-topo.sh pass
# unchanged, the topology summary counts the fixture's objects, and collroof's
# placement.csv and levels show the machine (a package level on two sockets, two PUs
# in a core binding with SMT, no NUMA anywhere on the NUMA-less host).
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
FIX=$top_srcdir/tests/fixtures/topo
NONUMA=$top_builddir/tests/nonuma.so
QUICK="--min-iters 6 --max-iters 30 --time-limit 0.1 --warmup 1 -q"
[ -f "$NONUMA" ] || bail "tests/nonuma.so not built (make check builds it)"

# Machines: name, fixture, library preloaded into the ranks ("-": none), the topology
# summary the fixture must give (packages numa_nodes cores pus libnuma; libnuma "-":
# what the real machine's says), and whether mpi-topo.sh (a minute or two) reruns there.
MACHINES="
2pack-smt   2pack-smt.xml        -          2 2 8 16 -      yes
nonuma      nonuma-4core.xml     nonuma.so  1 1 4 4  false  yes
smt-pairs   1pack-4core-2pu.xml  -          1 1 4 8  -      no
"

# fix NAME COLUMN: the fixture (2) or preload (3) of a machine, as paths ("" = none).
fix() {
    printf '%s\n' "$MACHINES" | awk -v n="$1" -v k="$2" -v fix="$FIX" -v lib="$top_builddir/tests" '
        $1 == n { print $k == "-" ? "" : (k == 2 ? fix : lib) "/" $k }'
}
# fake NAME CMD...: CMD with that machine's CR_FAKE_* (tests/lib.sh) set.
fake() { local n=$1; shift; CR_FAKE_TOPO=$(fix "$n" 2) CR_FAKE_PRELOAD=$(fix "$n" 3) "$@"; }
# mpix NAME: Open MPI's -x flags for a machine, as lib.sh derives them.
mpix() { fake_mpix "$(fix "$1" 2)" "$(fix "$1" 3)"; }
# topo FILE KEY: a number or word of the first topology summary in results.jsonl.
topo() { head -1 "$1" | grep -o "\"topology\":\[{[^]]*" | grep -o "\"$2\":[a-z0-9]*" | head -1 | cut -d: -f2; }
# Real CPUs 0 and 1 usable: the per-rank bindings below pick fixture PUs by them.
cpus01=no
case ",$(cpuset_expand "$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/self/status)")," in
*,0,1,*) cpus01=yes ;;
esac

printf '%s\n' "$MACHINES" | awk 'NF' >"$T/machines"
# (fd 4: mpirun reads stdin)
while read -r name xml pre packages numas cores pus libnuma rerun <&4; do
    X=$(mpix "$name")
    diag "machine $name: $xml, ranks get: $X"
    # The fixture is what the table says, by hwloc's own count.
    check "$name: fixture has $packages packages, $numas NUMA nodes, $cores cores, $pus PUs" test \
        "$(for t in package numa core pu; do hwloc-calc --input "$FIX/$xml" -N $t all; done | tr '\n' ' ')" = \
        "$packages $numas $cores $pus "

    # The unit tests, unchanged (their memory expectations follow libnuma).
    lp=$(fix "$name" 3)
    env HWLOC_XMLFILE="$FIX/$xml" HWLOC_THISSYSTEM=1 ${lp:+LD_PRELOAD=$lp} \
        "$top_builddir/tests/test_levels" >"$T/$name-unit.out" 2>&1
    check "$name: test_levels passes" test $? -eq 0
    grep -E 'FAILED|CU_ASSERT' "$T/$name-unit.out"

    # mpi-topo.sh, unchanged: every check it derives from the machine holds (not under
    # make distcheck's CR_TEST_QUICK=1: these ran in the main pass).
    if [ "$rerun" = yes ] && [ "${CR_TEST_QUICK:-0}" = 1 ]; then
        skip "$name: mpi-topo.sh" "CR_TEST_QUICK=1"
    elif [ "$rerun" = yes ]; then
        fake "$name" env CR_TAP=0 sh "$top_srcdir/tests/mpi-topo.sh" >"$T/$name-topo.out" \
            2>"$T/$name-topo.err" </dev/null
        rc=$?
        nok=$(grep -c '^ok ' "$T/$name-topo.out")
        nbad=$(grep -c '^not ok ' "$T/$name-topo.out")
        check "$name: mpi-topo.sh passes ($nok ok, $nbad not ok, status $rc)" \
            test "$rc" -eq 0 -a "$nbad" -eq 0 -a "$nok" -ge 40
        check "$name: mpi-topo.sh ran to its plan" grep -qx "1\.\.$((nok + nbad))" "$T/$name-topo.out"
        grep '^not ok' "$T/$name-topo.out"
    fi

    # The topology summary counts the fixture's objects; libnuma as the preload says.
    timeout 120 "$MPIEXEC" -np 2 --bind-to none $X "$COLLROOF" -c bcast -m 1K $QUICK \
        -o "$T/$name-sum" 2>/dev/null </dev/null
    got=$(for k in packages numa_nodes cores pus; do topo "$T/$name-sum/results.jsonl" $k; done | tr '\n' ' ')
    check "$name: topology summary packages numa_nodes cores pus = $got" \
        test "$got" = "$packages $numas $cores $pus "
    [ "$libnuma" = - ] && { numa_avail && libnuma=true || libnuma=false; }
    check "$name: topology summary libnuma $libnuma" \
        test "$(topo "$T/$name-sum/results.jsonl" libnuma)" = "$libnuma"
done 4<"$T/machines"

# Two sockets, sockets' CPUs interleaved (real CPU 0 is on package 0, CPU 1 on
# package 1): 4 ranks, rank r bound to real CPU r % 2. Ranks 0, 2 share package 0
# and 1, 3 package 1, one NUMA node each: auto runs a package level of 2 groups of 2
# and skips numa (the same groups); placement.csv says so.
if [ $cpus01 = yes ]; then
    X=$(mpix 2pack-smt)
    timeout 120 "$MPIEXEC" -np 4 --bind-to none $X sh -c \
        'exec taskset -c $((OMPI_COMM_WORLD_RANK % 2)) "$0" "$@"' "$COLLROOF" \
        -l auto -c allreduce -m 4K $QUICK -o "$T/pack" 2>"$T/pack.err"
    check "2pack-smt: 4 ranks on 2 packages: exits 0" test $? -eq 0
    check "2pack-smt: placement package = 0 1 0 1, numa = 0 1 0 1" \
        test "$(csv_col "$T/pack/placement.csv" package | tr '\n' ' ')$(csv_col "$T/pack/placement.csv" numa | tr '\n' ' ')" = "0 1 0 1 0 1 0 1 "
    check "2pack-smt: core = 0 4 0 4 (PU 0 and PU 1 are first threads of two sockets)" \
        test "$(csv_col "$T/pack/placement.csv" core | tr '\n' ' ')" = "0 4 0 4 "
    check "2pack-smt: auto runs package, 2 groups of 2" \
        test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            $c["level"] == "package" { print $c["ranks"] ":" $c["groups"] }' "$T/pack/results.csv")" = 2:2
    check "2pack-smt: auto skips numa, the same groups as package" \
        grep -q 'skipping level numa: same groups as level package' "$T/pack.err"
    check "2pack-smt: rows at world and package only" \
        test "$(csv_col "$T/pack/results.csv" level | tr '\n' ' ')" = "world package "
else
    skip "2pack-smt: ranks on 2 packages" "real CPUs 0 and 1 are not both usable here"
fi

# SMT with siblings numbered together (PUs 0 and 1 are core 0): ranks bound to real
# CPUs 0-1 are bound to one whole core of 2 PUs; the PU is the one each last ran on.
if [ $cpus01 = yes ]; then
    X=$(mpix smt-pairs)
    taskset -c 0,1 timeout 120 "$MPIEXEC" -np 2 --bind-to none $X "$COLLROOF" -c allreduce \
        -m 4K $QUICK -o "$T/smt" 2>"$T/smt.err"
    check "smt-pairs: ranks on a core's 2 PUs: exits 0" test $? -eq 0
    check "smt-pairs: cpuset 0-1 (2 PUs), core 0, bound, on every rank" test \
        "$(awk -F, 'NR > 1 { print $9 ":" $7 ":" $10 }' "$T/smt/placement.csv" | sort -u)" = "0-1:0:1"
    check "smt-pairs: pu is one of the core's two" test -z \
        "$(csv_col "$T/smt/placement.csv" pu | grep -vx '[01]')"
else
    skip "smt-pairs: ranks on a core's 2 PUs" "real CPUs 0 and 1 are not both usable here"
fi

# NUMA-less host: one NUMA node for hwloc, none for libnuma. Buffers are plain
# (mem = default), auto finds no package or numa level apart from node, and the
# summary has no NUMA distances.
X=$(mpix nonuma)
timeout 120 "$MPIEXEC" -np 4 --bind-to none $X "$COLLROOF" -l auto --mem local -c allreduce \
    -m 4K,1M $QUICK -o "$T/nonuma" 2>"$T/nonuma.err"
check "nonuma: 4 ranks: exits 0" test $? -eq 0
check "nonuma: mem = default on every row" test "$(csv_col "$T/nonuma/results.csv" mem | sort -u)" = default
check "nonuma: rows at world only" test "$(csv_col "$T/nonuma/results.csv" level | sort -u)" = world
check "nonuma: numa is one group, like node" test -z \
    "$(csv_col "$T/nonuma/placement.csv" numa | grep -vx '0\|-1')"
check "nonuma: no NUMA distances" grep -q '"numa_distances":null' "$T/nonuma/results.jsonl"
check "nonuma: --mem local: no NUMA warning (local asks nothing NUMA must give)" \
    test "$(grep -c 'NUMA is not available' "$T/nonuma.err")" -eq 0

finish
