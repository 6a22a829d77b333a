/* predict --energy: the link energy of one answer, flat and hierarchical, through
 * the plan's energy code (fit_energy.h): bytes per level, measured where the run has
 * a row for the query, priced with the classes of --link. */
#include "config.h"

#include "fit_cmd.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cr_error.h"

static void cr_fit_penergy_print(const char *what, const cr_fit_penergy_t *e,
                                 const cr_fit_link_assign_t *la, uint64_t S)
{
    printf("link energy per call, %s (bytes %s%s%s):\n", what,
           !strcmp(e->basis, "measured") ? "measured across nodes: wire_tx_bytes_per_call of "
                                         : "modelled from the algorithms, not measured",
           !strcmp(e->basis, "measured") ? e->source : "", "");
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        if (e->bytes[l] <= 0) continue;
        if (la->none[l])
            printf("  %-9s %-22s %12.6g bytes  not priced (--link %s=none)\n",
                   cr_fit_plan_levels[l], "none", e->bytes[l], cr_fit_plan_levels[l]);
        else
            printf("  %-9s %-19s x%-2d %12.6g bytes  [%.4g, %.4g] J  (%.4g-%.4g pJ/bit)\n",
                   cr_fit_plan_levels[l], la->cls[l]->id, la->hops[l], e->bytes[l], e->lo[l],
                   e->hi[l], la->cls[l]->pJ_lo, la->cls[l]->pJ_hi);
    }
    printf("  link energy per call [%.4g, %.4g] J; [%.4g, %.4g] pJ per byte of S\n", e->e_lo,
           e->e_hi, S ? e->e_lo / (double)S * 1e12 : 0, S ? e->e_hi / (double)S * 1e12 : 0);
}

/* Prices e->bytes; 2 (reported) on a level left unpriced. */
static int cr_fit_penergy_price(const char *what, const cr_fit_link_assign_t *la,
                                cr_fit_penergy_t *e)
{
    int bad = cr_fit_energy_price(la, e->bytes, e->lo, e->hi, &e->e_lo, &e->e_hi);
    size_t used = 0;
    if (bad >= 0) {
        cr_error("the %s answer moves %.6g bytes per call across the %s level, which --link "
                 "does not price: give --link %s=CLASS (or %s=none to leave it out)", what,
                 e->bytes[bad], cr_fit_plan_levels[bad], cr_fit_plan_levels[bad],
                 cr_fit_plan_levels[bad]);
        return 2;
    }
    e->classes[0] = '\0';
    for (int l = 0; l < CR_FIT_PLAN_NLV && used < sizeof e->classes; l++)
        if (la->cls[l] || la->none[l])
            used += (size_t)snprintf(e->classes + used, sizeof e->classes - used, "%s%s=%s x%d",
                                     used ? "; " : "", cr_fit_plan_levels[l],
                                     la->none[l] ? "none" : la->cls[l]->id,
                                     la->none[l] ? 0 : la->hops[l]);
    return 0;
}

/* Replaces the levels across nodes by the run's wire bytes where it has the row. */
static int cr_fit_penergy_wire(const char *wire, const char *coll, const char *level, int ranks,
                               int nodes, int ppn, uint64_t S, cr_fit_penergy_t *e)
{
    char err[1024];
    double tx, m[CR_FIT_PLAN_NLV];
    int got;
    e->basis = "modelled";
    snprintf(e->source, sizeof e->source, "modelled");
    if (!wire || nodes < 2 || !strcmp(level, "node")) return 0;
    got = cr_fit_energy_wire_find(wire, coll, level, ranks, nodes, ppn, S, &tx, e->source,
                                  sizeof e->source, err, sizeof err);
    if (got < 0) {
        cr_error("%s", err);
        return 1;
    }
    if (!got) {
        snprintf(e->source, sizeof e->source, "modelled");
        return 0;
    }
    memcpy(m, e->bytes, sizeof m);
    cr_fit_energy_apply_wire(tx, m, e->bytes);
    e->basis = "measured";
    return 0;
}

int cr_fit_predict_energy(const cr_fit_pargs_t *a, const cr_fit_answer_t *ans,
                          cr_fit_penergy_t e[2])
{
    static cr_links_t links;
    cr_fit_link_assign_t la;
    const cr_fit_query_t *q = &a->q;
    const cr_fit_prediction_t *p = &ans->p;
    char err[1024], wbuf[4200], what[160];
    const char *wire = cr_fit_energy_wire_path(a->fit, a->energy_run, wbuf, sizeof wbuf);
    int nodes = q->nodes ? q->nodes : p->nodes, ppn = q->nodes ? q->ppn : p->ppn, rc;
    cr_status_t st;
    memset(&la, 0, sizeof la);
    memset(e, 0, 2 * sizeof *e);
    if ((st = cr_links_load(a->links, &links, err, sizeof err)) == CR_OK)
        st = cr_fit_link_parse(a->link, &links, &la, err, sizeof err);
    if (st != CR_OK) {
        cr_error("%s", err);
        return st == CR_ERR_INVAL ? 2 : 1;
    }
    /* flat: one instance of the collective on p ranks at its level */
    cr_fit_energy_flat_bytes(q->collective, p->level, q->ranks, nodes ? nodes : 1, q->bytes, 1,
                             e[0].bytes);
    if ((rc = cr_fit_penergy_wire(wire, q->collective, p->level, q->ranks, nodes, ppn, q->bytes,
                                  &e[0])) != 0)
        return rc;
    snprintf(what, sizeof what, "flat (%s %s p=%d)", p->level, q->collective, q->ranks);
    if ((rc = cr_fit_penergy_price(what, &la, &e[0])) != 0) return rc;
    cr_fit_penergy_print(what, &e[0], &la, q->bytes);
    if (ans->hier_ok) {
        cr_fit_energy_hier_bytes(&ans->h, q->nodes, q->ppn, 1, e[1].bytes);
        if ((rc = cr_fit_penergy_wire(wire, q->collective, "world", q->nodes * q->ppn, q->nodes,
                                      q->ppn, q->bytes, &e[1])) != 0)
            return rc;
        snprintf(what, sizeof what, "hierarchical (%d nodes x %d ppn)", q->nodes, q->ppn);
        if ((rc = cr_fit_penergy_price(what, &la, &e[1])) != 0) return rc;
        cr_fit_penergy_print(what, &e[1], &la, q->bytes);
    }
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        const cr_link_class_t *c = la.cls[l];
        int dup = 0;
        if (!c || (e[0].bytes[l] <= 0 && e[1].bytes[l] <= 0)) continue;
        for (int k = 0; k < l; k++)
            dup |= la.cls[k] == c && (e[0].bytes[k] > 0 || e[1].bytes[k] > 0);
        if (dup) continue;
        printf("  %s: %s; includes %s; source (%s%s): %s\n", c->id, c->description, c->includes,
               c->source_kind, c->user ? ", from your --links file" : "", c->source);
    }
    fflush(stdout);
    return 0;
}
