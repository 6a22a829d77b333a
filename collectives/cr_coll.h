/* The collective plug-in: each collectives/<name>.c exports one const ops table. */
#ifndef CR_COLL_H
#define CR_COLL_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>
#include "cr_dtype.h"

/* Everything one call needs; filled by the harness, read by the plug-in. */
typedef struct cr_coll_buf {
    MPI_Comm comm;
    int rank, size;             /* in comm */
    const cr_dtype_t *dtype;
    MPI_Datatype mpi_type;
    size_t block_count;         /* elements per block (see the S convention) */
    int in_place;
    void *sbuf, *rbuf;          /* page-aligned; sbuf unused when in_place */
    size_t sbytes, rbytes;      /* as given by ops->buf_bytes */
} cr_coll_buf_t;

typedef struct cr_coll_ops {
    const char *name;
    int reduction;               /* sums: needs dt->reducible */
    int has_in_place;            /* MPI defines MPI_IN_PLACE for it */
    int pairwise;                /* point-to-point probe between two ranks (pingpong) */
    /* Blocks that make up S for p ranks: S = s_blocks(p) · block_count · dsize. */
    int (*s_blocks)(int p);
    /* Bytes of the send and receive buffers this rank needs. */
    void (*buf_bytes)(size_t block_count, int p, size_t dsize, int in_place,
                      size_t *sbytes, size_t *rbytes);
    /* Put the checkable pattern in the input buffer(s), poison the output. */
    void (*fill)(const cr_coll_buf_t *b);
    int (*run)(const cr_coll_buf_t *b);          /* blocking; returns an MPI error code */
    int (*irun)(const cr_coll_buf_t *b, MPI_Request *req); /* nonblocking start, or NULL */
    /* Elements of this rank's output that differ from what the pattern implies. */
    size_t (*check)(const cr_coll_buf_t *b);
    double (*bus_factor)(int p); /* busbw = algbw × F(p) (nccl-tests convention) */
    /* One call's time / time_divisor = the reported time (pingpong: 2, one round
     * trip = two one-way trips); 0 is taken as 1. */
    double time_divisor;
} cr_coll_ops_t;

/* NULL-terminated registry, collectives/registry.c. */
extern const cr_coll_ops_t *const cr_coll_registry[];
const cr_coll_ops_t *cr_coll_find(const char *name);

/* Element count per block for a requested S (rounded down to whole blocks of the
 * datatype; 0 when S is smaller than one element per block; at most INT_MAX, the
 * largest MPI count), and the actual S. */
size_t cr_coll_block_count(const cr_coll_ops_t *ops, uint64_t req_bytes, int p,
                           size_t dsize, uint64_t *actual_bytes);

MPI_Datatype cr_dtype_mpi(const cr_dtype_t *dt);

#endif
