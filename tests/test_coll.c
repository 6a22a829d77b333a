/* Unit tests of the datatype layer, the fill pattern and the collective plug-ins,
 * without MPI: p ranks are simulated in one process by computing what MPI would
 * deliver, and each plug-in's check must accept that and reject a corrupted copy. */
#include "config.h"

#include <CUnit/Basic.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "coll_want.h"
#include "cr_coll_mpi.h"
#include "cu_main.h"
#include "cr_dtype.h"
#include "pattern.h"

/* ---- datatypes ---------------------------------------------------------- */

static void test_dtype_table(void)
{
    static const struct { const char *name; size_t size; int reducible; } dts[] = {
        { "char", 1, 0 }, { "int32", 4, 1 }, { "int64", 8, 1 }, { "float", 4, 1 }, { "double", 8, 1 },
    };
    size_t n = 0;
    while (cr_dtypes[n]) n++;
    CU_ASSERT_EQUAL(n, sizeof dts / sizeof dts[0]);
    for (size_t k = 0; k < sizeof dts / sizeof dts[0]; k++) {
        const cr_dtype_t *dt = cr_dtype_find(dts[k].name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(dt);
        CU_ASSERT_EQUAL(dt->size, dts[k].size);
        CU_ASSERT_EQUAL(dt->reducible, dts[k].reducible);
        CU_ASSERT_EQUAL(dt->eps == 0.0, dt->kind == CR_DT_INT);
    }
    CU_ASSERT_PTR_NULL(cr_dtype_find("int16"));
    CU_ASSERT_PTR_NULL(cr_dtype_find(NULL));
    CU_ASSERT(cr_dtype_mpi(cr_dtype_find("char")) == MPI_SIGNED_CHAR);
    CU_ASSERT(cr_dtype_mpi(cr_dtype_find("int32")) == MPI_INT32_T);
    CU_ASSERT(cr_dtype_mpi(cr_dtype_find("int64")) == MPI_INT64_T);
    CU_ASSERT(cr_dtype_mpi(cr_dtype_find("float")) == MPI_FLOAT);
    CU_ASSERT(cr_dtype_mpi(cr_dtype_find("double")) == MPI_DOUBLE);
}

static void test_dtype_store_load(void)
{
    double buf[4];
    for (const cr_dtype_t *const *d = cr_dtypes; *d; d++)
        for (long v = -127; v <= 127; v++) {
            cr_dtype_store(*d, buf, 3, v);
            CU_ASSERT_EQUAL(cr_dtype_load(*d, buf, 3), (double)v);
        }
}

static void test_dtype_tolerance(void)
{
    const cr_dtype_t *f = cr_dtype_find("float"), *d = cr_dtype_find("double");
    CU_ASSERT_EQUAL(cr_dtype_sum_tolerance(cr_dtype_find("int32"), 1000, 1e4), 0.0);
    CU_ASSERT_EQUAL(cr_dtype_sum_tolerance(cr_dtype_find("int64"), 1000, 1e4), 0.0);
    CU_ASSERT(cr_dtype_sum_tolerance(f, 1, 1.0) > 0.0);          /* one ulp */
    CU_ASSERT_DOUBLE_EQUAL(cr_dtype_sum_tolerance(f, 1, 1.0), FLT_EPSILON, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(cr_dtype_sum_tolerance(d, 1, 1.0), DBL_EPSILON, 0.0);
    CU_ASSERT(cr_dtype_sum_tolerance(f, 10, 100.0) < cr_dtype_sum_tolerance(f, 100, 100.0));
    CU_ASSERT(cr_dtype_sum_tolerance(f, 100, 100.0) < cr_dtype_sum_tolerance(f, 100, 1000.0));
    CU_ASSERT(cr_dtype_sum_tolerance(d, 100, 100.0) < cr_dtype_sum_tolerance(f, 100, 100.0));
    CU_ASSERT_DOUBLE_EQUAL(cr_dtype_sum_tolerance(f, 3, 8.0),
                           2 * (FLT_EPSILON / 2) * 8.0 + 8.0 * FLT_EPSILON, 1e-20);
}

/* A floating sum of the pattern over p = 1000 sources, added in a shuffled order in
 * the type's own precision, passes; one unit off fails. */
static void test_dtype_float_sum_shuffled(void)
{
    enum { P = 1000, N = 62 };
    int order[P];
    for (int k = 0; k < P; k++) order[k] = k;
    srand(12345);
    for (int k = P - 1; k > 0; k--) {
        int j = rand() % (k + 1), t = order[k];
        order[k] = order[j];
        order[j] = t;
    }
    for (int which = 0; which < 2; which++) {
        const cr_dtype_t *dt = cr_dtype_find(which ? "double" : "float");
        double buf[N];
        for (size_t i = 0; i < N; i++) {
            float sf = 0.0f;
            double sd = 0.0;
            for (int k = 0; k < P; k++) {
                sf += (float)cr_pattern_value(order[k], 5, i);
                sd += (double)cr_pattern_value(order[k], 5, i);
            }
            if (which) ((double *)buf)[i] = sd;
            else ((float *)buf)[i] = sf;
        }
        CU_ASSERT_EQUAL(cr_pattern_check_sum(dt, buf, N, P, 5), 0);
        CU_ASSERT(cr_pattern_check_sum(dt, buf, N, P, 4) > 0); /* wrong destination */
        double v = cr_dtype_load(dt, buf, 40);
        if (which) ((double *)buf)[40] = v + 1.0;
        else ((float *)buf)[40] = (float)(v + 1.0);
        CU_ASSERT_EQUAL(cr_pattern_check_sum(dt, buf, N, P, 5), 1);
    }
}

/* ---- the pattern -------------------------------------------------------- */

static void test_pattern_values(void)
{
    size_t zeros = 0, total = 0;
    for (int src = 0; src < 100; src++)
        for (int dst = -1; dst < 40; dst++)
            for (size_t i = 0; i < 70; i++) {
                long v = cr_pattern_value(src, dst, i);
                CU_ASSERT(v >= -15 && v <= 15);
                CU_ASSERT(v != cr_pattern_value(src, dst, i + 1)); /* off by one */
                zeros += v == 0;
                total++;
            }
    CU_ASSERT(zeros * 20 < total);
    for (int a = 0; a < 31; a++)
        for (int b = 0; b < 31; b++) {
            if (a == b) continue;
            for (size_t i = 0; i < 31; i++) {
                CU_ASSERT(cr_pattern_value(a, 2, i) != cr_pattern_value(b, 2, i)); /* wrong rank */
                CU_ASSERT(cr_pattern_value(2, a, i) != cr_pattern_value(2, b, i)); /* wrong dst */
            }
        }
    size_t same = 0;
    for (size_t i = 0; i < 62; i++) same += cr_pattern_value(0, -1, i) == cr_pattern_value(31, -1, i);
    CU_ASSERT(same <= 2);
}

static void test_pattern_detects(void)
{
    const cr_dtype_t *dt = cr_dtype_find("int32");
    enum { P = 4, N = 9 };
    int32_t buf[P * N], tmp[N];
    for (int s = 0; s < P; s++) cr_pattern_fill(dt, buf + s * N, N, s, -1);
    for (int s = 0; s < P; s++) CU_ASSERT_EQUAL(cr_pattern_check(dt, buf + s * N, N, s, -1), 0);
    memcpy(tmp, buf + N, sizeof tmp); /* swap blocks 1 and 2 */
    memcpy(buf + N, buf + 2 * N, sizeof tmp);
    memcpy(buf + 2 * N, tmp, sizeof tmp);
    CU_ASSERT_EQUAL(cr_pattern_check(dt, buf + N, N, 1, -1), N);
    CU_ASSERT_EQUAL(cr_pattern_check(dt, buf + 2 * N, N, 2, -1), N);
    /* block 3 read one element late */
    CU_ASSERT_EQUAL(cr_pattern_check(dt, buf + 3 * N - 1, N, 3, -1), N);
    CU_ASSERT_EQUAL(cr_pattern_check(dt, buf + 2, N - 2, 0, -1), N - 2);
    cr_pattern_poison(dt, buf, N);
    CU_ASSERT_EQUAL(cr_pattern_check(dt, buf, N, 0, -1), N);
    CU_ASSERT_EQUAL(cr_pattern_check_sum(dt, buf, N, 1, -1), N);
}

/* ---- the plug-ins ------------------------------------------------------- */

/* The shared table (coll_want.h), then what only the MPI build has: the members
 * that take a buffer; a nonblocking variant for every collective but the probes. */
static void test_coll_registry(void)
{
    want_check_pure();
    for (size_t k = 0; k < NWANT; k++) {
        const cr_coll_ops_t *o = cr_coll_find(want[k].name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(o);
        CU_ASSERT_PTR_NOT_NULL(o->fill && o->run && o->check ? o : NULL);
        CU_ASSERT_EQUAL(o->irun == NULL, want[k].on == CR_COLL_ON_PAIRS);
        /* in-place sums time on zeros, so they need their own preparation */
        CU_ASSERT_EQUAL(o->prepare_timed != NULL, want[k].reduction && want[k].in_place);
    }
    CU_ASSERT_EQUAL(cr_coll_find("allreduce")->bus_factor(1), 0.0);
    CU_ASSERT_DOUBLE_EQUAL(cr_coll_find("allreduce")->bus_factor(4), 1.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(cr_coll_find("alltoall")->bus_factor(64), 63.0 / 64, 1e-15);
}

/* An in-place sum is timed on zeros; otherwise the timed buffers hold the pattern.
 * On a root (rank 0) and a non-root (rank 1): a rooted collective's output is the
 * root's, and a rooted in-place sum zeroes the others' input too (else the root's
 * sum would grow by theirs every call). */
static void test_coll_prepare_timed(void)
{
    const cr_dtype_t *dt = cr_dtype_find("int32");
    for (size_t k = 0; k < NWANT; k++) {
        const cr_coll_ops_t *o = cr_coll_find(want[k].name);
        if (o->setup) continue;   /* state over MPI (alltoallv): tests/coll_driver.c */
        for (int rank = 0; rank <= 1; rank++)
            for (int ip = 0; ip <= o->has_in_place; ip++) {
                int32_t sb[12] = { 0 }, rb[12] = { 0 }, fb[12] = { 0 }, fs[12] = { 0 };
                cr_coll_buf_t b = { .comm = MPI_COMM_NULL, .rank = rank, .size = 3,
                                    .dtype = dt, .block_count = 4, .in_place = ip,
                                    .sbuf = sb, .rbuf = rb };
                cr_coll_shape_t sh = cr_coll_buf_shape(&b);
                int zeros = 1, szeros = 1, timed_on_zeros = ip && o->reduction;
                o->buf_bytes(&sh, &b.sbytes, &b.rbytes);
                CU_ASSERT_FATAL(b.rbytes <= sizeof rb && b.sbytes <= sizeof sb);
                CU_ASSERT_EQUAL(b.rbytes == 0, o->root_result && rank != 0);
                if (o->prepare_timed) o->prepare_timed(&b);
                else o->fill(&b);
                for (size_t i = 0; i < b.rbytes / sizeof *rb; i++) zeros &= rb[i] == 0;
                for (size_t i = 0; i < b.sbytes / sizeof *sb; i++) szeros &= sb[i] == 0;
                if (b.rbytes) CU_ASSERT_EQUAL(zeros, timed_on_zeros);
                if (o->root_result && b.sbytes) CU_ASSERT_EQUAL(szeros, timed_on_zeros);
                if (timed_on_zeros) continue;
                b.rbuf = fb;
                b.sbuf = fs;
                o->fill(&b);
                CU_ASSERT_EQUAL(memcmp(rb, fb, b.rbytes), 0);
                CU_ASSERT_EQUAL(memcmp(sb, fs, b.sbytes), 0);
            }
    }
}

static void test_coll_block_count(void)
{
    static const int ps[] = { 1, 3, 4 };
    static const size_t ds[] = { 1, 4, 8 };
    for (size_t k = 0; k < NWANT; k++)
        for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++)
            for (size_t d = 0; d < sizeof ds / sizeof ds[0]; d++) {
                const cr_coll_ops_t *o = cr_coll_find(want[k].name);
                uint64_t unit = (uint64_t)want[k].blocks(ps[j]) * ds[d], actual = 1;
                CU_ASSERT_EQUAL(cr_coll_block_count(o, 10 * unit, ps[j], ds[d], 0, &actual), 10);
                CU_ASSERT_EQUAL(actual, 10 * unit);
                for (uint64_t r = 1; r < unit; r++) { /* not divisible: round down */
                    CU_ASSERT_EQUAL(cr_coll_block_count(o, 7 * unit + r, ps[j], ds[d], 0, &actual), 7);
                    CU_ASSERT_EQUAL(actual, 7 * unit);
                    CU_ASSERT_EQUAL(cr_coll_block_count(o, r, ps[j], ds[d], 0, &actual), 0);
                    CU_ASSERT_EQUAL(actual, 0);
                }
                CU_ASSERT_EQUAL(cr_coll_block_count(o, 0, ps[j], ds[d], 0, &actual), 0);
                CU_ASSERT_EQUAL(cr_coll_block_count(o, unit, ps[j], ds[d], 0, NULL), 1);
            }
    /* 3 ranks, int32: 100 bytes → 8 elements per block, S = 96 */
    uint64_t actual;
    CU_ASSERT_EQUAL(cr_coll_block_count(cr_coll_find("allgather"), 100, 3, 4, 0, &actual), 8);
    CU_ASSERT_EQUAL(actual, 96);
    /* Above INT_MAX elements: never clamped; whole units of a power of two */
    CU_ASSERT_EQUAL(cr_coll_block_count(cr_coll_find("bcast"), 1ULL << 40, 2, 1, 0, &actual),
                    1ULL << 40);
    CU_ASSERT_EQUAL(actual, 1ULL << 40);
    CU_ASSERT_EQUAL(cr_coll_block_count(cr_coll_find("bcast"), (1ULL << 31) + 3, 2, 1, 0, &actual),
                    (1ULL << 31) + 2);
    CU_ASSERT_EQUAL(actual, (1ULL << 31) + 2);
    CU_ASSERT_EQUAL(cr_coll_block_count(cr_coll_find("allgather"), 3ULL << 33, 2, 4, 0, &actual),
                    3ULL << 30);
    CU_ASSERT_EQUAL(actual, 3ULL << 33);
    CU_ASSERT_EQUAL(cr_coll_block_count(cr_coll_find("bcast"), 31, 2, 1, 7, &actual), 24);
    CU_ASSERT_EQUAL(actual, 24); /* units of 8: 31 / 7 rounded up to a power of two */
}

/* ---- p simulated ranks -------------------------------------------------- */

typedef struct sim {
    const cr_coll_ops_t *ops;
    int p;
    cr_coll_buf_t b[8];
} sim_t;

/* MPI_IN_PLACE on this rank: a rooted collective's is the root's alone. */
static int sim_in_place(const cr_coll_ops_t *o, const cr_coll_buf_t *b)
{
    return b->in_place && (!o->root_result || b->rank == 0);
}

static void *sim_in(const cr_coll_ops_t *o, const cr_coll_buf_t *b)
{
    return sim_in_place(o, b) ? b->rbuf : b->sbuf;
}

static void sim_set(const cr_dtype_t *dt, void *buf, size_t i, double v)
{
    cr_dtype_store(dt, buf, i, (long)v);
}

/* Deliver what MPI would: every output computed from a copy of every input first,
 * so that in-place buffers are read before they are written. */
static void sim_deliver(sim_t *s)
{
    const char *name = s->ops->name;
    const cr_dtype_t *dt = s->b[0].dtype;
    size_t n = s->b[0].block_count, d = dt->size;
    int p = s->p;
    char *in[8];
    for (int r = 0; r < p; r++) {
        size_t bytes = sim_in_place(s->ops, &s->b[r]) ? s->b[r].rbytes : s->b[r].sbytes;
        in[r] = malloc(bytes ? bytes : 1);
        if (bytes) memcpy(in[r], sim_in(s->ops, &s->b[r]), bytes);
    }
    for (int r = 0; r < p; r++) {
        char *out = s->b[r].rbuf;
        if (s->ops->root_result && r != 0) continue;   /* no output off the root */
        if (!strcmp(name, "allreduce") || !strcmp(name, "reduce_scatter") ||
            !strcmp(name, "reduce")) {
            size_t off = strcmp(name, "allreduce") ? (size_t)r * n : 0;
            for (size_t i = 0; i < n; i++) {
                double sum = 0.0;
                for (int src = 0; src < p; src++) sum += cr_dtype_load(dt, in[src] + off * d, i);
                sim_set(dt, out, i, sum);
            }
        } else if (!strcmp(name, "allgather") || !strcmp(name, "gather")) {
            for (int src = 0; src < p; src++)
                memcpy(out + (size_t)src * n * d,
                       in[src] + (sim_in_place(s->ops, &s->b[src]) ? (size_t)src * n * d : 0),
                       n * d);
        } else if (!strcmp(name, "alltoall")) {
            for (int src = 0; src < p; src++)
                memcpy(out + (size_t)src * n * d, in[src] + (size_t)r * n * d, n * d);
        } else if (!strcmp(name, "bcast")) {
            memcpy(out, s->b[0].rbuf, n * d);
        } else if (!strcmp(name, "sendrecv")) {
            if (r > 0) memcpy(out, in[r - 1], n * d); /* rank 0 gets nothing: stays poisoned */
        } else if (!strcmp(name, "pingpong")) {
            memcpy(out, in[0], n * d); /* rank 1 got it, rank 0 got the echo */
        } else if (!strcmp(name, "pingpong_bidir")) {
            memcpy(out, in[1 - r], n * d);
        }
    }
    for (int r = 0; r < p; r++) free(in[r]);
}

static void sim_setup(sim_t *s, const cr_coll_ops_t *o, const cr_dtype_t *dt, int p, size_t n,
                      int in_place)
{
    s->ops = o;
    s->p = p;
    for (int r = 0; r < p; r++) {
        cr_coll_buf_t *b = &s->b[r];
        cr_coll_shape_t sh;
        *b = (cr_coll_buf_t){ .comm = MPI_COMM_NULL, .rank = r, .size = p, .dtype = dt,
                              .mpi_type = MPI_DATATYPE_NULL, .block_count = n, .count = (int)n,
                              .in_place = in_place };
        sh = cr_coll_buf_shape(b);
        o->buf_bytes(&sh, &b->sbytes, &b->rbytes);
        b->sbuf = b->sbytes ? calloc(1, b->sbytes) : NULL;
        b->rbuf = calloc(1, b->rbytes);
        o->fill(b);
    }
}

static void sim_free(sim_t *s)
{
    for (int r = 0; r < s->p; r++) {
        free(s->b[r].sbuf);
        free(s->b[r].rbuf);
    }
}

static size_t sim_check(const sim_t *s)
{
    size_t bad = 0;
    for (int r = 0; r < s->p; r++) bad += s->ops->check(&s->b[r]);
    return bad;
}

static void test_coll_simulated(void)
{
    static const int ps[] = { 1, 2, 3, 5, 8 };
    static const size_t ns[] = { 1, 7, 33 };
    for (const cr_coll_ops_t *const *c = cr_coll_registry; *c; c++)
        for (const cr_dtype_t *const *d = cr_dtypes; *d; d++)
            for (int ip = 0; ip <= (*c)->has_in_place; ip++)
                for (size_t j = 0; j < sizeof ps / sizeof ps[0]; j++)
                    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
                        const cr_coll_ops_t *o = *c;
                        int p = cr_coll_max_ranks(o, ps[j]);
                        sim_t s;
                        if (o->reduction && !(*d)->reducible) continue;
                        if (o->setup) continue;   /* state over MPI: tests/coll_driver.c */
                        sim_setup(&s, o, *d, p, ns[k], ip);
                        if (p > 1) CU_ASSERT(sim_check(&s) > 0); /* nothing delivered yet */
                        sim_deliver(&s);
                        size_t bad = sim_check(&s);
                        CU_ASSERT_EQUAL(bad, 0);
                        if (bad)
                            fprintf(stderr, "\n%s %s p=%d n=%zu in_place=%d: %zu wrong\n",
                                    o->name, (*d)->name, p, ns[k], ip, bad);
                        /* last element of the first output block of rank p-1 (of the
                         * root where the result is the root's), one unit off */
                        cr_coll_buf_t *b = &s.b[o->root_result ? 0 : p - 1];
                        size_t i = ns[k] - 1;
                        cr_dtype_store(*d, b->rbuf, i, (long)cr_dtype_load(*d, b->rbuf, i) + 1);
                        CU_ASSERT_EQUAL(o->check(b), 1);
                        sim_free(&s);
                    }
}

/* A swapped pair of blocks in an allgather, alltoall or gather result (on rank 1;
 * gather's on its root) is noticed. */
static void test_coll_swapped_blocks(void)
{
    static const char *names[] = { "allgather", "alltoall", "gather" };
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        const cr_dtype_t *dt = cr_dtype_find("double");
        sim_t s;
        double tmp[4];
        sim_setup(&s, cr_coll_find(names[k]), dt, 3, 4, 0);
        sim_deliver(&s);
        int v = s.ops->root_result ? 0 : 1;
        double *out = s.b[v].rbuf;
        memcpy(tmp, out, sizeof tmp);
        memcpy(out, out + 4, sizeof tmp);
        memcpy(out + 4, tmp, sizeof tmp);
        CU_ASSERT_EQUAL(s.ops->check(&s.b[v]), 8);
        CU_ASSERT_EQUAL(s.ops->check(&s.b[2]), 0);
        sim_free(&s);
    }
}

/* A reduction that misses one rank's contribution, or counts one twice, is noticed. */
static void test_coll_sum_contributions(void)
{
    const cr_dtype_t *dt = cr_dtype_find("float");
    enum { P = 6, N = 31 };
    float out[N];
    for (int drop = -1; drop < P; drop++) {
        for (size_t i = 0; i < N; i++) {
            double sum = 0.0;
            for (int src = 0; src < P; src++) sum += cr_pattern_value(src, 2, i);
            if (drop >= 0) sum -= cr_pattern_value(drop, 2, i);
            out[i] = (float)sum;
        }
        size_t bad = cr_pattern_check_sum(dt, out, N, P, 2);
        /* a missing term shows in every element but the one where it is 0 */
        CU_ASSERT_EQUAL(bad, drop < 0 ? 0 : N - 1);
    }
}

/* The inter-host minimum of each plug-in (docs/method.md, "Bytes on the wire"),
 * summed over the hosts, against hand-worked values: S = 1200 bytes of floats on p
 * ranks over n hosts. */
static void test_coll_wire_min(void)
{
    static const struct { const char *name; int p, hosts; uint64_t want; } cases[] = {
        {"allreduce", 6, 3, 2 * 2 * 1200},      /* 2(n−1)·S: a ring's 2(n−1)/n·S per host */
        {"allreduce", 6, 1, 0},                 /* one host: nothing must cross */
        {"allreduce", 4, 4, 2 * 3 * 1200},
        {"allgather", 6, 3, 2 * 1200},          /* (n−1)·S, whatever ppn */
        {"allgather", 6, 6, 5 * 1200},
        {"reduce_scatter", 6, 2, 1 * 1200},     /* (n−1)·S */
        {"alltoall", 6, 3, 6 * 4 * 200},        /* p ranks × 4 off-host peers × S/p */
        {"alltoall", 6, 6, 6 * 5 * 200},
        {"bcast", 6, 3, 2 * 1200},
        {"reduce", 6, 3, 2 * 1200},
        {"gather", 6, 3, 4 * 200},              /* the 4 ranks off the root's host */
        {"sendrecv", 6, 3, 2 * 1200},           /* 2 of the 5 chain links cross hosts */
        {"sendrecv", 4, 1, 0},
        {"pingpong", 2, 2, 2 * 1200},           /* a round trip */
        {"pingpong_bidir", 2, 2, 2 * 1200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const cr_coll_ops_t *ops = cr_coll_find(cases[i].name);
        cr_coll_shape_t sh = { .p = cases[i].p, .rank = -1, .dsize = 4 };
        CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ops->wire_min_bytes);
        sh.block_count = 1200 / 4 / (size_t)ops->s_blocks(cases[i].p);
        if (ops->wire_min_bytes(&sh, cases[i].hosts) != cases[i].want)
            fprintf(stderr, "%s p=%d n=%d: %llu, want %llu\n", cases[i].name, cases[i].p,
                    cases[i].hosts, (unsigned long long)ops->wire_min_bytes(&sh, cases[i].hosts),
                    (unsigned long long)cases[i].want);
        CU_ASSERT_EQUAL(ops->wire_min_bytes(&sh, cases[i].hosts), cases[i].want);
    }
    /* routed by --skew: no closed form */
    CU_ASSERT_PTR_NULL(cr_coll_find("alltoallv")->wire_min_bytes);
}

static CU_TestInfo dtype_tests[] = {
    { "table and MPI mapping", test_dtype_table },
    { "store and load", test_dtype_store_load },
    { "sum tolerance", test_dtype_tolerance },
    { "float sum of 1000 shuffled terms", test_dtype_float_sum_shuffled },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo pattern_tests[] = {
    { "values tell ranks, destinations and offsets apart", test_pattern_values },
    { "swapped and shifted blocks are detected", test_pattern_detects },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo coll_tests[] = {
    { "registry: DESIGN table, F(p) for p = 1..9, buffers", test_coll_registry },
    { "timed buffers (in-place sums on zeros)", test_coll_prepare_timed },
    { "block count rounding", test_coll_block_count },
    { "fill, simulated delivery, check", test_coll_simulated },
    { "swapped blocks", test_coll_swapped_blocks },
    { "missing reduction contributions", test_coll_sum_contributions },
    { "inter-host minimum bytes (wire_min_bytes)", test_coll_wire_min },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "dtype", NULL, NULL, NULL, NULL, dtype_tests },
    { "pattern", NULL, NULL, NULL, NULL, pattern_tests },
    { "coll", NULL, NULL, NULL, NULL, coll_tests },
    CU_SUITE_INFO_NULL,
};

int main(void) { return cu_run(suites); }
