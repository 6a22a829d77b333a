/* Tiny MPI probe for the emulated-cluster tests.
 * Prints one line per rank: "rank R size S host H", in rank order.
 * -p BYTES [-n ITERS]: ping-pong between rank 0 and the first rank on another
 * host (by MPI_Get_processor_name); prints "pingpong bytes=B peer=P usec=T MBps=X"
 * where T is half the best round trip (µs) and X = B / T (MB/s, 1e6 B/s). */
#include "config.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int find_peer(const char *names, int size, int len)
{
    for (int r = 1; r < size; r++)
        if (strncmp(names, names + (size_t)r * len, len) != 0)
            return r;
    return -1;
}

static double pingpong(int rank, int peer, char *buf, int bytes, int iters)
{
    double best = 1e30;
    for (int i = -2; i < iters; i++) {               /* 2 warm-up round trips */
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        if (rank == 0) {
            MPI_Send(buf, bytes, MPI_CHAR, peer, 0, MPI_COMM_WORLD);
            MPI_Recv(buf, bytes, MPI_CHAR, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else if (rank == peer) {
            MPI_Recv(buf, bytes, MPI_CHAR, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Send(buf, bytes, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
        }
        double dt = (MPI_Wtime() - t0) / 2;          /* one way, s */
        if (i >= 0 && dt < best)
            best = dt;
    }
    return best;
}

int main(int argc, char **argv)
{
    int bytes = 0, iters = 10, opt;
    while ((opt = getopt(argc, argv, "p:n:")) != -1) {
        if (opt == 'p') bytes = atoi(optarg);
        else if (opt == 'n') iters = atoi(optarg);
        else { fprintf(stderr, "usage: mpi_hello [-p BYTES] [-n ITERS]\n"); return 2; }
    }
    MPI_Init(&argc, &argv);
    int rank, size, len;
    char name[MPI_MAX_PROCESSOR_NAME];
    memset(name, 0, sizeof name);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Get_processor_name(name, &len);

    char *names = rank == 0 ? calloc((size_t)size, MPI_MAX_PROCESSOR_NAME) : NULL;
    MPI_Gather(name, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, names, MPI_MAX_PROCESSOR_NAME,
               MPI_CHAR, 0, MPI_COMM_WORLD);
    int peer = -1;
    if (rank == 0) {
        for (int r = 0; r < size; r++)
            printf("rank %d size %d host %s\n", r, size, names + (size_t)r * MPI_MAX_PROCESSOR_NAME);
        peer = find_peer(names, size, MPI_MAX_PROCESSOR_NAME);
        fflush(stdout);
    }
    MPI_Bcast(&peer, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (bytes > 0) {
        if (peer < 0) {
            if (rank == 0) fprintf(stderr, "mpi_hello: no rank on another host\n");
            MPI_Finalize();
            return 1;
        }
        char *buf = malloc((size_t)bytes);
        memset(buf, rank, (size_t)bytes);
        double t = pingpong(rank, peer, buf, bytes, iters);
        if (rank == 0)
            printf("pingpong bytes=%d peer=%d usec=%.3f MBps=%.3f\n", bytes, peer,
                   t * 1e6, bytes / t / 1e6);
        free(buf);
    }
    free(names);
    MPI_Finalize();
    return 0;
}
