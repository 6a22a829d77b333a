/* The hierarchical leader family (cr_fit_predict_hier) on a fit written down with
 * known α and r∞ per group, so that every phase and their sum are exact: the node
 * reduce and gather priced by their own node fits when the fit has them, by the node
 * bcast and allgather ("priced as") when it does not, and refused when it has neither. */
#include "config.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <string.h>
#include "cr_error.h"
#include "fit_predict.h"

enum { N = 8, Q = 4 };                       /* nodes × ppn of the queries */
#define S (1u << 20)                         /* bytes of the queries */

/* One group of the synthetic fit: t = alpha + S / (rinf · 1e3) µs at every size. */
typedef struct hier_fit {
    const char *collective, *level;
    int ranks, nodes;
    double alpha, rinf;                      /* µs, GB/s */
} hier_fit_t;

static const hier_fit_t hier_fits[] = {
    { "bcast", "node", Q, 1, 5, 2.0 },
    { "reduce", "node", Q, 1, 7, 1.5 },
    { "gather", "node", Q, 1, 9, 1.0 },
    { "allgather", "node", Q, 1, 11, 0.8 },
    { "allreduce", "internode", N, N, 30, 0.5 },
    { "allgather", "internode", N, N, 40, 0.4 },
};
#define NFITS (sizeof hier_fits / sizeof *hier_fits)

static double hier_t(const char *c, const char *lv, double bytes)
{
    for (size_t i = 0; i < NFITS; i++)
        if (!strcmp(hier_fits[i].collective, c) && !strcmp(hier_fits[i].level, lv))
            return hier_fits[i].alpha + bytes / (hier_fits[i].rinf * 1e3);
    return NAN;
}

/* The fit's rows, without the collectives named in `without` (comma list). */
static size_t hier_model(cr_fit_model_row_t *rows, const char *without, cr_fit_model_t *m)
{
    size_t n = 0;
    for (size_t i = 0; i < NFITS; i++) {
        const hier_fit_t *f = &hier_fits[i];
        char key[64];
        snprintf(key, sizeof key, ",%s,", f->collective);
        if (without && strstr(without, key)) continue;
        rows[n] = (cr_fit_model_row_t){ .ranks = f->ranks, .segment = 1, .nodes = f->nodes,
                                        .ppn = Q, .bytes_lo = 8, .bytes_hi = 64 << 20,
                                        .alpha = f->alpha, .alpha_lo = f->alpha,
                                        .alpha_hi = f->alpha, .rinf = f->rinf,
                                        .rinf_lo = f->rinf, .rinf_hi = f->rinf, .F = 1,
                                        .rel_err = NAN };
        strcpy(rows[n].collective, f->collective);
        strcpy(rows[n].level, f->level);
        strcpy(rows[n].cadence, "isolated");
        n++;
    }
    *m = (cr_fit_model_t){ .rows = rows, .n = n };
    return n;
}

static int hier_close(double a, double b) { return fabs(a - b) <= 1e-12 * fabs(b); }

static void hier_check_phase(const cr_fit_phase_t *ph, const char *op, const char *c,
                             const char *lv, int ranks, uint64_t bytes)
{
    CU_ASSERT_STRING_EQUAL(ph->op, op);
    CU_ASSERT_STRING_EQUAL(ph->collective, c);
    CU_ASSERT_STRING_EQUAL(ph->level, lv);
    CU_ASSERT_EQUAL(ph->ranks, ranks);
    CU_ASSERT_EQUAL(ph->bytes, bytes);
    CU_ASSERT(hier_close(ph->pr.t, hier_t(c, lv, (double)bytes)));
}

/* allreduce: node reduce(S) + internode allreduce(S) + node bcast(S); the node
 * reduce by the reduce fit, else by the bcast fit. */
static void test_hier_leader_reduce(void)
{
    cr_fit_model_row_t rows[NFITS];
    cr_fit_model_t m;
    cr_fit_hier_t h;
    cr_fit_query_t q = { .collective = "allreduce", .bytes = S, .ranks = N * Q, .nodes = N,
                         .ppn = Q, .hier_alg = CR_FIT_HIER_LEADER };
    char why[256];
    for (int with = 1; with >= 0; with--) {
        const char *c = with ? "reduce" : "bcast";
        double want = hier_t(c, "node", S) + hier_t("allreduce", "internode", S) +
                      hier_t("bcast", "node", S);
        hier_model(rows, with ? NULL : ",reduce,", &m);
        CU_ASSERT_EQUAL_FATAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_OK);
        CU_ASSERT_EQUAL_FATAL(h.nph, 3);
        hier_check_phase(&h.ph[0], "reduce", c, "node", Q, S);
        hier_check_phase(&h.ph[1], "allreduce", "allreduce", "internode", N, S);
        hier_check_phase(&h.ph[2], "bcast", "bcast", "node", Q, S);
        CU_ASSERT(hier_close(h.t, want));
        CU_ASSERT(h.t_lo <= h.t && h.t <= h.t_hi);
    }
    hier_model(rows, ",reduce,bcast,", &m);           /* neither: refused, saying what */
    CU_ASSERT_EQUAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_ERR_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no node-level reduce fit with 4 ranks, nor bcast"));
}

/* allgather: node gather(S/N) + internode allgather(S) + node bcast(S); the node
 * gather by the gather fit, else by the allgather fit of the same output. */
static void test_hier_leader_gather(void)
{
    cr_fit_model_row_t rows[NFITS];
    cr_fit_model_t m;
    cr_fit_hier_t h;
    cr_fit_query_t q = { .collective = "allgather", .bytes = S, .ranks = N * Q, .nodes = N,
                         .ppn = Q, .hier_alg = CR_FIT_HIER_LEADER };
    char why[256];
    for (int with = 1; with >= 0; with--) {
        const char *c = with ? "gather" : "allgather";
        double want = hier_t(c, "node", S / N) + hier_t("allgather", "internode", S) +
                      hier_t("bcast", "node", S);
        hier_model(rows, with ? NULL : ",gather,", &m);
        CU_ASSERT_EQUAL_FATAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_OK);
        CU_ASSERT_EQUAL_FATAL(h.nph, 3);
        hier_check_phase(&h.ph[0], "gather", c, "node", Q, S / N);
        hier_check_phase(&h.ph[1], "allgather", "allgather", "internode", N, S);
        hier_check_phase(&h.ph[2], "bcast", "bcast", "node", Q, S);
        CU_ASSERT(hier_close(h.t, want));
    }
}

/* reduce and gather themselves: no hierarchical model in either family, said why. */
static void test_hier_rooted_refused(void)
{
    static const char *const colls[] = { "reduce", "gather" };
    cr_fit_model_row_t rows[NFITS];
    cr_fit_model_t m;
    cr_fit_hier_t h;
    char why[256];
    hier_model(rows, NULL, &m);
    for (size_t k = 0; k < 2; k++)
        for (int alg = CR_FIT_HIER_RAIL; alg <= CR_FIT_HIER_LEADER; alg++) {
            cr_fit_query_t q = { .collective = colls[k], .bytes = S, .ranks = N * Q,
                                 .nodes = N, .ppn = Q, .hier_alg = alg };
            why[0] = '\0';
            CU_ASSERT_EQUAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_ERR_INVAL);
            CU_ASSERT_PTR_NOT_NULL(strstr(why, "rooted"));
        }
}

CU_TestInfo test_fit_hier_tests[] = {
    { "leader allreduce: node reduce by its fit, else priced as bcast", test_hier_leader_reduce },
    { "leader allgather: node gather by its fit, else priced as allgather",
      test_hier_leader_gather },
    { "reduce, gather: no hierarchical model", test_hier_rooted_refused },
    CU_TEST_INFO_NULL,
};
