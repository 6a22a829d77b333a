/* The placement table out: placement.csv, JSON, binding warnings (pure). */
#include "config.h"

#include "cr_place_io.h"

#include <stdlib.h>
#include <string.h>

cr_status_t cr_place_write_csv(FILE *fp, const cr_place_t *pl, int n)
{
    if (fprintf(fp, "rank,host,node_index,local_rank,package,numa,core,pu,cpuset,bound\n") < 0)
        goto out_io;
    for (int i = 0; i < n; i++) {
        char set[CR_CPUSET_LEN];
        const cr_place_t *p = &pl[i];
        snprintf(set, sizeof set, "%s", p->cpuset);
        for (char *c = set; *c; c++)
            if (*c == ',')
                *c = ';';
        if (fprintf(fp, "%d,%s,%d,%d,%d,%d,%d,%d,%s,%d\n", p->rank, p->host, p->node_index,
                    p->local_rank, p->package, p->numa, p->core, p->pu, set, p->bound ? 1 : 0) < 0)
            goto out_io;
    }
    if (fflush(fp) != 0)
        goto out_io;
    return CR_OK;
out_io:
    cr_error("cannot write placement.csv: write failed");
    return CR_ERR_IO;
}

json_t *cr_place_to_json(const cr_place_t *pl, int n)
{
    json_t *arr = json_array();
    for (int i = 0; arr && i < n; i++) {
        const cr_place_t *p = &pl[i];
        json_t *o = json_pack("{s:i,s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:s,s:b}",
                              "rank", p->rank, "host", p->host, "node_index", p->node_index,
                              "local_rank", p->local_rank, "package", p->package,
                              "numa", p->numa, "core", p->core, "pu", p->pu,
                              "cpuset", p->cpuset, "bound", p->bound);
        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (arr == NULL)
        cr_error_at(__FILE__, __LINE__, "cannot build the placement JSON (out of memory)");
    return arr;
}

/* Next range "a" or "a-b" of a list; returns the position after it, NULL at the end. */
static const char *cr_range_next(const char *s, long *lo, long *hi)
{
    char *end;
    while (*s == ',' || *s == ' ')
        s++;
    if (*s == '\0')
        return NULL;
    *lo = strtol(s, &end, 10);
    if (end == s)
        return NULL;
    *hi = *lo;
    if (*end == '-') {
        s = end + 1;
        *hi = strtol(s, &end, 10);
        if (end == s)              /* "8-": open range to the end */
            *hi = 1L << 30;
    }
    return end;
}

int cr_cpuset_overlap(const char *a, const char *b)
{
    long alo, ahi, blo, bhi;
    for (const char *pa = cr_range_next(a, &alo, &ahi); pa; pa = cr_range_next(pa, &alo, &ahi))
        for (const char *pb = cr_range_next(b, &blo, &bhi); pb; pb = cr_range_next(pb, &blo, &bhi))
            if (alo <= bhi && blo <= ahi)
                return 1;
    return 0;
}

/* Binding advice in the syntax of the launcher of the library collroof is built with. */
#if defined(CR_MPI_MPICH)
#define CR_BIND_HINT "bind each rank to its own core: mpiexec -bind-to core -map-by core, " \
                     "or srun --cpu-bind=cores"
#define CR_PPN_HINT "mpiexec -ppn %d -bind-to core"
#elif defined(CR_MPI_OPENMPI)
#define CR_BIND_HINT "bind each rank to its own core: mpirun --map-by core --bind-to core, " \
                     "or srun --cpu-bind=cores"
#define CR_PPN_HINT "mpirun --map-by ppr:%d:node --bind-to core"
#else
#define CR_BIND_HINT "bind each rank to its own core with your launcher (Open MPI: mpirun " \
                     "--bind-to core; MPICH: mpiexec -bind-to core), or srun --cpu-bind=cores"
#define CR_PPN_HINT "%d ranks per node, bound to cores"
#endif

int cr_place_warnings(const cr_place_t *pl, int n, char msgs[][CR_WARN_LEN], int max)
{
    int nm = 0, unbound = 0, first = -1, sa = -1, sb = -1, over = -1, over_n = 0;

    for (int i = 0; i < n; i++)
        if (!pl[i].bound && unbound++ == 0)
            first = i;
    for (int i = 0; i < n && sa < 0; i++)
        for (int j = i + 1; j < n && pl[i].bound && sa < 0; j++)
            if (pl[j].bound && pl[j].node_index == pl[i].node_index &&
                cr_cpuset_overlap(pl[i].cpuset, pl[j].cpuset)) {
                sa = i;
                sb = j;
            }
    for (int i = 0; i < n && over < 0; i++) {
        int on_host = 0;
        if (pl[i].local_rank != 0 || pl[i].host_cores <= 0)
            continue;
        for (int j = i; j < n; j++)
            on_host += pl[j].node_index == pl[i].node_index;
        if (on_host > pl[i].host_cores) {
            over = i;
            over_n = on_host;
        }
    }
    if (unbound && nm < max)
        snprintf(msgs[nm++], CR_WARN_LEN,
                 "%d of %d ranks are not bound to CPUs (e.g. rank %d on %s, cpuset %s): the OS "
                 "may move them, timings vary and the package/numa levels follow the CPU they "
                 "last ran on; %s", unbound, n, pl[first].rank, pl[first].host,
                 pl[first].cpuset, CR_BIND_HINT);
    if (sa >= 0 && nm < max)
        snprintf(msgs[nm++], CR_WARN_LEN,
                 "ranks %d and %d on %s are bound to overlapping CPUs (%s and %s) and share a "
                 "PU, so they compete for it; %s", pl[sa].rank, pl[sb].rank, pl[sa].host,
                 pl[sa].cpuset, pl[sb].cpuset, CR_BIND_HINT);
    if (over >= 0 && nm < max)
        snprintf(msgs[nm++], CR_WARN_LEN,
                 "%s runs %d ranks on %d cores: ranks time-share cores and timings include "
                 "that; run at most one rank per core (" CR_PPN_HINT ", or srun "
                 "--ntasks-per-node=%d --cpu-bind=cores)", pl[over].host, over_n,
                 pl[over].host_cores, pl[over].host_cores, pl[over].host_cores);
    return nm;
}
