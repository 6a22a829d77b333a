/* Capacity planning from a fit directory: predicted time and bandwidth for a
 * collective, size and rank count; compute- vs communication-bound. Pure. */
#ifndef FIT_PREDICT_H
#define FIT_PREDICT_H

#include <stdint.h>
#include "cr_level_names.h"
#include "fit_data.h"
#include "fit_group.h"
#include "fit_proj.h"

/* One fit.csv row as read back; µs, GB/s, bytes. */
typedef struct cr_fit_model_row {
    char collective[CR_NAME_LEN], level[CR_NAME_LEN], cadence[CR_NAME_LEN];
    char dtype[CR_NAME_LEN];   /* "" in a fit.csv written before the column existed */
    int in_place;              /* 0 when fit.csv has no such column */
    cr_variant_t variant;      /* blocking when fit.csv has no such column */
    char skew[CR_NAME_LEN];    /* alltoallv's routing; "" others or without the column */
    int ranks, segment;
    int nodes, ppn;            /* 0 when fit.csv has no such columns: any topology */
    double bytes_lo, bytes_hi;
    double alpha, alpha_lo, alpha_hi;
    double rinf, rinf_lo, rinf_hi;
    double ceiling, F, link_GBps;
    double rel_err;            /* median |relative residual| of the segment; NAN unknown */
} cr_fit_model_row_t;

typedef struct cr_fit_model {
    cr_fit_model_row_t *rows;
    size_t n;
    cr_fit_scaling_t *scal;
    size_t nscal;
    cr_fit_set_t pts;          /* roofline.csv's measured medians (empty without one) */
    cr_fit_pseries_t *proj;    /* their series across rank counts (fit_proj.h) */
    size_t nproj;
} cr_fit_model_t;

/* Reads DIR/fit.csv (required), DIR/scaling.csv and DIR/roofline.csv (optional; the
 * measured medians the scaling model across rank counts is fitted to). */
cr_status_t cr_fit_model_load(const char *dir, cr_fit_model_t *m);
void cr_fit_model_free(cr_fit_model_t *m);

typedef struct cr_fit_query {
    const char *collective;
    const char *level;        /* NULL: "world" when fitted, else the first level */
    const char *cadence;      /* NULL: "isolated" when fitted, else the first */
    /* The rest of the group key. NULL: the one fitted for that collective, level and
     * cadence; several are refused with the choices named. */
    const char *dtype;
    const char *in_place;     /* "0" | "1" */
    const char *variant;      /* "blocking" | "nonblocking" */
    /* alltoallv's routing (fit.csv's skew). NULL: uniform when fitted; other routings
     * are never taken unless named, and never mixed. Refused for other collectives. */
    const char *skew;
    uint64_t bytes;           /* S */
    int ranks;                /* p */
    /* Topology (nodes x ppn = ranks); 0 when not given. Several topologies fitted at
     * the rank count read are refused unless one is given and was measured. */
    int nodes, ppn;
    /* What-if fabrics (docs/method.md, "What-if fabrics"); 0 everywhere: as measured.
     * A bandwidth X of a level replaces the measured link ceiling of the fit read:
     * r_inf (and its interval) scales by X / link_ceiling_GBps of that fit, i.e. the
     * bandwidth term beta = 1 / r_inf by link / X; without a recorded link, X is the
     * busbw ceiling and r_inf = X / F(p). A latency Y replaces the latency floor alpha_1
     * of the fit read at the rank count predicted; every segment's intercept moves by
     * the same difference. The scaling model across p moves the same way (alpha(p) = Y,
     * beta(p, S) by link / X). Which value applies to a fit at level L
     * (cr_fit_query_whatif): level_*[L]; else, when L's groups cross nodes (internode,
     * rail, world over several hosts), level_*[CR_LEVEL_INTERNODE]; else link_GBps /
     * latency_us, which apply to whatever level is predicted (cr_fit_predict_hier
     * keeps them off its node phases). Indices are cr_level_t. */
    double link_GBps;         /* GB/s; every level but a hierarchy's node phases */
    double latency_us;        /* us */
    double level_GBps[CR_LEVEL_COUNT];        /* GB/s per level */
    double level_latency_us[CR_LEVEL_COUNT];  /* us per level */
    int hier_alg;             /* cr_fit_hier_alg_t of cr_fit_predict_hier (0: rail) */
} cr_fit_query_t;

/* The what-ifs that apply to a fit at level `level` (a level or a probe's distance
 * class; other names take the global ones only) read for a group spanning `nodes`
 * hosts (0: unknown, one): GB/s and us, 0 for as measured. */
void cr_fit_query_whatif(const cr_fit_query_t *q, const char *level, int nodes, double *GBps,
                         double *latency_us);
/* 1 when q asks any what-if. */
int cr_fit_query_has_whatif(const cr_fit_query_t *q);
/* q with every what-if cleared: the measured fabric, for side-by-side answers. */
void cr_fit_query_measured(const cr_fit_query_t *q, cr_fit_query_t *out);
/* "rail=50 GB/s, internode latency 2 us" (the what-ifs asked; "" none) into buf. */
const char *cr_fit_query_whatif_str(const cr_fit_query_t *q, char *buf, size_t len);

typedef struct cr_fit_prediction {
    double t, t_lo, t_hi;                    /* µs */
    double algbw, algbw_lo, algbw_hi;        /* GB/s */
    double busbw, busbw_lo, busbw_hi;        /* GB/s */
    double F;
    double rinf;                             /* GB/s, algbw asymptote used */
    int extrapolated;
    int floored;                             /* 1: t raised to the latency floor */
    double floor_us;                         /* the group's latency floor at p (0: none) */
    char level[CR_NAME_LEN], cadence[CR_NAME_LEN], dtype[CR_NAME_LEN];
    int in_place;
    cr_variant_t variant;
    char skew[CR_NAME_LEN];                  /* routing of the fit read; "" none */
    int nodes, ppn;                          /* topology of the fit read; 0: unknown */
    char basis[512];                         /* what the answer rests on, in words */
    char model[32];                          /* "segment fit" | "scaling model" */
    double se;                               /* SD of ln t behind the interval */
    char warning[384];                       /* "" or why the answer is a long shot */
    double whatif_GBps, whatif_latency_us;   /* the what-ifs applied (0: none) */
    double link_GBps;                        /* the measured link X scaled (0: none
                                              * recorded, X was the busbw ceiling) */
} cr_fit_prediction_t;

cr_status_t cr_fit_predict(const cr_fit_model_t *m, const cr_fit_query_t *q,
                           cr_fit_prediction_t *out);

/* The hierarchical algorithm a large job runs, phase by phase, each phase predicted
 * (cr_fit_predict) at its own level, phases summed (run one after the other, not
 * pipelined), intervals combined as independent (SD of the sum). Two families:
 *
 * CR_FIT_HIER_RAIL (every rank works across nodes): within a node at ppn ranks,
 * across nodes on the rail level (ppn concurrent groups of `nodes` ranks, one per
 * local rank, sharing the node's links; internode, or world at ppn 1, when rail was
 * not measured):
 *   allreduce       node reduce_scatter(S) + rail allreduce(S/ppn) + node allgather(S)
 *   allgather       rail allgather(S/ppn) + node allgather(S)
 *   reduce_scatter  node reduce_scatter(S) + rail reduce_scatter(S/ppn)
 *   alltoall        node alltoall(S) + rail alltoall(S)
 *   bcast           rail bcast(S) + node bcast(S)
 *
 * CR_FIT_HIER_LEADER (one leader per node works across nodes, the others wait: Open
 * MPI 4.1 coll/han's "simple" algorithms, MPICH's smp allreduce): across nodes on the
 * internode level (one group of `nodes` leaders; world at ppn 1):
 *   allreduce       node reduce(S) + internode allreduce(S) + node bcast(S)
 *   allgather       node gather(S/nodes) + internode allgather(S) + node bcast(S)
 *   bcast           internode bcast(S) + node bcast(S)
 * The node reduce and gather are priced by the node reduce and gather fits; a fit
 * without them prices a node reduce by the node bcast fit (the same messages
 * reversed, plus the sum), a node gather by the node allgather fit of the same output
 * (the root receives as much), and the phase names both (op, collective).
 * reduce_scatter and alltoall have no leader algorithm (coll/han 4.1 has none);
 * reduce and gather themselves have no hierarchical model in either family.
 * What-ifs: each phase takes those of the level of the fit that prices it
 * (cr_fit_query_whatif), the node phases never the global link_GBps / latency_us;
 * an across-nodes phase priced by another level's fit also takes the what-if of
 * the level whose part it plays (rail, or internode for the leaders). */
typedef enum cr_fit_hier_alg { CR_FIT_HIER_RAIL = 0, CR_FIT_HIER_LEADER = 1 } cr_fit_hier_alg_t;
extern const char *const cr_fit_hier_alg_names[];   /* "rail", "leader", NULL */

#define CR_FIT_HIER_MAXPH 3
typedef struct cr_fit_phase {
    char op[CR_NAME_LEN];                    /* what the algorithm runs: "reduce" */
    char collective[CR_NAME_LEN], level[CR_NAME_LEN];   /* the fit that prices it */
    int ranks, nodes, ppn;
    uint64_t bytes;
    cr_fit_prediction_t pr;
} cr_fit_phase_t;

typedef struct cr_fit_hier {
    cr_fit_hier_alg_t alg;
    size_t nph;
    cr_fit_phase_t ph[CR_FIT_HIER_MAXPH];
    double t, t_lo, t_hi, se;                /* µs; 95% interval */
    double algbw, busbw;                     /* GB/s at the query's S and F(nodes·ppn) */
    int warn;                                /* a phase warned */
} cr_fit_hier_t;

/* Needs q->nodes and q->ppn; q->hier_alg picks the family. CR_OK, or CR_ERR_INVAL
 * with why[] saying which phase has no fit (nothing reported: the hierarchical
 * answer is an addition). */
cr_status_t cr_fit_predict_hier(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                cr_fit_hier_t *h, char *why, size_t len);

/* Roofline of a workload step (JAX scaling book). flops; bytes moved; peak in
 * FLOP/s; bw in bytes/s. */
typedef struct cr_fit_intensity {
    double intensity;        /* FLOPs per byte */
    double critical;         /* peak / bw, FLOPs per byte */
    double t_math_us, t_comm_us;
    double t_overlap_us;     /* max(T_math, T_comm) */
    double t_serial_us;      /* T_math + T_comm */
    int compute_bound;       /* intensity > critical */
} cr_fit_intensity_t;

void cr_fit_intensity_eval(double flops, double bytes, double peak_flops, double bw_Bps,
                           cr_fit_intensity_t *out);

#endif
