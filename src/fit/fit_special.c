#include "config.h"

#include "fit_special.h"

#include <math.h>

/* Continued fraction for I_x(a, b) (modified Lentz). */
static double cr_fit_betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap, h;
    if (fabs(d) < tiny) d = tiny;
    d = 1 / d;
    h = d;
    for (int m = 1; m <= 100000; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2)), del;
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny) c = tiny;
        d = 1 / d;
        del = d * c;
        h *= del;
        if (fabs(del - 1) < eps) break;
    }
    return h;
}

double cr_fit_betai(double a, double b, double x)
{
    double lbt;
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2)) return exp(lbt) * cr_fit_betacf(a, b, x) / a;
    return 1 - exp(lbt) * cr_fit_betacf(b, a, 1 - x) / b;
}

double cr_fit_fdist_sf(double f, double d1, double d2)
{
    if (!(f > 0)) return 1;
    if (isinf(f)) return 0;
    return cr_fit_betai(d2 / 2, d1 / 2, d2 / (d2 + d1 * f));
}

double cr_fit_t_twosided(double p, double nu)
{
    double lo = 0, hi = 1;   /* x = ν / (ν + t²); P(|T| > t) = I_x(ν/2, 1/2) rises with x */
    for (int it = 0; it < 200 && hi - lo > 1e-16; it++) {
        double mid = 0.5 * (lo + hi);
        if (cr_fit_betai(nu / 2, 0.5, mid) < p) lo = mid;
        else hi = mid;
    }
    return sqrt(nu * (1 - lo) / lo);
}

static uint64_t cr_fit_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void cr_fit_rng_seed(cr_fit_rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = cr_fit_splitmix(&seed);
}

static uint64_t cr_fit_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t cr_fit_rng_next(cr_fit_rng_t *r)
{
    uint64_t *s = r->s, out = cr_fit_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = cr_fit_rotl(s[3], 45);
    return out;
}

double cr_fit_rng_u01(cr_fit_rng_t *r) { return (cr_fit_rng_next(r) >> 11) * 0x1.0p-53; }

uint64_t cr_fit_rng_below(cr_fit_rng_t *r, uint64_t n)
{
    unsigned __int128 m = (unsigned __int128)cr_fit_rng_next(r) * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t t = -n % n;
        while (lo < t) {
            m = (unsigned __int128)cr_fit_rng_next(r) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double cr_fit_rng_normal(cr_fit_rng_t *r)
{
    double u = 1 - cr_fit_rng_u01(r), v = cr_fit_rng_u01(r);
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

uint64_t cr_fit_hash(const char *s, uint64_t h)
{
    if (!h) h = 0xcbf29ce484222325ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}
