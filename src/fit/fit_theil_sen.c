/* Theil–Sen line: the median of the pairwise slopes found by selection, O(n log n)
 * expected time and O(n) memory, returning the line of the O(n²) enumeration
 * (cr_fit_line_theil_sen_pairs) to the last bit.
 *
 * Points sorted by x; for a slope t the pairs with slope < t are, in exact
 * arithmetic, the inversions of the keys y − t·x / xmax in x order, counted by
 * merge sort (keys as double-doubles). Sampled pair slopes, then bisection, narrow
 * a bracket [tl, th] around the middle ranks until few pairs lie in it. The last
 * step is exact for the rounded slopes (y_j − y_i) / ((x_j − x_i) / xmax): with the
 * keys taken at tl − m and th + m, m a bound on every rounding, a pair inverted at
 * tl − m has a rounded slope < tl, a pair in order at th + m one > th, and the
 * pairs the two keys order differently (inversions of one permutation, enumerated)
 * hold every rounded slope in [tl, th]; those are computed as the O(n²) code
 * computes them and the middle ranks selected among them. When the bound leaves
 * too many pairs (collinear or tied data, extreme ranges) the O(n²) code runs. */
#include "config.h"

#include "fit_model.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fit_data.h"
#include "fit_special.h"

#define CR_TS_PAIRS_MAX_N 64     /* up to this n the O(n²) enumeration is faster */
#define CR_TS_U (DBL_EPSILON / 2) /* unit roundoff */
#define CR_TS_TINY 0x1p-1000      /* absolute slack for subnormal results */
#define CR_TS_RETRIES 3           /* widenings of a bracket that missed its ranks */

static double cr_ts_xmax(const double *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(x[i]) > m) m = fabs(x[i]);
    return m > 0 ? m : 1;
}

/* Intercept: median of y − b·(x / xs); the line in caller units. */
static int cr_ts_finish(const double *x, const double *y, size_t n, double xs, double b,
                        double *ic, cr_fit_line_t *out)
{
    for (size_t i = 0; i < n; i++) ic[i] = y[i] - b * (x[i] / xs);
    out->alpha = cr_fit_median_inplace(ic, n);
    out->beta = b / xs;
    out->rel_med = NAN;
    return 0;
}

int cr_fit_line_theil_sen_pairs(const double *x, const double *y, size_t n, cr_fit_line_t *out)
{
    double xs = cr_ts_xmax(x, n), *sl, b;
    size_t k = 0;
    if (n < 2) return -1;
    sl = malloc((n * (n - 1) / 2 + n) * sizeof *sl);
    if (!sl) return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (x[j] != x[i]) sl[k++] = (y[j] - y[i]) / ((x[j] - x[i]) / xs);
    if (k == 0) {
        free(sl);
        return -1;
    }
    b = cr_fit_median_inplace(sl, k);
    cr_ts_finish(x, y, n, xs, b, sl, out);
    free(sl);
    return 0;
}

/* Working state; positions p index the x-sorted order. */
typedef struct cr_ts {
    const double *x, *y;    /* caller's points (slopes are oriented by their index) */
    size_t n;
    double xs;              /* max |x| */
    double ymax;            /* max |y| */
    double gv;              /* lower bound of the smallest nonzero gap of x / xs */
    uint64_t npairs;        /* pairs with distinct x */
    size_t *ord;            /* ord[p]: caller index; x ascending, ties y ascending */
    double *u, *v;          /* x and y at position p */
    unsigned char *tie;     /* tie[p]: position p has the x of p − 1 */
    double *key, *klo;      /* scratch keys by position: key + klo, a double-double */
    size_t *id, *tmp, *pb;  /* scratch permutations of positions */
    double *sel;            /* in-bracket slopes of the exact step, cap of them */
    size_t cap;
} cr_ts_t;

/* The rounded slope of caller points i, j exactly as cr_fit_line_theil_sen_pairs
 * computes it (lower index first: the sign of a zero slope follows). */
static double cr_ts_slope(const cr_ts_t *t, size_t i, size_t j)
{
    if (i > j) {
        size_t s = i;
        i = j;
        j = s;
    }
    return (t->y[j] - t->y[i]) / ((t->x[j] - t->x[i]) / t->xs);
}

/* Double-double a < b. */
static int cr_ts_less(const double *hi, const double *lo, size_t a, size_t b)
{
    return hi[a] < hi[b] || (hi[a] == hi[b] && lo[a] < lo[b]);
}

/* Stable merge sort of id[0..n) by key + klo; returns the strict inversions (pairs
 * whose later key is smaller). */
static uint64_t cr_ts_sort_count(const double *key, const double *klo, size_t *id,
                                 size_t *tmp, size_t n)
{
    size_t *src = id, *dst = tmp;
    uint64_t inv = 0;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (cr_ts_less(key, klo, src[j], src[i])) {
                    inv += mid - i;
                    dst[k++] = src[j++];
                } else {
                    dst[k++] = src[i++];
                }
            }
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        size_t *s = src;
        src = dst;
        dst = s;
    }
    if (src != id) memcpy(id, src, n * sizeof *id);
    return inv;
}

/* Keys y − c·x by position, c = a / xs, as double-doubles: the product and the
 * difference exact, one rounding of their small parts. Within one x the exact keys
 * follow y: a running maximum keeps that order without adding error. */
static void cr_ts_keys(cr_ts_t *t, double a)
{
    double c = a / t->xs;
    for (size_t p = 0; p < t->n; p++) {
        double y = t->v[p], pr = c * t->u[p], pe = fma(c, t->u[p], -pr);
        double s = y - pr, bb = s - y, e = (y - (s - bb)) + (-pr - bb), lo = e - pe;
        double hi = s + lo;
        t->key[p] = hi;
        t->klo[p] = lo - (hi - s);
        if (t->tie[p] && cr_ts_less(t->key, t->klo, p, p - 1)) {
            t->key[p] = t->key[p - 1];
            t->klo[p] = t->klo[p - 1];
        }
    }
}

/* Pairs of distinct x whose key at a decreases: about the pairs with slope < a. */
static uint64_t cr_ts_count(cr_ts_t *t, double a)
{
    cr_ts_keys(t, a);
    for (size_t p = 0; p < t->n; p++) t->id[p] = p;
    return cr_ts_sort_count(t->key, t->klo, t->id, t->tmp, t->n);
}

/* m: beyond it from a bracket end, no rounding of keys or slopes changes a side.
 * c·xs is a within u|a|; keys err by 1.01u²(|y| + 2|c x|) each, so a key inversion
 * at a means a true slope at most a(1 + u) + 2·that / gv; a rounded slope errs by
 * 4.01u of itself. Then four times that. */
static double cr_ts_margin(const cr_ts_t *t, double s)
{
    double T = fabs(s), m = 0;
    for (int it = 0; it < 2; it++) {
        double d = 4 * CR_TS_U * CR_TS_U * (t->ymax + 2.01 * T) / t->gv + CR_TS_TINY;
        m = CR_TS_U * T + d + 4.01 * CR_TS_U * (T + d) + CR_TS_TINY;
        T = fabs(s) + 4 * m;
    }
    return 4 * m;
}

/* The exact step on bracket [tl, th] for ranks r1 <= r2 of the rounded slopes.
 * 0: *b1, *b2 set; 1: a rank lies outside the bracket; -1: more than cap pairs
 * in it, or a rounding beyond the bound (use the O(n²) code). */
static int cr_ts_exact(cr_ts_t *t, double tl, double th, uint64_t r1, uint64_t r2,
                       double *b1, double *b2)
{
    size_t n = t->n, *pa = t->id, *pb = t->pb, *src, *dst, nsel = 0;
    double a = tl - cr_ts_margin(t, tl), b = th + cr_ts_margin(t, th);
    uint64_t below, lt = 0, seen = 0;
    /* A: key at a, ties in x order; below: pairs with the larger x first. */
    cr_ts_keys(t, a);
    for (size_t p = 0; p < n; p++) pa[p] = p;
    below = cr_ts_sort_count(t->key, t->klo, pa, t->tmp, n);
    /* B: key at b, ties larger x first, one x in y order as in A. */
    cr_ts_keys(t, b);
    for (size_t p = n, q = 0; p > 0;) {
        size_t g = p - 1;
        while (g > 0 && t->x[t->ord[g - 1]] == t->x[t->ord[p - 1]]) g--;
        for (size_t r = g; r < p; r++) pb[q++] = r;
        p = g;
    }
    cr_ts_sort_count(t->key, t->klo, pb, t->tmp, n);
    /* rank in B by position, in key: free now */
    for (size_t q = 0; q < n; q++) {
        t->key[pb[q]] = (double)q;
        t->klo[pb[q]] = 0;
    }
    /* Pairs ordered differently by A and B: inversions of B rank in A order. */
    src = pa;
    dst = t->tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (t->key[src[j]] < t->key[src[i]]) {
                    size_t pr = src[j];
                    seen += mid - i;
                    if (seen > t->cap) return -1;
                    for (size_t l = i; l < mid; l++) {
                        size_t pl = src[l];
                        double s;
                        /* in order at a, reversed at b: x must increase */
                        if (!(t->x[t->ord[pl]] < t->x[t->ord[pr]])) return -1;
                        s = cr_ts_slope(t, t->ord[pl], t->ord[pr]);
                        if (s < tl) lt++;
                        else if (s <= th) t->sel[nsel++] = s;
                    }
                    dst[k++] = src[j++];
                } else {
                    dst[k++] = src[i++];
                }
            }
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        size_t *s = src;
        src = dst;
        dst = s;
    }
    lt += below;
    if (r1 < lt || r2 >= lt + nsel) return 1;
    cr_fit_sort(t->sel, nsel);
    *b1 = t->sel[r1 - lt];
    *b2 = t->sel[r2 - lt];
    return 0;
}

/* Ranks r1 <= r2 between brackets lo (clo pairs below) and hi (chi pairs below):
 * bisect until few pairs remain, then the exact step. 0, or -1 for the O(n²) code. */
static int cr_ts_search(cr_ts_t *t, uint64_t r1, uint64_t r2, double lo, uint64_t clo,
                        double hi, uint64_t chi, double *b1, double *b2)
{
    uint64_t few = 2 * (uint64_t)t->n + 64;
    for (int tries = 0; tries <= CR_TS_RETRIES; tries++) {
        int rc;
        while (chi > clo && chi - clo > few) {
            double mid = lo + 0.5 * (hi - lo);
            uint64_t c;
            if (!(lo < mid && mid < hi) ||
                hi - lo < 4 * (cr_ts_margin(t, lo) + cr_ts_margin(t, hi)))
                break;
            c = cr_ts_count(t, mid);
            if (c <= r1) {
                lo = mid;
                clo = c;
            } else if (c > r2) {
                hi = mid;
                chi = c;
            } else {
                double d;
                /* the two middle ranks straddle mid: one search each */
                if (cr_ts_search(t, r1, r1, lo, clo, mid, c, b1, &d) != 0) return -1;
                return cr_ts_search(t, r2, r2, mid, c, hi, chi, b2, &d);
            }
        }
        rc = cr_ts_exact(t, lo, hi, r1, r2, b1, b2);
        if (rc <= 0) return rc;
        /* a rank sits within the margin of an end: widen both ends */
        double w = hi - lo + cr_ts_margin(t, lo) + cr_ts_margin(t, hi);
        lo -= w;
        hi += w;
        clo = 0;
        chi = t->npairs;
    }
    return -1;
}

/* Sort positions by x then y, fill u, v, ymax, gv and npairs; -1: all x equal. */
static int cr_ts_prepare(cr_ts_t *t)
{
    size_t n = t->n, *o = t->ord, *tmp = t->tmp;
    double gmin = INFINITY;
    uint64_t same = 0;
    /* stable merge sort of caller indices by y, then by x: x ascending, ties y */
    for (size_t i = 0; i < n; i++) o[i] = i;
    for (size_t i = 0; i < n; i++) {
        t->key[i] = t->y[i];
        t->klo[i] = 0;
    }
    cr_ts_sort_count(t->key, t->klo, o, tmp, n);
    for (size_t i = 0; i < n; i++) t->key[i] = t->x[i];
    cr_ts_sort_count(t->key, t->klo, o, tmp, n);
    t->ymax = 0;
    for (size_t p = 0; p < n; p++) {
        t->u[p] = t->x[o[p]];
        t->v[p] = t->y[o[p]];
        t->tie[p] = p > 0 && t->u[p] == t->u[p - 1];
        if (fabs(t->v[p]) > t->ymax) t->ymax = fabs(t->v[p]);
    }
    for (size_t p = 0, g = 0; p < n; p = g) {
        for (g = p + 1; g < n && t->x[o[g]] == t->x[o[p]]; g++)
            ;
        same += (uint64_t)(g - p) * (g - p - 1) / 2;
        if (g < n && t->x[o[g]] - t->x[o[p]] < gmin) gmin = t->x[o[g]] - t->x[o[p]];
    }
    t->npairs = (uint64_t)n * (n - 1) / 2 - same;
    if (t->npairs == 0) return -1;
    t->gv = gmin / t->xs * (1 - 4 * CR_TS_U);
    return 0;
}

/* Slopes and keys far from overflow and underflow. */
static int cr_ts_tame(const cr_ts_t *t)
{
    return t->gv > 0x1p-900 && t->ymax < 0x1p900 && t->ymax / t->gv < 0x1p900;
}

/* Slopes of random pairs of distinct x, sorted: bracket candidates. */
static size_t cr_ts_sample(cr_ts_t *t, double *s, size_t want)
{
    cr_fit_rng_t r;
    size_t got = 0;
    cr_fit_rng_seed(&r, 0x7453 + t->n);
    for (size_t tries = 0; got < want && tries < 8 * want; tries++) {
        size_t i = (size_t)cr_fit_rng_below(&r, t->n), j = (size_t)cr_fit_rng_below(&r, t->n);
        if (t->x[i] != t->x[j]) s[got++] = cr_ts_slope(t, i, j);
    }
    cr_fit_sort(s, got);
    return got;
}

static int cr_ts_median(cr_ts_t *t, double *b)
{
    uint64_t K = t->npairs, r1 = (K - 1) / 2, r2 = K / 2, clo = 0, chi = K;
    double smax = 2 * t->ymax / t->gv * (1 + 8 * CR_TS_U), lo = -4 * smax - 1, hi = 4 * smax + 1;
    double b1, b2;
    size_t ns = cr_ts_sample(t, t->sel, 4 * t->n);
    if (ns >= 32) {
        double sd = 3 * sqrt((double)ns);
        double jl = floor((double)ns * ((double)r1 / (double)K) - sd);
        double jh = ceil((double)ns * ((double)(r2 + 1) / (double)K) + sd);
        if (jl >= 0) {
            uint64_t c = cr_ts_count(t, t->sel[(size_t)jl]);
            if (c <= r1) {
                lo = t->sel[(size_t)jl];
                clo = c;
            }
        }
        if (jh < (double)ns) {
            uint64_t c = cr_ts_count(t, t->sel[(size_t)jh]);
            if (c > r2) {
                hi = t->sel[(size_t)jh];
                chi = c;
            }
        }
    }
    if (cr_ts_search(t, r1, r2, lo, clo, hi, chi, &b1, &b2) != 0) return -1;
    *b = r1 == r2 ? b1 : 0.5 * (b1 + b2);
    return 0;
}

int cr_fit_line_theil_sen_select(const double *x, const double *y, size_t n,
                                 cr_fit_line_t *out)
{
    cr_ts_t t = { .x = x, .y = y, .n = n };
    double b;
    int rc = -1;
    if (n < 2) return -1;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i])) return 1;
    t.xs = cr_ts_xmax(x, n);
    t.cap = 8 * n + 1024;
    t.ord = malloc(4 * n * sizeof *t.ord);
    t.u = malloc((4 * n + t.cap) * sizeof *t.u);
    t.tie = malloc(n);
    if (!t.ord || !t.u || !t.tie) goto out_with_mem;
    t.id = t.ord + n;
    t.tmp = t.ord + 2 * n;
    t.pb = t.ord + 3 * n;
    t.v = t.u + n;
    t.key = t.u + 2 * n;
    t.klo = t.u + 3 * n;
    t.sel = t.u + 4 * n;
    if (cr_ts_prepare(&t) != 0) goto out_with_mem;   /* all x equal */
    rc = 1;
    if (cr_ts_tame(&t) && cr_ts_median(&t, &b) == 0)
        rc = cr_ts_finish(x, y, n, t.xs, b, t.u, out);
out_with_mem:
    free(t.tie);
    free(t.u);
    free(t.ord);
    return rc;
}

int cr_fit_line_theil_sen(const double *x, const double *y, size_t n, cr_fit_line_t *out)
{
    int rc;
    if (n <= CR_TS_PAIRS_MAX_N) return cr_fit_line_theil_sen_pairs(x, y, n, out);
    rc = cr_fit_line_theil_sen_select(x, y, n, out);
    return rc == 1 ? cr_fit_line_theil_sen_pairs(x, y, n, out) : rc;
}
