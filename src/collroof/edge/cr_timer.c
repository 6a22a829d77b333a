#include "config.h"

#include "cr_timer.h"

#include <mpi.h>
#include <time.h>

#define CR_TIMER_PROBES 200000

double cr_clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cr_mpi_now(void) { return MPI_Wtime(); }

void cr_timer_init(cr_timer_t *t, cr_timer_src_t src)
{
    struct timespec res;
    double t0, t1, prev, step = 1e9;
    int i;

    if (src == CR_TIMER_MPI) {
        t->now = cr_mpi_now;
        t->source = "MPI_Wtime";
        t->declared_us = MPI_Wtick() * 1e6;
    } else {
        t->now = cr_clock_seconds;
        t->source = "clock_gettime(CLOCK_MONOTONIC)";
        clock_getres(CLOCK_MONOTONIC, &res);
        t->declared_us = ((double)res.tv_sec + (double)res.tv_nsec * 1e-9) * 1e6;
    }
    /* Resolution: the smallest nonzero difference between consecutive readings. */
    prev = t->now();
    for (i = 0; i < CR_TIMER_PROBES; i++) {
        double x = t->now();
        if (x > prev && x - prev < step) step = x - prev;
        prev = x;
    }
    /* Overhead: mean cost of one reading. */
    t0 = t->now();
    for (i = 0; i < CR_TIMER_PROBES; i++) t1 = t->now();
    t1 = t->now();
    t->overhead_us = (t1 - t0) / CR_TIMER_PROBES * 1e6;
    t->resolution_us = step < 1e9 ? step * 1e6 : t->declared_us;
    if (t->resolution_us < t->declared_us) t->resolution_us = t->declared_us;
}
