/* The projection series of a fit set: its groups bucketed by series key and fixed
 * topology dimension (cr_proj_fixed), each bucket fitted across its rank counts. */
#include "config.h"

#include "fit_proj.h"
#include "cr_coll.h"
#include "fit_data.h"

#include <stdlib.h>
#include <string.h>

static int cr_fit_pseries_is(const cr_fit_pseries_t *p, const cr_fit_group_t *g, int fn, int fq)
{
    return !strcmp(p->collective, g->collective) && !strcmp(p->level, g->level) &&
           !strcmp(p->cadence, g->cadence) && !strcmp(p->dtype, g->dtype) &&
           p->in_place == g->in_place && p->variant == g->variant &&
           !strcmp(p->skew, g->skew) && p->fixed_nodes == fn &&
           p->fixed_ppn == fq;
}

void cr_fit_pseries_free(cr_fit_pseries_t *ps, size_t n)
{
    for (size_t i = 0; i < n; i++) cr_proj_free(&ps[i].s);
    free(ps);
}

cr_status_t cr_fit_pseries_build(const struct cr_fit_set *set, cr_fit_pseries_t **out,
                                 size_t *n)
{
    cr_fit_pseries_t *ps = calloc(set->ngroups ? set->ngroups : 1, sizeof *ps);
    size_t nps = 0;
    *out = NULL;
    *n = 0;
    CR_CHECK_ALLOC(ps, set->ngroups * sizeof *ps);
    for (size_t gi = 0; gi < set->ngroups; gi++) {
        const cr_fit_group_t *g = &set->groups[gi];
        const cr_coll_ops_t *ops = cr_coll_find(g->collective);
        cr_fit_pseries_t key;
        cr_proj_pt_t *pts;
        size_t np = 0, ranks = 0;
        int seen[CR_PROJ_MAXP + 1];
        int fn, fq, dup = 0;
        if (!ops || cr_coll_is_probe(ops)) continue;   /* probes: one rank count */
        cr_proj_fixed(g->level, g->nodes, g->ppn, &fn, &fq);
        for (size_t j = 0; j < nps && !dup; j++) dup = cr_fit_pseries_is(&ps[j], g, fn, fq);
        if (dup) continue;   /* its bucket was built with the first group of it */
        memset(&key, 0, sizeof key);
        memcpy(key.collective, g->collective, CR_NAME_LEN);
        memcpy(key.level, g->level, CR_NAME_LEN);
        memcpy(key.cadence, g->cadence, CR_NAME_LEN);
        memcpy(key.dtype, g->dtype, CR_NAME_LEN);
        key.in_place = g->in_place;
        key.variant = g->variant;
        memcpy(key.skew, g->skew, CR_NAME_LEN);
        key.fixed_nodes = fn;
        key.fixed_ppn = fq;
        for (size_t j = gi; j < set->ngroups; j++) {
            const cr_fit_group_t *h = &set->groups[j];
            int hn, hq;
            cr_proj_fixed(h->level, h->nodes, h->ppn, &hn, &hq);
            if (cr_fit_pseries_is(&key, h, hn, hq)) np += h->npts;
        }
        pts = malloc((np ? np : 1) * sizeof *pts);
        if (!pts) {
            cr_fit_pseries_free(ps, nps);
            cr_error("cannot allocate %zu projection points", np);
            return CR_ERR_NOMEM;
        }
        np = 0;
        for (size_t j = gi; j < set->ngroups; j++) {
            const cr_fit_group_t *h = &set->groups[j];
            int hn, hq, known = 0;
            cr_proj_fixed(h->level, h->nodes, h->ppn, &hn, &hq);
            if (!cr_fit_pseries_is(&key, h, hn, hq)) continue;
            for (size_t r = 0; r < ranks; r++) known |= seen[r] == h->ranks;
            if (!known && ranks <= CR_PROJ_MAXP) seen[ranks++] = h->ranks;
            for (size_t k = 0; k < h->npts; k++) {
                pts[np].ranks = h->ranks;
                pts[np].bytes = (double)h->pts[k].bytes;
                pts[np++].t = h->pts[k].t_med;
            }
        }
        if (ranks >= 2) {
            cr_status_t st;
            key.s.nc = 0;
            ps[nps] = key;
            st = cr_proj_build(&ps[nps].s, pts, np, ops->bus_factor);
            if (st != CR_OK) {
                free(pts);
                cr_fit_pseries_free(ps, nps);
                return st;
            }
            ps[nps].has_loo =
                cr_proj_loo(&ps[nps].s, CR_PROJ_LOO_MIN_BYTES, &ps[nps].loo) == 0;
            nps++;
        } else {
            /* a one-count bucket is not kept, but marks its key as done */
            ps[nps] = key;
            memset(&ps[nps].s, 0, sizeof ps[nps].s);
            ps[nps].has_loo = -1;
            nps++;
        }
        free(pts);
    }
    /* drop the one-count markers */
    {
        size_t m = 0;
        for (size_t i = 0; i < nps; i++)
            if (ps[i].has_loo >= 0) ps[m++] = ps[i];
        nps = m;
    }
    *out = ps;
    *n = nps;
    return CR_OK;
}
