/* MPI integration test of the collective plug-ins: every collective × datatype ×
 * {out of place, in place} × {blocking, nonblocking} × size, on the world
 * communicator and on halves of it (rank parity; pairs for the pairwise probes).
 * Each case fills, runs, checks (mismatches summed over all ranks must be 0), checks
 * that nothing was written past the buffers, then corrupts one output element on
 * one rank and expects the check to notice.
 * With MAX_COUNT (elements), a block above it travels as MPI does a block above
 * INT_MAX elements: units of a contiguous type, summed by a user op.
 * Usage: coll_driver EXPECTED_WORLD_SIZE [MAX_COUNT]; exit status 0 when every case
 * passed. */
#include "config.h"

#define _POSIX_C_SOURCE 200112L /* posix_memalign */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_coll_mpi.h"
#include "cr_dtype.h"

#define GUARD 64    /* bytes past each buffer that must stay untouched */
#define GUARD_BYTE 0xA5

static const uint64_t sizes[] = { 1, 8, 100, 1000, 4099, 65536, 262144 + 13 }; /* bytes asked */

static size_t max_count; /* 0: INT_MAX, as collroof runs */

typedef struct tally {
    long cases, failures;
} tally_t;

static void *buf_alloc(size_t bytes)
{
    void *p = NULL;
    if (posix_memalign(&p, 4096, bytes + GUARD) != 0) return NULL;
    memset((char *)p + bytes, GUARD_BYTE, GUARD);
    return p;
}

static int guard_ok(const void *p, size_t bytes)
{
    const unsigned char *g = (const unsigned char *)p + bytes;
    if (p == NULL) return 1;
    for (size_t k = 0; k < GUARD; k++)
        if (g[k] != GUARD_BYTE) return 0;
    return 1;
}

/* One case on one communicator; every rank of comm calls it. Returns 0 when it passed
 * on every rank of comm. */
static int run_case(const cr_coll_ops_t *o, const cr_dtype_t *dt, MPI_Comm comm, int in_place,
                    int nonblocking, uint64_t req)
{
    cr_coll_buf_t b = { .comm = comm, .dtype = dt, .in_place = in_place };
    unsigned long local[3] = { 0, 0, 0 }, total[3]; /* errors, mismatches, corruption missed */
    uint64_t actual;
    cr_coll_shape_t sh;
    int set_up = 0;
    MPI_Comm_rank(comm, &b.rank);
    MPI_Comm_size(comm, &b.size);
    b.block_count = cr_coll_block_count(o, req, b.size, dt->size, max_count, &actual);
    local[0] += cr_coll_buf_mpi(&b, max_count) != MPI_SUCCESS;
    sh = cr_coll_buf_shape(&b);
    o->buf_bytes(&sh, &b.sbytes, &b.rbytes);
    b.sbuf = b.sbytes ? buf_alloc(b.sbytes) : NULL;
    b.rbuf = buf_alloc(b.rbytes);
    if ((b.sbytes && !b.sbuf) || !b.rbuf) local[0]++;
    if (max_count && (size_t)b.count > max_count) local[0]++; /* the count MPI got */
    if (!local[0] && o->setup) { /* a plug-in's setup may talk over comm: all or none */
        set_up = o->setup(&b) == CR_OK;
        local[0] += !set_up;
    }

    if (!local[0]) {
        int rc;
        o->fill(&b);
        if (nonblocking) {
            cr_coll_req_t req_h;
            rc = o->irun(&b, &req_h);
            if (rc == MPI_SUCCESS)
                rc = o->iwait ? o->iwait(&b, &req_h) : MPI_Wait(&req_h.mpi, MPI_STATUS_IGNORE);
        } else {
            rc = o->run(&b);
        }
        local[0] += rc != MPI_SUCCESS;
        local[0] += !guard_ok(b.sbuf, b.sbytes) + !guard_ok(b.rbuf, b.rbytes);
        local[1] = o->check(&b);
        /* the last rank taking part (the root where only the root has a result)
         * spoils the last element of its first output block */
        int victim = cr_coll_is_probe(o) ? 1 : o->root_result ? 0 : b.size - 1;
        if (b.rank == victim && b.block_count > 0) {
            size_t i = b.block_count - 1;
            cr_dtype_store(dt, b.rbuf, i, (long)cr_dtype_load(dt, b.rbuf, i) + 1);
            local[2] = o->check(&b) != local[1] + 1;
        }
    }
    MPI_Allreduce(local, total, 3, MPI_UNSIGNED_LONG, MPI_SUM, comm);
    int failed = total[0] || total[1] || total[2];
    if (failed && b.rank == 0)
        fprintf(stderr, "FAIL %s %s p=%d S=%llu (asked %llu) %s %s: %lu errors, %lu wrong "
                "elements, corruption %s\n", o->name, dt->name, b.size,
                (unsigned long long)actual, (unsigned long long)req,
                in_place ? "in-place" : "out-of-place", nonblocking ? "nonblocking" : "blocking",
                total[0], total[1], total[2] ? "missed" : "seen");
    if (set_up && o->teardown) o->teardown(&b);
    cr_coll_buf_mpi_free(&b);
    free(b.sbuf);
    free(b.rbuf);
    return failed;
}

/* All cases of one collective on comm (MPI_COMM_NULL: this rank takes no part). */
static void run_coll(const cr_coll_ops_t *o, MPI_Comm comm, tally_t *t)
{
    if (comm == MPI_COMM_NULL) return;
    for (const cr_dtype_t *const *d = cr_dtypes; *d; d++) {
        if (o->reduction && !(*d)->reducible) continue;
        for (int ip = 0; ip <= o->has_in_place; ip++)
            for (int nb = 0; nb <= (o->irun != NULL); nb++)
                for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
                    t->cases++;
                    t->failures += run_case(o, *d, comm, ip, nb, sizes[k]);
                }
    }
}

int main(int argc, char **argv)
{
    int rank, size, expected = argc > 1 ? atoi(argv[1]) : -1;
    max_count = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
    tally_t t = { 0, 0 }, all;
    MPI_Comm half, pair;

    MPI_Init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size != expected) {
        if (rank == 0)
            fprintf(stderr, "coll_driver: world size %d, expected %d (usage: coll_driver NRANKS)\n",
                    size, expected);
        MPI_Finalize();
        return 2;
    }
    MPI_Comm_split(MPI_COMM_WORLD, rank % 2, rank, &half);
    /* pairs (0,1), (2,3), …; an odd last rank stays out */
    MPI_Comm_split(MPI_COMM_WORLD, rank / 2 * 2 + 1 < size ? rank / 2 : MPI_UNDEFINED, rank,
                   &pair);

    for (const cr_coll_ops_t *const *c = cr_coll_registry; *c; c++) {
        long before = t.failures, delta, bad;
        if (cr_coll_is_probe(*c)) {
            run_coll(*c, pair, &t);
        } else {
            run_coll(*c, MPI_COMM_WORLD, &t);
            run_coll(*c, half, &t);
        }
        delta = t.failures - before;
        MPI_Allreduce(&delta, &bad, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
        if (rank == 0) printf("%-15s %s\n", (*c)->name, bad ? "FAILED" : "ok");
    }
    /* a failed case counts once per rank of its communicator */
    MPI_Allreduce(&t.failures, &all.failures, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(&t.cases, &all.cases, 1, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
    if (rank == 0)
        printf("coll_driver: %d ranks, %ld cases per rank, %ld failures%s\n", size, all.cases,
               all.failures, max_count ? " (MPI counts at most MAX_COUNT)" : "");
    if (pair != MPI_COMM_NULL) MPI_Comm_free(&pair);
    MPI_Comm_free(&half);
    MPI_Finalize();
    return all.failures != 0;
}
