/* A workload step predicted from a fit: see fit_plan.h. */
#include "config.h"

#include "fit_plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cr_coll.h"
#include "fit_energy.h"
#include "fit_proj.h"

const char *const cr_fit_plan_levels[CR_FIT_PLAN_NLV + 1] = {"node", "rail", "internode",
                                                             "world", NULL};

double cr_fit_plan_exposed(double t, double f, double c)
{
    double hidden = f * t;
    if (hidden > c) hidden = c;
    return t - hidden;
}

static int cr_fit_plan_lv(const char *level)
{
    for (int i = 0; i < CR_FIT_PLAN_NLV; i++)
        if (!strcmp(level, cr_fit_plan_levels[i])) return i;
    return CR_FIT_PLAN_NLV - 1;   /* anything else counts as world */
}

static int cr_fit_plan_has(const cr_fit_model_t *m, const char *c, const char *lv)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->rows[i].collective, c) && (!lv || !strcmp(m->rows[i].level, lv)))
            return 1;
    return 0;
}

/* A fit measured on one host only: its world rows are within a node. 1 when c has
 * no node rows and every one of its world rows was measured on one node. */
static int cr_fit_plan_world_on_node(const cr_fit_model_t *m, const char *c)
{
    int world = 0;
    if (cr_fit_plan_has(m, c, "node")) return 0;
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->rows[i].collective, c) && !strcmp(m->rows[i].level, "world")) {
            if (m->rows[i].nodes != 1) return 0;
            world = 1;
        }
    return world;
}

/* The fitted topology of c at level lv with `ranks` ranks (the most nodes; ppn when
 * given must match): 1 and *nodes, *ppn, else 0. */
static int cr_fit_plan_topo(const cr_fit_model_t *m, const char *c, const char *lv, int ranks,
                            int ppn, int *nodes, int *out_ppn)
{
    int found = 0;
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        if (strcmp(r->collective, c) || strcmp(r->level, lv) || (ranks && r->ranks != ranks))
            continue;
        if (ppn && r->ppn && r->ppn != ppn) continue;
        if (!found || r->nodes > *nodes) {
            *nodes = r->nodes;
            *out_ppn = r->ppn;
        }
        found = 1;
    }
    return found;
}

/* "allreduce, bcast": the collectives the fit holds. */
static const char *cr_fit_plan_colls(const cr_fit_model_t *m, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m->n && used < len; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++) seen |= !strcmp(m->rows[j].collective, m->rows[i].collective);
        if (!seen)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                     m->rows[i].collective);
    }
    return buf;
}

static void cr_fit_plan_levels_of(const cr_fit_model_t *m, const char *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m->n && used < len; i++) {
        int seen = 0;
        if (strcmp(m->rows[i].collective, c)) continue;
        for (size_t j = 0; j < i; j++)
            seen |= !strcmp(m->rows[j].collective, c) && !strcmp(m->rows[j].level, m->rows[i].level);
        if (!seen)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
                                     m->rows[i].level);
    }
}

/* One flat prediction at level lv on p ranks (the fit's topology of that level
 * when one was measured at p; else nodes x ppn). */
static cr_status_t cr_fit_plan_flat(const cr_fit_model_t *m, const cr_fit_query_t *q0,
                                    const char *lv, int p, int nodes, int ppn,
                                    cr_fit_plan_call_t *pc)
{
    cr_fit_query_t q = *q0;
    cr_fit_prediction_t pr;
    int fn = 0, fp = 0;
    /* within one node, a one-host run's world rows are the node's */
    if (!strcmp(lv, "node") && cr_fit_plan_world_on_node(m, q.collective)) lv = "world";
    q.level = lv;
    q.ranks = p;
    q.nodes = nodes;
    q.ppn = ppn;
    if (!strcmp(lv, "node") || (nodes == 1 && !strcmp(lv, "world"))) {   /* within a node the node count does not matter */
        q.nodes = q.ppn = 0;
        q.link_GBps = q.latency_us = 0;   /* what-ifs are of the links across nodes */
        /* at p where measured, else the topology of the level's other rank counts
         * (one run's series, for the scaling model: a fit of several runs holds
         * the node level once per run) */
        if (cr_fit_plan_topo(m, q.collective, lv, p, 0, &fn, &fp) ||
            cr_fit_plan_topo(m, q.collective, lv, 0, 0, &fn, &fp)) {
            q.nodes = fn;
            q.ppn = fp;
        }
    } else if (!cr_fit_plan_topo(m, q.collective, lv, p, ppn, &fn, &fp) || fn != nodes) {
        /* not measured at this topology: at p on another one, else the scaling model
         * across the rank counts measured at the target's ppn */
        if (cr_fit_plan_topo(m, q.collective, lv, p, 0, &fn, &fp)) {
            q.nodes = fn;
            q.ppn = fp;
        }
    }
    CR_CHECK(cr_fit_predict(m, &q, &pr));
    snprintf(pc->level, sizeof pc->level, "%s", lv);
    snprintf(pc->algorithm, sizeof pc->algorithm, "%s %s p=%d (%s)", lv, q.collective, p, pr.model);
    pc->t = pr.t;
    pc->t_lo = pr.t_lo;
    pc->t_hi = pr.t_hi;
    pc->lv[cr_fit_plan_lv(lv)] = pr.t;
    /* every rank of the target takes part: world / p groups; within one node: node */
    cr_fit_energy_flat_bytes(q.collective, lv, p, nodes, q.bytes, (double)(pc->world / p),
                             pc->link_bytes);
    pc->extrapolated = pr.extrapolated;
    snprintf(pc->warning, sizeof pc->warning, "%s", pr.warning);
    return CR_OK;
}

static cr_status_t cr_fit_plan_hier(const cr_fit_model_t *m, const cr_fit_query_t *q0, int N,
                                    int Q, cr_fit_plan_call_t *pc, char *why, size_t len)
{
    cr_fit_query_t q = *q0;
    cr_fit_hier_t h;
    size_t used;
    q.nodes = N;
    q.ppn = Q;
    q.ranks = N * Q;
    q.level = NULL;
    CR_CHECK(cr_fit_predict_hier(m, &q, &h, why, len));
    snprintf(pc->level, sizeof pc->level, "hierarchical");
    used = (size_t)snprintf(pc->algorithm, sizeof pc->algorithm, "hierarchical %s %dx%d:",
                            cr_fit_hier_alg_names[h.alg], N, Q);
    for (size_t i = 0; i < h.nph; i++) {
        const cr_fit_phase_t *ph = &h.ph[i];
        if (used < sizeof pc->algorithm)
            used += (size_t)snprintf(pc->algorithm + used, sizeof pc->algorithm - used,
                                     "%s %s %s p=%d", i ? " +" : "", ph->level, ph->op, ph->ranks);
        pc->lv[cr_fit_plan_lv(ph->level)] += ph->pr.t;
        pc->extrapolated |= ph->pr.extrapolated;
        if (ph->pr.warning[0] && !pc->warning[0])
            snprintf(pc->warning, sizeof pc->warning, "%s phase: %s", ph->level, ph->pr.warning);
    }
    cr_fit_energy_hier_bytes(&h, N, Q, (double)(pc->world / (N * Q)), pc->link_bytes);
    pc->t = h.t;
    pc->t_lo = h.t_lo;
    pc->t_hi = h.t_hi;
    return CR_OK;
}

/* comm=pp on N x P with pp stages of S = N P / pp consecutive ranks: one rank per
 * stage. Its chain stays in one host when the stages do (S | P and pp S <= P: all on
 * one node); else it crosses hosts, priced at the level of one rank per host (rail,
 * or internode when the fit has sendrecv there and not at rail) on pp ranks: the
 * crossing boundaries are the slowest links of the shift, and all of them run at
 * once. */
static cr_status_t cr_fit_plan_pp(const cr_fit_model_t *m, const cr_fit_query_t *q, int N, int P,
                                  int pp, cr_fit_plan_call_t *pc, char *why, size_t len)
{
    const char *c = q->collective, *lv;
    int S = N * P / pp, hosts = S >= P ? pp : (pp * S + P - 1) / P;
    pc->ranks = pp;
    if (pp == 1) return CR_OK;
    if (N == 1 || hosts == 1) {
        if (!cr_fit_plan_has(m, c, "node") && !cr_fit_plan_world_on_node(m, c)) {
            snprintf(why, len, "the %d stages sit in one host: measure the node level, e.g. "
                     "collroof -c %s -l node", pp, c);
            return CR_ERR_INVAL;
        }
        return cr_fit_plan_flat(m, q, "node", pp, 1, pp, pc);
    }
    lv = cr_fit_plan_has(m, c, "rail") ? "rail" : cr_fit_plan_has(m, c, "internode") ? "internode"
                                                                                     : NULL;
    if (!lv) {
        snprintf(why, len, "the stage boundaries cross hosts: measure one rank per host, "
                 "e.g. collroof -c %s -l rail,internode on 2 or more hosts", c);
        return CR_ERR_INVAL;
    }
    return cr_fit_plan_flat(m, q, lv, pp, hosts, S >= P ? P : P / S, pc);
}

/* The communicator of call c on nodes N x ppn P with layout tp T and pp stages
 * (Megatron order: tp, dp, pp outermost; dp stays inside a stage), priced. */
static cr_status_t cr_fit_plan_comm(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                    cr_wl_comm_t comm, int N, int P, int T, int pp,
                                    cr_fit_plan_call_t *pc, char *why, size_t len)
{
    const char *c = q->collective;
    int hier_ok = strcmp(c, "alltoallv") != 0;   /* the families of cr_fit_predict_hier */
    int fn = 0, fp = 0, Q;
    switch (comm) {
    case CR_WL_NODE:
        pc->ranks = P;
        return P > 1 ? cr_fit_plan_flat(m, q, "node", P, 1, P, pc) : CR_OK;
    case CR_WL_TP:
        pc->ranks = T;
        return T > 1 ? cr_fit_plan_flat(m, q, "node", T, 1, T, pc) : CR_OK;
    case CR_WL_RAIL:
        pc->ranks = N;
        if (N == 1) return CR_OK;
        if (!cr_fit_plan_has(m, c, "rail") && P == 1)
            return cr_fit_plan_flat(m, q, "world", N, N, 1, pc);
        return cr_fit_plan_flat(m, q, "rail", N, N, P, pc);
    case CR_WL_PP:
        return cr_fit_plan_pp(m, q, N, P, pp, pc, why, len);
    case CR_WL_DP:
        if (pp > 1) {   /* one stage: N P / pp ranks, whole hosts or part of one */
            int S = N * P / pp;
            if (S >= P) return cr_fit_plan_comm(m, q, CR_WL_DP, S / P, P, T, 1, pc, why, len);
            return cr_fit_plan_comm(m, q, CR_WL_DP, 1, S, T, 1, pc, why, len);
        }
        if (T > 1) {
            Q = P / T;   /* dp ranks per node */
            pc->ranks = N * Q;
            if (N == 1) return Q > 1 ? cr_fit_plan_flat(m, q, "node", Q, 1, Q, pc) : CR_OK;
            if (Q == 1)   /* one per node, tp groups side by side: the rail level's shape */
                return cr_fit_plan_comm(m, q, CR_WL_RAIL, N, P, 1, 1, pc, why, len);
            if (!hier_ok) return cr_fit_plan_flat(m, q, "world", N * Q, N, Q, pc);
            return cr_fit_plan_hier(m, q, N, Q, pc, why, len);
        }
        return cr_fit_plan_comm(m, q, CR_WL_WORLD, N, P, 1, 1, pc, why, len);   /* dp = world */
    case CR_WL_WORLD:
    default:
        pc->ranks = N * P;
        if (N == 1) return P > 1 ? cr_fit_plan_flat(m, q, "node", P, 1, P, pc) : CR_OK;
        /* measured at this very topology: the measurement, not a projection */
        if (cr_fit_plan_topo(m, c, "world", N * P, P, &fn, &fp) && fn == N)
            return cr_fit_plan_flat(m, q, "world", N * P, N, P, pc);
        if (hier_ok) return cr_fit_plan_hier(m, q, N, P, pc, why, len);
        return cr_fit_plan_flat(m, q, "world", N * P, N, P, pc);
    }
}

/* The overlap of the overlap cadence for collective c nearest to S in log size
 * (the call's level preferred), from DIR/overlap.csv; 1 when found. */
static int cr_fit_plan_overlap_row(const char *dir, const char *c, const char *level,
                                   uint64_t S, double *f, char *src, size_t len)
{
    char path[1200], line[1024];
    FILE *fp;
    double best = INFINITY;
    int found = 0;
    snprintf(path, sizeof path, "%s/overlap.csv", dir);
    if (!(fp = fopen(path, "r"))) return 0;
    if (!fgets(line, sizeof line, fp)) {   /* header: collective,level,cadence,ranks,bytes,overlap */
        fclose(fp);
        return 0;
    }
    while (fgets(line, sizeof line, fp)) {
        char coll[CR_NAME_LEN], lv[CR_NAME_LEN], cad[CR_NAME_LEN];
        int ranks;
        unsigned long long bytes;
        double ov, d;
        if (sscanf(line, "%63[^,],%63[^,],%63[^,],%d,%llu,%lf", coll, lv, cad, &ranks, &bytes,
                   &ov) != 6)
            continue;
        if (strcmp(coll, c) || strcmp(cad, "overlap") || !isfinite(ov) || !bytes) continue;
        d = fabs(log((double)bytes / (double)S)) + (strcmp(lv, level) ? 100 : 0);
        if (d < best) {
            best = d;
            *f = ov < 0 ? 0 : ov > 1 ? 1 : ov;
            snprintf(src, len, "overlap.csv %s %s p=%d S=%llu", c, lv, ranks, bytes);
            found = 1;
        }
    }
    fclose(fp);
    return found;
}

/* Compute, overlap, exposed time and the binding ceiling of one priced call. */
static void cr_fit_plan_roof(const cr_fit_plan_opts_t *o, const cr_wl_call_t *c,
                             cr_fit_plan_call_t *pc)
{
    int top = 0;
    pc->t_math = o->peak_flops > 0 && c->flops > 0 ? c->flops / o->peak_flops * 1e6 : NAN;
    pc->t_mem = o->mem_Bps > 0 && c->mem_bytes ? (double)c->mem_bytes / o->mem_Bps * 1e6 : NAN;
    pc->compute_from_flops = !isnan(pc->t_math) || !isnan(pc->t_mem);
    pc->compute = c->gap_us;
    if (pc->compute_from_flops)
        pc->compute = fmax(isnan(pc->t_math) ? 0 : pc->t_math, isnan(pc->t_mem) ? 0 : pc->t_mem);
    pc->intensity = pc->critical = NAN;
    if (c->flops > 0 && o->peak_flops > 0 && pc->t > 0) {
        cr_fit_intensity_t it;
        cr_fit_intensity_eval(c->flops, (double)c->bytes, o->peak_flops,
                              (double)c->bytes / (pc->t * 1e-6), &it);
        pc->intensity = it.intensity;
        pc->critical = it.critical;
    }
    pc->exposed = cr_fit_plan_exposed(pc->t, pc->overlap, pc->compute);
    pc->exposed_lo = cr_fit_plan_exposed(pc->t_lo, pc->overlap, pc->compute);
    pc->exposed_hi = cr_fit_plan_exposed(pc->t_hi, pc->overlap, pc->compute);
    for (int i = 1; i < CR_FIT_PLAN_NLV; i++)
        if (pc->lv[i] > pc->lv[top]) top = i;
    if (!isnan(pc->t_mem) && pc->t_mem >= pc->t && (isnan(pc->t_math) || pc->t_mem > pc->t_math))
        snprintf(pc->binds, sizeof pc->binds, "memory");
    else if (pc->compute >= pc->t && pc->compute > 0)
        snprintf(pc->binds, sizeof pc->binds, "compute");
    else
        snprintf(pc->binds, sizeof pc->binds, "comm:%s",
                 pc->t > 0 ? cr_fit_plan_levels[top] : "none");
}

cr_status_t cr_fit_plan_run(const cr_fit_model_t *m, const cr_workload_t *wl,
                            const cr_fit_plan_opts_t *o, cr_fit_plan_t *out, char *err,
                            size_t errlen)
{
    int N = o->nodes, P = o->ppn, T = wl->tp, pp = wl->pp, S;
    double var = 0;
    memset(out, 0, sizeof *out);
    out->t_measured = out->t_measured_lo = out->t_measured_hi = NAN;
    out->nodes = N;
    out->ppn = P;
    out->tp = T;
    out->pp = pp;
    if (P % T) {
        snprintf(err, errlen, "%s:%d: layout tp=%d does not divide --ppn %d: tensor-parallel "
                 "groups stay inside a node", wl->path, wl->layout_line, T, P);
        return CR_ERR_INVAL;
    }
    if ((N * P) % pp) {
        snprintf(err, errlen, "%s:%d: layout pp=%d does not divide the %d ranks of --nodes %d "
                 "x --ppn %d: every pipeline stage holds world / pp ranks", wl->path,
                 wl->layout_line, pp, N * P, N, P);
        return CR_ERR_INVAL;
    }
    S = N * P / pp;
    if (S % T || (S % P && P % S)) {
        snprintf(err, errlen, "%s:%d: layout tp=%d pp=%d on --nodes %d x --ppn %d: a stage's %d "
                 "ranks must be whole tp groups and whole hosts or an equal share of one",
                 wl->path, wl->layout_line, T, pp, N, P, S);
        return CR_ERR_INVAL;
    }
    for (int i = 0; i < wl->ncalls; i++) {
        const cr_wl_call_t *c = &wl->calls[i];
        cr_fit_plan_call_t *pc = &out->calls[i];
        cr_fit_query_t q = o->base;
        char why[256] = "", have[512];
        cr_status_t st;
        memset(pc, 0, sizeof *pc);
        pc->t_row_measured = NAN;
        pc->call = c;
        pc->world = N * P;
        pc->bytes_basis = "modelled";
        pc->wire_bytes = NAN;
        pc->host_J = NAN;
        q.collective = c->ops->name;
        q.bytes = c->bytes;
        q.skew = c->ops->skewed && strcmp(c->skew.spec, "uniform") ? c->skew.spec : NULL;
        if (!cr_fit_plan_has(m, q.collective, NULL)) {
            snprintf(err, errlen, "%s:%d: call %s %s: the fit has no %s rows (it holds %s): "
                     "measure it, e.g. collroof -c %s%s", wl->path, c->line, q.collective,
                     cr_wl_comm_names[c->comm], q.collective,
                     cr_fit_plan_colls(m, have, sizeof have), q.collective,
                     c->comm == CR_WL_PP ? " -l node,rail (stage boundaries inside a host and "
                                           "across hosts)" : "");
            return CR_ERR_INVAL;
        }
        snprintf(pc->level, sizeof pc->level, "none");
        snprintf(pc->algorithm, sizeof pc->algorithm, "one rank: nothing to communicate");
        st = cr_fit_plan_comm(m, &q, c->comm, N, P, T, pp, pc, why, sizeof why);
        if (st != CR_OK) {
            cr_fit_plan_levels_of(m, q.collective, have, sizeof have);
            snprintf(err, errlen, "%s:%d: call %s comm=%s on %d ranks (%d nodes x %d ppn): no "
                     "prediction%s%s; the fit has %s at levels %s", wl->path, c->line,
                     q.collective, cr_wl_comm_names[c->comm], pc->ranks, N, P,
                     why[0] ? ": " : "", why, q.collective, have);
            return CR_ERR_INVAL;
        }
        pc->overlap = o->overlap;
        snprintf(pc->overlap_src, sizeof pc->overlap_src, "%s",
                 o->overlap > 0 ? "--overlap" : "none");
        if (o->overlap_from_fit && pc->t > 0) {
            const char *lv = strcmp(pc->level, "hierarchical") ? pc->level : "world";
            pc->overlap = 0;
            if (!cr_fit_plan_overlap_row(o->fit_dir, q.collective, lv, c->bytes, &pc->overlap,
                                         pc->overlap_src, sizeof pc->overlap_src))
                snprintf(pc->overlap_src, sizeof pc->overlap_src,
                         "none: no overlap rows for %s in overlap.csv", q.collective);
        }
        cr_fit_plan_roof(o, c, pc);
        out->compute += c->count * pc->compute;
        out->comm += c->count * pc->t;
        out->exposed += c->count * pc->exposed;
        out->extrapolated |= pc->extrapolated;
        for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
            if (pc->t > 0) out->lv[l] += c->count * pc->exposed * pc->lv[l] / pc->t;
        /* Repetitions of one line share its fit's error (count x SD); lines are
         * independent (variances add), in log space where the interval is. */
        if (pc->exposed_lo > 0) {
            double s = log(pc->exposed_hi / pc->exposed_lo) / (2 * CR_PROJ_Z);
            var += pow(c->count * pc->exposed * s, 2);
        } else {
            var += pow(c->count * (pc->exposed_hi - pc->exposed_lo) / (2 * CR_PROJ_Z), 2);
        }
    }
    out->ncalls = wl->ncalls;
    out->host_J = NAN;
    out->exposed_lo = out->exposed_hi = out->exposed;
    if (out->exposed > 0) {
        double se = sqrt(var) / out->exposed;
        out->exposed_lo = out->exposed * exp(-CR_PROJ_Z * se);
        out->exposed_hi = out->exposed * exp(CR_PROJ_Z * se);
    }
    out->t = out->compute + out->exposed;
    out->t_lo = out->compute + out->exposed_lo;
    out->t_hi = out->compute + out->exposed_hi;
    return CR_OK;
}

cr_status_t cr_fit_plan_measured(const cr_fit_model_t *m, const cr_workload_t *wl,
                                 const cr_fit_plan_opts_t *o, cr_fit_plan_t *p, char *err,
                                 size_t errlen)
{
    cr_fit_plan_opts_t om = *o;
    cr_fit_plan_t *twin;
    if (!cr_fit_query_has_whatif(&o->base)) return CR_OK;
    cr_fit_query_measured(&o->base, &om.base);
    if (!(twin = malloc(sizeof *twin))) {
        snprintf(err, errlen, "out of memory for the measured fabric's plan");
        return CR_ERR_NOMEM;
    }
    cr_status_t st = cr_fit_plan_run(m, wl, &om, twin, err, errlen);
    if (st == CR_OK) {
        cr_fit_query_whatif_str(&o->base, p->whatif, sizeof p->whatif);
        p->t_measured = twin->t;
        p->t_measured_lo = twin->t_lo;
        p->t_measured_hi = twin->t_hi;
        for (int i = 0; i < p->ncalls && i < twin->ncalls; i++) {
            const cr_fit_plan_call_t *c = &twin->calls[i];
            p->calls[i].t_row_measured = c->call->count * (c->compute + c->exposed);
        }
    }
    free(twin);
    return st;
}
