/* Where the electrical/optical boundary should sit: see fit_boundary.h. */
#include "config.h"

#include "fit_boundary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The what-if slot (cr_level_t) of each plan level. */
static const cr_level_t cr_fit_bnd_lv[CR_FIT_PLAN_NLV] = {CR_LEVEL_NODE, CR_LEVEL_RAIL,
                                                           CR_LEVEL_INTERNODE, CR_LEVEL_WORLD};

double cr_fit_bnd_ceiling(const cr_link_class_t *c, double ports)
{
    return c->port_Gbps / 8 * (ports > 0 ? ports : 1);
}

const char *cr_fit_bnd_name(const cr_fit_bnd_t *b, const cr_fit_bnd_row_t *r, char *buf,
                            size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int l = 0; l < CR_FIT_PLAN_NLV && used < len; l++)
        if (b->crossed[l])
            used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "",
                                     cr_fit_plan_levels[l], r->cls[l]->id);
    return buf;
}

/* The candidates of level l: classes whose reach covers o->reach_m[l]. */
static cr_status_t cr_fit_bnd_cands(const cr_fit_bnd_opts_t *o, const cr_links_t *links, int l,
                                    cr_fit_bnd_t *b, char *err, size_t errlen)
{
    const char *lv = cr_fit_plan_levels[l];
    double need = o->reach_m[l], longest = 0;
    const char *far = "none";
    size_t used = 0;
    if (isnan(need)) {
        snprintf(err, errlen, "the step moves %.6g bytes across the %s level: give its "
                 "distance, --reach %s=METRES", b->bytes[l], lv, lv);
        return CR_ERR_INVAL;
    }
    for (int i = 0; i < links->n; i++) {
        const cr_link_class_t *c = &links->cls[i];
        const char *why = NULL;
        char r[64];
        if (isnan(c->reach_m)) why = "no reach in the catalog";
        else if (c->reach_m < need) {
            snprintf(r, sizeof r, "reach %g m < %g m", c->reach_m, need);
            why = r;
        }
        if (!isnan(c->reach_m) && c->reach_m > longest) {
            longest = c->reach_m;
            far = c->id;
        }
        if (!why) {
            b->cand[l][b->ncand[l]++] = c;
        } else if (used < sizeof b->skipped[l]) {
            used += (size_t)snprintf(b->skipped[l] + used, sizeof b->skipped[l] - used, "%s%s (%s)",
                                     used ? ", " : "", c->id, why);
        }
    }
    if (!b->ncand[l]) {
        snprintf(err, errlen, "no link class reaches the %s level's %g m: the longest reach "
                 "in the catalog is %s's %g m (classes without a reach are not considered; "
                 "--links FILE adds classes)", lv, need, far, longest);
        return CR_ERR_INVAL;
    }
    return CR_OK;
}

/* Marks the Pareto front in (t, e_hi), the best row within the limit, and the spreads. */
static void cr_fit_bnd_judge(const cr_fit_bnd_opts_t *o, cr_fit_bnd_t *b, const int *stride)
{
    b->best = -1;
    for (int i = 0; i < b->n; i++) {
        cr_fit_bnd_row_t *r = &b->rows[i];
        r->pareto = 1;
        for (int j = 0; j < b->n && r->pareto; j++) {
            const cr_fit_bnd_row_t *s = &b->rows[j];
            if (s->t <= r->t && s->e_hi <= r->e_hi && (s->t < r->t || s->e_hi < r->e_hi))
                r->pareto = 0;
        }
        r->meets = o->max_step_us > 0 ? r->t <= o->max_step_us : -1;
        if (r->meets && (b->best < 0 || r->e_hi < b->rows[b->best].e_hi ||
                         (r->e_hi == b->rows[b->best].e_hi && r->t < b->rows[b->best].t)))
            b->best = i;
    }
    b->most = -1;
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        b->spread_e[l] = b->spread_t[l] = 0;
        if (!b->crossed[l] || b->ncand[l] < 2) continue;
        for (int i = 0; i < b->n; i++) {
            double elo = INFINITY, ehi = -INFINITY, tlo = INFINITY, thi = -INFINITY;
            if (b->rows[i].pick[l]) continue;   /* one group per choice of the others */
            for (int k = 0; k < b->ncand[l]; k++) {
                const cr_fit_bnd_row_t *s = &b->rows[i + k * stride[l]];
                elo = fmin(elo, s->e_hi);
                ehi = fmax(ehi, s->e_hi);
                tlo = fmin(tlo, s->t);
                thi = fmax(thi, s->t);
            }
            b->spread_e[l] = fmax(b->spread_e[l], ehi - elo);
            b->spread_t[l] = fmax(b->spread_t[l], thi - tlo);
        }
        if (b->most < 0 || b->spread_e[l] > b->spread_e[b->most] ||
            (b->spread_e[l] == b->spread_e[b->most] && b->spread_t[l] > b->spread_t[b->most]))
            b->most = l;
    }
}

cr_status_t cr_fit_bnd_run(const cr_fit_model_t *m, const cr_workload_t *wl,
                           const cr_fit_bnd_opts_t *o, const cr_links_t *links, cr_fit_bnd_t *out,
                           char *err, size_t errlen)
{
    cr_fit_plan_opts_t po = o->plan;
    cr_fit_link_assign_t la;
    cr_fit_plan_t *p = malloc(sizeof *p);
    cr_fit_bnd_t b;
    int stride[CR_FIT_PLAN_NLV], n = 1;
    cr_status_t st;
    memset(&b, 0, sizeof b);
    if (!p) {
        snprintf(err, errlen, "out of memory for a plan");
        return CR_ERR_NOMEM;
    }
    /* the measured fabric: which levels the step crosses, and how many bytes */
    cr_fit_query_measured(&o->plan.base, &po.base);
    memset(&la, 0, sizeof la);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) la.none[l] = 1;
    if ((st = cr_fit_plan_run(m, wl, &po, p, err, errlen)) != CR_OK)
        goto out_with_plan;
    if (o->wire) cr_fit_energy_wire_apply(o->wire, p);
    if ((st = cr_fit_energy_plan(&la, p, err, errlen)) != CR_OK) goto out_with_plan;
    b.nodes = o->plan.nodes;
    b.ppn = o->plan.ppn;
    b.measured_t = p->t;
    b.basis = "measured";
    b.ncalls = p->ncalls;
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
        if (p->link_bytes[l] > 0) b.lv_basis[l] = l ? "measured" : "modelled";
    for (int i = 0; i < p->ncalls; i++) {
        const cr_fit_plan_call_t *c = &p->calls[i];
        int measured = !strcmp(c->bytes_basis, "measured");
        if (!measured) b.basis = "modelled";
        for (int l = 1; l < CR_FIT_PLAN_NLV; l++)
            if (c->link_bytes[l] > 0 && !measured) b.lv_basis[l] = "modelled";
        if (measured) {
            cr_fit_bnd_meas_t *e = &b.meas[b.nmeas++];
            e->line = c->call->line;
            e->collective = c->call->ops->name;
            e->wire_bytes = c->wire_bytes;
            snprintf(e->src, sizeof e->src, "%s", c->bytes_src);
        }
    }
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        b.bytes[l] = p->link_bytes[l];
        b.crossed[l] = b.bytes[l] > 0;
        stride[l] = n;
        if (!b.crossed[l]) continue;
        if ((st = cr_fit_bnd_cands(o, links, l, &b, err, errlen)) != CR_OK) goto out_with_plan;
        if ((double)n * b.ncand[l] > CR_FIT_BND_MAXA) {
            snprintf(err, errlen, "more than %d assignments: name fewer classes with --classes",
                     CR_FIT_BND_MAXA);
            st = CR_ERR_INVAL;
            goto out_with_plan;
        }
        n *= b.ncand[l];
    }
    if (!(b.rows = calloc((size_t)n, sizeof *b.rows))) {
        snprintf(err, errlen, "out of memory for %d assignments", n);
        st = CR_ERR_NOMEM;
        goto out_with_plan;
    }
    b.n = n;
    for (int i = 0; i < n; i++) {
        cr_fit_bnd_row_t *r = &b.rows[i];
        po.base = o->plan.base;
        memset(&la, 0, sizeof la);
        for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
            r->pick[l] = -1;
            la.none[l] = !b.crossed[l];
            if (!b.crossed[l]) continue;
            r->pick[l] = i / stride[l] % b.ncand[l];
            r->cls[l] = la.cls[l] = b.cand[l][r->pick[l]];
            la.hops[l] = o->hops[l] > 0 ? o->hops[l] : 1;
            r->ceil_GBps[l] = cr_fit_bnd_ceiling(r->cls[l], o->ports[l]);
            po.base.level_GBps[cr_fit_bnd_lv[l]] = r->ceil_GBps[l];
        }
        if ((st = cr_fit_plan_run(m, wl, &po, p, err, errlen)) != CR_OK)
            goto out_with_rows;
        if (o->wire) cr_fit_energy_wire_apply(o->wire, p);   /* bytes as on the measured fabric */
        if ((st = cr_fit_energy_plan(&la, p, err, errlen)) != CR_OK) goto out_with_rows;
        r->comm = p->comm;
        r->exposed = p->exposed;
        r->t = p->t;
        r->t_lo = p->t_lo;
        r->t_hi = p->t_hi;
        r->e_lo = p->e_lo;
        r->e_hi = p->e_hi;
        memcpy(r->e_lv_lo, p->e_lv_lo, sizeof r->e_lv_lo);
        memcpy(r->e_lv_hi, p->e_lv_hi, sizeof r->e_lv_hi);
    }
    cr_fit_bnd_judge(o, &b, stride);
    free(p);
    *out = b;
    return CR_OK;
out_with_rows:
    free(b.rows);
out_with_plan:
    free(p);
    return st;
}

void cr_fit_bnd_free(cr_fit_bnd_t *b)
{
    free(b->rows);
    b->rows = NULL;
    b->n = 0;
}
