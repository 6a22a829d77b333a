/* pingpong: point-to-point probe between ranks 0 and 1 of a probe pair; other ranks
 * take no part. One call = one round trip: rank 0 sends S bytes from sbuf and
 * receives them back into rbuf; rank 1 receives into rbuf and sends rbuf back.
 * Two operations per call, so the reported time is the one-way time t and
 * algbw = S/t; F = 1 (busbw = algbw). Data: v(0, 1, i), checked on both ranks after
 * the echo. No nonblocking variant (a round trip is two dependent messages). */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

#define CR_PINGPONG_TAG 0x6370 /* fixed tag of both messages */

static int cr_pingpong_s_blocks(int p) { (void)p; return 1; }

static void cr_pingpong_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = sh->block_count * sh->dsize;
    *rbytes = sh->block_count * sh->dsize;
}

static double cr_pingpong_bus_factor(int p) { (void)p; return 1.0; }

/* S each way: ranks 0 and 1 each send S and receive S per round trip. */
static void cr_pingpong_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    *sent = *recvd = sh->p > 1 && sh->rank <= 1 ? (uint64_t)sh->block_count * sh->dsize : 0;
}

/* A round trip between two hosts: S each way. */
static uint64_t cr_pingpong_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    return hosts > 1 ? 2 * (uint64_t)sh->block_count * sh->dsize : 0;
}

#ifdef CR_COLL_MPI
static void cr_pingpong_fill(const cr_coll_buf_t *b)
{
    if (b->rank == 0) cr_pattern_fill(b->dtype, b->sbuf, b->block_count, 0, 1);
    else cr_pattern_poison(b->dtype, b->sbuf, b->block_count);
    cr_pattern_poison(b->dtype, b->rbuf, b->block_count);
}

static int cr_pingpong_run(const cr_coll_buf_t *b)
{
    int n = b->count, rc;
    if (b->size < 2) return MPI_ERR_COMM;
    if (b->rank == 0) {
        rc = MPI_Send(b->sbuf, n, b->mpi_type, 1, CR_PINGPONG_TAG, b->comm);
        if (rc != MPI_SUCCESS) return rc;
        return MPI_Recv(b->rbuf, n, b->mpi_type, 1, CR_PINGPONG_TAG, b->comm, MPI_STATUS_IGNORE);
    }
    if (b->rank == 1) {
        rc = MPI_Recv(b->rbuf, n, b->mpi_type, 0, CR_PINGPONG_TAG, b->comm, MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS) return rc;
        return MPI_Send(b->rbuf, n, b->mpi_type, 0, CR_PINGPONG_TAG, b->comm);
    }
    return MPI_SUCCESS;
}

static size_t cr_pingpong_check(const cr_coll_buf_t *b)
{
    if (b->rank > 1) return 0;
    return cr_pattern_check(b->dtype, b->rbuf, b->block_count, 0, 1);
}
#endif

const cr_coll_ops_t cr_coll_pingpong = {
    .name = "pingpong",
    .reduction = 0,
    .has_in_place = 0,
    .on = CR_COLL_ON_PAIRS,
    .s_blocks = cr_pingpong_s_blocks,
    .buf_bytes = cr_pingpong_buf_bytes,
    .bus_factor = cr_pingpong_bus_factor,
    .data_bytes = cr_pingpong_data_bytes,
    .wire_min_bytes = cr_pingpong_wire_min_bytes,
    .ops_per_call = 2,   /* one round trip = two one-way trips */
    .fill = CR_COLL_MPI_FN(cr_pingpong_fill),
    .run = CR_COLL_MPI_FN(cr_pingpong_run),
    .irun = NULL,
    .check = CR_COLL_MPI_FN(cr_pingpong_check),
};
