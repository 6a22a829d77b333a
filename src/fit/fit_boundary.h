/* collroof-fit boundary: where the electrical/optical boundary should sit for a
 * workload step (docs/method.md, "Where the boundary should sit"). For each level
 * the step's traffic crosses (cr_fit_plan_levels), the catalog classes whose reach
 * covers that level's distance; every assignment (one class per level) planned with
 * the class's port rate as the level's what-if ceiling (cr_fit_plan_run) and priced
 * (cr_fit_energy_plan); the Pareto front in (step time, high-end energy), the
 * least-energy assignment within a step limit, and the level whose choice matters
 * most. Pure but for what cr_fit_plan_run reads (overlap.csv). */
#ifndef FIT_BOUNDARY_H
#define FIT_BOUNDARY_H

#include "fit_energy.h"
#include "fit_links.h"
#include "fit_plan.h"

#define CR_FIT_BND_MAXA 4096     /* assignments enumerated at most */

typedef struct cr_fit_bnd_opts {
    cr_fit_plan_opts_t plan;            /* target, overlap, cadence, hier; its base what-ifs
                                         * are overwritten per assignment */
    double reach_m[CR_FIT_PLAN_NLV];    /* metres each level's links must span; NAN: not given */
    double ports[CR_FIT_PLAN_NLV];      /* ports per host at a level (ceiling = port rate x
                                         * ports); 0: 1 */
    int hops[CR_FIT_PLAN_NLV];          /* links a byte crosses at a level; 0: 1 */
    double max_step_us;                 /* step limit, us; 0: none */
    const cr_fit_wire_t *wire;          /* the run's wire rows (plan's rule: measured bytes
                                         * for calls whose row it has); NULL: modelled */
} cr_fit_bnd_opts_t;

/* A call line whose bytes across nodes were measured. */
typedef struct cr_fit_bnd_meas {
    int line;
    const char *collective;
    double wire_bytes;                  /* per call, summed over hosts */
    char src[320];                      /* "RUN/results.csv:LINE (...)" */
} cr_fit_bnd_meas_t;

/* One assignment. Times us per step, energy J per step. */
typedef struct cr_fit_bnd_row {
    int pick[CR_FIT_PLAN_NLV];          /* candidate index per level; -1: level not crossed */
    const cr_link_class_t *cls[CR_FIT_PLAN_NLV];   /* NULL: level not crossed */
    double ceil_GBps[CR_FIT_PLAN_NLV];  /* the what-if ceiling set (0: not crossed) */
    double comm, exposed, t, t_lo, t_hi;
    double e_lo, e_hi, e_lv_lo[CR_FIT_PLAN_NLV], e_lv_hi[CR_FIT_PLAN_NLV];
    int pareto;                         /* 1: no other row is as fast and as frugal, and
                                         * strictly better in one (energy: e_hi) */
    int meets;                          /* 1: t <= max_step_us, 0: over; -1: no limit */
} cr_fit_bnd_row_t;

typedef struct cr_fit_bnd {
    int nodes, ppn;
    double bytes[CR_FIT_PLAN_NLV];      /* crossing each level per step, summed over hosts */
    const char *basis;                  /* "measured" when every call line's bytes are,
                                         * else "modelled" */
    const char *lv_basis[CR_FIT_PLAN_NLV];   /* per crossed level: "measured" when every
                                              * line carrying bytes there is; node always
                                              * modelled (no wire counter sees it); NULL:
                                              * not crossed */
    int ncalls;                         /* call lines of the step */
    cr_fit_bnd_meas_t meas[CR_WL_MAX_CALLS];
    int nmeas;                          /* lines with measured bytes */
    int crossed[CR_FIT_PLAN_NLV];       /* 1: the step moves bytes across the level */
    const cr_link_class_t *cand[CR_FIT_PLAN_NLV][CR_LINKS_MAX];
    int ncand[CR_FIT_PLAN_NLV];
    char skipped[CR_FIT_PLAN_NLV][512]; /* classes left out, and why ("" none) */
    double measured_t;                  /* step on the measured fabric, us */
    cr_fit_bnd_row_t *rows;             /* mixed radix over the crossed levels, the first
                                         * crossed level fastest */
    int n;
    int best;                           /* least e_hi among rows that meet (ties: least t);
                                         * -1: none meets */
    /* Per crossed level with several candidates: the widest spread of e_hi (J) and of t
     * (us) across its choices with every other level's choice held fixed. */
    double spread_e[CR_FIT_PLAN_NLV], spread_t[CR_FIT_PLAN_NLV];
    int most;                           /* level with the widest spread_e; -1: no choice */
} cr_fit_bnd_t;

/* The class's port rate as a level's ceiling: port_Gbps / 8 x ports GB/s. */
double cr_fit_bnd_ceiling(const cr_link_class_t *c, double ports);

/* Enumerates every assignment of links' classes (only those with a reach covering
 * o->reach_m) to the levels wl crosses on o->plan's target. CR_OK, or CR_ERR_INVAL with
 * one message in err: a crossed level without a reach, a level no class reaches
 * (its metres and the longest reach named), more than CR_FIT_BND_MAXA assignments,
 * or what cr_fit_plan_run refuses. out->rows is malloc'd: cr_fit_bnd_free. */
cr_status_t cr_fit_bnd_run(const cr_fit_model_t *m, const cr_workload_t *wl,
                           const cr_fit_bnd_opts_t *o, const cr_links_t *links, cr_fit_bnd_t *out,
                           char *err, size_t errlen);
void cr_fit_bnd_free(cr_fit_bnd_t *b);

/* "node=cu rail=op": the row's classes into buf. */
const char *cr_fit_bnd_name(const cr_fit_bnd_t *b, const cr_fit_bnd_row_t *r, char *buf,
                            size_t len);

/* The boundary CSV (docs/formats.md, "boundary CSV"): one row per assignment. */
cr_status_t cr_fit_bnd_csv(const char *path, const cr_fit_bnd_t *b);

/* plot-boundary.gp, boundary.dat -> boundary.svg in dir: energy per step (high end)
 * vs step time, one labelled point per assignment, the Pareto front as a line. */
cr_status_t cr_fit_plot_boundary(const char *dir, const cr_fit_bnd_t *b);

#endif
