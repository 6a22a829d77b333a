/* Segmented Hockney fit: exact dynamic programming over 1..K segments, the
 * count chosen by a penalized robust criterion plus a significance check on
 * every breakpoint. Pure. */
#ifndef FIT_SEGMENT_H
#define FIT_SEGMENT_H

#include <stddef.h>
#include "cr_error.h"
#include "fit_model.h"

#define CR_FIT_MAXSEG 8

typedef struct cr_fit_seg {
    size_t first, last;      /* point indices, inclusive */
    cr_fit_line_t line;
} cr_fit_seg_t;

typedef struct cr_fit_segs {
    size_t k;                          /* segments chosen */
    cr_fit_seg_t seg[CR_FIT_MAXSEG];
    double sigma;                      /* relative noise scale the criterion used */
    double crit[CR_FIT_MAXSEG + 1];    /* criterion for k segments; INFINITY if infeasible */
} cr_fit_segs_t;

typedef struct cr_fit_seg_opts {
    size_t max_segments;   /* K, 1..CR_FIT_MAXSEG */
    size_t min_points;     /* per segment, >= 2 (default 3) */
    double penalty;        /* per parameter, in units of ln(n) (BIC = 1; default 2) */
    double p_break;        /* a breakpoint must pass an F test at this level (1e-3) */
    double sigma_ci;       /* relative noise known from per-size CIs; 0 when unknown */
} cr_fit_seg_opts_t;

void cr_fit_seg_opts_default(cr_fit_seg_opts_t *o);

/* Robust relative noise scale: 1.4826 × median |deviation| of each point from
 * the line through its two neighbours, normalised by the propagated variance. */
double cr_fit_noise_scale(const double *x, const double *y, size_t n);

/* x (bytes) strictly sorted or with ties, y (µs) > 0. */
cr_status_t cr_fit_segments(const double *x, const double *y, size_t n,
                            const cr_fit_seg_opts_t *o, cr_fit_segs_t *out);

#endif
