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

/* Relative residuals of each segment, centred and inflated by sqrt(m/(m-2)). */
static void cr_fit_boot_resid(const double *x, const double *y, const cr_fit_segs_t *sg,
                              double *res)
{
    for (size_t s = 0; s < sg->k; s++) {
        size_t a = sg->seg[s].first, m = sg->seg[s].last - a + 1;
        double mean = 0, infl = m > 2 ? sqrt((double)m / (double)(m - 2)) : 1;
        cr_fit_line_resid(&sg->seg[s].line, x + a, y + a, m, res + a);
        for (size_t i = 0; i < m; i++) mean += res[a + i] / (double)m;
        for (size_t i = 0; i < m; i++) res[a + i] = (res[a + i] - mean) * infl;
    }
}

static void cr_fit_boot_ci(double *al, double *be, size_t got, const cr_fit_seg_t *sg,
                           cr_fit_ci_t *ci)
{
    double blo, bhi;
    if (got < 2) {
        ci->alpha_lo = ci->alpha_hi = sg->line.alpha;
        ci->rinf_lo = ci->rinf_hi = cr_fit_line_rinf_GBps(sg->line.beta);
        return;
    }
    cr_stats_sort(al, got);
    cr_stats_sort(be, got);
    ci->alpha_lo = cr_stats_percentile(al, got, 2.5);
    ci->alpha_hi = cr_stats_percentile(al, got, 97.5);
    blo = cr_stats_percentile(be, got, 2.5);
    bhi = cr_stats_percentile(be, got, 97.5);
    ci->rinf_lo = cr_fit_line_rinf_GBps(bhi);
    ci->rinf_hi = cr_fit_line_rinf_GBps(blo);
}

cr_status_t cr_fit_boot_segments(const cr_fit_point_t *pts, size_t n, const cr_fit_segs_t *sg,
                                 size_t reps, uint64_t seed, cr_fit_ci_t *ci, int *used_raw)
{
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *ys = malloc(n * sizeof *ys);
    double *res = malloc(n * sizeof *res), *al = malloc((reps + 1) * CR_FIT_MAXSEG * sizeof *al);
    double *be = malloc((reps + 1) * CR_FIT_MAXSEG * sizeof *be);
    cr_fit_medsamp_t *ms = calloc(n, sizeof *ms);
    size_t got[CR_FIT_MAXSEG] = { 0 };
    cr_status_t st = CR_OK;
    cr_fit_rng_t rng;
    int raw = 1;
    if (!x || !y || !ys || !res || !al || !be || !ms) {
        cr_error("cannot allocate bootstrap buffers (%zu points, %zu replicates)", n, reps);
        st = CR_ERR_NOMEM;
        goto out_with_bufs;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)pts[i].bytes;
        y[i] = pts[i].t_med;
        if (pts[i].nraw < CR_FIT_MIN_RAW) raw = 0;
    }
    if (raw)
        for (size_t i = 0; i < n; i++)
            CR_CHECK_GOTO(cr_fit_medsamp_init(&ms[i], pts[i].raw, pts[i].nraw), st, out_with_bufs);
    cr_fit_boot_resid(x, y, sg, res);
    cr_fit_rng_seed(&rng, seed);
    for (size_t b = 0; b < reps; b++)
        for (size_t s = 0; s < sg->k; s++) {
            const cr_fit_seg_t *g = &sg->seg[s];
            size_t a = g->first, m = g->last - a + 1;
            cr_fit_line_t l;
            for (size_t i = a; i <= g->last; i++) {
                if (raw) {
                    ys[i] = cr_fit_medsamp_draw(&ms[i], &rng);
                } else {
                    double fit = g->line.alpha + g->line.beta * x[i];
                    double r = res[a + cr_fit_rng_below(&rng, m)];
                    ys[i] = r < 0.99 && fit > 0 ? fit / (1 - r) : y[i];
                }
            }
            if (cr_fit_line_irls(x + a, ys + a, m, &g->line, &l) != 0) continue;
            al[s * reps + got[s]] = l.alpha;
            be[s * reps + got[s]] = l.beta;
            got[s]++;
        }
    for (size_t s = 0; s < sg->k; s++)
        cr_fit_boot_ci(al + s * reps, be + s * reps, got[s], &sg->seg[s], &ci[s]);
    *used_raw = raw;
out_with_bufs:
    if (ms)
        for (size_t i = 0; i < n; i++) cr_fit_medsamp_free(&ms[i]);
    free(ms);
    free(be);
    free(al);
    free(res);
    free(ys);
    free(y);
    free(x);
    return st;
}
