/* bcast from rank 0: every rank ends with the root's buffer (rbuf on every rank,
 * the root sends from it; no sbuf, no in-place variant). S = the buffer (one block);
 * F(p) = 1. Root data: v(0, −1, i). */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

#define CR_BCAST_ROOT 0

static int cr_bcast_s_blocks(int p) { (void)p; return 1; }

static void cr_bcast_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = 0;
    *rbytes = sh->block_count * sh->dsize;
}

static double cr_bcast_bus_factor(int p) { (void)p; return 1.0; }

/* The root sends S (once, whatever p), every other rank receives S. */
static void cr_bcast_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    uint64_t s = sh->p > 1 ? (uint64_t)sh->block_count * sh->dsize : 0;
    *sent = sh->rank == CR_BCAST_ROOT || sh->rank < 0 ? s : 0;
    *recvd = sh->rank != CR_BCAST_ROOT ? s : 0;
}

/* The n−1 hosts without the root each receive S at least once. */
static uint64_t cr_bcast_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    return hosts > 1 ? (uint64_t)(hosts - 1) * (uint64_t)sh->block_count * sh->dsize : 0;
}

#ifdef CR_COLL_MPI
static void cr_bcast_fill(const cr_coll_buf_t *b)
{
    if (b->rank == CR_BCAST_ROOT)
        cr_pattern_fill(b->dtype, b->rbuf, b->block_count, CR_BCAST_ROOT, -1);
    else
        cr_pattern_poison(b->dtype, b->rbuf, b->block_count);
}

static int cr_bcast_run(const cr_coll_buf_t *b)
{
    return MPI_Bcast(b->rbuf, b->count, b->mpi_type, CR_BCAST_ROOT, b->comm);
}

static int cr_bcast_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    return MPI_Ibcast(b->rbuf, b->count, b->mpi_type, CR_BCAST_ROOT, b->comm,
                      &req->mpi);
}

static size_t cr_bcast_check(const cr_coll_buf_t *b)
{
    return cr_pattern_check(b->dtype, b->rbuf, b->block_count, CR_BCAST_ROOT, -1);
}
#endif

const cr_coll_ops_t cr_coll_bcast = {
    .name = "bcast",
    .reduction = 0,
    .has_in_place = 0,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_bcast_s_blocks,
    .buf_bytes = cr_bcast_buf_bytes,
    .bus_factor = cr_bcast_bus_factor,
    .data_bytes = cr_bcast_data_bytes,
    .wire_min_bytes = cr_bcast_wire_min_bytes,
    .ops_per_call = 1,
    .fill = CR_COLL_MPI_FN(cr_bcast_fill),
    .run = CR_COLL_MPI_FN(cr_bcast_run),
    .irun = CR_COLL_MPI_FN(cr_bcast_irun),
    .check = CR_COLL_MPI_FN(cr_bcast_check),
};
