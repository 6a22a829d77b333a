/* sendrecv: a non-periodic shift, what a pipeline's stages do per micro-batch. Rank
 * i of the p sends S bytes to rank i+1 and receives S from rank i−1 (MPI_Sendrecv;
 * MPI_PROC_NULL past the ends: the last rank sends nothing, rank 0 receives
 * nothing). S = the message (one block); F(p) = 1: every link of the chain carries
 * S once, so algbw = busbw = S/t, the rate of one stage boundary. Data: rank i sends
 * v(i, i+1, k); rank i > 0 checks v(i−1, i, k); rank 0's output must stay poisoned
 * (a receive from MPI_PROC_NULL writes nothing). Not in -c all (named_only).
 * Nonblocking (--nonblocking, the overlap cadences): MPI_Irecv + MPI_Isend, two
 * requests completed together by the plug-in's iwait/itest (MPI_Isendrecv would
 * be one, but it is MPI-4 and collroof needs MPI-3.1). */
#include "config.h"

#include "cr_coll.h"
#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

#define CR_SENDRECV_TAG 0x7372 /* fixed tag of every message */

static int cr_sendrecv_s_blocks(int p) { (void)p; return 1; }

static void cr_sendrecv_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = sh->block_count * sh->dsize;
    *rbytes = sh->block_count * sh->dsize;
}

static double cr_sendrecv_bus_factor(int p) { (void)p; return 1.0; }

/* S out of every rank but the last, S into every rank but the first. */
static void cr_sendrecv_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    uint64_t s = sh->p > 1 ? (uint64_t)sh->block_count * sh->dsize : 0;
    *sent = sh->rank != sh->p - 1 ? s : 0;
    *recvd = sh->rank != 0 ? s : 0;
}

/* p/hosts consecutive ranks per host: hosts − 1 boundaries of the chain cross, S each. */
static uint64_t cr_sendrecv_wire_min_bytes(const cr_coll_shape_t *sh, int hosts)
{
    return hosts > 1 ? (uint64_t)(hosts - 1) * (uint64_t)sh->block_count * sh->dsize : 0;
}

#ifdef CR_COLL_MPI
static void cr_sendrecv_fill(const cr_coll_buf_t *b)
{
    cr_pattern_fill(b->dtype, b->sbuf, b->block_count, b->rank, b->rank + 1);
    cr_pattern_poison(b->dtype, b->rbuf, b->block_count);
}

static int cr_sendrecv_run(const cr_coll_buf_t *b)
{
    int next = b->rank + 1 < b->size ? b->rank + 1 : MPI_PROC_NULL;
    int prev = b->rank > 0 ? b->rank - 1 : MPI_PROC_NULL;
    return MPI_Sendrecv(b->sbuf, b->count, b->mpi_type, next, CR_SENDRECV_TAG, b->rbuf,
                        b->count, b->mpi_type, prev, CR_SENDRECV_TAG, b->comm,
                        MPI_STATUS_IGNORE);
}

/* The shift started: the receive in req->mpi, the send in req->mpi2. */
static int cr_sendrecv_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    int next = b->rank + 1 < b->size ? b->rank + 1 : MPI_PROC_NULL;
    int prev = b->rank > 0 ? b->rank - 1 : MPI_PROC_NULL;
    int rc;
    req->mpi = req->mpi2 = MPI_REQUEST_NULL;
    rc = MPI_Irecv(b->rbuf, b->count, b->mpi_type, prev, CR_SENDRECV_TAG, b->comm, &req->mpi);
    if (rc != MPI_SUCCESS) return rc;
    return MPI_Isend(b->sbuf, b->count, b->mpi_type, next, CR_SENDRECV_TAG, b->comm,
                     &req->mpi2);
}

static int cr_sendrecv_iwait(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    MPI_Request r[2] = {req->mpi, req->mpi2};
    int rc = MPI_Waitall(2, r, MPI_STATUSES_IGNORE);
    (void)b;
    req->mpi = r[0];
    req->mpi2 = r[1];
    return rc;
}

static int cr_sendrecv_itest(const cr_coll_buf_t *b, cr_coll_req_t *req, int *done)
{
    MPI_Request r[2] = {req->mpi, req->mpi2};
    int rc = MPI_Testall(2, r, done, MPI_STATUSES_IGNORE);
    (void)b;
    req->mpi = r[0];
    req->mpi2 = r[1];
    return rc;
}

static size_t cr_sendrecv_check(const cr_coll_buf_t *b)
{
    size_t bad = 0;
    if (b->rank > 0)
        return cr_pattern_check(b->dtype, b->rbuf, b->block_count, b->rank - 1, b->rank);
    for (size_t i = 0; i < b->block_count; i++)
        bad += cr_dtype_load(b->dtype, b->rbuf, i) != CR_PATTERN_POISON;
    return bad;
}
#endif

const cr_coll_ops_t cr_coll_sendrecv = {
    .name = "sendrecv",
    .reduction = 0,
    .has_in_place = 0,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_sendrecv_s_blocks,
    .buf_bytes = cr_sendrecv_buf_bytes,
    .bus_factor = cr_sendrecv_bus_factor,
    .data_bytes = cr_sendrecv_data_bytes,
    .wire_min_bytes = cr_sendrecv_wire_min_bytes,
    .ops_per_call = 1,
    .named_only = 1,
    .fill = CR_COLL_MPI_FN(cr_sendrecv_fill),
    .run = CR_COLL_MPI_FN(cr_sendrecv_run),
    .irun = CR_COLL_MPI_FN(cr_sendrecv_irun),
    .iwait = CR_COLL_MPI_FN(cr_sendrecv_iwait),
    .itest = CR_COLL_MPI_FN(cr_sendrecv_itest),
    .check = CR_COLL_MPI_FN(cr_sendrecv_check),
};
