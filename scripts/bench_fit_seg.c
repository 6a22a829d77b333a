/* bench_fit_seg: seconds of one cr_fit_segments call (K = 3, defaults) on one
 * synthetic group of N sizes (8 B × g^i up to 256 KB, two breaks, 2% lognormal
 * noise, fixed seed), for each N given. Prints "sizes seconds k" per line. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "fit_segment.h"
#include "fit_special.h"

static double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int bench_one(size_t n)
{
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), g, t0, t1;
    cr_fit_seg_opts_t o;
    cr_fit_segs_t sg;
    cr_fit_rng_t r;
    cr_status_t st;
    if (!x || !y) {
        fprintf(stderr, "bench_fit_seg: cannot allocate %zu sizes\n", n);
        free(x);
        free(y);
        return 1;
    }
    g = pow(32768.0, 1.0 / (double)(n - 1));
    cr_fit_rng_seed(&r, 20240601);
    for (size_t i = 0; i < n; i++) {
        double S = 8 * pow(g, (double)i);
        double T = i < n / 3 ? 2 + S / 3000 : i < 2 * n / 3 ? 10 + S / 6000 : 40 + S / 12000;
        x[i] = S;
        y[i] = T * exp(0.02 * cr_fit_rng_normal(&r));
    }
    cr_fit_seg_opts_default(&o);
    t0 = bench_now();
    st = cr_fit_segments(x, y, n, &o, &sg);
    t1 = bench_now();
    if (st == CR_OK) printf("%8zu %10.4f %3zu\n", n, t1 - t0, sg.k);
    free(x);
    free(y);
    return st != CR_OK;
}

int main(int argc, char **argv)
{
    int bad = 0;
    printf("%8s %10s %3s\n", "sizes", "seconds", "k");
    for (int a = 1; a < argc; a++) {
        char *end;
        unsigned long n = strtoul(argv[a], &end, 10);
        if (*end || n < 3) {
            fprintf(stderr, "bench_fit_seg: sizes '%s': want an integer >= 3\n", argv[a]);
            return 2;
        }
        bad |= bench_one((size_t)n);
    }
    return bad;
}
