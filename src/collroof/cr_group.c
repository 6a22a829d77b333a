/* Dense groups of equal keys by sorting: O(n log n). */
#include "config.h"

#include "cr_group.h"

#include <stdlib.h>
#include <string.h>

static int cr_key_cmp(const void *x, const void *y)
{
    const cr_group_key_t *p = x, *q = y;
    int c = strcmp(p->s ? p->s : "", q->s ? q->s : "");
    if (c) return c;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    if (p->b != q->b) return p->b < q->b ? -1 : 1;
    return (p->idx > q->idx) - (p->idx < q->idx);
}

void cr_group_sort(cr_group_key_t *keys, int nkeys)
{
    qsort(keys, (size_t)nkeys, sizeof *keys, cr_key_cmp);
}

/* Same key, the item aside. */
static int cr_key_same(const cr_group_key_t *p, const cr_group_key_t *q)
{
    return p->a == q->a && p->b == q->b && strcmp(p->s ? p->s : "", q->s ? q->s : "") == 0;
}

cr_status_t cr_group_dense(cr_group_key_t *keys, int nkeys, int nidx, int *ids, int *ngroups)
{
    int runs = 0, next = 0, *remap;

    cr_group_sort(keys, nkeys);
    for (int k = 0; k < nkeys; k++) {  /* run number of each item, in key order */
        runs += k > 0 && !cr_key_same(&keys[k - 1], &keys[k]);
        ids[keys[k].idx] = runs;
    }
    runs += nkeys > 0;
    remap = malloc((size_t)(runs > 0 ? runs : 1) * sizeof *remap);
    if (remap == NULL) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate %zu bytes", (size_t)runs * sizeof *remap);
        return CR_ERR_NOMEM;
    }
    for (int r = 0; r < runs; r++) remap[r] = -1;
    for (int i = 0; i < nidx; i++) {  /* renumber in order of each group's lowest idx */
        if (ids[i] < 0) continue;
        if (remap[ids[i]] < 0) remap[ids[i]] = next++;
        ids[i] = remap[ids[i]];
    }
    free(remap);
    *ngroups = runs;
    return CR_OK;
}
