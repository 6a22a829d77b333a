/* reduce_scatter (MPI_Reduce_scatter_block): rank d ends with the sum over all ranks
 * of their block d. S = the per-rank input vector (p blocks of block_count elements);
 * F(p) = (p−1)/p, 0 for p = 1. Block d of rank s: v(s, d, i). In place, rbuf holds
 * the whole input vector and the result lands in its first block. */
#include "config.h"

#include "cr_coll.h"
#include "pattern.h"

static int cr_reduce_scatter_s_blocks(int p) { return p; }

static void cr_reduce_scatter_buf_bytes(size_t block_count, int p, size_t dsize, int in_place,
                                        size_t *sbytes, size_t *rbytes)
{
    size_t all = (size_t)p * block_count * dsize;
    *sbytes = in_place ? 0 : all;
    *rbytes = in_place ? all : block_count * dsize;
}

static void cr_reduce_scatter_fill(const cr_coll_buf_t *b)
{
    size_t n = b->block_count;
    void *in = b->in_place ? b->rbuf : b->sbuf;
    for (int dst = 0; dst < b->size; dst++)
        cr_pattern_fill(b->dtype, cr_pattern_block(b->dtype, in, n, (size_t)dst), n,
                        b->rank, dst);
    if (!b->in_place) cr_pattern_poison(b->dtype, b->rbuf, n);
}

static int cr_reduce_scatter_run(const cr_coll_buf_t *b)
{
    return MPI_Reduce_scatter_block(b->in_place ? MPI_IN_PLACE : b->sbuf, b->rbuf,
                                    (int)b->block_count, b->mpi_type, MPI_SUM, b->comm);
}

static int cr_reduce_scatter_irun(const cr_coll_buf_t *b, MPI_Request *req)
{
    return MPI_Ireduce_scatter_block(b->in_place ? MPI_IN_PLACE : b->sbuf, b->rbuf,
                                     (int)b->block_count, b->mpi_type, MPI_SUM, b->comm, req);
}

static size_t cr_reduce_scatter_check(const cr_coll_buf_t *b)
{
    return cr_pattern_check_sum(b->dtype, b->rbuf, b->block_count, b->size, b->rank);
}

static double cr_reduce_scatter_bus_factor(int p) { return p > 0 ? (double)(p - 1) / p : 0.0; }

const cr_coll_ops_t cr_coll_reduce_scatter = {
    .name = "reduce_scatter",
    .reduction = 1,
    .has_in_place = 1,
    .pairwise = 0,
    .s_blocks = cr_reduce_scatter_s_blocks,
    .buf_bytes = cr_reduce_scatter_buf_bytes,
    .fill = cr_reduce_scatter_fill,
    .run = cr_reduce_scatter_run,
    .irun = cr_reduce_scatter_irun,
    .check = cr_reduce_scatter_check,
    .bus_factor = cr_reduce_scatter_bus_factor,
    .time_divisor = 1,
};
