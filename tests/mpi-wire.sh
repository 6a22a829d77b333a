#!/bin/sh
# The wire_* columns on one host against fake /sys and /proc trees
# (COLLROOF_SYSFS_ROOT, COLLROOF_PROCFS_ROOT): an Ethernet eth0 in /proc/net/dev and
# an ACTIVE InfiniBand port with 64-bit counters, beside loopback. Nothing moves the
# fake counters, so every measured column must be 0 and the one-host minimum 0
# (traffic efficiency empty: nothing must cross); the metadata names the interfaces
# read and those left out. A missing tree leaves the measured columns empty with one
# warning naming the path tried; --net-if none leaves them empty silently; --net-if
# naming an interface the host lacks is an error naming it. collroof-fit reads
# every run. The counters themselves (units, widths, wrap) are test_netcount's.
. "$(dirname "$0")/lib.sh"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

SYS=$T/sys PROC=$T/proc
mkdir -p "$PROC/net" "$SYS/class/net/lo" "$SYS/class/net/eth0/statistics" \
    "$SYS/class/infiniband/mlx5_0/ports/1/counters_ext"
cat >"$PROC/net/dev" <<'EOF'
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  123456     100    0    0    0     0          0         0   123456     100    0    0    0     0       0          0
  eth0: 9876543    5000    0    0    0     0          0         0  1234567    4000    0    0    0     0       0          0
EOF
echo 772 >"$SYS/class/net/lo/type"; echo unknown >"$SYS/class/net/lo/operstate"
echo 1 >"$SYS/class/net/eth0/type"; echo up >"$SYS/class/net/eth0/operstate"
echo "4: ACTIVE" >"$SYS/class/infiniband/mlx5_0/ports/1/state"
echo "100 Gb/sec (4X EDR)" >"$SYS/class/infiniband/mlx5_0/ports/1/rate"
echo 5000000000 >"$SYS/class/infiniband/mlx5_0/ports/1/counters_ext/port_xmit_data_64"
echo 6000000000 >"$SYS/class/infiniband/mlx5_0/ports/1/counters_ext/port_rcv_data_64"

WIRE="wire_tx_bytes_per_call wire_tx_bytes_per_call_max wire_rx_bytes_per_call wire_bg_bytes_per_call wire_min_bytes_per_call traffic_efficiency wire_bg_high"
# One line per row: collective then the wire columns ("-" for an empty one).
wire_rows() {
    awk -F, -v cols="$WIRE" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; n = split(cols, w, " "); next }
        { line = $c["collective"]; for (i = 1; i <= n; i++) line = line " " ($c[w[i]] == "" ? "-" : $c[w[i]]); print line }' "$1"
}
QUICK="-m 4K,64K --min-iters 5 --max-iters 20 --warmup 1 --time-limit 0.2 -q"

timeout 120 "$MPIEXEC" -np 2 -x COLLROOF_SYSFS_ROOT="$SYS" -x COLLROOF_PROCFS_ROOT="$PROC" \
    "$COLLROOF" -c allreduce,alltoall,alltoallv $QUICK -o "$T/run" 2>"$T/run.err"
check "fake tree: exits 0" test $? -eq 0
cat "$T/run.err"
check "fake tree: no wire warning" test "$(grep -c 'wire' "$T/run.err")" -eq 0
check "the seven wire columns close the header, in order" \
    test "$(head -1 "$T/run/results.csv" | tr ',' '\n' | tail -7 | tr '\n' ' ')" = "$WIRE "
wire_rows "$T/run/results.csv" >"$T/rows"
cat "$T/rows"
check "6 rows" test "$(wc -l <"$T/rows")" -eq 6
check "still counters: sent, busiest, received, background 0; one host: minimum 0, efficiency empty, no flag" \
    test -z "$(awk '$1 != "alltoallv" && ($2 != 0 || $3 != 0 || $4 != 0 || $5 != 0 || $6 != 0 || $7 != "-" || $8 != 0)' "$T/rows")"
check "alltoallv (no closed-form minimum): minimum and efficiency empty, counters 0" \
    test -z "$(awk '$1 == "alltoallv" && ($2 != 0 || $6 != "-" || $7 != "-")' "$T/rows")"
META=$(head -1 "$T/run/results.jsonl")
check "metadata: eth0 (procfs) and mlx5_0:1 (infiniband, 4-byte units, 64 bits) read" \
    sh -c "echo '$META' | grep -q '\"interfaces\":\[{\"name\":\"eth0\",\"source\":\"procfs\",\"unit_bytes\":1,\"width_bits\":64},{\"name\":\"mlx5_0:1\",\"source\":\"infiniband\",\"unit_bytes\":4,\"width_bits\":64}\]'"
check "metadata: loopback left out, and said so; net_if auto, measured" \
    sh -c "echo '$META' | grep -q '\"skipped\":\"lo (loopback)\"' &&
           echo '$META' | grep -q '\"wire\":{\"net_if\":\"auto\",\"measured\":true'"
check "the JSONL carries the numbers" grep -q '"wire_tx_bytes_per_call":0.0' "$T/run/results.jsonl"
timeout 60 "$top_builddir/collroof-fit" "$T/run" -o "$T/fit" >"$T/fit.out" 2>&1
check "collroof-fit reads the rows with wire columns (jsonl)" test $? -eq 0
timeout 60 "$top_builddir/collroof-fit" "$T/run/results.csv" -o "$T/fit2" >>"$T/fit.out" 2>&1
check "collroof-fit reads results.csv with wire columns" test $? -eq 0

# No tree: the measured columns empty, one warning naming the path.
timeout 120 "$MPIEXEC" -np 2 -x COLLROOF_SYSFS_ROOT="$T/none" -x COLLROOF_PROCFS_ROOT="$T/none" \
    "$COLLROOF" -c allreduce $QUICK -o "$T/none" 2>"$T/none.err"
check "missing tree: exits 0" test $? -eq 0
cat "$T/none.err"
check "missing tree: one warning, naming the path" \
    test "$(grep -c 'wire' "$T/none.err")" -eq 1 -a \
    "$(grep -c "warning: wire: host .* has no network interface byte counters to read ($T/none/net/dev: No such file" "$T/none.err")" -eq 1
wire_rows "$T/none/results.csv" >"$T/none.rows"
check "missing tree: measured columns empty, the minimum (0 on one host) still written" \
    test -z "$(awk '$2 != "-" || $3 != "-" || $4 != "-" || $5 != "-" || $6 != 0 || $7 != "-" || $8 != 0' "$T/none.rows")"
check "missing tree: JSON null" grep -q '"wire_tx_bytes_per_call":null' "$T/none/results.jsonl"
timeout 60 "$top_builddir/collroof-fit" "$T/none" -o "$T/fit3" >"$T/fit.out" 2>&1
check "collroof-fit reads the rows with empty wire columns" test $? -eq 0

# --net-if none: empty, silent.
timeout 120 "$MPIEXEC" -np 2 -x COLLROOF_SYSFS_ROOT="$SYS" -x COLLROOF_PROCFS_ROOT="$PROC" \
    "$COLLROOF" -c allreduce $QUICK --net-if none -o "$T/off" 2>"$T/off.err"
check "--net-if none: exits 0, no wire warning, measured columns empty" \
    test $? -eq 0 -a "$(grep -c wire "$T/off.err")" -eq 0 -a \
    -z "$(wire_rows "$T/off/results.csv" | awk '$2 != "-"')"

# --net-if naming what the host lacks: an error naming it and what is there.
timeout 120 "$MPIEXEC" -np 2 -x COLLROOF_SYSFS_ROOT="$SYS" -x COLLROOF_PROCFS_ROOT="$PROC" \
    "$COLLROOF" -c allreduce $QUICK --net-if eth0,eth9 -o "$T/bad" 2>"$T/bad.err"
rc=$?
cat "$T/bad.err"
check "--net-if eth0,eth9: fails (rc $rc), naming eth9 and the interfaces there" \
    test $rc -ne 0 -a "$(grep -c -- "--net-if eth9: not in $PROC/net/dev (it lists lo eth0" "$T/bad.err")" -ge 1
finish
