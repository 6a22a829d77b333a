/* Link energy of a plan (docs/method.md, "Link energy"): the bytes each call moves
 * across each level (modelled from the collective's bus factor, per host summed over
 * hosts), times the energy per bit of the link class the user puts at that level
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

/* Energy of every call and of the step of p (its calls' link_bytes filled by
 * cr_fit_plan_run). Refuses (CR_ERR_INVAL, the call line and level named) a level
 * that carries bytes and has no class. */
cr_status_t cr_fit_energy_plan(const cr_fit_link_assign_t *a, cr_fit_plan_t *p, char *err,
                               size_t errlen);

/* Measured host energy per call (RAPL: results.csv's energy_pkg_J_per_call_sum +
 * energy_dram_J_per_call_sum) for each call of p that the run measured at the same
 * collective, ranks, nodes, ppn and bytes (the level of a flat call; any level for a
 * hierarchical one, world first). Calls without such a row keep NAN. path: a run
 * directory or its results.csv. */
cr_status_t cr_fit_energy_rapl(const char *path, cr_fit_plan_t *p, char *err, size_t errlen);

/* Where a row carries measured wire bytes (results.csv's wire_tx_bytes_per_call,
 * issue 13's first part, not read yet): 1 and the bytes per level. Always 0 today:
 * every figure is modelled, and the output says so. */
int cr_fit_energy_measured_bytes(const cr_fit_plan_call_t *c, double bytes[CR_FIT_PLAN_NLV]);

#endif
