#include "config.h"

#include "cr_overlap.h"

#include <math.h>

static double cr_overlap_clamp(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

static double cr_overlap_raw(double pure, double compute, double overlapped)
{
    return 1.0 - (overlapped - compute) / pure;
}

static int cr_overlap_ok(cr_overlap_ival_t t)
{
    return isfinite(t.med) && isfinite(t.lo) && isfinite(t.hi);
}

int cr_overlap_compute(cr_overlap_ival_t pure, cr_overlap_ival_t compute,
                       cr_overlap_ival_t overlapped, double *overlap, double *lo, double *hi)
{
    double p[2] = {pure.lo, pure.hi}, c[2] = {compute.lo, compute.hi},
           o[2] = {overlapped.lo, overlapped.hi}, mn = INFINITY, mx = -INFINITY;
    if (!cr_overlap_ok(pure) || !cr_overlap_ok(compute) || !cr_overlap_ok(overlapped) ||
        !(pure.med > 0) || !(pure.lo > 0)) {
        *overlap = *lo = *hi = NAN;
        return -1;
    }
    for (int i = 0; i < 8; i++) {
        double v = cr_overlap_raw(p[i & 1], c[(i >> 1) & 1], o[(i >> 2) & 1]);
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
    }
    *overlap = cr_overlap_clamp(cr_overlap_raw(pure.med, compute.med, overlapped.med));
    *lo = cr_overlap_clamp(mn);
    *hi = cr_overlap_clamp(mx);
    if (*lo > *overlap) *lo = *overlap;   /* a CI that does not hold its median */
    if (*hi < *overlap) *hi = *overlap;
    return 0;
}
