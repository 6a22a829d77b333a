/* Ceilings: the link ceilings a group's fitted ceiling is compared against, and
 * the group's roofline (latency floor and busbw ceiling). */
#include "config.h"

#include "fit_group.h"
#include "fit_model.h"
#include "cr_coll.h"
#include "cr_level_names.h"

#include <math.h>
#include <string.h>

/* link_src of a ceiling measured by a point-to-point probe: the sustained rate,
 * r∞ of the probe fit's segment covering the largest sizes (the column's value
 * since the first probe, docs/formats.md). */
#define CR_FIT_LINK_PROBE "pingpong"
/* ... and when no probe fit gives a usable r∞: the median one-way rate of the
 * probe rows at the largest sizes (appended value). */
#define CR_FIT_LINK_PROBE_ROWS "pingpong-rows"
/* Points a probe's last segment needs before its r∞ is taken as the link. */
#define CR_FIT_LINK_MIN_PTS 3
/* Largest sizes of each probe group pooled for the fallback median. */
#define CR_FIT_LINK_TOP_ROWS 3

static int cr_fit_is_probe(const char *c)
{
    const cr_coll_ops_t *ops = cr_coll_find(c);
    return ops && cr_coll_is_probe(ops);
}

/* r∞ (GB/s) of the segment z of probe group g, re-estimated by Theil–Sen on the
 * segment's points: the median pairwise slope, which one burst row among them
 * cannot move (the segmenter may start a segment at the burst, and the IRLS line
 * of a few points follows it). +inf or NAN when not usable. */
static double cr_fit_probe_seg_rate(const cr_fit_group_t *g, const cr_fit_segres_t *z)
{
    double x[64], y[64];
    size_t n = 0, from = z->last + 1 - z->first > 64 ? z->last + 1 - 64 : z->first;
    cr_fit_line_t l;
    for (size_t i = from; i <= z->last; i++) {
        x[n] = (double)g->pts[i].bytes;
        y[n++] = g->pts[i].t_med;
    }
    if (n < CR_FIT_LINK_MIN_PTS || cr_fit_line_theil_sen(x, y, n, &l) != 0) return NAN;
    return cr_fit_line_rinf_GBps(l.beta);
}

/* The sustained one-way rate of a distance class's probes: the highest r∞ of the
 * segment covering the largest sizes among the fitted probe groups of the class
 * (r∞ is the algbw asymptote, bytes / t per direction; a bidirectional probe's
 * busbw counts both directions and would double the link). Not the highest row:
 * under a token bucket the fastest row is a burst above the link. When no probe
 * fit of the class has a finite, positive r∞ on >= CR_FIT_LINK_MIN_PTS points,
 * the median algbw of the probe rows at the largest sizes (*rows = 1). 0: no probe
 * of the class. */
static double cr_fit_probe_rate(const cr_fit_set_t *set, const cr_fit_result_t *res, size_t nres,
                                const char *cls, int *rows)
{
    double best = 0, top[64];
    size_t ntop = 0;
    for (size_t i = 0; i < nres; i++) {
        const cr_fit_group_t *gr = res[i].g;
        const cr_fit_segres_t *z;
        double v;
        if (!gr || res[i].k == 0 || !cr_fit_is_probe(gr->collective) || strcmp(gr->level, cls))
            continue;
        z = &res[i].seg[res[i].k - 1];
        v = cr_fit_probe_seg_rate(gr, z);
        if (isfinite(v) && v > best) best = v;
    }
    *rows = 0;
    if (best > 0) return best;
    for (size_t g = 0; g < set->ngroups; g++) {
        const cr_fit_group_t *gr = &set->groups[g];
        size_t from;
        if (!cr_fit_is_probe(gr->collective) || strcmp(gr->level, cls)) continue;
        from = gr->npts > CR_FIT_LINK_TOP_ROWS ? gr->npts - CR_FIT_LINK_TOP_ROWS : 0;
        for (size_t i = from; i < gr->npts && ntop < sizeof top / sizeof *top; i++)
            if (isfinite(gr->pts[i].algbw) && gr->pts[i].algbw > 0) top[ntop++] = gr->pts[i].algbw;
    }
    if (ntop == 0) return 0;
    *rows = 1;
    return cr_fit_median(top, ntop);
}

void cr_fit_link_ceiling(const cr_fit_set_t *set, const cr_fit_result_t *res, size_t nres,
                         const cr_fit_group_t *g, double *GBps, const char **src)
{
    /* The class of the links the group crosses (an unknown level: within a host);
     * probes of that class are tried, and within a host those of nearer classes. */
    int cls = cr_level_link_class(g->level, g->nodes);
    int internode = cls == CR_DIST_INTERNODE;
    if (cls < 0) cls = CR_DIST_NODE;
    *GBps = 0;
    *src = "";
    for (int c = cls; !cr_fit_is_probe(g->collective) && c >= 0; c = internode ? -1 : c - 1) {
        int rows;
        double v = cr_fit_probe_rate(set, res, nres, cr_dist_name((cr_dist_t)c), &rows);
        if (v > 0) {   /* a probe group is its own measured link: never its ceiling */
            *GBps = v;
            *src = rows ? CR_FIT_LINK_PROBE_ROWS : CR_FIT_LINK_PROBE;
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
