/* Workload files (--workload, collroof-fit plan): the collective calls of one
 * training step, parsed from text. Pure (no MPI, no placement): collroof reads the
 * text on rank 0 and broadcasts it, every rank parses the same bytes; collroof-fit
 * plan parses the same files (docs/formats.md, "Workload files"). The communicators
 * of a job's placement: cr_wl_comm.h. */
#ifndef CR_WORKLOAD_H
#define CR_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include "cr_coll.h"
#include "cr_error.h"
#include "cr_result.h"
#include "cr_skew.h"

#define CR_WL_MAX_CALLS 256        /* call lines per file */
#define CR_WL_MAX_LINE 4096        /* bytes per line, newline excluded */
#define CR_WL_MAX_FILE (1 << 20)   /* bytes per file */
#define CR_WL_NAME_LEN 64          /* name: 1 to 63 of [A-Za-z0-9._-] */
#define CR_WL_MAX_COUNT 1000000    /* count= at most */
#define CR_WL_MAX_GAP_US 6e7       /* gap_us= at most (one minute) */
#define CR_WL_MAX_TP 65536         /* layout tp= at most */
#define CR_WL_MAX_PP 65536         /* layout pp= at most */
#define CR_WL_MAX_FLOPS 1e30       /* flops= at most */

/* The communicator of a call: the comm= words, in this order. */
typedef enum cr_wl_comm {
    CR_WL_WORLD,      /* every rank */
    CR_WL_NODE,       /* the ranks of one host */
    CR_WL_RAIL,       /* the ranks with the same local index, one per host (level rail) */
    CR_WL_TP,         /* tp consecutive ranks of one host */
    CR_WL_DP,         /* the ranks with the same index inside their tp group and the
                       * same pipeline stage */
    CR_WL_PP,         /* the ranks with the same tp and dp index, one per stage, in
                       * stage order (stage = world rank / (world / pp)) */
    CR_WL_COMM_COUNT
} cr_wl_comm_t;
extern const char *const cr_wl_comm_names[];   /* NULL-terminated, enum order */

/* Which way a shift (sendrecv) sends: to the next rank of its group, or the previous. */
typedef enum cr_wl_dir {
    CR_WL_NEXT,       /* rank i to i+1: a pipeline's forward activations */
    CR_WL_PREV,       /* rank i to i−1: the backward pass's gradients */
    CR_WL_DIR_COUNT
} cr_wl_dir_t;
extern const char *const cr_wl_dir_names[];    /* NULL-terminated, enum order */

/* One call line. */
typedef struct cr_wl_call {
    int line;                     /* 1-based line of the file */
    const cr_coll_ops_t *ops;     /* a collective that runs on levels (no probe) */
    uint64_t bytes;               /* S as asked for (before rounding to elements) */
    cr_wl_comm_t comm;
    int count;                    /* repetitions per step, 1..CR_WL_MAX_COUNT */
    double gap_us;                /* µs of compute before each repetition, 0..CR_WL_MAX_GAP_US */
    const cr_dtype_t *dtype;      /* dtype= or the run's --dtype */
    cr_skew_t skew;               /* skew=/seed= or the run's --skew/--skew-seed (skewed only) */
    cr_wl_dir_t dir;              /* dir= (sendrecv only); CR_WL_NEXT when absent */
    /* Planning only (collroof-fit plan; the replay ignores them): the compute of the
     * gap before each repetition, per rank. 0: not stated. */
    double flops;                 /* flops=: FLOPs, 0..CR_WL_MAX_FLOPS */
    uint64_t mem_bytes;           /* mem_bytes=: bytes to and from memory */
} cr_wl_call_t;

typedef struct cr_workload {
    char path[1024];              /* as given, for messages and the metadata */
    char name[CR_WL_NAME_LEN];    /* name line, or the file's base name sanitized */
    int tp;                       /* layout tp= (1 when absent) */
    int pp;                       /* layout pp= (1 when absent): pipeline stages, outermost */
    int pp_given;                 /* the layout line names pp= */
    int layout_line;              /* its line; 0: no layout line */
    cr_wl_call_t calls[CR_WL_MAX_CALLS];
    int ncalls;
} cr_workload_t;

/* Parses len bytes of text (a workload file read from path) into *wl. dtype and
 * skew are the run's defaults (--dtype, --skew with --skew-seed). On a bad file
 * CR_ERR_INVAL and one message "PATH:LINE: what, naming the token" in err; *wl is
 * then unspecified. */
cr_status_t cr_workload_parse(const char *text, size_t len, const char *path,
                              const cr_dtype_t *dtype, const cr_skew_t *skew,
                              cr_workload_t *wl, char *err, size_t errlen);

/* Σ gap_us × count over the calls (the step row's gap_us). */
double cr_workload_step_gap_us(const cr_workload_t *wl);

#endif
