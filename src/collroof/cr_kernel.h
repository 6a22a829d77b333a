/* The compute kernel of the overlap cadences: a STREAM-like triad over a private,
 * L1/L2-resident buffer (3 × CR_KERNEL_N doubles), repeated `units` times. Real
 * loads, stores and FLOPs (2 per element per unit) whose result is used, so the
 * compiler cannot drop it. Pure (no MPI). */
#ifndef CR_KERNEL_H
#define CR_KERNEL_H

#include "cr_error.h"

#define CR_KERNEL_N 1024   /* doubles per array: 24 KiB in all */

typedef struct cr_kernel {
    double *a, *b, *c;     /* CR_KERNEL_N each, one allocation at a */
} cr_kernel_t;

cr_status_t cr_kernel_init(cr_kernel_t *k);
void cr_kernel_free(cr_kernel_t *k);

/* units passes: a = b + s·c, then b = a − s·c (values stay bounded). Returns a
 * checksum, also added to a volatile sink. */
double cr_kernel_run(cr_kernel_t *k, long units);

/* Units done after chunk i (0-based) of `chunks` equal chunks of `units`:
 * ⌊units·(i+1)/chunks⌋ (the last chunk ends at units). */
long cr_kernel_chunk_end(long units, int chunks, int i);

/* Units that last target_us on this CPU, at least 1: times passes (best of 3) with
 * now() (seconds), doubling until a run lasts ≥ 100 µs or the target, scales to
 * the target, then corrects once on a run of that many. */
long cr_kernel_calibrate(cr_kernel_t *k, double target_us, double (*now)(void));

#endif
