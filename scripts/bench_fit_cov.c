/* bench_fit_cov: how often collroof-fit's 95% bootstrap intervals contain their
 * own estimate and cover the truth, on synthetic groups with known α and r∞.
 * usage: bench_fit_cov [DATASETS [REPLICATES]]   (default 200 datasets, 1000)
 * Each dataset: sizes 8 B..64 MiB ×2, T = 10 µs + S / 1.2 GB/s, 15 raw samples
 * per size with 3% lognormal noise, one size (drawn per dataset) all ×3; fitted
 * as collroof-fit does (segments, bootstrap) once with its raw samples (raw
 * bootstrap) and once with the medians only (residual bootstrap). Every segment's
 * interval is scored against the one true line. Seeded: same output every run. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit_data.h"
#include "fit_group.h"
#include "fit_special.h"

#define COV_SIZES 24
#define COV_RAW 15
#define COV_ALPHA 10.0            /* µs */
#define COV_RINF 1.2              /* GB/s */
#define COV_SIGMA 0.03
#define COV_OUTLIER 3.0

/* Per path and parameter: intervals scored, containing the estimate, covering
 * the truth; relative widths (hi − lo) / estimate. */
typedef struct cov_tally {
    size_t n, own, truth;
    double *width;
} cov_tally_t;

static void cov_group(cr_fit_rng_t *r, int raw, cr_fit_group_t *g, cr_fit_point_t *pts,
                      double (*samples)[COV_RAW])
{
    size_t out = (size_t)cr_fit_rng_below(r, COV_SIZES);
    memset(g, 0, sizeof *g);
    strcpy(g->collective, "alltoall");
    strcpy(g->level, "node");
    strcpy(g->cadence, "isolated");
    g->ranks = 8;
    g->F = 7.0 / 8.0;
    g->npts = COV_SIZES;
    g->pts = pts;
    for (size_t i = 0; i < COV_SIZES; i++) {
        cr_fit_point_t *p = &pts[i];
        double S = 8.0 * (double)(1ULL << i), T = COV_ALPHA + S / (COV_RINF * 1e3);
        memset(p, 0, sizeof *p);
        if (i == out) T *= COV_OUTLIER;
        for (size_t k = 0; k < COV_RAW; k++)
            samples[i][k] = T * exp(COV_SIGMA * cr_fit_rng_normal(r));
        cr_fit_sort(samples[i], COV_RAW);
        p->bytes = (uint64_t)S;
        p->t_med = p->t_lo = p->t_hi = cr_fit_median(samples[i], COV_RAW);
        p->algbw = p->busbw = S / p->t_med * 1e-3;
        if (raw) {
            p->raw = samples[i];
            p->nraw = COV_RAW;
        }
    }
}

static void cov_score(cov_tally_t *t, double est, double lo, double hi, double truth)
{
    t->own += lo <= est && est <= hi;
    t->truth += lo <= truth && truth <= hi;
    t->width[t->n++] = (hi - lo) / est;
}

static int cov_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void cov_print(const char *path, const char *param, cov_tally_t *t)
{
    qsort(t->width, t->n, sizeof *t->width, cov_cmp);
    printf("  %-8s %-5s %9zu %12.1f%% %12.1f%% %15.2f%%\n", path, param, t->n,
           100.0 * (double)t->own / (double)t->n, 100.0 * (double)t->truth / (double)t->n,
           100.0 * t->width[t->n / 2]);
}

/* A whole decimal number in [lo, hi] from s, or -1. */
static long cov_arg(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end != s && *end == '\0' && v >= lo && v <= hi ? v : -1;
}

int main(int argc, char **argv)
{
    long nd = argc > 1 ? cov_arg(argv[1], 1, 100000) : 200;
    long reps = argc > 2 ? cov_arg(argv[2], 2, 1000000) : 1000;
    static double samples[COV_SIZES][COV_RAW];
    cr_fit_point_t pts[COV_SIZES];
    cov_tally_t t[2][2];
    size_t multi[2] = { 0 };
    cr_fit_opts_t o;
    if (argc > 3 || nd < 0 || reps < 0) {
        fprintf(stderr, "bench_fit_cov: bad arguments; usage: bench_fit_cov [DATASETS "
                "1..100000 (default 200) [REPLICATES 2..1000000 (default 1000)]]\n");
        return 2;
    }
    for (int p = 0; p < 2; p++)
        for (int q = 0; q < 2; q++) {
            memset(&t[p][q], 0, sizeof t[p][q]);
            t[p][q].width = malloc((size_t)nd * CR_FIT_MAXSEG * sizeof *t[p][q].width);
            if (!t[p][q].width) return 1;
        }
    cr_fit_opts_default(&o);
    o.reps = (size_t)reps;
    for (long d = 0; d < nd; d++)
        for (int raw = 1; raw >= 0; raw--) {
            cr_fit_rng_t r;
            cr_fit_group_t g;
            cr_fit_result_t res;
            cr_fit_rng_seed(&r, 0x5eed0000u + (uint64_t)d);   /* same data for both paths */
            cov_group(&r, raw, &g, pts, samples);
            o.seed = (uint64_t)d + 1;
            if (cr_fit_group_run(&g, &o, &res) != CR_OK) return 1;
            if (res.boot_raw != raw) {
                fprintf(stderr, "bench_fit_cov: expected the %s bootstrap\n",
                        raw ? "raw" : "residual");
                return 1;
            }
            multi[raw] += res.k > 1;
            for (size_t s = 0; s < res.k; s++) {
                const cr_fit_segres_t *z = &res.seg[s];
                cov_score(&t[raw][0], z->alpha, z->alpha_lo, z->alpha_hi, COV_ALPHA);
                cov_score(&t[raw][1], z->rinf, z->rinf_lo, z->rinf_hi, COV_RINF);
            }
        }
    printf("bench-fit coverage: %ld datasets, %ld replicates, nominal 95%%: alpha %g us, "
           "rinf %g GB/s,\n  sizes 8 B..64 MiB x2, %d raw samples/size with %g%% lognormal noise, "
           "one size x%g\n", nd, reps, COV_ALPHA, COV_RINF, COV_RAW, 100 * COV_SIGMA, COV_OUTLIER);
    printf("  %-8s %-5s %9s %13s %13s %16s\n", "path", "param", "intervals", "has-estimate",
           "covers-truth", "median-width/est");
    for (int raw = 1; raw >= 0; raw--) {
        cov_print(raw ? "raw" : "residual", "alpha", &t[raw][0]);
        cov_print(raw ? "raw" : "residual", "rinf", &t[raw][1]);
    }
    printf("  (a dataset split into more segments scores each; split: raw %zu, residual %zu)\n",
           multi[1], multi[0]);
    for (int p = 0; p < 2; p++)
        for (int q = 0; q < 2; q++) free(t[p][q].width);
    return 0;
}
