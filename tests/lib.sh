# Shared by the shell tests: environment for MPI on this machine, and CSV helpers.
# Network safety: Open MPI stays on loopback.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo
export OMPI_MCA_pml=ob1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
: "${top_builddir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
: "${MPIEXEC:=mpirun}"
COLLROOF="$top_builddir/collroof"

fails=0
passes=0
ok() { passes=$((passes + 1)); echo "ok - $*"; }
fail() { fails=$((fails + 1)); echo "FAIL - $*"; }
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
finish() {
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}

# crun NP ARGS...: collroof on NP local ranks, bounded in time.
crun() {
    local np=$1; shift
    timeout 300 "$MPIEXEC" -np "$np" "$COLLROOF" "$@"
}

# csv_col FILE NAME: the values of column NAME, one per line (header by name).
csv_col() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                         c { print $c }' "$1"
}

# csv_rows FILE: data rows.
csv_rows() { awk 'NR > 1' "$1" | wc -l; }

tmpdir() { mktemp -d "${TMPDIR:-/tmp}/collroof-test.XXXXXX"; }
