/* The collroof program, callable on any communicator (the main is thin). */
#ifndef CR_APP_H
#define CR_APP_H

#include <mpi.h>

/* Exit codes of collroof. */
enum { CR_EXIT_OK = 0, CR_EXIT_RUNTIME = 1, CR_EXIT_USAGE = 2, CR_EXIT_INVALID = 3 };

/* Parse options, measure, write files. Same return value on every rank. */
int cr_app_run(MPI_Comm world, int argc, char **argv);

#endif
