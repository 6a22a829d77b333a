/* Datatypes the collectives move or reduce (pure; the MPI mapping is in cr_dtype_mpi.c). */
#ifndef CR_DTYPE_H
#define CR_DTYPE_H

#include <stddef.h>

typedef enum cr_dtype_kind { CR_DT_INT, CR_DT_FLOAT } cr_dtype_kind_t;

typedef struct cr_dtype {
    const char *name;      /* char, int32, int64, float, double */
    size_t size;           /* bytes per element */
    cr_dtype_kind_t kind;
    int reducible;         /* may be summed (char may not) */
    double eps;            /* unit roundoff for floating kinds, 0 for integers */
} cr_dtype_t;

/* NULL-terminated table of every datatype. */
extern const cr_dtype_t *const cr_dtypes[];
const cr_dtype_t *cr_dtype_find(const char *name);

/* Store the small integer v (|v| <= 127) as element i of buf, and read it back as double. */
void cr_dtype_store(const cr_dtype_t *dt, void *buf, size_t i, long v);
double cr_dtype_load(const cr_dtype_t *dt, const void *buf, size_t i);

/* Largest acceptable |got - expected| for a sum of `terms` values whose
 * absolute values add up to abs_sum: 0 for integers (exact), else the
 * worst-case bound of recursive summation in any order, (terms-1)·eps·abs_sum,
 * plus one ulp of abs_sum for the final rounding. */
double cr_dtype_sum_tolerance(const cr_dtype_t *dt, int terms, double abs_sum);

#endif
