#include "config.h"

#include "cr_powercap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CR_PC_DEPTH 3   /* zone, subzone, and a nesting level to spare */

static const char *const cr_pc_prefixes[] = {"intel-rapl:", "amd-rapl:", NULL};

const char *cr_pc_kind_str(cr_pc_kind_t k)
{
    return k == CR_PC_PACKAGE ? "package" : k == CR_PC_DRAM ? "dram" : "other";
}

/* A zone's directory name: PREFIX N or PREFIX N:M (digits). intel-rapl-mmio is
 * not one: it repeats the package zone through another interface. */
static int cr_pc_is_zone(const char *s)
{
    for (int i = 0; cr_pc_prefixes[i]; i++) {
        size_t l = strlen(cr_pc_prefixes[i]);
        const char *p = s + l;
        int parts = 0;
        if (strncmp(s, cr_pc_prefixes[i], l)) continue;
        for (;;) {
            if (*p < '0' || *p > '9') return 0;
            while (*p >= '0' && *p <= '9') p++;
            parts++;
            if (*p == '\0') return parts <= 2;
            if (*p++ != ':') return 0;
        }
    }
    return 0;
}

/* The first line of dir/file into buf (newline cut). 0, or -1 with why. */
static int cr_pc_read_line(const char *dir, const char *file, char *buf, size_t len,
                           char *why, size_t wl)
{
    char path[1100];
    ssize_t got;
    int fd;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if ((fd = open(path, O_RDONLY)) < 0) {
        snprintf(why, wl, "%s: %s%s", path, strerror(errno),
                 errno == EACCES ? " (recent kernels let only root read energy counters)" : "");
        return -1;
    }
    got = read(fd, buf, len - 1);
    if (got < 0) snprintf(why, wl, "%s: %s", path, strerror(errno));
    close(fd);
    if (got < 0) return -1;
    buf[got] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

/* dir/file as a decimal unsigned integer. 0, or -1 with why. */
static int cr_pc_read_u64(const char *dir, const char *file, uint64_t *out, char *why, size_t wl)
{
    char buf[64], *end;
    unsigned long long v;
    if (cr_pc_read_line(dir, file, buf, sizeof buf, why, wl) != 0) return -1;
    errno = 0;
    v = strtoull(buf, &end, 10);
    if (buf[0] < '0' || buf[0] > '9' || *end != '\0' || errno == ERANGE) {
        snprintf(why, wl, "%s/%s: '%.40s' is not a non-negative integer", dir, file, buf);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

static void cr_pc_add(cr_pc_t *pc, const char *dir, const char *zone)
{
    cr_pc_domain_t *d;
    uint64_t v;
    for (int i = 0; i < pc->n; i++)
        if (!strcmp(pc->d[i].zone, zone)) return;   /* listed flat and nested */
    if (pc->n == CR_PC_MAX) return;
    d = &pc->d[pc->n];
    memset(d, 0, sizeof *d);
    if (snprintf(d->zone, sizeof d->zone, "%s", zone) >= (int)sizeof d->zone ||
        snprintf(d->path, sizeof d->path, "%s", dir) >= (int)sizeof d->path)
        return;   /* no real zone has such a name or path */
    pc->n++;
    d->kind = CR_PC_OTHER;
    if (cr_pc_read_line(dir, "name", d->name, sizeof d->name, d->why, sizeof d->why) != 0)
        return;
    if (!strncmp(d->name, "package", 7)) d->kind = CR_PC_PACKAGE;
    else if (!strcmp(d->name, "dram")) d->kind = CR_PC_DRAM;
    if (cr_pc_read_u64(dir, "max_energy_range_uj", &d->range_uj, d->why, sizeof d->why) != 0)
        return;
    if (d->range_uj == 0) {
        if (snprintf(d->why, sizeof d->why, "%s/max_energy_range_uj: 0", dir) < 0) d->why[0] = '\0';
        return;
    }
    if (cr_pc_read_u64(dir, "energy_uj", &v, d->why, sizeof d->why) != 0) return;
    if (cr_pc_read_u64(dir, "constraint_0_max_power_uw", &v, (char[256]){0}, 256) == 0)
        d->power_w = (double)v * 1e-6;
    d->usable = 1;
}

static void cr_pc_walk(cr_pc_t *pc, const char *dir, int depth)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    if (!dp) return;
    while ((e = readdir(dp)) != NULL) {
        char sub[1100];
        struct stat sb;
        if (!cr_pc_is_zone(e->d_name)) continue;
        if (snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name) >= (int)sizeof sub) continue;
        if (stat(sub, &sb) != 0 || !S_ISDIR(sb.st_mode)) continue;
        cr_pc_add(pc, sub, e->d_name);
        if (depth + 1 < CR_PC_DEPTH) cr_pc_walk(pc, sub, depth + 1);
    }
    closedir(dp);
}

static int cr_pc_cmp(const void *a, const void *b)
{
    return strcmp(((const cr_pc_domain_t *)a)->zone, ((const cr_pc_domain_t *)b)->zone);
}

int cr_pc_scan(const char *root, cr_pc_t *pc)
{
    struct stat sb;
    int kinds = 0;
    memset(pc, 0, sizeof *pc);
    snprintf(pc->root, sizeof pc->root, "%s", root);
    if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(pc->why, sizeof pc->why, "%s: %s", root,
                 stat(root, &sb) != 0 ? strerror(errno) : "not a directory");
        return 0;
    }
    cr_pc_walk(pc, root, 0);
    qsort(pc->d, (size_t)pc->n, sizeof *pc->d, cr_pc_cmp);
    for (int k = 0; k < CR_PC_KINDS; k++) {
        int n = 0, ok = 0;
        for (int i = 0; i < pc->n; i++)
            if (pc->d[i].kind == (cr_pc_kind_t)k) {
                n++;
                ok += pc->d[i].usable;
            }
        pc->have[k] = n > 0 && ok == n;   /* a partial sum would mislead */
        kinds += pc->have[k];
    }
    if (kinds) return kinds;
    /* why: the first summed zone that failed, else the first zone that failed
     * (its name unread, its kind unknown), else there was none to sum */
    for (int pass = 0; pass < 2 && !pc->why[0]; pass++)
        for (int i = 0; i < pc->n && !pc->why[0]; i++)
            if (!pc->d[i].usable && (pass || pc->d[i].kind != CR_PC_OTHER))
                snprintf(pc->why, sizeof pc->why, "%s", pc->d[i].why);
    if (!pc->why[0])
        snprintf(pc->why, sizeof pc->why, "%s: no package or dram zone (intel-rapl:N, "
                 "intel-rapl:N:M or amd-rapl:N with a name package-N or dram)", root);
    return 0;
}

int cr_pc_read(const cr_pc_t *pc, uint64_t *uj, char *why, size_t wl)
{
    for (int i = 0; i < pc->n; i++) {
        uj[i] = 0;
        if (pc->d[i].usable && cr_pc_read_u64(pc->d[i].path, "energy_uj", &uj[i], why, wl) != 0)
            return -1;
    }
    return 0;
}

int cr_pc_delta(uint64_t before, uint64_t after, uint64_t range, uint64_t *out)
{
    if (before > range || after > range) return -1;
    *out = after >= before ? after - before : range - before + after;
    return 0;
}

int cr_pc_energy(const cr_pc_t *pc, const uint64_t *before, const uint64_t *after,
                 double *J, char *why, size_t wl)
{
    for (int k = 0; k < CR_PC_KINDS; k++) J[k] = 0;
    for (int i = 0; i < pc->n; i++) {
        const cr_pc_domain_t *d = &pc->d[i];
        uint64_t dj;
        if (d->kind == CR_PC_OTHER || !pc->have[d->kind]) continue;
        if (cr_pc_delta(before[i], after[i], d->range_uj, &dj) != 0) {
            snprintf(why, wl, "%s/energy_uj: reading %llu or %llu above max_energy_range_uj "
                     "%llu", d->path, (unsigned long long)before[i],
                     (unsigned long long)after[i], (unsigned long long)d->range_uj);
            return -1;
        }
        J[d->kind] += (double)dj * 1e-6;
    }
    return 0;
}

double cr_pc_wrap_s(const cr_pc_t *pc)
{
    double best = INFINITY;
    for (int i = 0; i < pc->n; i++) {
        const cr_pc_domain_t *d = &pc->d[i];
        double w = d->power_w > 0 ? d->power_w : CR_PC_ASSUMED_W, s;
        if (d->kind == CR_PC_OTHER || !pc->have[d->kind]) continue;
        s = (double)d->range_uj * 1e-6 / w;
        if (s < best) best = s;
    }
    return best;
}

json_t *cr_pc_to_json(const cr_pc_t *pc)
{
    json_t *o = json_object(), *zones = json_array();
    double w = cr_pc_wrap_s(pc);
    if (!o || !zones) goto out_with_objects;
    for (int i = 0; i < pc->n; i++) {
        const cr_pc_domain_t *d = &pc->d[i];
        json_t *z = json_pack("{s:s,s:s,s:s,s:I,s:b}", "zone", d->zone, "name", d->name,
                              "kind", cr_pc_kind_str(d->kind), "max_energy_range_uj",
                              (json_int_t)d->range_uj, "usable", d->usable);
        if (!z) goto out_with_objects;
        if (!d->usable) json_object_set_new(z, "why", json_string(d->why));
        json_array_append_new(zones, z);
    }
    json_object_set_new(o, "root", json_string(pc->root));
    json_object_set_new(o, "zones", zones);
    json_object_set_new(o, "package", json_boolean(pc->have[CR_PC_PACKAGE]));
    json_object_set_new(o, "dram", json_boolean(pc->have[CR_PC_DRAM]));
    json_object_set_new(o, "wrap_s", isfinite(w) ? json_real(w) : json_null());
    if (pc->why[0]) json_object_set_new(o, "why", json_string(pc->why));
    return o;
out_with_objects:
    json_decref(zones);
    json_decref(o);
    return NULL;
}
