/* The one list of collectives; adding one = its file + one line here. */
#include "config.h"

#include "cr_coll.h"

#include <limits.h>
#include <string.h>

extern const cr_coll_ops_t cr_coll_allreduce, cr_coll_allgather, cr_coll_alltoall,
    cr_coll_reduce_scatter, cr_coll_bcast, cr_coll_pingpong, cr_coll_pingpong_bidir;

const cr_coll_ops_t *const cr_coll_registry[] = {
    &cr_coll_allreduce,
    &cr_coll_allgather,
    &cr_coll_alltoall,
    &cr_coll_reduce_scatter,
    &cr_coll_bcast,
    &cr_coll_pingpong,
    &cr_coll_pingpong_bidir,
    NULL,
};

const cr_coll_ops_t *cr_coll_find(const char *name)
{
    for (const cr_coll_ops_t *const *c = cr_coll_registry; name && *c; c++)
        if (strcmp((*c)->name, name) == 0) return *c;
    return NULL;
}

size_t cr_coll_block_count(const cr_coll_ops_t *ops, uint64_t req_bytes, int p,
                           size_t dsize, uint64_t *actual_bytes)
{
    int blocks = ops->s_blocks(p);
    uint64_t per = (uint64_t)(blocks > 0 ? blocks : 0) * dsize; /* bytes of S per block element */
    uint64_t count = per ? req_bytes / per : 0;
    if (count > INT_MAX) count = INT_MAX; /* MPI counts are int */
    if (actual_bytes) *actual_bytes = count * per;
    return (size_t)count;
}
