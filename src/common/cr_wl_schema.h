/* The columns of workload.csv, which are also the keys of a workload.jsonl row,
 * listed once (docs/formats.md, "workload.csv"): the contract of issue 10, in
 * order. The workload writers, and any reader, go through this table. Pure. */
#ifndef CR_WL_SCHEMA_H
#define CR_WL_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include "cr_result.h"
#include "cr_schema.h"

/* One row: row "step" (the whole step) or "1", "2", ... (the call lines, in order). */
typedef struct cr_wl_row {
    char run_id[CR_NAME_LEN];
    char workload[64];           /* the file's name line, or its base name */
    char row[CR_NAME_LEN];       /* "step", or the call's index among the call lines */
    char collective[CR_NAME_LEN];/* "step" on the step row */
    char comm[CR_NAME_LEN];      /* world node internode tp dp; "" on the step row */
    int ranks;                   /* ranks per group; the world's on the step row */
    int groups;                  /* concurrent groups; 1 on the step row */
    int nodes, ppn;
    uint64_t bytes;              /* S actual; step: Σ bytes × count */
    char dtype[CR_NAME_LEN];     /* "" on the step row */
    int count;                   /* repetitions per step; 1 on the step row */
    double gap_us;               /* µs of compute before each repetition; step: Σ gap × count */
    char skew[CR_NAME_LEN];      /* alltoallv's routing; "" elsewhere */
    cr_stop_t stop;              /* the step's stopping reason (every row) */
    cr_stats_t t;                /* µs: step samples, or the call's per-sample totals */
    double t_call_us;            /* µs: one repetition, t.median / count; step: t.median */
    double algbw_GBps;           /* bytes / t_call_us, 1e9 B/s; 0 on the step row */
    double busbw_GBps;           /* algbw × F(ranks); 0 on the step row */
    cr_valid_t valid;
    char dir[CR_NAME_LEN];       /* sendrecv's dir= (next, prev); "" elsewhere */
} cr_wl_row_t;

extern const cr_col_t cr_wl_schema[];
extern const size_t cr_wl_schema_n;

#endif
