/* The timer and what it can resolve, measured at start. */
#ifndef CR_TIMER_H
#define CR_TIMER_H

#include "cr_opts.h"

typedef double (*cr_clock_fn)(void); /* seconds, monotonic */

typedef struct cr_timer {
    cr_clock_fn now;
    const char *source;     /* "clock_gettime(CLOCK_MONOTONIC)" or "MPI_Wtime" */
    double resolution_us;   /* smallest observed nonzero step between two readings, µs */
    double declared_us;     /* clock_getres / MPI_Wtick, µs */
    double overhead_us;     /* mean cost of one reading, µs */
} cr_timer_t;

/* clock_gettime(CLOCK_MONOTONIC) in seconds. */
double cr_clock_seconds(void);

/* Choose the source and measure resolution and overhead (a few ms). */
void cr_timer_init(cr_timer_t *t, cr_timer_src_t src);

#endif
