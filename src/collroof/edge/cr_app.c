#include "config.h"

#include "cr_app.h"
#include "cr_status.h"
#include "cr_watchdog.h"

#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cr_ceil.h"
#include "cr_harness.h"
#include "cr_level_ctx.h"
#include "cr_levels.h"
#include "cr_mem.h"
#include "cr_meta.h"
#include "cr_mpi.h"
#include "cr_fs.h"
#include "cr_place.h"
#include "cr_resume.h"
#include "cr_schema.h"
#include "cr_sizes.h"
#include "cr_topo.h"
#include "cr_workload_run.h"

#define CR_ERRLEN 1400

/* The collectives to run, resolved against the registry. */
typedef struct cr_plan {
    const cr_coll_ops_t *colls[CR_MAX_LIST * 2];
    int ncolls;
    const cr_dtype_t *dt;
} cr_plan_t;

/* The communicators of the sweep, by where a collective runs (ops->on): the
 * levels' groups, or one pair of ranks per distance class. */
typedef struct cr_comm_sets {
    const cr_level_ctx_t *ctx[CR_COLL_ON_COUNT];
    int n[CR_COLL_ON_COUNT];
} cr_comm_sets_t;

/* Agree on a status; the lowest failing rank prints its message (once in all). */
static cr_status_t cr_report_first(MPI_Comm world, cr_status_t st, const char *err)
{
    int me, first = 0, mine;
    MPI_Comm_rank(world, &me);
    mine = st != CR_OK ? me : INT_MAX;
    if (MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, world) != MPI_SUCCESS) {
        cr_error("MPI_Allreduce failed while the ranks agreed on a status; aborting");
        MPI_Abort(world, CR_EXIT_RUNTIME);
    }
    if (first == INT_MAX) return CR_OK;
    if (first == me) fprintf(stderr, "collroof: error: %s\n", err);
    return cr_mpi_agree(world, st == CR_OK ? CR_ERR_INVAL : st);
}

/* Adds ops once: `-c all,allreduce` or a name given twice measures it once. */
static void cr_plan_add(cr_plan_t *plan, const cr_coll_ops_t *ops)
{
    for (int i = 0; i < plan->ncolls; i++)
        if (plan->colls[i] == ops) return;
    if (plan->ncolls < (int)(sizeof plan->colls / sizeof *plan->colls))
        plan->colls[plan->ncolls++] = ops;
}

static cr_status_t cr_plan_resolve(const cr_opts_t *o, int wsize, cr_plan_t *plan, char *err,
                                   size_t len)
{
    int skewed = 0;
    memset(plan, 0, sizeof *plan);
    plan->dt = cr_dtype_find(o->dtype);
    for (int i = 0; i < o->ncolls; i++) {
        if (strcmp(o->colls[i], "all") == 0) {  /* not the probes, skewed or named-only */
            for (int k = 0; cr_coll_registry[k]; k++)
                if (cr_coll_in_all(cr_coll_registry[k])) cr_plan_add(plan, cr_coll_registry[k]);
            continue;
        }
        const cr_coll_ops_t *ops = cr_coll_find(o->colls[i]);
        if (!ops) {
            char known[512];
            snprintf(err, len, "unknown collective '%s': expected all, %s", o->colls[i],
                     cr_coll_names(known, sizeof known));
            return CR_ERR_INVAL;
        }
        cr_plan_add(plan, ops);
    }
    for (int i = 0; i < plan->ncolls; i++) skewed |= plan->colls[i]->skewed;
    if (o->skew_given && !skewed) {
        snprintf(err, len, "--skew %s (seed %llu) routes alltoallv only, which the collectives "
                 "asked for do not include ('all' leaves it out): add alltoallv to -c",
                 o->skew.spec, (unsigned long long)o->skew.seed);
        return CR_ERR_INVAL;
    }
    if (skewed && cr_skew_fits(&o->skew, wsize, err, len) != 0) return CR_ERR_INVAL;
    for (int i = 0; i < plan->ncolls; i++)
        if (plan->colls[i]->reduction && !plan->dt->reducible) {
            snprintf(err, len, "--dtype %s cannot be summed by %s: expected float, double, int32 or int64",
                     plan->dt->name, plan->colls[i]->name);
            return CR_ERR_INVAL;
        }
    return CR_OK;
}

/* Refuse sizes that cannot fit before allocating anything: the largest need of a
 * rank times the ranks of its host against what this rank may allocate (MemAvailable
 * or a cgroup limit, which the ranks of the host in that cgroup share). */
static cr_status_t cr_check_memory(const cr_run_t *run, const cr_plan_t *plan, int local_ranks,
                                   char *err, size_t len)
{
    size_t need = 0, avail;
    uint64_t worst_size = 0;
    const char *worst = "";
    cr_memlimit_t lim;
    cr_mem_limit(&lim);
    avail = lim.avail > (uint64_t)SIZE_MAX ? SIZE_MAX : (size_t)lim.avail;
    for (int i = 0; i < plan->ncolls; i++)
        for (size_t k = 0; k < run->o->nsizes; k++) {
            int p = cr_coll_max_ranks(plan->colls[i], run->wsize);
            size_t b = cr_harness_bytes_needed(run, plan->colls[i], plan->dt, run->o->sizes[k], p);
            if (b > need) {
                need = b;
                worst = plan->colls[i]->name;
                worst_size = run->o->sizes[k];
            }
        }
    if (avail && (double)need * local_ranks > 0.9 * (double)avail) {
        char sz[32];
        snprintf(err, len,
                 "size %s of %s needs %zu bytes (%.1f GiB) per rank%s, %.0f bytes (%.1f GiB) for "
                 "the %d ranks of this host, but only %zu bytes (%.1f GiB) are available "
                 "(%s%s): lower the largest size (-m)%s",
                 cr_size_format(worst_size, sz, sizeof sz), worst, need, need / 1073741824.0,
                 run->o->cold_cache ? " with its --cold-cache pools" : "",
                 (double)need * local_ranks, (double)need * local_ranks / 1073741824.0,
                 local_ranks, avail, avail / 1073741824.0, lim.source,
                 lim.cgroup ? "; a limit shared by the ranks of this host in that cgroup" : "",
                 lim.cgroup ? " or ask the batch system for more memory (Slurm: --mem)" : "");
        return CR_ERR_NOMEM;
    }
    return CR_OK;
}

/* The setup phases after MPI_Init, timed on every rank (COLLROOF_SETUP_TIMING=1). */
enum { CR_PH_TOPO_LOAD, CR_PH_PLACE, CR_PH_MEMORY, CR_PH_TOPO, CR_PH_CEIL, CR_PH_OUTPUTS,
       CR_PH_COLOUR, CR_PH_SPLIT, CR_PH_PAIRS, CR_PH_PAIR_SPLIT, CR_PH_COUNT };
static const char *const cr_ph_name[CR_PH_COUNT] = {
    "topology-load", "placement-gather", "memory-check", "topology-gather", "ceilings",
    "outputs", "level-colouring", "level-splits", "probe-pairs", "probe-pair-splits" };

/* Seconds since *t0 into ph[i]; *t0 = now. */
static void cr_ph_mark(double *ph, int i, double *t0)
{
    double now = MPI_Wtime();
    ph[i] += now - *t0;
    *t0 = now;
}

/* Max over ranks of each phase (collective); rank 0 prints them when
 * COLLROOF_SETUP_TIMING is set: "collroof: setup PHASE SECONDS" lines, then the total. */
static void cr_ph_report(MPI_Comm world, int me, int size, const double *ph)
{
    double mx[CR_PH_COUNT + 1], mine[CR_PH_COUNT + 1] = { 0 };
    const char *env = getenv("COLLROOF_SETUP_TIMING");
    for (int i = 0; i < CR_PH_COUNT; i++) {
        mine[i] = ph[i];
        mine[CR_PH_COUNT] += ph[i];
    }
    if (MPI_Reduce(mine, mx, CR_PH_COUNT + 1, MPI_DOUBLE, MPI_MAX, 0, world) != MPI_SUCCESS ||
        me != 0 || !env || !env[0] || strcmp(env, "0") == 0)
        return;
    fprintf(stderr, "collroof: setup timing: seconds, max over %d ranks, MPI_Init excluded\n", size);
    for (int i = 0; i <= CR_PH_COUNT; i++)
        fprintf(stderr, "collroof: setup %-18s %.6f\n", i < CR_PH_COUNT ? cr_ph_name[i] : "total",
                mx[i]);
}

/* results.csv's header as this collroof writes it. */
static void cr_csv_header(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cr_schema_n && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", cr_schema[i].name);
}

/* Rank 0 reads what DIR holds; every rank gets the metadata and the kept rows. */
static cr_status_t cr_resume_share(MPI_Comm world, int me, const char *dir, cr_resume_t *rs)
{
    char err[CR_ERRLEN] = "", header[4096], *meta = NULL, *keys = NULL, *blob = NULL;
    long n[2] = {0, 0};
    cr_status_t st = CR_OK;
    if (me == 0) {
        cr_csv_header(header, sizeof header);
        st = cr_resume_read(dir, header, rs, err, sizeof err);
        if (st == CR_OK) {
            meta = json_dumps(rs->meta, JSON_COMPACT);
            keys = cr_resume_keys_text(rs);
            if (!meta || !keys) st = CR_ERR_NOMEM;
            else {
                n[0] = (long)strlen(meta) + 1;
                n[1] = (long)strlen(keys) + 1;
            }
        }
    }
    if (cr_report_first(world, st, err) != CR_OK) goto out;
    MPI_Bcast(n, 2, MPI_LONG, 0, world);
    if (me != 0) {
        meta = malloc((size_t)n[0]);
        keys = malloc((size_t)n[1]);
    }
    st = meta && keys ? CR_OK : CR_ERR_NOMEM;
    if ((st = cr_mpi_agree(world, st)) != CR_OK) goto out;
    if (MPI_Bcast(meta, (int)n[0], MPI_CHAR, 0, world) != MPI_SUCCESS ||
        MPI_Bcast(keys, (int)n[1], MPI_CHAR, 0, world) != MPI_SUCCESS) {
        st = CR_ERR_MPI;
        goto out;
    }
    if (me != 0) {
        json_error_t je;
        rs->meta = json_loads(meta, 0, &je);
        st = rs->meta ? cr_resume_keys_parse(keys, rs) : CR_ERR_INVAL;
    }
    st = cr_mpi_agree(world, st);
out:
    free(blob);
    free(meta);
    free(keys);
    return st;
}

/* --resume: the run's options (its recorded command line, with the options given now
 * on top: they must agree), its run id and directory. Identical on every rank. */
static cr_status_t cr_resume_options(const cr_resume_t *rs, int argc, char **argv, long start,
                                     cr_opts_t *o, char *err, size_t len)
{
    const char *rid = json_string_value(json_object_get(rs->meta, "run_id"));
    json_t *cmd = json_object_get(rs->meta, "command_line"), *mine, *was;
    if (!rid || strlen(rid) >= sizeof o->run_id) {
        snprintf(err, len, "--resume %s: the run's metadata has no usable run_id", o->resume);
        return CR_ERR_INVAL;
    }
    if (o->run_id_given && strcmp(o->run_id, rid) != 0) {
        snprintf(err, len, "--resume %s: --run-id %s, but the run's id is %s", o->resume,
                 o->run_id, rid);
        return CR_ERR_INVAL;
    }
    { /* the interrupted run's options as it recorded them, with those given on top */
        size_t n = json_array_size(cmd);
        char **av = calloc(n + 1, sizeof *av);
        cr_opts_t rec;
        cr_status_t st;
        CR_CHECK_ALLOC(av, (n + 1) * sizeof *av);
        for (size_t i = 0; i < n; i++) av[i] = (char *)json_string_value(json_array_get(cmd, i));
        for (size_t i = 0; i < n; i++)
            if (!av[i]) n = 0;
        st = n ? cr_opts_parse((int)n, av, start, &rec, err, len) : CR_ERR_INVAL;
        free(av);
        if (st != CR_OK) {
            char why[600];
            snprintf(why, sizeof why, "%s", n ? err : "no command line");
            snprintf(err, len, "--resume %.600s: the run's recorded command line does not parse "
                     "here (%s)", o->resume, why);
            return CR_ERR_INVAL;
        }
        if (cr_opts_overlay(argc, argv, &rec, err, len) != CR_OK) {
            cr_opts_free(&rec);
            return CR_ERR_INVAL;
        }
        cr_opts_free(o);
        *o = rec;
    }
    snprintf(o->outdir, sizeof o->outdir, "%s", o->resume);
    snprintf(o->run_id, sizeof o->run_id, "%s", rid);
    /* The options must be the run's: shapes of the job are compared once placed. */
    mine = cr_opts_to_json(o);
    was = json_object_get(rs->meta, "options");
    if (!mine || !json_equal(mine, was)) {
        char diff[700];
        cr_resume_compare(rs, mine, 0, 0, 0, NULL, diff, sizeof diff);
        /* only the options' part: the job's shape is not known yet */
        snprintf(err, len, "--resume %.600s: the options differ from the run's (%s): give the run's "
                 "options, or none", o->resume, diff);
        json_decref(mine);
        return CR_ERR_INVAL;
    }
    json_decref(mine);
    return CR_OK;
}

/* The watchdog's progress board: a slot per rank of each host in a shared window
 * (cr_watch_board). Every rank or none has one; without it the watchdog still ends
 * the job, naming no ranks. */
static void cr_board_open(MPI_Comm world, const char *hostname, MPI_Comm *host, MPI_Win *win)
{
    int me = 0, n = 0, wr, ok, all = 0, du;
    int *ranks = NULL;
    long *slots = NULL, *mine = NULL;
    MPI_Aint sz;
    *host = MPI_COMM_NULL;
    *win = MPI_WIN_NULL;
    ok = MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, host) == MPI_SUCCESS;
    if (ok) {
        MPI_Comm_rank(*host, &me);
        MPI_Comm_size(*host, &n);
        ok = MPI_Win_allocate_shared(me == 0 ? (MPI_Aint)(n * sizeof(long)) : 0, sizeof(long),
                                     MPI_INFO_NULL, *host, &mine, win) == MPI_SUCCESS &&
             MPI_Win_shared_query(*win, 0, &sz, &du, &slots) == MPI_SUCCESS && slots &&
             (ranks = malloc((size_t)n * sizeof *ranks)) != NULL;
    }
    MPI_Comm_rank(world, &wr);
    if (ok && me == 0) memset(slots, 0, (size_t)n * sizeof *slots);
    if (ok) ok = MPI_Allgather(&wr, 1, MPI_INT, ranks, 1, MPI_INT, *host) == MPI_SUCCESS;
    if (MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, world) == MPI_SUCCESS && all)
        cr_watch_board(slots, n, me, ranks, hostname);
    else {
        if (*win != MPI_WIN_NULL) MPI_Win_free(win);
        if (*host != MPI_COMM_NULL) MPI_Comm_free(host);
    }
    free(ranks);
}

/* Rank 0: create the run directory, placement.csv and the writers. */
static cr_status_t cr_open_outputs(cr_run_t *run, json_t *meta, const cr_place_t *pl, char *err,
                                   size_t len)
{
    char path[1100];
    FILE *fp;
    int wl = run->o->workload[0] != '\0';   /* a replay: workload.csv and .jsonl instead */
    const cr_writer_ops_t *files[] = {wl ? &cr_writer_wl_csv : &cr_writer_csv,
                                      wl ? &cr_writer_wl_jsonl : &cr_writer_jsonl};

    if (run->resume) {   /* the run's own files, cut to their whole rows, appended to */
        char diff[700];
        if (cr_resume_compare(run->resume, json_object_get(meta, "options"), run->wsize,
                              run->nodes, run->ppn, json_object_get(meta, "hosts"), diff,
                              sizeof diff) != 0) {
            snprintf(err, len, "--resume %.500s: this job is not the run's (%s): resume with "
                     "the same ranks on the same hosts, or start a new run", run->o->resume, diff);
            return CR_ERR_INVAL;
        }
        CR_CHECK(cr_resume_truncate(run->resume, run->o->outdir, err, len));
    }
    CR_CHECK(cr_mkdir_p(run->o->outdir, err, len));
    for (int i = 0; i < 2 && !run->o->overwrite && !run->resume; i++) {
        snprintf(path, sizeof path, "%s/%s", run->o->outdir, files[i]->file);
        if (access(path, F_OK) == 0) {
            snprintf(err, len, "'%s' already holds %s from an earlier run: choose another -o, "
                     "or --overwrite to replace it", run->o->outdir, files[i]->file);
            return CR_ERR_IO;
        }
    }
    snprintf(path, sizeof path, "%s/placement.csv", run->o->outdir);
    fp = run->resume ? NULL : cr_fs_create(path, run->o->overwrite, err, len);
    if (run->resume) goto writers; /* the same hosts: the run's placement.csv stands */
    if (!fp) return CR_ERR_IO;
    if (cr_place_write_csv(fp, pl, run->wsize) != CR_OK) {
        snprintf(err, len, "cannot write %s: %s", path, strerror(errno));
        fclose(fp);
        return CR_ERR_IO;
    }
    if (fclose(fp) != 0) {
        snprintf(err, len, "cannot write %s: %s", path, strerror(errno));
        return CR_ERR_IO;
    }
writers:
    for (int i = 0; i < 2; i++) {
        run->writers[i].raw = run->o->raw;
        run->writers[i].replace = run->o->overwrite;
        run->writers[i].append = run->resume != NULL;
        if (cr_writer_open(&run->writers[i], files[i], run->o->outdir, NULL, meta) != CR_OK) {
            err[0] = '\0';  /* cr_writer_open said what failed */
            return CR_ERR_IO;
        }
        run->nwriters++;
    }
    if (!run->o->quiet) {
        if (cr_writer_open(&run->writers[run->nwriters], wl ? &cr_writer_wl_table : &cr_writer_table,
                           NULL, stdout, NULL) != CR_OK)
            return CR_ERR_IO;
        run->nwriters++;
    }
    return CR_OK;
}

/* Cadence cad of collective ops is measured: asked for, and an overlap cadence
 * only where the collective has a nonblocking call. */
static int cr_cadence_runs(const cr_opts_t *o, const cr_coll_ops_t *ops, cr_cadence_t cad)
{
    return o->cadence[cad] && (ops->irun || !cr_cadence_is_overlap(cad));
}

static int cr_count_measurements(const cr_run_t *run, const cr_plan_t *plan,
                                 const cr_comm_sets_t *cs)
{
    int n = 0;
    for (int i = 0; i < plan->ncolls; i++)
        for (int cad = 0; cad < CR_CADENCE_COUNT; cad++)
            if (cr_cadence_runs(run->o, plan->colls[i], (cr_cadence_t)cad))
                n += cs->n[plan->colls[i]->on] * (int)run->o->nsizes;
    return n;
}

/* Communicators × collectives × cadences × sizes. */
static cr_status_t cr_sweep(cr_run_t *run, const cr_plan_t *plan, const cr_comm_sets_t *cs)
{
    const cr_opts_t *o = run->o;
    run->total = cr_count_measurements(run, plan, cs);
    for (int c = 0; c < plan->ncolls; c++) {
        const cr_coll_ops_t *ops = plan->colls[c];
        const cr_level_ctx_t *set = cs->ctx[ops->on];
        int nset = cs->n[ops->on];
        if (!ops->irun && (o->cadence[CR_CADENCE_OVERLAP] || o->cadence[CR_CADENCE_OVERLAP_TEST]) &&
            run->wrank == 0)
            cr_warn("--cadence overlap/overlap_test: %s has no nonblocking call; it gets no "
                    "overlap rows", ops->name);
        for (int l = 0; l < nset; l++)
            for (int cad = 0; cad < CR_CADENCE_COUNT; cad++) {
                if (!cr_cadence_runs(o, ops, (cr_cadence_t)cad)) continue;
                for (size_t k = 0; k < o->nsizes; k++) {
                    cr_status_t st = cr_harness_measure(run, &set[l], ops, plan->dt, o->sizes[k],
                                                        (cr_cadence_t)cad);
                    if (st == CR_ERR_MPI) MPI_Abort(run->world, CR_EXIT_RUNTIME);
                    CR_CHECK(cr_mpi_agree(run->world, st));
                }
            }
    }
    return CR_OK;
}

static json_t *cr_build_meta(const cr_run_t *run, int argc, char **argv, long start,
                             const cr_place_t *pl, json_t *topo, json_t *ceil, json_t *energy,
                             json_t *wire, const cr_workload_t *wl, const char *wl_text)
{
    json_t *meta = cr_meta_build(run->o, argc, argv, start, &run->timer, run->wsize, run->nodes,
                                 run->ppn);
    json_t *hosts = json_array();
    if (!meta) return NULL;
    for (int i = 0; i < run->wsize; i++)
        if (pl[i].local_rank == 0) json_array_append_new(hosts, json_string(pl[i].host));
    json_object_set_new(meta, "hosts", hosts);
    json_object_set_new(meta, "placement", cr_place_to_json(pl, run->wsize));
    json_object_set(meta, "topology", topo ? topo : json_null());
    json_object_set(meta, "ceilings", ceil ? ceil : json_object());
    json_object_set(meta, "energy", energy ? energy : json_null());
    json_object_set(meta, "wire", wire ? wire : json_null());
    if (wl)   /* the replayed file itself, so that the run says what it measured */
        json_object_set_new(meta, "workload", json_pack("{s:s,s:s,s:i,s:s}", "path", wl->path,
                                                        "name", wl->name, "tp", wl->tp, "text",
                                                        wl_text));
    return meta;
}

static void cr_warn_placement(const cr_place_t *pl, int n)
{
    char msgs[8][CR_WARN_LEN];
    int k = cr_place_warnings(pl, n, msgs, 8);
    for (int i = 0; i < k && i < 8; i++) cr_warn("%s", msgs[i]);
}

int cr_app_run(MPI_Comm world, int argc, char **argv)
{
    cr_opts_t o;
    cr_run_t run = {0};
    cr_plan_t plan;
    hwloc_topology_t topo = NULL;
    cr_place_t *pl = NULL;
    cr_resume_t resume = {0};
    MPI_Comm board_comm = MPI_COMM_NULL;
    MPI_Win board = MPI_WIN_NULL;
    cr_level_ctx_t *lv = NULL, *pairs = NULL;
    int nlv = 0, npairs = 0, npl = 0, ret = CR_EXIT_RUNTIME;
    char err[CR_ERRLEN] = "", host[MPI_MAX_PROCESSOR_NAME] = "?";
    json_t *meta = NULL, *ceil = NULL, *topo_json = NULL, *energy_json = NULL, *wire_json = NULL;
    cr_energy_t energy;
    cr_wire_t wire;
    long start = (long)time(NULL);
    cr_status_t st;
    int hlen = 0;
    double ph[CR_PH_COUNT] = { 0 }, t0;  /* s per setup phase, this rank */
    cr_level_times_t lt = { 0 };
    cr_workload_t *wl = NULL;
    char *wl_text = NULL;

    MPI_Comm_rank(world, &run.wrank);
    MPI_Comm_size(world, &run.wsize);
    MPI_Get_processor_name(host, &hlen);
    cr_log_set_prefix("collroof", host, run.wrank);
    MPI_Comm_set_errhandler(world, MPI_ERRORS_RETURN);
    MPI_Bcast(&start, 1, MPI_LONG, 0, world); /* one default run id and directory */

    /* Options: parsed identically everywhere; rank 0 alone reports. */
    st = cr_opts_parse(argc, argv, start, &o, err, sizeof err);
    if (st != CR_OK) {
        if (run.wrank == 0) fprintf(stderr, "collroof: error: %s\n", err);
        return CR_EXIT_USAGE;
    }
    if (!o.workload[0] && cr_plan_resolve(&o, run.wsize, &plan, err, sizeof err) != CR_OK) {
        if (run.wrank == 0) fprintf(stderr, "collroof: error: %s\n", err);
        cr_opts_free(&o);
        return CR_EXIT_USAGE;
    }
    if (o.resume[0] && !o.help && !o.version) {
        char wpath[1100];
        snprintf(wpath, sizeof wpath, "%s/workload.csv", o.resume);
        if (access(wpath, F_OK) == 0) {   /* every rank sees it, or rank 0's message stands */
            if (run.wrank == 0)
                fprintf(stderr, "collroof: error: --resume %s: the directory holds a workload "
                        "replay (workload.csv), which is not resumed: run it again with "
                        "--workload\n", o.resume);
            cr_opts_free(&o);
            return CR_EXIT_USAGE;
        }
        if (cr_resume_share(world, run.wrank, o.resume, &resume) != CR_OK) {
            cr_opts_free(&o);
            return CR_EXIT_USAGE;
        }
        st = cr_resume_options(&resume, argc, argv, start, &o, err, sizeof err);
        if (st != CR_OK || cr_plan_resolve(&o, run.wsize, &plan, err, sizeof err) != CR_OK) {
            if (run.wrank == 0) fprintf(stderr, "collroof: error: %s\n", err);
            cr_resume_free(&resume);
            cr_opts_free(&o);
            return CR_EXIT_USAGE;
        }
        run.resume = &resume;
        run.kept = run.rows = (int)resume.nkeys;
    }
    if (o.help || o.version) {
        if (run.wrank == 0) {
            if (o.help) cr_opts_usage(stdout);
            else printf("collroof %s\n", PACKAGE_VERSION);
        }
        cr_opts_free(&o);
        return CR_EXIT_OK;
    }
    if (o.workload[0] && cr_workload_load(world, &o, &wl, &wl_text) != CR_OK) {
        cr_opts_free(&o);
        return CR_EXIT_USAGE;   /* rank 0 said why; nothing was written */
    }
    run.o = &o;
    run.world = world;
    run.progress = run.wrank == 0 && (o.progress || isatty(STDERR_FILENO));
    run.inject_fault = getenv("COLLROOF_INJECT_FAULT") ? atoi(getenv("COLLROOF_INJECT_FAULT")) : -1;
    run.inject_stall = getenv("COLLROOF_INJECT_STALL") ? atoi(getenv("COLLROOF_INJECT_STALL")) : -1;
    run.max_count = getenv("COLLROOF_MAX_COUNT") ? strtoul(getenv("COLLROOF_MAX_COUNT"), NULL, 10) : 0;

    /* Topology and placement (collective: every rank loads its host's topology). */
    t0 = MPI_Wtime();
    if (cr_mpi_agree(world, cr_topo_load(&topo)) != CR_OK) goto out_with_topo;
    cr_ph_mark(ph, CR_PH_TOPO_LOAD, &t0);
    CR_CHECK_GOTO(cr_mpi_agree(world, cr_place_gather(world, topo, &pl, &npl, &run.nodes, &run.ppn)),
                  st, out_with_topo);
    cr_ph_mark(ph, CR_PH_PLACE, &t0);
    run.llc_bytes = cr_topo_llc_bytes(topo);
    cr_timer_init(&run.timer, o.timer);

    /* Memory, then the output directory: refused before anything is allocated. */
    st = cr_mem_policy_check(&o, err, sizeof err);
    if (st == CR_OK && !wl) st = cr_check_memory(&run, &plan, run.ppn, err, sizeof err);
    if (cr_report_first(world, st, err) != CR_OK) {
        ret = CR_EXIT_USAGE; /* the options asked for what this machine cannot give */
        goto out_with_place;
    }
    if (wl && cr_workload_check(&run, wl, pl) != CR_OK) {
        ret = CR_EXIT_USAGE; /* the file asked for what this job cannot give */
        goto out_with_place;
    }
    if (run.wrank == 0 && !cr_mem_have_numa() && o.mem != CR_MEM_LOCAL && o.mem != CR_MEM_DEFAULT) {
        char what[32] = "interleave";
        if (o.mem == CR_MEM_NODE) snprintf(what, sizeof what, "node:%d", o.mem_node);
        cr_warn("--mem %s: NUMA is not available on this host (libnuma's numa_available() "
                "fails: a kernel without NUMA, or a container that hides it); buffers get the "
                "plain allocation, recorded as mem=default", what);
    }
    cr_ph_mark(ph, CR_PH_MEMORY, &t0);
    CR_CHECK_GOTO(cr_mpi_agree(world, cr_topo_gather(world, pl, npl, topo, &topo_json)), st,
                  out_with_place);
    cr_ph_mark(ph, CR_PH_TOPO, &t0);
    CR_CHECK_GOTO(cr_mpi_agree(world, cr_ceil_gather(world, pl, npl, topo, o.probe_memory, &ceil)), st,
                  out_with_json);
    if (!wl) {   /* a replay's rows have no energy columns */
        CR_CHECK_GOTO(cr_mpi_agree(world, cr_energy_setup(world, pl, npl, o.time_limit, &energy,
                                                          &energy_json)), st, out_with_json);
        run.energy = &energy;
        CR_CHECK_GOTO(cr_mpi_agree(world, cr_wire_setup(world, pl, npl, o.net_if, &wire,
                                                        &wire_json)), st, out_with_json);
        run.wire = &wire;
    }
    cr_ph_mark(ph, CR_PH_CEIL, &t0);
    if (run.wrank == 0) {
        cr_warn_placement(pl, npl);
        meta = cr_build_meta(&run, argc, argv, start, pl, topo_json, ceil, energy_json,
                             wire_json, wl, wl_text);
        st = meta ? cr_open_outputs(&run, meta, pl, err, sizeof err) : CR_ERR_NOMEM;
        if (st != CR_OK && err[0]) cr_error("%s", err);
        if (st == CR_OK) cr_status_init(o.outdir, start, run.resume ? run.kept : -1);
        if (st == CR_OK && run.resume && resume.dropped)
            cr_warn("--resume %s: %zu line(s) not whole in both results files cut; those "
                    "measurements are taken again", o.resume, resume.dropped);
    }
    if ((st = cr_mpi_agree(world, st)) != CR_OK) {
        if (st == CR_ERR_INVAL) ret = CR_EXIT_USAGE; /* --resume with another job */
        goto out_with_writers;
    }
    if (run.wrank != 0) cr_status_defer_install();
    if (cr_watch_start(o.timeout, run.wrank, &run.rows) != 0 && run.wrank == 0)
        cr_warn("--timeout %g: the watchdog thread could not be started; a hang will not be "
                "ended by collroof", o.timeout);
    if (o.timeout > 0) cr_board_open(world, host, &board_comm, &board);

    cr_ph_mark(ph, CR_PH_OUTPUTS, &t0);
    if (wl) {   /* a replayed step instead of the sweep */
        st = cr_workload_measure(&run, wl, pl);
        if (st == CR_ERR_MPI) MPI_Abort(world, CR_EXIT_RUNTIME);
        if (st == CR_OK) {
            ret = run.failures ? CR_EXIT_INVALID : CR_EXIT_OK;
            if (run.wrank == 0)
                fprintf(o.quiet ? stderr : stdout, "collroof: workload %s: %d rows in "
                        "%s/workload.csv%s\n", wl->name, run.rows, o.outdir,
                        run.failures ? " (some failed validation: see the valid column)" : "");
        }
        goto out_with_writers;
    }
    /* Levels and probe pairs, then the sweep. */
    CR_CHECK_GOTO(cr_mpi_agree(world, cr_levels_setup(world, pl, run.wsize, &o, &lv, &nlv, &lt)), st,
                  out_with_writers);
    ph[CR_PH_COLOUR] = lt.colour;
    ph[CR_PH_SPLIT] = lt.split;
    lt = (cr_level_times_t){ 0 };
    CR_CHECK_GOTO(cr_mpi_agree(world, cr_levels_setup_pairs(world, pl, run.wsize, &pairs, &npairs, &lt)),
                  st, out_with_levels);
    ph[CR_PH_PAIRS] = lt.colour;
    ph[CR_PH_PAIR_SPLIT] = lt.split;
    cr_ph_report(world, run.wrank, run.wsize, ph);
    st = cr_sweep(&run, &plan, &(cr_comm_sets_t){
                      .ctx = { [CR_COLL_ON_LEVELS] = lv, [CR_COLL_ON_PAIRS] = pairs },
                      .n = { [CR_COLL_ON_LEVELS] = nlv, [CR_COLL_ON_PAIRS] = npairs } });
    if (run.wrank == 0 && run.progress) fputs("\r\033[K", stderr);
    if (st == CR_OK) {
        ret = run.failures ? CR_EXIT_INVALID : CR_EXIT_OK;
        if (run.wrank == 0)
            fprintf(o.quiet ? stderr : stdout, "collroof: %d measurements in %s/results.csv%s%s\n",
                    run.rows, o.outdir, run.resume ? " (resumed)" : "",
                    run.failures ? " (some failed validation: see the valid column)" : "");
    }
    cr_levels_free(pairs, npairs);
out_with_levels:
    cr_levels_free(lv, nlv);
out_with_writers:
    cr_watch_stop();
    if (board != MPI_WIN_NULL) MPI_Win_free(&board);
    if (board_comm != MPI_COMM_NULL) MPI_Comm_free(&board_comm);
    for (int i = 0; i < run.nwriters; i++) cr_writer_close(&run.writers[i]);
    if (run.wrank == 0 && run.nwriters)   /* status.json: how the run ended */
        cr_status_final(ret == CR_EXIT_OK ? "complete"
                        : ret == CR_EXIT_INVALID ? "validation failures" : "error",
                        ret, run.rows, NULL, NULL, NULL, 0, 0, 0);
    json_decref(meta);
out_with_json:
    json_decref(wire_json);
    json_decref(energy_json);
    json_decref(ceil);
    json_decref(topo_json);
out_with_place:
    free(pl);
out_with_topo:
    cr_topo_free(topo);
    cr_resume_free(&resume);
    cr_opts_free(&o);
    free(wl);
    free(wl_text);
    return ret;
}
