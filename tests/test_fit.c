/* collroof-fit unit tests: synthetic data with known α, r∞, breakpoints. */
#include "config.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fit_boot.h"
#include "fit_group.h"
#include "fit_segment.h"
#include "fit_special.h"
#include "fit_write.h"

/* Synthetic group: sizes 8·2^i, piecewise Hockney with a break before size
 * index brk (0 = none); multiplicative lognormal noise sigma on the medians
 * (or on raw samples when nraw > 0); every outl-th point's median multiplied
 * by 3, its raw samples too when outraw (a slow size rather than a bad
 * number). medexact: the reported median is the noise-free T while the raw
 * samples are noisy (scripts/bench-fit --gen and the jsonl fixture do that). */
typedef struct syn {
    size_t n, brk, nraw, outl;
    double a1, b1, a2, b2, sigma;
    int outraw, medexact;
} syn_t;

static double syn_true(const syn_t *s, size_t i, double S)
{
    return (s->brk && i >= s->brk) ? s->a2 + s->b2 * S : s->a1 + s->b1 * S;
}

static void syn_group(const syn_t *s, uint64_t seed, cr_fit_group_t *g)
{
    cr_fit_rng_t r;
    cr_fit_rng_seed(&r, seed);
    memset(g, 0, sizeof *g);
    strcpy(g->collective, "allreduce");
    strcpy(g->level, "node");
    strcpy(g->cadence, "isolated");
    g->ranks = 2;
    g->F = 1;
    g->npts = s->n;
    g->pts = calloc(s->n, sizeof *g->pts);
    for (size_t i = 0; i < s->n; i++) {
        cr_fit_point_t *p = &g->pts[i];
        double S = 8.0 * (double)(1ULL << i), T = syn_true(s, i, S);
        int out = s->outl && i % s->outl == s->outl / 2;
        p->bytes = (uint64_t)S;
        if (out && s->outraw) T *= 3;
        if (s->nraw) {
            p->nraw = s->nraw;
            p->raw = malloc(s->nraw * sizeof *p->raw);
            for (size_t k = 0; k < s->nraw; k++)
                p->raw[k] = T * exp(s->sigma * cr_fit_rng_normal(&r));
            cr_fit_sort(p->raw, p->nraw);
            p->t_med = s->nraw % 2 ? p->raw[s->nraw / 2]
                                   : 0.5 * (p->raw[s->nraw / 2 - 1] + p->raw[s->nraw / 2]);
            if (s->medexact) p->t_med = T;
        } else {
            p->t_med = T * exp(s->sigma * cr_fit_rng_normal(&r));
        }
        if (out && !s->outraw) p->t_med *= 3;
        p->t_lo = p->t_hi = p->t_med;
        p->algbw = p->busbw = S / p->t_med * 1e-3;
    }
}

static void syn_free(cr_fit_group_t *g)
{
    for (size_t i = 0; i < g->npts; i++) free(g->pts[i].raw);
    free(g->pts);
}

static void syn_xy(const cr_fit_group_t *g, double *x, double *y)
{
    for (size_t i = 0; i < g->npts; i++) {
        x[i] = (double)g->pts[i].bytes;
        y[i] = g->pts[i].t_med;
    }
}

static double rel(double a, double b) { return fabs(a - b) / fabs(b); }

/* --- model --------------------------------------------------------------- */

static void test_hockney_exact(void)
{
    syn_t s = { .n = 28, .a1 = 3.5, .b1 = 1 / 12500.0 };
    cr_fit_group_t g;
    double x[64], y[64];
    cr_fit_line_t l;
    syn_group(&s, 1, &g);
    syn_xy(&g, x, y);
    CU_ASSERT_EQUAL_FATAL(cr_fit_line_hockney(x, y, g.npts, &l), 0);
    CU_ASSERT(rel(l.alpha, s.a1) < 1e-9);
    CU_ASSERT(rel(l.beta, s.b1) < 1e-9);
    CU_ASSERT(rel(cr_fit_line_rinf_GBps(l.beta), 12.5) < 1e-9);
    syn_free(&g);
}

static void test_hockney_noise_outliers(void)
{
    syn_t s = { .n = 25, .a1 = 2.0, .b1 = 1 / 9000.0, .sigma = 0.02, .outl = 7 };
    int ok = 0;
    for (uint64_t seed = 1; seed <= 50; seed++) {
        cr_fit_group_t g;
        double x[64], y[64];
        cr_fit_line_t l;
        syn_group(&s, seed, &g);
        syn_xy(&g, x, y);
        CU_ASSERT_EQUAL_FATAL(cr_fit_line_hockney(x, y, g.npts, &l), 0);
        ok += rel(l.alpha, s.a1) < 0.05 && rel(l.beta, s.b1) < 0.05;
        syn_free(&g);
    }
    CU_ASSERT(ok >= 48);   /* 3 outliers ×3 among 25 points: robust fit holds */
}

/* --- segments ------------------------------------------------------------ */

static size_t seg_count(const syn_t *s, uint64_t seed, cr_fit_segs_t *sg)
{
    cr_fit_group_t g;
    cr_fit_seg_opts_t o;
    double x[64], y[64];
    cr_fit_seg_opts_default(&o);
    syn_group(s, seed, &g);
    syn_xy(&g, x, y);
    CU_ASSERT_EQUAL(cr_fit_segments(x, y, g.npts, &o, sg), CR_OK);
    syn_free(&g);
    return sg->k;
}

static void test_segments_exact(void)
{
    syn_t s = { .n = 25, .brk = 13, .a1 = 2, .b1 = 1 / 5000.0, .a2 = 20, .b2 = 1 / 12000.0 };
    cr_fit_segs_t sg;
    CU_ASSERT_EQUAL_FATAL(seg_count(&s, 1, &sg), 2);
    CU_ASSERT_EQUAL(sg.seg[0].last, 12);
    CU_ASSERT_EQUAL(sg.seg[1].first, 13);
    CU_ASSERT(rel(sg.seg[0].line.alpha, 2) < 1e-9 && rel(sg.seg[0].line.beta, 1 / 5000.0) < 1e-9);
    CU_ASSERT(rel(sg.seg[1].line.alpha, 20) < 1e-9 && rel(sg.seg[1].line.beta, 1 / 12000.0) < 1e-9);
}

static void test_segments_three_exact(void)
{
    syn_t s = { .n = 25, .brk = 9, .a1 = 1, .b1 = 1 / 2000.0, .a2 = 5, .b2 = 1 / 6000.0 };
    cr_fit_group_t g;
    cr_fit_seg_opts_t o;
    cr_fit_segs_t sg;
    double x[64], y[64];
    cr_fit_seg_opts_default(&o);
    syn_group(&s, 1, &g);
    syn_xy(&g, x, y);
    for (size_t i = 18; i < 25; i++) y[i] = 40 + x[i] / 15000.0;   /* third regime */
    CU_ASSERT_EQUAL(cr_fit_segments(x, y, g.npts, &o, &sg), CR_OK);
    CU_ASSERT_EQUAL(sg.k, 3);
    CU_ASSERT(sg.seg[0].last == 8 && sg.seg[1].last == 17);
    CU_ASSERT(rel(sg.seg[2].line.alpha, 40) < 1e-9);
    syn_free(&g);
}

static void test_segments_straight_no_false_break(void)
{
    static const double sig[] = { 0.01, 0.02, 0.03 };
    for (size_t q = 0; q < 3; q++) {
        syn_t s = { .n = 25, .a1 = 2.5, .b1 = 1 / 8000.0, .sigma = sig[q] };
        int ones = 0;
        for (uint64_t seed = 1; seed <= 100; seed++) {
            cr_fit_segs_t sg;
            ones += seg_count(&s, 1000 * q + seed, &sg) == 1;
        }
        CU_ASSERT_EQUAL(ones, 100);
    }
    {   /* with outliers too */
        syn_t s = { .n = 25, .a1 = 2.5, .b1 = 1 / 8000.0, .sigma = 0.02, .outl = 9 };
        int ones = 0;
        for (uint64_t seed = 1; seed <= 100; seed++) {
            cr_fit_segs_t sg;
            ones += seg_count(&s, 7000 + seed, &sg) == 1;
        }
        CU_ASSERT(ones >= 97);
    }
}

static void test_segments_noisy_break(void)
{
    syn_t s = { .n = 25, .brk = 13, .a1 = 2, .b1 = 1 / 5000.0, .a2 = 20, .b2 = 1 / 12000.0,
                .sigma = 0.02 };
    int right = 0;
    for (uint64_t seed = 1; seed <= 100; seed++) {
        cr_fit_segs_t sg;
        if (seg_count(&s, seed, &sg) == 2 && sg.seg[0].last == 12) right++;
    }
    CU_ASSERT(right >= 95);
}

static void test_segments_too_few(void)
{
    double x[] = { 8, 8 }, y[] = { 1, 1 };
    cr_fit_seg_opts_t o;
    cr_fit_segs_t sg;
    cr_fit_seg_opts_default(&o);
    cr_log_quiet(1);
    CU_ASSERT_EQUAL(cr_fit_segments(x, y, 2, &o, &sg), CR_ERR_INVAL);
    cr_log_quiet(0);
}

/* --- bootstrap ----------------------------------------------------------- */

static void test_medsamp_matches_bruteforce(void)
{
    double x[11];
    size_t cnt[11] = { 0 }, N = 200000;
    cr_fit_medsamp_t ms;
    cr_fit_rng_t r;
    for (int i = 0; i < 11; i++) x[i] = i;
    CU_ASSERT_EQUAL_FATAL(cr_fit_medsamp_init(&ms, x, 11), CR_OK);
    cr_fit_rng_seed(&r, 5);
    for (size_t k = 0; k < N; k++) {            /* brute force: resample, take median */
        double s[11];
        for (int i = 0; i < 11; i++) s[i] = x[cr_fit_rng_below(&r, 11)];
        cr_fit_sort(s, 11);
        cnt[(int)s[5]]++;
    }
    for (int j = 0; j < 11; j++) {
        size_t c = 0;
        for (size_t k = 0; k < N / 4; k++) c += cr_fit_medsamp_draw(&ms, &r) == j;
        CU_ASSERT(fabs((double)c / (N / 4) - (double)cnt[j] / N) < 0.01);
    }
    cr_fit_medsamp_free(&ms);
}

/* Even n: the median of a resample is the mean of two order statistics, whose joint
 * law the sampler must reproduce. Against the exact distribution, by enumerating all
 * n^n resamples of x_i = 2^i - 1 (every pair of middle values has its own mean). */
static void medsamp_even_exact(size_t n)
{
    enum { MAXV = 64 };
    double x[8], val[MAXV], p[MAXV] = { 0 }, s[8];
    size_t nv = 0, total = 1, idx[8] = { 0 }, N = 400000, cnt[MAXV] = { 0 };
    cr_fit_medsamp_t ms;
    cr_fit_rng_t r;
    for (size_t i = 0; i < n; i++) x[i] = (double)((1u << i) - 1);
    for (size_t i = 0; i < n; i++) total *= n;
    for (size_t t = 0; t < total; t++) {         /* every resample, once */
        size_t k, v;
        double med;
        for (size_t i = 0; i < n; i++) s[i] = x[idx[i]];
        cr_fit_sort(s, n);
        med = 0.5 * (s[n / 2 - 1] + s[n / 2]);
        for (v = 0; v < nv && val[v] != med; v++) {}
        if (v == nv) val[nv++] = med;
        p[v] += 1.0 / (double)total;
        for (k = 0; k < n && ++idx[k] == n; k++) idx[k] = 0;
    }
    CU_ASSERT_EQUAL_FATAL(cr_fit_medsamp_init(&ms, x, n), CR_OK);
    cr_fit_rng_seed(&r, 11);
    for (size_t k = 0; k < N; k++) {
        double d = cr_fit_medsamp_draw(&ms, &r);
        size_t v;
        for (v = 0; v < nv && val[v] != d; v++) {}
        CU_ASSERT_FATAL(v < nv);                  /* only values a resample can give */
        cnt[v]++;
    }
    for (size_t v = 0; v < nv; v++) {
        double f = (double)cnt[v] / (double)N, se = sqrt(p[v] * (1 - p[v]) / (double)N);
        if (fabs(f - p[v]) > 5 * se + 1e-4)
            printf("\n  n=%zu median %g: sampled %.5f, exact %.5f", n, val[v], f, p[v]);
        CU_ASSERT(fabs(f - p[v]) <= 5 * se + 1e-4);
    }
    cr_fit_medsamp_free(&ms);
}

static void test_medsamp_even_exact(void)
{
    medsamp_even_exact(4);
    medsamp_even_exact(6);
    medsamp_even_exact(8);
}

static void boot_once(const syn_t *s, uint64_t seed, size_t reps, cr_fit_ci_t *ci,
                      cr_fit_segs_t *sg, int *raw)
{
    cr_fit_group_t g;
    cr_fit_seg_opts_t o;
    double x[64], y[64];
    cr_fit_seg_opts_default(&o);
    o.max_segments = 1;
    syn_group(s, seed, &g);
    syn_xy(&g, x, y);
    CU_ASSERT_EQUAL(cr_fit_segments(x, y, g.npts, &o, sg), CR_OK);
    CU_ASSERT_EQUAL(cr_fit_boot_segments(g.pts, g.npts, sg, reps, seed, ci, raw), CR_OK);
    syn_free(&g);
}

/* 95% intervals on 200 synthetic groups per row, truth known, noise and one
 * outlier size: every interval holds its own estimate (by construction, on
 * both bootstrap paths), a positive α's never goes below 0, and where cover is
 * set the truth is covered 90..99% of the time for α and r∞. 199 replicates
 * keep it to a few seconds; one segment, fitted as cr_fit_segments does for
 * K = 1 (cr_fit_line_hockney over all points). */
typedef struct boot_case {
    const char *name;
    syn_t s;
    int raw;     /* expected path */
    int cover;   /* assert the coverage band */
} boot_case_t;

static const boot_case_t boot_cases[] = {
    { "raw, 15 samples, 3% noise, one slow size",
      { .n = 24, .a1 = 10, .b1 = 1 / 1200.0, .sigma = 0.03, .nraw = 15, .outl = 24, .outraw = 1 },
      1, 1 },
    { "raw, 6 samples, 10% noise, one slow size",
      { .n = 24, .a1 = 10, .b1 = 1 / 1200.0, .sigma = 0.10, .nraw = 6, .outl = 24, .outraw = 1 },
      1, 1 },
    { "raw, file median = exact T (no coverage)",
      { .n = 24, .a1 = 10, .b1 = 1 / 1200.0, .sigma = 0.03, .nraw = 15, .outl = 24,
        .outraw = 1, .medexact = 1 }, 1, 0 },
    { "residual, 2% noise, one bad median",
      { .n = 24, .a1 = 10, .b1 = 1 / 1200.0, .sigma = 0.02, .outl = 24 }, 0, 1 },
    { "residual, alpha ~ 0 (no coverage)",
      { .n = 24, .a1 = 2e-5, .b1 = 1 / 10000.0, .sigma = 0.03, .outl = 24 }, 0, 0 },
};

static void boot_case_run(const boot_case_t *c, uint64_t seed0)
{
    const int N = 200;
    const double rinf = cr_fit_line_rinf_GBps(c->s.b1);
    int own_a = 0, own_r = 0, pos = 0, clamp = 0, ca = 0, cb = 0;
    for (int d = 0; d < N; d++) {
        uint64_t seed = seed0 + (uint64_t)d;
        cr_fit_group_t g;
        cr_fit_segs_t sg;
        cr_fit_ci_t ci;
        double x[64], y[64], rf;
        int raw;
        syn_group(&c->s, seed, &g);
        syn_xy(&g, x, y);
        memset(&sg, 0, sizeof sg);
        sg.k = 1;
        sg.seg[0].last = g.npts - 1;
        CU_ASSERT_EQUAL_FATAL(cr_fit_line_hockney(x, y, g.npts, &sg.seg[0].line), 0);
        CU_ASSERT_EQUAL_FATAL(cr_fit_boot_segments(g.pts, g.npts, &sg, 199, seed, &ci, &raw),
                              CR_OK);
        CU_ASSERT(raw == c->raw);
        rf = cr_fit_line_rinf_GBps(sg.seg[0].line.beta);
        own_a += ci.alpha_lo <= sg.seg[0].line.alpha && sg.seg[0].line.alpha <= ci.alpha_hi;
        own_r += ci.rinf_lo <= rf && rf <= ci.rinf_hi;
        pos += !(sg.seg[0].line.alpha > 0) || ci.alpha_lo >= 0;
        clamp += sg.seg[0].line.alpha > 0 && ci.alpha_lo == 0;
        ca += ci.alpha_lo <= c->s.a1 && c->s.a1 <= ci.alpha_hi;
        cb += ci.rinf_lo <= rinf && rinf <= ci.rinf_hi;
        syn_free(&g);
    }
    printf("\n  %-40s holds estimate %3d%%/%3d%%, covers truth alpha %5.1f%%, rinf %5.1f%%,"
           " alpha_lo clamped to 0: %d", c->name, 100 * own_a / N, 100 * own_r / N,
           100.0 * ca / N, 100.0 * cb / N, clamp);
    CU_ASSERT_EQUAL(own_a, N);
    CU_ASSERT_EQUAL(own_r, N);
    CU_ASSERT_EQUAL(pos, N);
    if (c->cover) {
        CU_ASSERT(ca >= 0.90 * N && ca <= 0.99 * N);
        CU_ASSERT(cb >= 0.90 * N && cb <= 0.99 * N);
    }
}

static void test_boot_intervals(void)
{
    for (size_t i = 0; i < sizeof boot_cases / sizeof *boot_cases; i++)
        boot_case_run(&boot_cases[i], 1000 * (uint64_t)i + 1);
    printf("\n");
}

static void test_boot_deterministic(void)
{
    syn_t s = { .n = 20, .a1 = 3, .b1 = 1 / 10000.0, .sigma = 0.05, .nraw = 15 };
    cr_fit_ci_t c1, c2, c3;
    cr_fit_segs_t sg;
    cr_fit_group_t g;
    int raw;
    boot_once(&s, 9, 200, &c1, &sg, &raw);
    syn_group(&s, 9, &g);
    CU_ASSERT_EQUAL(cr_fit_boot_segments(g.pts, g.npts, &sg, 200, 9, &c2, &raw), CR_OK);
    CU_ASSERT(memcmp(&c1, &c2, sizeof c1) == 0);
    CU_ASSERT_EQUAL(cr_fit_boot_segments(g.pts, g.npts, &sg, 200, 10, &c3, &raw), CR_OK);
    CU_ASSERT(c3.alpha_lo != c1.alpha_lo || c3.alpha_hi != c1.alpha_hi);
    syn_free(&g);
}

static void test_special(void)
{
    CU_ASSERT(fabs(cr_fit_betai(2, 3, 0.4) - 0.5248) < 1e-12);     /* exact: 0.5248 */
    CU_ASSERT(fabs(cr_fit_fdist_sf(9.28, 3, 3) - 0.05) < 1e-3);   /* F(3,3) 95% = 9.28 */
    CU_ASSERT(fabs(cr_fit_t_twosided(0.05, 22) - 2.073873) < 1e-6);  /* t(22) 97.5% */
    CU_ASSERT(fabs(cr_fit_t_twosided(0.05, 1) - 12.706205) < 1e-5);
    CU_ASSERT(cr_fit_log2_ceil(1) == 0 && cr_fit_log2_ceil(5) == 3 && cr_fit_log2_ceil(8) == 3);
}

static CU_TestInfo test_fit_model_tests[] = {
    { "hockney noise-free 1e-9", test_hockney_exact },
    { "hockney noise and outliers", test_hockney_noise_outliers },
    { "special functions", test_special },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo test_fit_segment_tests[] = {
    { "two segments noise-free", test_segments_exact },
    { "three segments noise-free", test_segments_three_exact },
    { "no false break on straight lines", test_segments_straight_no_false_break },
    { "noisy break found", test_segments_noisy_break },
    { "too few sizes rejected", test_segments_too_few },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo test_fit_boot_tests[] = {
    { "median sampler = brute force", test_medsamp_matches_bruteforce },
    { "median sampler, even n = exact law", test_medsamp_even_exact },
    { "intervals hold the estimate, cover the truth", test_boot_intervals },
    { "deterministic for a seed", test_boot_deterministic },
    CU_TEST_INFO_NULL,
};

/* --- roofline ------------------------------------------------------------ */

/* Noise-free 3 regimes: 8..2K, 4K..1M (r∞ 6 GB/s), 2M..128M slower (r∞ 0.5 GB/s,
 * intercept -3000 µs); fitted with cr_fit_group_run (no bootstrap). */
static void roof_three(double b1, double F, cr_fit_group_t *g, cr_fit_result_t *r)
{
    syn_t s = { .n = 25, .brk = 9, .a1 = 1, .b1 = b1, .a2 = 5, .b2 = 1 / 6000.0 };
    cr_fit_opts_t o;
    cr_fit_opts_default(&o);
    o.reps = 0;
    syn_group(&s, 1, g);
    g->F = F;
    for (size_t i = 18; i < 25; i++) {
        cr_fit_point_t *p = &g->pts[i];
        p->t_med = p->t_lo = p->t_hi = -3000 + (double)p->bytes / 500.0;
    }
    CU_ASSERT_EQUAL_FATAL(cr_fit_group_run(g, &o, r), CR_OK);
    CU_ASSERT_EQUAL_FATAL(r->k, 3);
}

static void test_roof_three_last_slower(void)
{
    /* Segment 1 reaches its n½ (2000 B <= 2K) but is slower; segment 3 slower. */
    cr_fit_group_t g;
    cr_fit_result_t r;
    roof_three(1 / 2000.0, 2, &g, &r);
    CU_ASSERT(r.seg[2].alpha < 0 && r.seg[2].n_half < 0);
    CU_ASSERT_EQUAL(r.roof_seg, 1);
    CU_ASSERT_EQUAL(r.roof_extrapolated, 0);
    CU_ASSERT(rel(r.roof_ceiling, r.seg[1].ceiling) < 1e-12);
    CU_ASSERT(rel(r.roof_ceiling, 2 * 6.0) < 1e-9);
    CU_ASSERT(rel(r.roof_alpha, 1) < 1e-9);
    CU_ASSERT(rel(r.roof_knee, 1 * 12.0 * 1e3 / 2) < 1e-9);   /* S* = α·ceiling/F */
    syn_free(&g);
}

static void test_roof_three_unreached_first(void)
{
    /* Segment 1 is latency-bound (r∞ 200 GB/s, n½ 200 KB >> 2K): its F·r∞ lies
     * far above every measurement and must not become the ceiling. */
    cr_fit_group_t g;
    cr_fit_result_t r;
    roof_three(1 / 200000.0, 1, &g, &r);
    CU_ASSERT(r.seg[0].ceiling > 100);
    CU_ASSERT_EQUAL(r.roof_seg, 1);
    CU_ASSERT(rel(r.roof_ceiling, 6.0) < 1e-9);
    syn_free(&g);
}

static void test_roof_one_segment(void)
{
    syn_t s = { .n = 28, .a1 = 3.5, .b1 = 1 / 12500.0 };
    cr_fit_group_t g;
    cr_fit_result_t r;
    cr_fit_opts_t o;
    cr_fit_opts_default(&o);
    o.reps = 0;
    syn_group(&s, 1, &g);
    g.F = 0.5;
    CU_ASSERT_EQUAL_FATAL(cr_fit_group_run(&g, &o, &r), CR_OK);
    CU_ASSERT_EQUAL_FATAL(r.k, 1);
    CU_ASSERT_EQUAL(r.roof_seg, 0);
    CU_ASSERT(rel(r.roof_ceiling, 0.5 * 12.5) < 1e-9);
    CU_ASSERT(rel(r.roof_alpha, 3.5) < 1e-9);
    CU_ASSERT(rel(r.roof_knee, r.seg[0].n_half) < 1e-9);   /* one segment: S* = n½ */
    syn_free(&g);
}

static void test_roof_unreached_extrapolates(void)
{
    /* Only sizes far below n½ = 1.25 MB: the ceiling is an extrapolation, said so. */
    syn_t s = { .n = 8, .a1 = 100, .b1 = 1 / 12500.0 };
    cr_fit_group_t g;
    cr_fit_result_t r;
    cr_fit_opts_t o;
    cr_fit_opts_default(&o);
    o.reps = 0;
    syn_group(&s, 1, &g);
    CU_ASSERT_EQUAL_FATAL(cr_fit_group_run(&g, &o, &r), CR_OK);
    CU_ASSERT_EQUAL_FATAL(r.k, 1);
    CU_ASSERT_EQUAL(r.roof_extrapolated, 1);
    CU_ASSERT_EQUAL(r.roof_seg, 0);
    CU_ASSERT(rel(r.roof_ceiling, 12.5) < 1e-6);
    syn_free(&g);
}

static CU_TestInfo test_fit_roof_tests[] = {
    { "3 segments, last slower: middle ceiling", test_roof_three_last_slower },
    { "unreached segment ceiling ignored", test_roof_three_unreached_first },
    { "1 segment: ceiling F r_inf, knee n_half", test_roof_one_segment },
    { "no segment reaches n_half: extrapolated", test_roof_unreached_extrapolates },
    CU_TEST_INFO_NULL,
};

extern CU_TestInfo test_fit_seg_tests[];
extern CU_TestInfo test_fit_ts_tests[];
extern CU_TestInfo test_fit_io_tests[];
extern CU_TestInfo test_fit_cli_tests[];
extern CU_TestInfo test_fit_proj_tests[];
extern CU_TestInfo test_fit_whatif_tests[];
extern CU_TestInfo test_fit_hier_tests[];
extern CU_TestInfo test_fit_energy_tests[];
int test_fit_io_init(void);
int test_fit_io_clean(void);

int main(void)
{
    CU_SuiteInfo suites[] = {
        { "fit-model", NULL, NULL, NULL, NULL, test_fit_model_tests },
        { "fit-theil-sen", NULL, NULL, NULL, NULL, test_fit_ts_tests },
        { "fit-segment", NULL, NULL, NULL, NULL, test_fit_segment_tests },
        { "fit-segment-search", NULL, NULL, NULL, NULL, test_fit_seg_tests },
        { "fit-boot", NULL, NULL, NULL, NULL, test_fit_boot_tests },
        { "fit-roof", NULL, NULL, NULL, NULL, test_fit_roof_tests },
        { "fit-io", test_fit_io_init, test_fit_io_clean, NULL, NULL, test_fit_io_tests },
        { "fit-cli", NULL, NULL, NULL, NULL, test_fit_cli_tests },
        { "fit-proj", NULL, NULL, NULL, NULL, test_fit_proj_tests },
        { "fit-whatif", NULL, NULL, NULL, NULL, test_fit_whatif_tests },
        { "fit-hier", NULL, NULL, NULL, NULL, test_fit_hier_tests },
        { "fit-energy", NULL, NULL, NULL, NULL, test_fit_energy_tests },
        CU_SUITE_INFO_NULL,
    };
    unsigned fails;
    if (CU_initialize_registry() != CUE_SUCCESS) return 1;
    if (CU_register_suites(suites) != CUE_SUCCESS) return 1;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    fails = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return (int)fails;
}
