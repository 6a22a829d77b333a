/* The placement derivation, level colouring and probe-pair choice as they were before
 * they became O(n log n): every rank compared with every earlier one, O(n^2). Kept as
 * the reference the new functions must agree with (tests/test_scale.c) and the
 * baseline of scripts/bench_levels. */
#ifndef LEVELS_REF_H
#define LEVELS_REF_H

#include <string.h>
#include "cr_levels.h"

static void ref_place_derive(cr_place_t *pl, int n, int *nodes, int *ppn)
{
    int nn = 0, maxppn = 0;
    for (int i = 0; i < n; i++) {
        int j = 0;
        while (j < i && (pl[j].local_rank != 0 || strncmp(pl[j].host, pl[i].host, CR_HOST_LEN) != 0))
            j++;
        if (j == i) {
            pl[i].node_index = nn++;
            pl[i].local_rank = 0;
        } else {
            int k = i - 1;
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

typedef struct { long a, b; } ref_key_t;

static ref_key_t ref_level_key(const cr_place_t *p, cr_level_t lv)
{
    ref_key_t k = { 0, 0 };
    switch (lv) {
    case CR_LEVEL_WORLD: break;
    case CR_LEVEL_NODE: k.a = p->node_index; break;
    case CR_LEVEL_PACKAGE: k.a = p->package < 0 ? -1 : p->node_index; k.b = p->package; break;
    case CR_LEVEL_NUMA: k.a = p->numa < 0 ? -1 : p->node_index; k.b = p->numa; break;
    case CR_LEVEL_INTERNODE: k.a = p->local_rank == 0 ? 0 : -1; break;
    case CR_LEVEL_RAIL: k.a = p->local_rank; break;
    default: k.a = -1;
    }
    return k;
}

static int ref_level_colors(const cr_place_t *pl, int n, cr_level_t lv, int *colors)
{
    int groups = 0;
    for (int i = 0; i < n; i++) {
        ref_key_t ki = ref_level_key(&pl[i], lv);
        colors[i] = -1;
        if (ki.a < 0)
            continue;
        for (int j = 0; j < i; j++) {
            ref_key_t kj = ref_level_key(&pl[j], lv);
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

static int ref_probe_pairs(const cr_place_t *pl, int n, cr_pair_t *pairs)
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

/* Synthetic placements: shape 0 = hosts of ppn ranks in blocks, 4 NUMA nodes on 2
 * packages per host; 1 = ranks round-robin over `hosts`; 2 = one rank per host;
 * 3 = random hosts, packages and NUMA nodes, some unknown (-1), from seed. */
static void ref_synth(cr_place_t *pl, int n, int shape, int hosts, unsigned seed)
{
    for (int i = 0; i < n; i++) {
        int h, lr;
        memset(&pl[i], 0, sizeof pl[i]);
        pl[i].rank = i;
        switch (shape) {
        case 0: h = i / hosts; lr = i % hosts; pl[i].numa = lr * 4 / hosts; pl[i].package = pl[i].numa / 2; break;
        case 1: h = i % hosts; lr = i / hosts; pl[i].numa = lr % 4; pl[i].package = lr % 2 ? 1 : 0;
                pl[i].package = pl[i].numa / 2; break;
        case 2: h = i; pl[i].numa = 0; pl[i].package = 0; break;
        default:
            seed = seed * 1103515245u + 12345u; h = (int)((seed >> 16) % (unsigned)hosts);
            seed = seed * 1103515245u + 12345u; pl[i].package = (int)((seed >> 16) % 3) - 1;
            seed = seed * 1103515245u + 12345u; pl[i].numa = (int)((seed >> 16) % 5) - 1;
        }
        snprintf(pl[i].host, sizeof pl[i].host, "node%05d", h);
        pl[i].node_index = pl[i].local_rank = -1;
    }
}

#endif
