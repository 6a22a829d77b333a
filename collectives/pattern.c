#include "config.h"

#include "pattern.h"

#define CR_PATTERN_MOD 31 /* period of the pattern in i; values span [-15, 15] */

long cr_pattern_value(int src, int dst, size_t i)
{
    long g = 1 + (src / CR_PATTERN_MOD) % (CR_PATTERN_MOD - 1);
    long r = (11L * src + 7L * (dst + 1) + g * (long)(i % CR_PATTERN_MOD) + 5) % CR_PATTERN_MOD;
    if (r < 0) r += CR_PATTERN_MOD;
    return r - CR_PATTERN_MOD / 2;
}

void *cr_pattern_block(const cr_dtype_t *dt, void *buf, size_t n, size_t b)
{
    return (char *)buf + b * n * dt->size;
}

void cr_pattern_fill(const cr_dtype_t *dt, void *buf, size_t n, int src, int dst)
{
    for (size_t i = 0; i < n; i++) cr_dtype_store(dt, buf, i, cr_pattern_value(src, dst, i));
}

void cr_pattern_poison(const cr_dtype_t *dt, void *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) cr_dtype_store(dt, buf, i, CR_PATTERN_POISON);
}

size_t cr_pattern_check(const cr_dtype_t *dt, const void *buf, size_t n, int src, int dst)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += cr_dtype_load(dt, buf, i) != (double)cr_pattern_value(src, dst, i);
    return bad;
}

size_t cr_pattern_check_sum(const cr_dtype_t *dt, const void *buf, size_t n, int p, int dst)
{
    double sum[CR_PATTERN_MOD], tol[CR_PATTERN_MOD]; /* by i mod 31 */
    size_t bad = 0;
    for (int r = 0; r < CR_PATTERN_MOD; r++) {
        double s = 0.0, a = 0.0; /* exact: small integers */
        for (int src = 0; src < p; src++) {
            long v = cr_pattern_value(src, dst, (size_t)r);
            s += (double)v;
            a += (double)(v < 0 ? -v : v);
        }
        sum[r] = s;
        tol[r] = cr_dtype_sum_tolerance(dt, p, a);
    }
    for (size_t i = 0; i < n; i++) {
        double d = cr_dtype_load(dt, buf, i) - sum[i % CR_PATTERN_MOD];
        bad += !(d <= tol[i % CR_PATTERN_MOD] && -d <= tol[i % CR_PATTERN_MOD]); /* NaN fails */
    }
    return bad;
}
