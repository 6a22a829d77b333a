/* cr_memlimit: MemAvailable and cgroup v1/v2 limits read from fake procfs/sysfs trees. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cu_main.h"
#include "cr_memlimit.h"

#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)

static char root[256];

/* Write text to root/rel, creating the directories on the way. */
static void put(const char *rel, const char *text)
{
    char path[1024];
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *s = strchr(path + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    fp = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fputs(text, fp);
    fclose(fp);
}

static void fresh(void)
{
    char cmd[300];
    if (root[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        CU_ASSERT_EQUAL(system(cmd), 0);
    }
    snprintf(root, sizeof root, "%s/cr-memlimit.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
    put("proc/meminfo", "MemTotal: 16000000 kB\nMemFree: 1000 kB\nMemAvailable: 8388608 kB\n");
}

static void readit(cr_memlimit_t *m)
{
    char proc[300], sys[300];
    snprintf(proc, sizeof proc, "%s/proc", root);
    snprintf(sys, sizeof sys, "%s/sys", root);
    cr_memlimit_read(proc, sys, m);
}

/* No cgroup file at all: MemAvailable (8 GiB). */
static void test_meminfo_only(void)
{
    cr_memlimit_t m;
    fresh();
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 8 * GiB);
    CU_ASSERT_EQUAL(m.cgroup, 0);
    CU_ASSERT_STRING_EQUAL(m.source, "MemAvailable");
}

/* v2: a job limit of 2 GiB above an unlimited step; usage less inactive file cache. */
static void test_v2_nested(void)
{
    cr_memlimit_t m;
    fresh();
    put("proc/self/cgroup", "0::/job_7/step_0\n");
    put("sys/fs/cgroup/cgroup.controllers", "memory\n");
    put("sys/fs/cgroup/job_7/memory.max", "2147483648\n");
    put("sys/fs/cgroup/job_7/memory.current", "629145600\n");           /* 600 MiB */
    put("sys/fs/cgroup/job_7/memory.stat", "anon 1\ninactive_file 104857600\n"); /* 100 MiB */
    put("sys/fs/cgroup/job_7/step_0/memory.max", "max\n");
    put("sys/fs/cgroup/job_7/step_0/memory.current", "314572800\n");
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 2 * GiB - 500 * MiB);
    CU_ASSERT_EQUAL(m.cgroup, 1);
    CU_ASSERT_STRING_EQUAL(m.path, "/job_7");
    CU_ASSERT_STRING_EQUAL(m.file, "memory.max");
    CU_ASSERT_STRING_EQUAL(m.source, "cgroup /job_7 memory.max 2.0 GiB, 500.0 MiB in use");
    /* the step tighter than the job: the step names the limit */
    put("sys/fs/cgroup/job_7/step_0/memory.max", "1073741824\n");
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 1 * GiB - 300 * MiB);
    CU_ASSERT_STRING_EQUAL(m.path, "/job_7/step_0");
}

/* v2 limits above MemAvailable, "max" everywhere, or no memory files: MemAvailable. */
static void test_v2_loose(void)
{
    cr_memlimit_t m;
    fresh();
    put("proc/self/cgroup", "0::/a/b\n");
    put("sys/fs/cgroup/a/memory.max", "max\n");
    put("sys/fs/cgroup/a/b/memory.max", "max\n");
    put("sys/fs/cgroup/a/b/memory.current", "1000\n");
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 8 * GiB);
    CU_ASSERT_EQUAL(m.cgroup, 0);
    put("sys/fs/cgroup/a/memory.max", "68719476736\n");   /* 64 GiB > 8 GiB available */
    readit(&m);
    CU_ASSERT_EQUAL(m.cgroup, 0);
    put("sys/fs/cgroup/a/memory.max", "garbage\n");
    readit(&m);
    CU_ASSERT_EQUAL(m.cgroup, 0);
}

/* v1: the memory controller's line among others; the unlimited value of the kernel. */
static void test_v1(void)
{
    cr_memlimit_t m;
    fresh();
    put("proc/self/cgroup", "9:name=systemd:/\n5:cpu,cpuacct:/x\n4:memory:/slurm/uid_0/job_3\n0::/\n");
    put("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    put("sys/fs/cgroup/memory/memory.usage_in_bytes", "9000000000\n");
    put("sys/fs/cgroup/memory/slurm/memory.limit_in_bytes", "9223372036854771712\n");
    put("sys/fs/cgroup/memory/slurm/uid_0/job_3/memory.limit_in_bytes", "536870912\n");
    put("sys/fs/cgroup/memory/slurm/uid_0/job_3/memory.usage_in_bytes", "104857600\n");
    put("sys/fs/cgroup/memory/slurm/uid_0/job_3/memory.stat",
        "cache 1\ntotal_inactive_file 52428800\nhierarchical_memory_limit 536870912\n");
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 512 * MiB - 50 * MiB);
    CU_ASSERT_STRING_EQUAL(m.path, "/slurm/uid_0/job_3");
    CU_ASSERT_STRING_EQUAL(m.source,
                           "cgroup /slurm/uid_0/job_3 memory.limit_in_bytes 512.0 MiB, 50.0 MiB in use");
    /* an ancestor tighter: found by the walk */
    put("sys/fs/cgroup/memory/slurm/uid_0/memory.limit_in_bytes", "268435456\n");
    put("sys/fs/cgroup/memory/slurm/uid_0/memory.usage_in_bytes", "104857600\n");
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 156 * MiB);
    CU_ASSERT_STRING_EQUAL(m.path, "/slurm/uid_0");
}

/* v1 in a container: the host's path is not under the mount, which shows the
 * container's own cgroup; the hierarchical limit names a limit the mount hides. */
static void test_v1_container(void)
{
    cr_memlimit_t m;
    fresh();
    put("proc/self/cgroup", "4:memory:/docker/abc\n");
    put("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    put("sys/fs/cgroup/memory/memory.usage_in_bytes", "10485760\n");
    put("sys/fs/cgroup/memory/memory.stat", "total_inactive_file 0\nhierarchical_memory_limit 1073741824\n");
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 1 * GiB - 10 * MiB);
    CU_ASSERT_STRING_EQUAL(m.path, "/");
    CU_ASSERT_STRING_EQUAL(m.file, "memory.stat hierarchical_memory_limit");
}

/* Usage above the limit: room 1 byte, never 0 (0 reads "unknown"). No meminfo. */
static void test_over_and_missing(void)
{
    cr_memlimit_t m;
    char p[300];
    fresh();
    snprintf(p, sizeof p, "%s/proc/meminfo", root);
    unlink(p);
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 0);
    put("proc/self/cgroup", "0::/j\n");
    put("sys/fs/cgroup/j/memory.max", "1048576\n");
    put("sys/fs/cgroup/j/memory.current", "2097152\n");
    readit(&m);
    CU_ASSERT_EQUAL(m.avail, 1);
    CU_ASSERT_EQUAL(m.cgroup, 1);
}

static void test_human(void)
{
    char b[32];
    CU_ASSERT_STRING_EQUAL(cr_memlimit_human(3 * GiB / 2, b, sizeof b), "1.5 GiB");
    CU_ASSERT_STRING_EQUAL(cr_memlimit_human(512 * MiB, b, sizeof b), "512.0 MiB");
    CU_ASSERT_STRING_EQUAL(cr_memlimit_human(900 * 1024, b, sizeof b), "900 KiB");
}

static int cleanup(void)
{
    char cmd[300];
    if (root[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        return system(cmd) != 0;
    }
    return 0;
}

static CU_TestInfo memlimit_tests[] = {
    { "MemAvailable alone", test_meminfo_only },
    { "cgroup v2 nested limits", test_v2_nested },
    { "cgroup v2 max, loose and bad limits", test_v2_loose },
    { "cgroup v1 limits and ancestors", test_v1 },
    { "cgroup v1 in a container", test_v1_container },
    { "over the limit, no meminfo", test_over_and_missing },
    { "human sizes", test_human },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "memlimit", NULL, cleanup, NULL, NULL, memlimit_tests },
    CU_SUITE_INFO_NULL,
};

int main(void) { return cu_run(suites); }
