/* Bootstrap confidence intervals for segment parameters. Deterministic for a seed. */
#ifndef FIT_BOOT_H
#define FIT_BOOT_H

#include <stddef.h>
#include <stdint.h>
#include "cr_error.h"
#include "fit_data.h"
#include "fit_segment.h"
#include "fit_special.h"

/* Exact sampler of the bootstrap median of n sorted samples: the (lower) middle
 * order statistic of a resample is x(j) with P(j' <= j) = P(Bin(n, j/n) >= m),
 * m = ceil(n/2), tabulated once so that a replicate costs one binary search.
 * For even n the median is the mean of the m-th and (m+1)-th order statistics:
 * given the m-th is x(j), the (m+1)-th is x(j) too unless exactly m draws fell at
 * or below j, with probability split[j] = P(Bin(n, j/n) = m)·(1 − ((j−1)/j)^m) /
 * P(m-th is x(j)); then the other n − m draws are uniform on j+1..n and the
 * (m+1)-th is their smallest index, drawn by inversion. */
typedef struct cr_fit_medsamp {
    const double *x;   /* sorted samples */
    size_t n;
    size_t jlo;        /* 1-based first index in the table */
    size_t len;
    double *cdf;
    double *split;     /* even n: P(the (m+1)-th order statistic lies above x(j)) */
} cr_fit_medsamp_t;

cr_status_t cr_fit_medsamp_init(cr_fit_medsamp_t *ms, const double *sorted, size_t n);
double cr_fit_medsamp_draw(const cr_fit_medsamp_t *ms, cr_fit_rng_t *r);
void cr_fit_medsamp_free(cr_fit_medsamp_t *ms);

/* 95% intervals centred on the reported estimate: alpha_lo <= α <= alpha_hi and
 * rinf_lo <= r∞ <= rinf_hi always; µs and GB/s (rinf_hi may be +inf; alpha_lo
 * is clamped to 0 when α > 0). */
typedef struct cr_fit_ci {
    double alpha_lo, alpha_hi;
    double rinf_lo, rinf_hi;
} cr_fit_ci_t;

/* Bootstraps each segment of sg (breakpoints held fixed). When every point
 * has >= 5 raw samples the per-size medians are resampled from the raw
 * samples; otherwise the robust fit's relative residuals are resampled. Each
 * replicate is refitted with cr_fit_line_hockney, as the segment's line was.
 * ci has sg->k entries; *used_raw tells which method ran. */
cr_status_t cr_fit_boot_segments(const cr_fit_point_t *pts, size_t n, const cr_fit_segs_t *sg,
                                 size_t reps, uint64_t seed, cr_fit_ci_t *ci, int *used_raw);

#endif
