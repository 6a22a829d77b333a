/* Memory a rank may still allocate: the host's MemAvailable and the memory limits
 * of the cgroups on this process's path (cgroup v1 and v2). Pure: reads files under
 * the procfs and sysfs roots it is given, no MPI. */
#ifndef CR_MEMLIMIT_H
#define CR_MEMLIMIT_H

#include <stdint.h>

#define CR_MEMLIMIT_NONE ((uint64_t)1 << 60)  /* limits at or above: no limit ("max") */

typedef struct cr_memlimit {
    uint64_t avail;        /* bytes: the tightest of the sources; 0 = unknown */
    int cgroup;            /* 1: a cgroup limit is the tightest, shared by the ranks in it */
    char path[256];        /* that cgroup ("/slurm/uid_1/job_7"), "" for MemAvailable */
    char file[40];         /* "memory.max", "memory.limit_in_bytes" or
                            * "memory.stat hierarchical_memory_limit" */
    uint64_t limit;        /* bytes: that cgroup's limit */
    uint64_t used;         /* bytes: its usage less inactive file cache */
    char source[400];      /* for messages: "cgroup /x/y memory.max 2.0 GiB (0.3 GiB in
                            * use)" or "MemAvailable" */
} cr_memlimit_t;

/* Read the limits under procfs ("/proc") and sysfs ("/sys"): avail = min(MemAvailable,
 * limit - usage of every cgroup from this process's own up to the root of its hierarchy).
 * v2: the 0:: line of <procfs>/self/cgroup, memory.max - memory.current under
 * <sysfs>/fs/cgroup; v1: the memory controller's line, memory.limit_in_bytes -
 * memory.usage_in_bytes under <sysfs>/fs/cgroup/memory, and memory.stat's
 * hierarchical_memory_limit for limits above what the mount shows. Usage excludes
 * inactive file cache (the kernel reclaims it before the OOM killer runs). "max",
 * values >= CR_MEMLIMIT_NONE and missing files mean no limit there. A path that does
 * not exist under the mount (a container without a cgroup namespace) is shortened from
 * the front until it does. */
void cr_memlimit_read(const char *procfs, const char *sysfs, cr_memlimit_t *out);

/* "1.5 GiB", "512.0 MiB", "900 KiB": bytes for messages. */
const char *cr_memlimit_human(uint64_t bytes, char *buf, int len);

#endif
