/* The hierarchical projection: see cr_fit_predict_hier() in fit_predict.h. */
#include "config.h"

#include "fit_predict.h"
#include "cr_coll.h"
#include "cr_level_names.h"

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

const char *const cr_fit_hier_alg_names[] = { "rail", "leader", NULL };

/* A phase running op, priced by the fit of collective c at level lv. */
static int cr_fit_add_phase(cr_fit_hier_t *h, const char *op, const char *c, const char *lv,
                            int ranks, int nodes, int ppn, uint64_t bytes)
{
    cr_fit_phase_t *ph = &h->ph[h->nph++];
    memset(ph, 0, sizeof *ph);
    snprintf(ph->op, sizeof ph->op, "%s", op);
    snprintf(ph->collective, sizeof ph->collective, "%s", c);
    snprintf(ph->level, sizeof ph->level, "%s", lv);
    ph->ranks = ranks;
    ph->nodes = nodes;
    ph->ppn = ppn;
    ph->bytes = bytes ? bytes : 1;
    return 0;
}

/* CR_FIT_HIER_RAIL's phases (fit_predict.h). */
static cr_status_t cr_fit_hier_rail(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                    cr_fit_hier_t *h, char *why, size_t len)
{
    const char *c = q->collective, *rail;
    int N = q->nodes, Q = q->ppn, nn = 0;
    uint64_t S = q->bytes, Sq = q->bytes / (uint64_t)Q;
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
            cr_fit_add_phase(h, nc, nc, "node", Q, nn, Q, S);
        }
    }
    if (N > 1) {
        uint64_t Sr = !strcmp(c, "alltoall") || !strcmp(c, "bcast") ? S : Sq;
        cr_fit_add_phase(h, c, c, rail, N, N, Q, Sr);
    }
    if (Q > 1 && (!strcmp(c, "allreduce") || !strcmp(c, "allgather") || !strcmp(c, "bcast"))) {
        const char *nc = !strcmp(c, "allreduce") ? "allgather" : c;
        nn = cr_fit_node_nodes(m, nc, Q, Q);
        if (!nn) {
            snprintf(why, len, "no node-level %s fit with %d ranks", nc, Q);
            return CR_ERR_INVAL;
        }
        cr_fit_add_phase(h, nc, nc, "node", Q, nn, Q, S);
    }
    return CR_OK;
}

/* A node phase of CR_FIT_HIER_LEADER: op priced by the node fit of op at bytes, else
 * by that of the stand-in c (the phase then names both). */
static cr_status_t cr_fit_hier_node(const cr_fit_model_t *m, cr_fit_hier_t *h, const char *op,
                                    const char *c, int Q, uint64_t bytes, char *why, size_t len)
{
    int nn = cr_fit_node_nodes(m, op, Q, Q);
    if (nn) {
        cr_fit_add_phase(h, op, op, "node", Q, nn, Q, bytes);
        return CR_OK;
    }
    nn = cr_fit_node_nodes(m, c, Q, Q);
    if (!nn) {
        snprintf(why, len, "no node-level %s fit with %d ranks, nor %s to price it as (the "
                 "leader algorithm's node %s: measure -c %s -l node)", op, Q, c, op,
                 strcmp(op, c) ? op : c);
        return CR_ERR_INVAL;
    }
    cr_fit_add_phase(h, op, c, "node", Q, nn, Q, bytes);
    return CR_OK;
}

/* CR_FIT_HIER_LEADER's phases (fit_predict.h). */
static cr_status_t cr_fit_hier_leader(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                      cr_fit_hier_t *h, char *why, size_t len)
{
    const char *c = q->collective, *up = NULL;
    int N = q->nodes, Q = q->ppn;
    uint64_t S = q->bytes;
    int ar = !strcmp(c, "allreduce"), ag = !strcmp(c, "allgather"), bc = !strcmp(c, "bcast");
    if (!ar && !ag && !bc) {
        snprintf(why, len, "no leader algorithm for %s (Open MPI 4.1 coll/han has none; "
                 "try --hier rail)", c);
        return CR_ERR_INVAL;
    }
    if (N > 1) {
        if (cr_fit_has_level(m, c, "internode", Q)) up = "internode";
        else if (Q == 1 && cr_fit_has_level(m, c, "world", Q)) up = "world";
        if (!up) {
            snprintf(why, len, "no internode %s fit at ppn %d (the node leaders' phase: "
                     "measure -l internode)", c, Q);
            return CR_ERR_INVAL;
        }
    }
    if (Q > 1 && ar) CR_CHECK(cr_fit_hier_node(m, h, "reduce", "bcast", Q, S, why, len));
    if (Q > 1 && ag) {
        uint64_t Sg = S / (uint64_t)N;
        CR_CHECK(cr_fit_hier_node(m, h, "gather", "allgather", Q, Sg ? Sg : 1, why, len));
    }
    if (N > 1) cr_fit_add_phase(h, c, c, up, N, N, Q, S);
    if (Q > 1) CR_CHECK(cr_fit_hier_node(m, h, "bcast", "bcast", Q, S, why, len));
    return CR_OK;
}

/* The across-nodes phase plays the rail level's part (CR_FIT_HIER_RAIL) or the
 * internode level's (CR_FIT_HIER_LEADER); priced by another level's fit (internode or
 * world standing in for rail, world for internode at ppn 1), the what-ifs asked for
 * the part it plays are those of the fit it reads, unless that level has its own. */
static void cr_fit_hier_role_whatif(cr_fit_query_t *pq, cr_fit_hier_alg_t alg, const char *lv)
{
    cr_level_t role = alg == CR_FIT_HIER_LEADER ? CR_LEVEL_INTERNODE : CR_LEVEL_RAIL, fl;
    if (cr_level_parse(lv, &fl) != 0 || fl == role) return;
    if (!(pq->level_GBps[fl] > 0)) pq->level_GBps[fl] = pq->level_GBps[role];
    if (!(pq->level_latency_us[fl] > 0)) pq->level_latency_us[fl] = pq->level_latency_us[role];
}

cr_status_t cr_fit_predict_hier(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                cr_fit_hier_t *h, char *why, size_t len)
{
    const cr_coll_ops_t *ops = cr_coll_find(q->collective);
    int N = q->nodes, Q = q->ppn;
    uint64_t S = q->bytes;
    double var = 0;
    cr_status_t st;
    memset(h, 0, sizeof *h);
    if (!ops || N < 1 || Q < 1) {
        snprintf(why, len, "needs a known collective, --nodes and --ppn");
        return CR_ERR_INVAL;
    }
    if (ops->root_result) {
        snprintf(why, len, "no hierarchical model for %s (a rooted collective; the flat "
                 "answer stands)", q->collective);
        return CR_ERR_INVAL;
    }
    h->alg = q->hier_alg == CR_FIT_HIER_LEADER ? CR_FIT_HIER_LEADER : CR_FIT_HIER_RAIL;
    st = h->alg == CR_FIT_HIER_LEADER ? cr_fit_hier_leader(m, q, h, why, len)
                                      : cr_fit_hier_rail(m, q, h, why, len);
    if (st != CR_OK) return st;
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
        if (!strcmp(ph->level, "node")) {   /* the global what-ifs are of the links across nodes */
            pq.link_GBps = 0;
            pq.latency_us = 0;
        } else {
            cr_fit_hier_role_whatif(&pq, h->alg, ph->level);
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
