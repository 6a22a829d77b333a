/* cr_powercap: scanning fake powercap trees, counter deltas with wrap-around, the
 * energy of a loop and the wrap-period estimate. No MPI, no real counters. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cu_main.h"
#include "cr_powercap.h"

static char root[256];

/* A file of the fake tree: content NULL = a directory; "@dir" = energy counter that
 * cannot be read (a directory where a file belongs); "@link" = a dangling symlink. */
typedef struct fake_file { const char *path, *content; } fake_file_t;

#define ZONE(dir, name, range, uj) \
    { dir, NULL }, { dir "/name", name "\n" }, { dir "/max_energy_range_uj", range "\n" }, \
    { dir "/energy_uj", uj "\n" }

static void rm_tree(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

static int make_tree(const char *dir, const fake_file_t *f)
{
    char p[1024];
    rm_tree(dir);
    if (mkdir(dir, 0755) != 0) return -1;
    for (; f->path; f++) {
        FILE *fp;
        snprintf(p, sizeof p, "%s/%s", dir, f->path);
        if (!f->content || !strcmp(f->content, "@dir")) {
            if (mkdir(p, 0755) != 0 && errno != EEXIST) return -1;
        } else if (!strcmp(f->content, "@link")) {
            if (symlink("/nonexistent/energy_uj", p) != 0) return -1;
        } else {
            if (!(fp = fopen(p, "w"))) return -1;
            fputs(f->content, fp);
            fclose(fp);
        }
    }
    return 0;
}

/* zone=name,zone=name... of a scan, for comparison. */
static void zones_str(const cr_pc_t *pc, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < pc->n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s%s", i ? "," : "",
                                 pc->d[i].zone, pc->d[i].name, pc->d[i].usable ? "" : "!");
}

#define END { NULL, NULL }
static const fake_file_t flat[] = {   /* as /sys/class/powercap lists them: all at the top */
    { "intel-rapl", NULL },
    ZONE("intel-rapl:0", "package-0", "262143328850", "1000"),
    ZONE("intel-rapl:0:0", "dram", "65712999613", "500"),
    ZONE("intel-rapl:0:1", "core", "262143328850", "700"),
    END };
static const fake_file_t nested[] = {  /* as /sys/devices/virtual/powercap holds them */
    ZONE("intel-rapl:0", "package-0", "262143328850", "1"),
    ZONE("intel-rapl:0/intel-rapl:0:0", "dram", "65712999613", "2"),
    ZONE("intel-rapl:1", "package-1", "262143328850", "3"),
    ZONE("intel-rapl:1/intel-rapl:1:0", "dram", "65712999613", "4"),
    END };
static const fake_file_t both[] = {    /* the same subzone flat and nested: once */
    ZONE("intel-rapl:0", "package-0", "262143328850", "1"),
    ZONE("intel-rapl:0/intel-rapl:0:0", "dram", "65712999613", "2"),
    ZONE("intel-rapl:0:0", "dram", "65712999613", "2"),
    END };
static const fake_file_t amd[] = {
    ZONE("amd-rapl:0", "package-0", "4294967295", "12"),
    ZONE("amd-rapl:0/amd-rapl:0:0", "core", "4294967295", "5"),
    END };
static const fake_file_t others[] = {  /* mmio repeats the package; psys is the platform */
    { "intel-rapl", NULL },
    ZONE("intel-rapl-mmio:0", "package-0", "262143328850", "9"),
    ZONE("intel-rapl:1", "psys", "262143328850", "9"),
    ZONE("intel-rapl:0", "package-0", "262143328850", "9"),
    { "intel-rapl:x", NULL }, { "intel-rapl:0:1:2", NULL }, { "intel-rapl:", NULL },
    END };
static const fake_file_t no_range[] = {
    { "intel-rapl:0", NULL }, { "intel-rapl:0/name", "package-0\n" },
    { "intel-rapl:0/energy_uj", "5\n" },
    END };
static const fake_file_t zero_range[] = { ZONE("intel-rapl:0", "package-0", "0", "5"), END };
static const fake_file_t unreadable[] = {
    { "intel-rapl:0", NULL }, { "intel-rapl:0/name", "package-0\n" },
    { "intel-rapl:0/max_energy_range_uj", "262143328850\n" }, { "intel-rapl:0/energy_uj", "@dir" },
    END };
static const fake_file_t dangling[] = {
    { "intel-rapl:0", NULL }, { "intel-rapl:0/name", "package-0\n" },
    { "intel-rapl:0/max_energy_range_uj", "262143328850\n" }, { "intel-rapl:0/energy_uj", "@link" },
    END };
static const fake_file_t garbage[] = { ZONE("intel-rapl:0", "package-0", "262143328850", "12a"), END };
static const fake_file_t partial[] = {  /* one package of two unreadable: no package sum */
    ZONE("intel-rapl:0", "package-0", "262143328850", "1"),
    { "intel-rapl:1", NULL }, { "intel-rapl:1/name", "package-1\n" },
    { "intel-rapl:1/max_energy_range_uj", "262143328850\n" }, { "intel-rapl:1/energy_uj", "@dir" },
    ZONE("intel-rapl:0:0", "dram", "65712999613", "2"),
    END };
static const fake_file_t no_name[] = {
    { "intel-rapl:0", NULL }, { "intel-rapl:0/max_energy_range_uj", "262143328850\n" },
    { "intel-rapl:0/energy_uj", "5\n" },
    END };
static const fake_file_t psys_only[] = { ZONE("intel-rapl:0", "psys", "262143328850", "1"), END };
static const fake_file_t empty[] = { END };

static const struct scan_case {
    const char *what;
    const fake_file_t *files;   /* NULL: the root does not exist */
    int kinds, pkg, dram;
    const char *zones;          /* zone=name, "!" when not usable */
    const char *why;            /* a part of pc.why, NULL when none is wanted */
} scan_cases[] = {
    { "flat", flat, 2, 1, 1,
      "intel-rapl:0=package-0,intel-rapl:0:0=dram,intel-rapl:0:1=core", NULL },
    { "nested", nested, 2, 1, 1,
      "intel-rapl:0=package-0,intel-rapl:0:0=dram,intel-rapl:1=package-1,intel-rapl:1:0=dram",
      NULL },
    { "flat and nested once", both, 2, 1, 1, "intel-rapl:0=package-0,intel-rapl:0:0=dram", NULL },
    { "amd-rapl", amd, 1, 1, 0, "amd-rapl:0=package-0,amd-rapl:0:0=core", NULL },
    { "mmio, control type and bad names skipped", others, 1, 1, 0,
      "intel-rapl:0=package-0,intel-rapl:1=psys", NULL },
    { "no max_energy_range_uj", no_range, 0, 0, 0, "intel-rapl:0=package-0!",
      "intel-rapl:0/max_energy_range_uj: No such file or directory" },
    { "max_energy_range_uj 0", zero_range, 0, 0, 0, "intel-rapl:0=package-0!",
      "intel-rapl:0/max_energy_range_uj: 0" },
    { "energy_uj unreadable", unreadable, 0, 0, 0, "intel-rapl:0=package-0!",
      "intel-rapl:0/energy_uj: Is a directory" },
    { "energy_uj a dangling link", dangling, 0, 0, 0, "intel-rapl:0=package-0!",
      "intel-rapl:0/energy_uj: No such file or directory" },
    { "energy_uj not a number", garbage, 0, 0, 0, "intel-rapl:0=package-0!",
      "intel-rapl:0/energy_uj: '12a' is not a non-negative integer" },
    { "one package unreadable", partial, 1, 0, 1,
      "intel-rapl:0=package-0,intel-rapl:0:0=dram,intel-rapl:1=package-1!", NULL },
    { "no name", no_name, 0, 0, 0, "intel-rapl:0=!", "intel-rapl:0/name: No such file" },
    { "psys only", psys_only, 0, 0, 0, "intel-rapl:0=psys", ": no package or dram zone" },
    { "empty root", empty, 0, 0, 0, "", ": no package or dram zone" },
    { "no root", NULL, 0, 0, 0, "", "/nosuch: No such file or directory" },
};

static void test_scan(void)
{
    for (size_t i = 0; i < sizeof scan_cases / sizeof *scan_cases; i++) {
        const struct scan_case *c = &scan_cases[i];
        char dir[512], got[1024];
        cr_pc_t pc;
        int kinds;
        snprintf(dir, sizeof dir, "%s/%s", root, c->files ? "tree" : "nosuch");
        if (c->files) CU_ASSERT_EQUAL_FATAL(make_tree(dir, c->files), 0);
        kinds = cr_pc_scan(dir, &pc);
        zones_str(&pc, got, sizeof got);
        CU_ASSERT_EQUAL(kinds, c->kinds);
        CU_ASSERT_EQUAL(pc.have[CR_PC_PACKAGE], c->pkg);
        CU_ASSERT_EQUAL(pc.have[CR_PC_DRAM], c->dram);
        CU_ASSERT_STRING_EQUAL(got, c->zones);
        if (c->why) CU_ASSERT_PTR_NOT_NULL(strstr(pc.why, c->why));
        if (!c->why) CU_ASSERT_STRING_EQUAL(pc.why, "");
        if (kinds != c->kinds || strcmp(got, c->zones) || (c->why && !strstr(pc.why, c->why)))
            printf("\n  case %s: kinds %d, zones '%s', why '%s'\n", c->what, kinds, got, pc.why);
    }
}

/* Non-root on a recent kernel: energy_uj is mode 0400 root. Root reads it anyway,
 * so the case runs only for another user. */
static void test_scan_eacces(void)
{
    static const fake_file_t files[] = { ZONE("intel-rapl:0", "package-0", "1000", "5"), END };
    char dir[512], f[600];
    cr_pc_t pc;
    if (geteuid() == 0) return;
    snprintf(dir, sizeof dir, "%s/tree", root);
    CU_ASSERT_EQUAL_FATAL(make_tree(dir, files), 0);
    snprintf(f, sizeof f, "%s/intel-rapl:0/energy_uj", dir);
    CU_ASSERT_EQUAL_FATAL(chmod(f, 0), 0);
    CU_ASSERT_EQUAL(cr_pc_scan(dir, &pc), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(pc.why, "energy_uj: Permission denied (recent kernels let "
                                          "only root read"));
}

/* At most one wrap is seen: two wraps in one loop read as the remainder, which is
 * why a loop must be shorter than a wrap period (cr_pc_wrap_s). */
static void test_delta(void)
{
    static const struct {
        uint64_t before, after, range, want;
        int rc;
    } cases[] = {
        { 100, 250, 1000, 150, 0 },
        { 5, 5, 1000, 0, 0 },
        { 990, 10, 1000, 20, 0 },                             /* one wrap */
        { 1000, 0, 1000, 0, 0 },                              /* at the top, then 0 */
        { 262143328850 - 5, 7, 262143328850, 12, 0 },         /* a real range */
        { 4294967295 - 1000000, 2000000, 4294967295, 3000000, 0 },
        { 100, 200, 1000, 100, 0 },   /* truly 2100 µJ (two wraps): undetectable */
        { 1001, 5, 1000, 0, -1 },                             /* above the range */
        { 5, 1001, 1000, 0, -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint64_t got = 12345;
        int rc = cr_pc_delta(cases[i].before, cases[i].after, cases[i].range, &got);
        CU_ASSERT_EQUAL(rc, cases[i].rc);
        if (rc == 0) CU_ASSERT_EQUAL(got, cases[i].want);
        if (rc != 0) CU_ASSERT_EQUAL(got, 12345);   /* untouched on error */
    }
}

/* Package and DRAM summed apart, core (inside the package) never; a wrap in one. */
static void test_energy(void)
{
    static const fake_file_t files[] = {
        ZONE("intel-rapl:0", "package-0", "1000000000", "999000000"),
        ZONE("intel-rapl:0:0", "dram", "1000000000", "100"),
        ZONE("intel-rapl:0:1", "core", "1000000000", "100"),
        ZONE("intel-rapl:1", "package-1", "1000000000", "5000000"),
        END };
    char dir[512], f[600], why[256] = "";
    uint64_t before[CR_PC_MAX], after[CR_PC_MAX];
    double J[CR_PC_KINDS];
    FILE *fp;
    cr_pc_t pc;
    snprintf(dir, sizeof dir, "%s/tree", root);
    CU_ASSERT_EQUAL_FATAL(make_tree(dir, files), 0);
    CU_ASSERT_EQUAL_FATAL(cr_pc_scan(dir, &pc), 2);
    CU_ASSERT_EQUAL_FATAL(cr_pc_read(&pc, before, why, sizeof why), 0);
    CU_ASSERT_EQUAL(before[0], 999000000);
    /* package-0 wraps: +3 J; dram +0.5 J; core +7 J (ignored); package-1 +2 J */
    memcpy(after, before, sizeof after);
    after[0] = 2000000, after[1] = 500100, after[2] = 7000100, after[3] = 7000000;
    CU_ASSERT_EQUAL(cr_pc_energy(&pc, before, after, J, why, sizeof why), 0);
    CU_ASSERT_DOUBLE_EQUAL(J[CR_PC_PACKAGE], 5.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(J[CR_PC_DRAM], 0.5, 1e-9);
    after[3] = 1000000001;
    CU_ASSERT_EQUAL(cr_pc_energy(&pc, before, after, J, why, sizeof why), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "intel-rapl:1/energy_uj: reading 5000000 or 1000000001 "
                                       "above max_energy_range_uj 1000000000"));
    /* a counter that disappears after the scan: the read names it */
    snprintf(f, sizeof f, "%s/intel-rapl:0:0/energy_uj", dir);
    CU_ASSERT_EQUAL(unlink(f), 0);
    CU_ASSERT_EQUAL(cr_pc_read(&pc, after, why, sizeof why), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "intel-rapl:0:0/energy_uj: No such file"));
    /* and one that moved: read again */
    fp = fopen(f, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fputs("123\n", fp);
    fclose(fp);
    CU_ASSERT_EQUAL(cr_pc_read(&pc, after, why, sizeof why), 0);
    CU_ASSERT_EQUAL(after[1], 123);
}

/* The wrap period: 2^32 µJ at 100 W is 42.9 s; at the assumed 500 W, 8.6 s. */
static void test_wrap_period(void)
{
    static const fake_file_t stated[] = {
        ZONE("intel-rapl:0", "package-0", "4294967296", "1"),
        { "intel-rapl:0/constraint_0_max_power_uw", "100000000\n" },
        ZONE("intel-rapl:0:0", "dram", "65712999613", "1"),
        END };
    static const fake_file_t assumed[] = {
        ZONE("intel-rapl:0", "package-0", "4294967296", "1"),
        ZONE("intel-rapl:1", "psys", "1000", "1"),   /* not summed: not the shortest */
        END };
    char dir[512];
    cr_pc_t pc;
    json_t *j;
    snprintf(dir, sizeof dir, "%s/tree", root);
    CU_ASSERT_EQUAL_FATAL(make_tree(dir, stated), 0);
    cr_pc_scan(dir, &pc);
    CU_ASSERT_DOUBLE_EQUAL(cr_pc_wrap_s(&pc), 42.94967296, 1e-9);
    CU_ASSERT_EQUAL_FATAL(make_tree(dir, assumed), 0);
    cr_pc_scan(dir, &pc);
    CU_ASSERT_DOUBLE_EQUAL(cr_pc_wrap_s(&pc), 4294.967296 / CR_PC_ASSUMED_W, 1e-9);
    j = cr_pc_to_json(&pc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT(json_is_true(json_object_get(j, "package")));
    CU_ASSERT(json_is_false(json_object_get(j, "dram")));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "zones")), 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(
                               json_object_get(j, "zones"), 1), "kind")), "other");
    json_decref(j);
    CU_ASSERT_EQUAL_FATAL(make_tree(dir, empty), 0);
    cr_pc_scan(dir, &pc);
    CU_ASSERT(isinf(cr_pc_wrap_s(&pc)));
    j = cr_pc_to_json(&pc);
    CU_ASSERT(json_is_null(json_object_get(j, "wrap_s")));
    CU_ASSERT_PTR_NOT_NULL(strstr(json_string_value(json_object_get(j, "why")), "no package"));
    json_decref(j);
}

static int suite_init(void)
{
    snprintf(root, sizeof root, "%s/cr-powercap.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(root) ? 0 : -1;
}

static int suite_clean(void)
{
    rm_tree(root);
    return 0;
}

static CU_TestInfo powercap_tests[] = {
    {"scan: layouts, names and files that fail", test_scan},
    {"scan: energy_uj not readable by this user", test_scan_eacces},
    {"delta with wrap-around", test_delta},
    {"energy: package and dram apart, core never", test_energy},
    {"wrap period and metadata", test_wrap_period},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {
    {"powercap", suite_init, suite_clean, NULL, NULL, powercap_tests},
    CU_SUITE_INFO_NULL,
};

int main(void) { return cu_run(suites); }
