/* pingpong_bidir: ranks 0 and 1 of a probe pair exchange S bytes at once
 * (MPI_Sendrecv); other ranks take no part. One call = one exchange, t = its
 * time; algbw = S/t is the rate per direction, and F = 2 makes busbw = 2·S/t the
 * bidirectional bandwidth (OSU osu_bibw convention). Rank r sends v(r, peer, i).
 * No nonblocking variant (MPI_Isendrecv is MPI-4). */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

#define CR_PINGPONG_BIDIR_TAG 0x6371 /* fixed tag of both messages */

static int cr_pingpong_bidir_s_blocks(int p) { (void)p; return 1; }

static void cr_pingpong_bidir_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes,
                                        size_t *rbytes)
{
    *sbytes = sh->block_count * sh->dsize;
    *rbytes = sh->block_count * sh->dsize;
}

static double cr_pingpong_bidir_bus_factor(int p) { (void)p; return 2.0; }

/* S each way: ranks 0 and 1 each send S and receive S. */
static void cr_pingpong_bidir_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent,
                                         uint64_t *recvd)
{
    *sent = *recvd = sh->p > 1 && sh->rank <= 1 ? (uint64_t)sh->block_count * sh->dsize : 0;
}

/* An exchange between two hosts: S each way. */
static uint64_t cr_pingpong_bidir_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    return hosts > 1 ? 2 * (uint64_t)sh->block_count * sh->dsize : 0;
}

#ifdef CR_COLL_MPI
static void cr_pingpong_bidir_fill(const cr_coll_buf_t *b)
{
    if (b->rank <= 1) cr_pattern_fill(b->dtype, b->sbuf, b->block_count, b->rank, 1 - b->rank);
    else cr_pattern_poison(b->dtype, b->sbuf, b->block_count);
    cr_pattern_poison(b->dtype, b->rbuf, b->block_count);
}

static int cr_pingpong_bidir_run(const cr_coll_buf_t *b)
{
    int n = b->count;
    if (b->size < 2) return MPI_ERR_COMM;
    if (b->rank > 1) return MPI_SUCCESS;
    return MPI_Sendrecv(b->sbuf, n, b->mpi_type, 1 - b->rank, CR_PINGPONG_BIDIR_TAG,
                        b->rbuf, n, b->mpi_type, 1 - b->rank, CR_PINGPONG_BIDIR_TAG,
                        b->comm, MPI_STATUS_IGNORE);
}

static size_t cr_pingpong_bidir_check(const cr_coll_buf_t *b)
{
    if (b->rank > 1) return 0;
    return cr_pattern_check(b->dtype, b->rbuf, b->block_count, 1 - b->rank, b->rank);
}
#endif

const cr_coll_ops_t cr_coll_pingpong_bidir = {
    .name = "pingpong_bidir",
    .reduction = 0,
    .has_in_place = 0,
    .on = CR_COLL_ON_PAIRS,
    .s_blocks = cr_pingpong_bidir_s_blocks,
    .buf_bytes = cr_pingpong_bidir_buf_bytes,
    .bus_factor = cr_pingpong_bidir_bus_factor,
    .data_bytes = cr_pingpong_bidir_data_bytes,
    .wire_min_bytes = cr_pingpong_bidir_wire_min_bytes,
    .ops_per_call = 1,
    .fill = CR_COLL_MPI_FN(cr_pingpong_bidir_fill),
    .run = CR_COLL_MPI_FN(cr_pingpong_bidir_run),
    .irun = NULL,
    .check = CR_COLL_MPI_FN(cr_pingpong_bidir_check),
};
