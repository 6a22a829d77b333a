#include "config.h"

#include "cr_netcount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CR_NC_TYPE_IPOIB 32      /* ARPHRD_INFINIBAND: /sys/class/net/IF/type */
#define CR_NC_TYPE_LOOPBACK 772  /* ARPHRD_LOOPBACK */

/* snprintf that cuts silently: paths and messages longer than their buffers are
 * cut, never overflowed. */
__attribute__((format(printf, 3, 4)))
static int cr_nc_fmt(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return n;
}

const char *cr_nc_src_str(cr_nc_src_t s)
{
    return s == CR_NC_PROCFS_DEV ? "procfs" : s == CR_NC_SYSFS_NET ? "sysfs" : "infiniband";
}

/* path's first line into buf (newline cut). 0, or -1 with why. */
static int cr_nc_read_line(const char *path, char *buf, size_t len, char *why, size_t wl)
{
    ssize_t got;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        cr_nc_fmt(why, wl, "%s: %s", path, strerror(errno));
        return -1;
    }
    got = read(fd, buf, len - 1);
    if (got < 0) cr_nc_fmt(why, wl, "%s: %s", path, strerror(errno));
    close(fd);
    if (got < 0) return -1;
    buf[got] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

/* A decimal unsigned integer, the whole of s. 0, or -1. */
static int cr_nc_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE) return -1;
    *out = (uint64_t)v;
    return 0;
}

/* path as one counter. 0, or -1 with why naming the file and what it held. */
static int cr_nc_read_u64(const char *path, uint64_t *out, char *why, size_t wl)
{
    char buf[64];
    if (cr_nc_read_line(path, buf, sizeof buf, why, wl) != 0) return -1;
    if (cr_nc_parse_u64(buf, out) != 0) {
        cr_nc_fmt(why, wl, "%s: '%.40s' is not a non-negative integer counter", path, buf);
        return -1;
    }
    return 0;
}

/* The interfaces of PROCFS/net/dev (names[max][64]) and, when tx/rx are given,
 * their rx_bytes (field 1) and tx_bytes (field 9) for the names of nc in the same
 * slots. Returns how many lines, or -1 with why (file unreadable, a line malformed). */
static int cr_nc_procfs(const char *procroot, char (*names)[64], int max, const cr_nc_t *nc,
                        cr_nc_sample_t *s, char *why, size_t wl)
{
    char path[600], line[512];
    int n = 0, lineno = 0;
    FILE *fp;
    cr_nc_fmt(path, sizeof path, "%s/net/dev", procroot);
    if (!(fp = fopen(path, "r"))) {
        cr_nc_fmt(why, wl, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, fp)) {
        char *colon, *name = line, *tok, *save = NULL;
        uint64_t v[16];
        int k = 0;
        if (++lineno <= 2) continue;   /* the two header lines */
        line[strcspn(line, "\n")] = '\0';
        while (*name == ' ') name++;
        if (!*name) continue;
        if (!(colon = strchr(name, ':')) || colon == name || colon - name >= 64) {
            cr_nc_fmt(why, wl, "%s line %d: '%.60s' is not 'NAME: counters'", path, lineno, line);
            fclose(fp);
            return -1;
        }
        *colon = '\0';
        for (tok = strtok_r(colon + 1, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
            if (k == 16 || cr_nc_parse_u64(tok, &v[k++]) != 0) {
                k = -1;
                break;
            }
        if (k != 16) {
            cr_nc_fmt(why, wl, "%s line %d (%s): expected 16 non-negative integer counters",
                     path, lineno, name);
            fclose(fp);
            return -1;
        }
        if (names && n < max) cr_nc_fmt(names[n], 64, "%s", name);
        n++;
        for (int i = 0; nc && i < nc->n; i++)
            if (nc->f[i].src == CR_NC_PROCFS_DEV && !strcmp(nc->f[i].name, name))
                s->rx[i] = v[0], s->tx[i] = v[8];
    }
    fclose(fp);
    return n;
}

/* Directory entries of dir (not . and ..) into names[max][64], sorted. -1 if none. */
static int cr_nc_cmp(const void *a, const void *b) { return strcmp(a, b); }
static int cr_nc_list(const char *dir, char (*names)[64], int max)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!dp) return -1;
    while ((e = readdir(dp)) != NULL && n < max)
        if (e->d_name[0] != '.' && strlen(e->d_name) < 64) cr_nc_fmt(names[n++], 64, "%s", e->d_name);
    closedir(dp);
    qsort(names, (size_t)n, 64, cr_nc_cmp);
    return n;
}

static void cr_nc_skip(cr_nc_t *nc, const char *name, const char *why)
{
    size_t l = strlen(nc->skipped);
    cr_nc_fmt(nc->skipped + l, sizeof nc->skipped - l, "%s%s (%s)", l ? "; " : "", name, why);
}

static cr_nc_if_t *cr_nc_add(cr_nc_t *nc, const char *name, cr_nc_src_t src)
{
    cr_nc_if_t *f;
    if (nc->n == CR_NC_MAX) return NULL;
    f = &nc->f[nc->n++];
    memset(f, 0, sizeof *f);
    cr_nc_fmt(f->name, sizeof f->name, "%s", name);
    f->src = src;
    f->unit = 1;
    f->width = (unsigned)(8 * sizeof(unsigned long));   /* the kernel's netdev counters */
    return f;
}

/* A netdev through sysfs statistics. 0, or -1 with why. */
static int cr_nc_add_sysfs(cr_nc_t *nc, const char *name, char *why, size_t wl)
{
    char tx[1024], rx[1024];
    uint64_t v;
    cr_nc_if_t *f;
    cr_nc_fmt(tx, sizeof tx, "%s/class/net/%s/statistics/tx_bytes", nc->sysroot, name);
    cr_nc_fmt(rx, sizeof rx, "%s/class/net/%s/statistics/rx_bytes", nc->sysroot, name);
    if (cr_nc_read_u64(tx, &v, why, wl) != 0 || cr_nc_read_u64(rx, &v, why, wl) != 0) return -1;
    if (!(f = cr_nc_add(nc, name, CR_NC_SYSFS_NET))) {
        cr_nc_fmt(why, wl, "more than %d interfaces", CR_NC_MAX);
        return -1;
    }
    cr_nc_fmt(f->tx, sizeof f->tx, "%s", tx);
    cr_nc_fmt(f->rx, sizeof f->rx, "%s", rx);
    return 0;
}

/* IB port DEV:PORT: the 64-bit counters_ext files where present, else the
 * counters in 4-byte units, 32 bits as far as known. 0, or -1 with why. */
static int cr_nc_add_ib(cr_nc_t *nc, const char *dev, const char *port, char *why, size_t wl)
{
    char dir[800], tx[1024], rx[1024], name[64], rate[64];
    unsigned width = 64;
    uint64_t v;
    cr_nc_if_t *f;
    cr_nc_fmt(dir, sizeof dir, "%s/class/infiniband/%s/ports/%s", nc->sysroot, dev, port);
    cr_nc_fmt(tx, sizeof tx, "%s/counters_ext/port_xmit_data_64", dir);
    cr_nc_fmt(rx, sizeof rx, "%s/counters_ext/port_rcv_data_64", dir);
    if (access(tx, F_OK) != 0 || access(rx, F_OK) != 0) {
        cr_nc_fmt(tx, sizeof tx, "%s/counters/port_xmit_data", dir);
        cr_nc_fmt(rx, sizeof rx, "%s/counters/port_rcv_data", dir);
        width = 32;
    }
    if (cr_nc_read_u64(tx, &v, why, wl) != 0 || cr_nc_read_u64(rx, &v, why, wl) != 0) return -1;
    if (cr_nc_fmt(name, sizeof name, "%s:%s", dev, port) >= (int)sizeof name ||
        !(f = cr_nc_add(nc, name, CR_NC_IB_PORT))) {
        cr_nc_fmt(why, wl, "%s:%s: too long a name or more than %d interfaces", dev, port,
                 CR_NC_MAX);
        return -1;
    }
    cr_nc_fmt(f->tx, sizeof f->tx, "%s", tx);
    cr_nc_fmt(f->rx, sizeof f->rx, "%s", rx);
    f->unit = 4;   /* port_*_data count 32-bit words (IBTA PortCounters) */
    f->width = width;
    cr_nc_fmt(tx, sizeof tx, "%s/rate", dir);   /* "100 Gb/sec (4X EDR)" */
    if (cr_nc_read_line(tx, rate, sizeof rate, (char[256]){0}, 256) == 0)
        f->rate_Bps = strtod(rate, NULL) * 1e9 / 8;
    return 0;
}

/* Automatic IB ports: every port whose state is ACTIVE (or states none). */
static void cr_nc_scan_ib(cr_nc_t *nc)
{
    char dir[600], devs[CR_NC_MAX][64], ports[CR_NC_MAX][64], path[1024], buf[64], why[512];
    int nd;
    cr_nc_fmt(dir, sizeof dir, "%s/class/infiniband", nc->sysroot);
    nd = cr_nc_list(dir, devs, CR_NC_MAX);
    for (int d = 0; d < nd; d++) {
        int np;
        cr_nc_fmt(path, sizeof path, "%s/%s/ports", dir, devs[d]);
        np = cr_nc_list(path, ports, CR_NC_MAX);
        for (int p = 0; p < np; p++) {
            char name[140];
            cr_nc_fmt(name, sizeof name, "%s:%s", devs[d], ports[p]);
            cr_nc_fmt(path, sizeof path, "%s/%s/ports/%s/state", dir, devs[d], ports[p]);
            if (cr_nc_read_line(path, buf, sizeof buf, why, sizeof why) == 0 &&
                !strstr(buf, "ACTIVE")) {
                cr_nc_skip(nc, name, "not ACTIVE");
                continue;
            }
            if (cr_nc_add_ib(nc, devs[d], ports[p], why, sizeof why) != 0) cr_nc_skip(nc, name, why);
        }
    }
}

/* Automatic: why a netdev of /proc/net/dev is left out (sysfs trusted), or NULL. */
static const char *cr_nc_auto_skip(const cr_nc_t *nc, const char *name, int ib)
{
    char path[800], buf[64], why[512], lower[CR_NC_MAX][64];
    uint64_t type = 0;
    int nl;
    cr_nc_fmt(path, sizeof path, "%s/class/net/%s/type", nc->sysroot, name);
    if (cr_nc_read_line(path, buf, sizeof buf, why, sizeof why) == 0 &&
        cr_nc_parse_u64(buf, &type) == 0) {
        if (type == CR_NC_TYPE_LOOPBACK) return "loopback";
        if (type == CR_NC_TYPE_IPOIB && ib) return "IPoIB: its IB port is counted";
    }
    cr_nc_fmt(path, sizeof path, "%s/class/net/%s/operstate", nc->sysroot, name);
    if (cr_nc_read_line(path, buf, sizeof buf, why, sizeof why) == 0 && strcmp(buf, "up") &&
        strcmp(buf, "unknown"))
        return "not up";
    cr_nc_fmt(path, sizeof path, "%s/class/net/%s", nc->sysroot, name);
    nl = cr_nc_list(path, lower, CR_NC_MAX);
    for (int i = 0; i < nl; i++)
        if (!strncmp(lower[i], "lower_", 6)) return "stacked on another device, which counts its bytes";
    return NULL;
}

/* The same names in both lists (sorted copies compared). */
static int cr_nc_same_set(char (*a)[64], int na, char (*b)[64], int nb)
{
    if (na != nb) return 0;
    qsort(a, (size_t)na, 64, cr_nc_cmp);
    qsort(b, (size_t)nb, 64, cr_nc_cmp);
    for (int i = 0; i < na; i++)
        if (strcmp(a[i], b[i])) return 0;
    return 1;
}

static int cr_nc_scan_auto(cr_nc_t *nc)
{
    char proc[CR_NC_MAX][64], sys[CR_NC_MAX][64], tmp[CR_NC_MAX][64], dir[600], why[512];
    int np, ns, trust, nib;
    cr_nc_fmt(dir, sizeof dir, "%s/class/net", nc->sysroot);
    ns = cr_nc_list(dir, sys, CR_NC_MAX);
    np = cr_nc_procfs(nc->procroot, proc, CR_NC_MAX, NULL, NULL, why, sizeof why);
    cr_nc_scan_ib(nc);
    nib = nc->n;
    if (np < 0 && ns <= 0) {
        cr_nc_fmt(nc->why, sizeof nc->why, "%s; %s: %s", why, dir, "no such directory");
        return nc->n;
    }
    if (np < 0) {   /* no procfs: sysfs statistics (the mount's namespace) */
        for (int i = 0; i < ns; i++) {
            const char *skip = !strcmp(sys[i], "lo") ? "loopback" : cr_nc_auto_skip(nc, sys[i], nib);
            if (skip) cr_nc_skip(nc, sys[i], skip);
            else if (cr_nc_add_sysfs(nc, sys[i], why, sizeof why) != 0) cr_nc_skip(nc, sys[i], why);
        }
        return nc->n;
    }
    /* sysfs describes these interfaces only when it lists the same names (a sysfs
     * mounted in another network namespace, as nsenter leaves it, does not) */
    memcpy(tmp, proc, sizeof tmp);
    trust = ns > 0 && cr_nc_same_set(tmp, np < CR_NC_MAX ? np : CR_NC_MAX, sys, ns);
    for (int i = 0; i < np && i < CR_NC_MAX; i++) {
        const char *skip = !strcmp(proc[i], "lo") ? "loopback"
                           : trust ? cr_nc_auto_skip(nc, proc[i], nib) : NULL;
        if (skip) cr_nc_skip(nc, proc[i], skip);
        else if (!cr_nc_add(nc, proc[i], CR_NC_PROCFS_DEV)) cr_nc_skip(nc, proc[i], "too many");
    }
    /* /proc/net/dev's interfaces first, then the IB ports */
    if (nib && nc->n > nib) {
        cr_nc_if_t ib[CR_NC_MAX];
        memcpy(ib, nc->f, (size_t)nib * sizeof *ib);
        memmove(nc->f, nc->f + nib, (size_t)(nc->n - nib) * sizeof *ib);
        memcpy(nc->f + (nc->n - nib), ib, (size_t)nib * sizeof *ib);
    }
    if (!nc->n)
        cr_nc_fmt(nc->why, sizeof nc->why, "%s/net/dev lists no interface but loopback%s%s",
                 nc->procroot, nc->skipped[0] ? "; left out: " : "", nc->skipped);
    return nc->n;
}

/* One name of an explicit list. 0, or -1 with nc->why. */
static int cr_nc_scan_one(cr_nc_t *nc, const char *name, char (*proc)[64], int np)
{
    char why[512], dev[64], *colon;
    for (int i = 0; i < nc->n; i++)
        if (!strcmp(nc->f[i].name, name)) return 0;   /* named twice */
    if ((colon = strchr(name, ':')) != NULL) {
        if (colon - name >= (long)sizeof dev || !colon[1]) {
            cr_nc_fmt(nc->why, sizeof nc->why, "--net-if: '%s' is not DEV:PORT", name);
            return -1;
        }
        cr_nc_fmt(dev, sizeof dev, "%.*s", (int)(colon - name), name);
        if (cr_nc_add_ib(nc, dev, colon + 1, why, sizeof why) == 0) return 0;
        cr_nc_fmt(nc->why, sizeof nc->why, "--net-if %s: no readable InfiniBand port counters (%s)",
                 name, why);
        return -1;
    }
    for (int i = 0; i < np; i++)
        if (!strcmp(proc[i], name)) {
            if (cr_nc_add(nc, name, CR_NC_PROCFS_DEV)) return 0;
            cr_nc_fmt(nc->why, sizeof nc->why, "--net-if: more than %d interfaces", CR_NC_MAX);
            return -1;
        }
    if (np < 0 && cr_nc_add_sysfs(nc, name, why, sizeof why) == 0) return 0;
    if (np >= 0) {
        size_t l;
        cr_nc_fmt(nc->why, sizeof nc->why, "--net-if %s: not in %s/net/dev (it lists", name,
                 nc->procroot);
        for (int i = 0; i < np && i < CR_NC_MAX; i++) {
            l = strlen(nc->why);
            cr_nc_fmt(nc->why + l, sizeof nc->why - l, " %s", proc[i]);
        }
        l = strlen(nc->why);
        cr_nc_fmt(nc->why + l, sizeof nc->why - l, "; an IB port is DEV:PORT)");
    } else
        cr_nc_fmt(nc->why, sizeof nc->why, "--net-if %s: %s", name, why);
    return -1;
}

int cr_nc_scan(const char *sysroot, const char *procroot, const char *list, cr_nc_t *nc)
{
    char proc[CR_NC_MAX][64], buf[1024], why[512], *tok, *save = NULL;
    int np;
    memset(nc, 0, sizeof *nc);
    cr_nc_fmt(nc->sysroot, sizeof nc->sysroot, "%s", sysroot);
    cr_nc_fmt(nc->procroot, sizeof nc->procroot, "%s", procroot);
    if (!list || !*list || !strcmp(list, "auto")) return cr_nc_scan_auto(nc);
    if (!strcmp(list, "none")) return 0;
    np = cr_nc_procfs(procroot, proc, CR_NC_MAX, NULL, NULL, why, sizeof why);
    cr_nc_fmt(buf, sizeof buf, "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (cr_nc_scan_one(nc, tok, proc, np) != 0) {
            nc->n = 0;
            return -1;
        }
    return nc->n;
}

int cr_nc_read(const cr_nc_t *nc, cr_nc_sample_t *s, char *why, size_t wl)
{
    int procfs = 0;
    memset(s, 0, sizeof *s);
    for (int i = 0; i < nc->n; i++) {
        if (nc->f[i].src == CR_NC_PROCFS_DEV) {
            procfs = 1;
            continue;
        }
        if (cr_nc_read_u64(nc->f[i].tx, &s->tx[i], why, wl) != 0 ||
            cr_nc_read_u64(nc->f[i].rx, &s->rx[i], why, wl) != 0)
            return -1;
    }
    if (procfs) {
        /* a name missing from this reading (the interface went away) reads as
         * UINT64_MAX, which no counter reaches: cr_nc_bytes refuses it */
        for (int i = 0; i < nc->n; i++)
            if (nc->f[i].src == CR_NC_PROCFS_DEV) s->tx[i] = s->rx[i] = UINT64_MAX;
        if (cr_nc_procfs(nc->procroot, NULL, 0, nc, s, why, wl) < 0) return -1;
        for (int i = 0; i < nc->n; i++)
            if (nc->f[i].src == CR_NC_PROCFS_DEV && s->tx[i] == UINT64_MAX) {
                cr_nc_fmt(why, wl, "%s/net/dev: interface %s is gone", nc->procroot, nc->f[i].name);
                return -1;
            }
    }
    return 0;
}

int cr_nc_delta(uint64_t before, uint64_t after, unsigned width, uint64_t *out)
{
    if (width == 32 && (before > UINT32_MAX || after > UINT32_MAX)) width = 64;
    if (width == 32) {
        if (before == UINT32_MAX || after == UINT32_MAX) return -1;   /* saturated */
        *out = after >= before ? after - before : (UINT64_C(1) << 32) - before + after;
        return 0;
    }
    if (after < before) return -1;   /* a 64-bit counter went back: reset */
    *out = after - before;
    return 0;
}

int cr_nc_bytes(const cr_nc_t *nc, const cr_nc_sample_t *before, const cr_nc_sample_t *after,
                uint64_t *tx, uint64_t *rx, char *why, size_t wl)
{
    uint64_t t = 0, r = 0;
    for (int i = 0; i < nc->n; i++) {
        const cr_nc_if_t *f = &nc->f[i];
        uint64_t dt, dr;
        if (cr_nc_delta(before->tx[i], after->tx[i], f->width, &dt) != 0 ||
            cr_nc_delta(before->rx[i], after->rx[i], f->width, &dr) != 0) {
            cr_nc_fmt(why, wl, "%s: a counter went from %llu/%llu (tx/rx) to %llu/%llu: %s", f->name,
                     (unsigned long long)before->tx[i], (unsigned long long)before->rx[i],
                     (unsigned long long)after->tx[i], (unsigned long long)after->rx[i],
                     f->width == 32 ? "saturated at 2^32-1 or reset" : "reset");
            return -1;
        }
        t += dt * f->unit;
        r += dr * f->unit;
    }
    *tx = t;
    *rx = r;
    return 0;
}

double cr_nc_wrap_s(const cr_nc_t *nc)
{
    double best = INFINITY;
    for (int i = 0; i < nc->n; i++) {
        const cr_nc_if_t *f = &nc->f[i];
        double bps = f->rate_Bps > 0 ? f->rate_Bps : CR_NC_ASSUMED_BPS, s;
        if (f->width >= 64) continue;
        s = ldexp(1.0, (int)f->width) * f->unit / bps;
        if (s < best) best = s;
    }
    return best;
}

json_t *cr_nc_to_json(const cr_nc_t *nc)
{
    json_t *o = json_object(), *ifs = json_array();
    double w = cr_nc_wrap_s(nc);
    if (!o || !ifs) goto out_with_objects;
    for (int i = 0; i < nc->n; i++) {
        const cr_nc_if_t *f = &nc->f[i];
        json_t *j = json_pack("{s:s,s:s,s:i,s:i}", "name", f->name, "source",
                              cr_nc_src_str(f->src), "unit_bytes", (int)f->unit, "width_bits",
                              (int)f->width);
        if (!j) goto out_with_objects;
        json_array_append_new(ifs, j);
    }
    json_object_set_new(o, "interfaces", ifs);
    json_object_set_new(o, "skipped", json_string(nc->skipped));
    json_object_set_new(o, "sysfs", json_string(nc->sysroot));
    json_object_set_new(o, "procfs", json_string(nc->procroot));
    json_object_set_new(o, "wrap_s", isfinite(w) ? json_real(w) : json_null());
    if (nc->why[0]) json_object_set_new(o, "why", json_string(nc->why));
    return o;
out_with_objects:
    json_decref(ifs);
    json_decref(o);
    return NULL;
}
