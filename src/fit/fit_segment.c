#include "config.h"

#include "fit_segment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fit_data.h"
#include "fit_special.h"

#define CR_FIT_SIGMA_FLOOR 1e-6  /* relative; noise-free data still segments */
#define CR_FIT_RHO_C 3.0         /* Huber ρ threshold in noise-scale units */

void cr_fit_seg_opts_default(cr_fit_seg_opts_t *o)
{
    o->max_segments = 3;
    o->min_points = 3;
    o->penalty = 2.0;
    o->p_break = 1e-3;
    o->sigma_ci = 0;
}

double cr_fit_noise_scale(const double *x, const double *y, size_t n)
{
    double *d, s;
    size_t m = 0;
    if (n < 3) return CR_FIT_SIGMA_FLOOR;
    d = malloc(n * sizeof *d);
    if (!d) return CR_FIT_SIGMA_FLOOR;
    for (size_t i = 1; i + 1 < n; i++) {
        double w1, w2, yh, v;
        if (!(x[i - 1] < x[i] && x[i] < x[i + 1])) continue;
        w1 = (x[i + 1] - x[i]) / (x[i + 1] - x[i - 1]);
        w2 = 1 - w1;
        yh = w1 * y[i - 1] + w2 * y[i + 1];
        v = 1 + pow(w1 * y[i - 1] / y[i], 2) + pow(w2 * y[i + 1] / y[i], 2);
        d[m++] = fabs(y[i] - yh) / y[i] / sqrt(v);
    }
    s = m ? 1.4826 * cr_fit_median(d, m) : CR_FIT_SIGMA_FLOOR;
    free(d);
    return s > CR_FIT_SIGMA_FLOOR ? s : CR_FIT_SIGMA_FLOOR;
}

/* Per-segment tables, indexed [i * n + j] for points i..j. */
typedef struct cr_fit_seg_tab {
    size_t n;
    double *cost;            /* Σ Huber ρ(r/σ); INFINITY when not a valid segment */
    double *sse;             /* Σ r² */
    cr_fit_line_t *line;
} cr_fit_seg_tab_t;

static double cr_fit_rho(double u)
{
    u = fabs(u);
    return u <= CR_FIT_RHO_C ? u * u : 2 * CR_FIT_RHO_C * u - CR_FIT_RHO_C * CR_FIT_RHO_C;
}

static cr_status_t cr_fit_seg_tab_fill(const double *x, const double *y, size_t n,
                                       size_t minp, double sigma, cr_fit_seg_tab_t *t)
{
    double *r = malloc(n * sizeof *r);
    t->n = n;
    t->cost = malloc(n * n * sizeof *t->cost);
    t->sse = malloc(n * n * sizeof *t->sse);
    t->line = malloc(n * n * sizeof *t->line);
    if (!r || !t->cost || !t->sse || !t->line) {
        free(r);
        cr_error("cannot allocate segment tables for %zu points", n);
        return CR_ERR_NOMEM;
    }
    for (size_t i = 0; i < n * n; i++) t->cost[i] = t->sse[i] = INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + minp - 1; j < n; j++) {
            size_t m = j - i + 1, k = i * n + j;
            double c = 0, s = 0;
            if (!(x[i] < x[j])) continue;
            if (cr_fit_line_hockney(x + i, y + i, m, &t->line[k]) != 0) continue;
            cr_fit_line_resid(&t->line[k], x + i, y + i, m, r);
            for (size_t q = 0; q < m; q++) {
                c += cr_fit_rho(r[q] / sigma);
                s += r[q] * r[q];
            }
            t->cost[k] = c;
            t->sse[k] = s;
        }
    free(r);
    return CR_OK;
}

static void cr_fit_seg_tab_free(cr_fit_seg_tab_t *t)
{
    free(t->cost);
    free(t->sse);
    free(t->line);
}

/* D[k][j]: best cost of points 0..j in k segments; B[k][j]: first point of segment k. */
static void cr_fit_seg_dp(const double *x, const cr_fit_seg_tab_t *t, size_t K, double *D,
                          size_t *B)
{
    size_t n = t->n;
    for (size_t k = 0; k <= K; k++)
        for (size_t j = 0; j < n; j++) D[k * n + j] = INFINITY;
    for (size_t j = 0; j < n; j++) {
        D[n + j] = t->cost[j];
        B[n + j] = 0;
    }
    for (size_t k = 2; k <= K; k++)
        for (size_t j = 0; j < n; j++)
            for (size_t i = 1; i <= j; i++) {
                double v;
                if (!(x[i - 1] < x[i])) continue;   /* never split equal sizes */
                v = D[(k - 1) * n + i - 1] + t->cost[i * n + j];
                if (v < D[k * n + j]) {
                    D[k * n + j] = v;
                    B[k * n + j] = i;
                }
            }
}

static void cr_fit_seg_backtrack(const cr_fit_seg_tab_t *t, const size_t *B, size_t k,
                                 cr_fit_segs_t *out)
{
    size_t n = t->n, j = n - 1;
    out->k = k;
    for (size_t s = k; s >= 1; s--) {
        size_t i = B[s * n + j];
        out->seg[s - 1].first = i;
        out->seg[s - 1].last = j;
        out->seg[s - 1].line = t->line[i * n + j];
        if (i == 0) break;
        j = i - 1;
    }
}

/* Is the break between segments s and s+1 significant (F test, merged vs split)? */
static int cr_fit_seg_break_ok(const cr_fit_seg_tab_t *t, const cr_fit_segs_t *sg, size_t s,
                               double p_break)
{
    size_t n = t->n, a = sg->seg[s].first, m = sg->seg[s].last, b = sg->seg[s + 1].last;
    size_t pts = b - a + 1;
    double merged = t->sse[a * n + b];
    double split = t->sse[a * n + m] + t->sse[(m + 1) * n + b], f;
    const double d1 = 3, d2 = (double)pts - 4;
    if (!isfinite(merged)) return 1;
    if (merged <= (double)pts * CR_FIT_SIGMA_FLOOR * CR_FIT_SIGMA_FLOOR) return 0;
    if (d2 < 1) return 1;
    f = split > 0 ? ((merged - split) / d1) / (split / d2) : INFINITY;
    return cr_fit_fdist_sf(f, d1, d2) < p_break;
}

cr_status_t cr_fit_segments(const double *x, const double *y, size_t n,
                            const cr_fit_seg_opts_t *o, cr_fit_segs_t *out)
{
    cr_fit_seg_tab_t t = { 0 };
    size_t K = o->max_segments, minp = o->min_points < 2 ? 2 : o->min_points, kmax;
    double *D = NULL, pen;
    size_t *B = NULL;
    cr_status_t st = CR_OK;
    if (K < 1 || K > CR_FIT_MAXSEG) {
        cr_error("max segments %zu out of range (1..%d)", K, CR_FIT_MAXSEG);
        return CR_ERR_INVAL;
    }
    if (n < 2 || !(x[0] < x[n - 1])) {
        cr_error("a fit needs at least two distinct sizes, got %zu points", n);
        return CR_ERR_INVAL;
    }
    if (n < minp) minp = n;
    memset(out, 0, sizeof *out);
    out->sigma = cr_fit_noise_scale(x, y, n);
    if (o->sigma_ci > out->sigma) out->sigma = o->sigma_ci;
    CR_CHECK_GOTO(cr_fit_seg_tab_fill(x, y, n, minp, out->sigma, &t), st, out_with_tab);
    D = malloc((K + 1) * n * sizeof *D);
    B = calloc((K + 1) * n, sizeof *B);
    if (!D || !B) {
        cr_error("cannot allocate the segment DP for %zu points", n);
        st = CR_ERR_NOMEM;
        goto out_with_dp;
    }
    cr_fit_seg_dp(x, &t, K, D, B);
    pen = o->penalty * log((double)n);
    for (size_t k = 0; k <= CR_FIT_MAXSEG; k++) out->crit[k] = INFINITY;
    for (size_t k = 1; k <= K; k++)
        out->crit[k] = D[k * n + n - 1] + pen * (3.0 * (double)k - 1);
    if (!isfinite(out->crit[1])) {
        cr_error("no single-segment fit possible for %zu points", n);
        st = CR_ERR_INVAL;
        goto out_with_dp;
    }
    for (kmax = K; kmax >= 1;) {
        size_t best = 1, s;
        for (size_t k = 2; k <= kmax; k++)
            if (out->crit[k] < out->crit[best]) best = k;
        cr_fit_seg_backtrack(&t, B, best, out);
        for (s = 0; s + 1 < best; s++)
            if (!cr_fit_seg_break_ok(&t, out, s, o->p_break)) break;
        if (s + 1 >= best) break;
        kmax = best - 1;
    }
out_with_dp:
    free(D);
    free(B);
out_with_tab:
    cr_fit_seg_tab_free(&t);
    return st;
}
