/* MPI test of the measurement loop itself: cr_harness_measure on test plug-ins
 * defined here (not registered), run the way collroof builds a run (cr_app.c).
 * The callbacks count their calls and check, as they are called, what the plug-in
 * contract promises (cr_coll.h): setup once, first, with the buffers in place;
 * b->state as setup left it in every later call; nothing after teardown; the
 * validation call on filled buffers, the timed calls on prepare_timed's (or fill's).
 * Modes:
 *   state        setup/teardown/state: isolated and streaming, on the world and on
 *                a group without the last rank (which must see no call at all);
 *   prepare      prepare_timed given, then NULL (fill instead);
 *   setup-fails  setup refuses on rank 1: an error on every rank, teardown only
 *                where setup succeeded, no row;
 *   per-op       a call that sleeps 2 ms and counts 2 operations: median ~1 ms.
 * Usage: harness_driver MODE OUTDIR (rows in OUTDIR/results.csv, written by rank 0);
 * exit status 0 when every check passed on every rank. */
#include "config.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cr_fs.h"
#include "cr_harness.h"
#include "cr_mpi.h"

#define HD_MAGIC 0x68647374u
#define HD_SLEEP_NS 2000000L   /* per call in per-op mode: 2 ms = 2 operations of 1 ms */

/* What setup leaves in b->state. */
typedef struct hd_state {
    unsigned magic;
    int rank;                  /* b->rank at setup */
} hd_state_t;

/* Calls of the current measurement on this rank. */
typedef struct hd_calls {
    int setup, teardown, fill, prepare, run, check;
} hd_calls_t;

static hd_calls_t hd;
static const hd_state_t *hd_set;   /* what setup stored, until teardown */
static char hd_timed_mark;         /* 'P' or 'F': who prepares the timed calls' buffers */
static int hd_wrank, hd_fail_rank = -1; /* setup refuses on this world rank */
static long hd_failures;           /* checks failed on this rank */

static void hd_broken(int line, const char *what)
{
    if (hd_failures++ < 8)
        fprintf(stderr, "harness_driver: rank %d: line %d: broken: %s\n", hd_wrank, line, what);
}
#define HD_EXPECT(cond, what) ((cond) ? (void)0 : hd_broken(__LINE__, (what)))

/* ---- the test plug-in: one block of block_count elements, no data moved ---- */

static int hd_s_blocks(int p) { (void)p; return 1; }
static double hd_bus_factor(int p) { (void)p; return 1.0; }
static void hd_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = *rbytes = sh->block_count * sh->dsize;
}

/* Every call between setup and teardown sees setup's state. */
static void hd_live(const cr_coll_buf_t *b)
{
    const hd_state_t *s = b->state;
    HD_EXPECT(hd.setup == 1 && hd.teardown == 0, "a call outside setup..teardown");
    HD_EXPECT(s && s == hd_set && s->magic == HD_MAGIC && s->rank == b->rank,
              "b->state is not what setup set");
}

static cr_status_t hd_setup(cr_coll_buf_t *b)
{
    cr_coll_shape_t sh = cr_coll_buf_shape(b);
    size_t sb, rb;
    hd_state_t *s;
    hd.setup++;
    HD_EXPECT(hd.fill + hd.prepare + hd.run + hd.check + hd.teardown == 0,
              "setup after another call");
    HD_EXPECT(b->state == NULL, "b->state not NULL before setup");
    hd_buf_bytes(&sh, &sb, &rb);
    HD_EXPECT(b->sbuf && b->rbuf && b->sbytes == sb && b->rbytes == rb,
              "buffers not in place at setup");
    if (hd_wrank == hd_fail_rank) {
        cr_error("harness test: setup refused on rank %d", hd_wrank);
        return CR_ERR_INVAL;
    }
    s = malloc(sizeof *s);
    CR_CHECK_ALLOC(s, sizeof *s);
    *s = (hd_state_t){ .magic = HD_MAGIC, .rank = b->rank };
    b->state = s;
    hd_set = s;
    return CR_OK;
}

static void hd_teardown(cr_coll_buf_t *b)
{
    hd_live(b);
    hd.teardown++;
    free(b->state);
    hd_set = NULL;
}

/* The buffers say who prepared them: 'F' fill, 'P' prepare_timed. */
static void hd_fill(const cr_coll_buf_t *b)
{
    hd_live(b);
    hd.fill++;
    memset(b->rbuf, 'F', b->rbytes);
}

static void hd_prepare_timed(const cr_coll_buf_t *b)
{
    hd_live(b);
    hd.prepare++;
    memset(b->rbuf, 'P', b->rbytes);
}

/* Call 1 validates (on fill's buffers); the later ones are timed. */
static int hd_run(const cr_coll_buf_t *b)
{
    const char *r = b->rbuf;
    hd_live(b);
    hd.run++;
    if (hd.run == 1)
        HD_EXPECT(r[0] == 'F' && hd.fill == 1 && hd.prepare == 0, "validation call not on fill's buffers");
    else
        HD_EXPECT(r[0] == hd_timed_mark && r[b->rbytes - 1] == hd_timed_mark && hd.check == 1,
                  hd_timed_mark == 'P' ? "timed call not on prepare_timed's buffers"
                                       : "timed call not on fill's buffers");
    return MPI_SUCCESS;
}

static size_t hd_check(const cr_coll_buf_t *b)
{
    hd_live(b);
    hd.check++;
    HD_EXPECT(hd.run == 1, "check not right after the validation call");
    return 0;
}

static int hd_run_sleep(const cr_coll_buf_t *b)
{
    struct timespec ts = { .tv_sec = 0, .tv_nsec = HD_SLEEP_NS };
    (void)b;
    while (nanosleep(&ts, &ts) != 0) continue;
    return MPI_SUCCESS;
}

static size_t hd_check_none(const cr_coll_buf_t *b) { (void)b; return 0; }
static void hd_fill_none(const cr_coll_buf_t *b) { (void)b; }

#define HD_PURE .s_blocks = hd_s_blocks, .buf_bytes = hd_buf_bytes, .bus_factor = hd_bus_factor, \
                .on = CR_COLL_ON_LEVELS

static const cr_coll_ops_t hd_plain = {
    .name = "hd_plain", HD_PURE, .ops_per_call = 1,
    .setup = hd_setup, .teardown = hd_teardown,
    .fill = hd_fill, .run = hd_run, .check = hd_check,
};
static const cr_coll_ops_t hd_prepared = {
    .name = "hd_prepared", HD_PURE, .ops_per_call = 1,
    .setup = hd_setup, .teardown = hd_teardown,
    .fill = hd_fill, .prepare_timed = hd_prepare_timed, .run = hd_run, .check = hd_check,
};
static const cr_coll_ops_t hd_sleep = {
    .name = "hd_sleep", HD_PURE, .ops_per_call = 2,
    .fill = hd_fill_none, .run = hd_run_sleep, .check = hd_check_none,
};

/* ---- a writer that keeps the last row (rank 0) ---- */

static cr_result_t hd_row;
static int hd_rows;

static cr_status_t hd_capture_begin(cr_writer_t *w, const json_t *meta)
{
    (void)w;
    (void)meta;
    return CR_OK;
}

static cr_status_t hd_capture_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t n)
{
    (void)w;
    (void)raw;
    (void)n;
    hd_row = *r;
    hd_rows++;
    return CR_OK;
}

static const cr_writer_ops_t hd_capture = {
    .name = "capture", .begin = hd_capture_begin, .row = hd_capture_row,
};

/* ---- measurements and what they must have called ---- */

static void hd_expect_calls(const hd_calls_t *want, const char *what)
{
    char msg[256];
    if (!memcmp(&hd, want, sizeof hd)) return;
    snprintf(msg, sizeof msg, "%s: calls setup %d teardown %d fill %d prepare %d run %d check %d, "
             "expected %d %d %d %d %d %d", what, hd.setup, hd.teardown, hd.fill, hd.prepare, hd.run,
             hd.check, want->setup, want->teardown, want->fill, want->prepare, want->run, want->check);
    hd_broken(__LINE__, msg);
}

/* One measurement of a setup/teardown plug-in; its calls against what the options imply. */
static void hd_measure_state(cr_run_t *run, const cr_level_ctx_t *lv, const cr_coll_ops_t *ops,
                             const cr_dtype_t *dt, int streaming)
{
    const cr_opts_t *o = run->o;
    int calls = streaming ? o->stream_calls : 1, active = lv->comm != MPI_COMM_NULL;
    hd_calls_t want = { 0 };
    cr_status_t st;
    memset(&hd, 0, sizeof hd);
    hd_timed_mark = ops->prepare_timed ? 'P' : 'F';
    st = cr_harness_measure(run, lv, ops, dt, o->sizes[0], streaming);
    HD_EXPECT(st == CR_OK, "cr_harness_measure failed");
    if (active) /* validation (fill, run, check), then the timed buffers, warm-up, samples */
        want = (hd_calls_t){ .setup = 1, .teardown = 1, .check = 1,
                             .fill = ops->prepare_timed ? 1 : 2, .prepare = !!ops->prepare_timed,
                             .run = 1 + (o->warmup + o->min_iters) * calls };
    hd_expect_calls(&want, ops->name);
    HD_EXPECT(hd_set == NULL, "state left after the measurement");
}

static void hd_mode_state(cr_run_t *run, const cr_dtype_t *dt)
{
    MPI_Comm part;
    int last = run->wrank == run->wsize - 1;
    MPI_Comm_split(run->world, last ? MPI_UNDEFINED : 0, run->wrank, &part);
    const cr_level_ctx_t lv[] = {
        { .name = "world", .comm = run->world, .ranks = run->wsize, .groups = 1 },
        { .name = "part", .comm = part, .ranks = run->wsize - 1, .groups = 1 },
    };
    for (size_t l = 0; l < sizeof lv / sizeof *lv; l++)
        for (int streaming = 0; streaming < 2; streaming++)
            hd_measure_state(run, &lv[l], &hd_plain, dt, streaming);
    if (part != MPI_COMM_NULL) MPI_Comm_free(&part);
}

static void hd_mode_prepare(cr_run_t *run, const cr_level_ctx_t *world, const cr_dtype_t *dt)
{
    hd_measure_state(run, world, &hd_prepared, dt, 0);
    hd_measure_state(run, world, &hd_plain, dt, 0);
}

static void hd_mode_setup_fails(cr_run_t *run, const cr_level_ctx_t *world, const cr_dtype_t *dt)
{
    hd_calls_t want = { .setup = 1, .teardown = run->wrank != 1 };
    cr_status_t st;
    hd_fail_rank = 1;
    memset(&hd, 0, sizeof hd);
    st = cr_harness_measure(run, world, &hd_plain, dt, run->o->sizes[0], 0);
    HD_EXPECT(st != CR_OK, "cr_harness_measure succeeded after a failed setup");
    hd_expect_calls(&want, "failed setup");
    HD_EXPECT(hd_rows == 0 && run->rows == 0, "a row after a failed setup");
    free((void *)hd_set); /* only if teardown was missed */
    hd_set = NULL;
}

/* Median per operation of a 2 ms call counted as 2 operations: ~1 ms, within a band
 * wide enough for a shared machine (this checks the division, not the clock). */
static void hd_mode_per_op(cr_run_t *run, const cr_level_ctx_t *world, const cr_dtype_t *dt)
{
    for (int streaming = 0; streaming < 2; streaming++) {
        int before = hd_rows;
        HD_EXPECT(cr_harness_measure(run, world, &hd_sleep, dt, run->o->sizes[0], streaming) == CR_OK,
                  "cr_harness_measure failed");
        if (run->wrank != 0) continue;
        HD_EXPECT(hd_rows == before + 1, "no row");
        printf("harness_driver: %s median %.1f us per operation (2 ms calls, 2 operations each)\n",
               streaming ? "streaming" : "isolated", hd_row.t.median);
        HD_EXPECT(hd_row.t.median >= 900.0 && hd_row.t.median <= 1600.0,
                  "median per operation outside 0.9-1.6 ms");
    }
}

/* Rank 0: results.csv in dir and the capture writer. */
static cr_status_t hd_open_writers(cr_run_t *run, const char *dir)
{
    char err[1200];
    if (run->wrank != 0) return CR_OK;
    if (cr_mkdir_p(dir, err, sizeof err) != CR_OK) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    CR_CHECK(cr_writer_open(&run->writers[0], &cr_writer_csv, dir, NULL, NULL));
    run->nwriters = 1;
    CR_CHECK(cr_writer_open(&run->writers[1], &hd_capture, NULL, stdout, NULL));
    run->nwriters = 2;
    return CR_OK;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 2 ? argv[1] : "";
    char *opt_argv[] = { "harness_driver", "-q", "-m", "64", "--min-iters", "20", "--max-iters",
                         "20", "--warmup", "2", "--stream-calls", "4", "--validate", "once",
                         NULL };
    char err[1400], host[MPI_MAX_PROCESSOR_NAME] = "?";
    cr_opts_t o;
    cr_run_t run = { .inject_fault = -1, .inject_stall = -1 };
    const cr_dtype_t *dt = cr_dtype_find("float");
    long failures = 0;
    int hlen = 0;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &run.wrank);
    MPI_Comm_size(MPI_COMM_WORLD, &run.wsize);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Get_processor_name(host, &hlen);
    cr_log_set_prefix("harness_driver", host, run.wrank);
    hd_wrank = run.wrank;
    if (cr_opts_parse((int)(sizeof opt_argv / sizeof *opt_argv) - 1, opt_argv, 0, &o, err,
                      sizeof err) != CR_OK) {
        cr_error("%s", err);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    run.o = &o;
    run.world = MPI_COMM_WORLD;
    run.nodes = 1;
    run.ppn = run.wsize;
    cr_timer_init(&run.timer, o.timer);
    if (cr_mpi_agree(run.world, hd_open_writers(&run, argv[argc - 1])) != CR_OK)
        MPI_Abort(MPI_COMM_WORLD, 2);

    const cr_level_ctx_t world = { .name = "world", .comm = run.world, .ranks = run.wsize,
                                   .groups = 1 };
    if (!strcmp(mode, "state")) hd_mode_state(&run, dt);
    else if (!strcmp(mode, "prepare")) hd_mode_prepare(&run, &world, dt);
    else if (!strcmp(mode, "setup-fails") && run.wsize >= 2) hd_mode_setup_fails(&run, &world, dt);
    else if (!strcmp(mode, "per-op")) hd_mode_per_op(&run, &world, dt);
    else {
        if (run.wrank == 0)
            fprintf(stderr, "usage: harness_driver state|prepare|setup-fails|per-op OUTDIR "
                    "(setup-fails: 2 ranks or more)\n");
        hd_failures++;
    }

    MPI_Allreduce(&hd_failures, &failures, 1, MPI_LONG, MPI_SUM, run.world);
    if (run.wrank == 0)
        printf("harness_driver %s: %d ranks, %d rows, %ld failed checks\n", mode, run.wsize,
               run.rows, failures);
    for (int w = 0; w < run.nwriters; w++) cr_writer_close(&run.writers[w]);
    cr_opts_free(&o);
    MPI_Finalize();
    return failures != 0;
}
