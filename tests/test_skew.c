/* Unit tests of the skewed routing generator (src/common/cr_skew.c), without MPI. */
#include "config.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cr_skew.h"
#include "cu_main.h"

#define MAXP 64

static cr_skew_t skew(const char *spec, uint64_t seed)
{
    cr_skew_t sk;
    char err[256];
    cr_skew_default(&sk);
    sk.seed = seed;
    CU_ASSERT_EQUAL_FATAL(cr_skew_parse(spec, &sk, err, sizeof err), CR_OK);
    return sk;
}

static uint64_t sum(const uint64_t *c, int p)
{
    uint64_t s = 0;
    for (int d = 0; d < p; d++) s += c[d];
    return s;
}

/* Specs, each parsed and checked against p; bad ones name the value. */
static void test_parse(void)
{
    static const struct { const char *spec; int p; int ok; } cases[] = {
        {"uniform", 4, 1}, {"zipf:1.2", 4, 1}, {"zipf:0", 4, 1}, {"hot:1.0:1", 4, 1},
        {"hot:0.5:4", 4, 1}, {"hot:0:1", 4, 1},
        {"zipf:-1", 4, 0}, {"zipf:", 4, 0}, {"zipf:1.2x", 4, 0}, {"zipf:nan", 4, 0},
        {"zipf: 1", 4, 0}, {"hot:2:1", 4, 0}, {"hot:-0.1:1", 4, 0}, {"hot:0.5:0", 4, 0},
        {"hot:0.5:1.5", 4, 0}, {"hot:0.5", 4, 0}, {"hot:0.5:99", 4, 0}, {"foo", 4, 0},
        {"", 4, 0}, {"Uniform", 4, 0}, {"zipf:1,2", 4, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_skew_t sk;
        char err[256] = "";
        int ok;
        cr_skew_default(&sk);
        ok = cr_skew_parse(cases[i].spec, &sk, err, sizeof err) == CR_OK &&
             cr_skew_fits(&sk, cases[i].p, err, sizeof err) == 0;
        CU_ASSERT_EQUAL(ok, cases[i].ok);
        if (!ok) CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].spec));
        if (ok) CU_ASSERT_STRING_EQUAL(sk.spec, cases[i].spec);
        if (ok != cases[i].ok) fprintf(stderr, "\n%s: %s\n", cases[i].spec, err);
    }
}

/* Every rank's counts sum exactly to its total, for many p, totals and specs. */
static void test_counts_sum_exactly(void)
{
    static const char *specs[] = {"uniform", "zipf:1.2", "zipf:3", "hot:0.7:2", "hot:1.0:1"};
    static const uint64_t totals[] = {0, 1, 3, 17, 4095, 4096, 4097, 1000003, (uint64_t)1 << 40};
    uint64_t c[MAXP], recv[MAXP];
    for (size_t s = 0; s < sizeof specs / sizeof *specs; s++)
        for (int p = 1; p <= 9; p++)
            for (size_t t = 0; t < sizeof totals / sizeof *totals; t++) {
                cr_skew_t sk = skew(specs[s], 7);
                for (int r = 0; r < p; r++) {
                    CU_ASSERT_EQUAL_FATAL(cr_skew_counts(&sk, p, r, totals[t], c), CR_OK);
                    CU_ASSERT_EQUAL(sum(c, p), totals[t]);
                }
                CU_ASSERT_EQUAL_FATAL(cr_skew_recv(&sk, p, totals[t], recv), CR_OK);
                CU_ASSERT_EQUAL(sum(recv, p), totals[t] * (uint64_t)p);
            }
}

/* The same seed gives the same counts; another seed other counts; recv is the
 * column sum of every rank's counts. */
static void test_determinism(void)
{
    cr_skew_t a = skew("zipf:1.2", 42), b = skew("zipf:1.2", 42), c = skew("zipf:1.2", 43);
    uint64_t x[16], y[16], z[16], cols[16] = {0}, recv[16];
    int differ = 0;
    for (int r = 0; r < 16; r++) {
        cr_skew_counts(&a, 16, r, 1 << 20, x);
        cr_skew_counts(&b, 16, r, 1 << 20, y);
        cr_skew_counts(&c, 16, r, 1 << 20, z);
        CU_ASSERT_EQUAL(memcmp(x, y, sizeof x), 0);
        differ += memcmp(x, z, sizeof x) != 0;
        for (int d = 0; d < 16; d++) cols[d] += x[d];
    }
    CU_ASSERT_EQUAL(differ, 16);
    cr_skew_recv(&a, 16, 1 << 20, recv);
    CU_ASSERT_EQUAL(memcmp(recv, cols, sizeof recv), 0);
    /* ranks draw different tokens (per-rank streams) */
    cr_skew_counts(&a, 16, 0, 1 << 20, x);
    cr_skew_counts(&a, 16, 1, 1 << 20, y);
    CU_ASSERT_NOT_EQUAL(memcmp(x, y, sizeof x), 0);
}

/* zipf:0 routes exactly as uniform does for the same seed. */
static void test_zipf0_is_uniform(void)
{
    for (int p = 1; p <= 12; p++)
        for (uint64_t seed = 1; seed <= 5; seed++) {
            cr_skew_t u = skew("uniform", seed), z = skew("zipf:0", seed);
            uint64_t cu[MAXP], cz[MAXP];
            double wu[MAXP], wz[MAXP];
            for (int r = 0; r < p; r++) {
                cr_skew_counts(&u, p, r, 123457, cu);
                cr_skew_counts(&z, p, r, 123457, cz);
                CU_ASSERT_EQUAL(memcmp(cu, cz, (size_t)p * sizeof *cu), 0);
            }
            cr_skew_shares(&u, p, wu);
            cr_skew_shares(&z, p, wz);
            for (int d = 0; d < p; d++) CU_ASSERT_DOUBLE_EQUAL(wz[d], 1.0 / p, 1e-15);
            CU_ASSERT_EQUAL(memcmp(wu, wz, (size_t)p * sizeof *wu), 0);
        }
}

/* hot:1.0:1: every element of every rank goes to one rank, the hottest of the
 * seed's permutation; it receives p·total. */
static void test_hot_all_to_one(void)
{
    for (int p = 1; p <= 9; p++)
        for (uint64_t seed = 1; seed <= 4; seed++) {
            cr_skew_t sk = skew("hot:1.0:1", seed);
            int perm[MAXP];
            uint64_t c[MAXP], recv[MAXP];
            cr_skew_perm(&sk, p, perm);
            for (int r = 0; r < p; r++) {
                cr_skew_counts(&sk, p, r, 1000, c);
                CU_ASSERT_EQUAL(c[perm[0]], 1000);
            }
            cr_skew_recv(&sk, p, 1000, recv);
            CU_ASSERT_EQUAL(recv[perm[0]], 1000 * (uint64_t)p);
        }
    {   /* the hot rank depends on the seed: not always rank 0 */
        int seen[8] = {0}, perm[8], kinds = 0;
        for (uint64_t seed = 1; seed <= 64; seed++) {
            cr_skew_t sk = skew("hot:1.0:1", seed);
            cr_skew_perm(&sk, 8, perm);
            seen[perm[0]] = 1;
        }
        for (int d = 0; d < 8; d++) kinds += seen[d];
        CU_ASSERT(kinds >= 6);
    }
}

/* Expected shares: zipf ∝ 1/k^S over popularity ranks; hot F/K + (1−F)/p. */
static void test_shares(void)
{
    cr_skew_t z = skew("zipf:1.2", 9), h = skew("hot:0.6:2", 9);
    int perm[8];
    double w[8], H = 0;
    for (int k = 1; k <= 8; k++) H += pow(k, -1.2);
    cr_skew_shares(&z, 8, w);
    cr_skew_perm(&z, 8, perm);
    for (int k = 0; k < 8; k++) CU_ASSERT_DOUBLE_EQUAL(w[perm[k]], pow(k + 1, -1.2) / H, 1e-12);
    cr_skew_shares(&h, 8, w);
    cr_skew_perm(&h, 8, perm);
    for (int k = 0; k < 8; k++)
        CU_ASSERT_DOUBLE_EQUAL(w[perm[k]], (k < 2 ? 0.3 : 0.0) + 0.4 / 8, 1e-12);
}

/* Moments over many seeds: the mean share of each destination is within 5 standard
 * errors of its expected share w (a multinomial of T tokens: variance w(1−w)/T per
 * draw, over M draws w(1−w)/(T·M)), plus 1/total for rounding; the variance of the
 * share is within 25% of w(1−w)/T (M = 800: its relative standard error is about
 * √(2/M) = 5%). */
static void test_moments(void)
{
    static const char *specs[] = {"uniform", "zipf:1.2", "hot:0.5:2"};
    const int p = 6, M = 800;
    const uint64_t total = 1 << 22;
    const double T = CR_SKEW_TOKENS;
    for (size_t s = 0; s < sizeof specs / sizeof *specs; s++) {
        double w[6], m1[6] = {0}, m2[6] = {0};
        uint64_t c[6];
        cr_skew_t sk = skew(specs[s], 1);
        for (int i = 0; i < M; i++) {   /* seeds differ, so do permutations: by popularity rank */
            double ws[6];
            int perm[6];
            sk.seed = 1000 + (uint64_t)i;
            cr_skew_counts(&sk, p, i % p, total, c);
            cr_skew_shares(&sk, p, ws);
            cr_skew_perm(&sk, p, perm);
            for (int k = 0; k < p; k++) {
                double x = (double)c[perm[k]] / (double)total;
                m1[k] += x;
                m2[k] += x * x;
                w[k] = ws[perm[k]];
            }
        }
        for (int k = 0; k < p; k++) {
            double mean = m1[k] / M, var = m2[k] / M - mean * mean, v = w[k] * (1 - w[k]) / T;
            CU_ASSERT(fabs(mean - w[k]) <= 5 * sqrt(v / M) + 1.0 / (double)total);
            CU_ASSERT(fabs(var / v - 1) <= 0.25);
            if (fabs(mean - w[k]) > 5 * sqrt(v / M) || fabs(var / v - 1) > 0.25)
                fprintf(stderr, "\n%s k=%d: mean %g want %g, var %g want %g\n", specs[s], k, mean,
                        w[k], var, v);
        }
    }
}

/* Fewer elements than tokens: one token per element, counts are the tokens. */
static void test_small_totals(void)
{
    cr_skew_t sk = skew("zipf:2", 3);
    uint64_t c[4];
    CU_ASSERT_EQUAL(cr_skew_tokens(10), 10);
    CU_ASSERT_EQUAL(cr_skew_tokens(1 << 20), CR_SKEW_TOKENS);
    cr_skew_counts(&sk, 4, 2, 0, c);
    CU_ASSERT_EQUAL(sum(c, 4), 0);
    cr_skew_counts(&sk, 4, 2, 1, c);
    CU_ASSERT_EQUAL(sum(c, 4), 1);
}

static CU_TestInfo skew_tests[] = {
    {"specs: good ones parse, bad ones name the value", test_parse},
    {"counts sum exactly to the total", test_counts_sum_exactly},
    {"same seed same counts, other seed other counts", test_determinism},
    {"zipf:0 equals uniform", test_zipf0_is_uniform},
    {"hot:1.0:1 sends everything to one rank", test_hot_all_to_one},
    {"expected shares", test_shares},
    {"moments approach the expected shares", test_moments},
    {"totals below the token count", test_small_totals},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {
    {"skew", NULL, NULL, NULL, NULL, skew_tests},
    CU_SUITE_INFO_NULL,
};

int main(void) { return cu_run(suites); }
