/* What the design's table (docs/method.md) says of each collective, checked against the registry of
 * the build a test links: test_coll the MPI one (libcrcoll), test_fit the pure one
 * (libcrcollinfo), so that both builds are held to the same numbers. */
#ifndef COLL_WANT_H
#define COLL_WANT_H

#include <CUnit/Basic.h>
#include "cr_coll.h"

static double want_f_ring2(int p) { return p > 0 ? 2.0 * (p - 1) / p : 0.0; }
static double want_f_ring(int p) { return p > 0 ? (double)(p - 1) / p : 0.0; }
static double want_f_one(int p) { (void)p; return 1.0; }
static double want_f_two(int p) { (void)p; return 2.0; }
static int want_b_one(int p) { (void)p; return 1; }
static int want_b_p(int p) { return p; }

static const struct cr_coll_want {
    const char *name;
    double (*factor)(int p);    /* F(p) */
    int (*blocks)(int p);       /* s_blocks(p) */
    int reduction, in_place;
    cr_coll_on_t on;
    double ops_per_call;
    size_t s, r, s_ip, r_ip;    /* buffer bytes at block_count 5, p 4, 8-byte elements */
} want[] = {
    { "allreduce", want_f_ring2, want_b_one, 1, 1, CR_COLL_ON_LEVELS, 1, 40, 40, 0, 40 },
    { "allgather", want_f_ring, want_b_p, 0, 1, CR_COLL_ON_LEVELS, 1, 40, 160, 0, 160 },
    { "alltoall", want_f_ring, want_b_p, 0, 1, CR_COLL_ON_LEVELS, 1, 160, 160, 0, 160 },
    { "reduce_scatter", want_f_ring, want_b_p, 1, 1, CR_COLL_ON_LEVELS, 1, 160, 40, 0, 160 },
    { "bcast", want_f_one, want_b_one, 0, 0, CR_COLL_ON_LEVELS, 1, 0, 40, 0, 40 },
    { "pingpong", want_f_one, want_b_one, 0, 0, CR_COLL_ON_PAIRS, 2, 40, 40, 40, 40 },
    { "pingpong_bidir", want_f_two, want_b_one, 0, 0, CR_COLL_ON_PAIRS, 1, 40, 40, 40, 40 },
};
#define NWANT (sizeof want / sizeof want[0])

/* The pure members of every registered collective against the table: names,
 * flags, F(p) and s_blocks(p) for p = 1..9, buffer bytes. */
static void want_check_pure(void)
{
    size_t n = 0;
    for (; cr_coll_registry[n]; n++) {
        const cr_coll_ops_t *o = cr_coll_registry[n];
        CU_ASSERT_PTR_NOT_NULL(o->s_blocks && o->buf_bytes && o->bus_factor ? o : NULL);
        CU_ASSERT_PTR_EQUAL(cr_coll_find(o->name), o);
    }
    CU_ASSERT_EQUAL(n, NWANT);
    for (size_t k = 0; k < NWANT; k++) {
        const cr_coll_ops_t *o = cr_coll_find(want[k].name);
        cr_coll_shape_t sh = { .block_count = 5, .p = 4, .rank = 0, .dsize = 8 };
        size_t s = 1, r = 1;
        CU_ASSERT_PTR_NOT_NULL_FATAL(o);
        CU_ASSERT_EQUAL(o->reduction, want[k].reduction);
        CU_ASSERT_EQUAL(o->has_in_place, want[k].in_place);
        CU_ASSERT_EQUAL(o->on, want[k].on);
        CU_ASSERT_EQUAL(cr_coll_is_probe(o), want[k].on == CR_COLL_ON_PAIRS);
        CU_ASSERT_EQUAL(cr_coll_max_ranks(o, 9), want[k].on == CR_COLL_ON_PAIRS ? 2 : 9);
        CU_ASSERT_EQUAL(cr_coll_ops_per_call(o), want[k].ops_per_call);
        for (int p = 1; p <= 9; p++) {
            CU_ASSERT_DOUBLE_EQUAL(o->bus_factor(p), want[k].factor(p), 1e-15);
            CU_ASSERT_EQUAL(o->s_blocks(p), want[k].blocks(p));
        }
        o->buf_bytes(&sh, &s, &r);
        CU_ASSERT_EQUAL(s, want[k].s);
        CU_ASSERT_EQUAL(r, want[k].r);
        if (!o->has_in_place) continue;
        sh.in_place = 1;
        o->buf_bytes(&sh, &s, &r);
        CU_ASSERT_EQUAL(s, want[k].s_ip);
        CU_ASSERT_EQUAL(r, want[k].r_ip);
    }
    CU_ASSERT_PTR_NULL(cr_coll_find("reduce"));
    CU_ASSERT_PTR_NULL(cr_coll_find(NULL));
}

#endif
