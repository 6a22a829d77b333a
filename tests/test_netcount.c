/* cr_netcount: fake /sys and /proc trees whose counters the tests advance by known
 * amounts: Ethernet through /proc/net/dev and through sysfs statistics, IB ports in
 * 4-byte units, 64-bit extended counters, a 32-bit wrap, saturation and resets,
 * the automatic choice of interfaces and --net-if lists, malformed files refused. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cu_main.h"
#include "cr_netcount.h"

static char root[256], sys_[300], proc_[300];

static void sh(const char *fmt, const char *a)
{
    char cmd[2200];
    snprintf(cmd, sizeof cmd, fmt, a, a);
    if (system(cmd) != 0) fprintf(stderr, "failed: %s\n", cmd);
}

/* root-relative file with content (parents made). */
static void put(const char *rel, const char *content)
{
    char p[1024], d[1024];
    FILE *fp;
    snprintf(p, sizeof p, "%s/%s", root, rel);
    snprintf(d, sizeof d, "%s", p);
    *strrchr(d, '/') = '\0';
    sh("mkdir -p '%s'", d);
    if (!(fp = fopen(p, "w"))) return;
    fputs(content, fp);
    fclose(fp);
}

static void fresh(void)
{
    sh("rm -rf '%s'/sys '%s'/proc", root);
}

#define HDR "Inter-|   Receive                                                |  Transmit\n" \
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"

/* /proc/net/dev with lo, eth0 and eth1: eth0 rx = r0, tx = t0. */
static void procdev(unsigned long long r0, unsigned long long t0)
{
    char buf[1024];
    snprintf(buf, sizeof buf, HDR
             "    lo:  500 5 0 0 0 0 0 0  500 5 0 0 0 0 0 0\n"
             "  eth0: %llu 10 0 0 0 0 0 0 %llu 20 0 0 0 0 0 0\n"
             "  eth1:    7 1 0 0 0 0 0 0    9 1 0 0 0 0 0 0\n", r0, t0);
    put("proc/net/dev", buf);
}

static void netdev(const char *name, const char *type, const char *oper, const char *tx,
                   const char *rx)
{
    char p[256];
    snprintf(p, sizeof p, "sys/class/net/%s/type", name);
    put(p, type);
    snprintf(p, sizeof p, "sys/class/net/%s/operstate", name);
    put(p, oper);
    snprintf(p, sizeof p, "sys/class/net/%s/statistics/tx_bytes", name);
    put(p, tx);
    snprintf(p, sizeof p, "sys/class/net/%s/statistics/rx_bytes", name);
    put(p, rx);
}

static void names_str(const cr_nc_t *nc, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < nc->n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s/%s", i ? "," : "", nc->f[i].name,
                                 cr_nc_src_str(nc->f[i].src));
}

static void test_delta(void)
{
    static const struct { uint64_t b, a; unsigned w; int rc; uint64_t want; } cases[] = {
        {100, 350, 64, 0, 250},
        {100, 100, 64, 0, 0},
        {350, 100, 64, -1, 0},                          /* 64-bit went back: reset */
        {0xFFFFFF00u, 0x100, 32, 0, 0x200},             /* one 32-bit wrap */
        {5, 4, 32, 0, 0xFFFFFFFFu},                     /* a whole period less one */
        {0xFFFFFFFFu, 0xFFFFFFFFu, 32, -1, 0},          /* saturated legacy counter */
        {10, 0xFFFFFFFFu, 32, -1, 0},
        {0x100000000ull, 0x100000010ull, 32, 0, 16},    /* above 2^32: really 64 bits */
        {0x100000010ull, 5, 32, -1, 0},                 /* ... so going back is a reset */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint64_t got = 12345;
        int rc = cr_nc_delta(cases[i].b, cases[i].a, cases[i].w, &got);
        CU_ASSERT_EQUAL(rc, cases[i].rc);
        if (rc == 0) CU_ASSERT_EQUAL(got, cases[i].want);
        if (rc != 0) CU_ASSERT_EQUAL(got, 12345);
    }
}

/* /proc/net/dev counts, advanced by known amounts; sysfs in the same namespace. */
static void test_procfs(void)
{
    cr_nc_t nc;
    cr_nc_sample_t b, a;
    uint64_t tx, rx;
    char got[256], why[512];
    fresh();
    procdev(1000, 2000);
    netdev("lo", "772", "unknown", "1", "1");
    netdev("eth0", "1", "up", "1", "1");
    netdev("eth1", "1", "down", "1", "1");
    CU_ASSERT_EQUAL_FATAL(cr_nc_scan(sys_, proc_, NULL, &nc), 1);
    names_str(&nc, got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "eth0/procfs");
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.skipped, "lo (loopback)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.skipped, "eth1 (not up)"));
    CU_ASSERT_EQUAL_FATAL(cr_nc_read(&nc, &b, why, sizeof why), 0);
    CU_ASSERT_EQUAL(b.tx[0], 2000);
    CU_ASSERT_EQUAL(b.rx[0], 1000);
    procdev(1000 + 65536, 2000 + 131072);
    CU_ASSERT_EQUAL_FATAL(cr_nc_read(&nc, &a, why, sizeof why), 0);
    CU_ASSERT_EQUAL(cr_nc_bytes(&nc, &b, &a, &tx, &rx, why, sizeof why), 0);
    CU_ASSERT_EQUAL(tx, 131072);
    CU_ASSERT_EQUAL(rx, 65536);
    CU_ASSERT(isinf(cr_nc_wrap_s(&nc)));
    /* a counter that went back (the interface was reset) is refused, named */
    procdev(10, 20);
    CU_ASSERT_EQUAL_FATAL(cr_nc_read(&nc, &b, why, sizeof why), 0);
    CU_ASSERT_EQUAL(cr_nc_bytes(&nc, &a, &b, &tx, &rx, why, sizeof why), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "eth0: a counter went from"));
    /* an explicit list: named ones only, lo included when asked */
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, "eth1,lo", &nc), 2);
    names_str(&nc, got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "eth1/procfs,lo/procfs");
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, "eth9", &nc), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.why, "--net-if eth9: not in"));
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.why, "lists lo eth0 eth1"));
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, "none", &nc), 0);
    CU_ASSERT_STRING_EQUAL(nc.why, "");
}

/* sysfs from another namespace (other names): it filters nothing. */
static void test_foreign_sysfs(void)
{
    cr_nc_t nc;
    char got[256];
    fresh();
    procdev(1, 2);
    netdev("lo", "772", "unknown", "1", "1");
    netdev("eth0", "1", "up", "1", "1");
    netdev("ifb0", "1", "down", "1", "1");
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, "auto", &nc), 2);
    names_str(&nc, got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "eth0/procfs,eth1/procfs");
}

/* Stacked devices (a bond over eth0 and eth1) are left out; no /proc: sysfs. */
static void test_sysfs_only(void)
{
    cr_nc_t nc;
    cr_nc_sample_t b, a;
    uint64_t tx, rx;
    char got[256], why[512];
    fresh();
    netdev("lo", "772", "unknown", "1", "1");
    netdev("eth0", "1", "up", "100", "200");
    netdev("bond0", "1", "up", "100", "200");
    put("sys/class/net/bond0/lower_eth0/type", "1");
    CU_ASSERT_EQUAL_FATAL(cr_nc_scan(sys_, proc_, NULL, &nc), 1);
    names_str(&nc, got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "eth0/sysfs");
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.skipped, "bond0 (stacked"));
    CU_ASSERT_EQUAL_FATAL(cr_nc_read(&nc, &b, why, sizeof why), 0);
    put("sys/class/net/eth0/statistics/tx_bytes", "1100\n");
    put("sys/class/net/eth0/statistics/rx_bytes", "700\n");
    CU_ASSERT_EQUAL_FATAL(cr_nc_read(&nc, &a, why, sizeof why), 0);
    CU_ASSERT_EQUAL(cr_nc_bytes(&nc, &b, &a, &tx, &rx, why, sizeof why), 0);
    CU_ASSERT_EQUAL(tx, 1000);
    CU_ASSERT_EQUAL(rx, 500);
    /* malformed counter file: refused, the file and its text named */
    put("sys/class/net/eth0/statistics/tx_bytes", "12abc\n");
    CU_ASSERT_EQUAL(cr_nc_read(&nc, &a, why, sizeof why), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "eth0/statistics/tx_bytes: '12abc' is not a "
                                       "non-negative integer counter"));
    put("sys/class/net/eth0/statistics/tx_bytes", "-5\n");
    CU_ASSERT_EQUAL(cr_nc_read(&nc, &a, why, sizeof why), -1);
    /* at scan: a malformed interface is left out of auto, refused when named */
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, NULL, &nc), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.skipped, "eth0 ("));
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, "eth0", &nc), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.why, "'-5' is not"));
}

/* Malformed /proc/net/dev lines are refused with the line named. */
static void test_procfs_malformed(void)
{
    static const char *const bad[] = {
        HDR "  eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",            /* no colon */
        HDR "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n",              /* 15 counters */
        HDR "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n",        /* 17 */
        HDR "  eth0: 1 2 3 4 5 6 7 8 x9 10 11 12 13 14 15 16\n",          /* not a number */
    };
    cr_nc_t nc;
    cr_nc_sample_t s;
    char why[512];
    fresh();
    procdev(1, 2);
    CU_ASSERT_EQUAL_FATAL(cr_nc_scan(sys_, proc_, "eth0", &nc), 1);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        put("proc/net/dev", bad[i]);
        CU_ASSERT_EQUAL(cr_nc_read(&nc, &s, why, sizeof why), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "/net/dev line 3"));
    }
    /* the interface gone from the file */
    put("proc/net/dev", HDR "  eth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
    CU_ASSERT_EQUAL(cr_nc_read(&nc, &s, why, sizeof why), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "interface eth0 is gone"));
    /* auto on a malformed file: none, and why */
    put("proc/net/dev", bad[0]);
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, NULL, &nc), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.why, "line 3"));
}

static void ibport(const char *dev, const char *port, const char *state, const char *rate,
                   const char *xmit, const char *rcv, int ext)
{
    char p[256];
    snprintf(p, sizeof p, "sys/class/infiniband/%s/ports/%s/state", dev, port);
    put(p, state);
    snprintf(p, sizeof p, "sys/class/infiniband/%s/ports/%s/rate", dev, port);
    put(p, rate);
    snprintf(p, sizeof p, "sys/class/infiniband/%s/ports/%s/%s", dev, port,
             ext ? "counters_ext/port_xmit_data_64" : "counters/port_xmit_data");
    put(p, xmit);
    snprintf(p, sizeof p, "sys/class/infiniband/%s/ports/%s/%s", dev, port,
             ext ? "counters_ext/port_rcv_data_64" : "counters/port_rcv_data");
    put(p, rcv);
}

/* IB: 4-byte units, the 64-bit extended counters preferred, a 32-bit wrap,
 * saturation, IPoIB left out, ports not ACTIVE left out. */
static void test_ib(void)
{
    cr_nc_t nc;
    cr_nc_sample_t b, a;
    uint64_t tx, rx;
    char got[256], why[512];
    json_t *j;
    fresh();
    put("proc/net/dev", HDR "    lo: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                            "   ib0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
    netdev("lo", "772", "unknown", "0", "0");
    netdev("ib0", "32", "up", "0", "0");
    ibport("mlx5_0", "1", "4: ACTIVE", "100 Gb/sec (4X EDR)", "4294967040", "10", 0);
    ibport("mlx5_1", "1", "4: ACTIVE", "200 Gb/sec (4X HDR)", "1000", "2000", 1);
    /* a 32-bit file beside the extended one: the extended one is read */
    put("sys/class/infiniband/mlx5_1/ports/1/counters/port_xmit_data", "5\n");
    ibport("mlx5_2", "1", "1: DOWN", "100 Gb/sec (4X EDR)", "0", "0", 0);
    CU_ASSERT_EQUAL_FATAL(cr_nc_scan(sys_, proc_, NULL, &nc), 2);
    names_str(&nc, got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "mlx5_0:1/infiniband,mlx5_1:1/infiniband");
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.skipped, "ib0 (IPoIB"));
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.skipped, "mlx5_2:1 (not ACTIVE)"));
    CU_ASSERT_EQUAL(nc.f[0].unit, 4);
    CU_ASSERT_EQUAL(nc.f[0].width, 32);
    CU_ASSERT_EQUAL(nc.f[1].width, 64);
    /* 2^32 × 4 B at 100 Gb/s (12.5e9 B/s) */
    CU_ASSERT_DOUBLE_EQUAL(cr_nc_wrap_s(&nc), 4294967296.0 * 4 / 12.5e9, 1e-9);
    CU_ASSERT_EQUAL_FATAL(cr_nc_read(&nc, &b, why, sizeof why), 0);
    CU_ASSERT_EQUAL(b.tx[1], 1000);
    /* mlx5_0 wraps: 0xFFFFFF00 → 0x100 is 0x200 words; mlx5_1 +2^40 words */
    ibport("mlx5_0", "1", "4: ACTIVE", "100 Gb/sec (4X EDR)", "256", "110", 0);
    ibport("mlx5_1", "1", "4: ACTIVE", "200 Gb/sec (4X HDR)", "1099511628776", "2500", 1);
    CU_ASSERT_EQUAL_FATAL(cr_nc_read(&nc, &a, why, sizeof why), 0);
    CU_ASSERT_EQUAL(cr_nc_bytes(&nc, &b, &a, &tx, &rx, why, sizeof why), 0);
    CU_ASSERT_EQUAL(tx, 4 * (UINT64_C(0x200) + (UINT64_C(1) << 40)));
    CU_ASSERT_EQUAL(rx, 4 * (100 + 500));
    /* a saturated legacy counter is refused */
    ibport("mlx5_0", "1", "4: ACTIVE", "100 Gb/sec (4X EDR)", "4294967295", "110", 0);
    CU_ASSERT_EQUAL_FATAL(cr_nc_read(&nc, &b, why, sizeof why), 0);
    CU_ASSERT_EQUAL(cr_nc_bytes(&nc, &a, &b, &tx, &rx, why, sizeof why), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "mlx5_0:1: a counter went from"));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "saturated"));
    /* named: DEV:PORT; a wrong one refused */
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, "mlx5_1:1,ib0", &nc), 2);
    names_str(&nc, got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, "mlx5_1:1/infiniband,ib0/procfs");
    CU_ASSERT(isinf(cr_nc_wrap_s(&nc)));
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, "mlx5_9:1", &nc), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.why, "--net-if mlx5_9:1: no readable InfiniBand port"));
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, "mlx5_0:", &nc), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.why, "is not DEV:PORT"));
    /* metadata */
    CU_ASSERT_EQUAL_FATAL(cr_nc_scan(sys_, proc_, NULL, &nc), 2);
    j = cr_nc_to_json(&nc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "interfaces")), 2);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(
                        json_array_get(json_object_get(j, "interfaces"), 0), "unit_bytes")), 4);
    CU_ASSERT(json_is_real(json_object_get(j, "wrap_s")));
    json_decref(j);
}

/* Nothing there: none, and why names what was tried. */
static void test_missing(void)
{
    cr_nc_t nc;
    fresh();
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, NULL, &nc), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.why, "/proc/net/dev: No such file"));
    put("proc/net/dev", HDR "    lo: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
    CU_ASSERT_EQUAL(cr_nc_scan(sys_, proc_, NULL, &nc), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(nc.why, "lists no interface but loopback"));
}

static int suite_init(void)
{
    snprintf(root, sizeof root, "%s/cr-netcount.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(root)) return -1;
    snprintf(sys_, sizeof sys_, "%s/sys", root);
    snprintf(proc_, sizeof proc_, "%s/proc", root);
    return 0;
}

static int suite_clean(void)
{
    sh("rm -rf '%s'%.0s", root);
    return 0;
}

static CU_TestInfo netcount_tests[] = {
    {"delta: 64-bit, 32-bit wrap, saturation, reset", test_delta},
    {"procfs: counts advanced, automatic choice, --net-if lists", test_procfs},
    {"procfs with a sysfs of another namespace", test_foreign_sysfs},
    {"sysfs only: stacked devices, malformed files", test_sysfs_only},
    {"procfs: malformed lines refused", test_procfs_malformed},
    {"infiniband: 4-byte units, extended counters, wrap, saturation", test_ib},
    {"no counters anywhere", test_missing},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {
    {"netcount", suite_init, suite_clean, NULL, NULL, netcount_tests},
    CU_SUITE_INFO_NULL,
};

int main(void) { return cu_run(suites); }
