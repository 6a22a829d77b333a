#include "config.h"

#include "cr_sizes.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CR_SIZE_MAX_COUNT 4096
#define CR_SIZE_LIMIT (UINT64_C(1) << 50) /* 1 PiB: anything larger is a typo */

static const char cr_size_accepted[] =
    "a positive integer with an optional unit B, K, M or G (binary, e.g. 4K = 4096)";

cr_status_t cr_size_parse(const char *s, uint64_t *out, char *err, size_t errlen)
{
    char *end;
    unsigned long long v;
    uint64_t mult = 1;

    while (isspace((unsigned char)*s)) s++;
    if (!isdigit((unsigned char)*s)) goto bad;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno) goto bad;
    switch (toupper((unsigned char)*end)) {
    case 'K': mult = UINT64_C(1) << 10; end++; break;
    case 'M': mult = UINT64_C(1) << 20; end++; break;
    case 'G': mult = UINT64_C(1) << 30; end++; break;
    default: break;
    }
    if (mult > 1 && toupper((unsigned char)*end) == 'I') end++;  /* KiB, not "3i" */
    if (toupper((unsigned char)*end) == 'B') end++;         /* KB, B */
    if (*end != '\0' || v == 0 || v > CR_SIZE_LIMIT / mult) goto bad;
    *out = (uint64_t)v * mult;
    return CR_OK;
bad:
    snprintf(err, errlen, "bad size '%s': expected %s, between 1 and 1048576G (1 PiB)", s,
             cr_size_accepted);
    return CR_ERR_INVAL;
}

static cr_status_t cr_sizes_range(const char *spec, char *buf, uint64_t **out, size_t *n,
                                  char *err, size_t errlen)
{
    char *lo_s = buf, *hi_s, *f_s;
    uint64_t lo, hi, *v;
    double f = 2.0;
    size_t cnt = 0, cap = 64;

    hi_s = strchr(lo_s, ':');
    *hi_s++ = '\0';
    f_s = strchr(hi_s, ':');
    if (f_s) {
        char *end;
        *f_s++ = '\0';
        if (*f_s == 'x' || *f_s == 'X') f_s++;
        f = strtod(f_s, &end);
        if (*end != '\0' || !(f >= 1.01) || f > 1e6) {
            snprintf(err, errlen, "bad size factor in '%s': expected xF with F > 1 (e.g. 8:64M:x2)",
                     spec);
            return CR_ERR_INVAL;
        }
    }
    CR_CHECK(cr_size_parse(lo_s, &lo, err, errlen));
    CR_CHECK(cr_size_parse(hi_s, &hi, err, errlen));
    if (lo > hi) {
        snprintf(err, errlen, "bad size range '%s': MIN %s is larger than MAX %s", spec, lo_s, hi_s);
        return CR_ERR_INVAL;
    }
    v = malloc(cap * sizeof *v);
    CR_CHECK_ALLOC(v, cap * sizeof *v);
    for (double s = (double)lo; s <= (double)hi * (1 + 1e-12); s *= f) {
        uint64_t sz = (uint64_t)(s + 0.5);
        if (cnt && sz == v[cnt - 1]) continue;
        if (cnt == CR_SIZE_MAX_COUNT) {
            free(v);
            snprintf(err, errlen, "size range '%s' has more than %d sizes", spec, CR_SIZE_MAX_COUNT);
            return CR_ERR_INVAL;
        }
        if (cnt == cap) {
            uint64_t *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) free(v);
            CR_CHECK_ALLOC(nv, 2 * cap * sizeof *v);
            v = nv;
            cap *= 2;
        }
        v[cnt++] = sz;
    }
    *out = v;
    *n = cnt;
    return CR_OK;
}

cr_status_t cr_sizes_parse(const char *spec, uint64_t **out, size_t *n, char *err, size_t errlen)
{
    char *buf, *tok, *save = NULL;
    uint64_t *v;
    size_t cnt = 0, cap;
    cr_status_t st = CR_OK;

    if (!spec || !*spec) {
        snprintf(err, errlen, "empty size list: expected MIN:MAX[:xF] or a list like 4K,1M");
        return CR_ERR_INVAL;
    }
    buf = strdup(spec);
    CR_CHECK_ALLOC(buf, strlen(spec) + 1);
    if (strchr(buf, ':')) {
        if (strchr(buf, ',')) {
            snprintf(err, errlen, "bad size spec '%s': use either MIN:MAX[:xF] or a comma list", spec);
            st = CR_ERR_INVAL;
        } else {
            st = cr_sizes_range(spec, buf, out, n, err, errlen);
        }
        free(buf);
        return st;
    }
    cap = strlen(spec) / 2 + 2;
    v = malloc(cap * sizeof *v);
    if (!v) free(buf);
    CR_CHECK_ALLOC(v, cap * sizeof *v);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        CR_CHECK_GOTO(cr_size_parse(tok, &v[cnt], err, errlen), st, out_with_v);
        cnt++;
    }
    if (cnt == 0 || spec[strlen(spec) - 1] == ',' || spec[0] == ',' || strstr(spec, ",,")) {
        snprintf(err, errlen, "bad size list '%s': empty entry", spec);
        st = CR_ERR_INVAL;
        goto out_with_v;
    }
    free(buf);
    *out = v;
    *n = cnt;
    return CR_OK;
out_with_v:
    free(v);
    free(buf);
    return st;
}

const char *cr_size_format(uint64_t b, char *buf, size_t len)
{
    if (b >= (UINT64_C(1) << 30) && b % (UINT64_C(1) << 30) == 0)
        snprintf(buf, len, "%" PRIu64 "G", b >> 30);
    else if (b >= (UINT64_C(1) << 20) && b % (UINT64_C(1) << 20) == 0)
        snprintf(buf, len, "%" PRIu64 "M", b >> 20);
    else if (b >= 1024 && b % 1024 == 0)
        snprintf(buf, len, "%" PRIu64 "K", b >> 10);
    else
        snprintf(buf, len, "%" PRIu64, b);
    return buf;
}
