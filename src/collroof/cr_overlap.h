/* Overlap of a nonblocking collective with compute, from three medians and their
 * 95% CIs (docs/method.md, "Overlap"). Pure. */
#ifndef CR_OVERLAP_H
#define CR_OVERLAP_H

/* A median and its 95% confidence interval, µs. */
typedef struct cr_overlap_ival {
    double med, lo, hi;
} cr_overlap_ival_t;

/* overlap = 1 − (t_overlapped − t_compute) / t_pure, clamped to [0, 1]: the share
 * of the call's own time (pure: MPI_I<coll> + MPI_Wait) that the compute hid.
 * *lo and *hi: interval arithmetic on the three CIs (the formula is monotone in
 * each time, so its extremes lie at corners of the box of the three intervals),
 * each clamped to [0, 1]; lo ≤ overlap ≤ hi. Returns 0, or -1 (outputs NAN) when
 * a time is not finite or pure's interval does not stay above 0. */
int cr_overlap_compute(cr_overlap_ival_t pure, cr_overlap_ival_t compute,
                       cr_overlap_ival_t overlapped, double *overlap, double *lo, double *hi);

#endif
