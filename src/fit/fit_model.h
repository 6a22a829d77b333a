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

/* Theil–Sen estimate (median of pairwise slopes, then median intercept).
 * Needs two distinct x; returns -1 otherwise. */
int cr_fit_line_theil_sen(const double *x, const double *y, size_t n, cr_fit_line_t *out);

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
