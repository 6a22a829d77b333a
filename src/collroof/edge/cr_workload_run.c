/* Replay of a training step. Every rank runs every call line on its group of the
 * line's communicator (each rank belongs to exactly one group of each), so one
 * sample is: a barrier over the world, the whole sequence, the max over ranks of
 * each rank's step time, and of each call's time inside it (gaps excluded). The
 * stopping rule is the sweep's (cr_harness.c), on the step samples. */
#include "config.h"

#include "cr_workload_run.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_kernel.h"
#include "cr_mem.h"
#include "cr_mpi.h"
#include "cr_sizes.h"
#include "cr_stats.h"
#include "cr_watchdog.h"
#include "cr_wl_schema.h"

#define CR_WL_FIRST_BATCH 8      /* as the sweep's sampler */
#define CR_WL_MAX_BATCH 4096
#define CR_WL_ERRLEN 1400

/* Agree on a status; the lowest failing rank prints its message (once in all). */
static cr_status_t cr_wl_report(MPI_Comm world, cr_status_t st, const char *err)
{
    int me, first = INT_MAX, mine;
    MPI_Comm_rank(world, &me);
    mine = st != CR_OK ? me : INT_MAX;
    if (MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, world) != MPI_SUCCESS) {
        cr_error("MPI_Allreduce failed while the ranks agreed on a status; aborting");
        MPI_Abort(world, 1);
    }
    if (first == INT_MAX) return CR_OK;
    if (first == me && err[0]) fprintf(stderr, "collroof: error: %s\n", err);
    return cr_mpi_agree(world, st == CR_OK ? CR_ERR_INVAL : st);
}

cr_status_t cr_workload_load(MPI_Comm world, const cr_opts_t *o, cr_workload_t **wl, char **text)
{
    char err[CR_WL_ERRLEN] = "";
    long len = 0;
    char *buf = NULL;
    cr_workload_t *w = NULL;
    cr_status_t st = CR_OK;
    int me;
    MPI_Comm_rank(world, &me);
    *wl = NULL;
    *text = NULL;
    if (me == 0) {   /* the file is data: read, never handed to a shell */
        FILE *fp = fopen(o->workload, "rb");
        buf = malloc(CR_WL_MAX_FILE + 2);
        if (!buf) st = CR_ERR_NOMEM;
        else if (!fp) {
            snprintf(err, sizeof err, "--workload %s: cannot open: %s", o->workload,
                     strerror(errno));
            st = CR_ERR_INVAL;
        } else {
            len = (long)fread(buf, 1, CR_WL_MAX_FILE + 1, fp);
            if (ferror(fp)) {
                snprintf(err, sizeof err, "--workload %s: cannot read: %s", o->workload,
                         strerror(errno));
                st = CR_ERR_INVAL;
            }
        }
        if (fp) fclose(fp);
    }
    if ((st = cr_wl_report(world, st, err)) != CR_OK) goto out_with_buf;
    if (CR_MPI(MPI_Bcast(&len, 1, MPI_LONG, 0, world)) != CR_OK) { st = CR_ERR_MPI; goto out_with_buf; }
    if (me != 0) buf = malloc((size_t)len + 2);
    w = malloc(sizeof *w);
    st = cr_mpi_agree(world, buf && w ? CR_OK : CR_ERR_NOMEM);
    if (st != CR_OK) goto out_with_buf;
    if (len > 0 && CR_MPI(MPI_Bcast(buf, (int)len, MPI_CHAR, 0, world)) != CR_OK) {
        st = CR_ERR_MPI;
        goto out_with_buf;
    }
    buf[len] = '\0';
    /* the same bytes everywhere: the same verdict; rank 0 says it */
    st = cr_workload_parse(buf, (size_t)len, o->workload, cr_dtype_find(o->dtype), &o->skew, w,
                           err, sizeof err);
    if (st != CR_OK) {
        if (me == 0) fprintf(stderr, "collroof: error: %s\n", err);
        goto out_with_buf;
    }
    *wl = w;
    *text = buf;
    return CR_OK;
out_with_buf:
    free(w);
    free(buf);
    return st;
}

/* Group sizes and counts of each comm (world ranks; every rank has one group). */
typedef struct cr_wl_shape {
    int ranks[CR_WL_COMM_COUNT], groups[CR_WL_COMM_COUNT];
    int *colors[CR_WL_COMM_COUNT];   /* NULL: not used by any call */
} cr_wl_shape_t;

static void cr_wl_shape_free(cr_wl_shape_t *sh)
{
    for (int c = 0; c < CR_WL_COMM_COUNT; c++) free(sh->colors[c]);
}

static cr_status_t cr_wl_shape(const cr_workload_t *wl, const cr_place_t *pl, int n,
                               cr_wl_shape_t *sh)
{
    memset(sh, 0, sizeof *sh);
    for (int i = 0; i < wl->ncalls; i++) {
        cr_wl_comm_t c = wl->calls[i].comm;
        if (sh->colors[c]) continue;
        sh->colors[c] = malloc((size_t)n * sizeof *sh->colors[c]);
        CR_CHECK_ALLOC(sh->colors[c], (size_t)n * sizeof(int));
        sh->groups[c] = cr_workload_colors(wl, c, pl, n, sh->colors[c], &sh->ranks[c]);
        if (sh->groups[c] < 0) {
            cr_error_at(__FILE__, __LINE__, "cannot colour %d ranks for comm=%s", n,
                        cr_wl_comm_names[c]);
            return CR_ERR_NOMEM;
        }
    }
    return CR_OK;
}

/* Page-rounded bytes of a buffer as cr_mem_alloc maps it. */
static size_t cr_wl_pages(size_t b)
{
    return ((b ? b : 1) + 4095) / 4096 * 4096;
}

cr_status_t cr_workload_check(const cr_run_t *run, const cr_workload_t *wl, const cr_place_t *pl)
{
    char err[4096] = "", why[512];
    cr_wl_shape_t sh;
    cr_status_t st = CR_OK;
    size_t need = 0;
    cr_memlimit_t lim;

    memset(&sh, 0, sizeof sh);
    if (wl->layout_line && cr_workload_layout_check(wl, pl, run->wsize, err, sizeof err) != 0)
        st = CR_ERR_INVAL;
    if (st == CR_OK) st = cr_wl_shape(wl, pl, run->wsize, &sh);
    for (int i = 0; st == CR_OK && i < wl->ncalls; i++) {
        const cr_wl_call_t *c = &wl->calls[i];
        int p = sh.ranks[c->comm];
        uint64_t bytes;
        size_t sb, rb, cnt = cr_coll_block_count(c->ops, c->bytes, p, c->dtype->size,
                                                 run->max_count, &bytes);
        char sz[32];
        cr_coll_shape_t shape = { .block_count = cnt, .p = p, .rank = -1,
                                  .dsize = c->dtype->size,
                                  .in_place = run->o->in_place && c->ops->has_in_place,
                                  .skew = &c->skew };
        if (cnt == 0) {
            snprintf(err, sizeof err, "%s:%d: %s of %s is less than one %s per block on the "
                     "%d ranks of comm=%s: give a larger size", wl->path, c->line, c->ops->name,
                     cr_size_format(c->bytes, sz, sizeof sz), c->dtype->name, p,
                     cr_wl_comm_names[c->comm]);
            st = CR_ERR_INVAL;
            break;
        }
        if (c->ops->skewed && cr_skew_fits(&c->skew, p, why, sizeof why) != 0) {
            snprintf(err, sizeof err, "%s:%d: %s (comm=%s has %d ranks)", wl->path, c->line, why,
                     cr_wl_comm_names[c->comm], p);
            st = CR_ERR_INVAL;
            break;
        }
        c->ops->buf_bytes(&shape, &sb, &rb);
        need += cr_wl_pages(sb) + cr_wl_pages(rb);
    }
    cr_mem_limit(&lim);
    if (st == CR_OK && lim.avail && (double)need * run->ppn > 0.9 * (double)lim.avail) {
        snprintf(err, sizeof err,
                 "%s: the buffers of its %d calls need %zu bytes (%.1f GiB) per rank, %.0f bytes "
                 "(%.1f GiB) for the %d ranks of this host, but only %" PRIu64 " bytes (%.1f GiB) "
                 "are available (%s): replay a scaled-down copy (share/collroof/workloads/README)"
                 "%s", wl->path, wl->ncalls, need, need / 1073741824.0, (double)need * run->ppn,
                 (double)need * run->ppn / 1073741824.0, run->ppn, lim.avail,
                 lim.avail / 1073741824.0, lim.source,
                 lim.cgroup ? " or ask the batch system for more memory (Slurm: --mem)" : "");
        st = CR_ERR_NOMEM;
    }
    cr_wl_shape_free(&sh);
    return cr_wl_report(run->world, st, err);
}

/* One call line on this rank. */
typedef struct cr_wl_live {
    const cr_wl_call_t *c;
    int ranks, groups;       /* of its comm */
    uint64_t bytes;          /* S actual */
    cr_coll_buf_t b;
    cr_buf_t sb, rb;
    int typed, set_up;       /* cr_coll_buf_mpi done; ops->setup succeeded */
    long units;              /* kernel units of one chunk of its gap (0: no gap) */
    long wrong;              /* wrong elements, summed over ranks */
} cr_wl_live_t;

typedef struct cr_wl_state {
    MPI_Comm comm[CR_WL_COMM_COUNT];
    /* The same groups in reverse rank order, for dir=prev shifts (sendrecv sends to
     * the next rank of its communicator); MPI_COMM_NULL where no call needs it. */
    MPI_Comm rev[CR_WL_COMM_COUNT];
    cr_wl_live_t *live;
    int n;
    cr_kernel_t kernel;
} cr_wl_state_t;

static int cr_wl_call_once(const cr_run_t *run, const cr_wl_live_t *l)
{
    const cr_coll_ops_t *ops = l->c->ops;
    cr_coll_req_t req = { .mpi = MPI_REQUEST_NULL };
    int rc;
    if (!(run->o->nonblocking && ops->irun)) return ops->run(&l->b);
    if ((rc = ops->irun(&l->b, &req)) != MPI_SUCCESS) return rc;
    return ops->iwait ? ops->iwait(&l->b, &req) : MPI_Wait(&req.mpi, MPI_STATUS_IGNORE);
}

static int cr_wl_failed(int rc, const char *what, const cr_wl_live_t *l)
{
    char where[128];
    snprintf(where, sizeof where, "%s (%s, line %d)", what, l ? l->c->ops->name : "step",
             l ? l->c->line : 0);
    return cr_mpi_check(rc, where, __FILE__, __LINE__) != CR_OK;
}

static void cr_wl_free(cr_wl_state_t *s)
{
    for (int i = 0; s->live && i < s->n; i++) {
        cr_wl_live_t *l = &s->live[i];
        if (l->set_up && l->c->ops->teardown) l->c->ops->teardown(&l->b);
        if (l->sb.ptr) cr_mem_free(&l->sb);
        if (l->rb.ptr) cr_mem_free(&l->rb);
        if (l->typed) cr_coll_buf_mpi_free(&l->b);
    }
    free(s->live);
    for (int c = 0; c < CR_WL_COMM_COUNT; c++) {
        if (s->comm[c] != MPI_COMM_NULL) MPI_Comm_free(&s->comm[c]);
        if (s->rev[c] != MPI_COMM_NULL) MPI_Comm_free(&s->rev[c]);
    }
    cr_kernel_free(&s->kernel);
}

/* Communicators, buffers, plug-in state: every rank or none. */
static cr_status_t cr_wl_setup(cr_run_t *run, const cr_workload_t *wl, const cr_place_t *pl,
                               cr_wl_state_t *s)
{
    cr_wl_shape_t sh;
    cr_status_t st;
    for (int c = 0; c < CR_WL_COMM_COUNT; c++) s->comm[c] = s->rev[c] = MPI_COMM_NULL;
    s->live = calloc((size_t)wl->ncalls, sizeof *s->live);
    st = s->live ? cr_wl_shape(wl, pl, run->wsize, &sh) : CR_ERR_NOMEM;
    if ((st = cr_mpi_agree(run->world, st)) != CR_OK) {
        if (s->live) cr_wl_shape_free(&sh);
        return st;
    }
    s->n = wl->ncalls;
    for (int c = 0; c < CR_WL_COMM_COUNT; c++)
        if (sh.colors[c] && CR_MPI(MPI_Comm_split(run->world, sh.colors[c][run->wrank],
                                                  run->wrank, &s->comm[c])) != CR_OK) {
            cr_wl_shape_free(&sh);
            return CR_ERR_MPI;
        }
    for (int i = 0; i < wl->ncalls; i++) {   /* every rank reads the same calls */
        cr_wl_comm_t c = wl->calls[i].comm;
        if (wl->calls[i].dir != CR_WL_PREV || s->rev[c] != MPI_COMM_NULL) continue;
        if (CR_MPI(MPI_Comm_split(run->world, sh.colors[c][run->wrank], run->wsize - run->wrank,
                                  &s->rev[c])) != CR_OK) {
            cr_wl_shape_free(&sh);
            return CR_ERR_MPI;
        }
    }
    for (int i = 0; i < wl->ncalls; i++) {
        cr_wl_live_t *l = &s->live[i];
        cr_coll_shape_t shape;
        int bad;
        l->c = &wl->calls[i];
        l->ranks = sh.ranks[l->c->comm];
        l->groups = sh.groups[l->c->comm];
        l->b.comm = l->c->dir == CR_WL_PREV ? s->rev[l->c->comm] : s->comm[l->c->comm];
        l->b.dtype = l->c->dtype;
        l->b.skew = &l->c->skew;
        l->b.in_place = run->o->in_place && l->c->ops->has_in_place;
        l->b.block_count = cr_coll_block_count(l->c->ops, l->c->bytes, l->ranks,
                                               l->c->dtype->size, run->max_count, &l->bytes);
        MPI_Comm_rank(l->b.comm, &l->b.rank);
        MPI_Comm_size(l->b.comm, &l->b.size);
        bad = cr_mpi_check(cr_coll_buf_mpi(&l->b, run->max_count), "large-count datatype",
                           __FILE__, __LINE__) != CR_OK;
        l->typed = !bad;
        if (!bad) {
            shape = cr_coll_buf_shape(&l->b);
            l->c->ops->buf_bytes(&shape, &l->b.sbytes, &l->b.rbytes);
            bad = cr_mem_alloc(l->b.sbytes ? l->b.sbytes : 1, run->o, &l->sb) != CR_OK ||
                  cr_mem_alloc(l->b.rbytes ? l->b.rbytes : 1, run->o, &l->rb) != CR_OK;
            l->b.sbuf = l->sb.ptr;
            l->b.rbuf = l->rb.ptr;
        }
        if (cr_mpi_agree(run->world, bad ? CR_ERR_NOMEM : CR_OK) != CR_OK) {
            if (run->wrank == 0)
                cr_error("%s:%d: %s: the buffers could not be allocated on every rank",
                         wl->path, l->c->line, l->c->ops->name);
            cr_wl_shape_free(&sh);
            return CR_ERR_NOMEM;
        }
        if (l->c->ops->setup) {
            st = l->c->ops->setup(&l->b);
            l->set_up = st == CR_OK;
            if (cr_mpi_agree(run->world, st) != CR_OK) {
                if (run->wrank == 0)
                    cr_error("%s:%d: %s: the collective's set-up failed on a rank", wl->path,
                             l->c->line, l->c->ops->name);
                cr_wl_shape_free(&sh);
                return CR_ERR_INVAL;
            }
        }
    }
    cr_wl_shape_free(&sh);
    return CR_OK;
}

/* Each call validated once (fill, call, check), then its timed values; the wrong
 * elements summed over the ranks (the same everywhere). */
static cr_status_t cr_wl_validate(cr_run_t *run, cr_wl_state_t *s)
{
    long *mine = calloc((size_t)s->n, sizeof *mine), *all = calloc((size_t)s->n, sizeof *all);
    cr_status_t st = cr_mpi_agree(run->world, mine && all ? CR_OK : CR_ERR_NOMEM);
    for (int i = 0; st == CR_OK && i < s->n; i++) {
        cr_wl_live_t *l = &s->live[i];
        if (run->o->validate == CR_VALIDATE_OFF) break;
        l->c->ops->fill(&l->b);
        if (cr_wl_failed(cr_wl_call_once(run, l), "validation call", l)) st = CR_ERR_MPI;
        else {
            if (run->inject_fault == run->wrank && l->b.rbytes >= l->b.dtype->size)
                ((unsigned char *)l->b.rbuf)[l->b.dtype->size - 1] ^= 0x5a;
            mine[i] = (long)l->c->ops->check(&l->b);
        }
    }
    if (st == CR_OK && cr_wl_failed(MPI_Allreduce(mine, all, s->n, MPI_LONG, MPI_SUM, run->world),
                                    "validation count", NULL))
        st = CR_ERR_MPI;
    for (int i = 0; st == CR_OK && i < s->n; i++) {
        cr_wl_live_t *l = &s->live[i];
        l->wrong = all[i];
        if (l->c->ops->prepare_timed) l->c->ops->prepare_timed(&l->b);
        else l->c->ops->fill(&l->b);
    }
    free(mine);
    free(all);
    return st;
}

/* A gap is gap_us of wall time spent in the compute kernel: chunks of at most
 * CR_WL_GAP_CHUNK_US (calibrated on this rank) until the clock says it is over. A
 * unit count calibrated once for the whole gap would stretch or shrink with the load
 * on the cores between calibration and sampling; the file states microseconds. */
#define CR_WL_GAP_CHUNK_US 20.0

static double cr_wl_chunk_us(double gap_us)
{
    double c = gap_us / 16;
    return c < CR_WL_GAP_CHUNK_US ? c : CR_WL_GAP_CHUNK_US;
}

static void cr_wl_gap(cr_run_t *run, cr_wl_state_t *s, const cr_wl_live_t *l)
{
    double end = run->timer.now() + l->c->gap_us * 1e-6;
    do cr_kernel_run(&s->kernel, l->units);
    while (run->timer.now() < end);
}

/* The gaps' chunk units, calibrated on this rank (one calibration per value). */
static cr_status_t cr_wl_kernels(cr_run_t *run, cr_wl_state_t *s)
{
    int any = 0;
    for (int i = 0; i < s->n; i++) any |= s->live[i].c->gap_us > 0;
    if (!any) return CR_OK;
    CR_CHECK(cr_mpi_agree(run->world, cr_kernel_init(&s->kernel)));
    for (int i = 0; i < s->n; i++) {
        double g = s->live[i].c->gap_us;
        if (g <= 0) continue;
        for (int k = 0; k < i && !s->live[i].units; k++)
            if (s->live[k].c->gap_us == g) s->live[i].units = s->live[k].units;
        if (!s->live[i].units)
            s->live[i].units = cr_kernel_calibrate(&s->kernel, cr_wl_chunk_us(g), run->timer.now);
    }
    return CR_OK;
}

/* One step on this rank: step[0] = its time, step[1 + i] = call i's time (µs). */
static cr_status_t cr_wl_step(cr_run_t *run, cr_wl_state_t *s, int gaps, double *out)
{
    double t0 = run->timer.now();
    for (int i = 0; i < s->n; i++) {
        cr_wl_live_t *l = &s->live[i];
        double in = 0;
        for (int k = 0; k < l->c->count; k++) {
            double c0, c1;
            int rc;
            if (gaps && l->units) cr_wl_gap(run, s, l);
            c0 = run->timer.now();
            rc = cr_wl_call_once(run, l);
            c1 = run->timer.now();
            if (cr_wl_failed(rc, "timed call", l)) return CR_ERR_MPI;
            in += c1 - c0;
        }
        if (out) out[1 + i] = in * 1e6;
    }
    if (out) out[0] = (run->timer.now() - t0) * 1e6;
    return CR_OK;
}

/* Samples: all[k * stride + 0] = step k, all[k * stride + 1 + i] = call i in step k
 * (µs, max over ranks); stride = 1 + calls. */
typedef struct cr_wl_samples {
    double *all, *sorted, *local, *red;
    size_t n, cap, stride;
} cr_wl_samples_t;

static cr_status_t cr_wl_grow(cr_wl_samples_t *sm, size_t need)
{
    size_t cap = sm->cap ? sm->cap : 64;
    double *p;
    if (need <= sm->cap) return CR_OK;
    while (cap < need) cap *= 2;
    if (!(p = realloc(sm->all, cap * sm->stride * sizeof *p))) goto out_nomem;
    sm->all = p;
    if (!(p = realloc(sm->sorted, cap * sizeof *p))) goto out_nomem;
    sm->sorted = p;
    if (!(p = realloc(sm->local, (cap * sm->stride + 1) * sizeof *p))) goto out_nomem;
    sm->local = p;
    if (!(p = realloc(sm->red, (cap * sm->stride + 1) * sizeof *p))) goto out_nomem;
    sm->red = p;
    sm->cap = cap;
    return CR_OK;
out_nomem:
    cr_error_at(__FILE__, __LINE__, "cannot allocate room for %zu samples of %zu values", cap,
                sm->stride);
    return CR_ERR_NOMEM;
}

/* Column j (0 = step, 1 + i = call i) of the samples, sorted into sm->sorted. */
static void cr_wl_column(const cr_wl_samples_t *sm, size_t j, double *out)
{
    for (size_t k = 0; k < sm->n; k++) out[k] = sm->all[k * sm->stride + j];
}

/* The sweep's batch rule (cr_harness.c): grows with n, bounded by the samples left
 * and the time left at the current median. */
static size_t cr_wl_batch(const cr_opts_t *o, size_t n, double elapsed, double med_us)
{
    size_t left = (size_t)o->max_iters - n, nb;
    if (n == 0) nb = CR_WL_FIRST_BATCH;
    else {
        nb = n / 4 > CR_WL_FIRST_BATCH ? n / 4 : CR_WL_FIRST_BATCH;
        if (med_us > 0) {
            double by_time = (o->time_limit - elapsed) / (med_us * 1e-6) + 1;
            if (by_time < (double)nb) nb = by_time < 1 ? 1 : (size_t)by_time;
        }
    }
    if (n < (size_t)o->min_iters && nb < (size_t)o->min_iters - n) nb = (size_t)o->min_iters - n;
    if (nb > CR_WL_MAX_BATCH) nb = CR_WL_MAX_BATCH;
    return nb < left ? nb : left;
}

static cr_status_t cr_wl_sample(cr_run_t *run, cr_wl_state_t *s, cr_wl_samples_t *sm,
                                cr_stop_t *stop)
{
    const cr_opts_t *o = run->o;
    double t_start = run->timer.now(), elapsed = 0, med = 0;
    int every = o->validate == CR_VALIDATE_EVERY;
    long *wrong = every ? calloc((size_t)s->n * 2, sizeof *wrong) : NULL;  /* per call: here, summed */
    cr_status_t st = CR_OK;
    if (cr_mpi_agree(run->world, every && !wrong ? CR_ERR_NOMEM : CR_OK) != CR_OK) {
        free(wrong);
        return CR_ERR_NOMEM;
    }
    for (;;) {
        size_t nb = cr_wl_batch(o, sm->n, elapsed, med), vals;
        cr_status_t grown = cr_wl_grow(sm, sm->n + nb);
        if (cr_mpi_agree(run->world, grown) != CR_OK) {
            st = CR_ERR_NOMEM;
            goto out;
        }
        vals = nb * sm->stride;
        for (size_t j = 0; j < nb; j++) {
            if (every)
                for (int i = 0; i < s->n; i++) s->live[i].c->ops->fill(&s->live[i].b);
            cr_watch_iter((long)(sm->n + j));
            if (cr_wl_failed(MPI_Barrier(run->world), "barrier", NULL)) {
                st = CR_ERR_MPI;
                goto out;
            }
            CR_CHECK_GOTO(cr_wl_step(run, s, 1, sm->local + j * sm->stride), st, out);
            for (int i = 0; every && i < s->n; i++)
                if (!(s->live[i].c->count > 1 && s->live[i].b.in_place))
                    wrong[i] += (long)s->live[i].c->ops->check(&s->live[i].b);
        }
        sm->local[vals] = run->timer.now() - t_start;
        /* one reduction per batch: every value of every sample, and the elapsed time */
        if (cr_wl_failed(MPI_Allreduce(sm->local, sm->red, (int)vals + 1, MPI_DOUBLE, MPI_MAX,
                                       run->world), "sample reduction", NULL)) {
            st = CR_ERR_MPI;
            goto out;
        }
        memcpy(sm->all + sm->n * sm->stride, sm->red, vals * sizeof *sm->red);
        elapsed = sm->red[vals];
        sm->n += nb;
        cr_wl_column(sm, 0, sm->sorted);
        cr_stats_sort(sm->sorted, sm->n);
        med = cr_stats_percentile(sm->sorted, sm->n, 50.0);
        if (sm->n >= (size_t)o->min_iters &&
            cr_stats_rel_ci_halfwidth(sm->sorted, sm->n) <= o->precision)
            *stop = CR_STOP_PRECISION;
        else if (sm->n >= (size_t)o->max_iters) *stop = CR_STOP_ITERS;
        else if (elapsed >= o->time_limit && sm->n >= (size_t)o->min_iters) *stop = CR_STOP_TIME;
        else continue;
        break;
    }
    if (every) {   /* --validate every: each call's checks after each step, summed over ranks */
        if (cr_wl_failed(MPI_Allreduce(wrong, wrong + s->n, s->n, MPI_LONG, MPI_SUM, run->world),
                         "validation count", NULL)) {
            st = CR_ERR_MPI;
            goto out;
        }
        for (int i = 0; i < s->n; i++) s->live[i].wrong += wrong[s->n + i];
    }
out:
    free(wrong);
    return st;
}

/* Rank 0: the rows, step first, each written to every writer as it is built. */
static cr_status_t cr_wl_write(cr_run_t *run, const cr_workload_t *wl, const cr_wl_state_t *s,
                               const cr_wl_samples_t *sm, cr_stop_t stop)
{
    const cr_opts_t *o = run->o;
    double *raw = malloc((sm->n ? sm->n : 1) * sizeof *raw);
    int failed = 0;
    CR_CHECK_ALLOC(raw, sm->n * sizeof *raw);
    for (int i = 0; i < s->n; i++) failed |= s->live[i].wrong != 0;
    for (int j = 0; j <= s->n; j++) {
        const cr_wl_live_t *l = j ? &s->live[j - 1] : NULL;
        cr_wl_row_t r;
        cr_status_t st;
        memset(&r, 0, sizeof r);
        snprintf(r.run_id, sizeof r.run_id, "%s", o->run_id);
        snprintf(r.workload, sizeof r.workload, "%s", wl->name);
        r.nodes = run->nodes;
        r.ppn = run->ppn;
        r.stop = stop;
        cr_wl_column(sm, (size_t)j, raw);
        memcpy(sm->sorted, raw, sm->n * sizeof *raw);
        cr_stats_summarize(sm->sorted, sm->n, &r.t);
        if (!l) {
            snprintf(r.row, sizeof r.row, "step");
            snprintf(r.collective, sizeof r.collective, "step");
            r.ranks = run->wsize;
            r.groups = 1;
            for (int i = 0; i < s->n; i++) r.bytes += s->live[i].bytes * (uint64_t)s->live[i].c->count;
            r.count = 1;
            r.gap_us = cr_workload_step_gap_us(wl);
            r.t_call_us = r.t.median;
            r.valid = o->validate == CR_VALIDATE_OFF ? CR_VALID_SKIPPED
                      : failed ? CR_VALID_FAIL : CR_VALID_PASS;
        } else {
            snprintf(r.row, sizeof r.row, "%d", j);
            snprintf(r.collective, sizeof r.collective, "%s", l->c->ops->name);
            snprintf(r.comm, sizeof r.comm, "%s", cr_wl_comm_names[l->c->comm]);
            snprintf(r.dtype, sizeof r.dtype, "%s", l->c->dtype->name);
            if (l->c->ops->skewed) snprintf(r.skew, sizeof r.skew, "%s", l->c->skew.spec);
            if (!strcmp(l->c->ops->name, "sendrecv"))
                snprintf(r.dir, sizeof r.dir, "%s", cr_wl_dir_names[l->c->dir]);
            r.ranks = l->ranks;
            r.groups = l->groups;
            r.bytes = l->bytes;
            r.count = l->c->count;
            r.gap_us = l->c->gap_us;
            r.t_call_us = r.t.median / l->c->count;
            r.algbw_GBps = r.t_call_us > 0 ? (double)r.bytes / r.t_call_us * 1e-3 : 0.0;
            r.busbw_GBps = r.algbw_GBps * l->c->ops->bus_factor(l->ranks);
            r.valid = o->validate == CR_VALIDATE_OFF ? CR_VALID_SKIPPED
                      : l->wrong ? CR_VALID_FAIL : CR_VALID_PASS;
            if (l->wrong)
                cr_error("%s:%d: %s comm=%s at %" PRIu64 " bytes: %ld wrong elements "
                         "(validation failed)", wl->path, l->c->line, l->c->ops->name,
                         r.comm, l->bytes, l->wrong);
        }
        for (int w = 0; w < run->nwriters; w++)
            if ((st = cr_writer_wl_row(&run->writers[w], &r, raw, sm->n)) != CR_OK) {
                while (w-- > 0) cr_writer_unrow(&run->writers[w]);   /* files agree */
                free(raw);
                return st;
            }
        run->rows++;
    }
    free(raw);
    return CR_OK;
}

cr_status_t cr_workload_measure(cr_run_t *run, const cr_workload_t *wl, const cr_place_t *pl)
{
    cr_wl_state_t s = {0};
    cr_wl_samples_t sm = { .stride = 1 + (size_t)wl->ncalls };
    cr_stop_t stop = CR_STOP_ITERS;
    cr_status_t st;
    uint64_t step_bytes = 0;

    for (int i = 0; i < wl->ncalls; i++) step_bytes += wl->calls[i].bytes * wl->calls[i].count;
    cr_watch_begin("step", wl->name, "workload", step_bytes);
    CR_CHECK_GOTO(cr_wl_setup(run, wl, pl, &s), st, out_with_state);
    CR_CHECK_GOTO(cr_mpi_agree(run->world, cr_wl_validate(run, &s)), st, out_with_state);
    CR_CHECK_GOTO(cr_wl_kernels(run, &s), st, out_with_state);
    for (int i = 0; i < run->o->warmup; i++) {   /* the calls without their gaps, discarded */
        if (cr_wl_failed(MPI_Barrier(run->world), "warm-up barrier", NULL)) {
            st = CR_ERR_MPI;
            goto out_with_state;
        }
        CR_CHECK_GOTO(cr_wl_step(run, &s, 0, NULL), st, out_with_state);
    }
    CR_CHECK_GOTO(cr_wl_sample(run, &s, &sm, &stop), st, out_with_samples);
    for (int i = 0; i < s.n; i++) run->failures += s.live[i].wrong != 0;
    st = run->wrank == 0 ? cr_wl_write(run, wl, &s, &sm, stop) : CR_OK;
    st = cr_mpi_agree(run->world, st);
out_with_samples:
    free(sm.all);
    free(sm.sorted);
    free(sm.local);
    free(sm.red);
out_with_state:
    cr_wl_free(&s);
    cr_watch_end();
    return st;
}
