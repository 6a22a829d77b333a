#include "config.h"

#include "cr_num.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* Skips a run of digits; returns the first non-digit. */
static const char *cr_num_digits(const char *p)
{
    while (*p >= '0' && *p <= '9') p++;
    return p;
}

/* 1 when all of s is one decimal number (see cr_num.h), else 0. */
static int cr_num_is_decimal(const char *s, int integer)
{
    const char *p = s, *q;
    if (*p == '-') p++;
    if ((q = cr_num_digits(p)) == p) return 0;
    p = q;
    if (integer) return *p == '\0';
    if (*p == '.') {
        if ((q = cr_num_digits(p + 1)) == p + 1) return 0;   /* "2." : cut after the point */
        p = q;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if ((q = cr_num_digits(p)) == p) return 0;           /* "2.5e" : cut in the exponent */
        p = q;
    }
    return *p == '\0';
}

const char *cr_num_double(const char *s, double *out)
{
    double v;
    if (!*s) return "empty";
    if (!cr_num_is_decimal(s, 0)) return "not a plain decimal: no spaces, '+', hex, inf or nan";
    errno = 0;
    v = strtod(s, NULL);
    /* overflow (inf) or underflow past the smallest normal double */
    if (errno == ERANGE || !isfinite(v)) return "out of range";
    *out = v;
    return NULL;
}

const char *cr_num_int(const char *s, long long *out)
{
    long long v;
    if (!*s) return "empty";
    if (!cr_num_is_decimal(s, 1)) return "not a plain decimal: digits only";
    errno = 0;
    v = strtoll(s, NULL, 10);
    if (errno == ERANGE) return "out of range";
    *out = v;
    return NULL;
}
