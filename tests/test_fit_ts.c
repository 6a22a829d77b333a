/* collroof-fit Theil–Sen by selection against the O(n²) enumeration it replaces:
 * the same doubles on random data sets of every shape (fixed seeds), the same
 * errors on the edge cases. */
#include "config.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit_model.h"
#include "fit_special.h"

/* Shapes of x and y. */
typedef enum { TS_X_GEOM, TS_X_TIES, TS_X_RANDOM, TS_X_FEW } ts_xkind_t;
typedef enum { TS_Y_HOCKNEY, TS_Y_WIDE, TS_Y_NEG, TS_Y_DUPS, TS_Y_STEPS } ts_ykind_t;

typedef struct ts_case {
    const char *what;
    ts_xkind_t xk;
    ts_ykind_t yk;
    int must_select;        /* the selection answers itself (no enumeration) for n > 64 */
} ts_case_t;

static const ts_case_t ts_cases[] = {
    { "geometric sizes, Hockney, 3% noise + outliers", TS_X_GEOM, TS_Y_HOCKNEY, 1 },
    { "integer x with ties, Hockney", TS_X_TIES, TS_Y_HOCKNEY, 1 },
    { "random x, y from 1e-3 to 1e6", TS_X_RANDOM, TS_Y_WIDE, 1 },
    { "geometric sizes, y from 1e-3 to 1e6", TS_X_GEOM, TS_Y_WIDE, 1 },
    { "random x, negative slope", TS_X_RANDOM, TS_Y_NEG, 1 },
    { "x with ties, duplicate points", TS_X_TIES, TS_Y_DUPS, 0 },
    { "three distinct x, negative slope", TS_X_FEW, TS_Y_NEG, 0 },
    { "integer x with ties, y on a few levels", TS_X_TIES, TS_Y_STEPS, 0 },
};

/* Data made by the test itself; the enumeration may answer. */
static const ts_case_t ts_given = { "given data", TS_X_GEOM, TS_Y_HOCKNEY, 0 };

static void ts_make(const ts_case_t *c, size_t n, uint64_t seed, double *x, double *y)
{
    cr_fit_rng_t r;
    cr_fit_rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        double z = cr_fit_rng_normal(&r), u = cr_fit_rng_u01(&r);
        switch (c->xk) {
        case TS_X_GEOM: x[i] = 8 * pow(2.0, 24.0 * (double)i / (double)n); break;
        case TS_X_TIES: x[i] = (double)(1 + cr_fit_rng_below(&r, n / 4 + 2)) * 1024; break;
        case TS_X_RANDOM: x[i] = 1e6 * cr_fit_rng_u01(&r); break;
        case TS_X_FEW: x[i] = (double)cr_fit_rng_below(&r, 3) * 0.5 - 7; break;
        }
        switch (c->yk) {
        case TS_Y_HOCKNEY:
            y[i] = (3 + x[i] / 5000) * exp(0.03 * z) * (u < 0.02 ? 3 : 1);
            break;
        case TS_Y_WIDE: y[i] = 1e-3 * pow(1e9, u) * (1 + x[i] * 1e-7); break;
        case TS_Y_NEG: y[i] = 50 - 3e-5 * x[i] + 4 * z; break;
        case TS_Y_DUPS:
            if (i > 0 && u < 0.3) {
                size_t j = (size_t)cr_fit_rng_below(&r, i);
                x[i] = x[j];
                y[i] = y[j];
            } else {
                y[i] = 2 + x[i] / 3000 + z;
            }
            break;
        case TS_Y_STEPS: y[i] = (double)(1 + cr_fit_rng_below(&r, 4)); break;
        }
    }
}

/* The same double, a zero's sign aside (which ±0 the enumeration's quickselect
 * returns depends on where it left them). */
static int ts_same(double a, double b)
{
    if (a == 0 && b == 0) return 1;
    if (isnan(a) && isnan(b)) return 1;
    return memcmp(&a, &b, sizeof a) == 0;
}

static int ts_compare(const ts_case_t *c, size_t n, uint64_t seed, const double *x,
                      const double *y)
{
    cr_fit_line_t ref, sel = { 0 }, pub = { 0 };
    int rr = cr_fit_line_theil_sen_pairs(x, y, n, &ref);
    int rs = cr_fit_line_theil_sen_select(x, y, n, &sel);
    int rp = cr_fit_line_theil_sen(x, y, n, &pub);
    int ok = rr == rp && (rs == rr || rs == 1);
    if (ok && rr == 0)
        ok = ts_same(pub.alpha, ref.alpha) && ts_same(pub.beta, ref.beta) &&
             isnan(pub.rel_med) && (rs == 1 || (ts_same(sel.alpha, ref.alpha) &&
                                                ts_same(sel.beta, ref.beta)));
    if (c->must_select && n > 64 && rs != 0) ok = 0;
    if (!ok)
        printf("\n  %s, n %zu, seed %llu: rc %d/%d/%d, beta %.17g / %.17g, alpha %.17g / %.17g",
               c->what, n, (unsigned long long)seed, rr, rs, rp, ref.beta, sel.beta,
               ref.alpha, sel.alpha);
    return ok;
}

/* Every shape at n from 2 to 3000, several seeds where n is small. */
static void test_ts_random(void)
{
    static const size_t ns[] = { 2, 3, 4, 5, 8, 17, 64, 65, 66, 100, 127, 255, 500, 1024, 3000 };
    size_t nmax = 3000, bad = 0, runs = 0;
    double *x = malloc(nmax * sizeof *x), *y = malloc(nmax * sizeof *y);
    CU_ASSERT_FATAL(x && y);
    for (size_t ci = 0; ci < sizeof ts_cases / sizeof *ts_cases; ci++)
        for (size_t ni = 0; ni < sizeof ns / sizeof *ns; ni++) {
            uint64_t seeds = ns[ni] <= 128 ? 12 : ns[ni] <= 1024 ? 3 : 1;
            for (uint64_t s = 1; s <= seeds; s++) {
                uint64_t seed = 1000 * ci + 17 * ns[ni] + s;
                ts_make(&ts_cases[ci], ns[ni], seed, x, y);
                bad += !ts_compare(&ts_cases[ci], ns[ni], seed, x, y);
                runs++;
            }
        }
    if (bad) printf("\n  %zu of %zu data sets differ", bad, runs);
    CU_ASSERT_EQUAL(bad, 0);
    free(x);
    free(y);
}

/* Odd and even slope counts around a dense middle: a slope grid where many pairs
 * sit a few ulps apart, and exact lines (all slopes within rounding). */
static void test_ts_dense_middle(void)
{
    static const size_t ns[] = { 65, 200, 999, 1000 };
    size_t bad = 0;
    double *x = malloc(1000 * sizeof *x), *y = malloc(1000 * sizeof *y);
    CU_ASSERT_FATAL(x && y);
    for (size_t ni = 0; ni < sizeof ns / sizeof *ns; ni++) {
        size_t n = ns[ni];
        cr_fit_rng_t r;
        cr_fit_rng_seed(&r, n);
        for (size_t i = 0; i < n; i++) {
            x[i] = (double)i * 0.1 + 3;
            y[i] = 7 + x[i] / 3;   /* exact line, rounded */
        }
        bad += !ts_compare(&ts_given, n, 0, x, y);
        for (size_t i = 0; i < n; i++) y[i] += 1e-13 * cr_fit_rng_normal(&r);
        bad += !ts_compare(&ts_given, n, 1, x, y);
        for (size_t i = 0; i < n; i++) y[i] = (double)(i % 7) + (double)(i / 7) * 0.25;
        bad += !ts_compare(&ts_given, n, 2, x, y);
    }
    CU_ASSERT_EQUAL(bad, 0);
    free(x);
    free(y);
}

/* Edge cases: n = 2, one or no distinct x, non-finite input. */
static void test_ts_edges(void)
{
    double x2[] = { 8, 16 }, y2[] = { 3, 5 };
    double *x = malloc(300 * sizeof *x), *y = malloc(300 * sizeof *y);
    cr_fit_line_t l = { 0 }, ref;
    CU_ASSERT_FATAL(x && y);
    CU_ASSERT_EQUAL(cr_fit_line_theil_sen(x2, y2, 2, &l), 0);
    CU_ASSERT_EQUAL(l.beta, 2.0 / 8.0);
    CU_ASSERT_EQUAL(cr_fit_line_theil_sen(x2, y2, 1, &l), -1);
    CU_ASSERT_EQUAL(cr_fit_line_theil_sen_select(x2, y2, 1, &l), -1);
    for (size_t i = 0; i < 300; i++) {
        x[i] = 4096;
        y[i] = (double)i;
    }
    CU_ASSERT_EQUAL(cr_fit_line_theil_sen(x, y, 2, &l), -1);
    CU_ASSERT_EQUAL(cr_fit_line_theil_sen(x, y, 300, &l), -1);
    CU_ASSERT_EQUAL(cr_fit_line_theil_sen_select(x, y, 300, &l), -1);
    x[150] = 8192;   /* one distinct x: 299 slopes */
    CU_ASSERT_EQUAL(ts_compare(&ts_given, 300, 0, x, y), 1);
    CU_ASSERT_EQUAL(cr_fit_line_theil_sen_pairs(x, y, 300, &ref), 0);
    y[7] = NAN;      /* the enumeration answers whatever it answers */
    CU_ASSERT_EQUAL(cr_fit_line_theil_sen_select(x, y, 300, &l), 1);
    CU_ASSERT_EQUAL(ts_compare(&ts_given, 300, 1, x, y), 1);
    free(x);
    free(y);
}

CU_TestInfo test_fit_ts_tests[] = {
    { "random data sets: the enumeration's doubles", test_ts_random },
    { "dense middle, exact lines", test_ts_dense_middle },
    { "n = 2, all x equal, non-finite", test_ts_edges },
    CU_TEST_INFO_NULL,
};
