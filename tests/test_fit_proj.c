/* The scaling model across rank counts (fit_proj.h) against synthetic series of
 * known truth: ring, linear and tree algorithms, run-to-run noise, repeats. */
#include "config.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fit_data.h"
#include "fit_proj.h"

static double F_ag(int p) { return (p - 1.0) / p; }       /* allgather, alltoall */
static double F_ar(int p) { return 2.0 * (p - 1.0) / p; } /* allreduce */

static int log2c(int p)
{
    int k = 0;
    while ((1 << k) < p) k++;
    return k;
}

/* Deterministic N(0, 1) (xorshift + Box-Muller). */
static uint64_t rng_state;
static double unif(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return ((double)(rng_state >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void) { return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif()); }

typedef double (*truth_fn)(int p, double S);

/* Ring all-gather: α per step, F(p)·S at B bytes/µs. */
static double ring_ag(int p, double S) { return 20.0 * (p - 1) + F_ag(p) * S / 12500.0; }
/* Ring all-reduce. */
static double ring_ar(int p, double S) { return 15.0 * 2 * (p - 1) + F_ar(p) * S / 12500.0; }
/* A linear algorithm (gather to a root, then broadcast): busbw falls as 1/p. */
static double linear_bw(int p, double S) { return 30.0 * log2c(p) + (p - 1) * S / 12500.0; }
/* A tree: log2 p steps, each moving S. */
static double tree(int p, double S) { return 25.0 * log2c(p) + log2c(p) * S / 12500.0; }

/* Builds a series of the truth at rank counts ps[0..np), sizes 1K..4M (x2),
 * `launches` launches each with lognormal noise sd (per launch and size). */
static void build(cr_proj_series_t *s, truth_fn f, double (*F)(int), const int *ps, size_t np,
                  int launches, double sd)
{
    cr_proj_pt_t pts[4096];
    size_t n = 0;
    rng_state = 0x9e3779b97f4a7c15ULL;
    for (int l = 0; l < launches; l++)
        for (size_t i = 0; i < np; i++)
            for (double S = 1024; S <= 4194304; S *= 2) {
                pts[n].ranks = ps[i];
                pts[n].bytes = S;
                pts[n++].t = f(ps[i], S) * exp(sd * gauss());
            }
    CU_ASSERT_FATAL(cr_proj_build(s, pts, n, F) == CR_OK);
}

/* Predicts at rank counts qs and sizes >= smin; the largest |relative error| and
 * the fraction of true values inside the interval. */
static void score_from(const cr_proj_series_t *s, truth_fn f, const int *qs, size_t nq,
                       double smin, double *max_err, double *cover)
{
    size_t n = 0, in = 0;
    *max_err = 0;
    for (size_t i = 0; i < nq; i++)
        for (double S = smin; S <= 4194304; S *= 4) {
            cr_proj_est_t e;
            double t = f(qs[i], S);
            CU_ASSERT_FATAL(cr_proj_predict(s, S, qs[i], &e) == 0);
            CU_ASSERT(isfinite(e.t) && e.t > 0 && e.t_lo <= e.t && e.t <= e.t_hi);
            if (fabs(e.t / t - 1) > *max_err) *max_err = fabs(e.t / t - 1);
            in += t >= e.t_lo && t <= e.t_hi;
            n++;
        }
    *cover = (double)in / (double)n;
}

static void score(const cr_proj_series_t *s, truth_fn f, const int *qs, size_t nq,
                  double *max_err, double *cover)
{
    score_from(s, f, qs, nq, 65536, max_err, cover);
}

static void test_ring_families_and_accuracy(void)
{
    static const int ps[] = { 2, 3, 4, 6 }, qs[] = { 8, 16, 64 };
    cr_proj_series_t s;
    cr_proj_loo_t l;
    double err, cover;
    build(&s, ring_ag, F_ag, ps, 4, 2, 0.02);
    CU_ASSERT_EQUAL(s.nc, 4);
    CU_ASSERT(s.validated);
    CU_ASSERT_EQUAL(s.fb, CR_PROJ_BUS);     /* busbw constant in p: F(p) */
    CU_ASSERT_EQUAL(s.fa, CR_PROJ_LIN);     /* α per ring step: p - 1 */
    CU_ASSERT(s.run_dof > 0);
    CU_ASSERT(s.sigma_run > 0.005 && s.sigma_run < 0.05);
    score(&s, ring_ag, qs, 3, &err, &cover);
    CU_ASSERT(err < 0.08);
    CU_ASSERT(cover >= 0.9);
    CU_ASSERT(cr_proj_loo(&s, 65536, &l) == 0);
    CU_ASSERT(l.n > 0 && l.med_abs_err < 0.05 && l.coverage >= 0.9);
    cr_proj_free(&s);
    build(&s, ring_ar, F_ar, ps, 4, 2, 0.02);
    CU_ASSERT_EQUAL(s.fb, CR_PROJ_BUS);
    score(&s, ring_ar, qs, 3, &err, &cover);
    CU_ASSERT(err < 0.08);
    CU_ASSERT(cover >= 0.9);
    cr_proj_free(&s);
}

static void test_bandwidth_falling_with_p(void)
{
    static const int ps[] = { 2, 3, 4, 6 }, qs[] = { 8, 16 };
    cr_proj_series_t s;
    double err, cover;
    build(&s, linear_bw, F_ag, ps, 4, 2, 0.02);
    CU_ASSERT_EQUAL(s.fb, CR_PROJ_LIN);   /* the time per byte grows as p - 1 */
    /* where the bandwidth term is most of the time (α's family is another test's) */
    score_from(&s, linear_bw, qs, 2, 262144, &err, &cover);
    CU_ASSERT(err < 0.08);
    CU_ASSERT(cover >= 0.9);
    cr_proj_free(&s);
}

static void test_tree(void)
{
    static const int ps[] = { 2, 4, 8, 16 }, qs[] = { 32, 64, 256 };
    cr_proj_series_t s;
    double err, cover;
    build(&s, tree, F_ag, ps, 4, 2, 0.02);
    CU_ASSERT_EQUAL(s.fb, CR_PROJ_LOG2);
    score(&s, tree, qs, 3, &err, &cover);
    CU_ASSERT(err < 0.08);
    CU_ASSERT(cover >= 0.9);
    cr_proj_free(&s);
}

/* The interval widens with the distance from the measured rank counts; a measured
 * rank count is reproduced. */
static void test_interval_grows(void)
{
    static const int ps[] = { 2, 3, 4, 6 };
    cr_proj_series_t s;
    cr_proj_est_t e4, e8, e64, e1k;
    build(&s, ring_ag, F_ag, ps, 4, 1, 0.0);
    CU_ASSERT(cr_proj_predict(&s, 1048576, 4, &e4) == 0);
    CU_ASSERT(cr_proj_predict(&s, 1048576, 8, &e8) == 0);
    CU_ASSERT(cr_proj_predict(&s, 1048576, 64, &e64) == 0);
    CU_ASSERT(cr_proj_predict(&s, 1048576, 1024, &e1k) == 0);
    CU_ASSERT(e4.measured_p && !e8.measured_p);
    CU_ASSERT(fabs(e4.t / ring_ag(4, 1048576) - 1) < 1e-6);
    CU_ASSERT(e4.se < e8.se && e8.se < e64.se && e64.se < e1k.se);
    CU_ASSERT(!e8.warn && e64.warn && e1k.warn);   /* beyond 4x of p = 6 */
    CU_ASSERT(s.run_dof == 0 && s.sigma_run == CR_PROJ_SIGMA_RUN);   /* no repeats */
    cr_proj_free(&s);
}

/* σ_run from two launches whose times differ by a known factor everywhere. */
static void test_sigma_run_from_repeats(void)
{
    cr_proj_pt_t pts[64];
    size_t n = 0;
    cr_proj_series_t s;
    for (int l = 0; l < 2; l++)
        for (int p = 2; p <= 3; p++)
            for (double S = 1024; S <= 65536; S *= 4) {
                pts[n].ranks = p;
                pts[n].bytes = S;
                pts[n++].t = ring_ag(p, S) * exp(0.1 * l);
            }
    CU_ASSERT_FATAL(cr_proj_build(&s, pts, n, F_ag) == CR_OK);
    CU_ASSERT_EQUAL(s.run_dof, n / 2);
    CU_ASSERT_DOUBLE_EQUAL(s.sigma_run, 1.4826 * 0.1 / sqrt(2.0), 1e-9);
    CU_ASSERT(!s.validated);                       /* 2 rank counts: the prior */
    CU_ASSERT_EQUAL(s.fa, CR_PROJ_LOG2);
    CU_ASSERT_EQUAL(s.fb, CR_PROJ_BUS);
    CU_ASSERT_DOUBLE_EQUAL(s.sigma_lack[CR_PROJ_BW], CR_PROJ_SIGMA_LACK, 0);
    cr_proj_free(&s);
}

/* Never a negative or non-finite time: a steep series read far below its rank
 * counts is floored at its smallest measured time. */
static void test_never_negative(void)
{
    cr_proj_pt_t pts[64];
    size_t n = 0;
    cr_proj_series_t s;
    cr_proj_est_t e;
    for (int p = 16; p <= 64; p *= 2)
        for (double S = 1024; S <= 1048576; S *= 8) {
            pts[n].ranks = p;
            pts[n].bytes = S;
            pts[n++].t = 1000.0 * p - 15000 + S / 1000;   /* falls fast toward small p */
        }
    CU_ASSERT_FATAL(cr_proj_build(&s, pts, n, F_ag) == CR_OK);
    CU_ASSERT(cr_proj_predict(&s, 1024, 2, &e) == 0);
    CU_ASSERT(isfinite(e.t) && e.t > 0 && isfinite(e.t_lo) && e.t_lo > 0 && isfinite(e.t_hi));
    cr_proj_free(&s);
}

static void test_fixed_dimension(void)
{
    int fn, fq;
    cr_proj_fixed("world", 2, 4, &fn, &fq);
    CU_ASSERT(fn == 0 && fq == 4);           /* across hosts: ppn fixed */
    cr_proj_fixed("rail", 8, 2, &fn, &fq);
    CU_ASSERT(fn == 0 && fq == 2);
    cr_proj_fixed("world", 1, 16, &fn, &fq);
    CU_ASSERT(fn == 1 && fq == 0);           /* one host: the node count fixed */
    cr_proj_fixed("node", 4, 8, &fn, &fq);
    CU_ASSERT(fn == 4 && fq == 0);
}

/* A fit set holding two topologies at one rank count: two series, never mixed. */
static void test_series_never_mix_topologies(void)
{
    cr_fit_set_t set;
    cr_fit_pseries_t *ps;
    size_t nps;
    static const int topo[][2] = { { 2, 1 }, { 4, 1 }, { 8, 1 }, { 2, 2 }, { 4, 2 } };
    cr_fit_set_init(&set);
    for (size_t k = 0; k < 5; k++)
        for (double S = 1024; S <= 1048576; S *= 4) {
            cr_fit_row_t r;
            memset(&r, 0, sizeof r);
            strcpy(r.collective, "allgather");
            strcpy(r.level, "world");
            strcpy(r.cadence, "isolated");
            strcpy(r.dtype, "float");
            r.nodes = topo[k][0];
            r.ppn = topo[k][1];
            r.ranks = r.nodes * r.ppn;
            r.bytes = (uint64_t)S;
            /* ppn 2 shares each host's link: twice the time */
            r.t_med = r.t_lo = r.t_hi = ring_ag(r.ranks, S) * r.ppn;
            r.faults = NAN;
            CU_ASSERT_FATAL(cr_fit_set_add(&set, &r) == CR_OK);
        }
    cr_fit_set_finish(&set);
    CU_ASSERT_FATAL(cr_fit_pseries_build(&set, &ps, &nps) == CR_OK);
    CU_ASSERT_EQUAL_FATAL(nps, 2);
    for (size_t i = 0; i < nps; i++) {
        CU_ASSERT_EQUAL(ps[i].fixed_nodes, 0);
        if (ps[i].fixed_ppn == 1) {
            CU_ASSERT(ps[i].s.nc == 3 && ps[i].s.c[0].ranks == 2 && ps[i].s.c[2].ranks == 8);
            CU_ASSERT(ps[i].has_loo);
        } else {
            CU_ASSERT_EQUAL(ps[i].fixed_ppn, 2);
            CU_ASSERT(ps[i].s.nc == 2 && ps[i].s.c[0].ranks == 4 && ps[i].s.c[1].ranks == 8);
            CU_ASSERT(!ps[i].has_loo);
        }
    }
    cr_fit_pseries_free(ps, nps);
    cr_fit_set_free(&set);
}

CU_TestInfo test_fit_proj_tests[] = {
    { "ring: F(p) and p-1 chosen, 64x out within 8%", test_ring_families_and_accuracy },
    { "busbw falling as 1/p: p-1 chosen", test_bandwidth_falling_with_p },
    { "tree: log2 chosen, 16x out within 8%", test_tree },
    { "interval widens with distance, warns beyond 4x", test_interval_grows },
    { "run-to-run sigma from repeated launches", test_sigma_run_from_repeats },
    { "never negative or non-finite", test_never_negative },
    { "fixed dimension per level", test_fixed_dimension },
    { "topologies are never mixed", test_series_never_mix_topologies },
    CU_TEST_INFO_NULL,
};
