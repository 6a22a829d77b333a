/* Link energy of a plan or a prediction (docs/method.md, "Link energy"): the bytes
 * each call moves across each level (measured wire bytes where the run has a row for
 * the call, else modelled from the collective's bus factor; summed over hosts), times the energy per bit of the link class the user puts at that level
 * (fit_links.h), as a low-high range; beside it the host energy a run measured
 * (RAPL), kept apart. Pure but for reading a results.csv. */
#ifndef FIT_ENERGY_H
#define FIT_ENERGY_H

#include <stdint.h>
#include "fit_links.h"
#include "fit_plan.h"

/* Bytes one instance of collective `name` on p ranks at size S sends over links,
 * summed over its ranks: p x F(p) x S (F the plug-in's bus factor: the per-rank link
 * bytes of the ring / pairwise algorithms), except for a collective whose data_bytes
 * differ between rank 0 and the others (a root: bcast, reduce, gather), where it is
 * max(sum of sent, sum of received) of data_bytes (each byte crosses one link once).
 * 0 for p < 2 or an unknown collective. */
double cr_fit_energy_bytes(const char *name, int p, uint64_t S);

/* The share of a flat collective's bytes that crosses hosts when its p ranks sit
 * on n hosts, ranks of a host consecutive (as --map-by ppr:Q:node places them),
 * modelled on the algorithms MPI libraries run at bandwidth sizes: around a ring
 * (allreduce, allgather, reduce_scatter) n of the p hops cross, n / p; along a
 * chain or a tree (sendrecv, bcast, reduce) the data enters each other host once,
 * (n - 1) / (p - 1); between every pair or with a root (alltoall, alltoallv,
 * gather and the rest) a rank's peers on other hosts, (p - q) / (p - 1) with q the
 * ranks per host. 0 for n <= 1, 1 for one rank per host. */
double cr_fit_energy_cross_share(const char *name, int p, int n);

/* Bytes per call crossing each level (cr_fit_plan_levels) of `groups` concurrent
 * instances of a flat collective at `level` on p ranks spanning `nodes` hosts: all
 * of it on node when the group sits in one node (nodes 1 or level node); else the
 * share that crosses hosts (cr_fit_energy_cross_share) on level (world for any
 * other name) and the rest on node. Added to bytes[]. */
void cr_fit_energy_flat_bytes(const char *name, const char *level, int p, int nodes, uint64_t S,
                              double groups, double bytes[CR_FIT_PLAN_NLV]);

/* The same for a hierarchical answer on N nodes x Q ranks (fit_predict.h), `groups`
 * of them side by side: a node phase runs once per node, the across-nodes phase
 * once per local rank (rail family) or once among the leaders (leader family). */
void cr_fit_energy_hier_bytes(const cr_fit_hier_t *h, int N, int Q, double groups,
                              double bytes[CR_FIT_PLAN_NLV]);

/* Which class each plan level (cr_fit_plan_levels) uses; NULL cls and none 0: not given. */
typedef struct cr_fit_link_assign {
    const cr_link_class_t *cls[CR_FIT_PLAN_NLV];
    int hops[CR_FIT_PLAN_NLV];   /* links a byte crosses at that level (>= 1) */
    int none[CR_FIT_PLAN_NLV];   /* LEVEL=none: left unpriced on purpose */
} cr_fit_link_assign_t;

/* "LEVEL=CLASS[:HOPS][,LEVEL=CLASS[:HOPS]...]" (CLASS may be none) into *a (added to
 * what it holds). CR_OK, or CR_ERR_INVAL naming the bad part and what is accepted. */
cr_status_t cr_fit_link_parse(const char *spec, const cr_links_t *l, cr_fit_link_assign_t *a,
                              char *err, size_t errlen);

/* Energy of bytes[] per level under a: lo[], hi[] (J) and their sums. -1, or the
 * first level that carries bytes and has neither a class nor none (nothing priced). */
int cr_fit_energy_price(const cr_fit_link_assign_t *a, const double bytes[CR_FIT_PLAN_NLV],
                        double lo[CR_FIT_PLAN_NLV], double hi[CR_FIT_PLAN_NLV], double *sum_lo,
                        double *sum_hi);

/* Energy of every call and of the step of p (its calls' link_bytes filled by
 * cr_fit_plan_run, replaced by the measured ones where cr_fit_energy_wire found a row). Refuses (CR_ERR_INVAL, the call line and level named) a level
 * that carries bytes and has no class. */
cr_status_t cr_fit_energy_plan(const cr_fit_link_assign_t *a, cr_fit_plan_t *p, char *err,
                               size_t errlen);

/* Measured host energy per call (RAPL: results.csv's energy_pkg_J_per_call_sum +
 * energy_dram_J_per_call_sum) for each call of p that the run measured at the same
 * collective, ranks, nodes, ppn and bytes (the level of a flat call; any level for a
 * hierarchical one, world first). Calls without such a row keep NAN. path: a run
 * directory or its results.csv. */
cr_status_t cr_fit_energy_rapl(const char *path, cr_fit_plan_t *p, char *err, size_t errlen);

/* Where the run's wire bytes come from: run when given; else the fit directory's own
 * results.csv, else its parent's (collroof-fit writes RUN/fit by default); NULL when
 * none is readable (every figure modelled). buf holds the answer. */
const char *cr_fit_energy_wire_path(const char *fit_dir, const char *run, char *buf, size_t len);

/* The usable wire rows of a run's results.csv, read once (plan --grid and boundary
 * look them up per point): rows whose background is high (wire_bg_high 1) or
 * without wire bytes left out; none when the file lacks the wire columns. */
typedef struct cr_fit_wire_row {
    char coll[32], level[48], cadence[16];
    long long ranks, nodes, ppn;
    uint64_t bytes;
    double tx;                        /* wire_tx_bytes_per_call, summed over hosts */
    int line;                         /* in file */
} cr_fit_wire_row_t;

typedef struct cr_fit_wire {
    char file[4200];                  /* the results.csv read */
    cr_fit_wire_row_t *rows;
    size_t n;
} cr_fit_wire_t;

/* A measured point: the results.csv row (path: a run directory or the file) of
 * this collective, level, cadence, ranks, bytes, dtype, in_place, variant and skew
 * ("" none), at nodes x ppn when nodes > 0 (else the first topology), its
 * validation not failed: 1 with its t_median_us, CI and src ("FILE:LINE"), 0 when
 * none, -1 when the file cannot be read. predict prints it beside the fit's answer. */
int cr_fit_mpoint_find(const char *path, const char *coll, const char *level, const char *cadence,
                       int ranks, int nodes, int ppn, uint64_t bytes, const char *dtype,
                       int in_place, const char *variant, const char *skew, double *t, double *lo,
                       double *hi, char *src, size_t srclen);

/* path: a run directory or its results.csv. CR_OK (free with cr_fit_wire_free), or
 * CR_ERR_IO / CR_ERR_NOMEM with err. */
cr_status_t cr_fit_wire_load(const char *path, cr_fit_wire_t *w, char *err, size_t errlen);
void cr_fit_wire_free(cr_fit_wire_t *w);

/* The row at this collective, level, ranks, nodes, ppn and bytes, an isolated cadence
 * preferred (else the first): 1 with *tx and src ("FILE:LINE (collective level p=N
 * cadence)"), 0 when none. */
int cr_fit_wire_lookup(const cr_fit_wire_t *w, const char *coll, const char *level, int ranks,
                       int nodes, int ppn, uint64_t bytes, double *tx, char *src, size_t srclen);

/* The measured wire bytes of one collective: wire_tx_bytes_per_call (summed over
 * hosts) of the results.csv row at this collective, level, ranks, nodes, ppn and
 * bytes, an isolated cadence preferred; rows whose background is high
 * (wire_bg_high 1) or without wire bytes are skipped. path: a run directory or its
 * results.csv. 1 with *tx and src ("FILE:LINE (collective level p=N cadence)"), 0
 * when no row fits (a file without the wire columns too), -1 when the file cannot
 * be read (err). */
int cr_fit_energy_wire_find(const char *path, const char *coll, const char *level, int ranks,
                            int nodes, int ppn, uint64_t bytes, double *tx, char *src,
                            size_t srclen, char *err, size_t errlen);

/* Each call of p that crosses nodes and that the run measured (a flat call: at its
 * level; a hierarchical one: the world row at the same topology) gets wire_bytes and
 * bytes_src. CR_ERR_IO when path cannot be read. */
cr_status_t cr_fit_energy_wire(const char *path, cr_fit_plan_t *p, char *err, size_t errlen);
/* The same from rows read once; a call without a row is reset to modelled. */
void cr_fit_energy_wire_apply(const cr_fit_wire_t *w, cr_fit_plan_t *p);

/* Where c has measured wire bytes: 1 and its bytes per level, the modelled node
 * level kept and the levels across nodes replaced by the measured bytes (shared in
 * the modelled proportions when a call crosses several); else 0. */
int cr_fit_energy_measured_bytes(const cr_fit_plan_call_t *c, double bytes[CR_FIT_PLAN_NLV]);

/* The rule of cr_fit_energy_measured_bytes on modelled bytes m and measured wire. */
void cr_fit_energy_apply_wire(double wire, const double m[CR_FIT_PLAN_NLV],
                              double out[CR_FIT_PLAN_NLV]);

#endif
