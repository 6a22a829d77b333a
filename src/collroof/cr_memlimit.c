/* MemAvailable and the cgroup memory limits on this process's path (v1 and v2). */
#include "config.h"

#include "cr_memlimit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CR_PATHLEN 1024

/* One number from a file ("max", absent or unreadable: CR_MEMLIMIT_NONE). */
static uint64_t cr_read_u64(const char *dir, const char *file)
{
    char path[CR_PATHLEN], s[64] = "";
    unsigned long long v;
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if ((fp = fopen(path, "r")) == NULL) return CR_MEMLIMIT_NONE;
    if (fgets(s, sizeof s, fp) == NULL) s[0] = '\0';
    fclose(fp);
    if (sscanf(s, "%llu", &v) != 1 || v >= CR_MEMLIMIT_NONE) return CR_MEMLIMIT_NONE;
    return (uint64_t)v;
}

/* The value of a "key value" line of a file (memory.stat; meminfo's "Key: N kB"
 * with kb = 1); 0 when absent. */
static uint64_t cr_read_key(const char *path, const char *key, int kb)
{
    char line[256];
    size_t klen = strlen(key);
    uint64_t v = 0;
    FILE *fp = fopen(path, "r");
    if (fp == NULL) return 0;
    while (fgets(line, sizeof line, fp))
        if (strncmp(line, key, klen) == 0 && (line[klen] == ' ' || line[klen] == ':')) {
            v = strtoull(line + klen + 1, NULL, 10) * (kb ? 1024 : 1);
            break;
        }
    fclose(fp);
    return v;
}

static int cr_is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *cr_memlimit_human(uint64_t b, char *buf, int len)
{
    if (b >= ((uint64_t)1 << 30)) snprintf(buf, (size_t)len, "%.1f GiB", b / 1073741824.0);
    else if (b >= ((uint64_t)1 << 20)) snprintf(buf, (size_t)len, "%.1f MiB", b / 1048576.0);
    else snprintf(buf, (size_t)len, "%" PRIu64 " KiB", b / 1024);
    return buf;
}

/* The cgroup path of this process in hierarchy v2 (ctrl = NULL: the "0::" line) or
 * in the v1 hierarchy holding controller ctrl; 0 when there is none. */
static int cr_self_cgroup(const char *procfs, const char *ctrl, char *path, size_t len)
{
    char file[CR_PATHLEN], line[CR_PATHLEN];
    int found = 0;
    FILE *fp;
    snprintf(file, sizeof file, "%s/self/cgroup", procfs);
    if ((fp = fopen(file, "r")) == NULL) return 0;
    while (!found && fgets(line, sizeof line, fp)) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL, *tok, *save;
        if (c2 == NULL) continue;
        *c2 = '\0';
        line[strcspn(line, ":")] = '\0';
        if (ctrl == NULL) {
            found = strcmp(line, "0") == 0 && c2 == c1 + 1;
        } else {
            for (tok = strtok_r(c1 + 1, ",", &save); tok && !found; tok = strtok_r(NULL, ",", &save))
                found = strcmp(tok, ctrl) == 0;
        }
        if (found) {
            c2[1 + strcspn(c2 + 1, "\n")] = '\0';
            snprintf(path, len, "%s", c2 + 1);
        }
    }
    fclose(fp);
    return found;
}

/* Tighter (less room) than what out holds: take it. */
static void cr_consider(cr_memlimit_t *out, const char *cg, const char *file, uint64_t limit,
                        uint64_t used)
{
    uint64_t room = limit > used ? limit - used : 1;  /* 0 would read "unknown" */
    if (limit >= CR_MEMLIMIT_NONE || (out->avail && room >= out->avail)) return;
    out->avail = room;
    out->cgroup = 1;
    snprintf(out->path, sizeof out->path, "%s", cg[0] ? cg : "/");
    snprintf(out->file, sizeof out->file, "%s", file);
    out->limit = limit;
    out->used = used;
}

/* Walk one hierarchy mounted at base from the cgroup path up to its root. */
static void cr_walk(cr_memlimit_t *out, const char *base, const char *cgpath, int v1)
{
    char cg[CR_PATHLEN], dir[2 * CR_PATHLEN], *slash;
    const char *limf = v1 ? "memory.limit_in_bytes" : "memory.max";
    const char *usef = v1 ? "memory.usage_in_bytes" : "memory.current";
    const char *inact = v1 ? "total_inactive_file" : "inactive_file";
    const char *p = cgpath;
    int leaf = 1;

    if (!cr_is_dir(base)) return;
    for (;;) {  /* shorten from the front until the path exists under the mount */
        snprintf(dir, sizeof dir, "%s%s", base, p);
        if (cr_is_dir(dir) || (p = strchr(p + 1, '/')) == NULL) break;
    }
    snprintf(cg, sizeof cg, "%s", p ? p : "");
    for (;;) {
        uint64_t lim, use, stat_lim;
        char statf[2 * CR_PATHLEN + 16];
        snprintf(dir, sizeof dir, "%s%s", base, cg);
        snprintf(statf, sizeof statf, "%s/memory.stat", dir);
        lim = cr_read_u64(dir, limf);
        use = cr_read_u64(dir, usef);
        if (use >= CR_MEMLIMIT_NONE) use = 0;
        else use -= cr_read_key(statf, inact, 0) < use ? cr_read_key(statf, inact, 0) : use;
        cr_consider(out, cg, limf, lim, use);
        if (v1 && leaf) {  /* an ancestor's limit the mount may not show */
            stat_lim = cr_read_key(statf, "hierarchical_memory_limit", 0);
            if (stat_lim && stat_lim < lim)
                cr_consider(out, cg, "memory.stat hierarchical_memory_limit", stat_lim, use);
        }
        leaf = 0;
        if (cg[0] == '\0' || strcmp(cg, "/") == 0) break;
        slash = strrchr(cg, '/');
        *slash = '\0';
    }
}

void cr_memlimit_read(const char *procfs, const char *sysfs, cr_memlimit_t *out)
{
    cr_memlimit_t m = { 0 };
    char file[CR_PATHLEN], cg[CR_PATHLEN], base[CR_PATHLEN], h1[32], h2[32];

    snprintf(file, sizeof file, "%s/meminfo", procfs);
    m.avail = cr_read_key(file, "MemAvailable", 1);
    if (cr_self_cgroup(procfs, NULL, cg, sizeof cg)) {
        snprintf(base, sizeof base, "%s/fs/cgroup", sysfs);
        cr_walk(&m, base, cg, 0);
    }
    if (cr_self_cgroup(procfs, "memory", cg, sizeof cg)) {
        snprintf(base, sizeof base, "%s/fs/cgroup/memory", sysfs);
        cr_walk(&m, base, cg, 1);
    }
    if (m.cgroup)
        snprintf(m.source, sizeof m.source, "cgroup %s %s %s, %s in use", m.path, m.file,
                 cr_memlimit_human(m.limit, h1, sizeof h1), cr_memlimit_human(m.used, h2, sizeof h2));
    else
        snprintf(m.source, sizeof m.source, "MemAvailable");
    *out = m;
}
