#include "config.h"

#include "fit_group.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cr_fit_opts_default(cr_fit_opts_t *o)
{
    cr_fit_seg_opts_default(&o->seg);
    o->reps = 1000;
    o->seed = 1;
}

int cr_fit_log2_ceil(int p)
{
    int k = 0;
    while (p > 1 && (1LL << k) < p) k++;
    return k;
}

size_t cr_fit_fault_bound(const cr_fit_group_t *g, size_t *from)
{
    size_t n = 0;
    for (size_t i = g->npts; i-- > 0;) {
        const cr_fit_point_t *p = &g->pts[i];
        if (!cr_result_fresh_memory(p->faults, p->bytes)) break;
        n++;
        *from = i;
    }
    return n;
}

/* Median relative half-width of the per-size CIs, as a noise sd (z = 1.96). */
static double cr_fit_sigma_ci(const cr_fit_group_t *g)
{
    double *h = malloc(g->npts * sizeof *h), s = 0;
    size_t m = 0;
    if (!h) return 0;
    for (size_t i = 0; i < g->npts; i++)
        if (g->pts[i].t_hi > g->pts[i].t_lo)
            h[m++] = (g->pts[i].t_hi - g->pts[i].t_lo) / (2 * 1.96 * g->pts[i].t_med);
    if (m) s = cr_fit_median(h, m);
    free(h);
    return s;
}

/* Per-group stream. Groups differing only in dtype, in_place or variant share one:
 * their data differ, and older fits keep their numbers. */
static uint64_t cr_fit_group_seed(const cr_fit_group_t *g, uint64_t seed)
{
    char key[4 * CR_NAME_LEN + 16];
    snprintf(key, sizeof key, "%s/%s/%s/%d", g->collective, g->level, g->cadence, g->ranks);
    return cr_fit_hash(key, 0) ^ (seed * 0x9e3779b97f4a7c15ULL);
}

cr_status_t cr_fit_group_run(const cr_fit_group_t *g, const cr_fit_opts_t *o,
                             cr_fit_result_t *out)
{
    size_t n = g->npts;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    cr_fit_seg_opts_t so = o->seg;
    cr_fit_segs_t sg;
    cr_fit_ci_t ci[CR_FIT_MAXSEG];
    cr_status_t st = CR_OK;
    if (!x || !y) {
        free(x);
        free(y);
        cr_error("cannot allocate %zu points", n);
        return CR_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)g->pts[i].bytes;
        y[i] = g->pts[i].t_med;
    }
    so.sigma_ci = cr_fit_sigma_ci(g);
    CR_CHECK_GOTO(cr_fit_segments(x, y, n, &so, &sg), st, out_with_xy);
    memset(out, 0, sizeof *out);
    CR_CHECK_GOTO(cr_fit_boot_segments(g->pts, n, &sg, o->reps, cr_fit_group_seed(g, o->seed),
                                       ci, &out->boot_raw), st, out_with_xy);
    out->g = g;
    out->k = sg.k;
    out->sigma = sg.sigma;
    out->crit = sg.crit[sg.k];
    for (size_t s = 0; s < sg.k; s++) {
        cr_fit_segres_t *r = &out->seg[s];
        const cr_fit_line_t *l = &sg.seg[s].line;
        r->first = sg.seg[s].first;
        r->last = sg.seg[s].last;
        r->alpha = l->alpha;
        r->beta = l->beta;
        r->alpha_lo = ci[s].alpha_lo;
        r->alpha_hi = ci[s].alpha_hi;
        r->rinf = cr_fit_line_rinf_GBps(l->beta);
        r->rinf_lo = ci[s].rinf_lo;
        r->rinf_hi = ci[s].rinf_hi;
        r->ceiling = g->F * r->rinf;
        r->n_half = l->beta > 0 ? l->alpha / l->beta : INFINITY;
        r->rel_med = l->rel_med;
    }
    out->efficiency = NAN;
    cr_fit_roof(g, out);
out_with_xy:
    free(x);
    free(y);
    return st;
}

/* Relative-error line fit of α against x; fills a, b and the relative RMS error. */
static void cr_fit_scal_line(const double *x, const double *y, size_t n, double *a, double *b,
                             double *rmse)
{
    cr_fit_line_t l;
    double s = 0, xmin = INFINITY, xmax = -INFINITY;
    *a = *b = *rmse = NAN;
    for (size_t i = 0; i < n; i++) {
        if (x[i] < xmin) xmin = x[i];
        if (x[i] > xmax) xmax = x[i];
    }
    if (n > 0 && xmin == xmax) {
        /* No spread in x (e.g. p = 5..8 all have ceil(log2 p) = 3): the shape is a
         * constant, the one with the least relative error, c = Σ(1/y) / Σ(1/y²). */
        double u = 0, v = 0;
        for (size_t i = 0; i < n; i++) {
            u += 1 / y[i];
            v += 1 / (y[i] * y[i]);
        }
        l.alpha = u / v;
        l.beta = 0;
    } else if (cr_fit_line_hockney(x, y, n, &l) != 0) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double r = (y[i] - l.alpha - l.beta * x[i]) / y[i];
        s += r * r;
    }
    *a = l.alpha;
    *b = l.beta;
    *rmse = sqrt(s / (double)n);
}

static void cr_fit_scaling_one(const cr_fit_report_t *rep, size_t first, size_t last,
                               cr_fit_scaling_t *sc)
{
    double xl[64] = { 0 }, xg[64] = { 0 }, ya[64] = { 0 };
    size_t n = 0;
    const cr_fit_group_t *g0 = rep->res[first].g;
    memset(sc, 0, sizeof *sc);
    memcpy(sc->collective, g0->collective, CR_NAME_LEN);
    memcpy(sc->level, g0->level, CR_NAME_LEN);
    memcpy(sc->cadence, g0->cadence, CR_NAME_LEN);
    memcpy(sc->dtype, g0->dtype, CR_NAME_LEN);
    memcpy(sc->skew, g0->skew, CR_NAME_LEN);
    memcpy(sc->label, g0->label, sizeof sc->label);
    if (g0->series_len < sizeof sc->label) sc->label[g0->series_len] = '\0';  /* no topology */
    sc->in_place = g0->in_place;
    sc->variant = g0->variant;
    sc->pmin = INT_MAX;
    sc->pmax = 0;
    for (size_t i = first; i <= last && n < 64; i++) {
        const cr_fit_result_t *r = &rep->res[i];
        if (!(r->seg[0].alpha > 0)) continue;
        xl[n] = r->g->ranks - 1;
        xg[n] = cr_fit_log2_ceil(r->g->ranks);
        ya[n++] = r->seg[0].alpha;
        if (r->g->ranks < sc->pmin) sc->pmin = r->g->ranks;
        if (r->g->ranks > sc->pmax) sc->pmax = r->g->ranks;
    }
    if (n == 0) sc->pmin = sc->pmax = g0->ranks;  /* nothing fitted: the series' first */
    sc->points = n;
    cr_fit_scal_line(xl, ya, n, &sc->lin_a, &sc->lin_b, &sc->lin_rmse);
    cr_fit_scal_line(xg, ya, n, &sc->log_a, &sc->log_b, &sc->log_rmse);
    sc->shape = "undetermined";
    if (n >= 3 && isfinite(sc->lin_rmse) && isfinite(sc->log_rmse)) {
        if (sc->lin_rmse < 0.8 * sc->log_rmse) sc->shape = "linear";
        else if (sc->log_rmse < 0.8 * sc->lin_rmse) sc->shape = "log2";
    }
}

cr_status_t cr_fit_report_build(const cr_fit_set_t *set, const cr_fit_opts_t *o,
                                cr_fit_report_t *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->set = set;
    rep->res = calloc(set->ngroups ? set->ngroups : 1, sizeof *rep->res);
    rep->scal = calloc(set->ngroups ? set->ngroups : 1, sizeof *rep->scal);
    if (!rep->res || !rep->scal) {
        cr_fit_report_free(rep);
        cr_error("cannot allocate results for %zu groups", set->ngroups);
        return CR_ERR_NOMEM;
    }
    for (size_t gi = 0; gi < set->ngroups; gi++) {
        const cr_fit_group_t *g = &set->groups[gi];
        cr_fit_result_t *r = &rep->res[rep->nres];
        cr_status_t st;
        if (g->npts < 2 || g->pts[0].bytes == g->pts[g->npts - 1].bytes) {
            cr_warn("%s %s %s ranks=%d: fewer than two distinct sizes; group not fitted",
                    cr_fit_group_name(g), g->level, g->cadence, g->ranks);
            continue;
        }
        st = cr_fit_group_run(g, o, r);
        if (st != CR_OK) {
            cr_fit_report_free(rep);
            return st;
        }
        rep->nres++;
    }
    /* Once every group is fitted: the probes' fits give the links. */
    for (size_t i = 0; i < rep->nres; i++) {
        cr_fit_result_t *r = &rep->res[i];
        cr_fit_link_ceiling(set, rep->res, rep->nres, r->g, &r->link_GBps, &r->link_src);
        if (r->link_GBps > 0 && isfinite(r->link_GBps) && isfinite(r->roof_ceiling) &&
            r->roof_ceiling > 0)
            r->efficiency = r->roof_ceiling / r->link_GBps;
    }
    for (size_t i = 0; i < rep->nres;) {
        size_t j = i, distinct = 1;
        while (j + 1 < rep->nres && !cr_fit_key_cmp(rep->res[i].g, rep->res[j + 1].g, 0)) {
            j++;
            if (rep->res[j].g->ranks != rep->res[j - 1].g->ranks) distinct++;
        }
        if (distinct >= 2) cr_fit_scaling_one(rep, i, j, &rep->scal[rep->nscal++]);
        i = j + 1;
    }
    {
        cr_status_t st = cr_fit_pseries_build(set, &rep->proj, &rep->nproj);
        if (st != CR_OK) {
            cr_fit_report_free(rep);
            return st;
        }
    }
    return CR_OK;
}

void cr_fit_report_free(cr_fit_report_t *rep)
{
    free(rep->res);
    free(rep->scal);
    cr_fit_pseries_free(rep->proj, rep->nproj);
    memset(rep, 0, sizeof *rep);
}
