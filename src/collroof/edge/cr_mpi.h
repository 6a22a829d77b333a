/* Checking MPI calls (the MPI edge): the message names the call, file and line, once. */
#ifndef CR_MPI_H
#define CR_MPI_H

#include <mpi.h>
#include "cr_error.h"

/* CR_OK for MPI_SUCCESS; otherwise reports "CALL failed: MPI's message" and CR_ERR_MPI. */
cr_status_t cr_mpi_check(int rc, const char *what, const char *file, int line);
#define CR_MPI(call) cr_mpi_check((call), #call, __FILE__, __LINE__)

/* Every rank of comm learns the worst status: a rank whose local step failed
 * calls this instead of skipping ahead, so that no rank is left alone in a
 * collective. Aborts the job if the agreement itself fails. */
cr_status_t cr_mpi_agree(MPI_Comm comm, cr_status_t st);

#endif
