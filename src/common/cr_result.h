/* One finished measurement: a row of results.csv / a line of results.jsonl.
 * Plain data, shared by the harness, the writers and collroof-fit's readers. */
#ifndef CR_RESULT_H
#define CR_RESULT_H

#include <stddef.h>
#include <stdint.h>

#define CR_NAME_LEN 32

typedef enum cr_stop { CR_STOP_PRECISION, CR_STOP_ITERS, CR_STOP_TIME } cr_stop_t;
typedef enum cr_valid { CR_VALID_PASS, CR_VALID_FAIL, CR_VALID_SKIPPED } cr_valid_t;
/* The call that was timed: MPI_<coll>, or MPI_I<coll> + MPI_Wait (--nonblocking). */
typedef enum cr_variant { CR_VARIANT_BLOCKING, CR_VARIANT_NONBLOCKING } cr_variant_t;

/* Value names in enum order, NULL-terminated (the words results.csv holds). */
extern const char *const cr_stop_names[];
extern const char *const cr_valid_names[];
extern const char *const cr_variant_names[];

/* How the calls of a measurement follow each other (docs/method.md): isolated and
 * streaming time the call; overlap and overlap_test time MPI_I<coll>, a compute
 * kernel and MPI_Wait (overlap_test: MPI_Test after every 1/16 of the kernel). */
typedef enum cr_cadence {
    CR_CADENCE_ISOLATED, CR_CADENCE_STREAMING, CR_CADENCE_OVERLAP, CR_CADENCE_OVERLAP_TEST,
    CR_CADENCE_COUNT
} cr_cadence_t;
extern const char *const cr_cadence_names[];   /* the cadence column's words, enum order */
int cr_cadence_parse(const char *name, cr_cadence_t *out);
/* 1 for the cadences that measure overlap (columns t_pure_us ... overlap_hi). */
int cr_cadence_is_overlap(cr_cadence_t c);

const char *cr_stop_str(cr_stop_t s);
const char *cr_valid_str(cr_valid_t v);
/* Return 0 and set *out when name is known, -1 otherwise. */
int cr_stop_parse(const char *name, cr_stop_t *out);
int cr_valid_parse(const char *name, cr_valid_t *out);
int cr_variant_parse(const char *name, cr_variant_t *out);

/* A name docs/formats.md calls a plain identifier (collective, level, cadence,
 * dtype): 1 to CR_NAME_LEN - 1 characters of [A-Za-z0-9_.-]. */
int cr_name_is_plain(const char *s);
/* s for a message: printable ASCII as is, every other byte as \xNN, cut to fit buf
 * (ending in "..." when cut). Returns buf. */
const char *cr_name_show(const char *s, char *buf, size_t len);

/* Fresh memory in the timed loop: at least 16 page faults per call that amount, as
 * 4 KiB pages, to at least 10% of the message — the mark of an MPI library mapping
 * a new temporary every call (docs/method.md, "Page faults in the timed loop"). NAN: no. */
int cr_result_fresh_memory(double faults_per_call, uint64_t bytes);

/* Summary of one sample set; times in µs. */
typedef struct cr_stats {
    size_t n;          /* samples */
    double min, median, ci_lo, ci_hi, mean, p90, p99, max;
    double stddev;
    size_t outliers;   /* samples above the Tukey upper fence Q3 + 1.5 IQR */
} cr_stats_t;

typedef struct cr_result {
    char run_id[CR_NAME_LEN];
    char collective[CR_NAME_LEN];
    char level[CR_NAME_LEN];
    char cadence[CR_NAME_LEN];   /* a cr_cadence_names word */
    int ranks;                   /* ranks per group */
    int nodes;
    int ppn;                     /* max ranks per node */
    int groups;                  /* concurrent sub-communicators */
    uint64_t bytes;              /* S, actual (after rounding) */
    uint64_t block_bytes;
    char dtype[CR_NAME_LEN];
    cr_stop_t stop;
    cr_stats_t t;                /* µs */
    double algbw_GBps;           /* bytes / t_median, 1e9 B/s */
    double busbw_GBps;           /* algbw × F(p) */
    cr_valid_t valid;
    /* Columns after the contract's (appended; may grow). */
    int in_place;
    int low_resolution;          /* median < 10 × timer resolution */
    int warmup;                  /* warm-up iterations discarded */
    int calls_per_sample;        /* 1 isolated, K streaming */
    char mem[CR_NAME_LEN];       /* where the receive buffer's pages are: numa:N, interleave, ... */
    char pages[CR_NAME_LEN];     /* base, hugetlb or thp */
    int cold;                    /* --cold-cache pool larger than twice the last-level cache */
    double faults_per_call;      /* minor page faults per call during the timed loop (getrusage
                                    ru_minflt / calls), on the rank with the most */
    cr_variant_t variant;        /* blocking unless --nonblocking and the collective has one */
    struct {                     /* the sampling loop's energy (docs/method.md, "Energy");
                                    NAN: not measured (no counters, or a kind absent) */
        double loop_s;           /* s between the counter readings, max over hosts */
        double pkg_J, pkg_J_sum;   /* package zones, J per call: max over hosts, sum */
        double dram_J, dram_J_sum; /* DRAM zones, J per call: max over hosts, sum */
        double pJ_per_B, pJ_per_B_sum; /* (package + DRAM) per call / bytes S, pJ per byte:
                                          the host with the most, all hosts */
    } energy;
    /* Overlap cadences only (NAN, an empty field, on the others); µs, medians over
     * max-over-ranks samples. overlap = 1 − (t_overlapped − t_compute) / t_pure in
     * [0, 1] (cr_overlap.h), t_overlapped being t.median. */
    double t_pure_us;            /* MPI_I<coll> + MPI_Wait alone */
    double t_compute_us;         /* the calibrated compute kernel alone */
    double overlap, overlap_lo, overlap_hi;
    char skew[CR_NAME_LEN];      /* routing spec of a skewed collective (alltoallv); "" others */
    uint64_t skew_seed;          /* its seed; 0 for others */
    uint64_t max_recv_bytes;     /* bytes the most-loaded rank receives per call, own block
                                    included; 0 where the collective does not report it */
    double imbalance;            /* max_recv_bytes / mean receive bytes (= bytes); 0: not reported */
    struct {                     /* NIC byte counters around the sampling loop, bytes per call
                                    (docs/method.md, "Bytes on the wire"); NAN: not measured */
        double tx, tx_max;       /* sent: sum over hosts, the host that sent the most */
        double rx;               /* received: sum over hosts */
        double bg;               /* sent over an idle interval, scaled to the loop: sum */
        double min;              /* the collective's inter-host minimum (wire_min_bytes), all
                                    groups; NAN: the plug-in derives none */
        double eff;              /* min / tx; NAN: not measured, or min 0 */
        int bg_high;             /* 1: bg above CR_WIRE_BG_SHARE of tx */
    } wire;
} cr_result_t;

/* Background traffic above this share of a row's measured bytes flags it (wire_bg_high). */
#define CR_WIRE_BG_SHARE 0.05

/* Marks every energy column "not measured" (NAN). */
void cr_result_no_energy(cr_result_t *r);
/* Marks every wire column "not measured" (NAN, bg_high 0). */
void cr_result_no_wire(cr_result_t *r);

#endif
