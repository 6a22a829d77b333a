#include "config.h"

#include "fit_segment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fit_data.h"
#include "fit_special.h"

#define CR_FIT_SIGMA_FLOOR 1e-6  /* relative; noise-free data still segments */
#define CR_FIT_RHO_C 3.0         /* Huber ρ threshold in noise-scale units */
#define CR_FIT_SEG_WIN 2         /* exact search: ± points around each screened start */
#define CR_FIT_SEG_ROUNDS 4      /* screen/refine rounds, reweighting between them */

void cr_fit_seg_opts_default(cr_fit_seg_opts_t *o)
{
    o->max_segments = 3;
    o->min_points = 3;
    o->penalty = 2.0;
    o->p_break = 1e-3;
    o->sigma_ci = 0;
}

/* Deviation of point i from the line through its two neighbours, relative and
 * normalised by the propagated variance; -1 where undefined (ends, ties). */
static double cr_fit_nbr_dev(const double *x, const double *y, size_t n, size_t i)
{
    double w1, w2, yh, v;
    if (i == 0 || i + 1 >= n || !(x[i - 1] < x[i] && x[i] < x[i + 1])) return -1;
    w1 = (x[i + 1] - x[i]) / (x[i + 1] - x[i - 1]);
    w2 = 1 - w1;
    yh = w1 * y[i - 1] + w2 * y[i + 1];
    v = 1 + pow(w1 * y[i - 1] / y[i], 2) + pow(w2 * y[i + 1] / y[i], 2);
    return fabs(y[i] - yh) / y[i] / sqrt(v);
}

double cr_fit_noise_scale(const double *x, const double *y, size_t n)
{
    double *d, s;
    size_t m = 0;
    if (n < 3) return CR_FIT_SIGMA_FLOOR;
    d = malloc(n * sizeof *d);
    if (!d) return CR_FIT_SIGMA_FLOOR;
    for (size_t i = 1; i + 1 < n; i++) {
        double e = cr_fit_nbr_dev(x, y, n, i);
        if (e >= 0) d[m++] = e;
    }
    s = m ? 1.4826 * cr_fit_median(d, m) : CR_FIT_SIGMA_FLOOR;
    free(d);
    return s > CR_FIT_SIGMA_FLOOR ? s : CR_FIT_SIGMA_FLOOR;
}

/* Huber ρ in noise-scale units: quadratic to CR_FIT_RHO_C, linear beyond. */
static double cr_fit_rho(double u)
{
    u = fabs(u);
    return u <= CR_FIT_RHO_C ? u * u : 2 * CR_FIT_RHO_C * u - CR_FIT_RHO_C * CR_FIT_RHO_C;
}

/* IRLS weight of ρ at u: ρ(u) = w·u² on the quadratic part, c/|u| beyond. */
static double cr_fit_rho_weight(double u)
{
    u = fabs(u);
    return u <= CR_FIT_RHO_C ? 1.0 : CR_FIT_RHO_C / u;
}

/* One exactly evaluated segment i..j: robust line, Σ ρ(r/σ), Σ r². */
typedef struct cr_fit_seg_eval {
    size_t i, j;
    double cost, sse;        /* INFINITY when i..j is not a valid segment */
    cr_fit_line_t line;
} cr_fit_seg_eval_t;

/* Memo of exact evaluations; the refinement asks for few, often the same. */
typedef struct cr_fit_seg_cache {
    const double *x, *y;
    size_t n, minp;
    double sigma;
    double *r;               /* residual scratch, n */
    cr_fit_seg_eval_t *e;
    size_t ne, cap;
} cr_fit_seg_cache_t;

static cr_status_t cr_fit_seg_eval(cr_fit_seg_cache_t *c, size_t i, size_t j,
                                   cr_fit_seg_eval_t *out)
{
    cr_fit_seg_eval_t e = { .i = i, .j = j, .cost = INFINITY, .sse = INFINITY };
    size_t m = j - i + 1;
    for (size_t q = 0; q < c->ne; q++)
        if (c->e[q].i == i && c->e[q].j == j) {
            *out = c->e[q];
            return CR_OK;
        }
    if (c->ne == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        cr_fit_seg_eval_t *ne = realloc(c->e, cap * sizeof *ne);
        if (!ne) {
            cr_error("cannot allocate %zu segment evaluations", cap);
            return CR_ERR_NOMEM;
        }
        c->e = ne;
        c->cap = cap;
    }
    if (j >= i && m >= c->minp && c->x[i] < c->x[j] &&
        cr_fit_line_hockney(c->x + i, c->y + i, m, &e.line) == 0) {
        cr_fit_line_resid(&e.line, c->x + i, c->y + i, m, c->r);
        e.cost = e.sse = 0;
        for (size_t q = 0; q < m; q++) {
            e.cost += cr_fit_rho(c->r[q] / c->sigma);
            e.sse += c->r[q] * c->r[q];
        }
    }
    c->e[c->ne++] = e;
    *out = e;
    return CR_OK;
}

/* Screening DP on the weighted least-squares cost Σ v·r²/σ² (v: robustness weight
 * per point, r relative residual: the Huber quadratic majorizer at the current
 * residuals). D[k·n + j]: best cost of points 0..j in k segments; B: first point of
 * segment k. For each end j the weighted moments accumulate backwards from j
 * (West's update), O(1) per candidate segment and O(K·n) memory; differences of
 * global prefix sums would cancel catastrophically, weights 1/y² spanning decades. */
static void cr_fit_seg_screen(const double *x, const double *y, const double *v, size_t n,
                              size_t minp, size_t K, double sigma, double *D, size_t *B)
{
    double xs = fabs(x[n - 1]) > fabs(x[0]) ? fabs(x[n - 1]) : fabs(x[0]);
    double s2 = sigma * sigma;
    for (size_t q = 0; q < (K + 1) * n; q++) D[q] = INFINITY;
    for (size_t j = 0; j < n; j++) {
        double W = 0, mu = 0, my = 0, cuu = 0, cuy = 0, cyy = 0;
        for (size_t i = j + 1; i-- > 0;) {
            double w = v[i] / (y[i] * y[i]), u = x[i] / xs, du = u - mu, dy = y[i] - my, c;
            W += w;
            mu += w * du / W;
            my += w * dy / W;
            cuu += w * du * (u - mu);
            cuy += w * du * (y[i] - my);
            cyy += w * dy * (y[i] - my);
            if (j - i + 1 < minp || !(x[i] < x[j]) || !(cuu > 0)) continue;
            c = cyy - cuy * cuy / cuu;
            c = (c > 0 ? c : 0) / s2;
            if (i == 0) {
                D[n + j] = c;
                B[n + j] = 0;
                continue;
            }
            if (!(x[i - 1] < x[i])) continue;   /* never split equal sizes */
            for (size_t k = 2; k <= K; k++) {
                double t = D[(k - 1) * n + i - 1] + c;
                if (t < D[k * n + j]) {
                    D[k * n + j] = t;
                    B[k * n + j] = i;
                }
            }
        }
    }
}

/* First point of each of the k screened segments (b[0] = 0). */
static void cr_fit_seg_starts(const size_t *B, size_t n, size_t k, size_t *b)
{
    size_t j = n - 1;
    for (size_t s = k; s >= 1; s--) {
        b[s - 1] = B[s * n + j];
        if (b[s - 1] == 0) break;
        j = b[s - 1] - 1;
    }
}

/* Exact DP on the robust cost with the start of segment s (s >= 1) confined to
 * b[s] ± CR_FIT_SEG_WIN; the window re-centres while the optimum sits on its edge.
 * b (in: screened starts, out: refined) and *cost (Σ ρ; INFINITY if none). */
static cr_status_t cr_fit_seg_refine(cr_fit_seg_cache_t *c, size_t k, size_t *b, double *cost)
{
    enum { NC = 2 * CR_FIT_SEG_WIN + 1 };
    const double *x = c->x;
    size_t n = c->n;
    for (int round = 0; round < 8; round++) {
        size_t cand[CR_FIT_MAXSEG][NC], nc[CR_FIT_MAXSEG], P[CR_FIT_MAXSEG][NC], best = 0;
        double E[CR_FIT_MAXSEG][NC], tot = INFINITY;
        int edge = 0;
        cand[0][0] = 0;
        nc[0] = 1;
        E[0][0] = 0;
        for (size_t s = 1; s < k; s++) {
            nc[s] = 0;
            for (long d = -CR_FIT_SEG_WIN; d <= CR_FIT_SEG_WIN; d++) {
                long p = (long)b[s] + d;
                if (p < 1 || p >= (long)n || !(x[p - 1] < x[p])) continue;
                cand[s][nc[s]++] = (size_t)p;
            }
            for (size_t a = 0; a < nc[s]; a++) {
                E[s][a] = INFINITY;
                for (size_t q = 0; q < nc[s - 1]; q++) {
                    cr_fit_seg_eval_t e;
                    if (!isfinite(E[s - 1][q]) || cand[s - 1][q] >= cand[s][a]) continue;
                    CR_CHECK(cr_fit_seg_eval(c, cand[s - 1][q], cand[s][a] - 1, &e));
                    if (E[s - 1][q] + e.cost < E[s][a]) {
                        E[s][a] = E[s - 1][q] + e.cost;
                        P[s][a] = q;
                    }
                }
            }
        }
        for (size_t q = 0; q < nc[k - 1]; q++) {
            cr_fit_seg_eval_t e;
            if (!isfinite(E[k - 1][q])) continue;
            CR_CHECK(cr_fit_seg_eval(c, cand[k - 1][q], n - 1, &e));
            if (E[k - 1][q] + e.cost < tot) {
                tot = E[k - 1][q] + e.cost;
                best = q;
            }
        }
        *cost = tot;
        if (!isfinite(tot)) return CR_OK;
        for (size_t s = k - 1; s >= 1; s--) {
            size_t p = cand[s][best];
            edge |= p + CR_FIT_SEG_WIN == b[s] || p == b[s] + CR_FIT_SEG_WIN;
            b[s] = p;
            best = P[s][best];
        }
        if (!edge) break;
    }
    return CR_OK;
}

/* Is the break between segments s and s+1 significant (F test, merged vs split)? */
static cr_status_t cr_fit_seg_break_ok(cr_fit_seg_cache_t *c, const size_t *b, size_t k,
                                       size_t s, double p_break, int *ok)
{
    size_t a = b[s], m = b[s + 1] - 1, e = s + 2 < k ? b[s + 2] - 1 : c->n - 1;
    cr_fit_seg_eval_t merged, left, right;
    double split, f;
    const double d1 = 3, d2 = (double)(e - a + 1) - 4;
    CR_CHECK(cr_fit_seg_eval(c, a, e, &merged));
    CR_CHECK(cr_fit_seg_eval(c, a, m, &left));
    CR_CHECK(cr_fit_seg_eval(c, m + 1, e, &right));
    split = left.sse + right.sse;
    if (!isfinite(merged.sse)) *ok = 1;
    else if (merged.sse <= (double)(e - a + 1) * CR_FIT_SIGMA_FLOOR * CR_FIT_SIGMA_FLOOR) *ok = 0;
    else if (d2 < 1) *ok = 1;
    else {
        f = split > 0 ? ((merged.sse - split) / d1) / (split / d2) : INFINITY;
        *ok = cr_fit_fdist_sf(f, d1, d2) < p_break;
    }
    return CR_OK;
}

/* Pick k from crit (penalized), dropping k while a break fails its F test. */
static cr_status_t cr_fit_seg_choose(cr_fit_seg_cache_t *c, size_t K,
                                     size_t b[][CR_FIT_MAXSEG], const double *crit,
                                     double p_break, size_t *kout)
{
    for (size_t kmax = K; kmax >= 1;) {
        size_t best = 1, s;
        for (size_t k = 2; k <= kmax; k++)
            if (crit[k] < crit[best]) best = k;
        for (s = 0; s + 1 < best; s++) {
            int ok;
            CR_CHECK(cr_fit_seg_break_ok(c, b[best], best, s, p_break, &ok));
            if (!ok) break;
        }
        if (s + 1 >= best) {
            *kout = best;
            return CR_OK;
        }
        kmax = best - 1;
    }
    *kout = 1;
    return CR_OK;
}

/* Robustness weights for the next screen: from the neighbour deviations at first,
 * then from the residuals of the chosen model's robust lines. */
static void cr_fit_seg_weights(cr_fit_seg_cache_t *c, const cr_fit_segs_t *sg, double *v)
{
    const double *x = c->x, *y = c->y;
    if (!sg) {
        for (size_t i = 0; i < c->n; i++) {
            double d = cr_fit_nbr_dev(x, y, c->n, i);
            v[i] = d < 0 ? 1.0 : cr_fit_rho_weight(d / c->sigma);
        }
        return;
    }
    for (size_t s = 0; s < sg->k; s++)
        for (size_t i = sg->seg[s].first; i <= sg->seg[s].last; i++) {
            const cr_fit_line_t *l = &sg->seg[s].line;
            v[i] = cr_fit_rho_weight((y[i] - l->alpha - l->beta * x[i]) / y[i] / c->sigma);
        }
}

cr_status_t cr_fit_segments(const double *x, const double *y, size_t n,
                            const cr_fit_seg_opts_t *o, cr_fit_segs_t *out)
{
    cr_fit_seg_cache_t c = { 0 };
    size_t K = o->max_segments, minp = o->min_points < 2 ? 2 : o->min_points;
    size_t b[CR_FIT_MAXSEG + 1][CR_FIT_MAXSEG], prev[CR_FIT_MAXSEG + 1][CR_FIT_MAXSEG];
    double *D = NULL, *v = NULL, pen;
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
    memset(prev, 0, sizeof prev);
    out->sigma = cr_fit_noise_scale(x, y, n);
    if (o->sigma_ci > out->sigma) out->sigma = o->sigma_ci;
    c = (cr_fit_seg_cache_t){ .x = x, .y = y, .n = n, .minp = minp, .sigma = out->sigma };
    D = malloc((K + 1) * n * sizeof *D);
    B = calloc((K + 1) * n, sizeof *B);
    v = malloc(n * sizeof *v);
    c.r = malloc(n * sizeof *c.r);
    if (!D || !B || !v || !c.r) {
        cr_error("cannot allocate the segment search for %zu points", n);
        st = CR_ERR_NOMEM;
        goto out_with_search;
    }
    pen = o->penalty * log((double)n);
    cr_fit_seg_weights(&c, NULL, v);
    for (int round = 0; round < CR_FIT_SEG_ROUNDS; round++) {
        size_t k;
        memset(b, 0, sizeof b);
        cr_fit_seg_screen(x, y, v, n, minp, K, out->sigma, D, B);
        for (k = 0; k <= CR_FIT_MAXSEG; k++) out->crit[k] = INFINITY;
        for (k = 1; k <= K; k++) {
            double cost = INFINITY;
            if (!isfinite(D[k * n + n - 1])) continue;
            cr_fit_seg_starts(B, n, k, b[k]);
            CR_CHECK_GOTO(cr_fit_seg_refine(&c, k, b[k], &cost), st, out_with_search);
            out->crit[k] = cost + pen * (3.0 * (double)k - 1);
        }
        if (!isfinite(out->crit[1])) {
            cr_error("no single-segment fit possible for %zu points", n);
            st = CR_ERR_INVAL;
            goto out_with_search;
        }
        CR_CHECK_GOTO(cr_fit_seg_choose(&c, K, b, out->crit, o->p_break, &k), st,
                      out_with_search);
        out->k = k;
        for (size_t s = 0; s < k; s++) {
            cr_fit_seg_eval_t e;
            out->seg[s].first = b[k][s];
            out->seg[s].last = s + 1 < k ? b[k][s + 1] - 1 : n - 1;
            CR_CHECK_GOTO(cr_fit_seg_eval(&c, out->seg[s].first, out->seg[s].last, &e), st,
                          out_with_search);
            out->seg[s].line = e.line;
        }
        if (round > 0 && memcmp(prev, b, sizeof b) == 0) break;
        memcpy(prev, b, sizeof b);
        cr_fit_seg_weights(&c, out, v);
    }
out_with_search:
    free(c.e);
    free(c.r);
    free(v);
    free(D);
    free(B);
    return st;
}
