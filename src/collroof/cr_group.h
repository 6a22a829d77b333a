/* Grouping of n items by equal keys in O(n log n): the dense group numbers the
 * placement table and the level colouring need, without comparing every pair. Pure. */
#ifndef CR_GROUP_H
#define CR_GROUP_H

#include "cr_error.h"

typedef struct cr_group_key {
    const char *s;   /* NUL-terminated string part of the key (NULL = "") */
    long a, b;       /* integer parts of the key */
    int idx;         /* the item: 0 <= idx < nidx, each at most once */
} cr_group_key_t;

/* Sort by (s, a, b, idx): equal keys become runs, each in idx order. */
void cr_group_sort(cr_group_key_t *keys, int nkeys);

/* ids[keys[k].idx] = the group of item keys[k].idx: items with equal (s, a, b) share
 * one; groups numbered 0..*ngroups-1 in order of each group's lowest idx. ids has
 * nidx entries; those of items not among the keys are left as they are (set them to
 * -1 beforehand). keys are reordered. CR_ERR_NOMEM if scratch space cannot be had. */
cr_status_t cr_group_dense(cr_group_key_t *keys, int nkeys, int nidx, int *ids, int *ngroups);

#endif
