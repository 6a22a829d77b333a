/* collroof-fit input model: measurements grouped by (collective, level, cadence,
 * dtype, in_place, variant, skew, ranks, nodes, ppn), plus the run's link ceilings. Rows that differ
 * in any of these are never fitted together. Pure. */
#ifndef FIT_DATA_H
#define FIT_DATA_H

#include <stddef.h>
#include <stdint.h>
#include "cr_error.h"
#include "cr_result.h"

/* One measured size of a group. Times in µs, bandwidths in GB/s. */
typedef struct cr_fit_point {
    uint64_t bytes;          /* S */
    double t_med;            /* median time */
    double t_lo, t_hi;       /* 95% CI of the median */
    double algbw, busbw;     /* as measured (GB/s) */
    double *raw;             /* sorted raw samples, or NULL */
    size_t nraw;
    double faults;           /* page faults per call (faults_per_call); NAN when not recorded */
    double overlap, overlap_lo, overlap_hi;  /* overlap cadences; NAN elsewhere or absent */
    double imbalance;        /* alltoallv: max_recv_bytes / bytes; NAN when not reported */
    uint64_t max_recv;       /* alltoallv: bytes of the most-loaded receiver; 0 not reported */
} cr_fit_point_t;

typedef struct cr_fit_group {
    char collective[CR_NAME_LEN];
    char level[CR_NAME_LEN];
    char cadence[CR_NAME_LEN];
    char dtype[CR_NAME_LEN];  /* "" when the input does not say */
    int in_place;
    cr_variant_t variant;
    char skew[CR_NAME_LEN];  /* alltoallv's routing ("" others): never fitted together */
    int ranks, nodes, ppn;   /* all part of the key: topologies are never mixed */
    /* For people: the collective, plus the dtype, in-place and variant where the set
     * holds groups differing in them, plus "/NxQ" (nodes x ppn) where it holds another
     * topology at the same rank count (cr_fit_set_finish); see cr_fit_group_name(). */
    char label[4 * CR_NAME_LEN];
    size_t series_len;       /* label's length without the topology part */
    double F;                /* bus factor busbw/algbw of its rows */
    cr_fit_point_t *pts;     /* sorted by bytes after cr_fit_set_finish() */
    size_t npts, cap;
    size_t from_incomplete;  /* its rows read from a run whose status.json says it did not complete */
} cr_fit_group_t;

/* Ceiling sources from the metadata; GB/s, 0 when unknown. */
typedef struct cr_fit_ceilings {
    double nominal_GBps;     /* NIC: min over hosts of the fastest device */
    double memcpy_GBps;      /* memory copy: min over NUMA nodes */
} cr_fit_ceilings_t;

typedef struct cr_fit_set {
    cr_fit_group_t *groups;
    size_t ngroups, cap;
    cr_fit_ceilings_t ceil;
    size_t rows;             /* measurements accepted */
    size_t samples;          /* raw samples accepted */
    /* Runs whose status.json says they did not complete: "DIR: timed out at ..." */
    char (*notes)[512];
    size_t nnotes;
    int reading_incomplete;  /* rows being read come from a run that did not complete */
} cr_fit_set_t;

/* One validated input row, as the readers hand it over. raw is moved
 * into the set (the set frees it); times µs. */
typedef struct cr_fit_row {
    char run_id[CR_NAME_LEN];  /* part of the duplicate key only (cr_fit_dups_seen) */
    char collective[CR_NAME_LEN];
    char level[CR_NAME_LEN];
    char cadence[CR_NAME_LEN];
    char dtype[CR_NAME_LEN];
    int in_place;            /* 0 when the input has no such column */
    cr_variant_t variant;    /* blocking when the input has no such column */
    char skew[CR_NAME_LEN];  /* "" when the input has no such column */
    int ranks, nodes, ppn;
    uint64_t bytes;
    double t_med, t_lo, t_hi;
    double algbw, busbw;
    cr_valid_t valid;
    double *raw;
    size_t nraw;
    double faults;           /* faults_per_call, optional: NAN when absent */
    double overlap, overlap_lo, overlap_hi;  /* optional: NAN when absent or empty */
    double imbalance;        /* optional: NAN when absent or 0 (not reported) */
    uint64_t max_recv;       /* optional: 0 when absent */
} cr_fit_row_t;

void cr_fit_set_init(cr_fit_set_t *set);
void cr_fit_set_free(cr_fit_set_t *set);
/* Adds one row to its group (created on first sight); takes ownership of raw. */
cr_status_t cr_fit_set_add(cr_fit_set_t *set, cr_fit_row_t *row);
/* Sorts groups by key and points by size; computes F and the label per group. */
void cr_fit_set_finish(cr_fit_set_t *set);

/* Orders groups by key: collective, level, cadence, dtype, in_place, variant, skew, then
 * ranks, nodes, ppn unless with_ranks is 0 (a series across rank counts, which may
 * hold two topologies at one rank count). 0: same key. */
int cr_fit_key_cmp(const cr_fit_group_t *a, const cr_fit_group_t *b, int with_ranks);

/* The group with key's key (the fields cr_fit_key_cmp compares); NULL when absent. */
const cr_fit_group_t *cr_fit_set_find(const cr_fit_set_t *set, const cr_fit_group_t *key);

/* The group's label, or its collective when it has none. */
const char *cr_fit_group_name(const cr_fit_group_t *g);

/* Sorting helpers on doubles (ascending). */
void cr_fit_sort(double *x, size_t n);
/* Median of x[0..n) (copies; does not modify x). n > 0. */
double cr_fit_median(const double *x, size_t n);
/* The same value, found by selection in x itself (reorders x). n > 0. */
double cr_fit_median_inplace(double *x, size_t n);

#endif
