/* Testing only (COLLROOF_TEST_PLUGINS=1, never in -c all): a "collective" that is
 * only a deadline, so that its progress owes nothing to the CPU or to MPI calls.
 * irun records now + T; iwait spins until then (a sleep's wake-up would add the
 * scheduler's latency); itest says whether it passed;
 * run = irun + iwait. T = 200 µs + S / (1 GB/s). The overlap cadences must find
 * it hidden entirely behind compute (overlap ≈ 1): tests/mpi-overlap.sh. */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include <time.h>
#endif

static int cr_deadline_s_blocks(int p) { (void)p; return 1; }

static void cr_deadline_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = 0;
    *rbytes = sh->block_count * sh->dsize;
}

static double cr_deadline_bus_factor(int p) { (void)p; return 1.0; }

#ifdef CR_COLL_MPI
static double cr_deadline_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void cr_deadline_fill(const cr_coll_buf_t *b) { (void)b; }

static int cr_deadline_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    double bytes = (double)b->block_count * (double)b->dtype->size;
    req->mpi = MPI_REQUEST_NULL;
    req->until = cr_deadline_now() + 200e-6 + bytes * 1e-9;
    return MPI_SUCCESS;
}

static int cr_deadline_iwait(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    (void)b;
    while (cr_deadline_now() < req->until) {}
    return MPI_SUCCESS;
}

static int cr_deadline_itest(const cr_coll_buf_t *b, cr_coll_req_t *req, int *done)
{
    (void)b;
    *done = cr_deadline_now() >= req->until;
    return MPI_SUCCESS;
}

static int cr_deadline_run(const cr_coll_buf_t *b)
{
    cr_coll_req_t req;
    cr_deadline_irun(b, &req);
    return cr_deadline_iwait(b, &req);
}

static size_t cr_deadline_check(const cr_coll_buf_t *b) { (void)b; return 0; }
#endif

const cr_coll_ops_t cr_coll_test_deadline = {
    .name = "test_deadline",
    .reduction = 0,
    .has_in_place = 0,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_deadline_s_blocks,
    .buf_bytes = cr_deadline_buf_bytes,
    .bus_factor = cr_deadline_bus_factor,
    .ops_per_call = 1,
    .fill = CR_COLL_MPI_FN(cr_deadline_fill),
    .run = CR_COLL_MPI_FN(cr_deadline_run),
    .irun = CR_COLL_MPI_FN(cr_deadline_irun),
    .iwait = CR_COLL_MPI_FN(cr_deadline_iwait),
    .itest = CR_COLL_MPI_FN(cr_deadline_itest),
    .check = CR_COLL_MPI_FN(cr_deadline_check),
};
