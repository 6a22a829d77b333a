/* reduce to rank 0 (MPI_Reduce, MPI_SUM): the root ends with the element-wise sum of
 * all ranks' vectors. S = the vector (one block of block_count elements); F(p) = 1
 * (nccl-tests' Reduce: all of S must reach the root through its one link, as all of
 * a bcast leaves it). Input of rank r: v(r, −1, i). In place (MPI_IN_PLACE at the
 * root only, MPI-3.1 5.9.1) the root's input and output are rbuf; the others always
 * send from sbuf. Only the root has an output buffer; check() reads the root's. */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include <string.h>
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

#define CR_REDUCE_ROOT 0

static int cr_reduce_s_blocks(int p) { (void)p; return 1; }

/* rank −1: the most of any rank (the root's output, a non-root's input). */
static void cr_reduce_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    size_t s = sh->block_count * sh->dsize;
    int root = sh->rank == CR_REDUCE_ROOT, any = sh->rank < 0;
    *sbytes = root && sh->in_place ? 0 : s;
    *rbytes = root || any ? s : 0;
}

static double cr_reduce_bus_factor(int p) { (void)p; return 1.0; }

/* Every other rank's vector goes to the root (S each), and the root's whole sum
 * depends on them (S); the root's own vector stays. */
static void cr_reduce_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    uint64_t s = sh->p > 1 ? (uint64_t)sh->block_count * sh->dsize : 0;
    *sent = sh->rank != CR_REDUCE_ROOT ? s : 0;
    *recvd = sh->rank == CR_REDUCE_ROOT || sh->rank < 0 ? s : 0;
}

/* Each of the n−1 hosts without the root sends S (its ranks' sum) at least once. */
static uint64_t cr_reduce_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    return hosts > 1 ? (uint64_t)(hosts - 1) * (uint64_t)sh->block_count * sh->dsize : 0;
}

#ifdef CR_COLL_MPI
static int cr_reduce_in_place(const cr_coll_buf_t *b)
{
    return b->in_place && b->rank == CR_REDUCE_ROOT;
}

static void cr_reduce_fill(const cr_coll_buf_t *b)
{
    if (cr_reduce_in_place(b)) {
        cr_pattern_fill(b->dtype, b->rbuf, b->block_count, b->rank, -1);
        return;
    }
    cr_pattern_fill(b->dtype, b->sbuf, b->block_count, b->rank, -1);
    if (b->rank == CR_REDUCE_ROOT) cr_pattern_poison(b->dtype, b->rbuf, b->block_count);
}

/* In place the root's sum replaces its input and grows by the others' every call:
 * time it on zeros, every rank's input included. */
static void cr_reduce_prepare_timed(const cr_coll_buf_t *b)
{
    cr_reduce_fill(b);
    if (!b->in_place) return;
    if (b->sbytes) memset(b->sbuf, 0, b->sbytes);
    if (b->rbytes) memset(b->rbuf, 0, b->rbytes);
}

static int cr_reduce_run(const cr_coll_buf_t *b)
{
    return MPI_Reduce(cr_reduce_in_place(b) ? MPI_IN_PLACE : b->sbuf, b->rbuf, b->count,
                      b->mpi_type, b->sum, CR_REDUCE_ROOT, b->comm);
}

static int cr_reduce_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    return MPI_Ireduce(cr_reduce_in_place(b) ? MPI_IN_PLACE : b->sbuf, b->rbuf, b->count,
                       b->mpi_type, b->sum, CR_REDUCE_ROOT, b->comm, &req->mpi);
}

static size_t cr_reduce_check(const cr_coll_buf_t *b)
{
    if (b->rank != CR_REDUCE_ROOT) return 0;
    return cr_pattern_check_sum(b->dtype, b->rbuf, b->block_count, b->size, -1);
}
#endif

const cr_coll_ops_t cr_coll_reduce = {
    .name = "reduce",
    .reduction = 1,
    .has_in_place = 1,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_reduce_s_blocks,
    .buf_bytes = cr_reduce_buf_bytes,
    .bus_factor = cr_reduce_bus_factor,
    .data_bytes = cr_reduce_data_bytes,
    .wire_min_bytes = cr_reduce_wire_min_bytes,
    .ops_per_call = 1,
    .named_only = 1,
    .root_result = 1,
    .fill = CR_COLL_MPI_FN(cr_reduce_fill),
    .prepare_timed = CR_COLL_MPI_FN(cr_reduce_prepare_timed),
    .run = CR_COLL_MPI_FN(cr_reduce_run),
    .irun = CR_COLL_MPI_FN(cr_reduce_irun),
    .check = CR_COLL_MPI_FN(cr_reduce_check),
};
