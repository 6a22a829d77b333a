#include "config.h"

#include "fit_boot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cr_stats.h"

#define CR_FIT_TAIL 1e-12
#define CR_FIT_MIN_RAW 5

cr_status_t cr_fit_medsamp_init(cr_fit_medsamp_t *ms, const double *sorted, size_t n)
{
    size_t m = (n + 1) / 2, jlo = m, jhi = m;
    memset(ms, 0, sizeof *ms);
    ms->x = sorted;
    ms->n = n;
    if (n < 2) return CR_OK;
#define CR_FIT_CDF(j) cr_fit_betai((double)m, (double)(n - m + 1), (double)(j) / (double)n)
    /* The index has sd ~ sqrt(n)/2: 8 sd either side holds all but ~1e-15. */
    {
        size_t w = (size_t)(4 * sqrt((double)n)) + 2;
        jlo = m > w ? m - w : 1;
        jhi = m + w < n ? m + w : n;
    }
    ms->cdf = malloc((jhi - jlo + 1) * sizeof *ms->cdf);
    CR_CHECK_ALLOC(ms->cdf, (jhi - jlo + 1) * sizeof *ms->cdf);
    for (size_t j = jlo; j <= jhi; j++) {
        double c = CR_FIT_CDF(j);
        if (c < CR_FIT_TAIL) {          /* drop the negligible lower tail */
            jlo = j + 1;
            continue;
        }
        ms->cdf[j - jlo] = c;
        if (c > 1 - CR_FIT_TAIL) {
            jhi = j;
            break;
        }
    }
    if (jlo > jhi) jlo = jhi;
    ms->cdf[jhi - jlo] = 1.0;
    ms->jlo = jlo;
    ms->len = jhi - jlo + 1;
    if (n % 2 == 0) {
        double lc = lgamma((double)n + 1) - lgamma((double)m + 1) - lgamma((double)(n - m) + 1);
        ms->split = malloc(ms->len * sizeof *ms->split);
        CR_CHECK_ALLOC(ms->split, ms->len * sizeof *ms->split);
        for (size_t j = jlo; j <= jhi; j++) {
            double p = (double)j / (double)n, pj = CR_FIT_CDF(j) - (j > 1 ? CR_FIT_CDF(j - 1) : 0);
            double pmf = j < n ? exp(lc + (double)m * log(p) + (double)(n - m) * log1p(-p)) : 0;
            double s = pj > 0 ? pmf * -expm1((double)m * log1p(-1.0 / (double)j)) / pj : 0;
            ms->split[j - jlo] = s < 0 ? 0 : s > 1 ? 1 : s;
        }
    }
#undef CR_FIT_CDF
    return CR_OK;
}

double cr_fit_medsamp_draw(const cr_fit_medsamp_t *ms, cr_fit_rng_t *r)
{
    double u;
    size_t lo = 0, hi, j;
    if (ms->n < 2) return ms->x[0];
    u = cr_fit_rng_u01(r);
    hi = ms->len - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ms->cdf[mid] >= u) hi = mid;
        else lo = mid + 1;
    }
    j = ms->jlo + lo;          /* 1-based order statistic */
    if (ms->n % 2 == 0 && j < ms->n && cr_fit_rng_u01(r) < ms->split[lo]) {
        /* the (m+1)-th: smallest of n - m uniform draws on j+1..n */
        double len = (double)(ms->n - j), c = (double)(ms->n - (ms->n + 1) / 2);
        double t = ceil(len * -expm1(log1p(-cr_fit_rng_u01(r)) / c));
        size_t k = j + (size_t)(t < 1 ? 1 : t > len ? len : t);
        return 0.5 * (ms->x[j - 1] + ms->x[k - 1]);
    }
    return ms->x[j - 1];
}

void cr_fit_medsamp_free(cr_fit_medsamp_t *ms)
{
    free(ms->cdf);
    free(ms->split);
    ms->cdf = NULL;
    ms->split = NULL;
}

/* Relative residuals of each segment's robust fit, inflated by sqrt(m/(m-2)) for
 * the two fitted parameters. Not re-centred: the Huber fit already centres them
 * in its own sense, and subtracting their mean would move every resampled point
 * by the outliers' share (one size ×3 among 24 shifts them all by ~3%). */
static void cr_fit_boot_resid(const double *x, const double *y, const cr_fit_segs_t *sg,
                              double *res)
{
    for (size_t s = 0; s < sg->k; s++) {
        size_t a = sg->seg[s].first, m = sg->seg[s].last - a + 1;
        double infl = m > 2 ? sqrt((double)m / (double)(m - 2)) : 1;
        cr_fit_line_resid(&sg->seg[s].line, x + a, y + a, m, res + a);
        for (size_t i = 0; i < m; i++) res[a + i] *= infl;
    }
}

/* Median of a point's sorted raw samples. */
static double cr_fit_boot_rawmed(const cr_fit_point_t *p)
{
    size_t k = p->nraw;
    return k % 2 ? p->raw[k / 2] : 0.5 * (p->raw[k / 2 - 1] + p->raw[k / 2]);
}

/* Replicate quantiles as offsets from their median, tails of tail% each:
 * *dlo = med − q(tail) and *dhi = q(100 − tail) − med, both >= 0. */
static void cr_fit_boot_spread(double *v, size_t got, double tail, double *dlo, double *dhi)
{
    double med;
    cr_stats_sort(v, got);
    med = cr_stats_percentile(v, got, 50);
    *dlo = fmax(0, med - cr_stats_percentile(v, got, tail));
    *dhi = fmax(0, cr_stats_percentile(v, got, 100 - tail) - med);
}

/* Tail, in %, of each side of the 95% interval. Residual path: the residuals
 * carry a noise scale estimated from the segment's m points with m − 2 degrees
 * of freedom, which the bootstrap treats as known, so its intervals come out
 * narrow (93.0% for α, 92.4% for r∞ on 1000 synthetic groups of 24 sizes);
 * the tails move to the normal quantile of t(m − 2, 0.975), the "expanded
 * percentile" of Hesterberg (2015). The raw path draws each size's spread from
 * its own samples and keeps 2.5%. */
static double cr_fit_boot_tail(int raw, size_t m)
{
    if (raw || m < 3) return 2.5;
    return 100 * 0.5 * erfc(cr_fit_t_twosided(0.05, (double)(m - 2)) / sqrt(2));
}

/* The interval is the percentile interval moved so that the replicates' median
 * sits on the reported estimate θ̂: [θ̂ − (med − q2.5), θ̂ + (q97.5 − med)].
 * The replicates refit exactly as θ̂ was fitted, so they carry the estimator's
 * spread and skew; their median can still sit off θ̂ (discrete medians of few
 * raw samples, residuals resampled through Huber weights), and a plain
 * percentile (or basic, 2θ̂ − q) interval then excludes θ̂ whenever that shift
 * exceeds a tail. Re-centring keeps width and skew, drops the resampling
 * plan's shift, and gives lo <= θ̂ <= hi for every dataset by construction.
 * r∞ = 1/β is done on β, where the fit is linear in the data, then mapped. */
static void cr_fit_boot_ci(double *al, double *be, size_t got, double tail,
                           const cr_fit_seg_t *sg, cr_fit_ci_t *ci)
{
    const cr_fit_line_t *l = &sg->line;
    double dlo, dhi;
    if (got < 2) {
        ci->alpha_lo = ci->alpha_hi = l->alpha;
        ci->rinf_lo = ci->rinf_hi = cr_fit_line_rinf_GBps(l->beta);
        return;
    }
    cr_fit_boot_spread(al, got, tail, &dlo, &dhi);
    ci->alpha_lo = l->alpha - dlo;
    ci->alpha_hi = l->alpha + dhi;
    /* A positive α is a latency and cannot be negative: clamp its lower bound
     * to 0. An intercept α <= 0 (a segment beyond a cache) keeps its interval. */
    if (l->alpha > 0 && ci->alpha_lo < 0) ci->alpha_lo = 0;
    cr_fit_boot_spread(be, got, tail, &dlo, &dhi);
    ci->rinf_lo = cr_fit_line_rinf_GBps(l->beta + dhi);
    ci->rinf_hi = cr_fit_line_rinf_GBps(l->beta - dlo);
}

cr_status_t cr_fit_boot_segments(const cr_fit_point_t *pts, size_t n, const cr_fit_segs_t *sg,
                                 size_t reps, uint64_t seed, cr_fit_ci_t *ci, int *used_raw)
{
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *ys = malloc(n * sizeof *ys);
    double *res = malloc(n * sizeof *res), *sc = malloc(n * sizeof *sc);
    double *al = malloc((reps + 1) * CR_FIT_MAXSEG * sizeof *al);
    double *be = malloc((reps + 1) * CR_FIT_MAXSEG * sizeof *be);
    cr_fit_medsamp_t *ms = calloc(n, sizeof *ms);
    size_t got[CR_FIT_MAXSEG] = { 0 };
    cr_status_t st = CR_OK;
    cr_fit_rng_t rng;
    int raw = 1;
    if (!x || !y || !ys || !res || !sc || !al || !be || !ms) {
        cr_error("cannot allocate bootstrap buffers (%zu points, %zu replicates)", n, reps);
        st = CR_ERR_NOMEM;
        goto out_with_bufs;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)pts[i].bytes;
        y[i] = pts[i].t_med;
        if (pts[i].nraw < CR_FIT_MIN_RAW) raw = 0;
    }
    /* Raw path: a replicate draws each size's bootstrap median and scales it by
     * t_med / median(raw), so that it is centred on the very median the point
     * estimate was fitted to (a file's t_median_us may be rounded, use another
     * even-n convention, or differ from its raw samples); the samples give the
     * spread. Residual path: the robust fit's relative residuals, resampled
     * within the segment. Either way each replicate is refitted by
     * cr_fit_line_hockney, the same Theil–Sen + Huber IRLS that gave θ̂. */
    if (raw)
        for (size_t i = 0; i < n; i++) {
            CR_CHECK_GOTO(cr_fit_medsamp_init(&ms[i], pts[i].raw, pts[i].nraw), st, out_with_bufs);
            sc[i] = y[i] / cr_fit_boot_rawmed(&pts[i]);
        }
    cr_fit_boot_resid(x, y, sg, res);
    cr_fit_rng_seed(&rng, seed);
    for (size_t b = 0; b < reps; b++)
        for (size_t s = 0; s < sg->k; s++) {
            const cr_fit_seg_t *g = &sg->seg[s];
            size_t a = g->first, m = g->last - a + 1;
            cr_fit_line_t l;
            for (size_t i = a; i <= g->last; i++) {
                if (raw) {
                    ys[i] = sc[i] * cr_fit_medsamp_draw(&ms[i], &rng);
                } else {
                    double fit = g->line.alpha + g->line.beta * x[i];
                    double r = res[a + cr_fit_rng_below(&rng, m)];
                    ys[i] = r < 0.99 && fit > 0 ? fit / (1 - r) : y[i];
                }
            }
            if (cr_fit_line_hockney(x + a, ys + a, m, &l) != 0) continue;
            al[s * reps + got[s]] = l.alpha;
            be[s * reps + got[s]] = l.beta;
            got[s]++;
        }
    for (size_t s = 0; s < sg->k; s++)
        cr_fit_boot_ci(al + s * reps, be + s * reps, got[s],
                       cr_fit_boot_tail(raw, sg->seg[s].last - sg->seg[s].first + 1),
                       &sg->seg[s], &ci[s]);
    *used_raw = raw;
out_with_bufs:
    if (ms)
        for (size_t i = 0; i < n; i++) cr_fit_medsamp_free(&ms[i]);
    free(ms);
    free(be);
    free(al);
    free(sc);
    free(res);
    free(ys);
    free(y);
    free(x);
    return st;
}
