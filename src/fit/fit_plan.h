/* collroof-fit plan: a workload step (the file collroof --workload replays)
 * predicted call by call from a fit directory, on a target nodes x ppn, beside its
 * compute (FLOPs / peak, bytes / memory bandwidth) and the ceiling each call binds
 * on. Pure but for reading overlap.csv. Formulas: docs/method.md, "Planning a step". */
#ifndef FIT_PLAN_H
#define FIT_PLAN_H

#include <stdint.h>
#include <stdio.h>
#include "cr_workload.h"
#include "fit_predict.h"

/* The levels a step's communication is split by (plot stacks, CSV columns). */
#define CR_FIT_PLAN_NLV 4
extern const char *const cr_fit_plan_levels[CR_FIT_PLAN_NLV + 1];  /* node, rail, internode, world */

typedef struct cr_fit_plan_opts {
    /* Copied into every call's query: cadence, what-ifs (link_GBps, latency_us and what
     * later joins cr_fit_query_t), hier_alg. collective, level, bytes, ranks, nodes,
     * ppn, skew are set per call. */
    cr_fit_query_t base;
    int nodes, ppn;          /* the target */
    double peak_flops;       /* FLOP/s; 0: not given */
    double mem_Bps;          /* bytes/s; 0: not given */
    double overlap;          /* share of a call's communication that may hide behind the
                              * compute before it, [0, 1] */
    int overlap_from_fit;    /* 1: per call from DIR/overlap.csv (nearest measured size) */
    const char *fit_dir;     /* for overlap.csv */
} cr_fit_plan_opts_t;

/* One call line, per repetition unless said. Times µs. */
typedef struct cr_fit_plan_call {
    const cr_wl_call_t *call;
    int ranks;                        /* ranks per group of its comm on the target */
    char level[CR_NAME_LEN];          /* fit level, or "hierarchical", or "none" (1 rank) */
    char algorithm[160];              /* what the price rests on, in words */
    int extrapolated;                 /* 1: a fit or phase beyond what was measured */
    double t, t_lo, t_hi;             /* communication, 95% prediction interval */
    double lv[CR_FIT_PLAN_NLV];       /* t split by level (hierarchical phases) */
    double overlap;                   /* share used */
    char overlap_src[96];             /* "--overlap", "overlap.csv C LEVEL p=N S=B", ... */
    double compute;                   /* compute before it: max(t_math, t_mem), else gap_us */
    int compute_from_flops;           /* 1: compute from flops=/mem_bytes=, 0: gap_us */
    double t_math, t_mem;             /* flops / peak, mem_bytes / bandwidth; NAN: unknown */
    double intensity, critical;       /* FLOP per communicated byte, peak / comm bandwidth; NAN */
    double exposed, exposed_lo, exposed_hi;   /* t - min(overlap x t, compute) at t, t_lo, t_hi */
    char binds[40];                   /* compute | memory | comm:LEVEL */
    char warning[384];                /* "" or why the answer is a long shot */
    double t_row_measured;            /* with what-ifs: count x (compute + exposed) on the
                                       * measured fabric (cr_fit_plan_measured); NAN else */
    /* Link energy (fit_energy.h). Bytes per call crossing each level, summed over
     * hosts, from the phases' collectives (cr_fit_energy_bytes); J per call, low-high. */
    int world;                        /* ranks of the target, nodes x ppn */
    double link_bytes[CR_FIT_PLAN_NLV];
    const char *bytes_basis;          /* "modelled" | "measured" */
    int wire_measured;                /* 1: wire_bytes holds the run's measurement (a call
                                       * zeroed by memset is modelled) */
    double wire_bytes;                /* measured wire_tx_bytes_per_call of the run's row for
                                       * this call (cr_fit_energy_wire) */
    char bytes_src[320];              /* "RUN/results.csv:LINE (...)", "": modelled */
    double e_lv_lo[CR_FIT_PLAN_NLV], e_lv_hi[CR_FIT_PLAN_NLV];
    double e_lo, e_hi;                /* J per call, all levels */
    double host_J;                    /* measured host energy per call (RAPL), NAN: none */
    char host_src[320];
} cr_fit_plan_call_t;

typedef struct cr_fit_plan {
    int nodes, ppn, tp, pp;       /* the target; the layout's tp and pipeline stages */
    cr_fit_plan_call_t calls[CR_WL_MAX_CALLS];
    int ncalls;
    /* The step: Σ count x (compute + exposed) over the call lines. */
    double compute, comm, exposed, exposed_lo, exposed_hi;
    double t, t_lo, t_hi;
    double lv[CR_FIT_PLAN_NLV];       /* exposed communication per level */
    int extrapolated;
    /* With what-ifs (cr_fit_query_has_whatif of the base query): what they are, in
     * words, and the step on the measured fabric (NAN without). */
    char whatif[256];
    double t_measured, t_measured_lo, t_measured_hi;
    /* Link energy per step (cr_fit_energy_plan; energy 0: not asked for). */
    int energy;
    double link_bytes[CR_FIT_PLAN_NLV];
    double e_lv_lo[CR_FIT_PLAN_NLV], e_lv_hi[CR_FIT_PLAN_NLV];
    double e_lo, e_hi;                /* J per step */
    double host_J;                    /* measured, summed over the calls that have it; NAN none */
    int host_calls;                   /* call lines with a measured host energy */
    char classes[512];                /* "internode=pluggable-800g-2xdr4 x2; node=none" */
} cr_fit_plan_t;

/* One grid point of plan --grid, as its table row and plot read it. Times us. */
typedef struct cr_fit_plan_gpt {
    int nodes, ppn;
    char whatif[256];                 /* "" on the measured fabric */
    double compute, lv[CR_FIT_PLAN_NLV];   /* the step's stack */
    double t, t_lo, t_hi, t_measured; /* t_measured NAN without what-ifs */
    int extrapolated;
    size_t series;                    /* points differing only in nodes share it */
} cr_fit_plan_gpt_t;

/* Predicts wl on o's target. CR_OK, or CR_ERR_INVAL with one message
 * "PATH:LINE: what is missing" in err (a collective or level the fit lacks, a tp
 * that does not divide ppn). */
cr_status_t cr_fit_plan_run(const cr_fit_model_t *m, const cr_workload_t *wl,
                            const cr_fit_plan_opts_t *o, cr_fit_plan_t *out, char *err,
                            size_t errlen);

/* The plan CSV (docs/formats.md, "plan.csv"): per plan its call rows, then its step
 * row; columns from one table (fit_plan_csv.c). Replaces path. */
cr_status_t cr_fit_plan_csv(const char *path, const cr_workload_t *wl, const cr_fit_plan_t *p,
                            int n);
/* The same streamed, one plan at a time (plan --grid): the header on open (NULL after
 * reporting why), a plan's call rows and step row per add, the error check on close. */
FILE *cr_fit_plan_csv_open(const char *path);
void cr_fit_plan_csv_add(FILE *f, const cr_workload_t *wl, const cr_fit_plan_t *p);
cr_status_t cr_fit_plan_csv_close(FILE *f, const char *path);

/* With what-ifs in o->base: the same plan on the measured fabric (the query without
 * them) into p's t_measured* and each call's t_row_measured, and p->whatif; without
 * them those stay NAN and "". */
cr_status_t cr_fit_plan_measured(const cr_fit_model_t *m, const cr_workload_t *wl,
                                 const cr_fit_plan_opts_t *o, cr_fit_plan_t *p, char *err,
                                 size_t errlen);

/* A call's time with overlap f behind compute c: t - min(f t, c). */
double cr_fit_plan_exposed(double t, double f, double c);

#endif
