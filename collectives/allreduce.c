/* allreduce: every rank ends with the element-wise sum of all ranks' vectors.
 * S = the per-rank vector (one block of block_count elements); F(p) = 2(p−1)/p,
 * 0 for p = 1 (nothing crosses a link). Input of rank r: v(r, −1, i). */
#include "config.h"

#include "cr_coll.h"
#include "pattern.h"

static int cr_allreduce_s_blocks(int p) { (void)p; return 1; }

static void cr_allreduce_buf_bytes(size_t block_count, int p, size_t dsize, int in_place,
                                   size_t *sbytes, size_t *rbytes)
{
    (void)p;
    *sbytes = in_place ? 0 : block_count * dsize;
    *rbytes = block_count * dsize;
}

static void cr_allreduce_fill(const cr_coll_buf_t *b)
{
    if (b->in_place) {
        cr_pattern_fill(b->dtype, b->rbuf, b->block_count, b->rank, -1);
        return;
    }
    cr_pattern_fill(b->dtype, b->sbuf, b->block_count, b->rank, -1);
    cr_pattern_poison(b->dtype, b->rbuf, b->block_count);
}

static int cr_allreduce_run(const cr_coll_buf_t *b)
{
    return MPI_Allreduce(b->in_place ? MPI_IN_PLACE : b->sbuf, b->rbuf, (int)b->block_count,
                         b->mpi_type, MPI_SUM, b->comm);
}

static int cr_allreduce_irun(const cr_coll_buf_t *b, MPI_Request *req)
{
    return MPI_Iallreduce(b->in_place ? MPI_IN_PLACE : b->sbuf, b->rbuf, (int)b->block_count,
                          b->mpi_type, MPI_SUM, b->comm, req);
}

static size_t cr_allreduce_check(const cr_coll_buf_t *b)
{
    return cr_pattern_check_sum(b->dtype, b->rbuf, b->block_count, b->size, -1);
}

static double cr_allreduce_bus_factor(int p) { return p > 0 ? 2.0 * (p - 1) / p : 0.0; }

const cr_coll_ops_t cr_coll_allreduce = {
    .name = "allreduce",
    .reduction = 1,
    .has_in_place = 1,
    .pairwise = 0,
    .s_blocks = cr_allreduce_s_blocks,
    .buf_bytes = cr_allreduce_buf_bytes,
    .fill = cr_allreduce_fill,
    .run = cr_allreduce_run,
    .irun = cr_allreduce_irun,
    .check = cr_allreduce_check,
    .bus_factor = cr_allreduce_bus_factor,
    .time_divisor = 1,
};
