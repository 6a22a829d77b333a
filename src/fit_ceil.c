/* Link ceilings a group's fitted ceiling is compared against. */
#include "fit_group.h"

#include <string.h>

static int cr_fit_is_pingpong(const char *c) { return !strncmp(c, "pingpong", 8); }

/* Highest measured busbw among pingpong rows of one distance class. */
static double cr_fit_pingpong_max(const cr_fit_set_t *set, const char *cls)
{
    double best = 0;
    for (size_t g = 0; g < set->ngroups; g++) {
        const cr_fit_group_t *gr = &set->groups[g];
        if (!cr_fit_is_pingpong(gr->collective) || strcmp(gr->level, cls)) continue;
        for (size_t i = 0; i < gr->npts; i++)
            if (gr->pts[i].busbw > best) best = gr->pts[i].busbw;
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
