/* Per-group analysis (segments, bootstrap CIs, ceilings) and the α(p) scaling
 * across rank counts. Pure. */
#ifndef FIT_GROUP_H
#define FIT_GROUP_H

#include <stddef.h>
#include <stdint.h>
#include "fit_boot.h"
#include "fit_data.h"
#include "fit_proj.h"
#include "fit_segment.h"

typedef struct cr_fit_opts {
    cr_fit_seg_opts_t seg;
    size_t reps;           /* bootstrap replicates */
    uint64_t seed;
} cr_fit_opts_t;

void cr_fit_opts_default(cr_fit_opts_t *o);

/* One segment's answer; µs, GB/s, bytes. */
typedef struct cr_fit_segres {
    size_t first, last;                 /* point indices in the group */
    double alpha, alpha_lo, alpha_hi;   /* µs */
    double rinf, rinf_lo, rinf_hi;      /* GB/s */
    double ceiling;                     /* busbw ceiling F·r∞, GB/s */
    double n_half;                      /* α·r∞, bytes */
    double rel_med;                     /* median |relative residual| */
    double beta;                        /* µs per byte (exact model for curves) */
} cr_fit_segres_t;

typedef struct cr_fit_result {
    const cr_fit_group_t *g;
    size_t k;
    cr_fit_segres_t seg[CR_FIT_MAXSEG];
    double sigma;            /* relative noise scale used by the segment criterion */
    double crit;             /* criterion value of the chosen k */
    int boot_raw;            /* 1: raw-sample bootstrap, 0: residual bootstrap */
    double link_GBps;        /* link ceiling for efficiency; 0 unknown */
    const char *link_src;    /* "pingpong" | "pingpong-rows" | "nominal" | "memcpy" | "" */
    double efficiency;       /* roof_ceiling / link; NAN unknown */
    /* The group's roofline min(roof_ceiling, F·S/roof_alpha), see cr_fit_roof(). */
    double roof_alpha;       /* latency floor: α of segment 1, µs; NAN when α <= 0 */
    double roof_ceiling;     /* busbw ceiling, GB/s */
    size_t roof_seg;         /* segment giving roof_ceiling (0-based); k: measured max */
    int roof_extrapolated;   /* 1: no segment reaches its n½, ceiling is extrapolated */
    double roof_knee;        /* S* = roof_alpha·roof_ceiling/F, bytes; NAN without floor */
} cr_fit_result_t;

/* α(p) = a + b·x with x = p-1 (ring-like) or ceil(log2 p) (tree-like). */
typedef struct cr_fit_scaling {
    char collective[CR_NAME_LEN], level[CR_NAME_LEN], cadence[CR_NAME_LEN];
    char dtype[CR_NAME_LEN];
    int in_place;
    cr_variant_t variant;
    char skew[CR_NAME_LEN];          /* alltoallv's routing; "" others */
    char label[4 * CR_NAME_LEN];     /* the groups' label (cr_fit_group_t) */
    size_t points;           /* distinct rank counts */
    int pmin, pmax;
    double lin_a, lin_b, lin_rmse;   /* µs, µs per rank, relative RMS error */
    double log_a, log_b, log_rmse;   /* µs, µs per doubling, relative */
    const char *shape;       /* "linear" | "log2" | "undetermined" */
} cr_fit_scaling_t;

struct cr_fit_wlset;

typedef struct cr_fit_report {
    const cr_fit_set_t *set;
    const struct cr_fit_wlset *wl;   /* replayed workload steps (fit_workload.h); NULL none */
    cr_fit_result_t *res;
    size_t nres;
    cr_fit_scaling_t *scal;
    size_t nscal;
    cr_fit_pseries_t *proj;  /* series across rank counts (fit_proj.h) */
    size_t nproj;
} cr_fit_report_t;

cr_status_t cr_fit_group_run(const cr_fit_group_t *g, const cr_fit_opts_t *o,
                             cr_fit_result_t *out);

/* Link ceiling for a group's level: the sustained rate of the link probes
 * (cr_coll_is_probe) of the matching distance class first, i.e. r∞ of the last
 * segment of their fits among res[0..nres) (src "pingpong"), or, without a usable
 * r∞, the median rate of their largest-size rows ("pingpong-rows"); then nominal
 * NIC (across nodes) or memcpy (within). */
void cr_fit_link_ceiling(const cr_fit_set_t *set, const cr_fit_result_t *res, size_t nres,
                         const cr_fit_group_t *g, double *GBps, const char **src);

/* Fills r's roof_* fields from its segments and g's medians. Latency floor =
 * α of segment 1 (smallest sizes). Ceiling = the highest F·r∞ among segments
 * whose measurements approach it: the segment's last size reaches its n½ = α·r∞
 * (measured busbw there >= half of F·r∞), or α <= 0 (bandwidth term dominates
 * throughout). Beyond n½ the slope is fixed by the data; below it F·r∞ is the
 * extrapolation of a small slope and can lie far above every measurement.
 * Slower later segments (out of cache) do not lower the ceiling. When no
 * segment qualifies: F·r∞ of the segment holding the highest measured busbw
 * (roof_extrapolated = 1), or that busbw itself if r∞ is infinite. Pure. */
void cr_fit_roof(const cr_fit_group_t *g, cr_fit_result_t *r);

/* Fits every group (groups with < 2 distinct sizes are skipped with a
 * warning) and the scaling across rank counts. */
cr_status_t cr_fit_report_build(const cr_fit_set_t *set, const cr_fit_opts_t *o,
                                cr_fit_report_t *rep);
void cr_fit_report_free(cr_fit_report_t *rep);

/* ceil(log2 p) for p >= 1. */
int cr_fit_log2_ceil(int p);

/* The number of largest sizes of g, contiguous up to the largest, whose calls fault
 * in fresh memory (cr_result_fresh_memory; 0: none, or not recorded); *from = index
 * of the first of them. */
size_t cr_fit_fault_bound(const cr_fit_group_t *g, size_t *from);

#endif
