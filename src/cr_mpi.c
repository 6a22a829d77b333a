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
