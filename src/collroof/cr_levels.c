/* Levels of the machine as a pure function of the placement table. */
#include "config.h"

#include "cr_levels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cr_place_derive(cr_place_t *pl, int n, int *nodes, int *ppn)
{
    int nn = 0, maxppn = 0;
    for (int i = 0; i < n; i++) {
        int j = 0;  /* first rank on the same host: only node leaders are compared */
        while (j < i && (pl[j].local_rank != 0 || strncmp(pl[j].host, pl[i].host, CR_HOST_LEN) != 0))
            j++;
        if (j == i) {
            pl[i].node_index = nn++;
            pl[i].local_rank = 0;
        } else {
            int k = i - 1;  /* the previous rank on that host */
            while (pl[k].node_index != pl[j].node_index)
                k--;
            pl[i].node_index = pl[j].node_index;
            pl[i].local_rank = pl[k].local_rank + 1;
        }
        if (pl[i].local_rank + 1 > maxppn)
            maxppn = pl[i].local_rank + 1;
    }
    *nodes = nn;
    *ppn = maxppn;
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
    int groups = 0;
    for (int i = 0; i < n; i++) {
        cr_key_t ki = cr_level_key(&pl[i], lv);
        colors[i] = -1;
        if (ki.a < 0)
            continue;
        for (int j = 0; j < i; j++) {
            cr_key_t kj = cr_level_key(&pl[j], lv);
            if (colors[j] >= 0 && kj.a == ki.a && kj.b == ki.b) {
                colors[i] = colors[j];
                break;
            }
        }
        if (colors[i] < 0)
            colors[i] = groups++;
    }
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
        int r = -1;
        for (int i = 0; i < n && r < 0; i++) {
            int size = 0;
            for (int j = 0; j < n && colors[i] >= 0; j++)
                size += colors[j] == colors[i];
            if (colors[i] >= 0 && size < 2)
                r = i;
        }
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
            cr_level_colors(pl, n, (cr_level_t)l, cols[np]);
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

int cr_probe_pairs(const cr_place_t *pl, int n, cr_pair_t *pairs)
{
    cr_pair_t found[CR_DIST_COUNT];
    int have[CR_DIST_COUNT] = { 0 }, nfound = 0, np = 0;

    for (int i = 0; i < n && nfound < CR_DIST_COUNT; i++)
        for (int j = i + 1; j < n && nfound < CR_DIST_COUNT; j++) {
            int d = cr_place_distance(&pl[i], &pl[j]);
            if (d < 0 || have[d])
                continue;
            have[d] = 1;
            found[d] = (cr_pair_t){ .dist = (cr_dist_t)d, .a = pl[i].rank, .b = pl[j].rank };
            nfound++;
        }
    for (int d = 0; d < CR_DIST_COUNT; d++)
        if (have[d])
            pairs[np++] = found[d];
    return np;
}
