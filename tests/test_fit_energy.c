/* Link energy (fit_energy.h) and the link catalog reader (fit_links.h) against
 * hand-worked answers: the bytes each collective moves over links, a 1 MiB ring
 * all-reduce across 4 nodes priced by a hand-made catalog, the ranges, the reader's
 * refusals (a row without a source named by file:line, bad numbers, a class twice),
 * a user's file over the shipped one, and the shipped catalog itself. */
#include "config.h"

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fit_energy.h"
#include "fit_links.h"

#define MiB 1048576.0

static const char *const hdr =
    "class,description,medium,lane_Gbps,lanes,port_Gbps,reach_m,pJ_per_bit_lo,pJ_per_bit_hi,"
    "latency_ns_lo,latency_ns_hi,includes,source_kind,source,notes\n";

/* A catalog file in a temporary directory with hdr and body; its path. */
static const char *energy_file(const char *name, const char *body)
{
    static char path[2][256];
    static int k;
    char *p = path[k ^= 1];
    FILE *f;
    snprintf(p, sizeof path[0], "%s/cr-energy-%ld-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (long)getpid(), name);
    f = fopen(p, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs(hdr, f);
    fputs(body, f);
    fclose(f);
    return p;
}

/* Bytes over links per instance, summed over its p ranks (docs/method.md). */
static void test_energy_bytes(void)
{
    const double S = MiB;
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("allreduce", 4, MiB), 4 * 2.0 * 3 / 4 * S, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("allgather", 4, MiB), 3 * S, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("reduce_scatter", 4, MiB), 3 * S, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("alltoall", 4, MiB), 3 * S, 1e-6);
    /* a root: each byte crosses one link once, (p-1) S, not p S */
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("bcast", 4, MiB), 3 * S, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("reduce", 4, MiB), 3 * S, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("gather", 4, MiB), 3 * S / 4, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("allreduce", 1, MiB), 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_bytes("nosuch", 4, MiB), 0, 0);
}

/* The share of a flat call's bytes that leaves a host (docs/method.md, Link
 * energy), and the split flat_bytes makes of it: ring, chain or tree, pairs. */
static void test_energy_cross_share(void)
{
    double b[CR_FIT_PLAN_NLV] = {0};
    const double S = MiB;
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("allreduce", 4, 2), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("allgather", 8, 4), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("reduce_scatter", 6, 3), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("sendrecv", 4, 2), 1.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("bcast", 8, 2), 1.0 / 7, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("reduce", 8, 4), 3.0 / 7, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("alltoall", 4, 2), 2.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("alltoallv", 8, 2), 4.0 / 7, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("gather", 4, 2), 2.0 / 3, 1e-12);
    /* one rank per host: all of it; one host: none */
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("allreduce", 4, 4), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(cr_fit_energy_cross_share("alltoall", 4, 1), 0, 0);
    /* 2 instances of a 16 MiB ring all-reduce on 2 hosts x 2: half across, half inside */
    cr_fit_energy_flat_bytes("allreduce", "world", 4, 2, 16 * MiB, 2, b);
    CU_ASSERT_DOUBLE_EQUAL(b[0], 2 * 0.5 * 6 * 16 * S, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(b[CR_FIT_PLAN_NLV - 1], 2 * 0.5 * 6 * 16 * S, 1e-3);
    /* at the node level, or on one host: all on node */
    memset(b, 0, sizeof b);
    cr_fit_energy_flat_bytes("allreduce", "node", 4, 2, MiB, 1, b);
    CU_ASSERT_DOUBLE_EQUAL(b[0], 6 * S, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(b[CR_FIT_PLAN_NLV - 1], 0, 0);
}

/* A 1 MiB ring all-reduce across 4 nodes, one rank each, on a class of 10-20 pJ/bit
 * through one switch (2 hops): per host 2(n-1)/n S = 1.5 MiB, x 4 hosts x 8 bits. */
static void test_energy_allreduce_4_nodes(void)
{
    static cr_links_t l;
    static cr_fit_plan_t p;
    static cr_wl_call_t call;
    static const cr_coll_ops_t *ops;
    cr_fit_link_assign_t a;
    char err[1024];
    const char *f = energy_file("ar.csv", "x,hand-made,optical,100,4,400,100,10,20,,,both ends,"
                                          "user-given,test,\n");
    double want_lo = 4 * 1.5 * MiB * 8 * 10e-12 * 2, want_hi = want_lo * 2;
    memset(&l, 0, sizeof l);
    memset(&a, 0, sizeof a);
    memset(&p, 0, sizeof p);
    CU_ASSERT_FATAL(cr_links_read(f, 1, &l, err, sizeof err) == CR_OK);
    CU_ASSERT_FATAL(cr_fit_link_parse("internode=x:2,node=none", &l, &a, err, sizeof err) == CR_OK);
    ops = cr_coll_find("allreduce");
    call.ops = ops;
    call.count = 3;
    call.bytes = (uint64_t)MiB;
    p.ncalls = 1;
    p.t = 1000;   /* µs */
    p.calls[0].call = &call;
    p.calls[0].bytes_basis = "modelled";
    p.calls[0].link_bytes[2] = cr_fit_energy_bytes("allreduce", 4, (uint64_t)MiB);
    CU_ASSERT_FATAL(cr_fit_energy_plan(&a, &p, err, sizeof err) == CR_OK);
    CU_ASSERT_DOUBLE_EQUAL(p.calls[0].link_bytes[2] / 4, 1.5 * MiB, 1e-6);   /* per host */
    CU_ASSERT_DOUBLE_EQUAL(p.calls[0].e_lo, want_lo, want_lo * 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(p.calls[0].e_hi, want_hi, want_hi * 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(p.e_lo, 3 * want_lo, want_lo * 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(p.e_lv_hi[2], 3 * want_hi, want_hi * 1e-12);
    CU_ASSERT(p.e_lo <= p.e_hi);
    CU_ASSERT_STRING_EQUAL(p.classes, "node=none x0; internode=x x2");
    /* a level that carries bytes and was not given is refused, naming it */
    memset(&a, 0, sizeof a);
    CU_ASSERT(cr_fit_energy_plan(&a, &p, err, sizeof err) == CR_ERR_INVAL);
    CU_ASSERT(strstr(err, "--link internode=CLASS") != NULL);
    unlink(f);
}

static void test_energy_link_parse(void)
{
    static cr_links_t l;
    cr_fit_link_assign_t a;
    char err[1024];
    const char *f = energy_file("lp.csv", "x,hand-made,optical,100,4,400,,1,2,,,both ends,"
                                          "user-given,test,\n");
    memset(&l, 0, sizeof l);
    memset(&a, 0, sizeof a);
    CU_ASSERT_FATAL(cr_links_read(f, 1, &l, err, sizeof err) == CR_OK);
    CU_ASSERT(cr_fit_link_parse("fabric=x", &l, &a, err, sizeof err) == CR_ERR_INVAL);
    CU_ASSERT(strstr(err, "node, rail, internode or world") != NULL);
    CU_ASSERT(cr_fit_link_parse("rail=y", &l, &a, err, sizeof err) == CR_ERR_INVAL);
    CU_ASSERT(strstr(err, "the catalog has x") != NULL);
    CU_ASSERT(cr_fit_link_parse("rail=x:0", &l, &a, err, sizeof err) == CR_ERR_INVAL);
    CU_ASSERT(cr_fit_link_parse("rail", &l, &a, err, sizeof err) == CR_ERR_INVAL);
    CU_ASSERT(cr_fit_link_parse("rail=x:3", &l, &a, err, sizeof err) == CR_OK);
    CU_ASSERT(a.cls[1] == &l.cls[0] && a.hops[1] == 3);
    unlink(f);
}

/* Each bad row and the words its refusal must hold. */
static const struct {
    const char *row, *want;
} energy_bad[] = {
    { "nosrc,a,optical,100,4,400,,1,2,,,x,datasheet,,\n", ":2: class nosrc has no source" },
    { "e,a,optical,100,4,400,,1e1,20,,,x,datasheet,s,\n", "pJ_per_bit_lo '1e1': not a plain decimal" },
    { "neg,a,optical,100,4,400,,-1,2,,,x,datasheet,s,\n", "pJ_per_bit_lo '-1'" },
    { "inv,a,optical,100,4,400,,3,2,,,x,datasheet,s,\n", "pJ_per_bit_lo 3 is above pJ_per_bit_hi 2" },
    { "z,a,optical,0,4,400,,1,2,,,x,datasheet,s,\n", "lane_Gbps '0': must be > 0" },
    { "fr,a,optical,100,2.5,400,,1,2,,,x,datasheet,s,\n", "lanes '2.5'" },
    { "m,a,copper,100,4,400,,1,2,,,x,datasheet,s,\n", "medium 'copper'" },
    { "k,a,optical,100,4,400,,1,2,,,x,blog,s,\n", "source_kind 'blog'" },
    { "l,a,optical,100,4,400,,1,2,5,,x,datasheet,s,\n", "give both or neither" },
    { "Bad Id,a,optical,100,4,400,,1,2,,,x,datasheet,s,\n", "class 'Bad Id'" },
    { "q,\"a,optical,100,4,400,,1,2,,,x,datasheet,s,\n", "a bad quote" },
    { "d,a,optical,100,4,400,,1,2,,,x,datasheet,s,\nd,b,optical,100,4,400,,1,2,,,x,datasheet,s,\n",
      ":3: class d given twice in one file (first at line 2)" },
};

static void test_energy_reader_refusals(void)
{
    static cr_links_t l;
    char err[1024];
    for (size_t i = 0; i < sizeof energy_bad / sizeof *energy_bad; i++) {
        const char *f = energy_file("bad.csv", energy_bad[i].row);
        memset(&l, 0, sizeof l);
        CU_ASSERT(cr_links_read(f, 1, &l, err, sizeof err) == CR_ERR_INVAL);
        if (!strstr(err, energy_bad[i].want)) fprintf(stderr, "\n  got: %s\n  want: %s\n", err,
                                                       energy_bad[i].want);
        CU_ASSERT(strstr(err, energy_bad[i].want) != NULL);
        CU_ASSERT(strstr(err, f) != NULL);   /* the file named */
        unlink(f);
    }
    /* user-given: a user's own file only */
    {
        const char *f = energy_file("ug.csv", "u,a,optical,100,4,400,,1,2,,,x,user-given,"
                                              "my lab,\n");
        memset(&l, 0, sizeof l);
        CU_ASSERT(cr_links_read(f, 0, &l, err, sizeof err) == CR_ERR_INVAL);
        CU_ASSERT(strstr(err, "user-given belongs in a user's --links file") != NULL);
        CU_ASSERT(cr_links_read(f, 1, &l, err, sizeof err) == CR_OK);
        CU_ASSERT(l.n == 1 && l.cls[0].user == 1);
        unlink(f);
    }
}

/* The shipped catalog: parses, every row cited, low <= high; a user's file replaces a
 * class of the same id and adds new ones. */
static void test_energy_shipped(void)
{
    static cr_links_t l;
    char err[1024];
    const char *f;
    int n;
    const cr_link_class_t *c;
    setenv("COLLROOF_LINKS_CATALOG", CR_SRCDIR "/share/collroof/links.csv", 1);
    CU_ASSERT_FATAL(cr_links_load(NULL, &l, err, sizeof err) == CR_OK);
    CU_ASSERT(l.n >= 6);
    for (int i = 0; i < l.n; i++) {
        CU_ASSERT(l.cls[i].source[0] != '\0');
        CU_ASSERT(strcmp(l.cls[i].source_kind, "user-given") != 0);
        CU_ASSERT(l.cls[i].pJ_lo <= l.cls[i].pJ_hi);
        CU_ASSERT(!l.cls[i].user);
    }
    n = l.n;
    f = energy_file("over.csv", "cpo-switch,mine,optical,200,8,1600,,3,4,,,both ends,user-given,"
                                "measured in our lab,\nmy-new,mine,electrical,50,4,200,1,1,1,,,"
                                "x,user-given,a guess from our vendor,\n");
    CU_ASSERT_FATAL(cr_links_load(f, &l, err, sizeof err) == CR_OK);
    CU_ASSERT(l.n == n + 1);
    c = cr_links_find(&l, "cpo-switch");
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT(c->user && c->pJ_lo == 3 && c->pJ_hi == 4 && strstr(c->origin, f) == c->origin);
    CU_ASSERT(cr_links_find(&l, "my-new") != NULL);
    unlink(f);
}

CU_TestInfo test_fit_energy_tests[] = {
    {"the share of a flat call across hosts", test_energy_cross_share},
    { "bytes over links per collective", test_energy_bytes },
    { "1 MiB ring allreduce across 4 nodes: hand-worked energy", test_energy_allreduce_4_nodes },
    { "--link LEVEL=CLASS[:HOPS]", test_energy_link_parse },
    { "catalog reader refusals, file:line named", test_energy_reader_refusals },
    { "shipped catalog, --links override", test_energy_shipped },
    CU_TEST_INFO_NULL,
};
