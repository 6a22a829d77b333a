/* Capacity planning from a fit directory: predicted time and bandwidth for a
 * collective, size and rank count; compute- vs communication-bound. Pure. */
#ifndef FIT_PREDICT_H
#define FIT_PREDICT_H

#include <stdint.h>
#include "fit_group.h"

/* One fit.csv row as read back; µs, GB/s, bytes. */
typedef struct cr_fit_model_row {
    char collective[CR_NAME_LEN], level[CR_NAME_LEN], cadence[CR_NAME_LEN];
    char dtype[CR_NAME_LEN];   /* "" in a fit.csv written before the column existed */
    int in_place;              /* 0 when fit.csv has no such column */
    cr_variant_t variant;      /* blocking when fit.csv has no such column */
    int ranks, segment;
    int nodes, ppn;            /* 0 when fit.csv has no such columns: any topology */
    double bytes_lo, bytes_hi;
    double alpha, alpha_lo, alpha_hi;
    double rinf, rinf_lo, rinf_hi;
    double ceiling, F, link_GBps;
} cr_fit_model_row_t;

typedef struct cr_fit_model {
    cr_fit_model_row_t *rows;
    size_t n;
    cr_fit_scaling_t *scal;
    size_t nscal;
} cr_fit_model_t;

/* Reads DIR/fit.csv (required) and DIR/scaling.csv (optional). */
cr_status_t cr_fit_model_load(const char *dir, cr_fit_model_t *m);
void cr_fit_model_free(cr_fit_model_t *m);

typedef struct cr_fit_query {
    const char *collective;
    const char *level;        /* NULL: "world" when fitted, else the first level */
    const char *cadence;      /* NULL: "isolated" when fitted, else the first */
    /* The rest of the group key. NULL: the one fitted for that collective, level and
     * cadence; several are refused with the choices named. */
    const char *dtype;
    const char *in_place;     /* "0" | "1" */
    const char *variant;      /* "blocking" | "nonblocking" */
    uint64_t bytes;           /* S */
    int ranks;                /* p */
    /* Topology (nodes x ppn = ranks); 0 when not given. Several topologies fitted at
     * the rank count read are refused unless one is given and was measured. */
    int nodes, ppn;
    double link_GBps;         /* what-if link rate (0: as measured) */
    double latency_us;        /* what-if latency (0: as measured) */
} cr_fit_query_t;

typedef struct cr_fit_prediction {
    double t, t_lo, t_hi;                    /* µs */
    double algbw, algbw_lo, algbw_hi;        /* GB/s */
    double busbw, busbw_lo, busbw_hi;        /* GB/s */
    double F;
    double rinf;                             /* GB/s, algbw asymptote used */
    int extrapolated;
    int floored;                             /* 1: t raised to the latency floor */
    double floor_us;                         /* the group's latency floor at p (0: none) */
    char level[CR_NAME_LEN], cadence[CR_NAME_LEN], dtype[CR_NAME_LEN];
    int in_place;
    cr_variant_t variant;
    int nodes, ppn;                          /* topology of the fit read; 0: unknown */
    char basis[512];                         /* what the answer rests on, in words */
} cr_fit_prediction_t;

cr_status_t cr_fit_predict(const cr_fit_model_t *m, const cr_fit_query_t *q,
                           cr_fit_prediction_t *out);

/* Roofline of a workload step (JAX scaling book). flops; bytes moved; peak in
 * FLOP/s; bw in bytes/s. */
typedef struct cr_fit_intensity {
    double intensity;        /* FLOPs per byte */
    double critical;         /* peak / bw, FLOPs per byte */
    double t_math_us, t_comm_us;
    double t_overlap_us;     /* max(T_math, T_comm) */
    double t_serial_us;      /* T_math + T_comm */
    int compute_bound;       /* intensity > critical */
} cr_fit_intensity_t;

void cr_fit_intensity_eval(double flops, double bytes, double peak_flops, double bw_Bps,
                           cr_fit_intensity_t *out);

#endif
