/* The one list of collectives; adding one = its file + one line here (and one in
 * collectives.am). Pure: built into libcrcoll and libcrcollinfo alike. */
#include "config.h"

#include "cr_coll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const cr_coll_ops_t cr_coll_allreduce, cr_coll_allgather, cr_coll_alltoall, cr_coll_alltoallv,
    cr_coll_reduce_scatter, cr_coll_bcast, cr_coll_reduce, cr_coll_gather, cr_coll_sendrecv, cr_coll_pingpong,
    cr_coll_pingpong_bidir, cr_coll_test_deadline;

const cr_coll_ops_t *const cr_coll_registry[] = {
    &cr_coll_allreduce,
    &cr_coll_allgather,
    &cr_coll_alltoall,
    &cr_coll_alltoallv,
    &cr_coll_reduce_scatter,
    &cr_coll_bcast,
    &cr_coll_reduce,
    &cr_coll_gather,
    &cr_coll_sendrecv,
    &cr_coll_pingpong,
    &cr_coll_pingpong_bidir,
    NULL,
};

const cr_coll_ops_t *const cr_coll_testing[] = {
    &cr_coll_test_deadline,
    NULL,
};

static int cr_coll_testing_on(void)
{
    const char *e = getenv("COLLROOF_TEST_PLUGINS");
    return e && !strcmp(e, "1");
}

const cr_coll_ops_t *cr_coll_find(const char *name)
{
    for (const cr_coll_ops_t *const *c = cr_coll_registry; name && *c; c++)
        if (strcmp((*c)->name, name) == 0) return *c;
    for (const cr_coll_ops_t *const *c = cr_coll_testing; name && *c && cr_coll_testing_on(); c++)
        if (strcmp((*c)->name, name) == 0) return *c;
    return NULL;
}

const char *cr_coll_names(char *buf, size_t len)
{
    size_t n = 0;
    if (len) buf[0] = '\0';
    for (const cr_coll_ops_t *const *c = cr_coll_registry; *c && n < len; c++) {
        int k = snprintf(buf + n, len - n, "%s%s", c == cr_coll_registry ? "" : ", ",
                         (*c)->name);
        if (k < 0) break;
        n += (size_t)k;
    }
    for (const cr_coll_ops_t *const *c = cr_coll_testing; cr_coll_testing_on() && *c && n < len;
         c++) {
        int k = snprintf(buf + n, len - n, ", %s", (*c)->name);
        if (k < 0) break;
        n += (size_t)k;
    }
    return buf;
}

size_t cr_coll_unit(size_t n, size_t max_count)
{
    if (max_count == 0 || max_count > CR_COLL_MAX_COUNT) max_count = CR_COLL_MAX_COUNT;
    size_t need = n <= max_count ? 1 : (n - 1) / max_count + 1, unit = 1;
    while (unit < need) unit *= 2;
    return unit;
}

size_t cr_coll_block_count(const cr_coll_ops_t *ops, uint64_t req_bytes, int p,
                           size_t dsize, size_t max_count, uint64_t *actual_bytes)
{
    int blocks = ops->s_blocks(p);
    uint64_t per = (uint64_t)(blocks > 0 ? blocks : 0) * dsize; /* bytes of S per block element */
    uint64_t count = per ? req_bytes / per : 0;
    count -= count % cr_coll_unit((size_t)count, max_count); /* whole units */
    if (actual_bytes) *actual_bytes = count * per;
    return (size_t)count;
}

int cr_coll_is_probe(const cr_coll_ops_t *ops) { return ops->on == CR_COLL_ON_PAIRS; }

int cr_coll_in_all(const cr_coll_ops_t *ops)
{
    return !cr_coll_is_probe(ops) && !ops->skewed && !ops->named_only;
}

int cr_coll_max_ranks(const cr_coll_ops_t *ops, int world_size)
{
    return cr_coll_is_probe(ops) ? 2 : world_size;
}

double cr_coll_ops_per_call(const cr_coll_ops_t *ops)
{
    return ops->ops_per_call > 0 ? ops->ops_per_call : 1.0;
}
