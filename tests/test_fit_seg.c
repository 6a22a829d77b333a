/* collroof-fit segment search: the screened-then-refined search against the
 * truth of synthetic piecewise-Hockney data and against the full search. */
#include "config.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit_segment.h"
#include "fit_special.h"

/* --- brute-force reference: every segment refitted robustly ------------------ */

#define REF_RHO_C 3.0
#define REF_SIGMA_FLOOR 1e-6

static double ref_rho(double u)
{
    u = fabs(u);
    return u <= REF_RHO_C ? u * u : 2 * REF_RHO_C * u - REF_RHO_C * REF_RHO_C;
}

/* The criterion of cr_fit_segments over every segmentation: cost, sse and line of
 * all n² segments, exact DP, the penalized pick and the F test on each break. */
static void ref_segments(const double *x, const double *y, size_t n,
                         const cr_fit_seg_opts_t *o, cr_fit_segs_t *out)
{
    size_t K = o->max_segments, minp = o->min_points < 2 ? 2 : o->min_points;
    double *cost = malloc(n * n * sizeof *cost), *sse = malloc(n * n * sizeof *sse);
    double *D = malloc((K + 1) * n * sizeof *D), r[64], pen = o->penalty * log((double)n);
    cr_fit_line_t *line = malloc(n * n * sizeof *line);
    size_t *B = calloc((K + 1) * n, sizeof *B);
    CU_ASSERT_FATAL(n <= 64 && cost && sse && D && line && B);
    if (n < minp) minp = n;
    memset(out, 0, sizeof *out);
    out->sigma = cr_fit_noise_scale(x, y, n);
    if (o->sigma_ci > out->sigma) out->sigma = o->sigma_ci;
    for (size_t q = 0; q < n * n; q++) cost[q] = sse[q] = INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + minp - 1; j < n; j++) {
            size_t m = j - i + 1, k = i * n + j;
            if (!(x[i] < x[j]) || cr_fit_line_hockney(x + i, y + i, m, &line[k]) != 0) continue;
            cr_fit_line_resid(&line[k], x + i, y + i, m, r);
            cost[k] = sse[k] = 0;
            for (size_t q = 0; q < m; q++) {
                cost[k] += ref_rho(r[q] / out->sigma);
                sse[k] += r[q] * r[q];
            }
        }
    for (size_t q = 0; q < (K + 1) * n; q++) D[q] = INFINITY;
    for (size_t j = 0; j < n; j++) D[n + j] = cost[j];
    for (size_t k = 2; k <= K; k++)
        for (size_t j = 0; j < n; j++)
            for (size_t i = 1; i <= j; i++)
                if (x[i - 1] < x[i] && D[(k - 1) * n + i - 1] + cost[i * n + j] < D[k * n + j]) {
                    D[k * n + j] = D[(k - 1) * n + i - 1] + cost[i * n + j];
                    B[k * n + j] = i;
                }
    for (size_t k = 0; k <= CR_FIT_MAXSEG; k++) out->crit[k] = INFINITY;
    for (size_t k = 1; k <= K; k++) out->crit[k] = D[k * n + n - 1] + pen * (3.0 * (double)k - 1);
    for (size_t kmax = K; kmax >= 1;) {
        size_t best = 1, s, j = n - 1;
        for (size_t k = 2; k <= kmax; k++)
            if (out->crit[k] < out->crit[best]) best = k;
        out->k = best;
        for (s = best; s >= 1; s--) {
            size_t i = B[s * n + j];
            out->seg[s - 1] = (cr_fit_seg_t){ .first = i, .last = j, .line = line[i * n + j] };
            if (i == 0) break;
            j = i - 1;
        }
        for (s = 0; s + 1 < best; s++) {
            size_t a = out->seg[s].first, m = out->seg[s].last, e = out->seg[s + 1].last;
            double mg = sse[a * n + e], sp = sse[a * n + m] + sse[(m + 1) * n + e];
            double d2 = (double)(e - a + 1) - 4;
            if (!isfinite(mg)) continue;
            if (mg <= (double)(e - a + 1) * REF_SIGMA_FLOOR * REF_SIGMA_FLOOR) break;
            if (d2 < 1) continue;
            if (!(cr_fit_fdist_sf(sp > 0 ? ((mg - sp) / 3) / (sp / d2) : INFINITY, 3, d2) <
                  o->p_break))
                break;
        }
        if (s + 1 >= best) break;
        kmax = best - 1;
    }
    free(cost);
    free(sse);
    free(D);
    free(line);
    free(B);
}

/* --- synthetic piecewise Hockney --------------------------------------------- */

/* n sizes 8·g^i; regime q holds from index brk[q - 1] (brk ascending, nb of them)
 * with α = a[q] µs, β = b[q] µs/B; lognormal noise sigma; outl (if < n) ×3. */
typedef struct seg_syn {
    size_t n, nb, brk[3], outl;
    double g, a[4], b[4], sigma;
} seg_syn_t;

static void seg_syn_make(const seg_syn_t *s, uint64_t seed, double *x, double *y)
{
    cr_fit_rng_t r;
    cr_fit_rng_seed(&r, seed);
    for (size_t i = 0, q = 0; i < s->n; i++) {
        while (q < s->nb && i >= s->brk[q]) q++;
        x[i] = round(8 * pow(s->g, (double)i));
        y[i] = (s->a[q] + s->b[q] * x[i]) * exp(s->sigma * cr_fit_rng_normal(&r));
        if (i == s->outl) y[i] *= 3;
    }
}

static size_t seg_starts_match(const cr_fit_segs_t *sg, const seg_syn_t *s)
{
    if (sg->k != s->nb + 1) return 0;
    for (size_t q = 0; q < s->nb; q++)
        if (sg->seg[q + 1].first != s->brk[q]) return 0;
    return 1;
}

/* (1) Known breakpoints under noise, 200 sizes (×1.05, 8 B..120 KB) and 60. */
static const seg_syn_t seg_truth_cases[] = {
    { .n = 200, .nb = 2, .brk = { 70, 140 }, .outl = 200, .g = 1.05,
      .a = { 2, 10, 40 }, .b = { 1 / 3000.0, 1 / 6000.0, 1 / 12000.0 }, .sigma = 0.02 },
    { .n = 200, .nb = 1, .brk = { 120 }, .outl = 200, .g = 1.05,
      .a = { 3, 25 }, .b = { 1 / 4000.0, 1 / 9000.0 }, .sigma = 0.03 },
    { .n = 60, .nb = 1, .brk = { 30 }, .outl = 60, .g = 1.2,
      .a = { 2, 20 }, .b = { 1 / 5000.0, 1 / 12000.0 }, .sigma = 0.02 },
};

static void test_seg_truth(void)
{
    for (size_t c = 0; c < sizeof seg_truth_cases / sizeof *seg_truth_cases; c++) {
        const seg_syn_t *s = &seg_truth_cases[c];
        int right = 0;
        for (uint64_t seed = 1; seed <= 20; seed++) {
            double x[200], y[200];
            cr_fit_seg_opts_t o;
            cr_fit_segs_t sg;
            cr_fit_seg_opts_default(&o);
            seg_syn_make(s, 100 * c + seed, x, y);
            CU_ASSERT_EQUAL_FATAL(cr_fit_segments(x, y, s->n, &o, &sg), CR_OK);
            right += (int)seg_starts_match(&sg, s);
        }
        CU_ASSERT_EQUAL(right, 20);
    }
}

/* (2) Random data sets (fixed seed), 8..60 points, 1..3 regimes at random
 * breaks, 0.5..5% noise, one ×3 outlier in a third of them, K = 3 or 4: the
 * fast search picks the same segments as the full search, with the same
 * criterion, or (only where its band missed the full optimum) a criterion not
 * below the full one. Exact equality is the expected outcome; the count of
 * differing picks is printed and must stay 0. */
static void test_seg_vs_bruteforce(void)
{
    cr_fit_rng_t r;
    int same = 0, total = 0;
    cr_fit_rng_seed(&r, 20240917);
    for (int t = 0; t < 300; t++) {
        seg_syn_t s = { .n = 8 + cr_fit_rng_below(&r, 53), .g = 1.1 + cr_fit_rng_u01(&r),
                        .sigma = 0.005 + 0.045 * cr_fit_rng_u01(&r) };
        double x[64], y[64];
        cr_fit_seg_opts_t o;
        cr_fit_segs_t fast, ref;
        size_t k;
        s.nb = cr_fit_rng_below(&r, 3);
        for (size_t q = 0; q < s.nb; q++)
            s.brk[q] = 3 + cr_fit_rng_below(&r, s.n - 5);
        if (s.nb == 2 && s.brk[0] > s.brk[1]) {
            size_t tmp = s.brk[0];
            s.brk[0] = s.brk[1];
            s.brk[1] = tmp;
        }
        for (size_t q = 0; q <= s.nb; q++) {
            s.a[q] = exp(4 * cr_fit_rng_u01(&r));
            s.b[q] = 1 / (1000 + 20000 * cr_fit_rng_u01(&r));
        }
        s.outl = cr_fit_rng_below(&r, 3) == 0 ? cr_fit_rng_below(&r, s.n) : s.n;
        cr_fit_seg_opts_default(&o);
        o.max_segments = 3 + (size_t)(t % 2);
        seg_syn_make(&s, 7000 + (uint64_t)t, x, y);
        CU_ASSERT_EQUAL_FATAL(cr_fit_segments(x, y, s.n, &o, &fast), CR_OK);
        ref_segments(x, y, s.n, &o, &ref);
        total++;
        k = fast.k == ref.k;
        for (size_t q = 0; k && q < fast.k; q++)
            k = fast.seg[q].first == ref.seg[q].first && fast.seg[q].last == ref.seg[q].last;
        if (k) {
            same++;
            CU_ASSERT(fast.crit[fast.k] == ref.crit[ref.k]);
        } else {
            printf("\n  data set %d (n=%zu): fast k=%zu crit %.6g, full k=%zu crit %.6g", t,
                   s.n, fast.k, fast.crit[fast.k], ref.k, ref.crit[ref.k]);
        }
        for (size_t q = 1; q <= o.max_segments; q++)
            CU_ASSERT(fast.crit[q] >= ref.crit[q] * (1 - 1e-12) ||
                      !isfinite(fast.crit[q]));
    }
    CU_ASSERT_EQUAL(same, total);
}

/* (3) A ×3 outlier creates no breakpoint: on a straight line and beside a real
 * break, at the ends and in the middle, the segments are the true ones. */
static void test_seg_outlier(void)
{
    static const size_t where[] = { 0, 1, 17, 30, 44, 58, 59 };
    for (size_t w = 0; w < sizeof where / sizeof *where; w++) {
        seg_syn_t line = { .n = 60, .outl = where[w], .g = 1.2, .a = { 2.5 },
                           .b = { 1 / 8000.0 }, .sigma = 0.02 };
        seg_syn_t brk = { .n = 60, .nb = 1, .brk = { 40 }, .outl = where[w], .g = 1.2,
                          .a = { 2, 20 }, .b = { 1 / 5000.0, 1 / 12000.0 }, .sigma = 0.02 };
        int ok_line = 0, ok_brk = 0;
        for (uint64_t seed = 1; seed <= 10; seed++) {
            double x[64], y[64];
            cr_fit_seg_opts_t o;
            cr_fit_segs_t sg;
            cr_fit_seg_opts_default(&o);
            seg_syn_make(&line, seed, x, y);
            CU_ASSERT_EQUAL_FATAL(cr_fit_segments(x, y, line.n, &o, &sg), CR_OK);
            ok_line += (int)seg_starts_match(&sg, &line);
            seg_syn_make(&brk, seed, x, y);
            CU_ASSERT_EQUAL_FATAL(cr_fit_segments(x, y, brk.n, &o, &sg), CR_OK);
            ok_brk += (int)seg_starts_match(&sg, &brk);
        }
        if (ok_line != 10 || ok_brk != 10)
            printf("\n  outlier at %zu: straight %d/10, break %d/10", where[w], ok_line, ok_brk);
        CU_ASSERT(ok_line == 10 && ok_brk == 10);
    }
}

CU_TestInfo test_fit_seg_tests[] = {
    { "known breakpoints under noise", test_seg_truth },
    { "same segments as the full search", test_seg_vs_bruteforce },
    { "a x3 outlier makes no breakpoint", test_seg_outlier },
    CU_TEST_INFO_NULL,
};
