/* Ceilings: the link ceilings a group's fitted ceiling is compared against, and
 * the group's roofline (latency floor and busbw ceiling). */
#include "config.h"

#include "fit_group.h"
#include "cr_coll.h"
#include "cr_level_names.h"

#include <math.h>
#include <string.h>

/* link_src of a ceiling measured by a point-to-point probe (the column's value
 * since the first probe, docs/formats.md). */
#define CR_FIT_LINK_PROBE "pingpong"

static int cr_fit_is_probe(const char *c)
{
    const cr_coll_ops_t *ops = cr_coll_find(c);
    return ops && cr_coll_is_probe(ops);
}

/* Highest one-way rate among the probe rows of one distance class: their algbw
 * (bytes / t per direction; a bidirectional probe's busbw counts both directions
 * and would double the link). */
static double cr_fit_probe_max(const cr_fit_set_t *set, const char *cls)
{
    double best = 0;
    for (size_t g = 0; g < set->ngroups; g++) {
        const cr_fit_group_t *gr = &set->groups[g];
        if (!cr_fit_is_probe(gr->collective) || strcmp(gr->level, cls)) continue;
        for (size_t i = 0; i < gr->npts; i++)
            if (gr->pts[i].algbw > best) best = gr->pts[i].algbw;
    }
    return best;
}

void cr_fit_link_ceiling(const cr_fit_set_t *set, const cr_fit_group_t *g, double *GBps,
                         const char **src)
{
    /* The class of the links the group crosses (an unknown level: within a host);
     * probes of that class are tried, and within a host those of nearer classes. */
    int cls = cr_level_link_class(g->level, g->nodes);
    int internode = cls == CR_DIST_INTERNODE;
    if (cls < 0) cls = CR_DIST_NODE;
    *GBps = 0;
    *src = "";
    for (int c = cls; !cr_fit_is_probe(g->collective) && c >= 0; c = internode ? -1 : c - 1) {
        double v = cr_fit_probe_max(set, cr_dist_name((cr_dist_t)c));
        if (v > 0) {   /* a probe group is its own measured link: never its ceiling */
            *GBps = v;
            *src = CR_FIT_LINK_PROBE;
            return;
        }
    }
    if (internode && set->ceil.nominal_GBps > 0) {
        *GBps = set->ceil.nominal_GBps;
        *src = "nominal";
    } else if (!internode && set->ceil.memcpy_GBps > 0) {
        *GBps = set->ceil.memcpy_GBps;
        *src = "memcpy";
    }
}

/* Measured busbw of point i, GB/s (F·S/t_median). */
static double cr_fit_busbw_at(const cr_fit_group_t *g, size_t i)
{
    return g->F * (double)g->pts[i].bytes / g->pts[i].t_med * 1e-3;
}

void cr_fit_roof(const cr_fit_group_t *g, cr_fit_result_t *r)
{
    double best = -1, top = -1;
    size_t best_s = r->k, top_i = 0;
    for (size_t s = 0; s < r->k; s++) {
        const cr_fit_segres_t *z = &r->seg[s];
        int reached = z->alpha <= 0 || z->n_half <= (double)g->pts[z->last].bytes;
        if (isfinite(z->ceiling) && z->ceiling > 0 && reached && z->ceiling > best) {
            best = z->ceiling;
            best_s = s;
        }
    }
    for (size_t i = 0; i < g->npts; i++)
        if (cr_fit_busbw_at(g, i) > top) {
            top = cr_fit_busbw_at(g, i);
            top_i = i;
        }
    r->roof_extrapolated = 0;
    if (best_s == r->k) {
        size_t s = 0;
        while (s + 1 < r->k && top_i > r->seg[s].last) s++;
        r->roof_extrapolated = 1;
        if (isfinite(r->seg[s].ceiling) && r->seg[s].ceiling > 0) {
            best = r->seg[s].ceiling;
            best_s = s;
        } else {
            best = top;
        }
    }
    r->roof_ceiling = best;
    r->roof_seg = best_s;
    r->roof_alpha = r->seg[0].alpha > 0 ? r->seg[0].alpha : NAN;
    r->roof_knee = isfinite(r->roof_alpha) && g->F > 0
                       ? r->roof_alpha * r->roof_ceiling * 1e3 / g->F : NAN;
}
