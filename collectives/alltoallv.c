/* alltoallv: a mixture-of-experts dispatch. Every rank sends S in total (the mean
 * bytes a rank sends, as alltoall's S), split over the p destinations by the --skew
 * routing (cr_skew.h: per-rank multinomial draws, whole elements, summing exactly
 * to S); self-sends count as the tokens a rank routes to its own expert. The counts
 * are exchanged once with MPI_Alltoall outside the timed loop, as a real dispatch
 * does first. F(p) = (p−1)/p, the balanced alltoall's, on algbw = S/t: a skewed
 * row's busbw is its cost against the balanced case of the same S. Block from s to
 * d: v(s, d, i), i < count(s → d). Counts and displacements are MPI ints: a rank
 * receives at most INT_MAX elements (set-up refuses more). */
#include "config.h"

#include "cr_coll.h"
#include "cr_skew.h"

#include <limits.h>
#include <stdlib.h>

#ifdef CR_COLL_MPI
#include "cr_coll_mpi.h"
#include "pattern.h"
#endif

static int cr_alltoallv_s_blocks(int p) { return p; }

static const cr_skew_t *cr_alltoallv_skew(const cr_coll_shape_t *sh, cr_skew_t *def)
{
    if (sh->skew) return sh->skew;
    cr_skew_default(def);
    return def;
}

/* Elements each rank of sh->p receives (recv[0..p)); -1 when it cannot be computed. */
static int cr_alltoallv_recv(const cr_coll_shape_t *sh, uint64_t *recv)
{
    cr_skew_t def;
    uint64_t total = (uint64_t)sh->p * sh->block_count;
    return cr_skew_recv(cr_alltoallv_skew(sh, &def), sh->p, total, recv) == CR_OK ? 0 : -1;
}

/* This rank's receive elements (rank −1: the most of any rank); without memory for
 * the routing, p·S: what the most-loaded rank could ever get. */
static uint64_t cr_alltoallv_recv_elems(const cr_coll_shape_t *sh)
{
    uint64_t total = (uint64_t)sh->p * sh->block_count, most = 0;
    uint64_t *recv = malloc((size_t)sh->p * sizeof *recv);
    if (!recv || cr_alltoallv_recv(sh, recv) != 0) {
        free(recv);
        return total * (uint64_t)sh->p;
    }
    for (int d = 0; d < sh->p; d++)
        if (recv[d] > most) most = recv[d];
    if (sh->rank >= 0) most = recv[sh->rank];
    free(recv);
    return most;
}

static void cr_alltoallv_buf_bytes(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes)
{
    *sbytes = (size_t)sh->p * sh->block_count * sh->dsize;
    *rbytes = (size_t)cr_alltoallv_recv_elems(sh) * sh->dsize;
}

static double cr_alltoallv_bus_factor(int p) { return p > 0 ? (double)(p - 1) / p : 0.0; }

static uint64_t cr_alltoallv_max_recv_bytes(const cr_coll_shape_t *sh)
{
    cr_coll_shape_t most = *sh;
    most.rank = -1;
    return cr_alltoallv_recv_elems(&most) * sh->dsize;
}

/* What leaves the rank: S less its self-send; what arrives: its receive total less
 * its self-send. rank −1: the most of any rank for each. */
static void cr_alltoallv_data_bytes(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd)
{
    cr_skew_t def;
    const cr_skew_t *sk = cr_alltoallv_skew(sh, &def);
    int p = sh->p;
    uint64_t total = (uint64_t)p * sh->block_count;
    uint64_t *c = malloc((size_t)p * sizeof *c), *recv = malloc((size_t)p * sizeof *recv);
    *sent = *recvd = 0;
    if (c && recv && cr_alltoallv_recv(sh, recv) == 0)
        for (int r = 0; r < p; r++) {
            uint64_t s, v;
            if ((sh->rank >= 0 && r != sh->rank) || cr_skew_counts(sk, p, r, total, c) != CR_OK)
                continue;
            s = (total - c[r]) * sh->dsize;
            v = (recv[r] - c[r]) * sh->dsize;
            if (s > *sent) *sent = s;
            if (v > *recvd) *recvd = v;
        }
    free(recv);
    free(c);
}

#ifdef CR_COLL_MPI
/* Counts and displacements in elements, from set-up to tear-down. */
typedef struct cr_alltoallv_state {
    int *sc, *sd, *rc, *rd;
} cr_alltoallv_state_t;

static void cr_alltoallv_teardown(cr_coll_buf_t *b)
{
    cr_alltoallv_state_t *s = b->state;
    if (!s) return;
    free(s->sc);
    free(s);
    b->state = NULL;
}

/* Int displacements of counts; -1 when they pass INT_MAX. */
static int cr_alltoallv_displs(const int *c, int *d, int p)
{
    long long at = 0;
    for (int i = 0; i < p; i++) {
        d[i] = (int)at;
        at += c[i];
        if (at > INT_MAX) return -1;
    }
    return 0;
}

static cr_status_t cr_alltoallv_setup(cr_coll_buf_t *b)
{
    cr_skew_t def;
    cr_coll_shape_t sh = cr_coll_buf_shape(b);
    const cr_skew_t *sk = cr_alltoallv_skew(&sh, &def);
    int p = b->size, rc, ok = 1, all_ok = 0;
    uint64_t total = (uint64_t)p * b->block_count, got = 0, *c;
    cr_alltoallv_state_t *s = calloc(1, sizeof *s);
    CR_CHECK_ALLOC(s, sizeof *s);
    s->sc = malloc(4 * (size_t)p * sizeof *s->sc);
    c = malloc((size_t)p * sizeof *c);
    if (!s->sc || !c) {
        free(c);
        free(s->sc);
        free(s);
        cr_error_at(__FILE__, __LINE__, "cannot allocate the counts of %d ranks", p);
        return CR_ERR_NOMEM;
    }
    s->sd = s->sc + p;
    s->rc = s->sd + p;
    s->rd = s->rc + p;
    b->state = s;
    ok = cr_skew_counts(sk, p, b->rank, total, c) == CR_OK;
    for (int d = 0; ok && d < p; d++) {
        if (c[d] > INT_MAX) ok = 0;
        else s->sc[d] = (int)c[d];
    }
    free(c);
    c = NULL;
    ok = ok && cr_alltoallv_displs(s->sc, s->sd, p) == 0;
    /* Every rank of the group, or none, goes on to the exchange. */
    rc = MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, b->comm);
    if (rc != MPI_SUCCESS || !all_ok) {
        if (rc == MPI_SUCCESS && !ok) goto out_too_large;
        goto out_with_state;
    }
    /* The dispatch's first step: every rank learns what it will receive. */
    rc = MPI_Alltoall(s->sc, 1, MPI_INT, s->rc, 1, MPI_INT, b->comm);
    if (rc != MPI_SUCCESS) {
        cr_error_at(__FILE__, __LINE__, "alltoallv: MPI_Alltoall of the counts failed (%d)", rc);
        goto out_with_state;
    }
    if (cr_alltoallv_displs(s->rc, s->rd, p) != 0) goto out_too_large;
    for (int d = 0; d < p; d++) got += (uint64_t)s->rc[d];
    if (got * b->dtype->size != b->rbytes) {  /* the pure routing sized the buffer */
        cr_error("alltoallv (--skew %s): the counts received sum to %llu bytes, the routing "
                 "computed here %zu: the ranks disagree on the routing", sk->spec,
                 (unsigned long long)(got * b->dtype->size), b->rbytes);
        goto out_with_state;
    }
    return CR_OK;
out_too_large:
    cr_error("alltoallv (--skew %s) at %llu bytes per rank on %d ranks: a count or displacement "
             "passes %d elements (MPI ints): lower the size", sk->spec,
             (unsigned long long)(total * b->dtype->size), p, INT_MAX);
out_with_state:
    free(c);
    cr_alltoallv_teardown(b);
    return CR_ERR_INVAL;
}

static void *cr_alltoallv_at(const cr_coll_buf_t *b, void *buf, int displ)
{
    return (char *)buf + (size_t)displ * b->dtype->size;
}

static void cr_alltoallv_fill(const cr_coll_buf_t *b)
{
    const cr_alltoallv_state_t *s = b->state;
    for (int dst = 0; dst < b->size; dst++)
        cr_pattern_fill(b->dtype, cr_alltoallv_at(b, b->sbuf, s->sd[dst]), (size_t)s->sc[dst],
                        b->rank, dst);
    cr_pattern_poison(b->dtype, b->rbuf, b->rbytes / b->dtype->size);
}

static int cr_alltoallv_run(const cr_coll_buf_t *b)
{
    const cr_alltoallv_state_t *s = b->state;
    MPI_Datatype t = cr_dtype_mpi(b->dtype);
    return MPI_Alltoallv(b->sbuf, s->sc, s->sd, t, b->rbuf, s->rc, s->rd, t, b->comm);
}

static int cr_alltoallv_irun(const cr_coll_buf_t *b, cr_coll_req_t *req)
{
    const cr_alltoallv_state_t *s = b->state;
    MPI_Datatype t = cr_dtype_mpi(b->dtype);
    return MPI_Ialltoallv(b->sbuf, s->sc, s->sd, t, b->rbuf, s->rc, s->rd, t, b->comm, &req->mpi);
}

static size_t cr_alltoallv_check(const cr_coll_buf_t *b)
{
    const cr_alltoallv_state_t *s = b->state;
    size_t bad = 0;
    for (int src = 0; src < b->size; src++)
        bad += cr_pattern_check(b->dtype, cr_alltoallv_at(b, b->rbuf, s->rd[src]),
                                (size_t)s->rc[src], src, b->rank);
    return bad;
}
#endif

const cr_coll_ops_t cr_coll_alltoallv = {
    .name = "alltoallv",
    .reduction = 0,
    .has_in_place = 0,
    .on = CR_COLL_ON_LEVELS,
    .s_blocks = cr_alltoallv_s_blocks,
    .buf_bytes = cr_alltoallv_buf_bytes,
    .bus_factor = cr_alltoallv_bus_factor,
    .data_bytes = cr_alltoallv_data_bytes,
    .ops_per_call = 1,
    .skewed = 1,
    .max_recv_bytes = cr_alltoallv_max_recv_bytes,
    .setup = CR_COLL_MPI_FN(cr_alltoallv_setup),
    .teardown = CR_COLL_MPI_FN(cr_alltoallv_teardown),
    .fill = CR_COLL_MPI_FN(cr_alltoallv_fill),
    .run = CR_COLL_MPI_FN(cr_alltoallv_run),
    .irun = CR_COLL_MPI_FN(cr_alltoallv_irun),
    .check = CR_COLL_MPI_FN(cr_alltoallv_check),
};
