/* A replayed workload step as collroof measured it (RUN/workload.csv, docs/formats.md
 * "workload.csv"): the step's median and each call line's measured total per step.
 * Read with the results readers' strictness (header by name, plain decimals, torn
 * last line warned, --lenient); no model is fitted to it. Pure but for the reader. */
#ifndef FIT_WORKLOAD_H
#define FIT_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "cr_error.h"
#include "cr_result.h"
#include "fit_read.h"

#define CR_FIT_WL_NAME 64    /* workload names: [A-Za-z0-9._-]{1,63} */
#define CR_FIT_WL_MAXCALLS 256

/* One row of workload.csv. Times µs, bandwidths GB/s. */
typedef struct cr_fit_wl_row {
    int index;               /* 0: the step row, else the call line's 1-based index */
    char collective[CR_NAME_LEN];   /* "step" on the step row */
    char comm[CR_NAME_LEN];  /* world | node | internode | tp | dp; "" on the step row */
    int ranks, groups, nodes, ppn;
    uint64_t bytes;          /* S; the step row: sum of bytes x count */
    char dtype[CR_NAME_LEN];
    long count;              /* repetitions per step */
    double gap_us;           /* compute gap before each repetition; step: sum x count */
    char skew[CR_NAME_LEN];  /* alltoallv's routing; "" others */
    long samples;
    double t_med, t_lo, t_hi;   /* median of the per-sample totals, its 95% CI */
    double t_call;           /* one repetition: t_med / count (the step row: t_med) */
    double algbw, busbw;
    cr_valid_t valid;
} cr_fit_wl_row_t;

/* One measured step of one run. */
typedef struct cr_fit_wl {
    char run_id[CR_FIT_WL_NAME];
    char name[CR_FIT_WL_NAME];
    char source[512];        /* the file it came from, for messages */
    int has_step;
    cr_fit_wl_row_t step;
    cr_fit_wl_row_t *calls;  /* by index */
    size_t ncalls;
} cr_fit_wl_t;

typedef struct cr_fit_wlset {
    cr_fit_wl_t *wl;
    size_t n;
} cr_fit_wlset_t;

void cr_fit_wlset_free(cr_fit_wlset_t *s);

/* Reads path (a workload.csv) into s. Errors name file and line, as the results
 * readers do; a workload without its step row is refused. */
cr_status_t cr_fit_wl_read(const char *path, const cr_fit_read_opts_t *o, cr_fit_wlset_t *s);

/* What the step is made of: sum of the call lines' measured totals, the remainder
 * step - sum (compute gaps, synchronisation and skew between ranks: medians do not add
 * exactly, so it may be slightly negative), and a call's share of the step median. */
double cr_fit_wl_calls_total(const cr_fit_wl_t *w);
double cr_fit_wl_remainder(const cr_fit_wl_t *w);
double cr_fit_wl_share(const cr_fit_wl_t *w, double t_us);

#endif
