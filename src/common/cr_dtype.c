/* Datatypes the collectives move or reduce: table, element access, sum tolerance. */
#include "config.h"

#include "cr_dtype.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static const cr_dtype_t cr_dtype_char   = { .name = "char",   .size = 1, .kind = CR_DT_INT,
                                            .reducible = 0, .eps = 0.0 };
static const cr_dtype_t cr_dtype_int32  = { .name = "int32",  .size = 4, .kind = CR_DT_INT,
                                            .reducible = 1, .eps = 0.0 };
static const cr_dtype_t cr_dtype_int64  = { .name = "int64",  .size = 8, .kind = CR_DT_INT,
                                            .reducible = 1, .eps = 0.0 };
static const cr_dtype_t cr_dtype_float  = { .name = "float",  .size = 4, .kind = CR_DT_FLOAT,
                                            .reducible = 1, .eps = FLT_EPSILON / 2 };
static const cr_dtype_t cr_dtype_double = { .name = "double", .size = 8, .kind = CR_DT_FLOAT,
                                            .reducible = 1, .eps = DBL_EPSILON / 2 };

const cr_dtype_t *const cr_dtypes[] = {
    &cr_dtype_char, &cr_dtype_int32, &cr_dtype_int64, &cr_dtype_float, &cr_dtype_double, NULL,
};

const cr_dtype_t *cr_dtype_find(const char *name)
{
    for (const cr_dtype_t *const *d = cr_dtypes; name && *d; d++)
        if (strcmp((*d)->name, name) == 0) return *d;
    return NULL;
}

/* The element type is told apart by kind and size: the table holds one type of each. */
void cr_dtype_store(const cr_dtype_t *dt, void *buf, size_t i, long v)
{
    if (dt->kind == CR_DT_FLOAT) {
        if (dt->size == sizeof(float)) ((float *)buf)[i] = (float)v;
        else ((double *)buf)[i] = (double)v;
        return;
    }
    switch (dt->size) {
    case 1: ((signed char *)buf)[i] = (signed char)v; break;
    case 4: ((int32_t *)buf)[i] = (int32_t)v; break;
    default: ((int64_t *)buf)[i] = (int64_t)v; break;
    }
}

double cr_dtype_load(const cr_dtype_t *dt, const void *buf, size_t i)
{
    if (dt->kind == CR_DT_FLOAT)
        return dt->size == sizeof(float) ? (double)((const float *)buf)[i]
                                         : ((const double *)buf)[i];
    switch (dt->size) {
    case 1: return ((const signed char *)buf)[i];
    case 4: return ((const int32_t *)buf)[i];
    default: return (double)((const int64_t *)buf)[i];
    }
}

/* ulp(x) for a type with unit roundoff eps (half the machine epsilon):
 * x = m·2^e with m in [0.5, 1) → spacing of the type's numbers there is 2·eps·2^(e-1). */
static double cr_dtype_ulp(double eps, double x)
{
    int e;
    if (x == 0.0) return 0.0;
    frexp(x, &e);
    return ldexp(eps, e);
}

double cr_dtype_sum_tolerance(const cr_dtype_t *dt, int terms, double abs_sum)
{
    double a = fabs(abs_sum);
    if (dt->kind == CR_DT_INT) return 0.0;
    if (terms < 1) terms = 1;
    return (double)(terms - 1) * dt->eps * a + cr_dtype_ulp(dt->eps, a);
}
