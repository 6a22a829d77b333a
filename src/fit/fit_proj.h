/* Predictions beyond the measured rank counts (pure).
 *
 * A series is one collective, level, cadence, dtype, in_place and variant at one
 * fixed topology dimension: across hosts (the level's traffic crosses hosts) the
 * ranks per node are fixed and the node count varies; within a host the node count
 * is fixed and the ranks per node vary (cr_proj_fixed).
 *
 * Model: t(S, p) = α(p) + S·β(p, S): at every measured rank count α is the latency
 * floor (the intercept of the secant through its two smallest sizes) and β(S) the
 * rest of its time per byte at S (t interpolated linearly in S between measured
 * sizes and beyond the largest), carried across rank counts as α(p) = a0 + a1·xα(p) and
 * β(p, S) = b0(S) + b1(S)·xβ(p) (weighted least squares on relative error, slopes
 * >= 0), each x from one family:
 *   bus     F(p), the collective's bus factor (β: busbw constant in p, ring-like)
 *   log2    log2 p (trees, recursive doubling)
 *   linear  p − 1 (linear algorithms; β: busbw falling with p)
 * With >= 3 rank counts the families are chosen by leave-one-rank-count-out error:
 * xβ on the bandwidth band of sizes (from where the largest rank count's time is
 * twice its smallest-size time), then xα on the latency band, another family than
 * the prior only when its error is below 90% of the prior's; with 2 rank counts the
 * stated prior (xα log2, xβ bus) is used and said to be unvalidated.
 *
 * Prediction interval (95%, on ln t): se² = σ²·(1 + L) + σ_lack²·d² + σ_size²,
 * d = doublings of p beyond the measured rank counts, σ² = σ_run² +
 * σ_lack², with σ_run the run-to-run spread of repeated launches (a robust SD of ln t:
 * 1.4826 × the median absolute deviation over sizes measured more than once at one
 * rank count; CR_PROJ_SIGMA_RUN when none),
 * σ_lack the model's lack of fit in the band from its held-out errors, pooled with
 * CR_PROJ_SIGMA_LACK as if that were measured on 2 rank counts (alone with < 3), L the prediction's leverage (its
 * relative variance per unit relative noise of the measurements it is read from,
 * which grows with the distance from the measured rank counts) and σ_size =
 * CR_PROJ_SIGMA_SIZE per doubling of S beyond the measured sizes. */
#ifndef FIT_PROJ_H
#define FIT_PROJ_H

#include <stddef.h>
#include "cr_error.h"
#include "cr_result.h"

#define CR_PROJ_MAXP 64              /* rank counts per series */
#define CR_PROJ_SIGMA_RUN 0.05       /* assumed run-to-run SD of ln t without repeats */
#define CR_PROJ_SIGMA_LACK 0.10      /* assumed lack of fit with < 3 rank counts */
#define CR_PROJ_SIGMA_SIZE 0.05      /* per doubling of S beyond the measured sizes */
#define CR_PROJ_WARN_FACTOR 4.0      /* warn beyond this factor of the measured ranks */
#define CR_PROJ_Z 1.959963984540054  /* 95% two-sided normal quantile */
/* se's cap: an interval of a factor 100 either way says the model knows nothing
 * there; wider would only be less readable (and overflow). */
#define CR_PROJ_SE_MAX (4.605170185988091 / CR_PROJ_Z)

typedef enum cr_proj_family {
    CR_PROJ_BUS, CR_PROJ_LOG2, CR_PROJ_LIN, CR_PROJ_NFAM
} cr_proj_family_t;

extern const char *const cr_proj_family_names[CR_PROJ_NFAM];  /* bus, log2, linear */
/* The formula of x(p) for people: "F(p)", "log2 p", "p-1". */
extern const char *const cr_proj_family_x[CR_PROJ_NFAM];

/* One measured size of one group (or launch): its rank count, S, median time in µs. */
typedef struct cr_proj_pt {
    int ranks;
    double bytes, t;
} cr_proj_pt_t;

/* A rank count's measured curve: sizes ascending, duplicates (repeated launches)
 * merged into their median. */
typedef struct cr_proj_curve {
    int ranks;
    double *S, *t;
    size_t n;
    double alpha;          /* latency floor: first secant's intercept in [0, t[0]] */
} cr_proj_curve_t;

enum { CR_PROJ_LAT, CR_PROJ_BW, CR_PROJ_NBAND };

typedef struct cr_proj_series {
    double (*F)(int p);              /* the collective's bus factor */
    cr_proj_curve_t c[CR_PROJ_MAXP]; /* ascending rank counts */
    size_t nc;
    double smin, smax;               /* sizes measured (over every rank count) */
    double split;                    /* bytes: the bandwidth band starts here */
    cr_proj_family_t fa, fb;         /* families of α(p) and β(p) */
    int validated;                   /* 1: chosen by held-out error */
    /* RMS held-out ln error of each xβ (bandwidth band, its best xα) and of each xα
     * (latency band, with fb); NAN where nothing was held out */
    double rms_beta[CR_PROJ_NFAM], rms_alpha[CR_PROJ_NFAM];
    size_t loo_n[CR_PROJ_NBAND];     /* held-out predictions per band */
    double sigma_run;
    size_t run_dof;                  /* 0: σ_run is the assumed CR_PROJ_SIGMA_RUN */
    double sigma_lack[CR_PROJ_NBAND];
    int lack_measured[CR_PROJ_NBAND];
} cr_proj_series_t;

/* Builds s from n points (any order; copied) with bus factor F and fits it: curves,
 * bands, families, σ. More than CR_PROJ_MAXP rank counts is an error (reported). */
cr_status_t cr_proj_build(cr_proj_series_t *s, const cr_proj_pt_t *pts, size_t n,
                          double (*F)(int p));
void cr_proj_free(cr_proj_series_t *s);

typedef struct cr_proj_est {
    double t, t_lo, t_hi;            /* µs; 95% prediction interval */
    double se;                       /* SD of ln t behind the interval */
    double alpha, beta;              /* α(p) µs, β(p, S) µs per byte */
    cr_proj_family_t fa, fb;
    int band;
    int measured_p;                  /* 1: p is a measured rank count */
    int size_extrapolated;           /* S outside some curve's measured sizes */
    int floored;                     /* raised to the floor (fit_proj.c, cr_proj_floor) */
    double factor;                   /* p / the nearest measured rank count */
    int warn;                        /* beyond CR_PROJ_WARN_FACTOR in ranks or sizes */
} cr_proj_est_t;

/* Predicts t(S, p) from every rank count of s. 0; -1 when s has no curve. */
int cr_proj_predict(const cr_proj_series_t *s, double S, int p, cr_proj_est_t *e);

/* The same from the rank counts in mask (mask[i] for s->c[i]; NULL: all), with
 * families fa, fb and σ² = sigma2 (no σ_size); used by the held-out checks. -1 when
 * no curve is in mask. */
int cr_proj_predict_with(const cr_proj_series_t *s, const int *mask, cr_proj_family_t fa,
                         cr_proj_family_t fb, double sigma2, double S, int p,
                         cr_proj_est_t *e);

/* Leave-one-rank-count-out on s: every curve's sizes >= min_bytes predicted from the
 * other rank counts, with the families and σ chosen without it. */
typedef struct cr_proj_loo {
    size_t n;              /* held-out predictions */
    double med_abs_err;    /* median |t_pred / t_meas − 1| */
    double max_abs_err;
    double coverage;       /* fraction of measurements inside their 95% interval */
} cr_proj_loo_t;
/* 0 when done; -1 when < 3 rank counts (nothing to hold out: fields NAN, n 0). */
int cr_proj_loo(const cr_proj_series_t *s, double min_bytes, cr_proj_loo_t *out);

/* The fixed dimension of a group's series: across hosts (the level's link class at
 * nodes is internode) the ppn, else the nodes; the other is 0. */
void cr_proj_fixed(const char *level, int nodes, int ppn, int *fixed_nodes, int *fixed_ppn);

/* The series of a fit set (fit_proj_set.c): every series with >= 2 rank counts. */
struct cr_fit_set;
typedef struct cr_fit_pseries {
    char collective[CR_NAME_LEN], level[CR_NAME_LEN], cadence[CR_NAME_LEN];
    char dtype[CR_NAME_LEN];
    int in_place;
    cr_variant_t variant;
    char skew[CR_NAME_LEN];          /* alltoallv's routing; "" others */
    int fixed_nodes, fixed_ppn;      /* the fixed dimension (cr_proj_fixed) */
    cr_proj_series_t s;
    cr_proj_loo_t loo;               /* held out at >= CR_PROJ_LOO_MIN_BYTES */
    int has_loo;
} cr_fit_pseries_t;

#define CR_PROJ_LOO_MIN_BYTES 65536.0

cr_status_t cr_fit_pseries_build(const struct cr_fit_set *set, cr_fit_pseries_t **out,
                                 size_t *n);
void cr_fit_pseries_free(cr_fit_pseries_t *ps, size_t n);

#endif
