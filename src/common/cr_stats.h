/* Order statistics on sample sets (pure, no MPI). */
#ifndef CR_STATS_H
#define CR_STATS_H

#include <stddef.h>
#include "cr_result.h"

/* 1-based ranks of the 95% CI of the median of n sorted samples
 * (Le Boudec order-statistic method, z = 1.96), clamped to [1, n]. */
void cr_stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi);

/* Percentile q in [0,100] of sorted x[0..n): linear interpolation between
 * closest ranks, position h = (n-1)·q/100 (R-7 / numpy default). */
double cr_stats_percentile(const double *sorted, size_t n, double q);

/* Sorts x in place and fills *st. n must be > 0. */
void cr_stats_summarize(double *x, size_t n, cr_stats_t *st);

/* Relative CI half-width (ci_hi - ci_lo) / 2 / median of sorted x; for the stop rule.
 * Returns +inf when n < 6 (too few samples for the interval to mean anything). */
double cr_stats_rel_ci_halfwidth(const double *sorted, size_t n);

void cr_stats_sort(double *x, size_t n);

#endif
