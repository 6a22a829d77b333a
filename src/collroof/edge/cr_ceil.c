/* Ceilings: nominal NIC rates (sysfs + hwloc) and a memcpy probe per NUMA node. */
#include "config.h"

#include "cr_ceil.h"
#include "cr_timer.h"
#include "cr_mem.h"
#include "cr_place.h"
#include "cr_topo.h"

#include <dirent.h>
#if HAVE_LIBNUMA
#include <numa.h>
#endif
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

double cr_ceil_parse_ib_rate(const char *s)
{
    char *end;
    double gbit = strtod(s, &end);
    if (end == s || gbit <= 0)
        return -1;
    while (*end == ' ')
        end++;
    return strncmp(end, "Gb/sec", 6) == 0 ? gbit / 8 : -1;
}

/* First line of a file into buf; 0 ok, -1 unreadable. */
static int cr_read_line(const char *path, char *buf, size_t len)
{
    FILE *fp = fopen(path, "r");
    int ok;
    if (fp == NULL)
        return -1;
    ok = fgets(buf, (int)len, fp) != NULL;
    fclose(fp);
    return ok ? 0 : -1;
}

static json_t *cr_pci_speed(const cr_nic_t *nics, int nn, const char *name)
{
    for (int i = 0; i < nn; i++)
        if (strcmp(nics[i].name, name) == 0 && nics[i].pci_GBps > 0)
            return json_real(nics[i].pci_GBps);
    return json_null();
}

static int cr_add_nominal(json_t *arr, const char *host, const char *dev, const char *kind,
                          double gbps, json_t *pci)
{
    return json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:f,s:o}", "host", host,
                                                "device", dev, "kind", kind, "GBps", gbps,
                                                "pci_GBps", pci));
}

static int cr_nominal_net(const char *root, const char *host, const cr_nic_t *nics, int nn,
                          json_t *arr)
{
    char dir[512], path[1024], line[128];
    struct dirent *e;
    struct stat sb;
    DIR *d;
    snprintf(dir, sizeof dir, "%s/class/net", root);
    if ((d = opendir(dir)) == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        long mbit;
        if (e->d_name[0] == '.' || strcmp(e->d_name, "lo") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s/device", dir, e->d_name);
        if (stat(path, &sb) != 0)      /* virtual: veth, bridge, bond, ifb */
            continue;
        snprintf(path, sizeof path, "%s/%s/speed", dir, e->d_name);
        if (cr_read_line(path, line, sizeof line) != 0 || (mbit = strtol(line, NULL, 10)) <= 0)
            continue;
        if (cr_add_nominal(arr, host, e->d_name, "net", (double)mbit / 8000.0,
                           cr_pci_speed(nics, nn, e->d_name)) != 0)
            break;
    }
    closedir(d);
    return 0;
}

static int cr_nominal_ib(const char *root, const char *host, const cr_nic_t *nics, int nn,
                         json_t *arr)
{
    char dir[512], pdir[800], path[1200], line[128], dev[96];
    struct dirent *e, *p;
    DIR *d, *pd;
    snprintf(dir, sizeof dir, "%s/class/infiniband", root);
    if ((d = opendir(dir)) == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(pdir, sizeof pdir, "%s/%s/ports", dir, e->d_name);
        if ((pd = opendir(pdir)) == NULL)
            continue;
        while ((p = readdir(pd)) != NULL) {
            double gbps;
            if (p->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s/state", pdir, p->d_name);
            if (cr_read_line(path, line, sizeof line) == 0 && strstr(line, "ACTIVE") == NULL)
                continue;
            snprintf(path, sizeof path, "%s/%s/rate", pdir, p->d_name);
            if (cr_read_line(path, line, sizeof line) != 0 || (gbps = cr_ceil_parse_ib_rate(line)) <= 0)
                continue;
            snprintf(dev, sizeof dev, "%.60s:%.30s", e->d_name, p->d_name);
            cr_add_nominal(arr, host, dev, "ib", gbps, cr_pci_speed(nics, nn, e->d_name));
        }
        closedir(pd);
    }
    closedir(d);
    return 0;
}

cr_status_t cr_ceil_nominal(const char *sysroot, hwloc_topology_t t, const char *host,
                            json_t *arr)
{
    cr_nic_t nics[64];
    int nn = t ? cr_topo_nics(t, nics, 64) : 0;
    cr_nominal_net(sysroot, host, nics, nn, arr);
    cr_nominal_ib(sysroot, host, nics, nn, arr);
    return CR_OK;
}

/* Best-of-reps memcpy GB/s with both buffers allocated under policy o. */
static cr_status_t cr_memcpy_once(size_t bytes, int reps, const cr_opts_t *o, double *gbps)
{
    cr_buf_t src, dst;
    double best = 0;
    CR_CHECK(cr_mem_alloc(bytes, o, &src));
    if (cr_mem_alloc(bytes, o, &dst) != CR_OK) {
        cr_mem_free(&src);
        return CR_ERR_NOMEM;
    }
    memset(src.ptr, 1, bytes);
    for (int r = 0; r < reps; r++) {
        double t0 = cr_clock_seconds(), dt;
        memcpy(dst.ptr, src.ptr, bytes);
        dt = cr_clock_seconds() - t0;
        if (dt > 0 && (double)bytes / dt / 1e9 > best)
            best = (double)bytes / dt / 1e9;
    }
    cr_mem_free(&dst);
    cr_mem_free(&src);
    *gbps = best;
    return CR_OK;
}

#if HAVE_LIBNUMA
/* The memcpy probe on every NUMA node this rank may use, run from that node's CPUs. */
static cr_status_t cr_ceil_memcpy_nodes(size_t bytes, int reps, const char *host, json_t *arr)
{
    cr_opts_t o = { .mem = CR_MEM_NODE };
    struct bitmask *nodes;
    cpu_set_t saved;
    double gbps;

    if (sched_getaffinity(0, sizeof saved, &saved) != 0) {
        cr_error_at(__FILE__, __LINE__, "sched_getaffinity failed");
        return CR_ERR_TOPO;
    }
    nodes = numa_get_mems_allowed();
    CR_CHECK_ALLOC(nodes, sizeof *nodes);
    for (int node = 0; node <= numa_max_node(); node++) {
        cr_status_t st;
        if (!numa_bitmask_isbitset(nodes, (unsigned)node))
            continue;
        numa_run_on_node(node);  /* fails for CPU-less nodes: copy from where we are */
        o.mem_node = node;
        st = cr_memcpy_once(bytes, reps, &o, &gbps);
        if (sched_setaffinity(0, sizeof saved, &saved) != 0)
            cr_warn("--probe-memory: could not restore this rank's CPU binding");
        if (st != CR_OK) {
            numa_bitmask_free(nodes);
            return st;
        }
        json_array_append_new(arr, json_pack("{s:s,s:i,s:f}", "host", host, "numa", node,
                                             "GBps", gbps));
    }
    numa_bitmask_free(nodes);
    return CR_OK;
}
#endif

cr_status_t cr_ceil_memcpy(size_t bytes, int reps, const char *host, json_t *arr)
{
    size_t avail = cr_mem_available();
    cr_opts_t o = { .mem = CR_MEM_DEFAULT };
    double gbps;

    if (avail && 8 * bytes > avail)
        bytes = avail / 8;
    if (bytes < ((size_t)8 << 20)) {
        cr_warn("--probe-memory: too little free memory for the memcpy probe; skipped");
        return CR_OK;
    }
#if HAVE_LIBNUMA
    if (cr_mem_have_numa())
        return cr_ceil_memcpy_nodes(bytes, reps, host, arr);
#endif
    /* no NUMA (not built with libnuma, or the host has none): one probe, numa = null */
    CR_CHECK(cr_memcpy_once(bytes, reps, &o, &gbps));
    json_array_append_new(arr, json_pack("{s:s,s:n,s:f}", "host", host, "numa", "GBps", gbps));
    return CR_OK;
}

/* Merge each host's {"nominal", "memcpy"} into one object of two arrays. */
static json_t *cr_ceil_merge(json_t *hosts)
{
    json_t *nom = json_array(), *mem = json_array(), *h;
    size_t i;
    json_array_foreach(hosts, i, h) {
        json_array_extend(nom, json_object_get(h, "nominal"));
        json_array_extend(mem, json_object_get(h, "memcpy"));
    }
    return json_pack("{s:o,s:o}", "nominal", nom, "memcpy", mem);
}

cr_status_t cr_ceil_gather(MPI_Comm world, const cr_place_t *pl, int n, hwloc_topology_t t,
                           int probe_memory, json_t **out)
{
    json_t *mine = NULL, *hosts = NULL, *res = NULL;
    cr_status_t st = CR_OK;
    int rank;

    if (MPI_Comm_rank(world, &rank) != MPI_SUCCESS) {
        cr_error_at(__FILE__, __LINE__, "MPI_Comm_rank failed");
        return CR_ERR_MPI;
    }
    if (rank < n && pl[rank].local_rank == 0) {
        mine = json_pack("{s:[],s:[]}", "nominal", "memcpy");
        if (mine) {
            cr_ceil_nominal("/sys", t, pl[rank].host, json_object_get(mine, "nominal"));
            if (probe_memory)
                st = cr_ceil_memcpy(CR_CEIL_MEMCPY_BYTES, CR_CEIL_MEMCPY_REPS, pl[rank].host,
                                    json_object_get(mine, "memcpy"));
        }
    }
    if (st == CR_OK)
        st = cr_place_gather_json(world, pl, n, mine, &hosts);
    else
        cr_place_gather_json(world, pl, n, NULL, &hosts);  /* still take part */
    json_decref(mine);
    if (st == CR_OK && rank == 0) {
        res = cr_ceil_merge(hosts);
        if (res == NULL) {
            cr_error_at(__FILE__, __LINE__, "cannot build the ceilings JSON (out of memory)");
            st = CR_ERR_NOMEM;
        }
    }
    json_decref(hosts);
    if (st == CR_OK)
        *out = res;
    return st;
}
