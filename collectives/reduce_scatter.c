/* reduce_scatter (MPI_Reduce_scatter_block): rank d ends with the sum over all ranks
 * of their block d. S = the per-rank input vector (p blocks of block_count elements);
 * F(p) = (p−1)/p, 0 for p = 1. Block d of rank s: v(s, d, i). In place, rbuf holds
 * the whole input vector and the result lands in its first block. */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include <string.h>
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

static int cr_reduce_scatter_s_blocks(int p) { return p; }

static void cr_reduce_scatter_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes,
                                        size_t *rbytes)
{
    size_t all = (size_t)sh->p * sh->block_count * sh->dsize;
    *sbytes = sh->in_place ? 0 : all;
    *rbytes = sh->in_place ? all : sh->block_count * sh->dsize;
}

static double cr_reduce_scatter_bus_factor(int p) { return p > 0 ? (double)(p - 1) / p : 0.0; }

/* The blocks of the others' sums go out, its own block's sum depends on the
 * others: S·(p−1)/p and S/p. */
static void cr_reduce_scatter_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent,
                                         uint64_t *recvd)
{
    uint64_t block = (uint64_t)sh->block_count * sh->dsize;
    *sent = (uint64_t)(sh->p - 1) * block;
    *recvd = sh->p > 1 ? block : 0;
}

/* Each host's S of input feeds the other hosts' (n−1)/n·S of output: each host
 * sends at least that much (combined with others on the way or not). */
static uint64_t cr_reduce_scatter_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    return hosts > 1 ? (uint64_t)(hosts - 1) * sh->block_count * sh->dsize * (uint64_t)sh->p : 0;
}

#ifdef CR_COLL_MPI
static void cr_reduce_scatter_fill(const cr_coll_buf_t *b)
{
    size_t n = b->block_count;
    void *in = b->in_place ? b->rbuf : b->sbuf;
    for (int dst = 0; dst < b->size; dst++)
        cr_pattern_fill(b->dtype, cr_pattern_block(b->dtype, in, n, (size_t)dst), n,
                        b->rank, dst);
    if (!b->in_place) cr_pattern_poison(b->dtype, b->rbuf, n);
}

/* In place the sum replaces the input and grows by p every call: time it on zeros. */
static void cr_reduce_scatter_prepare_timed(const cr_coll_buf_t *b)
{
    cr_reduce_scatter_fill(b);
    if (b->in_place) memset(b->rbuf, 0, b->rbytes);
}

static int cr_reduce_scatter_run(const cr_coll_buf_t *b)
{
    return MPI_Reduce_scatter_block(b->in_place ? MPI_IN_PLACE : b->sbuf, b->rbuf,
                                    b->count, b->mpi_type, b->sum, b->comm);
}

static int cr_reduce_scatter_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    return MPI_Ireduce_scatter_block(b->in_place ? MPI_IN_PLACE : b->sbuf, b->rbuf,
                                     b->count, b->mpi_type, b->sum, b->comm,
                                     &req->mpi);
}

static size_t cr_reduce_scatter_check(const cr_coll_buf_t *b)
{
    return cr_pattern_check_sum(b->dtype, b->rbuf, b->block_count, b->size, b->rank);
}
#endif

const cr_coll_ops_t cr_coll_reduce_scatter = {
    .name = "reduce_scatter",
    .reduction = 1,
    .has_in_place = 1,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_reduce_scatter_s_blocks,
    .buf_bytes = cr_reduce_scatter_buf_bytes,
    .bus_factor = cr_reduce_scatter_bus_factor,
    .data_bytes = cr_reduce_scatter_data_bytes,
    .wire_min_bytes = cr_reduce_scatter_wire_min_bytes,
    .ops_per_call = 1,
    .fill = CR_COLL_MPI_FN(cr_reduce_scatter_fill),
    .prepare_timed = CR_COLL_MPI_FN(cr_reduce_scatter_prepare_timed),
    .run = CR_COLL_MPI_FN(cr_reduce_scatter_run),
    .irun = CR_COLL_MPI_FN(cr_reduce_scatter_irun),
    .check = CR_COLL_MPI_FN(cr_reduce_scatter_check),
};
