#include "config.h"

#include "cr_stats.h"

#include <math.h>
#include <stdlib.h>

static int cr_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void cr_stats_sort(double *x, size_t n) { qsort(x, n, sizeof *x, cr_cmp_double); }

void cr_stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi)
{
    const double z = 1.96;
    double s = z * sqrt((double)n);
    double l = floor(((double)n - s) / 2.0);
    double h = ceil(1.0 + ((double)n + s) / 2.0);
    if (l < 1) l = 1;
    if (h > (double)n) h = (double)n;
    if (l > (double)n) l = (double)n;
    if (h < 1) h = 1;
    *lo = (size_t)l;
    *hi = (size_t)h;
}

double cr_stats_percentile(const double *sorted, size_t n, double q)
{
    double h, frac;
    size_t k;
    if (n == 0) return NAN;
    if (q <= 0) return sorted[0];
    if (q >= 100) return sorted[n - 1];
    h = (double)(n - 1) * q / 100.0;
    k = (size_t)floor(h);
    frac = h - (double)k;
    if (k + 1 >= n) return sorted[n - 1];
    return sorted[k] + frac * (sorted[k + 1] - sorted[k]);
}

double cr_stats_rel_ci_halfwidth(const double *sorted, size_t n)
{
    size_t lo, hi;
    double med;
    if (n < 6) return INFINITY;
    cr_stats_median_ci_ranks(n, &lo, &hi);
    med = cr_stats_percentile(sorted, n, 50.0);
    if (!(med > 0)) return INFINITY;
    return (sorted[hi - 1] - sorted[lo - 1]) / 2.0 / med;
}

void cr_stats_summarize(double *x, size_t n, cr_stats_t *st)
{
    size_t lo, hi, i, out = 0;
    double sum = 0, ss = 0, q1, q3, fence;

    cr_stats_sort(x, n);
    for (i = 0; i < n; i++) sum += x[i];
    st->n = n;
    st->min = x[0];
    st->max = x[n - 1];
    st->mean = sum / (double)n;
    for (i = 0; i < n; i++) ss += (x[i] - st->mean) * (x[i] - st->mean);
    st->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
    st->median = cr_stats_percentile(x, n, 50.0);
    st->p90 = cr_stats_percentile(x, n, 90.0);
    st->p99 = cr_stats_percentile(x, n, 99.0);
    cr_stats_median_ci_ranks(n, &lo, &hi);
    st->ci_lo = x[lo - 1];
    st->ci_hi = x[hi - 1];
    q1 = cr_stats_percentile(x, n, 25.0);
    q3 = cr_stats_percentile(x, n, 75.0);
    fence = q3 + 1.5 * (q3 - q1);
    for (i = n; i > 0 && x[i - 1] > fence; i--) out++;
    st->outliers = out;
}
