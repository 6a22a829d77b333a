#!/bin/sh
# MPICH: collroof configures and builds against MPICH (mpicc.mpich) beside Open
# MPI, and runs under hydra: every collective validated (reduce and gather named),
# a fault at their root caught, the world size right.
. "$(dirname "$0")/lib.sh"
[ "${CR_TEST_QUICK:-0}" = 1 ] && skip_all "CR_TEST_QUICK=1"
command -v mpicc.mpich >/dev/null && command -v mpiexec.hydra >/dev/null ||
    skip_all "MPICH (mpicc.mpich, mpiexec.hydra) not installed"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
# A copy of the sources: the tree may be configured in place (scripts/setup),
# and a configured source tree refuses a second, out-of-tree configuration.
cp -a "$top_srcdir" "$T/build"
( cd "$T/build" && { [ ! -f config.status ] || make distclean >/dev/null 2>&1; } &&
  env -u MPIEXEC ./configure -q --with-mpi=mpich >config.out 2>&1 && make -j2 collroof >make.out 2>&1 )
check "configure --with-mpi=mpich && make" test $? -eq 0
check "configure found MPICH" grep -q 'MPI  *: wrapper mpicc.mpich' "$T/build/config.out"
check "configure's launcher is MPICH's ($(sed -n 's/^ *MPI launcher *: //p' "$T/build/config.out"))" \
    grep -qE 'MPI launcher *: .*(mpiexec\.hydra|mpiexec\.mpich|mpirun\.mpich)$' "$T/build/config.out"
# Loopback only: hydra's control traffic on lo, UCX on shared memory and lo.
export HYDRA_IFACE=lo UCX_TLS=self,sm,tcp UCX_NET_DEVICES=lo
timeout 120 mpiexec.hydra -n 3 "$T/build/collroof" -c all,reduce,gather -m 100,4K,64K --max-iters 20 \
    --time-limit 0.1 -q -o "$T/run" 2>"$T/run.err"
check "hydra -n 3: exits 0" test $? -eq 0
# 3 ranks on this machine's cores, unbound: the advice is in hydra's syntax
check "binding advice in MPICH's syntax (mpiexec -bind-to core), not Open MPI's" \
    sh -c "grep -q 'mpiexec -bind-to core\|mpiexec -ppn' '$T/run.err' && ! grep -q -- '--map-by' '$T/run.err'"
check "3 ranks in every row" test "$(csv_col "$T/run/results.csv" ranks | sort -u)" = 3
check "every row valid" test "$(csv_col "$T/run/results.csv" valid | sort -u)" = pass
check "21 rows (the five of -c all, reduce, gather)" test "$(csv_rows "$T/run/results.csv")" -eq 21
# reduce and gather leave their result on rank 0 alone: a fault injected there is
# caught, and the exit status says so.
COLLROOF_INJECT_FAULT=0 timeout 120 mpiexec.hydra -n 3 "$T/build/collroof" -c reduce,gather \
    -d int32 -m 4K --max-iters 20 --time-limit 0.1 -q -o "$T/fault" 2>"$T/fault.err"
check "hydra: a fault at the root of reduce, gather: exit status 3 ($?)" test $? -eq 3
check "... both rows fail" test "$(csv_col "$T/fault/results.csv" valid | sort -u | tr '\n' ' ')" = "fail "
check "metadata names MPICH" sh -c "head -1 '$T/run/results.jsonl' | grep -q '\"mpi_library\":\"MPICH'"

# A rank SIGKILLed mid-sweep (a lost node) ends the whole hydra job within seconds,
# non-zero, every finished row whole. The rank is found by a marker in its
# environment and killed by PID.
cr_mark mpich
timeout 120 mpiexec.hydra -n 2 "$T/build/collroof" -q -c allreduce \
    -m 8:64K:x2 --time-limit 0.5 --precision 0.0001 --max-iters 1000000 -o "$T/kill" \
    >"$T/kill.out" 2>&1 &
job=$!
for _ in $(seq 1 200); do
    [ -s "$T/kill/results.csv" ] && [ "$(csv_rows "$T/kill/results.csv")" -ge 2 ] && break
    sleep 0.1
done
p1=$(rank_pid 1)
t0=$(date +%s.%N)
[ -n "$p1" ] && kill -KILL "$p1"
wait "$job"
rc=$?
took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
check "hydra: rank 1 SIGKILLed ends the job non-zero (rc $rc) in $took s (at most 20 s)" \
    sh -c "[ -n '$p1' ] && [ $rc -ne 0 ] && [ $rc -ne 124 ] && awk 'BEGIN { exit !($took <= 20) }'"
check "... every finished row whole" \
    awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad || NR < 2 }' "$T/kill/results.csv"
finish
