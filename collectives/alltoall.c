/* alltoall: block d of rank s's send buffer lands as block s of rank d's receive buffer.
 * S = the per-rank send buffer (p blocks of block_count elements, one per peer);
 * F(p) = (p−1)/p, 0 for p = 1. Block from s to d: v(s, d, i). In place, the whole
 * rbuf is the send data and is overwritten by the result. */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

static int cr_alltoall_s_blocks(int p) { return p; }

static void cr_alltoall_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = sh->in_place ? 0 : (size_t)sh->p * sh->block_count * sh->dsize;
    *rbytes = (size_t)sh->p * sh->block_count * sh->dsize;
}

static double cr_alltoall_bus_factor(int p) { return p > 0 ? (double)(p - 1) / p : 0.0; }

/* A block to each other rank, one from each: S·(p−1)/p both ways. */
static void cr_alltoall_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    *sent = *recvd = (uint64_t)(sh->p - 1) * sh->block_count * sh->dsize;
}

/* Every block bound for a rank on another host crosses once; nothing combines:
 * p·(p − p/n) blocks of S/p, (n−1)/n·S per rank, ppn times that per host. */
static uint64_t cr_alltoall_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    double blocks = (double)sh->p * ((double)sh->p - (double)sh->p / hosts);
    return hosts > 1 ? (uint64_t)(blocks * (double)(sh->block_count * sh->dsize) + 0.5) : 0;
}

#ifdef CR_COLL_MPI
static void cr_alltoall_fill(const cr_coll_buf_t *b)
{
    size_t n = b->block_count;
    void *send = b->in_place ? b->rbuf : b->sbuf;
    for (int dst = 0; dst < b->size; dst++)
        cr_pattern_fill(b->dtype, cr_pattern_block(b->dtype, send, n, (size_t)dst), n,
                        b->rank, dst);
    if (!b->in_place) cr_pattern_poison(b->dtype, b->rbuf, (size_t)b->size * n);
}

/* MPI-3.1: with MPI_IN_PLACE the send count and type are ignored. */
static int cr_alltoall_run(const cr_coll_buf_t *b)
{
    int n = b->count;
    return MPI_Alltoall(b->in_place ? MPI_IN_PLACE : b->sbuf, n, b->mpi_type,
                        b->rbuf, n, b->mpi_type, b->comm);
}

static int cr_alltoall_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    int n = b->count;
    return MPI_Ialltoall(b->in_place ? MPI_IN_PLACE : b->sbuf, n, b->mpi_type,
                         b->rbuf, n, b->mpi_type, b->comm, &req->mpi);
}

static size_t cr_alltoall_check(const cr_coll_buf_t *b)
{
    size_t n = b->block_count, bad = 0;
    for (int src = 0; src < b->size; src++)
        bad += cr_pattern_check(b->dtype, cr_pattern_block(b->dtype, b->rbuf, n, (size_t)src),
                                n, src, b->rank);
    return bad;
}
#endif

const cr_coll_ops_t cr_coll_alltoall = {
    .name = "alltoall",
    .reduction = 0,
    .has_in_place = 1,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_alltoall_s_blocks,
    .buf_bytes = cr_alltoall_buf_bytes,
    .bus_factor = cr_alltoall_bus_factor,
    .data_bytes = cr_alltoall_data_bytes,
    .wire_min_bytes = cr_alltoall_wire_min_bytes,
    .ops_per_call = 1,
    .fill = CR_COLL_MPI_FN(cr_alltoall_fill),
    .run = CR_COLL_MPI_FN(cr_alltoall_run),
    .irun = CR_COLL_MPI_FN(cr_alltoall_irun),
    .check = CR_COLL_MPI_FN(cr_alltoall_check),
};
