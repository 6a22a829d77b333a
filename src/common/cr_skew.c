#include "config.h"

#include "cr_skew.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CR_SKEW_MAX_K 1048576
#define CR_SKEW_MAX_S 100.0
#define CR_SKEW_ACCEPTED "uniform, zipf:S (S >= 0, e.g. zipf:1.2) or hot:F:K " \
                         "(fraction 0 <= F <= 1 of the tokens to K >= 1 hot experts, e.g. hot:0.5:2)"

void cr_skew_default(cr_skew_t *sk)
{
    memset(sk, 0, sizeof *sk);
    sk->kind = CR_SKEW_UNIFORM;
    sk->seed = CR_SKEW_DEFAULT_SEED;
    snprintf(sk->spec, sizeof sk->spec, "uniform");
}

static cr_status_t cr_skew_bad(const char *spec, char *err, size_t errlen)
{
    snprintf(err, errlen, "bad value '%s' for --skew: expected %s", spec, CR_SKEW_ACCEPTED);
    return CR_ERR_INVAL;
}

/* A finite number in [lo, hi], the whole of s up to the character stop. */
static int cr_skew_num(const char *s, char stop, double lo, double hi, double *out,
                       const char **next)
{
    char *end;
    if (!*s || *s == ' ' || *s == '\t' || *s == '+') return -1;
    errno = 0;
    *out = strtod(s, &end);
    if (errno || end == s || *end != stop || !isfinite(*out) || *out < lo || *out > hi) return -1;
    *next = end;
    return 0;
}

cr_status_t cr_skew_parse(const char *spec, cr_skew_t *sk, char *err, size_t errlen)
{
    cr_skew_t t = *sk;
    const char *rest;
    double k;
    if (!spec || strlen(spec) >= sizeof t.spec) return cr_skew_bad(spec ? spec : "", err, errlen);
    for (const char *c = spec; *c; c++)   /* a CSV cell as it is: no spaces, commas, quotes */
        if (*c <= ' ' || *c >= 127 || *c == ',' || *c == '"') return cr_skew_bad(spec, err, errlen);
    if (!strcmp(spec, "uniform")) {
        t.kind = CR_SKEW_UNIFORM;
    } else if (!strncmp(spec, "zipf:", 5)) {
        t.kind = CR_SKEW_ZIPF;
        if (cr_skew_num(spec + 5, '\0', 0.0, CR_SKEW_MAX_S, &t.s, &rest))
            return cr_skew_bad(spec, err, errlen);
    } else if (!strncmp(spec, "hot:", 4)) {
        t.kind = CR_SKEW_HOT;
        if (cr_skew_num(spec + 4, ':', 0.0, 1.0, &t.f, &rest) ||
            cr_skew_num(rest + 1, '\0', 1.0, CR_SKEW_MAX_K, &k, &rest) || k != floor(k))
            return cr_skew_bad(spec, err, errlen);
        t.k = (int)k;
    } else {
        return cr_skew_bad(spec, err, errlen);
    }
    snprintf(t.spec, sizeof t.spec, "%s", spec);
    *sk = t;
    return CR_OK;
}

int cr_skew_fits(const cr_skew_t *sk, int p, char *err, size_t errlen)
{
    if (sk->kind != CR_SKEW_HOT || sk->k <= p) return 0;
    snprintf(err, errlen, "bad value '%s' for --skew: %d hot experts, but the run has %d ranks "
             "(expected K from 1 to %d)", sk->spec, sk->k, p, p);
    return -1;
}

uint64_t cr_skew_tokens(uint64_t total)
{
    return total < CR_SKEW_TOKENS ? total : CR_SKEW_TOKENS;
}

/* splitmix64: a stream per (seed, stream id); stream 0 is the popularity permutation,
 * stream r + 1 the routing of rank r. */
static uint64_t cr_skew_next(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t cr_skew_stream(uint64_t seed, uint64_t id)
{
    uint64_t x = seed ^ (id * 0xd1b54a32d192ed03ULL);
    cr_skew_next(&x);
    return x;
}

/* Uniform in [0, n), by multiply-high (no modulo bias worth speaking of). */
static uint32_t cr_skew_below(uint64_t *x, uint32_t n)
{
    return (uint32_t)(((unsigned __int128)cr_skew_next(x) * n) >> 64);
}

static double cr_skew_unit(uint64_t *x) { return (double)(cr_skew_next(x) >> 11) * 0x1.0p-53; }

void cr_skew_perm(const cr_skew_t *sk, int p, int *perm)
{
    uint64_t x = cr_skew_stream(sk->seed, 0);
    for (int i = 0; i < p; i++) perm[i] = i;
    for (int i = p - 1; i > 0; i--) {   /* Fisher–Yates */
        int j = (int)cr_skew_below(&x, (uint32_t)i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

/* Unnormalised weights: uniform and zipf:0 give exactly 1.0 everywhere, so that
 * they draw the same tokens for the same seed. */
static cr_status_t cr_skew_weights(const cr_skew_t *sk, int p, double *w)
{
    int *perm;
    if (sk->kind == CR_SKEW_UNIFORM) {
        for (int d = 0; d < p; d++) w[d] = 1.0;
        return CR_OK;
    }
    perm = malloc((size_t)p * sizeof *perm);
    CR_CHECK_ALLOC(perm, (size_t)p * sizeof *perm);
    cr_skew_perm(sk, p, perm);
    for (int k = 0; k < p; k++) {
        if (sk->kind == CR_SKEW_ZIPF) w[perm[k]] = 1.0 / pow((double)(k + 1), sk->s);
        else w[perm[k]] = (k < sk->k ? sk->f / (sk->k < p ? sk->k : p) : 0.0) + (1.0 - sk->f) / p;
    }
    free(perm);
    return CR_OK;
}

cr_status_t cr_skew_shares(const cr_skew_t *sk, int p, double *w)
{
    double sum = 0;
    CR_CHECK(cr_skew_weights(sk, p, w));
    for (int d = 0; d < p; d++) sum += w[d];
    for (int d = 0; d < p; d++) w[d] /= sum;
    return CR_OK;
}

/* Walker's alias table (Vose's construction): a draw is O(1). */
typedef struct cr_skew_alias {
    int p;
    double *prob;
    int *alias;
} cr_skew_alias_t;

static void cr_skew_alias_free(cr_skew_alias_t *a)
{
    free(a->prob);
    free(a->alias);
}

static cr_status_t cr_skew_alias_build(const cr_skew_t *sk, int p, cr_skew_alias_t *a)
{
    size_t n = (size_t)p;
    double sum = 0, *q;
    int *small, *large, ns = 0, nl = 0;
    cr_status_t st = CR_ERR_NOMEM;
    a->p = p;
    a->prob = malloc(n * sizeof *a->prob);
    a->alias = malloc(n * sizeof *a->alias);
    q = malloc(n * sizeof *q);
    small = malloc(n * sizeof *small);
    large = malloc(n * sizeof *large);
    if (!a->prob || !a->alias || !q || !small || !large) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate the routing table of %d ranks", p);
        goto out_with_lists;
    }
    if ((st = cr_skew_weights(sk, p, q)) != CR_OK) goto out_with_lists;
    for (int d = 0; d < p; d++) sum += q[d];
    for (int d = 0; d < p; d++) {
        q[d] = q[d] * p / sum;
        a->alias[d] = d;
        if (q[d] < 1.0) small[ns++] = d;
        else large[nl++] = d;
    }
    while (ns && nl) {
        int s = small[--ns], l = large[nl - 1];
        a->prob[s] = q[s];
        a->alias[s] = l;
        q[l] -= 1.0 - q[s];
        if (q[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    while (nl) a->prob[large[--nl]] = 1.0;
    while (ns) a->prob[small[--ns]] = 1.0;   /* rounding leftovers */
    st = CR_OK;
out_with_lists:
    free(large);
    free(small);
    free(q);
    if (st != CR_OK) cr_skew_alias_free(a);
    return st;
}

typedef struct cr_skew_rem {
    uint64_t rem;
    int d;
} cr_skew_rem_t;

static int cr_skew_rem_cmp(const void *a, const void *b)
{
    const cr_skew_rem_t *x = a, *y = b;
    if (x->rem != y->rem) return x->rem > y->rem ? -1 : 1;
    return (x->d > y->d) - (x->d < y->d);
}

/* One rank's counts from the alias table; tok and rem are scratch of p entries. */
static void cr_skew_route(const cr_skew_t *sk, const cr_skew_alias_t *a, int rank, uint64_t total,
                          uint64_t *tok, cr_skew_rem_t *rem, uint64_t *c)
{
    uint64_t x = cr_skew_stream(sk->seed, (uint64_t)rank + 1), T = cr_skew_tokens(total), left;
    int p = a->p;
    memset(tok, 0, (size_t)p * sizeof *tok);
    for (uint64_t t = 0; t < T; t++) {
        int d = (int)cr_skew_below(&x, (uint32_t)p);
        tok[cr_skew_unit(&x) < a->prob[d] ? d : a->alias[d]]++;
    }
    left = total;
    for (int d = 0; d < p; d++) {   /* floor of total·tok/T; remainders kept exact */
        unsigned __int128 v = (unsigned __int128)total * tok[d];
        c[d] = T ? (uint64_t)(v / T) : 0;
        rem[d].rem = T ? (uint64_t)(v % T) : 0;
        rem[d].d = d;
        left -= c[d];
    }
    if (!left) return;
    qsort(rem, (size_t)p, sizeof *rem, cr_skew_rem_cmp);
    for (uint64_t i = 0; i < left; i++) c[rem[i].d]++;   /* left < p: one each */
}

/* recv += every rank's counts (as columns), or c = rank's counts. */
static cr_status_t cr_skew_run(const cr_skew_t *sk, int p, int rank, uint64_t total, uint64_t *c,
                               uint64_t *recv)
{
    cr_skew_alias_t a;
    uint64_t *tok = malloc((size_t)p * sizeof *tok), *row = malloc((size_t)p * sizeof *row);
    cr_skew_rem_t *rem = malloc((size_t)p * sizeof *rem);
    cr_status_t st = CR_ERR_NOMEM;
    if (!tok || !row || !rem) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate the routing counts of %d ranks", p);
        goto out_with_scratch;
    }
    if ((st = cr_skew_alias_build(sk, p, &a)) != CR_OK) goto out_with_scratch;
    if (c) cr_skew_route(sk, &a, rank, total, tok, rem, c);
    if (recv) {
        memset(recv, 0, (size_t)p * sizeof *recv);
        for (int s = 0; s < p; s++) {
            cr_skew_route(sk, &a, s, total, tok, rem, row);
            for (int d = 0; d < p; d++) recv[d] += row[d];
        }
    }
    cr_skew_alias_free(&a);
out_with_scratch:
    free(rem);
    free(row);
    free(tok);
    return st;
}

cr_status_t cr_skew_counts(const cr_skew_t *sk, int p, int rank, uint64_t total, uint64_t *c)
{
    return cr_skew_run(sk, p, rank, total, c, NULL);
}

cr_status_t cr_skew_recv(const cr_skew_t *sk, int p, uint64_t total, uint64_t *recv)
{
    return cr_skew_run(sk, p, 0, total, NULL, recv);
}
