/* Segmented Hockney fit over 1..K segments, the count chosen by a penalized
 * robust criterion plus a significance check on every breakpoint. Pure. */
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

/* x (bytes) strictly sorted or with ties, y (µs) > 0.
 * Criterion for k segments: Σ Huber ρ(r/σ) of each segment's robust line
 * (cr_fit_line_hockney, r relative) + penalty·ln(n)·(3k − 1). A Huber cost of
 * robust lines has no sufficient statistics, so the search has two stages:
 * (1) screen: DP over all breakpoints on the weighted least-squares cost
 * Σ v·r²/σ², O(1) per candidate segment from running weighted moments, O(K·n²)
 * time, O(K·n) memory; v is the Huber IRLS weight of each point (ρ's quadratic
 * majorizer), from neighbour deviations at first, then from the chosen model's
 * residuals, re-screening until the breakpoints stop moving (≤ 4 rounds);
 * (2) refine: exact DP on the robust criterion with each breakpoint confined to
 * ± 2 points of the screened one, the window re-centred while the optimum sits
 * on its edge. Exact wherever the optimum lies within that band of the
 * screen's (tests check it against the full search); not exact otherwise. */
cr_status_t cr_fit_segments(const double *x, const double *y, size_t n,
                            const cr_fit_seg_opts_t *o, cr_fit_segs_t *out);

#endif
