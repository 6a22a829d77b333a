/* Workload generators (collroof-fit workload dp|tp|moe|pp): the calls of the common
 * parallel layouts, written as a commented workload file that collroof --workload
 * replays and collroof-fit plan predicts, the arithmetic in its comments. Pure. */
#ifndef FIT_WLGEN_H
#define FIT_WLGEN_H

#include <stdint.h>
#include <stdio.h>
#include "cr_error.h"

typedef enum cr_wlgen_kind {
    CR_WLGEN_DP, CR_WLGEN_TP, CR_WLGEN_MOE, CR_WLGEN_PP, CR_WLGEN_N
} cr_wlgen_kind_t;
extern const char *const cr_wlgen_names[];   /* "dp", "tp", "moe", "pp", NULL */

typedef struct cr_wlgen {
    cr_wlgen_kind_t kind;
    double params;            /* dp: model parameters */
    double bytes_per_param;   /* dp: gradient bytes per parameter (2: bf16) */
    uint64_t bucket;          /* dp: bucket bytes */
    double tokens;            /* dp: tokens per step per replica (0: no flops=); moe: per rank */
    long hidden, seq, micro_batch, layers, tp;   /* tp; pp: hidden, seq, micro_batch, tp
                                                  * (0: 1) give the activation */
    long experts, top_k;      /* moe */
    const char *skew;         /* moe: alltoallv routing, e.g. zipf:1.2 */
    long seed;                /* moe: routing seed */
    double bytes_per_value;   /* tp, moe, pp: activation bytes per value (2: bf16) */
    long stages, micro_batches;   /* pp */
    uint64_t activation;      /* pp: bytes a stage sends per micro-batch (0: from h, s, b) */
    double fwd_us, bwd_us;    /* pp: compute per micro-batch per stage, µs (0: not given) */
    double fwd_flops, bwd_flops;  /* pp: the same as FLOPs per rank (0: not given) */
    double peak_tflops;       /* > 0: gap_us = flops / peak is written too */
    char name[64];            /* "" : one made from the parameters */
} cr_wlgen_t;

/* The arithmetic, for the file and the tests. */
uint64_t cr_wlgen_dp_total(const cr_wlgen_t *g);      /* round(params x bytes_per_param) */
uint64_t cr_wlgen_tp_act(const cr_wlgen_t *g);        /* seq x micro_batch x hidden x bpv */
uint64_t cr_wlgen_moe_dispatch(const cr_wlgen_t *g);  /* tokens x top_k x hidden x bpv */
uint64_t cr_wlgen_pp_act(const cr_wlgen_t *g);        /* activation, or s x b x h x bpv / tp */

/* Writes the workload file to f. CR_ERR_INVAL with why in err when the parameters
 * make no file (a bucket larger than the gradients is fine: one bucket). */
cr_status_t cr_wlgen_write(const cr_wlgen_t *g, FILE *f, char *err, size_t errlen);

#endif
