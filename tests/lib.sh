# Shared by the shell tests: TAP output (tests/tap.sh), environment for MPI on this
# machine, CSV and topology helpers.
. "$(dirname "$0")/tap.sh"
# Network safety: Open MPI stays on loopback.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo
export OMPI_MCA_pml=ob1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
: "${top_builddir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
: "${MPIEXEC:=mpirun}"
COLLROOF="$top_builddir/collroof"

# crun NP ARGS...: collroof on NP local ranks, bounded in time.
crun() {
    local np=$1; shift
    timeout 300 "$MPIEXEC" -np "$np" $MPIX "$COLLROOF" "$@"
}

# csv_col FILE NAME: the values of column NAME, one per line (header by name).
csv_col() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                         c { print $c }' "$1"
}

# csv_rows FILE: data rows.
csv_rows() { awk 'NR > 1' "$1" | wc -l; }

tmpdir() { mktemp -d "${TMPDIR:-/tmp}/collroof-test.XXXXXX"; }

# Ranks of our own jobs, found to be signalled by PID (never by name): a test exports
# CR_TEST_MARK (unique: cr_mark), its jobs' ranks inherit it.
cr_mark() { CR_TEST_MARK=cr-$1-$$-$RANDOM; export CR_TEST_MARK; }
# rank_pid R: the PID of rank R (Open MPI or MPICH environment) of a job that carries
# CR_TEST_MARK, or ''.
rank_pid() {
    local e p
    for e in /proc/[0-9]*/environ; do
        p=${e#/proc/}; p=${p%/environ}
        tr '\0' '\n' 2>/dev/null <"$e" | grep -qx "CR_TEST_MARK=$CR_TEST_MARK" || continue
        [ "$(tr '\0' '\n' 2>/dev/null <"/proc/$p/cmdline" | head -1 | sed 's#.*/##')" = collroof ] ||
            continue
        tr '\0' '\n' 2>/dev/null <"$e" | grep -qxE "(OMPI_COMM_WORLD_RANK|PMI_RANK)=$1" &&
            { echo "$p"; return; }
    done
}
# json_get FILE KEY: a flat string or number value of a one-line JSON object.
json_get() { sed -n "s/.*\"$2\":\\(\"[^\"]*\"\\|[0-9.]*\\).*/\\1/p" "$1" | tr -d '"'; }

# ---- the machine under test: hwloc for the ranks' topology, libnuma for memory ----
# tests/topo-fake.sh reruns topology tests on a fake machine: CR_FAKE_TOPO=XML makes the
# ranks (never mpirun, which binds on the real machine) load that hwloc topology and
# read their real binding in its terms; CR_FAKE_PRELOAD=LIB is preloaded into the ranks
# (tests/nonuma.so: libnuma finds no NUMA). Open MPI's -x; paths without spaces.
# fake_mpix XML LIB: the -x flags that give the ranks that topology and preload.
fake_mpix() {
    local x=
    [ -z "$1" ] || x="-x HWLOC_XMLFILE=$1 -x HWLOC_THISSYSTEM=1"
    [ -z "$2" ] || x="$x -x LD_PRELOAD=$2"
    echo "$x"
}
MPIX=$(fake_mpix "${CR_FAKE_TOPO:-}" "${CR_FAKE_PRELOAD:-}")

# hw ARGS...: hwloc-calc on the topology the ranks see (the fake one if any).
hw() {
    if [ -n "${CR_FAKE_TOPO:-}" ]; then hwloc-calc --input "$CR_FAKE_TOPO" "$@"
    else hwloc-calc "$@"; fi
}

# cpuset_expand LIST: "0-2;8" or "0-2,8" (placement.csv writes ';') -> "0,1,2,8".
cpuset_expand() {
    printf '%s\n' "$1" | tr ';' ',' | awk -F, '{ for (i = 1; i <= NF; i++) {
        n = split($i, r, "-"); for (c = r[1] + 0; c <= r[n] + 0; c++) printf "%s%d", o++ ? "," : "", c }
        print "" }'
}

# hw_objs TYPE CPUSET: logical indexes of the TYPE objects that CPUSET spans in the
# ranks' topology, "a,b,..."; one index: the object that contains it; -1: none.
hw_objs() {
    local locs r
    locs=$(cpuset_expand "$2" | tr ',' '\n' | sed 's/^/pu:/' | tr '\n' ' ')
    r=$(hw --pi -I "$1" $locs 2>/dev/null)
    echo "${r:--1}"
}

# numa_avail: libnuma finds NUMA for the ranks (numactl asks numa_available()).
numa_avail() {
    # a build configured --without-numa places no buffer, whatever the host has
    grep -q '^#define HAVE_LIBNUMA 1' "$top_builddir/config.h" 2>/dev/null || return 1
    if command -v numactl >/dev/null 2>&1; then
        env ${CR_FAKE_PRELOAD:+LD_PRELOAD=$CR_FAKE_PRELOAD} numactl --show >/dev/null 2>&1
    else
        [ -z "${CR_FAKE_PRELOAD:-}" ] && [ -d /sys/devices/system/node/node0 ]
    fi
}
# numa_of_cpu CPU: the NUMA node (sysfs, as libnuma reads it) of an OS CPU number.
numa_of_cpu() {
    local d
    for d in /sys/devices/system/node/node*; do
        [ -e "$d/cpu$1" ] && { echo "${d##*node}"; return; }
    done
    echo 0
}
# numa_allowed: the NUMA nodes this process may allocate on, "0,1,...".
numa_allowed() { cpuset_expand "$(awk '/^Mems_allowed_list:/ { print $2 }' /proc/self/status)"; }
# numa_max: the highest NUMA node number (numa_max_node()).
numa_max() { ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | sed 's/.*node//' | sort -n | tail -1; }

# levels_oracle PLACEMENT: for each level, independently of collroof's C, from
# placement.csv: "LEVEL GROUPS MIN MAX run|skip" (groups, smallest and largest group,
# and whether --levels auto runs it: >= 2 ranks in every group, groups unlike those of
# every level run before it).
levels_oracle() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { n++; ni[n] = $c["node_index"]; lr[n] = $c["local_rank"] + 0
      pk[n] = $c["package"] + 0; nu[n] = $c["numa"] + 0 }
    END {
        split("world node package numa internode rail", L, " ")
        for (l = 1; l <= 6; l++) {
            split("", id); split("", size); g = 0; col = ""
            for (i = 1; i <= n; i++) {
                if (l == 1) k = "0"
                else if (l == 2) k = ni[i]
                else if (l == 3) k = pk[i] < 0 ? "" : ni[i] ":" pk[i]
                else if (l == 4) k = nu[i] < 0 ? "" : ni[i] ":" nu[i]
                else if (l == 5) k = lr[i] == 0 ? "0" : ""
                else k = lr[i]
                if (k == "") { col = col " -"; continue }
                if (!(k in id)) id[k] = g++
                size[id[k]]++; col = col " " id[k]
            }
            lo = 0; hi = 0
            for (j = 0; j < g; j++) { if (lo == 0 || size[j] < lo) lo = size[j]; if (size[j] > hi) hi = size[j] }
            run = lo >= 2
            for (m = 1; m < l && run; m++) if (ran[m] && cols[m] == col) run = 0
            cols[l] = col; ran[l] = run
            print L[l], g, lo, hi, run ? "run" : "skip"
        }
    }' "$1"
}
