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
    MPI_Datatype mpi_type;
    size_t block_count;         /* elements per block (see the S convention) */
    int in_place;
    void *sbuf, *rbuf;          /* page-aligned; sbuf unused when in_place */
    size_t sbytes, rbytes;      /* as given by ops->buf_bytes for this rank */
    void *state;                /* the plug-in's, from setup to teardown; else NULL */
} cr_coll_buf_t;

/* A started nonblocking call. */
typedef struct cr_coll_req {
    MPI_Request mpi;
} cr_coll_req_t;

/* This rank's shape of b, for ops->buf_bytes. */
static inline cr_coll_shape_t cr_coll_buf_shape(const cr_coll_buf_t *b)
{
    return (cr_coll_shape_t){ .block_count = b->block_count, .p = b->size, .rank = b->rank,
                              .dsize = b->dtype->size, .in_place = b->in_place };
}

MPI_Datatype cr_dtype_mpi(const cr_dtype_t *dt);

#endif
