#include "config.h"

#include "cr_meta.h"

#include <mpi.h>
#include <string.h>
#include <time.h>

#include "cr_error.h"

extern char **environ;

/* What changes MPI's behaviour; MALLOC_ and GLIBC_TUNABLES change how its temporaries
 * are mapped (docs/method.md, "Page faults in the timed loop"). */
static const char *const cr_env_prefixes[] = {"OMPI_", "MPICH_", "UCX_", "SLURM_", "I_MPI_",
                                              "PMIX_", "HYDRA_", "FI_", "NCCL_", "MALLOC_",
                                              "GLIBC_TUNABLES", NULL};

static json_t *cr_meta_environment(void)
{
    json_t *env = json_object();
    for (char **e = environ; env && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        for (int i = 0; cr_env_prefixes[i]; i++) {
            if (strncmp(*e, cr_env_prefixes[i], strlen(cr_env_prefixes[i])) == 0) {
                char key[256];
                size_t len = (size_t)(eq - *e) < sizeof key - 1 ? (size_t)(eq - *e) : sizeof key - 1;
                memcpy(key, *e, len);
                key[len] = '\0';
                json_object_set_new(env, key, json_string(eq + 1));
                break;
            }
        }
    }
    return env;
}

static json_t *cr_meta_options(const cr_opts_t *o)
{
    static const char *const validate[] = {"off", "once", "every"};
    static const char *const mem[] = {"local", "interleave", "node", "default"};
    json_t *colls = json_array(), *levels = json_array(), *sizes = json_array();
    for (int i = 0; i < o->ncolls; i++) json_array_append_new(colls, json_string(o->colls[i]));
    for (int i = 0; i < o->nlevels; i++) json_array_append_new(levels, json_string(o->levels[i]));
    for (size_t i = 0; i < o->nsizes; i++) json_array_append_new(sizes, json_integer((json_int_t)o->sizes[i]));
    return json_pack("{s:o,s:o,s:o,s:s,s:s,s:i,s:f,s:i,s:i,s:f,s:i,s:s,s:b,s:b,s:s,s:s,s:i,"
                     "s:b,s:b,s:b,s:b}",
                     "collectives", colls, "sizes", sizes, "levels", levels, "dtype", o->dtype,
                     "cadence",
                     o->cadence_isolated && o->cadence_streaming ? "both"
                     : o->cadence_streaming                      ? "streaming"
                                                                 : "isolated",
                     "stream_calls", o->stream_calls, "precision", o->precision, "min_iters",
                     o->min_iters, "max_iters", o->max_iters, "time_limit_s", o->time_limit,
                     "warmup", o->warmup, "validate", validate[o->validate], "in_place",
                     o->in_place, "nonblocking", o->nonblocking, "timer",
                     o->timer == CR_TIMER_MPI ? "mpi" : "clock", "mem", mem[o->mem], "mem_node",
                     o->mem_node, "cold_cache", o->cold_cache, "huge_pages", o->huge_pages,
                     "probe_memory", o->probe_memory, "raw", o->raw);
}

json_t *cr_meta_build(const cr_opts_t *o, int argc, char **argv, long start,
                      const cr_timer_t *t, int ranks, int nodes, int ppn)
{
    char lib[MPI_MAX_LIBRARY_VERSION_STRING], when[32], ver[16];
    int len = 0, v = 0, sv = 0;
    time_t now = (time_t)start;
    struct tm tm;
    json_t *cmd = json_array(), *meta;

    MPI_Get_library_version(lib, &len);
    lib[len > 0 && lib[len - 1] == '\n' ? len - 1 : len] = '\0';
    MPI_Get_version(&v, &sv);
    snprintf(ver, sizeof ver, "%d.%d", v, sv);
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    for (int i = 0; cmd && i < argc; i++) json_array_append_new(cmd, json_string(argv[i]));
    meta = json_pack("{s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:{s:s,s:f,s:f,s:f},s:o,s:o}",
                     "tool", PACKAGE_NAME, "version", PACKAGE_VERSION, "command_line", cmd,
                     "mpi_library", lib, "mpi_version", ver, "start_time", when, "run_id",
                     o->run_id, "ranks", ranks, "nodes", nodes, "ppn", ppn, "timer", "source",
                     t->source, "resolution_us", t->resolution_us, "declared_resolution_us",
                     t->declared_us, "overhead_us", t->overhead_us, "options", cr_meta_options(o),
                     "environment", cr_meta_environment());
    if (!meta) cr_error("cannot build the run metadata (JSON)");
    return meta;
}
