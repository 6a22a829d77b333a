#include "config.h"

#include "cr_kernel.h"

#include <math.h>
#include <stdlib.h>

#define CR_KERNEL_S 0.5
#define CR_KERNEL_MAX_UNITS (1L << 40)

static volatile double cr_kernel_sink;   /* the kernel's result is used */

cr_status_t cr_kernel_init(cr_kernel_t *k)
{
    double *m = malloc(3 * CR_KERNEL_N * sizeof *m);
    CR_CHECK_ALLOC(m, 3 * CR_KERNEL_N * sizeof *m);
    k->a = m;
    k->b = m + CR_KERNEL_N;
    k->c = m + 2 * CR_KERNEL_N;
    for (int i = 0; i < CR_KERNEL_N; i++) {
        k->a[i] = 0;
        k->b[i] = 1.0 + i % 7;
        k->c[i] = 0.25 * (i % 5);
    }
    return CR_OK;
}

void cr_kernel_free(cr_kernel_t *k)
{
    free(k->a);
    k->a = k->b = k->c = NULL;
}

double cr_kernel_run(cr_kernel_t *k, long units)
{
    double *restrict a = k->a, *restrict b = k->b;
    const double *restrict c = k->c;
    double sum;
    for (long u = 0; u < units; u++) {
        if (u & 1)
            for (int i = 0; i < CR_KERNEL_N; i++) b[i] = a[i] - CR_KERNEL_S * c[i];
        else
            for (int i = 0; i < CR_KERNEL_N; i++) a[i] = b[i] + CR_KERNEL_S * c[i];
        __asm__ __volatile__("" : : "r"(a), "r"(b) : "memory");  /* every pass happens */
    }
    sum = a[units % CR_KERNEL_N] + b[0];
    cr_kernel_sink += sum;
    return sum;
}

long cr_kernel_chunk_end(long units, int chunks, int i)
{
    if (chunks < 1 || i + 1 >= chunks) return units;
    return (long)((double)units * (i + 1) / chunks);
}

/* Best of 3 runs of units passes, µs. */
static double cr_kernel_time(cr_kernel_t *k, long units, double (*now)(void))
{
    double best = INFINITY;
    for (int r = 0; r < 3; r++) {
        double t0 = now();
        cr_kernel_run(k, units);
        double t = (now() - t0) * 1e6;
        best = t < best ? t : best;
    }
    return best;
}

static long cr_kernel_scale(long units, double t_us, double target_us)
{
    double u = t_us > 0 ? (double)units * target_us / t_us : (double)units;
    if (!(u >= 1)) return 1;
    return u > (double)CR_KERNEL_MAX_UNITS ? CR_KERNEL_MAX_UNITS : (long)(u + 0.5);
}

long cr_kernel_calibrate(cr_kernel_t *k, double target_us, double (*now)(void))
{
    long units = 1;
    double t;
    if (!(target_us > 0)) return 1;
    for (;;) {
        t = cr_kernel_time(k, units, now);
        if (t >= 100.0 || t >= target_us || units >= CR_KERNEL_MAX_UNITS / 2) break;
        units *= 2;
    }
    units = cr_kernel_scale(units, t, target_us);
    return cr_kernel_scale(units, cr_kernel_time(k, units, now), target_us);
}
