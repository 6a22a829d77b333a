/* Special functions and the seeded PRNG used by the fitter. Pure, deterministic. */
#ifndef FIT_SPECIAL_H
#define FIT_SPECIAL_H

#include <stdint.h>

/* Regularized incomplete beta I_x(a, b), a, b > 0, x in [0, 1]. */
double cr_fit_betai(double a, double b, double x);

/* Upper tail P(F > f) of Fisher's F distribution with (d1, d2) degrees of freedom. */
double cr_fit_fdist_sf(double f, double d1, double d2);

/* Two-sided Student t quantile: t with P(|T| > t) = p for nu degrees of freedom
 * (nu = 22, p = 0.05: 2.0739). */
double cr_fit_t_twosided(double p, double nu);

/* xoshiro256** seeded through splitmix64: same seed, same stream, everywhere. */
typedef struct cr_fit_rng { uint64_t s[4]; } cr_fit_rng_t;

void cr_fit_rng_seed(cr_fit_rng_t *r, uint64_t seed);
uint64_t cr_fit_rng_next(cr_fit_rng_t *r);
/* Uniform in [0, 1) with 53 random bits. */
double cr_fit_rng_u01(cr_fit_rng_t *r);
/* Uniform integer in [0, n), n > 0 (Lemire's multiply-shift, rejection for exactness). */
uint64_t cr_fit_rng_below(cr_fit_rng_t *r, uint64_t n);
/* Standard normal deviate (Box–Muller; tests and synthetic data). */
double cr_fit_rng_normal(cr_fit_rng_t *r);

/* 64-bit FNV-1a of a string, to derive per-group streams from one seed. */
uint64_t cr_fit_hash(const char *s, uint64_t h);

#endif
