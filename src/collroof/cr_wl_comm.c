/* A workload's communicators on a placement table: see cr_wl_comm.h. */
#include "config.h"

#include "cr_wl_comm.h"

#include <stdio.h>
#include <stdlib.h>
#include "cr_group.h"
#include "cr_levels.h"

int cr_workload_layout_check(const cr_workload_t *wl, const cr_place_t *pl, int n, char *err,
                             size_t errlen)
{
    if (n % wl->pp != 0) {
        snprintf(err, errlen, "%s:%d: layout pp=%d does not divide the world's %d ranks: "
                 "every pipeline stage holds world / pp ranks; run a multiple of %d ranks, "
                 "or change pp", wl->path, wl->layout_line, wl->pp, n, wl->pp);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int host_ranks = 0;
        if (pl[i].local_rank != 0) continue;   /* once per host */
        for (int j = 0; j < n; j++) host_ranks += pl[j].node_index == pl[i].node_index;
        if (host_ranks % wl->tp != 0) {
            snprintf(err, errlen, "%s:%d: layout tp=%d does not divide the %d ranks of host %s: "
                     "tensor-parallel groups stay inside a host; run a multiple of %d ranks "
                     "per host, or change tp", wl->path, wl->layout_line, wl->tp, host_ranks,
                     pl[i].host, wl->tp);
            return -1;
        }
    }
    if ((n / wl->pp) % wl->tp != 0) {
        snprintf(err, errlen, "%s:%d: layout tp=%d pp=%d: a stage's %d ranks (world %d / pp) "
                 "are not whole tp groups of %d; run a multiple of tp x pp = %d ranks",
                 wl->path, wl->layout_line, wl->tp, wl->pp, n / wl->pp, n, wl->tp,
                 wl->tp * wl->pp);
        return -1;
    }
    return 0;
}

int cr_workload_colors(const cr_workload_t *wl, cr_wl_comm_t comm, const cr_place_t *pl, int n,
                       int *colors, int *ranks)
{
    cr_group_key_t *keys;
    int groups = 0, lo, hi;
    if (comm == CR_WL_NODE || comm == CR_WL_RAIL) {
        groups = cr_level_colors(pl, n, comm == CR_WL_NODE ? CR_LEVEL_NODE : CR_LEVEL_RAIL, colors);
        if (groups < 0) return -1;
        cr_level_group_sizes(colors, n, &lo, &hi);
        *ranks = hi;
        return groups;
    }
    keys = malloc((size_t)(n > 0 ? n : 1) * sizeof *keys);
    if (!keys) return -1;
    for (int i = 0; i < n; i++) {
        long tp = wl->tp, stage_ranks = n / (wl->pp > 0 ? wl->pp : 1);
        keys[i] = (cr_group_key_t){ .s = NULL, .a = 0, .b = 0, .idx = i };
        if (comm == CR_WL_TP) {
            keys[i].a = pl[i].node_index;
            keys[i].b = pl[i].local_rank / tp;
        } else if (comm == CR_WL_DP) {   /* same tp index, same stage */
            keys[i].a = pl[i].local_rank % tp;
            keys[i].b = i / stage_ranks;
        } else if (comm == CR_WL_PP) {   /* same place inside its stage: one rank per stage */
            keys[i].a = i % stage_ranks;
        }
        colors[i] = -1;
    }
    if (cr_group_dense(keys, n, n, colors, &groups) != CR_OK) groups = -1;
    free(keys);
    if (groups < 0) return -1;
    cr_level_group_sizes(colors, n, &lo, &hi);
    *ranks = hi;
    return groups;
}
