/* What-if fabrics: which value applies to a fit at a level (cr_fit_query_whatif),
 * the per-level option parser, and predict --grid's parser and point order. Tables. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cu_main.h"
#include "fit_cmd.h"
#include "fit_grid.h"

typedef struct {
    const char *levels;     /* --level-GBps spec, "" none */
    double link;            /* --link-GBps, 0 none */
    const char *level;      /* the fit's level */
    int nodes;              /* hosts its groups span */
    double want;            /* GB/s applied, 0 none */
} whatif_case_t;

static const whatif_case_t whatif_cases[] = {
    { "", 0, "rail", 3, 0 },
    { "", 25, "node", 1, 25 },                     /* the global: any level */
    { "rail=50", 25, "rail", 3, 50 },              /* the level's own wins */
    { "rail=50", 25, "internode", 3, 25 },
    { "internode=40", 0, "rail", 3, 40 },          /* internode reaches rail */
    { "internode=40", 0, "world", 3, 40 },         /* ... and world over hosts */
    { "internode=40", 0, "world", 1, 0 },          /* not world on one host */
    { "internode=40", 25, "world", 1, 25 },
    { "internode=40", 0, "node", 3, 0 },           /* never a level within a node */
    { "internode=40,rail=80", 0, "rail", 3, 80 },  /* the narrowest wins */
    { "numa=100", 0, "numa", 1, 100 },
    { "internode=40", 0, "internode", 2, 40 },     /* a probe's distance class */
    { "node=7", 0, "package", 1, 0 },
};

static void test_whatif_precedence(void)
{
    for (size_t i = 0; i < sizeof whatif_cases / sizeof *whatif_cases; i++) {
        const whatif_case_t *c = &whatif_cases[i];
        cr_fit_query_t q, mq;
        char err[256];
        double g, l;
        memset(&q, 0, sizeof q);
        q.link_GBps = c->link;
        if (c->levels[0])
            CU_ASSERT_EQUAL_FATAL(cr_fit_level_values("--level-GBps", c->levels, q.level_GBps,
                                                      err, sizeof err), CR_OK);
        cr_fit_query_whatif(&q, c->level, c->nodes, &g, &l);
        CU_ASSERT_DOUBLE_EQUAL(g, c->want, 1e-12);
        CU_ASSERT_EQUAL(l, 0);
        if (g != c->want) printf("\n  case %zu: %s at %s over %d: %g, want %g\n", i, c->levels,
                                 c->level, c->nodes, g, c->want);
        CU_ASSERT_EQUAL(cr_fit_query_has_whatif(&q), c->levels[0] || c->link > 0);
        cr_fit_query_measured(&q, &mq);
        CU_ASSERT_EQUAL(cr_fit_query_has_whatif(&mq), 0);
    }
}

typedef struct {
    const char *spec;
    int ok;
    const char *err;        /* a part of the message when refused */
} spec_case_t;

static const spec_case_t level_specs[] = {
    { "rail=50", 1, NULL },
    { "rail=50,internode=12.5", 1, NULL },
    { "world=1e3", 1, NULL },
    { "rail", 0, "expected LEVEL=VALUE" },
    { "nic=5", 0, "level 'nic': expected one of world, node, package, numa, internode, rail" },
    { "rail=0", 0, "value '0' for level rail" },
    { "rail=-2", 0, "value '-2'" },
    { "rail=2GB", 0, "value '2GB'" },
    { "rail= 2", 0, "value ' 2'" },
    { "rail=nan", 0, "value 'nan'" },
    { "rail=0x10", 0, "value '0x10'" },
    { "rail=1e13", 0, "value '1e13'" },
    { ",rail=1", 0, "an empty item" },
    { "", 0, "expected LEVEL=VALUE" },
};

static void test_level_values(void)
{
    for (size_t i = 0; i < sizeof level_specs / sizeof *level_specs; i++) {
        const spec_case_t *c = &level_specs[i];
        double v[CR_LEVEL_COUNT] = { 0 };
        char err[256] = "";
        cr_status_t st = cr_fit_level_values("--level-GBps", c->spec, v, err, sizeof err);
        CU_ASSERT_EQUAL(st == CR_OK, c->ok);
        if (!c->ok) CU_ASSERT_PTR_NOT_NULL(strstr(err, c->err));
        if ((st == CR_OK) != c->ok || (!c->ok && !strstr(err, c->err)))
            printf("\n  '%s': %s\n", c->spec, err);
    }
}

typedef struct {
    const char *spec;
    size_t size;            /* points; 0: refused */
    const char *err;
} grid_case_t;

static const grid_case_t grid_cases[] = {
    { "nodes=2..1024", 10, NULL },
    { "nodes=2..1000", 9, NULL },                       /* B kept only when reached */
    { "nodes=4..32:+4", 8, NULL },
    { "nodes=1..81:x3", 5, NULL },
    { "nodes=2,4,ppn=1,8", 4, NULL },
    { "bytes=1M:1G:x4", 6, NULL },
    { "bytes=64K,1M:4M", 4, NULL },
    { "nodes=2..1024,ppn=8,bytes=1M:1G:x4,rail-GBps=25,50,100", 180, NULL },
    { "internode-latency-us=0.5..2:x2,link-GBps=10", 3, NULL },
    { "nodes=0", 0, "invalid --grid nodes value '0'" },
    { "nodes=2..", 0, "invalid --grid nodes range '2..'" },
    { "nodes=2..8:x", 0, "range '2..8:x'" },
    { "nodes=2..8:-1", 0, "range '2..8:-1'" },
    { "ppn=5000", 0, "expected at most 4096" },
    { "nodes=", 0, "no value after '='" },
    { "=3", 0, "invalid --grid field ''" },
    { "nodes=2,,4", 0, "an empty value" },
    { "rail-GBps=1..2:+0", 0, "range '1..2:+0'" },
    { "rail-GBps=fast", 0, "rail-GBps value 'fast'" },
    { "rail-latency=1", 0, "invalid --grid field 'rail-latency'" },
    { "bytes=0", 0, "invalid --grid bytes value '0'" },
    { "", 0, "expected FIELD=VALUES" },
};

static void test_grid_parse(void)
{
    for (size_t i = 0; i < sizeof grid_cases / sizeof *grid_cases; i++) {
        const grid_case_t *c = &grid_cases[i];
        cr_fit_grid_t g;
        char err[512] = "";
        cr_status_t st = cr_fit_grid_parse(c->spec, &g, err, sizeof err);
        CU_ASSERT_EQUAL(st == CR_OK, c->size > 0);
        if (st == CR_OK) CU_ASSERT_EQUAL(cr_fit_grid_size(&g), c->size);
        if (!c->size) CU_ASSERT_PTR_NOT_NULL(strstr(err, c->err));
        if ((st == CR_OK) != (c->size > 0) || (st == CR_OK && cr_fit_grid_size(&g) != c->size) ||
            (!c->size && !strstr(err, c->err)))
            printf("\n  '%s': %s (%zu points)\n", c->spec, err, st == CR_OK ? cr_fit_grid_size(&g) : 0);
        cr_fit_grid_free(&g);
    }
}

/* Points: what-ifs outermost, then ppn, bytes, nodes innermost; ranks = nodes x ppn. */
static void test_grid_points(void)
{
    cr_fit_grid_t g;
    cr_fit_query_t base, q;
    char err[256];
    memset(&base, 0, sizeof base);
    base.latency_us = 3;
    CU_ASSERT_EQUAL_FATAL(cr_fit_grid_parse("nodes=2,4,ppn=1,8,bytes=1K,rail-GBps=25,50", &g,
                                            err, sizeof err), CR_OK);
    CU_ASSERT_EQUAL(cr_fit_grid_size(&g), 8);
    cr_fit_grid_point(&g, 0, &base, &q);
    CU_ASSERT(q.nodes == 2 && q.ppn == 1 && q.ranks == 2 && q.bytes == 1024);
    CU_ASSERT_DOUBLE_EQUAL(q.level_GBps[CR_LEVEL_RAIL], 25, 0);
    CU_ASSERT_DOUBLE_EQUAL(q.latency_us, 3, 0);   /* the rest as in base */
    cr_fit_grid_point(&g, 1, &base, &q);
    CU_ASSERT(q.nodes == 4 && q.ppn == 1);
    cr_fit_grid_point(&g, 3, &base, &q);
    CU_ASSERT(q.nodes == 4 && q.ppn == 8 && q.ranks == 32);
    CU_ASSERT_EQUAL(cr_fit_grid_series(&g, 2), cr_fit_grid_series(&g, 3));
    CU_ASSERT_NOT_EQUAL(cr_fit_grid_series(&g, 1), cr_fit_grid_series(&g, 2));
    cr_fit_grid_point(&g, 7, &base, &q);
    CU_ASSERT(q.nodes == 4 && q.ppn == 8);
    CU_ASSERT_DOUBLE_EQUAL(q.level_GBps[CR_LEVEL_RAIL], 50, 0);
    cr_fit_grid_free(&g);
}

/* Plain decimals for spreadsheets: no exponent, no trailing zeros, empty unknown. */
static void test_pcsv_num(void)
{
    static const struct { double v; const char *want; } c[] = {
        { 0, "0" }, { 1, "1" }, { 1234567, "1234567" }, { 123456789, "123456789" },
        { 1.5e12, "1500000000000" }, { 0.000123456789, "0.0001234568" },
        { 125.75040, "125.7504" }, { -2.5, "-2.5" }, { -0.0, "0" },
        { INFINITY, "" }, { NAN, "" },
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        char b[64];
        CU_ASSERT_STRING_EQUAL(cr_fit_pcsv_num(c[i].v, b, sizeof b), c[i].want);
        if (strcmp(b, c[i].want)) printf("\n  %g -> '%s', want '%s'\n", c[i].v, b, c[i].want);
    }
}

CU_TestInfo test_fit_whatif_tests[] = {
    { "which what-if applies to a fit at a level", test_whatif_precedence },
    { "--level-GBps values refused naming them", test_level_values },
    { "--grid parser: fields, ranges, refusals", test_grid_parse },
    { "--grid points: order and topology", test_grid_points },
    { "CSV numbers: plain decimals", test_pcsv_num },
    CU_TEST_INFO_NULL,
};
