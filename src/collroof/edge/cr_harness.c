/* The measurement loop. Every rank of the world takes part in every measurement
 * (barriers and reductions), whether or not it belongs to a group at the level;
 * the samples are max-over-ranks, so every rank takes the same stopping decision. */
#include "config.h"

#include "cr_harness.h"
#include "cr_watchdog.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cr_kernel.h"
#include "cr_mem.h"
#include "cr_mpi.h"
#include "cr_overlap.h"
#include "cr_sizes.h"
#include "cr_stats.h"

#define CR_FIRST_BATCH 8
#define CR_MAX_BATCH 4096

/* Buffers of one measurement: one send and one receive buffer, or with
 * --cold-cache rotating pools twice the last-level cache (cr_mem_pool). */
typedef struct cr_bufset {
    cr_mem_pool_t s, r;
    int n;              /* rotations before a buffer pair comes back (1 = warm) */
} cr_bufset_t;

/* An MPI call of the measurement failed: say which, for which collective. */
static int cr_mpi_failed(int rc, const char *what, const char *coll)
{
    char where[96];
    snprintf(where, sizeof where, "%s (%s)", what, coll);
    return cr_mpi_check(rc, where, __FILE__, __LINE__) != CR_OK;
}

/* Cache size the pools must exceed: 0 = no pool (warm buffers). */
static size_t cr_pool_llc(const cr_run_t *run)
{
    if (!run->o->cold_cache) return 0;
    return run->llc_bytes ? run->llc_bytes : (size_t)32 << 20; /* unknown: assume a large L3 */
}

static size_t cr_pool_bytes(size_t bytes, size_t llc)
{
    size_t page = 4096, stride = ((bytes ? bytes : 1) + page - 1) / page * page;
    return stride * (size_t)cr_mem_pool_count(bytes, 1, llc);
}

size_t cr_harness_bytes_needed(const cr_run_t *run, const cr_coll_ops_t *ops, const cr_dtype_t *dt,
                               uint64_t req_bytes, int p)
{
    uint64_t actual;
    size_t sb, rb, cnt = cr_coll_block_count(ops, req_bytes, p, dt->size, run->max_count, &actual);
    cr_coll_shape_t sh = { .block_count = cnt, .p = p, .rank = -1, .dsize = dt->size,
                           .in_place = run->o->in_place && ops->has_in_place,
                           .skew = &run->o->skew };
    if (cnt == 0) return 0;
    ops->buf_bytes(&sh, &sb, &rb);
    return cr_pool_bytes(sb, cr_pool_llc(run)) + cr_pool_bytes(rb, cr_pool_llc(run));
}

static void cr_bufset_free(cr_bufset_t *bs)
{
    if (!bs->n) return;
    cr_mem_pool_free(&bs->s);
    cr_mem_pool_free(&bs->r);
    bs->n = 0;
}

static cr_status_t cr_bufset_alloc(const cr_run_t *run, size_t sb, size_t rb, cr_bufset_t *bs)
{
    memset(bs, 0, sizeof *bs);
    CR_CHECK(cr_mem_pool_alloc(sb, 1, cr_pool_llc(run), run->o, &bs->s));
    if (cr_mem_pool_alloc(rb, 1, cr_pool_llc(run), run->o, &bs->r) != CR_OK) {
        cr_mem_pool_free(&bs->s);
        return CR_ERR_NOMEM;
    }
    bs->n = bs->s.count > bs->r.count ? bs->s.count : bs->r.count;
    return CR_OK;
}

static void cr_bufset_next(cr_bufset_t *bs, cr_coll_buf_t *b)
{
    b->sbuf = cr_mem_pool_next(&bs->s);
    b->rbuf = cr_mem_pool_next(&bs->r);
}

/* Completion of a started call: the plug-in's own iwait/itest, else MPI's. */
static int cr_iwait(const cr_coll_ops_t *ops, const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    return ops->iwait ? ops->iwait(b, req) : MPI_Wait(&req->mpi, MPI_STATUS_IGNORE);
}

static int cr_itest(const cr_coll_ops_t *ops, const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    int done = 0;
    return ops->itest ? ops->itest(b, req, &done) : MPI_Test(&req->mpi, &done, MPI_STATUS_IGNORE);
}

static int cr_icall(const cr_coll_ops_t *ops, const cr_coll_buf_t *b)
{
    cr_coll_req_t req = { .mpi = MPI_REQUEST_NULL };
    int rc = ops->irun(b, &req);
    return rc != MPI_SUCCESS ? rc : cr_iwait(ops, b, &req);
}

static int cr_call(const cr_run_t *run, const cr_coll_ops_t *ops, const cr_coll_buf_t *b)
{
    if (!(run->o->nonblocking && ops->irun)) return ops->run(b);
    return cr_icall(ops, b);
}

/* What one timed sample does (between the barrier and the second clock read). */
typedef enum cr_sample_kind {
    CR_SAMPLE_CALLS,         /* `calls` calls (cr_call: blocking, or --nonblocking) */
    CR_SAMPLE_PURE,          /* MPI_I<coll> + wait */
    CR_SAMPLE_KERNEL,        /* the compute kernel alone */
    CR_SAMPLE_OVERLAP,       /* start; kernel; wait */
    CR_SAMPLE_OVERLAP_TEST   /* start; kernel in CR_OVERLAP_TESTS chunks, a test after each; wait */
} cr_sample_kind_t;

#define CR_OVERLAP_TESTS 16  /* overlap_test: an MPI_Test after every 1/16 of the compute */

typedef struct cr_sample_do {
    cr_sample_kind_t kind;
    int calls;               /* calls per sample: K streaming, else 1 */
    cr_kernel_t *kernel;     /* the kernel kinds: this rank's kernel and its units */
    long units;
    /* Also a sample of the kernel alone (its own barrier and clock) before each
     * sample, into a second sampler: the compute reference of the overlap
     * cadences, taken interleaved so that a load that drifts over the seconds of
     * a measurement moves both alike. */
    int paired;
} cr_sample_do_t;

/* One sample's work on this rank (an active one); an MPI error code. */
static int cr_sample_once(const cr_run_t *run, const cr_coll_ops_t *ops, const cr_coll_buf_t *b,
                          const cr_sample_do_t *d)
{
    cr_coll_req_t req = { .mpi = MPI_REQUEST_NULL };
    int rc = MPI_SUCCESS;
    long done = 0;
    switch (d->kind) {
    case CR_SAMPLE_CALLS:
        for (int k = 0; k < d->calls && rc == MPI_SUCCESS; k++) rc = cr_call(run, ops, b);
        return rc;
    case CR_SAMPLE_PURE: return cr_icall(ops, b);
    case CR_SAMPLE_KERNEL: cr_kernel_run(d->kernel, d->units); return MPI_SUCCESS;
    case CR_SAMPLE_OVERLAP:
        if ((rc = ops->irun(b, &req)) != MPI_SUCCESS) return rc;
        cr_kernel_run(d->kernel, d->units);
        return cr_iwait(ops, b, &req);
    case CR_SAMPLE_OVERLAP_TEST:
        if ((rc = ops->irun(b, &req)) != MPI_SUCCESS) return rc;
        for (int i = 0; i < CR_OVERLAP_TESTS && rc == MPI_SUCCESS; i++) {
            long end = cr_kernel_chunk_end(d->units, CR_OVERLAP_TESTS, i);
            cr_kernel_run(d->kernel, end - done);
            done = end;
            rc = cr_itest(ops, b, &req);
        }
        return rc != MPI_SUCCESS ? rc : cr_iwait(ops, b, &req);
    }
    return MPI_ERR_OTHER;
}

/* Fill, call (the nonblocking call on the overlap cadences, which time it), check;
 * returns this rank's wrong elements, or -1 on an MPI error.
 * COLLROOF_INJECT_FAULT=RANK (tests) flips the top byte of that rank's first
 * output element before the check, as a broken MPI would. */
static long cr_validate_once(const cr_run_t *run, const cr_coll_ops_t *ops, const cr_coll_buf_t *b,
                             int nonblocking)
{
    ops->fill(b);
    if (cr_mpi_failed(nonblocking ? cr_icall(ops, b) : cr_call(run, ops, b), "validation call",
                      ops->name))
        return -1;
    if (run->inject_fault == run->wrank && b->rbytes >= b->dtype->size)
        ((unsigned char *)b->rbuf)[b->dtype->size - 1] ^= 0x5a;
    return (long)ops->check(b);
}

/* Values that stay bounded under repeated timed calls (the plug-in's choice). */
static void cr_prepare_timed(const cr_coll_ops_t *ops, const cr_coll_buf_t *b)
{
    if (ops->prepare_timed) ops->prepare_timed(b);
    else ops->fill(b);
}

typedef struct cr_sampler {
    double *all;       /* max-over-ranks samples, µs, in measurement order */
    double *sorted;
    size_t n, cap;
    double *local;     /* this rank's times of the current batch, + elapsed s */
} cr_sampler_t;

/* Next batch size: grows with n (few reductions, amortised sorting), bounded by
 * the iteration cap and by the time left at the current median. */
static size_t cr_next_batch(const cr_run_t *run, const cr_sampler_t *s, double elapsed,
                            double med_us, int calls)
{
    size_t left = (size_t)run->o->max_iters - s->n, nb;
    if (s->n == 0) nb = CR_FIRST_BATCH;
    else {
        nb = s->n / 4 > CR_FIRST_BATCH ? s->n / 4 : CR_FIRST_BATCH;
        if (med_us > 0) {
            double by_time = (run->o->time_limit - elapsed) / (med_us * 1e-6 * calls) + 1;
            if (by_time < (double)nb) nb = by_time < 1 ? 1 : (size_t)by_time;
        }
    }
    if (s->n < (size_t)run->o->min_iters && nb < (size_t)run->o->min_iters - s->n)
        nb = (size_t)run->o->min_iters - s->n;
    if (nb > CR_MAX_BATCH) nb = CR_MAX_BATCH;
    return nb < left ? nb : left;
}

static cr_status_t cr_sampler_grow(cr_sampler_t *s, size_t need)
{
    if (need <= s->cap) return CR_OK;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need) cap *= 2;
    double *a = realloc(s->all, cap * sizeof *a);
    CR_CHECK_ALLOC(a, cap * sizeof *a);
    s->all = a;
    double *b = realloc(s->sorted, cap * sizeof *b);
    CR_CHECK_ALLOC(b, cap * sizeof *b);
    s->sorted = b;
    double *c = realloc(s->local, (cap + 1) * sizeof *c);
    CR_CHECK_ALLOC(c, (cap + 1) * sizeof *c);
    s->local = c;
    s->cap = cap;
    return CR_OK;
}

static void cr_sampler_free(cr_sampler_t *s)
{
    free(s->all);
    free(s->sorted);
    free(s->local);
}

static void cr_progress(cr_run_t *run, const cr_coll_ops_t *ops, const cr_level_ctx_t *lv,
                        uint64_t bytes)
{
    char sz[32];
    if (!run->progress) return;
    fprintf(stderr, "\r[%d/%d] %s %s %s   ", run->done + 1, run->total, ops->name, lv->name,
            cr_size_format(bytes, sz, sizeof sz));
    fflush(stderr);
}

/* Once per collective (rank 0): its calls fault in fresh memory (faults_per_call). */
static void cr_warn_fresh_memory(const cr_coll_ops_t *ops, const cr_result_t *r)
{
    static const cr_coll_ops_t *warned[32];
    size_t i;
    for (i = 0; i < sizeof warned / sizeof *warned && warned[i]; i++)
        if (warned[i] == ops) return;
    if (i < sizeof warned / sizeof *warned) warned[i] = ops;
    cr_warn("%s at %" PRIu64 " bytes: %.0f page faults per call (%.3g MiB of fresh 4 KiB "
            "pages per call): the MPI library maps fresh memory every call, and the times "
            "include the kernel's page-fault cost (column faults_per_call; docs/method.md, "
            "\"Page faults in the timed loop\"; said once per collective)", ops->name, r->bytes,
            r->faults_per_call, r->faults_per_call * 4096.0 / 1048576.0);
}

/* The timed loop of what d says one sample does; fills *stop, the samples (and with
 * d->paired the kernel-alone samples in *k, which must then also be precise enough
 * to stop), and adds wrong elements (--validate every). */
static cr_status_t cr_sample(cr_run_t *run, const cr_coll_ops_t *ops, cr_coll_buf_t *b,
                             cr_bufset_t *bs, int active, const cr_sample_do_t *d,
                             cr_sampler_t *s, cr_sampler_t *k, cr_stop_t *stop, long *wrong)
{
    const cr_sample_do_t dk = { .kind = CR_SAMPLE_KERNEL, .calls = 1, .kernel = d->kernel,
                                .units = d->units };
    const cr_opts_t *o = run->o;
    const cr_timer_t *tm = &run->timer;
    int calls = d->calls;
    /* the call's time per operation; the other kinds' samples are as timed */
    double per_call = d->kind == CR_SAMPLE_CALLS ? cr_coll_ops_per_call(ops) : 1.0;
    double t_start = tm->now(), elapsed = 0, med = 0;
    int every = o->validate == CR_VALIDATE_EVERY && d->kind != CR_SAMPLE_KERNEL &&
                !(calls > 1 && b->in_place);

    for (;;) {
        /* the time left is spent at the call's own cost: the median (per
         * operation) times the operations per call */
        size_t nb = cr_next_batch(run, s, elapsed, med * per_call, calls * (d->paired ? 2 : 1));
        /* + the elapsed time slot; the same decision on every rank */
        int grow = s->n + nb + 1 > s->cap || (d->paired && s->n + nb + 1 > k->cap);
        cr_status_t grown = grow ? cr_sampler_grow(s, s->n + nb + 1) : CR_OK;
        if (grown == CR_OK && d->paired && grow) grown = cr_sampler_grow(k, s->n + nb + 1);
        if (grow && cr_mpi_agree(run->world, grown) != CR_OK) {
            if (run->wrank == 0)
                cr_error("%s: cannot grow the sample arrays to %zu samples on every rank",
                         ops->name, s->n + nb + 1);
            return CR_ERR_NOMEM;
        }
        for (size_t j = 0; j < nb; j++) {
            double t0, t1;
            int rc = MPI_SUCCESS;
            if (active && bs->n > 1) cr_bufset_next(bs, b);
            if (active && every) ops->fill(b);
            if (run->inject_stall == run->wrank && s->n + j == 2)
                for (;;) pause();   /* testing: a rank that never reaches the barrier */
            cr_watch_iter((long)(s->n + j));
            if (d->paired) {
                if (cr_mpi_failed(MPI_Barrier(run->world), "barrier", ops->name)) return CR_ERR_MPI;
                t0 = tm->now();
                if (active) cr_sample_once(run, ops, b, &dk);
                k->local[j] = active ? (tm->now() - t0) * 1e6 : 0.0;
            }
            if (cr_mpi_failed(MPI_Barrier(run->world), "barrier", ops->name)) return CR_ERR_MPI;
            t0 = tm->now();
            if (active) rc = cr_sample_once(run, ops, b, d);
            t1 = tm->now();
            if (cr_mpi_failed(rc, "timed call", ops->name)) return CR_ERR_MPI;
            s->local[j] = active ? (t1 - t0) * 1e6 / calls / per_call : 0.0;
            if (active && every) *wrong += (long)ops->check(b);
        }
        s->local[nb] = tm->now() - t_start;
        if (cr_mpi_failed(MPI_Allreduce(s->local, s->all + s->n, (int)nb + 1, MPI_DOUBLE, MPI_MAX,
                                        run->world),
                          "sample reduction", ops->name))
            return CR_ERR_MPI;
        elapsed = s->all[s->n + nb]; /* the slowest rank's elapsed time, same everywhere */
        s->n += nb;
        memcpy(s->sorted, s->all, s->n * sizeof *s->all);
        cr_stats_sort(s->sorted, s->n);
        med = cr_stats_percentile(s->sorted, s->n, 50.0);
        if (d->paired) {
            if (cr_mpi_failed(MPI_Allreduce(k->local, k->all + k->n, (int)nb, MPI_DOUBLE,
                                            MPI_MAX, run->world),
                              "sample reduction", ops->name))
                return CR_ERR_MPI;
            k->n += nb;
            memcpy(k->sorted, k->all, k->n * sizeof *k->all);
            cr_stats_sort(k->sorted, k->n);
        }
        if (s->n >= (size_t)o->min_iters &&
            cr_stats_rel_ci_halfwidth(s->sorted, s->n) <= o->precision &&
            (!d->paired || cr_stats_rel_ci_halfwidth(k->sorted, k->n) <= o->precision)) {
            *stop = CR_STOP_PRECISION;
            return CR_OK;
        }
        if (s->n >= (size_t)o->max_iters) {
            *stop = CR_STOP_ITERS;
            return CR_OK;
        }
        if (elapsed >= o->time_limit && s->n >= (size_t)o->min_iters) {
            *stop = CR_STOP_TIME;
            return CR_OK;
        }
    }
}

/* The call timed: nonblocking when asked for and the collective has one; else
 * blocking, and --nonblocking is said to be ignored (rank 0, once per collective). */
static cr_variant_t cr_variant(const cr_run_t *run, const cr_coll_ops_t *ops)
{
    static const cr_coll_ops_t *warned[32];
    size_t i;
    if (!run->o->nonblocking) return CR_VARIANT_BLOCKING;
    if (ops->irun) return CR_VARIANT_NONBLOCKING;
    for (i = 0; i < sizeof warned / sizeof *warned && warned[i]; i++)
        if (warned[i] == ops) return CR_VARIANT_BLOCKING;
    if (i < sizeof warned / sizeof *warned) warned[i] = ops;
    if (run->wrank == 0)
        cr_warn("--nonblocking: %s has no nonblocking call; its rows time the blocking call "
                "(column variant = blocking)", ops->name);
    return CR_VARIANT_BLOCKING;
}

static void cr_fill_result(const cr_run_t *run, const cr_level_ctx_t *lv, const cr_coll_ops_t *ops,
                           const cr_dtype_t *dt, uint64_t bytes, uint64_t block_bytes,
                           cr_cadence_t cad, int calls, cr_result_t *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->run_id, sizeof r->run_id, "%s", run->o->run_id);
    snprintf(r->collective, sizeof r->collective, "%s", ops->name);
    snprintf(r->level, sizeof r->level, "%s", lv->name);
    snprintf(r->cadence, sizeof r->cadence, "%s", cr_cadence_names[cad]);
    snprintf(r->dtype, sizeof r->dtype, "%s", dt->name);
    r->ranks = lv->ranks;
    r->nodes = run->nodes;
    r->ppn = run->ppn;
    r->groups = lv->groups;
    r->bytes = bytes;
    r->block_bytes = block_bytes;
    r->in_place = run->o->in_place && ops->has_in_place;
    r->warmup = run->o->warmup;
    r->calls_per_sample = calls;
    r->variant = cr_cadence_is_overlap(cad) ? CR_VARIANT_NONBLOCKING : cr_variant(run, ops);
    r->t_pure_us = r->t_compute_us = r->overlap = r->overlap_lo = r->overlap_hi = NAN;
    cr_result_no_energy(r);   /* until the hosts' counters say otherwise */
    cr_result_no_wire(r);
    if (ops->skewed) {
        snprintf(r->skew, sizeof r->skew, "%s", run->o->skew.spec);
        r->skew_seed = run->o->skew.seed;
    }
    if (ops->max_recv_bytes && bytes) {   /* the mean rank receives what it sends: S */
        cr_coll_shape_t sh = { .block_count = block_bytes / dt->size, .p = lv->ranks,
                               .rank = -1, .dsize = dt->size, .skew = &run->o->skew };
        r->max_recv_bytes = ops->max_recv_bytes(&sh);
        r->imbalance = (double)r->max_recv_bytes / (double)bytes;
    }
}

/* The median and CI of samples (the same on every rank). */
static cr_overlap_ival_t cr_sampler_median(const cr_sampler_t *s)
{
    cr_stats_t st;
    memcpy(s->sorted, s->all, s->n * sizeof *s->all);
    cr_stats_summarize(s->sorted, s->n, &st);
    return (cr_overlap_ival_t){ .med = st.median, .lo = st.ci_lo, .hi = st.ci_hi };
}

/* Overlap cadences, before the row's samples: t_pure (MPI_I<coll> + wait alone,
 * with the stopping rule), then the kernel calibrated on each rank to F × t_pure
 * (d->units). */
static cr_status_t cr_overlap_prepare(cr_run_t *run, const cr_coll_ops_t *ops, cr_coll_buf_t *b,
                                      cr_bufset_t *bs, int active, cr_sample_do_t *d,
                                      cr_overlap_ival_t *pure, long *wrong)
{
    cr_sample_do_t dp = { .kind = CR_SAMPLE_PURE, .calls = 1 };
    cr_sampler_t s = {0};
    cr_stop_t stop;
    cr_status_t st;
    CR_CHECK_GOTO(cr_sample(run, ops, b, bs, active, &dp, &s, NULL, &stop, wrong), st,
                  out_with_samples);
    *pure = cr_sampler_median(&s);
    if (active) d->units = cr_kernel_calibrate(d->kernel, pure->med * run->o->overlap_compute,
                                                run->timer.now);
out_with_samples:
    cr_sampler_free(&s);
    return st;
}

cr_status_t cr_harness_measure(cr_run_t *run, const cr_level_ctx_t *lv, const cr_coll_ops_t *ops,
                               const cr_dtype_t *dt, uint64_t req_bytes, cr_cadence_t cad)
{
    const cr_opts_t *o = run->o;
    int active = lv->comm != MPI_COMM_NULL;
    int calls = cad == CR_CADENCE_STREAMING ? o->stream_calls : 1;
    int overlap = cr_cadence_is_overlap(cad);
    cr_sample_do_t d = { .kind = CR_SAMPLE_CALLS, .calls = calls };
    cr_overlap_ival_t pure = {0}, compute = {0};
    cr_kernel_t kernel = {0};
    cr_coll_buf_t b = {0};
    cr_bufset_t bs = {0};
    cr_sampler_t s = {0}, ks = {0};   /* the row's samples; overlap: the kernel's alone */
    cr_result_t r;
    uint64_t bytes;
    size_t cnt;
    long wrong = 0, wrong_all = 0;
    struct rusage ru0, ru1;
    double faults;
    int bad = 0, set_up = 0;
    cr_status_t st = CR_OK;

    cnt = cr_coll_block_count(ops, req_bytes, lv->ranks, dt->size, run->max_count, &bytes);
    if (cnt == 0) return CR_OK; /* smaller than one element per block: no row */
    if (overlap && !ops->irun) return CR_OK;  /* no nonblocking call: cr_sweep warned */
    if (run->last.ops == ops && run->last.lv == lv && run->last.cad == cad &&
        run->last.bytes == bytes) {   /* two sizes rounded to the same bytes: one row */
        if (run->wrank == 0 && !run->dup_warned++)
            cr_warn("sizes %" PRIu64 " and %" PRIu64 " both measure %" PRIu64 " bytes of %s on "
                    "%d ranks (whole elements per rank): measured once", run->last.req,
                    req_bytes, bytes, ops->name, lv->ranks);
        run->done++;
        return CR_OK;
    }
    run->last.ops = ops;
    run->last.lv = lv;
    run->last.cad = cad;
    run->last.req = req_bytes;
    run->last.bytes = bytes;
    if (cr_resume_has(run->resume, ops->name, lv->name, cr_cadence_names[cad], bytes)) {
        run->done++; /* measured before the run was interrupted */
        return CR_OK;
    }
    cr_progress(run, ops, lv, bytes);
    cr_watch_begin(ops->name, lv->name, cr_cadence_names[cad], bytes);
    b.comm = lv->comm;
    b.dtype = dt;
    b.skew = &o->skew;
    b.block_count = cnt;
    /* Above INT_MAX elements a block travels as units of a derived type. */
    bad = cr_mpi_check(cr_coll_buf_mpi(&b, run->max_count), "large-count datatype", __FILE__,
                       __LINE__) != CR_OK;
    if (cr_mpi_agree(run->world, bad ? CR_ERR_INVAL : CR_OK) != CR_OK) {
        if (run->wrank == 0)
            cr_error("%s at %" PRIu64 " bytes: %zu elements per block, more than an MPI count "
                     "(at most %d), and the contiguous type that would carry them could not "
                     "be built on every rank", ops->name, bytes, cnt, CR_COLL_MAX_COUNT);
        cr_coll_buf_mpi_free(&b);
        cr_watch_end();
        return CR_ERR_INVAL;
    }
    if (active) {
        cr_coll_shape_t sh;
        MPI_Comm_rank(lv->comm, &b.rank);
        MPI_Comm_size(lv->comm, &b.size);
        sh = cr_coll_buf_shape(&b);
        ops->buf_bytes(&sh, &b.sbytes, &b.rbytes);
        bad = cr_bufset_alloc(run, b.sbytes, b.rbytes, &bs) != CR_OK;
    }
    if (cr_mpi_agree(run->world, bad ? CR_ERR_NOMEM : CR_OK) != CR_OK) {
        if (run->wrank == 0) cr_error("%s at %" PRIu64 " bytes: buffers could not be allocated on every rank", ops->name, bytes);
        cr_bufset_free(&bs);
        cr_coll_buf_mpi_free(&b);
        cr_watch_end();
        return CR_ERR_NOMEM;
    }
    if (active) cr_bufset_next(&bs, &b);

    /* The plug-in's per-measurement state (same ops everywhere, so every rank
     * agrees on the outcome or none does). */
    if (ops->setup) {
        if (active) {
            st = ops->setup(&b);
            set_up = st == CR_OK;
        }
        if ((st = cr_mpi_agree(run->world, st)) != CR_OK) {
            if (run->wrank == 0)
                cr_error("%s at %" PRIu64 " bytes: the collective's set-up failed on a rank",
                         ops->name, bytes);
            goto out_with_state;
        }
    }

    /* Validation, outside the timed loop. */
    if (o->validate != CR_VALIDATE_OFF && active) {
        wrong = cr_validate_once(run, ops, &b, overlap);
        if (wrong < 0) { st = CR_ERR_MPI; goto out_with_state; }
    }
    for (int i = 0; active && i < bs.n; i++) {
        cr_bufset_next(&bs, &b);
        cr_prepare_timed(ops, &b);
    }

    /* Warm-up: the timed pattern, discarded. */
    for (int i = 0; i < o->warmup; i++) {
        if (cr_mpi_failed(MPI_Barrier(run->world), "warm-up barrier", ops->name)) {
            st = CR_ERR_MPI;
            goto out_with_state;
        }
        for (int k = 0; active && k < calls; k++)
            if (cr_mpi_failed(overlap ? cr_icall(ops, &b) : cr_call(run, ops, &b), "warm-up call",
                              ops->name)) {
                st = CR_ERR_MPI;
                goto out_with_state;
            }
    }

    cr_fill_result(run, lv, ops, dt, bytes, cnt * dt->size, cad, calls, &r);
    if (overlap) {
        st = cr_mpi_agree(run->world, active ? cr_kernel_init(&kernel) : CR_OK);
        if (st != CR_OK) goto out_with_samples;
        d = (cr_sample_do_t){ .kind = cad == CR_CADENCE_OVERLAP_TEST ? CR_SAMPLE_OVERLAP_TEST
                                                                     : CR_SAMPLE_OVERLAP,
                              .calls = 1, .kernel = &kernel, .paired = 1 };
        CR_CHECK_GOTO(cr_overlap_prepare(run, ops, &b, &bs, active, &d, &pure, &wrong), st,
                      out_with_samples);
    }
    getrusage(RUSAGE_SELF, &ru0);
    cr_energy_begin(run->energy, run->timer.now());
    cr_wire_begin(run->wire, run->timer.now());
    CR_CHECK_GOTO(cr_sample(run, ops, &b, &bs, active, &d, &s, &ks, &r.stop, &wrong), st,
                  out_with_samples);
    cr_wire_stop(run->wire, run->timer.now());
    if (overlap) compute = cr_sampler_median(&ks);
    getrusage(RUSAGE_SELF, &ru1);
    /* Energy of the whole loop (barriers and reductions included) per call made. */
    CR_CHECK_GOTO(cr_energy_end(run->energy, run->world, run->timer.now(),
                                (double)s.n * calls, bytes, &r), st, out_with_samples);
    /* An overlap loop also runs a compute-alone sample per call: its energy is not the
     * call's (docs/method.md, "Energy"). */
    if (overlap) cr_result_no_energy(&r);
    /* Bytes on the wire of the same loop, then an idle interval for the background
     * (docs/method.md, "Bytes on the wire"). */
    CR_CHECK_GOTO(cr_wire_end(run->wire, run->world, lv, ops,
                              (cr_coll_shape_t){ .block_count = cnt, .dsize = dt->size,
                                                 .in_place = r.in_place, .skew = &o->skew },
                              (double)s.n * calls, &r), st, out_with_samples);
    /* Page faults in the loop: an MPI library that maps fresh memory every call (a
     * temporary that malloc hands out with mmap) pays for it in every sample. */
    faults = active && s.n ? (double)(ru1.ru_minflt - ru0.ru_minflt) / ((double)s.n * calls) : 0;
    if (cr_mpi_failed(MPI_Reduce(&faults, &r.faults_per_call, 1, MPI_DOUBLE, MPI_MAX, 0,
                                 run->world), "page-fault count", ops->name)) {
        st = CR_ERR_MPI;
        goto out_with_samples;
    }

    if (cr_mpi_failed(MPI_Allreduce(&wrong, &wrong_all, 1, MPI_LONG, MPI_SUM, run->world),
                      "validation count", ops->name)) {
        st = CR_ERR_MPI;
        goto out_with_samples;
    }
    r.valid = o->validate == CR_VALIDATE_OFF ? CR_VALID_SKIPPED
              : wrong_all ? CR_VALID_FAIL : CR_VALID_PASS;
    if (wrong_all) run->failures++;
    if (run->wrank == 0) {
        double F = ops->bus_factor(lv->ranks);
        memcpy(s.sorted, s.all, s.n * sizeof *s.all);
        cr_stats_summarize(s.sorted, s.n, &r.t);
        r.algbw_GBps = r.t.median > 0 ? (double)bytes / r.t.median * 1e-3 : 0.0;
        r.busbw_GBps = r.algbw_GBps * F;
        if (overlap) {
            cr_overlap_ival_t ov = { .med = r.t.median, .lo = r.t.ci_lo, .hi = r.t.ci_hi };
            r.t_pure_us = pure.med;
            r.t_compute_us = compute.med;
            cr_overlap_compute(pure, compute, ov, &r.overlap, &r.overlap_lo, &r.overlap_hi);
        }
        r.low_resolution = r.t.median < 10.0 * run->timer.resolution_us;
        snprintf(r.mem, sizeof r.mem, "%s", bs.n ? bs.r.region.placed : "none");
        snprintf(r.pages, sizeof r.pages, "%s", bs.n ? bs.r.region.pages : "none");
        r.cold = o->cold_cache && bs.n && bs.r.cold;
        if (run->progress) fputs("\r\033[K", stderr);
        if (cr_result_fresh_memory(r.faults_per_call, bytes)) cr_warn_fresh_memory(ops, &r);
        if (wrong_all)
            cr_error("%s %s %s at %" PRIu64 " bytes: %ld wrong elements (validation failed)",
                     ops->name, lv->name, dt->name, bytes, wrong_all);
        for (int w = 0; w < run->nwriters; w++)
            if ((st = cr_writer_row(&run->writers[w], &r, s.all, s.n)) != CR_OK) {
                while (w-- > 0) cr_writer_unrow(&run->writers[w]);   /* files agree */
                goto out_with_samples;
            }
        run->rows++;
    }
    run->done++;
out_with_samples:
    cr_sampler_free(&s);
    cr_sampler_free(&ks);
    cr_kernel_free(&kernel);
out_with_state:
    if (set_up && ops->teardown) ops->teardown(&b);
    cr_bufset_free(&bs);
    cr_coll_buf_mpi_free(&b);
    cr_watch_end();
    return st;
}
