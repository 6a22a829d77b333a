#include "config.h"

#include "fit_model.h"

#include <math.h>
#include <stdlib.h>
#include "fit_data.h"

#define CR_FIT_HUBER_C 1.345
#define CR_FIT_SCALE_FLOOR 1e-7   /* relative; below it residuals count as exact */
#define CR_FIT_IRLS_MAX 100

static double cr_fit_xmax(const double *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        if (fabs(x[i]) > m) m = fabs(x[i]);
    return m > 0 ? m : 1;
}

void cr_fit_line_resid(const cr_fit_line_t *l, const double *x, const double *y, size_t n,
                       double *r)
{
    for (size_t i = 0; i < n; i++) r[i] = (y[i] - l->alpha - l->beta * x[i]) / y[i];
}

static double cr_fit_abs_median(const double *r, size_t n, double *tmp)
{
    for (size_t i = 0; i < n; i++) tmp[i] = fabs(r[i]);
    return cr_fit_median_inplace(tmp, n);
}

/* One weighted least-squares step on centered, scaled data; -1 if degenerate. */
static int cr_fit_wls(const double *u, const double *y, const double *w, size_t n, double *a,
                      double *b)
{
    double W = 0, mu = 0, my = 0, suu = 0, suy = 0;
    for (size_t i = 0; i < n; i++) {
        W += w[i];
        mu += w[i] * u[i];
        my += w[i] * y[i];
    }
    if (!(W > 0)) return -1;
    mu /= W;
    my /= W;
    for (size_t i = 0; i < n; i++) {
        double du = u[i] - mu;
        suu += w[i] * du * du;
        suy += w[i] * du * (y[i] - my);
    }
    if (!(suu > 0)) return -1;
    *b = suy / suu;
    *a = my - *b * mu;
    return 0;
}

int cr_fit_line_irls(const double *x, const double *y, size_t n, const cr_fit_line_t *start,
                     cr_fit_line_t *out)
{
    double xs = cr_fit_xmax(x, n), a = start->alpha, b = start->beta * xs;
    double stack[4 * 64], *buf = n <= 64 ? stack : malloc(4 * n * sizeof *buf);
    double *u, *r, *w, *tmp;
    int rc = 0;
    if (!buf) return -1;
    u = buf;
    r = buf + n;
    w = buf + 2 * n;
    tmp = buf + 3 * n;
    for (size_t i = 0; i < n; i++) u[i] = x[i] / xs;
    for (int it = 0; it < CR_FIT_IRLS_MAX; it++) {
        double s, na, nb;
        for (size_t i = 0; i < n; i++) r[i] = (y[i] - a - b * u[i]) / y[i];
        s = 1.4826 * cr_fit_abs_median(r, n, tmp);
        if (s < CR_FIT_SCALE_FLOOR) s = CR_FIT_SCALE_FLOOR;
        for (size_t i = 0; i < n; i++) {
            double h = (n <= 4 || fabs(r[i]) <= CR_FIT_HUBER_C * s)
                           ? 1.0 : CR_FIT_HUBER_C * s / fabs(r[i]);
            w[i] = h / (y[i] * y[i]);
        }
        if (cr_fit_wls(u, y, w, n, &na, &nb) != 0) { rc = -1; break; }
        if (fabs(na - a) + fabs(nb - b) <= 1e-14 * (fabs(na) + fabs(nb))) {
            a = na;
            b = nb;
            break;
        }
        a = na;
        b = nb;
    }
    if (rc == 0) {
        for (size_t i = 0; i < n; i++) r[i] = (y[i] - a - b * u[i]) / y[i];
        out->alpha = a;
        out->beta = b / xs;
        out->rel_med = cr_fit_abs_median(r, n, tmp);
    }
    if (buf != stack) free(buf);
    return rc;
}

int cr_fit_line_hockney(const double *x, const double *y, size_t n, cr_fit_line_t *out)
{
    cr_fit_line_t start;
    if (cr_fit_line_theil_sen(x, y, n, &start) != 0) return -1;
    return cr_fit_line_irls(x, y, n, &start, out);
}

double cr_fit_line_rinf_GBps(double beta) { return beta > 0 ? 1e-3 / beta : INFINITY; }
