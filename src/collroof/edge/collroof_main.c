/* collroof: measure MPI collectives at every level of the machine. Thin main:
 * options → topology → levels → sweep → files. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cr_app.h"

int main(int argc, char **argv)
{
    int rc;
    umask(umask(0) | S_IWOTH);   /* whatever the caller's umask: no world-writable file */
    if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
        fprintf(stderr, "collroof: error: MPI_Init failed\n");
        return 1;
    }
    rc = cr_app_run(MPI_COMM_WORLD, argc, argv);
    MPI_Finalize();
    return rc;
}
