/* The MPI side of the collective plug-in (libcrcoll only): what one call needs. */
#ifndef CR_COLL_MPI_H
#define CR_COLL_MPI_H

#include <mpi.h>
#include "cr_coll.h"

/* Everything one call needs; filled by the harness, read by the plug-in. */
typedef struct cr_coll_buf {
    MPI_Comm comm;
    int rank, size;             /* in comm */
    const cr_dtype_t *dtype;
    size_t block_count;         /* elements per block (see the S convention) */
    /* How a block travels (cr_coll_buf_mpi): count units of mpi_type, summed by sum. */
    int count;                  /* MPI count per block, at most INT_MAX */
    MPI_Datatype mpi_type;      /* the element's type, or a contiguous unit of them */
    MPI_Op sum;                 /* MPI_SUM, or a user op over the unit */
    int in_place;
    const struct cr_skew *skew; /* --skew routing, or NULL (the default) */
    void *sbuf, *rbuf;          /* page-aligned; sbuf unused when in_place */
    size_t sbytes, rbytes;      /* as given by ops->buf_bytes for this rank */
    void *state;                /* the plug-in's, from setup to teardown; else NULL */
} cr_coll_buf_t;

/* A started nonblocking call. */
typedef struct cr_coll_req {
    MPI_Request mpi;
    MPI_Request mpi2;  /* a plug-in's second request, with its own iwait/itest (sendrecv: the send) */
    double until;      /* for a plug-in's own iwait/itest (test_deadline: the deadline, s) */
} cr_coll_req_t;

/* This rank's shape of b, for ops->buf_bytes. */
static inline cr_coll_shape_t cr_coll_buf_shape(const cr_coll_buf_t *b)
{
    return (cr_coll_shape_t){ .block_count = b->block_count, .p = b->size, .rank = b->rank,
                              .dsize = b->dtype->size, .in_place = b->in_place,
                              .skew = b->skew };
}

MPI_Datatype cr_dtype_mpi(const cr_dtype_t *dt);

/* Sets b->count, b->mpi_type and b->sum for b->dtype and b->block_count. A block of
 * at most max_count elements (0 = CR_COLL_MAX_COUNT) travels as itself: count =
 * block_count, the predefined type, MPI_SUM. A larger one (block_count a multiple
 * of cr_coll_unit, as cr_coll_block_count makes it) travels as block_count / unit
 * units of a contiguous type of unit elements, and since MPI's predefined ops
 * apply to predefined types only (MPI-3.1 5.9.2), sums go through a user op that
 * adds the elements of the unit. An MPI error code; free with cr_coll_buf_mpi_free. */
int cr_coll_buf_mpi(cr_coll_buf_t *b, size_t max_count);
void cr_coll_buf_mpi_free(cr_coll_buf_t *b);

#endif
