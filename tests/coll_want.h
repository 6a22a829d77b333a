/* What the design's tables say of each collective (docs/method.md; bytes moved:
 * docs/design.md), checked against the registry of the build a test links:
 * test_coll the MPI one (libcrcoll), test_fit the pure one (libcrcollinfo), so that
 * both builds are held to the same numbers. */
#ifndef COLL_WANT_H
#define COLL_WANT_H

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>
#include "cr_coll.h"
#include "cr_skew.h"

static double want_f_ring2(int p) { return p > 0 ? 2.0 * (p - 1) / p : 0.0; }
static double want_f_ring(int p) { return p > 0 ? (double)(p - 1) / p : 0.0; }
static double want_f_one(int p) { (void)p; return 1.0; }
static double want_f_two(int p) { (void)p; return 2.0; }
static int want_b_one(int p) { (void)p; return 1; }
static int want_b_p(int p) { return p; }

/* Bytes one call moves (cr_coll.h, data_bytes): sent, received by rank r (−1: the
 * most of any rank) of p for S bytes; nothing when p = 1. */
typedef void (*want_moved_fn)(int p, int r, uint64_t S, uint64_t *sent, uint64_t *recvd);
static void want_m_allreduce(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ (void)r; *s = *v = p > 1 ? S : 0; }
static void want_m_allgather(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ (void)r; *s = p > 1 ? S / p : 0; *v = S / p * (p - 1); }
static void want_m_alltoall(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ (void)r; *s = *v = S / p * (p - 1); }
/* alltoallv under the default routing (cr_skew_default): S less the self-send out,
 * the rank's receive total less its self-send in. */
static void want_m_alltoallv(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{
    cr_skew_t sk;
    uint64_t c[16], col[16] = {0}, n = S / 8, rows[16][16];
    cr_skew_default(&sk);
    for (int q = 0; q < p; q++) {
        cr_skew_counts(&sk, p, q, n, rows[q]);
        for (int d = 0; d < p; d++) col[d] += rows[q][d];
    }
    *s = *v = 0;
    for (int q = 0; q < p; q++) {
        if (r >= 0 && q != r) continue;
        for (int d = 0; d < p; d++) c[d] = rows[q][d];
        if ((n - c[q]) * 8 > *s) *s = (n - c[q]) * 8;
        if ((col[q] - c[q]) * 8 > *v) *v = (col[q] - c[q]) * 8;
    }
}
static void want_m_reduce_scatter(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ (void)r; *s = S / p * (p - 1); *v = p > 1 ? S / p : 0; }
static void want_m_bcast(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ *s = p > 1 && r <= 0 ? S : 0; *v = p > 1 && r != 0 ? S : 0; }
/* Rooted at rank 0: the others send their input to the root, whose output holds
 * it (reduce: S each way; gather: S/p from each, S·(p−1)/p into the root). */
static void want_m_reduce(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ *s = p > 1 && r != 0 ? S : 0; *v = p > 1 && r <= 0 ? S : 0; }
static void want_m_gather(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ *s = p > 1 && r != 0 ? S / p : 0; *v = r <= 0 ? S / p * (p - 1) : 0; }
/* A non-periodic shift: S out of every rank but the last, S into all but rank 0. */
static void want_m_shift(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ *s = p > 1 && r != p - 1 ? S : 0; *v = p > 1 && r != 0 ? S : 0; }
static void want_m_pair(int p, int r, uint64_t S, uint64_t *s, uint64_t *v)
{ *s = *v = p > 1 && r <= 1 ? S : 0; }

static const struct cr_coll_want {
    const char *name;
    double (*factor)(int p);    /* F(p) */
    int (*blocks)(int p);       /* s_blocks(p) */
    int reduction, in_place;
    cr_coll_on_t on;
    double ops_per_call;
    size_t s, r, s_ip, r_ip;    /* buffer bytes at block_count 5, p 4, 8-byte elements */
    want_moved_fn moved;        /* data_bytes */
    int root_result;            /* output on rank 0 only (others: no output buffer) */
} want[] = {
    { "allreduce", want_f_ring2, want_b_one, 1, 1, CR_COLL_ON_LEVELS, 1, 40, 40, 0, 40,
      want_m_allreduce, 0 },
    { "allgather", want_f_ring, want_b_p, 0, 1, CR_COLL_ON_LEVELS, 1, 40, 160, 0, 160,
      want_m_allgather, 0 },
    { "alltoall", want_f_ring, want_b_p, 0, 1, CR_COLL_ON_LEVELS, 1, 160, 160, 0, 160,
      want_m_alltoall, 0 },
    /* r: from the routing (want_check_pure), 8 bytes × elements rank 0 receives */
    { "alltoallv", want_f_ring, want_b_p, 0, 0, CR_COLL_ON_LEVELS, 1, 160, 0, 0, 0,
      want_m_alltoallv, 0 },
    { "reduce_scatter", want_f_ring, want_b_p, 1, 1, CR_COLL_ON_LEVELS, 1, 160, 40, 0, 160,
      want_m_reduce_scatter, 0 },
    { "bcast", want_f_one, want_b_one, 0, 0, CR_COLL_ON_LEVELS, 1, 0, 40, 0, 40, want_m_bcast, 0 },
    /* rank 0, the root; the other ranks: want_check_rooted */
    { "reduce", want_f_one, want_b_one, 1, 1, CR_COLL_ON_LEVELS, 1, 40, 40, 0, 40,
      want_m_reduce, 1 },
    { "gather", want_f_ring, want_b_p, 0, 1, CR_COLL_ON_LEVELS, 1, 40, 160, 0, 160,
      want_m_gather, 1 },
    { "sendrecv", want_f_one, want_b_one, 0, 0, CR_COLL_ON_LEVELS, 1, 40, 40, 0, 0,
      want_m_shift, 0 },
    { "pingpong", want_f_one, want_b_one, 0, 0, CR_COLL_ON_PAIRS, 2, 40, 40, 40, 40, want_m_pair, 0 },
    { "pingpong_bidir", want_f_two, want_b_one, 0, 0, CR_COLL_ON_PAIRS, 1, 40, 40, 40, 40,
      want_m_pair, 0 },
};
#define NWANT (sizeof want / sizeof want[0])

/* data_bytes of o against the table for p = 1..9, every rank, in place or not, at
 * block_count 5 of 8-byte elements; rank −1 is the most of any rank. */
static void want_check_moved(const cr_coll_ops_t *o, const struct cr_coll_want *w)
{
    for (int p = 1; p <= 9; p++)
        for (int ip = 0; ip <= 1; ip++) {
            uint64_t S = (uint64_t)w->blocks(p) * 5 * 8, most_s = 0, most_v = 0;
            for (int r = p - 1; r >= -1; r--) {
                cr_coll_shape_t sh = { .block_count = 5, .p = p, .rank = r, .dsize = 8,
                                       .in_place = ip };
                uint64_t s = 1, v = 1, ws, wv;
                o->data_bytes(&sh, &s, &v);
                w->moved(p, r, S, &ws, &wv);
                CU_ASSERT_EQUAL(s, ws);
                CU_ASSERT_EQUAL(v, wv);
                if (s != ws || v != wv)
                    fprintf(stderr, "\n%s p=%d rank %d: data_bytes %llu, %llu; expected %llu, %llu\n",
                            o->name, p, r, (unsigned long long)s, (unsigned long long)v,
                            (unsigned long long)ws, (unsigned long long)wv);
                if (r < 0) {
                    CU_ASSERT_EQUAL(s, most_s);
                    CU_ASSERT_EQUAL(v, most_v);
                }
                if (s > most_s) most_s = s;
                if (v > most_v) most_v = v;
            }
        }
}

/* -c all: the five collectives of the design's table, not the probes, alltoallv
 * (skewed), the rooted reduce and gather or the shift sendrecv (named only). */
static const char *const want_in_all[] = { "allreduce", "allgather", "alltoall",
                                           "reduce_scatter", "bcast" };

/* Buffers of a collective whose result lands on rank 0 alone: a non-root sends its
 * input from sbuf in place or not (MPI_IN_PLACE is the root's) and has no output;
 * rank −1 is the most of any rank. block_count 5, 8-byte elements, p = 1..9. */
static void want_check_rooted(const cr_coll_ops_t *o, const struct cr_coll_want *w)
{
    for (int p = 1; p <= 9; p++)
        for (int ip = 0; ip <= 1; ip++)
            for (int r = -1; r < p; r++) {
                cr_coll_shape_t sh = { .block_count = 5, .p = p, .rank = r, .dsize = 8,
                                       .in_place = ip };
                size_t s = 1, v = 1, in = 40, out = (size_t)w->blocks(p) * 40;
                o->buf_bytes(&sh, &s, &v);
                CU_ASSERT_EQUAL(s, r == 0 && ip ? 0 : in);
                CU_ASSERT_EQUAL(v, r <= 0 ? out : 0);
            }
}

/* The pure members of every registered collective against the table: names,
 * flags, F(p) and s_blocks(p) for p = 1..9, buffer bytes, bytes moved. */
static void want_check_pure(void)
{
    size_t n = 0;
    for (; cr_coll_registry[n]; n++) {
        const cr_coll_ops_t *o = cr_coll_registry[n];
        CU_ASSERT_PTR_NOT_NULL(o->s_blocks && o->buf_bytes && o->bus_factor ? o : NULL);
        CU_ASSERT(o->data_bytes != NULL); /* optional, but every registered one has it */
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
        CU_ASSERT_EQUAL(o->root_result, want[k].root_result);
        {
            int in_all = 0;
            for (size_t j = 0; j < sizeof want_in_all / sizeof *want_in_all; j++)
                in_all |= !strcmp(want_in_all[j], o->name);
            CU_ASSERT_EQUAL(cr_coll_in_all(o), in_all);
        }
        if (o->root_result) want_check_rooted(o, &want[k]);
        for (int p = 1; p <= 9; p++) {
            CU_ASSERT_DOUBLE_EQUAL(o->bus_factor(p), want[k].factor(p), 1e-15);
            CU_ASSERT_EQUAL(o->s_blocks(p), want[k].blocks(p));
        }
        if (o->data_bytes) want_check_moved(o, &want[k]);
        o->buf_bytes(&sh, &s, &r);
        CU_ASSERT_EQUAL(s, want[k].s);
        if (o->skewed) {   /* the routing's: rank 0's receive total; the most of any rank */
            cr_skew_t sk;
            uint64_t recv[4], most = 0;
            cr_skew_default(&sk);
            cr_skew_recv(&sk, 4, 20, recv);
            for (int d = 0; d < 4; d++) most = recv[d] > most ? recv[d] : most;
            CU_ASSERT_EQUAL(r, recv[0] * 8);
            CU_ASSERT_PTR_NOT_NULL_FATAL(o->max_recv_bytes);
            CU_ASSERT_EQUAL(o->max_recv_bytes(&sh), most * 8);
            CU_ASSERT_EQUAL(recv[0] + recv[1] + recv[2] + recv[3], 80);
        } else {
            CU_ASSERT_EQUAL(r, want[k].r);
            CU_ASSERT_PTR_NULL(o->max_recv_bytes);
        }
        if (!o->has_in_place) continue;
        sh.in_place = 1;
        o->buf_bytes(&sh, &s, &r);
        CU_ASSERT_EQUAL(s, want[k].s_ip);
        CU_ASSERT_EQUAL(r, want[k].r_ip);
    }
    CU_ASSERT_PTR_NULL(cr_coll_find("scatter"));
    CU_ASSERT_PTR_NULL(cr_coll_find(NULL));
}

#endif
