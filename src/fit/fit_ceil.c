/* Ceilings: the link ceilings a group's fitted ceiling is compared against, and
 * the group's roofline (latency floor and busbw ceiling). */
#include "config.h"

#include "fit_group.h"

#include <math.h>
#include <string.h>

static int cr_fit_is_pingpong(const char *c) { return !strncmp(c, "pingpong", 8); }

/* Highest one-way rate among the pingpong and pingpong_bidir rows of one distance
 * class: their algbw (bytes / t per direction; pingpong_bidir's busbw counts both
 * directions and would double the link). */
static double cr_fit_pingpong_max(const cr_fit_set_t *set, const char *cls)
{
    double best = 0;
    for (size_t g = 0; g < set->ngroups; g++) {
        const cr_fit_group_t *gr = &set->groups[g];
        if (!cr_fit_is_pingpong(gr->collective) || strcmp(gr->level, cls)) continue;
        for (size_t i = 0; i < gr->npts; i++)
            if (gr->pts[i].algbw > best) best = gr->pts[i].algbw;
    }
    return best;
}

void cr_fit_link_ceiling(const cr_fit_set_t *set, const cr_fit_group_t *g, double *GBps,
                         const char **src)
{
    /* Distance classes to try, nearest first, for each level. */
    static const char *const across[] = { "internode", NULL };
    static const char *const node[] = { "node", "package", "numa", NULL };
    static const char *const package[] = { "package", "numa", NULL };
    static const char *const numa[] = { "numa", NULL };
    const char *const *cls = node;
    int internode = !strcmp(g->level, "internode") || !strcmp(g->level, "rail") ||
                    (!strcmp(g->level, "world") && g->nodes > 1);
    if (internode) cls = across;
    else if (!strcmp(g->level, "package")) cls = package;
    else if (!strcmp(g->level, "numa")) cls = numa;
    else if (cr_fit_is_pingpong(g->collective)) {
        cls = NULL;   /* a pingpong group is its own measured link */
    }
    *GBps = 0;
    *src = "";
    for (; cls && *cls; cls++) {
        double v = cr_fit_pingpong_max(set, *cls);
        if (v > 0 && !cr_fit_is_pingpong(g->collective)) {
            *GBps = v;
            *src = "pingpong";
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
