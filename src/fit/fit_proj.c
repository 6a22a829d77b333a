/* Predictions beyond the measured rank counts: see fit_proj.h. */
#include "config.h"

#include "fit_proj.h"
#include "cr_level_names.h"
#include "fit_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const cr_proj_family_names[CR_PROJ_NFAM] = { "bus", "log2", "linear" };
const char *const cr_proj_family_x[CR_PROJ_NFAM] = { "F(p)", "log2 p", "p-1" };

#define CR_PROJ_SIGMA_RUN_MIN 0.01   /* floor of a measured σ_run (medians jitter) */
/* Another family replaces the prior only when its held-out RMS error is below this
 * fraction of the prior's: a few rank counts cannot tell close families apart. */
#define CR_PROJ_PREFER 0.5
/* σ_lack from held-out errors is pooled with CR_PROJ_SIGMA_LACK as if that were
 * measured on this many rank counts. */
#define CR_PROJ_LACK_PSEUDO 2.0

static double cr_proj_x(const cr_proj_series_t *s, cr_proj_family_t f, int p)
{
    switch (f) {
    case CR_PROJ_BUS: return s->F(p);
    case CR_PROJ_LOG2: return log2((double)p);
    default: return p - 1;
    }
}

static int cr_proj_pt_cmp(const void *a, const void *b)
{
    const cr_proj_pt_t *x = a, *y = b;
    if (x->ranks != y->ranks) return x->ranks < y->ranks ? -1 : 1;
    if (x->bytes != y->bytes) return x->bytes < y->bytes ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

double cr_proj_curve_at(const cr_proj_curve_t *c, double S, int *outside)
{
    size_t n = c->n, i = 1;
    *outside = 0;
    if (n == 0) return NAN;
    if (n == 1 || S <= c->S[0]) {
        *outside = S < c->S[0] * 0.98 || (n == 1 && S > c->S[0] * 1.02);
        return n == 1 && S > c->S[0] ? c->t[0] * S / c->S[0] : c->t[0];
    }
    if (S >= c->S[n - 1]) {   /* beyond: linear in S, never falling */
        double slope = (c->t[n - 1] - c->t[n - 2]) / (c->S[n - 1] - c->S[n - 2]);
        *outside = S > c->S[n - 1] * 1.02;
        if (!(slope > 0)) slope = c->t[n - 1] / c->S[n - 1];
        return c->t[n - 1] + (S - c->S[n - 1]) * slope;
    }
    while (c->S[i] < S) i++;   /* linear in S between sizes: exact on a Hockney line */
    return c->t[i - 1] + (S - c->S[i - 1]) * (c->t[i] - c->t[i - 1]) / (c->S[i] - c->S[i - 1]);
}

void cr_proj_free(cr_proj_series_t *s)
{
    for (size_t i = 0; i < s->nc; i++) {
        free(s->c[i].S);
        free(s->c[i].t);
    }
    memset(s, 0, sizeof *s);
}

/* Weighted least squares of y on x (weights w), evaluated at x0 with slope >= 0:
 * returns the estimate and fills g[i], the weights of the free line's estimate at x0
 * (Σ g[i]·y[i]; the constant's when x has no spread), for its variance. */
static double cr_proj_line(const double *x, const double *y, const double *w, size_t n,
                           double x0, double *g)
{
    double Sw = 0, Sx = 0, Sy = 0, Sxx = 0, Sxy = 0, D, v;
    for (size_t i = 0; i < n; i++) {
        Sw += w[i];
        Sx += w[i] * x[i];
        Sy += w[i] * y[i];
        Sxx += w[i] * x[i] * x[i];
        Sxy += w[i] * x[i] * y[i];
    }
    D = Sw * Sxx - Sx * Sx;
    if (n < 2 || !(D > 1e-12 * Sw * Sxx)) {
        for (size_t i = 0; i < n; i++) g[i] = w[i] / Sw;
        return Sy / Sw;
    }
    for (size_t i = 0; i < n; i++) g[i] = w[i] * (Sxx - Sx * x[i] + x0 * (Sw * x[i] - Sx)) / D;
    v = (Sw * Sxy - Sx * Sy) / D;
    if (v < 0) return Sy / Sw;   /* no term falls as ranks are added at a fixed S */
    return (Sy - v * Sx) / Sw + v * x0;
}

/* The floor of a prediction at p from curve times y[0..n) at S (rank counts r[]):
 * the smallest of them, scaled by (p − 1)/(pmin − 1) below the smallest rank count
 * pmin (no collective here gets cheaper faster than its number of peers), and never
 * under a thousandth of it: no time is zero or negative. */
static double cr_proj_floor(const double *y, const int *r, size_t n, int p)
{
    double f = INFINITY;
    int pmin = r[0];
    for (size_t i = 0; i < n; i++) {
        if (y[i] < f) f = y[i];
        if (r[i] < pmin) pmin = r[i];
    }
    if (p < pmin && pmin > 1) f *= fmax((double)(p - 1) / (pmin - 1), 1e-3);
    return f;
}

int cr_proj_predict_with(const cr_proj_series_t *s, const int *mask, cr_proj_family_t fa,
                         cr_proj_family_t fb, double sigma2, double S, int p,
                         cr_proj_est_t *e)
{
    double xa[CR_PROJ_MAXP], xb[CR_PROJ_MAXP], ya[CR_PROJ_MAXP], yb[CR_PROJ_MAXP];
    double wa[CR_PROJ_MAXP], wb[CR_PROJ_MAXP], ga[CR_PROJ_MAXP], gb[CR_PROJ_MAXP];
    double tS[CR_PROJ_MAXP], var = 0, fl;
    int rk[CR_PROJ_MAXP];
    size_t n = 0;
    memset(e, 0, sizeof *e);
    for (size_t i = 0; i < s->nc; i++) {
        const cr_proj_curve_t *c = &s->c[i];
        int out;
        if ((mask && !mask[i]) || c->n == 0) continue;
        tS[n] = cr_proj_curve_at(c, S, &out);
        if (!(tS[n] > 0)) continue;
        e->size_extrapolated |= out;
        /* α(p): the latency floor; β(p): the rest of the time per byte at S */
        xa[n] = cr_proj_x(s, fa, c->ranks);
        xb[n] = cr_proj_x(s, fb, c->ranks);
        ya[n] = c->alpha;
        yb[n] = (tS[n] - c->alpha) / S;
        wa[n] = 1 / (c->t[0] * c->t[0]);
        wb[n] = 1 / (tS[n] * tS[n]);
        if (c->ranks == p) e->measured_p = 1;
        if (!e->factor || fabs(log((double)p / c->ranks)) < fabs(log(e->factor)))
            e->factor = (double)p / c->ranks;
        rk[n++] = c->ranks;
    }
    if (n == 0) return -1;
    e->alpha = cr_proj_line(xa, ya, wa, n, cr_proj_x(s, fa, p), ga);
    e->beta = cr_proj_line(xb, yb, wb, n, cr_proj_x(s, fb, p), gb);
    e->t = e->alpha + S * e->beta;
    fl = cr_proj_floor(tS, rk, n, p);
    if (!(e->t >= fl) && isfinite(fl)) {
        e->t = fl;
        e->floored = 1;
    }
    /* t̂ = Σ (ga − gb)·α_i + Σ gb·t_i(S): its variance per unit relative noise of
     * the measured times (α_i read at the smallest size, t_i(S) at S) */
    for (size_t k = 0, i = 0; i < s->nc; i++) {
        const cr_proj_curve_t *c = &s->c[i];
        int out;
        double d;
        if ((mask && !mask[i]) || c->n == 0 || !(cr_proj_curve_at(c, S, &out) > 0)) continue;
        d = (ga[k] - gb[k]) * c->t[0];
        var += d * d + gb[k] * gb[k] * tS[k] * tS[k];
        k++;
    }
    e->fa = fa;
    e->fb = fb;
    e->band = S < s->split ? CR_PROJ_LAT : CR_PROJ_BW;
    e->se = fmin(sqrt(sigma2 * (1 + var / (e->t * e->t))), CR_PROJ_SE_MAX);
    e->t_lo = e->t * exp(-CR_PROJ_Z * e->se);
    e->t_hi = e->t * exp(CR_PROJ_Z * e->se);
    return 0;
}

/* Held-out choice on the curves in mask: every (xα, xβ) pair predicts every curve's
 * sizes from the other curves; xβ = the least RMS ln error on the bandwidth band
 * (over xα), then xα = the least on the latency band with that xβ; the prior wins
 * unless another is >= 2% better. σ_lack per band from the chosen pair's errors.
 * Fewer than 3 curves: the prior and CR_PROJ_SIGMA_LACK. */
typedef struct cr_proj_choice {
    cr_proj_family_t fa, fb;
    int validated;
    double rms_alpha[CR_PROJ_NFAM], rms_beta[CR_PROJ_NFAM];
    size_t n[CR_PROJ_NBAND];
    double lack[CR_PROJ_NBAND];
    int lack_measured[CR_PROJ_NBAND];
} cr_proj_choice_t;

#define CR_PROJ_PRIOR_A CR_PROJ_LOG2
#define CR_PROJ_PRIOR_B CR_PROJ_BUS

static void cr_proj_choose(const cr_proj_series_t *s, const int *mask, cr_proj_choice_t *ch)
{
    size_t ncur = 0, cnt[CR_PROJ_NFAM][CR_PROJ_NFAM][CR_PROJ_NBAND];
    double s2 = s->sigma_run * s->sigma_run;
    double ss[CR_PROJ_NFAM][CR_PROJ_NFAM][CR_PROJ_NBAND], sl[CR_PROJ_NFAM][CR_PROJ_NFAM][CR_PROJ_NBAND];
    int sub[CR_PROJ_MAXP];
    memset(ch, 0, sizeof *ch);
    ch->fa = CR_PROJ_PRIOR_A;
    ch->fb = CR_PROJ_PRIOR_B;
    for (int b = 0; b < CR_PROJ_NBAND; b++) ch->lack[b] = CR_PROJ_SIGMA_LACK;
    for (int f = 0; f < CR_PROJ_NFAM; f++) ch->rms_alpha[f] = ch->rms_beta[f] = NAN;
    for (size_t i = 0; i < s->nc; i++) ncur += !mask || mask[i];
    if (ncur < 3) return;
    memset(cnt, 0, sizeof cnt);
    memset(ss, 0, sizeof ss);
    memset(sl, 0, sizeof sl);
    for (size_t k = 0; k < s->nc; k++) {
        if (mask && !mask[k]) continue;
        for (size_t i = 0; i < s->nc; i++) sub[i] = (!mask || mask[i]) && i != k;
        for (size_t j = 0; j < s->c[k].n; j++)
            for (int fa = 0; fa < CR_PROJ_NFAM; fa++)
                for (int fb = 0; fb < CR_PROJ_NFAM; fb++) {
                    cr_proj_est_t e;
                    double err, lev;
                    if (cr_proj_predict_with(s, sub, (cr_proj_family_t)fa, (cr_proj_family_t)fb,
                                             s2, s->c[k].S[j], s->c[k].ranks, &e) != 0 ||
                        e.size_extrapolated)
                        continue;
                    err = log(e.t / s->c[k].t[j]);
                    lev = e.se * e.se / s2 - 1;
                    ss[fa][fb][e.band] += err * err;
                    /* E[err²] = (σ_run² + σ_lack²)(1 + L): the part beyond the noise */
                    sl[fa][fb][e.band] += err * err / (1 + lev) - s2;
                    cnt[fa][fb][e.band]++;
                }
    }
#define CR_PROJ_RMS(a, b, band) \
    (cnt[a][b][band] ? sqrt(ss[a][b][band] / (double)cnt[a][b][band]) : NAN)
    if (cnt[CR_PROJ_PRIOR_A][CR_PROJ_PRIOR_B][CR_PROJ_BW]) {
        double best = INFINITY;
        for (int fb = 0; fb < CR_PROJ_NFAM; fb++) {
            double m = INFINITY;
            for (int fa = 0; fa < CR_PROJ_NFAM; fa++)
                if (CR_PROJ_RMS(fa, fb, CR_PROJ_BW) < m) m = CR_PROJ_RMS(fa, fb, CR_PROJ_BW);
            ch->rms_beta[fb] = m;
        }
        best = ch->rms_beta[CR_PROJ_PRIOR_B];
        for (int fb = 0; fb < CR_PROJ_NFAM; fb++)
            if (ch->rms_beta[fb] < CR_PROJ_PREFER * best) {
                best = ch->rms_beta[fb];
                ch->fb = (cr_proj_family_t)fb;
            }
        ch->validated = 1;
    }
    if (cnt[CR_PROJ_PRIOR_A][ch->fb][CR_PROJ_LAT]) {
        double best;
        for (int fa = 0; fa < CR_PROJ_NFAM; fa++)
            ch->rms_alpha[fa] = CR_PROJ_RMS(fa, ch->fb, CR_PROJ_LAT);
        best = ch->rms_alpha[CR_PROJ_PRIOR_A];
        for (int fa = 0; fa < CR_PROJ_NFAM; fa++)
            if (ch->rms_alpha[fa] < CR_PROJ_PREFER * best) {
                best = ch->rms_alpha[fa];
                ch->fa = (cr_proj_family_t)fa;
            }
        ch->validated = 1;
    }
#undef CR_PROJ_RMS
    for (int b = 0; b < CR_PROJ_NBAND; b++) {
        size_t c = cnt[ch->fa][ch->fb][b];
        if (!c) continue;
        ch->n[b] = c;
        {   /* shrunk toward the assumed value by CR_PROJ_LACK_PSEUDO rank counts:
             * a few held-out counts can show no misfit by chance */
            double est = sl[ch->fa][ch->fb][b] > 0 ? sl[ch->fa][ch->fb][b] / (double)c : 0;
            double k = (double)ncur, k0 = CR_PROJ_LACK_PSEUDO;
            ch->lack[b] = sqrt((k0 * CR_PROJ_SIGMA_LACK * CR_PROJ_SIGMA_LACK + k * est) / (k0 + k));
        }
        ch->lack_measured[b] = 1;
    }
}

/* Run-to-run spread over the sizes measured more than once at one rank count (pts
 * sorted by ranks, bytes): a robust SD of ln t, 1.4826 × the median absolute
 * deviation from each size's mean (scaled by √(k/(k−1)) for its k launches), so that
 * one launch that went wrong does not make every interval wide. */
static cr_status_t cr_proj_sigma_run(cr_proj_series_t *s, const cr_proj_pt_t *pts, size_t n)
{
    double *dev = malloc((n ? n : 1) * sizeof *dev);
    size_t nd = 0, dof = 0;
    CR_CHECK_ALLOC(dev, n * sizeof *dev);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double m = 0, k;
        while (j < n && pts[j].ranks == pts[i].ranks && pts[j].bytes == pts[i].bytes) {
            m += log(pts[j].t);
            j++;
        }
        k = (double)(j - i);
        m /= k;
        if (j - i >= 2)
            for (size_t q = i; q < j; q++) dev[nd++] = fabs(log(pts[q].t) - m) * sqrt(k / (k - 1));
        dof += j - i - 1;
        i = j;
    }
    s->run_dof = dof;
    s->sigma_run = dof ? 1.4826 * cr_fit_median(dev, nd) : CR_PROJ_SIGMA_RUN;
    if (dof && s->sigma_run < CR_PROJ_SIGMA_RUN_MIN) s->sigma_run = CR_PROJ_SIGMA_RUN_MIN;
    free(dev);
    return CR_OK;
}

cr_status_t cr_proj_build(cr_proj_series_t *s, const cr_proj_pt_t *pts, size_t n,
                          double (*F)(int p))
{
    cr_proj_pt_t *v;
    cr_proj_choice_t ch;
    memset(s, 0, sizeof *s);
    s->F = F;
    s->smin = INFINITY;
    s->smax = 0;
    s->split = INFINITY;
    if (n == 0) return CR_OK;
    v = malloc(n * sizeof *v);
    CR_CHECK_ALLOC(v, n * sizeof *v);
    {   /* usable points only */
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (pts[i].t > 0 && isfinite(pts[i].t) && pts[i].bytes > 0 && pts[i].ranks >= 1)
                v[m++] = pts[i];
        n = m;
    }
    qsort(v, n, sizeof *v, cr_proj_pt_cmp);
    if (cr_proj_sigma_run(s, v, n) != CR_OK) {
        free(v);
        return CR_ERR_NOMEM;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i, k = 0;
        cr_proj_curve_t *c;
        while (j < n && v[j].ranks == v[i].ranks) j++;
        if (s->nc == CR_PROJ_MAXP) {
            free(v);
            cr_proj_free(s);
            cr_error("more than %d rank counts in one series: cannot project", CR_PROJ_MAXP);
            return CR_ERR_INVAL;
        }
        c = &s->c[s->nc++];
        c->ranks = v[i].ranks;
        c->S = malloc((j - i) * sizeof *c->S);
        c->t = malloc((j - i) * sizeof *c->t);
        if (!c->S || !c->t) {
            free(v);
            cr_proj_free(s);
            cr_error("cannot allocate a projection curve");
            return CR_ERR_NOMEM;
        }
        for (size_t a = i; a < j;) {   /* repeated sizes: their median */
            size_t b = a;
            double t[64];
            size_t m = 0;
            while (b < j && v[b].bytes == v[a].bytes) {
                if (m < 64) t[m++] = v[b].t;
                b++;
            }
            c->S[k] = v[a].bytes;
            c->t[k++] = cr_fit_median(t, m);
            if (v[a].bytes < s->smin) s->smin = v[a].bytes;
            if (v[a].bytes > s->smax) s->smax = v[a].bytes;
            a = b;
        }
        c->n = k;
        /* latency floor: the first secant's intercept, within [0, t at the smallest size] */
        c->alpha = c->t[0];
        if (k >= 2) {
            double b1 = (c->t[1] - c->t[0]) / (c->S[1] - c->S[0]);
            if (b1 > 0) c->alpha = fmax(0, c->t[0] - b1 * c->S[0]);
        }
        i = j;
    }
    free(v);
    if (s->nc == 0) return CR_OK;
    {   /* bands: the largest rank count's time doubles its smallest-size time at split */
        const cr_proj_curve_t *c = &s->c[s->nc - 1];
        for (size_t j = 0; j < c->n; j++)
            if (c->t[j] >= 2 * c->t[0]) {
                s->split = c->S[j];
                break;
            }
    }
    cr_proj_choose(s, NULL, &ch);
    s->fa = ch.fa;
    s->fb = ch.fb;
    s->validated = ch.validated;
    memcpy(s->rms_alpha, ch.rms_alpha, sizeof s->rms_alpha);
    memcpy(s->rms_beta, ch.rms_beta, sizeof s->rms_beta);
    for (int b = 0; b < CR_PROJ_NBAND; b++) {
        s->loo_n[b] = ch.n[b];
        s->sigma_lack[b] = ch.lack[b];
        s->lack_measured[b] = ch.lack_measured[b];
    }
    return CR_OK;
}

/* σ_size² for S outside [smin, smax]. */
static double cr_proj_size_var(const cr_proj_series_t *s, double S)
{
    double d = S > s->smax ? log2(S / s->smax) : S < s->smin ? log2(s->smin / S) : 0;
    return CR_PROJ_SIGMA_SIZE * CR_PROJ_SIGMA_SIZE * d * d;
}

/* Widens e's interval for what the held-out curves cannot show: σ_lack more per
 * doubling of p beyond the rank counts [pmin, pmax] the answer was read from, and
 * σ_size per doubling of S beyond the measured sizes. */
static void cr_proj_widen(const cr_proj_series_t *s, double lack, int pmin, int pmax, double S,
                          int p, cr_proj_est_t *e)
{
    double d = p > pmax ? log2((double)p / pmax) : p < pmin ? log2((double)pmin / p) : 0;
    double extra = cr_proj_size_var(s, S) + lack * lack * d * d;
    if (extra > 0) {
        e->se = fmin(sqrt(e->se * e->se + extra), CR_PROJ_SE_MAX);
        e->t_lo = e->t * exp(-CR_PROJ_Z * e->se);
        e->t_hi = e->t * exp(CR_PROJ_Z * e->se);
    }
}

int cr_proj_predict(const cr_proj_series_t *s, double S, int p, cr_proj_est_t *e)
{
    int b = S < s->split ? CR_PROJ_LAT : CR_PROJ_BW;
    double s2 = s->sigma_run * s->sigma_run + s->sigma_lack[b] * s->sigma_lack[b];
    if (cr_proj_predict_with(s, NULL, s->fa, s->fb, s2, S, p, e) != 0) return -1;
    cr_proj_widen(s, s->sigma_lack[b], s->c[0].ranks, s->c[s->nc - 1].ranks, S, p, e);
    e->warn = e->factor > CR_PROJ_WARN_FACTOR || e->factor < 1 / CR_PROJ_WARN_FACTOR ||
              S > CR_PROJ_WARN_FACTOR * s->smax || S < s->smin / CR_PROJ_WARN_FACTOR;
    return 0;
}

static int cr_proj_dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int cr_proj_loo(const cr_proj_series_t *s, double min_bytes, cr_proj_loo_t *out)
{
    double *err;
    size_t cap = 0, n = 0, in = 0;
    int sub[CR_PROJ_MAXP];
    memset(out, 0, sizeof *out);
    out->med_abs_err = out->max_abs_err = out->coverage = NAN;
    if (s->nc < 3) return -1;
    for (size_t k = 0; k < s->nc; k++) cap += s->c[k].n;
    err = malloc((cap ? cap : 1) * sizeof *err);
    if (!err) return -1;
    for (size_t k = 0; k < s->nc; k++) {
        cr_proj_choice_t ch;
        for (size_t i = 0; i < s->nc; i++) sub[i] = i != k;
        cr_proj_choose(s, sub, &ch);
        for (size_t j = 0; j < s->c[k].n; j++) {
            cr_proj_est_t e;
            double S = s->c[k].S[j], meas = s->c[k].t[j];
            int b = S < s->split ? CR_PROJ_LAT : CR_PROJ_BW;
            double s2 = s->sigma_run * s->sigma_run + ch.lack[b] * ch.lack[b];
            if (S < min_bytes) continue;
            if (cr_proj_predict_with(s, sub, ch.fa, ch.fb, s2, S, s->c[k].ranks, &e) != 0 ||
                e.size_extrapolated)
                continue;
            cr_proj_widen(s, ch.lack[b], s->c[k ? 0 : 1].ranks,
                          s->c[k + 1 < s->nc ? s->nc - 1 : s->nc - 2].ranks, S, s->c[k].ranks, &e);
            err[n++] = fabs(e.t / meas - 1);
            in += meas >= e.t_lo && meas <= e.t_hi;
        }
    }
    out->n = n;
    if (n) {
        qsort(err, n, sizeof *err, cr_proj_dbl_cmp);
        out->med_abs_err = n % 2 ? err[n / 2] : (err[n / 2 - 1] + err[n / 2]) / 2;
        out->max_abs_err = err[n - 1];
        out->coverage = (double)in / (double)n;
    }
    free(err);
    return 0;
}

void cr_proj_fixed(const char *level, int nodes, int ppn, int *fixed_nodes, int *fixed_ppn)
{
    if (nodes > 1 && cr_level_link_class(level, nodes) == CR_DIST_INTERNODE) {
        *fixed_nodes = 0;
        *fixed_ppn = ppn;
    } else {
        *fixed_nodes = nodes;
        *fixed_ppn = 0;
    }
}
