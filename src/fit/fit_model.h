/* Hockney model T(S) = α + S / r∞ fitted on relative error. Pure. */
#ifndef FIT_MODEL_H
#define FIT_MODEL_H

#include <stddef.h>

/* A fitted line; x in bytes, y in µs. */
typedef struct cr_fit_line {
    double alpha;    /* µs */
    double beta;     /* µs per byte = 1 / r∞ */
    double rel_med;  /* median |relative residual| */
} cr_fit_line_t;

/* Theil–Sen estimate: β the median of the slopes (y_j − y_i) / ((x_j − x_i) / xmax)
 * over pairs of distinct x (even count: mean of the two middle ones), divided by
 * xmax = max |x|; α the median of y − β·x. Needs two distinct x; returns -1
 * otherwise. O(n log n) expected time, O(n) memory. */
int cr_fit_line_theil_sen(const double *x, const double *y, size_t n, cr_fit_line_t *out);

/* The same line by enumerating all n(n−1)/2 slopes: O(n²) time and memory. The
 * reference of cr_fit_line_theil_sen, which returns it bit for bit (a zero slope's
 * sign aside) and calls it for small n and degenerate data. */
int cr_fit_line_theil_sen_pairs(const double *x, const double *y, size_t n,
                                cr_fit_line_t *out);

/* The selection alone, any n: 0 and *out as above, -1 without two distinct x or
 * memory, 1 where only the enumeration can answer (non-finite input, x or y ranges
 * near overflow, too many slopes within rounding of the middle ones: collinear or
 * tied data); cr_fit_line_theil_sen then enumerates. */
int cr_fit_line_theil_sen_select(const double *x, const double *y, size_t n,
                                 cr_fit_line_t *out);

/* IRLS with Huber weights on relative residuals (y - α - βx) / y, from start.
 * x is scaled by its maximum internally so that large sizes do not cancel. */
int cr_fit_line_irls(const double *x, const double *y, size_t n, const cr_fit_line_t *start,
                     cr_fit_line_t *out);

/* Theil–Sen start then IRLS: the robust Hockney fit. */
int cr_fit_line_hockney(const double *x, const double *y, size_t n, cr_fit_line_t *out);

/* Relative residuals r[i] = (y - α - βx) / y. */
void cr_fit_line_resid(const cr_fit_line_t *l, const double *x, const double *y, size_t n,
                       double *r);

/* r∞ in GB/s (bytes/µs × 1e-3) from β; +inf when β <= 0. */
double cr_fit_line_rinf_GBps(double beta);

#endif
