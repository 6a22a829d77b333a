/* Levels of the machine as a pure function of the placement table. */
#include "config.h"

#include "cr_levels.h"
#include "cr_group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cr_status_t cr_place_derive(cr_place_t *pl, int n, int *nodes, int *ppn)
{
    cr_group_key_t *keys = malloc((size_t)(n > 0 ? n : 1) * sizeof *keys);
    int *ids = malloc((size_t)(n > 0 ? n : 1) * sizeof *ids);
    int *count = calloc((size_t)(n > 0 ? n : 1), sizeof *count);
    int nn = 0, maxppn = 0;
    cr_status_t st = CR_ERR_NOMEM;

    if (keys == NULL || ids == NULL || count == NULL) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate the host table (%d ranks)", n);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        pl[i].host[CR_HOST_LEN - 1] = '\0';
        keys[i] = (cr_group_key_t){ .s = pl[i].host, .idx = i };
        ids[i] = -1;
    }
    CR_CHECK_GOTO(cr_group_dense(keys, n, n, ids, &nn), st, out);
    for (int i = 0; i < n; i++) {  /* node_index: hosts in order of their lowest rank */
        pl[i].node_index = ids[i];
        pl[i].local_rank = count[ids[i]]++;
        if (pl[i].local_rank + 1 > maxppn)
            maxppn = pl[i].local_rank + 1;
    }
    *nodes = nn;
    *ppn = maxppn;
    st = CR_OK;
out:
    free(count);
    free(ids);
    free(keys);
    return st;
}

/* Key of a rank at a level: ranks with equal keys share a group; key.a < 0 = none. */
typedef struct { long a, b; } cr_key_t;

static cr_key_t cr_level_key(const cr_place_t *p, cr_level_t lv)
{
    cr_key_t k = { 0, 0 };
    switch (lv) {
    case CR_LEVEL_WORLD: break;
    case CR_LEVEL_NODE: k.a = p->node_index; break;
    case CR_LEVEL_PACKAGE:
        k.a = p->package < 0 ? -1 : p->node_index;
        k.b = p->package;
        break;
    case CR_LEVEL_NUMA:
        k.a = p->numa < 0 ? -1 : p->node_index;
        k.b = p->numa;
        break;
    case CR_LEVEL_INTERNODE: k.a = p->local_rank == 0 ? 0 : -1; break;
    case CR_LEVEL_RAIL: k.a = p->local_rank; break;
    default: k.a = -1;
    }
    return k;
}

int cr_level_colors(const cr_place_t *pl, int n, cr_level_t lv, int *colors)
{
    cr_group_key_t *keys = malloc((size_t)(n > 0 ? n : 1) * sizeof *keys);
    int m = 0, groups = 0;
    if (keys == NULL) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate the colouring keys (%d ranks)", n);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        cr_key_t k = cr_level_key(&pl[i], lv);
        colors[i] = -1;
        if (k.a >= 0)
            keys[m++] = (cr_group_key_t){ .a = k.a, .b = k.b, .idx = i };
    }
    if (cr_group_dense(keys, m, n, colors, &groups) != CR_OK)
        groups = -1;
    free(keys);
    return groups;
}

void cr_level_group_sizes(const int *colors, int n, int *min, int *max)
{
    int lo = 0, hi = 0, *size = calloc((size_t)n + 1, sizeof *size);
    for (int i = 0; i < n; i++) {
        int s = 0;
        if (colors[i] < 0 || colors[i] >= n)
            continue;
        if (size) {
            size[colors[i]]++;
            continue;
        }
        for (int j = 0; j < n; j++)  /* no memory for counters: count the slow way */
            s += colors[j] == colors[i];
        if (lo == 0 || s < lo) lo = s;
        if (s > hi) hi = s;
    }
    for (int c = 0; size && c < n; c++) {
        if (size[c] == 0)
            continue;
        if (lo == 0 || size[c] < lo) lo = size[c];
        if (size[c] > hi) hi = size[c];
    }
    free(size);
    *min = lo;
    *max = hi;
}

static int cr_pick_index(const cr_level_pick_t *picks, int np, cr_level_t lv)
{
    for (int i = 0; i < np; i++)
        if (picks[i].level == lv)
            return i;
    return -1;
}

/* Why auto skips lv, into why; "" when it runs. chosen: colourings already chosen. */
static void cr_auto_judge(const cr_place_t *pl, int n, const int *colors,
                          const cr_level_pick_t *picks, int np, int *const *chosen,
                          char *why, size_t len)
{
    int lo, hi;
    why[0] = '\0';
    cr_level_group_sizes(colors, n, &lo, &hi);
    if (lo < 2) {
        int r = -1, *size = calloc((size_t)n + 1, sizeof *size);
        for (int i = 0; i < n && size; i++)
            if (colors[i] >= 0 && colors[i] < n)
                size[colors[i]]++;
        for (int i = 0; i < n && r < 0 && size; i++)
            if (colors[i] >= 0 && colors[i] < n && size[colors[i]] < 2)
                r = i;
        free(size);
        if (r < 0)
            snprintf(why, len, "no rank takes part");
        else
            snprintf(why, len, "a group has fewer than 2 ranks (rank %d on %s is alone)",
                     pl[r].rank, pl[r].host);
        return;
    }
    for (int i = 0; i < np; i++)
        if (picks[i].run && memcmp(colors, chosen[i], (size_t)n * sizeof *colors) == 0) {
            snprintf(why, len, "same groups as level %s", cr_level_name(picks[i].level));
            return;
        }
}

cr_status_t cr_levels_resolve(const cr_place_t *pl, int n, const char *const *names,
                              int nnames, cr_level_pick_t *picks, int *npicks)
{
    cr_level_pick_t out[CR_LEVEL_COUNT];
    int *cols[CR_LEVEL_COUNT] = { NULL };
    cr_status_t st = CR_OK;
    int np = 0;

    for (int k = 0; k < nnames && st == CR_OK; k++) {
        cr_level_t lv = CR_LEVEL_WORLD;
        int is_auto = strcmp(names[k], "auto") == 0;
        if (!is_auto && cr_level_parse(names[k], &lv) != 0) {
            char known[128];
            cr_error("--levels: unknown level '%s' (accepted: %s, auto)", names[k],
                     cr_level_names(known, sizeof known));
            st = CR_ERR_INVAL;
            break;
        }
        for (int l = is_auto ? 0 : (int)lv; l < (is_auto ? CR_LEVEL_COUNT : (int)lv + 1); l++) {
            if (cr_pick_index(out, np, (cr_level_t)l) >= 0)
                continue;
            cols[np] = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
            if (cols[np] == NULL) {
                cr_error_at(__FILE__, __LINE__, "cannot allocate %zu bytes",
                            (size_t)n * sizeof(int));
                st = CR_ERR_NOMEM;
                break;
            }
            if (cr_level_colors(pl, n, (cr_level_t)l, cols[np]) < 0) {
                free(cols[np]);
                cols[np] = NULL;
                st = CR_ERR_NOMEM;
                break;
            }
            out[np].level = (cr_level_t)l;
            out[np].why[0] = '\0';
            if (is_auto)
                cr_auto_judge(pl, n, cols[np], out, np, cols,
                              out[np].why, sizeof out[np].why);
            out[np].run = out[np].why[0] == '\0';
            np++;
        }
    }
    for (int i = 0; i < np; i++)
        free(cols[i]);
    if (st != CR_OK)
        return st;
    memcpy(picks, out, (size_t)np * sizeof *out);
    *npicks = np;
    return CR_OK;
}

int cr_place_distance(const cr_place_t *a, const cr_place_t *b)
{
    if (strncmp(a->host, b->host, CR_HOST_LEN) != 0)
        return CR_DIST_INTERNODE;
    if (a->package < 0 || b->package < 0)
        return -1;
    if (a->package != b->package)
        return CR_DIST_NODE;
    if (a->numa < 0 || b->numa < 0)
        return -1;
    return a->numa == b->numa ? CR_DIST_NUMA : CR_DIST_PACKAGE;
}

/* Keep (a, b), indexes a < b, as class d's pair if lower than the one kept. */
static void cr_pair_offer(const cr_place_t *pl, int a, int b, int *have, cr_pair_t *found,
                          int *fa, int *fb)
{
    int d, lo = a < b ? a : b, hi = a < b ? b : a;
    if (a == b || (d = cr_place_distance(&pl[lo], &pl[hi])) < 0)
        return;
    if (have[d] && (fa[d] < lo || (fa[d] == lo && fb[d] < hi)))
        return;
    have[d] = 1;
    fa[d] = lo;
    fb[d] = hi;
    found[d] = (cr_pair_t){ .dist = (cr_dist_t)d, .a = pl[lo].rank, .b = pl[hi].rank };
}

/* The lowest pair of a class within a host joins the two lowest ranks of one
 * (package, numa), or the lowest ranks of two: those pairs alone are tried, so the
 * cost is a sort, O(n log n), plus the square of the (package, numa) per host. */
int cr_probe_pairs(const cr_place_t *pl, int n, cr_pair_t *pairs)
{
    cr_pair_t found[CR_DIST_COUNT];
    int have[CR_DIST_COUNT] = { 0 }, fa[CR_DIST_COUNT], fb[CR_DIST_COUNT], np = 0, ns;
    cr_group_key_t *keys = malloc((size_t)(n > 0 ? n : 1) * sizeof *keys);
    int *first = malloc((size_t)(n > 0 ? n : 1) * 2 * sizeof *first);

    if (keys == NULL || first == NULL) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate the probe-pair keys (%d ranks)", n);
        free(first);
        free(keys);
        return -1;
    }
    for (int j = 1; j < n; j++)  /* internode: rank 0 and the first rank elsewhere */
        if (strncmp(pl[0].host, pl[j].host, CR_HOST_LEN) != 0) {
            cr_pair_offer(pl, 0, j, have, found, fa, fb);
            break;
        }
    for (int i = 0; i < n; i++)
        keys[i] = (cr_group_key_t){ .s = pl[i].host, .a = pl[i].package, .b = pl[i].numa, .idx = i };
    cr_group_sort(keys, n);
    for (int h = 0, e; h < n; h = e) {  /* one host: keys[h..e) */
        for (e = h + 1; e < n && strcmp(keys[e].s, keys[h].s) == 0; e++)
            ;
        ns = 0;  /* first[2s], first[2s+1]: the two lowest ranks of (package, numa) s */
        for (int k = h; k < e; k++)
            if (k == h || keys[k].a != keys[k - 1].a || keys[k].b != keys[k - 1].b) {
                first[2 * ns] = keys[k].idx;
                first[2 * ns + 1] = k + 1 < e && keys[k + 1].a == keys[k].a &&
                                    keys[k + 1].b == keys[k].b ? keys[k + 1].idx : -1;
                ns++;
            }
        for (int s = 0; s < ns; s++) {
            if (first[2 * s + 1] >= 0)
                cr_pair_offer(pl, first[2 * s], first[2 * s + 1], have, found, fa, fb);
            for (int t = s + 1; t < ns; t++)
                cr_pair_offer(pl, first[2 * s], first[2 * t], have, found, fa, fb);
        }
    }
    free(first);
    free(keys);
    for (int d = 0; d < CR_DIST_COUNT; d++)
        if (have[d])
            pairs[np++] = found[d];
    return np;
}
