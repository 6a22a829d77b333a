#include "config.h"

#include "cr_mpi.h"

#include <stdio.h>

cr_status_t cr_mpi_check(int rc, const char *what, const char *file, int line)
{
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (rc == MPI_SUCCESS) return CR_OK;
    if (MPI_Error_string(rc, msg, &len) != MPI_SUCCESS) snprintf(msg, sizeof msg, "error code %d", rc);
    cr_error_at(file, line, "%s failed: %s", what, msg);
    return CR_ERR_MPI;
}

cr_status_t cr_mpi_agree(MPI_Comm comm, cr_status_t st)
{
    int mine = (int)st, worst = 0;
    if (MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, comm) != MPI_SUCCESS) {
        cr_error("MPI_Allreduce failed while the ranks agreed on a status; aborting");
        MPI_Abort(comm, 1);
    }
    return (cr_status_t)worst;
}
