#!/bin/sh
# Scale: 64 ranks (CR_SCALE_NP to change), oversubscribed on this host, run a short
# sweep with --levels auto to the end: one row per collective, size and level run,
# world rows with ranks = 64, every row valid; COLLROOF_SETUP_TIMING prints every
# setup phase. About 15-20 s on 2 cores.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
NP=${CR_SCALE_NP:-64}

start=$(date +%s)
COLLROOF_SETUP_TIMING=1 timeout 240 "$MPIEXEC" --oversubscribe -np "$NP" $MPIX "$COLLROOF" \
    -l auto -c allreduce,bcast -m 8,1K --time-limit 0.01 --min-iters 1 --max-iters 3 \
    --warmup 0 -q -o "$T/out" >"$T/stdout" 2>"$T/stderr"
rc=$?
diag "np $NP: $(($(date +%s) - start)) s"
check "np $NP: completes (rc $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || { tail -20 "$T/stderr"; finish; exit; }
levels=$(csv_col "$T/out/results.csv" level | sort -u | wc -l)
rows=$(csv_rows "$T/out/results.csv")
check "np $NP: 2 collectives x 2 sizes x $levels level(s) = $((4 * levels)) rows ($rows)" \
    test "$rows" -eq $((4 * levels))
check "np $NP: world rows have ranks = $NP" test "$(awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["level"] == "world" { n++; if ($c["ranks"] != np) bad++ }
    END { print (n == 4 && !bad) ? "yes" : "no" }' np="$NP" "$T/out/results.csv")" = yes
check "np $NP: every row valid = pass" test -z "$(csv_col "$T/out/results.csv" valid | grep -vx pass)"
check "np $NP: setup timing printed for every phase" test "$(grep -cE '^collroof: setup [a-z-]+ +[0-9.]+$' "$T/stderr")" -eq 11
grep '^collroof: setup' "$T/stderr"
finish
