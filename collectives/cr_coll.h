/* The collective plug-in: each collectives/<name>.c exports one const ops table.
 *
 * Every file is built twice (collectives.am): into libcrcoll for collroof, with MPI
 * and -DCR_COLL_MPI, and into libcrcollinfo for collroof-fit, without MPI. The pure
 * members (name, flags, S, buffer bytes, F(p), operations per call) are the same in
 * both; the members that take a cr_coll_buf_t (cr_coll_mpi.h) are filled through
 * CR_COLL_MPI_FN and are NULL in libcrcollinfo. Same layout in both builds. */
#ifndef CR_COLL_H
#define CR_COLL_H

#include <stddef.h>
#include <stdint.h>
#include "cr_dtype.h"
#include "cr_error.h"

struct cr_coll_buf;  /* one rank's side of one call: cr_coll_mpi.h */
struct cr_coll_req;  /* a started nonblocking call: cr_coll_mpi.h */
struct cr_skew;      /* a routing for the skewed collectives: cr_skew.h */

/* An MPI-side member: the function in libcrcoll, NULL in libcrcollinfo. */
#ifdef CR_COLL_MPI
#define CR_COLL_MPI_FN(fn) (fn)
#else
#define CR_COLL_MPI_FN(fn) NULL
#endif

/* The communicators a collective runs on. */
typedef enum cr_coll_on {
    CR_COLL_ON_LEVELS,  /* every group of every level asked for; p = the group's ranks */
    CR_COLL_ON_PAIRS,   /* a link probe: one pair of ranks per distance class (p = 2),
                         * not in -c all; its algbw is the one-way link rate, which
                         * collroof-fit takes as the measured link ceiling */
    CR_COLL_ON_COUNT
} cr_coll_on_t;

/* The size of one measurement as the pure members see it. */
typedef struct cr_coll_shape {
    size_t block_count;  /* elements per block (see s_blocks) */
    int p;               /* ranks of the group */
    int rank;            /* this rank in the group; -1: the most any rank needs */
    size_t dsize;        /* bytes per element */
    int in_place;
    const struct cr_skew *skew;  /* --skew routing (skewed collectives); NULL = the default */
} cr_coll_shape_t;

typedef struct cr_coll_ops {
    /* ---- pure: both builds ---- */
    const char *name;
    int reduction;               /* sums: needs dt->reducible */
    int has_in_place;            /* MPI defines MPI_IN_PLACE for it */
    cr_coll_on_t on;
    /* Blocks that make up S for p ranks: S = s_blocks(p) · block_count · dsize. */
    int (*s_blocks)(int p);
    /* Bytes of the send and receive buffers the rank needs (may differ by rank). */
    void (*buf_bytes)(const cr_coll_shape_t *sh, size_t *sbytes, size_t *rbytes);
    double (*bus_factor)(int p); /* busbw = algbw × F(p) (nccl-tests convention) */
    /* Bytes this rank sends to and receives from the other ranks in one call, by
     * the collective's definition, not by an algorithm: *sent counts each byte of
     * its input that another rank's output needs, once however many ranks need it
     * (a bcast root sends S, not (p−1)·S); *recvd counts each byte of its output
     * that comes from, or sums, other ranks' input. What stays on the rank (its
     * own block) is in neither: p = 1 gives 0 and 0. The same in place. rank = −1:
     * the most any rank sends, the most any rank receives. Optional: NULL = not
     * defined. Per call, not per operation (a round trip moves S each way). */
    void (*data_bytes)(const cr_coll_shape_t *sh, uint64_t *sent, uint64_t *recvd);
    /* Operations one call performs; the reported time is per operation (a round
     * trip is 2 one-way trips). 0 is taken as 1. */
    double ops_per_call;
    /* Routes by --skew (cr_skew.h): not in -c all; rows carry skew and skew_seed. */
    int skewed;
    /* Measured only when -c names it: not in -c all (which stays the default run). */
    int named_only;
    /* The result lands on rank 0 alone (reduce, gather): check() reads rank 0's
     * output and is 0 on the others, whose output buffer may be empty. */
    int root_result;
    /* Bytes the most-loaded rank of the p receives in one call, its own block
     * included (rank is ignored). Optional: NULL = not reported (column 0). */
    uint64_t (*max_recv_bytes)(const cr_coll_shape_t *sh);
    /* Bytes that must cross between hosts in one call, summed over the hosts, when
     * the p ranks sit on `hosts` hosts, p/hosts on each: the least any algorithm
     * moves, the library being free to combine the data of one host's ranks first
     * (docs/method.md, "Bytes on the wire"). hosts = 1: 0. rank is ignored.
     * Optional: NULL = not derived (column wire_min_bytes_per_call empty). */
    uint64_t (*wire_min_bytes)(const cr_coll_shape_t *sh, int hosts);

    /* ---- MPI build only (CR_COLL_MPI_FN); optional ones may be NULL there too ---- */
    /* Per-measurement state, outside the timed loop, after the buffers exist: may
     * set b->state, allocate counts, or talk over b->comm. The harness agrees on
     * the outcome over every rank; teardown runs wherever setup succeeded. State
     * must not hold buffer addresses: sbuf/rbuf rotate under --cold-cache. */
    cr_status_t (*setup)(struct cr_coll_buf *b);         /* optional */
    void (*teardown)(struct cr_coll_buf *b);             /* optional */
    /* Put the checkable pattern in the input buffer(s), poison the output. */
    void (*fill)(const struct cr_coll_buf *b);
    /* Buffers before the timed calls: values that stay bounded when the call
     * repeats (an in-place sum grows by p every call). Optional: NULL = fill. */
    void (*prepare_timed)(const struct cr_coll_buf *b);
    int (*run)(const struct cr_coll_buf *b);             /* blocking; an MPI error code */
    /* Nonblocking start, completed by the harness (MPI_Wait), or NULL. Collectives
     * with one get the overlap cadences. */
    int (*irun)(const struct cr_coll_buf *b, struct cr_coll_req *req);
    /* Optional completion of what irun started, used by the harness in place of
     * MPI_Wait / MPI_Test on req->mpi when set (a plug-in whose request is not an
     * MPI request: the test plug-in's deadline). itest sets *done to 0 or 1. MPI
     * error codes. NULL: MPI_Wait, MPI_Test. */
    int (*iwait)(const struct cr_coll_buf *b, struct cr_coll_req *req);
    int (*itest)(const struct cr_coll_buf *b, struct cr_coll_req *req, int *done);
    /* Elements of this rank's output that differ from what the pattern implies. */
    size_t (*check)(const struct cr_coll_buf *b);
} cr_coll_ops_t;

/* NULL-terminated registry, collectives/registry.c. */
extern const cr_coll_ops_t *const cr_coll_registry[];
/* Testing only: plug-ins with a known answer (test_deadline), NULL-terminated,
 * never in -c all; cr_coll_find and cr_coll_names see them only when the
 * environment has COLLROOF_TEST_PLUGINS=1. */
extern const cr_coll_ops_t *const cr_coll_testing[];
const cr_coll_ops_t *cr_coll_find(const char *name);

/* "allreduce, allgather, …" (every registered name, and the testing ones when
 * enabled) into buf, truncated to len. */
const char *cr_coll_names(char *buf, size_t len);

/* The largest count an MPI call takes (an int, before MPI-4's large-count calls). */
#define CR_COLL_MAX_COUNT 2147483647

/* Elements of one MPI unit for a block of n elements when counts may be at most
 * max_count (0 or above CR_COLL_MAX_COUNT: CR_COLL_MAX_COUNT): 1 while n fits,
 * else the least power of two ≥ n / max_count, the contiguous type such a block
 * travels as (cr_coll_buf_mpi). A power of two, so sizes given in K, M or G units
 * are whole units, and rounding down to whole units keeps the same unit. max_count below INT_MAX is for tests (COLLROOF_MAX_COUNT). */
size_t cr_coll_unit(size_t n, size_t max_count);

/* Element count per block for a requested S, and the actual S: rounded down to
 * whole blocks of the datatype (0 when S is smaller than one element per block),
 * and above max_count elements (0 = CR_COLL_MAX_COUNT) to whole units of
 * cr_coll_unit (none lost for sizes in K, M, G units). Never clamped. */
size_t cr_coll_block_count(const cr_coll_ops_t *ops, uint64_t req_bytes, int p,
                           size_t dsize, size_t max_count, uint64_t *actual_bytes);

/* A point-to-point link probe (runs on the probe pairs, see cr_coll_on_t). */
int cr_coll_is_probe(const cr_coll_ops_t *ops);
/* In -c all: neither a probe, nor skewed, nor named_only. */
int cr_coll_in_all(const cr_coll_ops_t *ops);
/* Largest group it runs on in a world of world_size ranks. */
int cr_coll_max_ranks(const cr_coll_ops_t *ops, int world_size);
/* ops_per_call, at least 1: reported time = a call's time / this. */
double cr_coll_ops_per_call(const cr_coll_ops_t *ops);

#endif
