/* The MPI side of the datatype table (MPI handles are not constant expressions
 * under every MPI, so the mapping is code, not a static table). */
#include "config.h"

#include "cr_coll_mpi.h"

#include <limits.h>
#include <stdint.h>
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

/* Element-wise sums over n-element units (user ops, see cr_coll_buf_mpi): len units
 * of *type, each of MPI_Type_size bytes of T. */
#define CR_SUM_FN(name, T)                                                         \
    static void name(void *in, void *inout, int *len, MPI_Datatype *type)         \
    {                                                                              \
        int usize = 0;                                                             \
        const T *a = in;                                                           \
        T *b = inout;                                                              \
        MPI_Type_size(*type, &usize);                                              \
        for (size_t i = 0, n = (size_t)*len * (size_t)usize / sizeof(T); i < n; i++) \
            b[i] += a[i];                                                          \
    }
CR_SUM_FN(cr_sum_int32, int32_t)
CR_SUM_FN(cr_sum_int64, int64_t)
CR_SUM_FN(cr_sum_float, float)
CR_SUM_FN(cr_sum_double, double)

static MPI_User_function *cr_sum_fn(const cr_dtype_t *dt)
{
    if (strcmp(dt->name, "int32") == 0) return cr_sum_int32;
    if (strcmp(dt->name, "int64") == 0) return cr_sum_int64;
    if (strcmp(dt->name, "float") == 0) return cr_sum_float;
    if (strcmp(dt->name, "double") == 0) return cr_sum_double;
    return NULL; /* not reducible (char): no sum */
}

int cr_coll_buf_mpi(cr_coll_buf_t *b, size_t max_count)
{
    size_t unit = cr_coll_unit(b->block_count, max_count);
    MPI_Datatype t;
    MPI_User_function *fn;
    int rc;

    b->mpi_type = cr_dtype_mpi(b->dtype);
    b->sum = MPI_SUM;
    b->count = (int)b->block_count;
    if (unit == 1) return MPI_SUCCESS;
    if (unit > INT_MAX || b->block_count % unit) return MPI_ERR_COUNT;
    rc = MPI_Type_contiguous((int)unit, b->mpi_type, &t);
    if (rc == MPI_SUCCESS) rc = MPI_Type_commit(&t);
    if (rc != MPI_SUCCESS) return rc;
    fn = cr_sum_fn(b->dtype);
    b->sum = MPI_OP_NULL;
    if (fn && (rc = MPI_Op_create(fn, 1, &b->sum)) != MPI_SUCCESS) {
        MPI_Type_free(&t);
        return rc;
    }
    b->mpi_type = t;
    b->count = (int)(b->block_count / unit);
    return MPI_SUCCESS;
}

void cr_coll_buf_mpi_free(cr_coll_buf_t *b)
{
    if (b->sum != MPI_SUM && b->sum != MPI_OP_NULL) MPI_Op_free(&b->sum);
    if (b->mpi_type != MPI_DATATYPE_NULL && b->mpi_type != cr_dtype_mpi(b->dtype))
        MPI_Type_free(&b->mpi_type);
    b->sum = MPI_SUM;
    b->mpi_type = cr_dtype_mpi(b->dtype);
}
