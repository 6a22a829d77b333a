/* allreduce: every rank ends with the element-wise sum of all ranks' vectors.
 * S = the per-rank vector (one block of block_count elements); F(p) = 2(p−1)/p,
 * 0 for p = 1 (nothing crosses a link). Input of rank r: v(r, −1, i). */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include <string.h>
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

static int cr_allreduce_s_blocks(int p) { (void)p; return 1; }

static void cr_allreduce_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = sh->in_place ? 0 : sh->block_count * sh->dsize;
    *rbytes = sh->block_count * sh->dsize;
}

static double cr_allreduce_bus_factor(int p) { return p > 0 ? 2.0 * (p - 1) / p : 0.0; }

/* The whole vector goes out, and the whole sum depends on the others: S and S. */
static void cr_allreduce_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    *sent = *recvd = sh->p > 1 ? (uint64_t)sh->block_count * sh->dsize : 0;
}

/* Every host needs the sum of every host's S: per element, 2(n−1) one-way messages
 * at least (reduce along a tree, broadcast back: the gossip bound), 2(n−1)/n·S per
 * host as a ring sends. */
static uint64_t cr_allreduce_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    return hosts > 1 ? 2 * (uint64_t)(hosts - 1) * (uint64_t)sh->block_count * sh->dsize : 0;
}

#ifdef CR_COLL_MPI
static void cr_allreduce_fill(const cr_coll_buf_t *b)
{
    if (b->in_place) {
        cr_pattern_fill(b->dtype, b->rbuf, b->block_count, b->rank, -1);
        return;
    }
    cr_pattern_fill(b->dtype, b->sbuf, b->block_count, b->rank, -1);
    cr_pattern_poison(b->dtype, b->rbuf, b->block_count);
}

/* In place the sum replaces the input and grows by p every call: time it on zeros. */
static void cr_allreduce_prepare_timed(const cr_coll_buf_t *b)
{
    cr_allreduce_fill(b);
    if (b->in_place) memset(b->rbuf, 0, b->rbytes);
}

static int cr_allreduce_run(const cr_coll_buf_t *b)
{
    return MPI_Allreduce(b->in_place ? MPI_IN_PLACE : b->sbuf, b->rbuf, b->count,
                         b->mpi_type, b->sum, b->comm);
}

static int cr_allreduce_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    return MPI_Iallreduce(b->in_place ? MPI_IN_PLACE : b->sbuf, b->rbuf, b->count,
                          b->mpi_type, b->sum, b->comm, &req->mpi);
}

static size_t cr_allreduce_check(const cr_coll_buf_t *b)
{
    return cr_pattern_check_sum(b->dtype, b->rbuf, b->block_count, b->size, -1);
}
#endif

const cr_coll_ops_t cr_coll_allreduce = {
    .name = "allreduce",
    .reduction = 1,
    .has_in_place = 1,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_allreduce_s_blocks,
    .buf_bytes = cr_allreduce_buf_bytes,
    .bus_factor = cr_allreduce_bus_factor,
    .data_bytes = cr_allreduce_data_bytes,
    .wire_min_bytes = cr_allreduce_wire_min_bytes,
    .ops_per_call = 1,
    .fill = CR_COLL_MPI_FN(cr_allreduce_fill),
    .prepare_timed = CR_COLL_MPI_FN(cr_allreduce_prepare_timed),
    .run = CR_COLL_MPI_FN(cr_allreduce_run),
    .irun = CR_COLL_MPI_FN(cr_allreduce_irun),
    .check = CR_COLL_MPI_FN(cr_allreduce_check),
};
