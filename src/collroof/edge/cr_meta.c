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
                     t->declared_us, "overhead_us", t->overhead_us, "options", cr_opts_to_json(o),
                     "environment", cr_meta_environment());
    if (!meta) cr_error("cannot build the run metadata (JSON)");
    return meta;
}
