/* allgather: every rank ends with all ranks' blocks, block r at offset r·block.
 * S = the per-rank gathered output (p blocks of block_count elements); F(p) = (p−1)/p,
 * 0 for p = 1. Block of rank r: v(r, −1, i). In place, the own block already sits
 * at rank·block in rbuf. */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

static int cr_allgather_s_blocks(int p) { return p; }

static void cr_allgather_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = sh->in_place ? 0 : sh->block_count * sh->dsize;
    *rbytes = (size_t)sh->p * sh->block_count * sh->dsize;
}

static double cr_allgather_bus_factor(int p) { return p > 0 ? (double)(p - 1) / p : 0.0; }

/* Its block to the others, the others' blocks back: S/p and S·(p−1)/p. */
static void cr_allgather_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    uint64_t block = (uint64_t)sh->block_count * sh->dsize;
    *sent = sh->p > 1 ? block : 0;
    *recvd = (uint64_t)(sh->p - 1) * block;
}

/* Every host needs the (n−1)/n·S that the other hosts' ranks hold: (n−1)·S
 * received over all hosts, as much sent. */
static uint64_t cr_allgather_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    return hosts > 1 ? (uint64_t)(hosts - 1) * sh->block_count * sh->dsize * (uint64_t)sh->p : 0;
}

#ifdef CR_COLL_MPI
static void cr_allgather_fill(const cr_coll_buf_t *b)
{
    size_t n = b->block_count;
    cr_pattern_poison(b->dtype, b->rbuf, (size_t)b->size * n);
    if (b->in_place)
        cr_pattern_fill(b->dtype, cr_pattern_block(b->dtype, b->rbuf, n, (size_t)b->rank), n,
                        b->rank, -1);
    else
        cr_pattern_fill(b->dtype, b->sbuf, n, b->rank, -1);
}

static int cr_allgather_run(const cr_coll_buf_t *b)
{
    int n = b->count;
    return MPI_Allgather(b->in_place ? MPI_IN_PLACE : b->sbuf, n, b->mpi_type,
                         b->rbuf, n, b->mpi_type, b->comm);
}

static int cr_allgather_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    int n = b->count;
    return MPI_Iallgather(b->in_place ? MPI_IN_PLACE : b->sbuf, n, b->mpi_type,
                          b->rbuf, n, b->mpi_type, b->comm, &req->mpi);
}

static size_t cr_allgather_check(const cr_coll_buf_t *b)
{
    size_t n = b->block_count, bad = 0;
    for (int src = 0; src < b->size; src++)
        bad += cr_pattern_check(b->dtype, cr_pattern_block(b->dtype, b->rbuf, n, (size_t)src),
                                n, src, -1);
    return bad;
}
#endif

const cr_coll_ops_t cr_coll_allgather = {
    .name = "allgather",
    .reduction = 0,
    .has_in_place = 1,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_allgather_s_blocks,
    .buf_bytes = cr_allgather_buf_bytes,
    .bus_factor = cr_allgather_bus_factor,
    .data_bytes = cr_allgather_data_bytes,
    .wire_min_bytes = cr_allgather_wire_min_bytes,
    .ops_per_call = 1,
    .fill = CR_COLL_MPI_FN(cr_allgather_fill),
    .run = CR_COLL_MPI_FN(cr_allgather_run),
    .irun = CR_COLL_MPI_FN(cr_allgather_irun),
    .check = CR_COLL_MPI_FN(cr_allgather_check),
};
