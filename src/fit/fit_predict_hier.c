/* The hierarchical projection: see cr_fit_predict_hier() in fit_predict.h. */
#include "config.h"

#include "fit_predict.h"
#include "cr_coll.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Whether the fit has rows of collective c at level lv measured at ppn (any rank
 * count; a fit without topology columns matches any ppn). */
static int cr_fit_has_level(const cr_fit_model_t *m, const char *c, const char *lv, int ppn)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->rows[i].collective, c) && !strcmp(m->rows[i].level, lv) &&
            (!m->rows[i].ppn || m->rows[i].ppn == ppn))
            return 1;
    return 0;
}

/* The node count of the fitted node-level group of c with `ranks` ranks at `ppn`
 * (the largest); 0 when none. Within a node the node count does not matter. */
static int cr_fit_node_nodes(const cr_fit_model_t *m, const char *c, int ranks, int ppn)
{
    int best = 0;
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        if (!strcmp(r->collective, c) && !strcmp(r->level, "node") && r->ranks == ranks &&
            (r->ppn == ppn || !r->ppn) && r->nodes > best)
            best = r->nodes;
    }
    return best;
}

/* The across-nodes level for c measured at ppn: rail (at ppn 1 the same groups as
 * world), else internode, else world at ppn 1. */
static const char *cr_fit_rail_level(const cr_fit_model_t *m, const char *c, int ppn)
{
    if (cr_fit_has_level(m, c, "rail", ppn)) return "rail";
    if (ppn == 1 && cr_fit_has_level(m, c, "world", ppn)) return "world";
    if (cr_fit_has_level(m, c, "internode", ppn)) return "internode";
    return NULL;
}

static int cr_fit_add_phase(cr_fit_hier_t *h, const char *c, const char *lv, int ranks,
                            int nodes, int ppn, uint64_t bytes)
{
    cr_fit_phase_t *ph = &h->ph[h->nph++];
    memset(ph, 0, sizeof *ph);
    snprintf(ph->collective, sizeof ph->collective, "%s", c);
    snprintf(ph->level, sizeof ph->level, "%s", lv);
    ph->ranks = ranks;
    ph->nodes = nodes;
    ph->ppn = ppn;
    ph->bytes = bytes ? bytes : 1;
    return 0;
}

cr_status_t cr_fit_predict_hier(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                cr_fit_hier_t *h, char *why, size_t len)
{
    const char *c = q->collective, *rail;
    int N = q->nodes, Q = q->ppn, nn = 0;
    uint64_t S = q->bytes, Sq = q->bytes / (uint64_t)(q->ppn > 0 ? q->ppn : 1);
    const cr_coll_ops_t *ops = cr_coll_find(c);
    double var = 0;
    memset(h, 0, sizeof *h);
    if (!ops || N < 1 || Q < 1) {
        snprintf(why, len, "needs a known collective, --nodes and --ppn");
        return CR_ERR_INVAL;
    }
    rail = N > 1 ? cr_fit_rail_level(m, c, Q) : NULL;
    if (N > 1 && !rail) {
        snprintf(why, len, "no %s fit across nodes (rail, internode, or world at ppn 1)", c);
        return CR_ERR_INVAL;
    }
    if (Q > 1) {
        const char *nc = !strcmp(c, "allreduce") ? "reduce_scatter" : c;
        if (!strcmp(c, "allreduce") || !strcmp(c, "reduce_scatter") || !strcmp(c, "alltoall")) {
            nn = cr_fit_node_nodes(m, nc, Q, Q);
            if (!nn) {
                snprintf(why, len, "no node-level %s fit with %d ranks", nc, Q);
                return CR_ERR_INVAL;
            }
            cr_fit_add_phase(h, nc, "node", Q, nn, Q, S);
        }
    }
    if (N > 1) {
        uint64_t Sr = !strcmp(c, "alltoall") || !strcmp(c, "bcast") ? S : Sq;
        cr_fit_add_phase(h, c, rail, N, N, Q, Sr);
    }
    if (Q > 1 && (!strcmp(c, "allreduce") || !strcmp(c, "allgather") || !strcmp(c, "bcast"))) {
        const char *nc = !strcmp(c, "allreduce") ? "allgather" : c;
        nn = cr_fit_node_nodes(m, nc, Q, Q);
        if (!nn) {
            snprintf(why, len, "no node-level %s fit with %d ranks", nc, Q);
            return CR_ERR_INVAL;
        }
        cr_fit_add_phase(h, nc, "node", Q, nn, Q, S);
    }
    if (h->nph == 0) {
        snprintf(why, len, "one rank: nothing to communicate");
        return CR_ERR_INVAL;
    }
    cr_log_quiet(1);
    for (size_t i = 0; i < h->nph; i++) {
        cr_fit_phase_t *ph = &h->ph[i];
        cr_fit_query_t pq = *q;
        cr_status_t st;
        pq.collective = ph->collective;
        pq.level = ph->level;
        pq.bytes = ph->bytes;
        pq.ranks = ph->ranks;
        pq.nodes = ph->nodes;
        pq.ppn = ph->ppn;
        if (!strcmp(ph->level, "node")) {   /* the what-ifs are of the links across nodes */
            pq.link_GBps = 0;
            pq.latency_us = 0;
        }
        st = cr_fit_predict(m, &pq, &ph->pr);
        if (st != CR_OK) {
            cr_log_quiet(0);
            snprintf(why, len, "no prediction for its %s %s phase on %d ranks at %llu bytes",
                     ph->level, ph->collective, ph->ranks, (unsigned long long)ph->bytes);
            return st;
        }
        h->t += ph->pr.t;
        var += (ph->pr.t * ph->pr.se) * (ph->pr.t * ph->pr.se);
        h->warn |= ph->pr.warning[0] != '\0';
    }
    cr_log_quiet(0);
    h->se = sqrt(var) / h->t;
    h->t_lo = h->t * exp(-CR_PROJ_Z * h->se);
    h->t_hi = h->t * exp(CR_PROJ_Z * h->se);
    h->algbw = (double)S / h->t * 1e-3;
    h->busbw = ops->bus_factor(N * Q) * h->algbw;
    return CR_OK;
}
