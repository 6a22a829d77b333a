/* gather to rank 0 (MPI_Gather): the root ends with all ranks' blocks, block r at
 * offset r·block. S = the root's gathered output (p blocks of block_count elements);
 * F(p) = (p−1)/p, 0 for p = 1 (nccl-tests' Gather: the root receives all but its own
 * block). Block of rank r: v(r, −1, i). In place (MPI_IN_PLACE at the root only,
 * MPI-3.1 5.5) the root's own block already sits at 0 in rbuf; the others always
 * send from sbuf. Only the root has an output buffer; check() reads the root's. */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

#define CR_GATHER_ROOT 0

static int cr_gather_s_blocks(int p) { return p; }

/* rank −1: the most of any rank (the root's output, a non-root's block). */
static void cr_gather_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    size_t block = sh->block_count * sh->dsize;
    int root = sh->rank == CR_GATHER_ROOT, any = sh->rank < 0;
    *sbytes = root && sh->in_place ? 0 : block;
    *rbytes = root || any ? (size_t)sh->p * block : 0;
}

static double cr_gather_bus_factor(int p) { return p > 0 ? (double)(p - 1) / p : 0.0; }

/* Every other rank's block to the root (S/p each), the others' blocks into the
 * root's output (S·(p−1)/p); the root's own block stays. */
static void cr_gather_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    uint64_t block = (uint64_t)sh->block_count * sh->dsize;
    int root = sh->rank == CR_GATHER_ROOT, any = sh->rank < 0;
    *sent = sh->p > 1 && !root ? block : 0;
    *recvd = root || any ? (uint64_t)(sh->p - 1) * block : 0;
}

/* The blocks of the ranks on the n−1 hosts without the root: (p − p/n) of S/p. */
static uint64_t cr_gather_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    double off = (double)sh->p - (double)sh->p / hosts;
    return hosts > 1 ? (uint64_t)(off * (double)sh->block_count * (double)sh->dsize + 0.5) : 0;
}

#ifdef CR_COLL_MPI
static int cr_gather_in_place(const cr_coll_buf_t *b)
{
    return b->in_place && b->rank == CR_GATHER_ROOT;
}

static void cr_gather_fill(const cr_coll_buf_t *b)
{
    size_t n = b->block_count;
    if (b->rank == CR_GATHER_ROOT) cr_pattern_poison(b->dtype, b->rbuf, (size_t)b->size * n);
    if (cr_gather_in_place(b))
        cr_pattern_fill(b->dtype, cr_pattern_block(b->dtype, b->rbuf, n, CR_GATHER_ROOT), n,
                        b->rank, -1);
    else
        cr_pattern_fill(b->dtype, b->sbuf, n, b->rank, -1);
}

static int cr_gather_run(const cr_coll_buf_t *b)
{
    int n = b->count;
    return MPI_Gather(cr_gather_in_place(b) ? MPI_IN_PLACE : b->sbuf, n, b->mpi_type,
                      b->rbuf, n, b->mpi_type, CR_GATHER_ROOT, b->comm);
}

static int cr_gather_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    int n = b->count;
    return MPI_Igather(cr_gather_in_place(b) ? MPI_IN_PLACE : b->sbuf, n, b->mpi_type,
                       b->rbuf, n, b->mpi_type, CR_GATHER_ROOT, b->comm, &req->mpi);
}

static size_t cr_gather_check(const cr_coll_buf_t *b)
{
    size_t n = b->block_count, bad = 0;
    if (b->rank != CR_GATHER_ROOT) return 0;
    for (int src = 0; src < b->size; src++)
        bad += cr_pattern_check(b->dtype, cr_pattern_block(b->dtype, b->rbuf, n, (size_t)src),
                                n, src, -1);
    return bad;
}
#endif

const cr_coll_ops_t cr_coll_gather = {
    .name = "gather",
    .reduction = 0,
    .has_in_place = 1,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_gather_s_blocks,
    .buf_bytes = cr_gather_buf_bytes,
    .bus_factor = cr_gather_bus_factor,
    .data_bytes = cr_gather_data_bytes,
    .wire_min_bytes = cr_gather_wire_min_bytes,
    .ops_per_call = 1,
    .named_only = 1,
    .root_result = 1,
    .fill = CR_COLL_MPI_FN(cr_gather_fill),
    .run = CR_COLL_MPI_FN(cr_gather_run),
    .irun = CR_COLL_MPI_FN(cr_gather_irun),
    .check = CR_COLL_MPI_FN(cr_gather_check),
};
