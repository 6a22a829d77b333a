/* The MPI side of the datatype table (MPI handles are not constant expressions
 * under every MPI, so the mapping is code, not a static table). */
#include "config.h"

#include "cr_coll_mpi.h"

#include <string.h>

MPI_Datatype cr_dtype_mpi(const cr_dtype_t *dt)
{
    if (dt == NULL) return MPI_DATATYPE_NULL;
    if (strcmp(dt->name, "char") == 0) return MPI_SIGNED_CHAR;
    if (strcmp(dt->name, "int32") == 0) return MPI_INT32_T;
    if (strcmp(dt->name, "int64") == 0) return MPI_INT64_T;
    if (strcmp(dt->name, "float") == 0) return MPI_FLOAT;
    if (strcmp(dt->name, "double") == 0) return MPI_DOUBLE;
    return MPI_DATATYPE_NULL;
}
