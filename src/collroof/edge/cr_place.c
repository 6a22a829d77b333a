/* This rank's placement (hwloc) and the placement table on all ranks (MPI). */
#include "config.h"

#include "cr_place.h"
#include "cr_mpi.h"

#include <stdlib.h>
#include <string.h>

/* Logical index of the object of `type` whose cpuset contains set; -1 if none. */
static int cr_obj_containing(hwloc_topology_t t, hwloc_obj_type_t type, hwloc_const_cpuset_t set)
{
    int nb = hwloc_get_nbobjs_by_type(t, type);
    if (set == NULL || hwloc_bitmap_iszero(set))
        return -1;
    for (int i = 0; i < nb; i++) {
        hwloc_obj_t o = hwloc_get_obj_by_type(t, type, (unsigned)i);
        if (o && o->cpuset && hwloc_bitmap_isincluded(set, o->cpuset))
            return (int)o->logical_index;
    }
    return -1;
}

static int cr_obj_index(hwloc_topology_t t, hwloc_obj_type_t type, hwloc_const_cpuset_t bind,
                        hwloc_const_cpuset_t last)
{
    int i = cr_obj_containing(t, type, bind);
    return i >= 0 ? i : cr_obj_containing(t, type, last);
}

cr_status_t cr_place_from_cpuset(hwloc_topology_t t, hwloc_const_cpuset_t bind,
                                 hwloc_const_cpuset_t last, cr_place_t *out)
{
    hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(t);
    int ncores = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
    int npus = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU);

    if (bind == NULL || allowed == NULL) {
        cr_error_at(__FILE__, __LINE__, "no binding or allowed cpuset to place the rank");
        return CR_ERR_TOPO;
    }
    out->package = cr_obj_index(t, HWLOC_OBJ_PACKAGE, bind, last);
    out->numa = cr_obj_index(t, HWLOC_OBJ_NUMANODE, bind, last);
    out->core = cr_obj_index(t, HWLOC_OBJ_CORE, bind, last);
    out->pu = cr_obj_index(t, HWLOC_OBJ_PU, bind, last);
    {
        int len = hwloc_bitmap_list_snprintf(out->cpuset, CR_CPUSET_LEN, bind);
        if (len < 0) {
            cr_error_at(__FILE__, __LINE__, "hwloc_bitmap_list_snprintf failed");
            return CR_ERR_TOPO;
        }
        if (len >= CR_CPUSET_LEN) {
            /* Too fragmented for the fixed-size table gathered from every rank: keep
             * the whole ranges that fit and mark the cut ("0,6,12,...,...") so that no
             * half range ("20" of "204") or open one ("200-") is recorded. */
            char *comma;
            out->cpuset[CR_CPUSET_LEN - 5] = '\0';
            comma = strrchr(out->cpuset, ',');
            strcpy(comma ? comma : out->cpuset, comma ? ",..." : "...");
        }
    }
    out->bound = !hwloc_bitmap_isincluded(allowed, bind);
    out->host_cores = ncores > 0 ? ncores : 0;
    out->host_pus = npus > 0 ? npus : 0;
    return CR_OK;
}

cr_status_t cr_place_self(hwloc_topology_t t, int rank, cr_place_t *out)
{
    char name[MPI_MAX_PROCESSOR_NAME];
    cr_place_t me = { .rank = rank, .node_index = -1, .local_rank = -1 };
    hwloc_bitmap_t bind, last;
    cr_status_t st = CR_OK;
    int len = 0;

    CR_CHECK(CR_MPI(MPI_Get_processor_name(name, &len)));
    snprintf(me.host, sizeof me.host, "%.*s", len, name);
    bind = hwloc_bitmap_alloc();
    CR_CHECK_ALLOC(bind, sizeof(void *));
    last = hwloc_bitmap_alloc();
    if (last == NULL) {
        cr_error_at(__FILE__, __LINE__, "hwloc_bitmap_alloc failed");
        st = CR_ERR_NOMEM;
        goto out_with_bind;
    }
    if (hwloc_get_cpubind(t, bind, 0) != 0 && hwloc_get_cpubind(t, bind, HWLOC_CPUBIND_THREAD) != 0) {
        cr_error_at(__FILE__, __LINE__, "hwloc_get_cpubind failed: cannot read this rank's binding");
        st = CR_ERR_TOPO;
        goto out_with_last;
    }
    if (hwloc_get_last_cpu_location(t, last, HWLOC_CPUBIND_THREAD) != 0)
        hwloc_bitmap_zero(last);  /* unknown: only the binding places the rank */
    CR_CHECK_GOTO(cr_place_from_cpuset(t, bind, last, &me), st, out_with_last);
    *out = me;
out_with_last:
    hwloc_bitmap_free(last);
out_with_bind:
    hwloc_bitmap_free(bind);
    return st;
}

/* Nodes the launcher gave this job step (Slurm's environment); 0 when it says none. */
static int cr_place_launcher_nodes(const char **var)
{
    static const char *const vars[] = {"SLURM_STEP_NUM_NODES", "SLURM_NNODES",
                                       "SLURM_JOB_NUM_NODES", NULL};
    for (int i = 0; vars[i] != NULL; i++) {
        const char *v = getenv(vars[i]);
        char *end;
        long n = v ? strtol(v, &end, 10) : 0;
        if (v && end != v && *end == '\0' && n > 0 && n < 1L << 30) {
            *var = vars[i];
            return (int)n;
        }
    }
    return 0;
}

cr_status_t cr_place_gather(MPI_Comm world, hwloc_topology_t t, cr_place_t **out, int *n,
                            int *nodes, int *ppn)
{
    cr_place_t me, *all;
    int rank, size;
    cr_status_t st;

    CR_CHECK(CR_MPI(MPI_Comm_rank(world, &rank)));
    CR_CHECK(CR_MPI(MPI_Comm_size(world, &size)));
    st = cr_place_self(t, rank, &me);
    all = st == CR_OK ? calloc((size_t)size, sizeof *all) : NULL;
    if (st == CR_OK && all == NULL) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate %zu bytes", (size_t)size * sizeof *all);
        st = CR_ERR_NOMEM;
    }
    /* A rank that failed here still agrees with the others before the gather. */
    CR_CHECK_GOTO(cr_mpi_agree(world, st), st, out_with_all);
    CR_CHECK_GOTO(CR_MPI(MPI_Allgather(&me, (int)sizeof me, MPI_BYTE, all, (int)sizeof me,
                                       MPI_BYTE, world)), st, out_with_all);
    CR_CHECK_GOTO(cr_place_derive(all, size, nodes, ppn), st, out_with_all);
    if (rank == 0) {
        const char *var = NULL;
        int said = cr_place_launcher_nodes(&var);
        if (said > *nodes)
            cr_warn("the launcher says %d nodes (%s) but the ranks report %d distinct "
                    "processor name%s (MPI_Get_processor_name): results say nodes=%d and no "
                    "level spans nodes; are these nodes sharing one hostname?",
                    said, var, *nodes, *nodes == 1 ? "" : "s", *nodes);
    }
    *out = all;
    *n = size;
    return CR_OK;
out_with_all:
    free(all);
    return st;
}

/* Rank 0 cannot take its part in a collective the others are already in: abort. */
static void *cr_root_alloc(MPI_Comm world, size_t bytes)
{
    void *p = calloc(1, bytes ? bytes : 1);
    if (p == NULL) {
        cr_error("cannot allocate %zu bytes for a gather on rank 0; aborting", bytes);
        MPI_Abort(world, 1);
    }
    return p;
}

cr_status_t cr_place_gather_json(MPI_Comm world, const cr_place_t *pl, int n,
                                 const json_t *mine, json_t **all)
{
    char *text = NULL, *buf = NULL;
    int rank, len = 0, *lens = NULL, *offs = NULL, total = 0;
    json_t *arr = NULL;
    cr_status_t st = CR_OK;

    CR_CHECK(CR_MPI(MPI_Comm_rank(world, &rank)));
    if (rank < n && pl[rank].local_rank == 0 && mine) {
        text = json_dumps(mine, JSON_COMPACT);
        if (text == NULL) {
            cr_error_at(__FILE__, __LINE__, "json_dumps failed; this host's entry is left out");
        } else {
            len = (int)strlen(text) + 1;
        }
    }
    if (rank == 0) {
        lens = cr_root_alloc(world, (size_t)n * sizeof *lens);
        offs = cr_root_alloc(world, (size_t)n * sizeof *offs);
    }
    CR_CHECK_GOTO(CR_MPI(MPI_Gather(&len, 1, MPI_INT, lens, 1, MPI_INT, 0, world)), st, out);
    if (rank == 0) {
        for (int i = 0; i < n; i++) {
            offs[i] = total;
            total += lens[i];
        }
        buf = cr_root_alloc(world, (size_t)total + 1);
    }
    CR_CHECK_GOTO(CR_MPI(MPI_Gatherv(text ? text : "", len, MPI_CHAR, buf, lens, offs, MPI_CHAR,
                                     0, world)), st, out);
    if (rank != 0)
        goto out;
    arr = json_array();
    if (arr == NULL) {
        cr_error_at(__FILE__, __LINE__, "json_array failed");
        st = CR_ERR_NOMEM;
        goto out;
    }
    for (int i = 0; i < n; i++) {
        json_error_t jerr;
        json_t *o;
        if (lens[i] == 0)
            continue;
        o = json_loads(buf + offs[i], 0, &jerr);
        if (o == NULL || json_array_append_new(arr, o) != 0) {
            cr_error_at(__FILE__, __LINE__, "bad JSON from rank %d: %s", i, o ? "append" : jerr.text);
            json_decref(arr);
            st = CR_ERR_INTERNAL;
            goto out;
        }
    }
    *all = arr;
out:
    free(buf);
    free(offs);
    free(lens);
    free(text);
    if (st == CR_OK && rank != 0)
        *all = NULL;
    return st;
}
