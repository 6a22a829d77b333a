/* bench_bare BYTES ITERS: the bare loop collroof's harness is compared with.
 * Times MPI_Allreduce of BYTES (float, sum) exactly as the isolated cadence does
 * (barrier, clock_gettime around the call, max over ranks per iteration) with
 * no harness around it, and prints the median of the max-over-ranks times in µs. */
#include "config.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int rank, iters, warm = 5;
    size_t bytes;
    float *s, *r;
    double *t, *tmax;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (argc != 3) {
        if (rank == 0) fprintf(stderr, "usage: bench_bare BYTES ITERS\n");
        MPI_Finalize();
        return 2;
    }
    bytes = strtoull(argv[1], NULL, 10);
    iters = atoi(argv[2]);
    s = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
    r = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
    t = calloc((size_t)iters, sizeof *t);
    tmax = calloc((size_t)iters, sizeof *tmax);
    memset(s, 0, bytes);
    for (int i = -warm; i < iters; i++) {
        double t0, t1;
        MPI_Barrier(MPI_COMM_WORLD);
        t0 = now();
        MPI_Allreduce(s, r, (int)(bytes / sizeof(float)), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        t1 = now();
        if (i >= 0) t[i] = (t1 - t0) * 1e6;
    }
    MPI_Reduce(t, tmax, iters, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        qsort(tmax, (size_t)iters, sizeof *tmax, cmp);
        printf("%.4f\n", iters % 2 ? tmax[iters / 2] : (tmax[iters / 2 - 1] + tmax[iters / 2]) / 2);
    }
    free(s), free(r), free(t), free(tmax);
    MPI_Finalize();
    return 0;
}
