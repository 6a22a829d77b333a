#include "config.h"

#include "pattern.h"

#include <string.h>

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

/* Elements compared at once against a reference run: whole periods, so element i
 * of the run is element i mod 31 of the pattern wherever the run starts. */
#define CR_PATTERN_RUN (CR_PATTERN_MOD * 64)

/* buf[i] = buf[i mod period] for period <= i < n: the first period, copied in runs
 * that double (each a whole number of periods), so a 2 GiB buffer takes memcpy's time. */
static void cr_pattern_repeat(void *buf, size_t n, size_t period, size_t esize)
{
    char *b = buf;
    for (size_t done = period; done < n;) {
        size_t c = done < n - done ? done : n - done;
        memcpy(b + done * esize, b, c * esize);
        done += c;
    }
}

void cr_pattern_fill(const cr_dtype_t *dt, void *buf, size_t n, int src, int dst)
{
    for (size_t i = 0; i < n && i < CR_PATTERN_MOD; i++)
        cr_dtype_store(dt, buf, i, cr_pattern_value(src, dst, i));
    cr_pattern_repeat(buf, n, CR_PATTERN_MOD, dt->size);
}

void cr_pattern_poison(const cr_dtype_t *dt, void *buf, size_t n)
{
    if (n) cr_dtype_store(dt, buf, 0, CR_PATTERN_POISON);
    cr_pattern_repeat(buf, n, 1, dt->size);
}

size_t cr_pattern_check(const cr_dtype_t *dt, const void *buf, size_t n, int src, int dst)
{
    double ref[CR_PATTERN_RUN]; /* room for a run of any element type (at most 8 bytes) */
    size_t bad = 0;
    cr_pattern_fill(dt, ref, n < CR_PATTERN_RUN ? n : CR_PATTERN_RUN, src, dst);
    for (size_t i0 = 0; i0 < n; i0 += CR_PATTERN_RUN) {
        size_t c = n - i0 < CR_PATTERN_RUN ? n - i0 : CR_PATTERN_RUN;
        if (memcmp((const char *)buf + i0 * dt->size, ref, c * dt->size) == 0) continue;
        for (size_t i = i0; i < i0 + c; i++) /* a run that differs: count element-wise */
            bad += cr_dtype_load(dt, buf, i) != (double)cr_pattern_value(src, dst, i);
    }
    return bad;
}

size_t cr_pattern_check_sum(const cr_dtype_t *dt, const void *buf, size_t n, int p, int dst)
{
    double sum[CR_PATTERN_MOD], tol[CR_PATTERN_MOD]; /* by i mod 31 */
    double ref[CR_PATTERN_RUN]; /* the exact sums as stored, where the type holds them */
    size_t bad = 0;
    int exact = 1;
    for (int r = 0; r < CR_PATTERN_MOD; r++) {
        double s = 0.0, a = 0.0; /* exact: small integers */
        for (int src = 0; src < p; src++) {
            long v = cr_pattern_value(src, dst, (size_t)r);
            s += (double)v;
            a += (double)(v < 0 ? -v : v);
        }
        sum[r] = s;
        tol[r] = cr_dtype_sum_tolerance(dt, p, a);
        exact &= a <= (dt->size > 1 ? 1e6 : 127); /* the sum is stored exactly */
    }
    for (size_t i = 0; exact && i < CR_PATTERN_RUN && i < n; i++)
        cr_dtype_store(dt, ref, i, (long)sum[i % CR_PATTERN_MOD]);
    for (size_t i0 = 0; i0 < n; i0 += CR_PATTERN_RUN) {
        size_t c = n - i0 < CR_PATTERN_RUN ? n - i0 : CR_PATTERN_RUN;
        if (exact && memcmp((const char *)buf + i0 * dt->size, ref, c * dt->size) == 0) continue;
        for (size_t i = i0; i < i0 + c; i++) {
            double d = cr_dtype_load(dt, buf, i) - sum[i % CR_PATTERN_MOD];
            bad += !(d <= tol[i % CR_PATTERN_MOD] && -d <= tol[i % CR_PATTERN_MOD]); /* NaN fails */
        }
    }
    return bad;
}
