/* Skewed token routing for alltoallv (mixture-of-experts dispatch). Pure: the send
 * counts of every rank follow from (spec, seed, p, total) alone, so any rank, and
 * collroof-fit, can compute any rank's counts (docs/method.md, "alltoallv").
 *
 * Model: each of the p ranks is an expert; a destination's expected share w[d] is
 *   uniform   1/p
 *   zipf:S    (1/k^S) / sum_j 1/j^S, k = popularity rank of d (1 = hottest)
 *   hot:F:K   F/K + (1-F)/p for the K hot experts, (1-F)/p for the rest
 * Popularity ranks are a permutation of the destinations drawn from the seed (the
 * same on every rank), so the hot expert is not always rank 0. Each rank routes
 * cr_skew_tokens(total) tokens, each to a destination drawn from w (a multinomial,
 * per rank, seeded by (seed, rank)), then splits its total elements over the
 * destinations in proportion to its token counts, whole elements, by largest
 * remainder (ties: lower destination), so that they sum exactly to the total. */
#ifndef CR_SKEW_H
#define CR_SKEW_H

#include <stddef.h>
#include <stdint.h>
#include "cr_error.h"

#define CR_SKEW_TOKENS 4096       /* tokens a rank routes per call (fewer elements: one each) */
#define CR_SKEW_SPEC_LEN 32
#define CR_SKEW_DEFAULT_SEED 1

typedef enum cr_skew_kind { CR_SKEW_UNIFORM, CR_SKEW_ZIPF, CR_SKEW_HOT } cr_skew_kind_t;

typedef struct cr_skew {
    cr_skew_kind_t kind;
    double s;                     /* zipf: exponent, >= 0 */
    double f;                     /* hot: fraction of all tokens to the hot experts, [0, 1] */
    int k;                        /* hot: hot experts, >= 1 (more than p: every rank is hot) */
    uint64_t seed;                /* routing seed (--skew-seed) */
    char spec[CR_SKEW_SPEC_LEN];  /* as given: "uniform", "zipf:1.2", "hot:0.5:2" */
} cr_skew_t;

/* uniform, seed CR_SKEW_DEFAULT_SEED. */
void cr_skew_default(cr_skew_t *sk);
/* spec into *sk (seed kept). On a bad spec CR_ERR_INVAL and one message naming it. */
cr_status_t cr_skew_parse(const char *spec, cr_skew_t *sk, char *err, size_t errlen);
/* 0 when sk can route among p ranks (hot: K <= p); else -1 and a message. */
int cr_skew_fits(const cr_skew_t *sk, int p, char *err, size_t errlen);

/* Tokens a rank routes for total elements: min(total, CR_SKEW_TOKENS). */
uint64_t cr_skew_tokens(uint64_t total);
/* perm[k] = the destination of popularity rank k + 1 (perm[0] the hottest). */
void cr_skew_perm(const cr_skew_t *sk, int p, int *perm);
/* Expected share of each destination, w[0..p), summing to 1. */
cr_status_t cr_skew_shares(const cr_skew_t *sk, int p, double *w);
/* Elements rank sends to each destination, c[0..p), summing exactly to total. */
cr_status_t cr_skew_counts(const cr_skew_t *sk, int p, int rank, uint64_t total, uint64_t *c);
/* Elements each rank receives, recv[0..p) (own block included), every rank sending
 * total: the column sums of the p ranks' cr_skew_counts. */
cr_status_t cr_skew_recv(const cr_skew_t *sk, int p, uint64_t total, uint64_t *recv);

#endif
