#include "config.h"

#include "fit_predict.h"
#include "cr_coll.h"
#include "cr_level_names.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void cr_fit_query_whatif(const cr_fit_query_t *q, const char *level, int nodes, double *GBps,
                         double *latency_us)
{
    cr_level_t lv;
    int known = level && cr_level_parse(level, &lv) == 0;
    int across = level && cr_level_link_class(level, nodes > 1 ? nodes : 1) == CR_DIST_INTERNODE;
    *GBps = q->link_GBps;
    *latency_us = q->latency_us;
    if (across && q->level_GBps[CR_LEVEL_INTERNODE] > 0)
        *GBps = q->level_GBps[CR_LEVEL_INTERNODE];
    if (across && q->level_latency_us[CR_LEVEL_INTERNODE] > 0)
        *latency_us = q->level_latency_us[CR_LEVEL_INTERNODE];
    if (known && q->level_GBps[lv] > 0) *GBps = q->level_GBps[lv];
    if (known && q->level_latency_us[lv] > 0) *latency_us = q->level_latency_us[lv];
}

int cr_fit_query_has_whatif(const cr_fit_query_t *q)
{
    int any = q->link_GBps > 0 || q->latency_us > 0;
    for (int i = 0; i < CR_LEVEL_COUNT; i++)
        any |= q->level_GBps[i] > 0 || q->level_latency_us[i] > 0;
    return any;
}

void cr_fit_query_measured(const cr_fit_query_t *q, cr_fit_query_t *out)
{
    *out = *q;
    out->link_GBps = out->latency_us = 0;
    for (int i = 0; i < CR_LEVEL_COUNT; i++) out->level_GBps[i] = out->level_latency_us[i] = 0;
}

const char *cr_fit_query_whatif_str(const cr_fit_query_t *q, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
#define CR_WI_ADD(...)                                                                  \
    do {                                                                                \
        if (used < len) used += (size_t)snprintf(buf + used, len - used, __VA_ARGS__);  \
    } while (0)
    if (q->link_GBps > 0) CR_WI_ADD("%slink %.4g GB/s", used ? ", " : "", q->link_GBps);
    if (q->latency_us > 0) CR_WI_ADD("%slatency %.4g us", used ? ", " : "", q->latency_us);
    for (int i = 0; i < CR_LEVEL_COUNT; i++) {
        if (q->level_GBps[i] > 0)
            CR_WI_ADD("%s%s=%.4g GB/s", used ? ", " : "", cr_level_name(i), q->level_GBps[i]);
        if (q->level_latency_us[i] > 0)
            CR_WI_ADD("%s%s latency %.4g us", used ? ", " : "", cr_level_name(i),
                      q->level_latency_us[i]);
    }
#undef CR_WI_ADD
    return buf;
}

/* The group a prediction reads: collective, level, cadence and the rest of its key. */
typedef struct cr_fit_pkey {
    const char *c;
    char lv[CR_NAME_LEN], cad[CR_NAME_LEN], dtype[CR_NAME_LEN];
    int in_place;
    cr_variant_t variant;
    char skew[CR_NAME_LEN];   /* alltoallv's routing; "" others */
    int nodes, ppn;           /* topology read at the rank count read; 0: any */
} cr_fit_pkey_t;

/* Row r is of k's topology (either unknown matches any). */
static int cr_fit_row_topo(const cr_fit_model_row_t *r, const cr_fit_pkey_t *k)
{
    return !k->nodes || !r->nodes || (r->nodes == k->nodes && r->ppn == k->ppn);
}

static int cr_fit_row_match(const cr_fit_model_row_t *r, const cr_fit_pkey_t *k)
{
    return !strcmp(r->collective, k->c) && !strcmp(r->level, k->lv) &&
           !strcmp(r->cadence, k->cad) && !strcmp(r->dtype, k->dtype) &&
           r->in_place == k->in_place && r->variant == k->variant && !strcmp(r->skew, k->skew);
}

/* The query's own choices, checked: in_place -1 and variant -1 when not given. */
typedef struct cr_fit_qsel {
    int in_place, variant;
} cr_fit_qsel_t;

static int cr_fit_row_wanted(const cr_fit_model_row_t *r, const cr_fit_query_t *q,
                             const cr_fit_qsel_t *sel)
{
    return !strcmp(r->collective, q->collective) && (!q->level || !strcmp(r->level, q->level)) &&
           (!q->cadence || !strcmp(r->cadence, q->cadence)) &&
           (!q->dtype || !strcmp(r->dtype, q->dtype)) &&
           (sel->in_place < 0 || r->in_place == sel->in_place) &&
           (sel->variant < 0 || (int)r->variant == sel->variant) &&
           (!q->skew || !strcmp(r->skew, q->skew));
}

static int cr_fit_same_rest(const cr_fit_model_row_t *a, const cr_fit_model_row_t *b)
{
    return !strcmp(a->dtype, b->dtype) && a->in_place == b->in_place &&
           a->variant == b->variant && !strcmp(a->skew, b->skew);
}

/* "dtype float, in_place 0, variant blocking[, skew zipf:1.2]" of a row, for messages. */
static void cr_fit_rest_str(const cr_fit_model_row_t *r, char *buf, size_t len)
{
    snprintf(buf, len, "dtype %s, in_place %d, variant %s%s%s", r->dtype[0] ? r->dtype : "(none)",
             r->in_place, cr_variant_names[r->variant], r->skew[0] ? ", skew " : "", r->skew);
}

/* The skews fitted for the collective, "zipf:1.2, uniform", into buf. */
static void cr_fit_skews_str(const cr_fit_model_t *m, const char *coll, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m->n && used < len; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        int seen = 0;
        if (strcmp(r->collective, coll) || !r->skew[0]) continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(m->rows[j].collective, coll) && !strcmp(m->rows[j].skew, r->skew);
        if (!seen)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", r->skew);
    }
    if (!buf[0]) snprintf(buf, len, "none recorded");
}

/* The routing to read for the query: --skew as given (alltoallv only); else uniform
 * where a wanted row has it; else refused naming the routings fitted, unless no
 * wanted row records one (an older fit.csv, another collective). Never a mix. */
static cr_status_t cr_fit_pick_skew(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                    const cr_fit_qsel_t *sel, const char **skew)
{
    cr_fit_query_t any = *q;
    char skews[512];
    int uniform = 0, other = 0;
    *skew = q->skew;
    if (q->skew && strcmp(q->collective, "alltoallv")) {
        cr_error("--skew '%s' applies to alltoallv only, not %s", q->skew, q->collective);
        return CR_ERR_INVAL;
    }
    any.skew = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        if (!cr_fit_row_wanted(r, &any, sel)) continue;
        if (q->skew && !strcmp(r->skew, q->skew)) return CR_OK;
        uniform |= !strcmp(r->skew, "uniform");
        other |= r->skew[0] && strcmp(r->skew, "uniform");
    }
    cr_fit_skews_str(m, q->collective, skews, sizeof skews);
    if (q->skew && (uniform || other)) {
        cr_error("%s was not fitted with skew '%s' in this fit directory (skews fitted: %s): "
                 "choose one with --skew SPEC", q->collective, q->skew, skews);
        return CR_ERR_INVAL;
    }
    if (q->skew) return CR_OK;   /* nothing wanted at all: cr_fit_pick says so */
    if (uniform) *skew = "uniform";
    else if (other) {
        cr_error("%s was fitted only with skewed routings (%s), no uniform one: choose one "
                 "with --skew SPEC (predictions never mix routings)", q->collective, skews);
        return CR_ERR_INVAL;
    }
    return CR_OK;
}

/* Picks the group for the query: the level first (asked, else world, else the first
 * fitted), then a cadence that level has (asked, else isolated, else its first), then
 * the one dtype, in_place and variant fitted there among those asked for: several
 * are refused, naming them. Reports its errors. */
static cr_status_t cr_fit_pick(const cr_fit_model_t *m, const cr_fit_query_t *q,
                               const cr_fit_qsel_t *sel, cr_fit_pkey_t *k)
{
    const cr_fit_model_row_t *first = NULL, *first_lv = NULL, *rest[8];
    size_t n = 0;
    const char *world_name = cr_level_name(CR_LEVEL_WORLD);
    int world = 0, iso = 0;
    cr_fit_query_t qs = *q;
    CR_CHECK(cr_fit_pick_skew(m, q, sel, &qs.skew));
    q = &qs;
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        if (!cr_fit_row_wanted(r, q, sel)) continue;
        if (!first) first = r;
        world |= !strcmp(r->level, world_name);
    }
    if (!first) {
        cr_error("no fit for collective '%s'%s%s%s%s%s%s%s%s%s%s%s%s in this fit directory",
                 q->collective, q->level ? " level " : "", q->level ? q->level : "",
                 q->cadence ? " cadence " : "", q->cadence ? q->cadence : "",
                 q->dtype ? " dtype " : "", q->dtype ? q->dtype : "",
                 q->in_place ? " in_place " : "", q->in_place ? q->in_place : "",
                 q->variant ? " variant " : "", q->variant ? q->variant : "",
                 q->skew ? " skew " : "", q->skew ? q->skew : "");
        return CR_ERR_INVAL;
    }
    k->c = q->collective;
    snprintf(k->lv, CR_NAME_LEN, "%s", q->level ? q->level : world ? world_name : first->level);
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        if (!cr_fit_row_wanted(r, q, sel) || strcmp(r->level, k->lv)) continue;
        if (!first_lv) first_lv = r;
        iso |= !strcmp(r->cadence, "isolated");
    }
    snprintf(k->cad, CR_NAME_LEN, "%s",
             q->cadence ? q->cadence : iso ? "isolated" : first_lv->cadence);
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        size_t j = 0;
        if (!cr_fit_row_wanted(r, q, sel) || strcmp(r->level, k->lv) || strcmp(r->cadence, k->cad))
            continue;
        while (j < n && !cr_fit_same_rest(r, rest[j])) j++;
        if (j == n && n < sizeof rest / sizeof *rest) rest[n++] = r;
    }
    if (n > 1) {
        char choices[512], one[128];
        size_t used = 0;
        for (size_t j = 0; j < n && used < sizeof choices; j++) {
            cr_fit_rest_str(rest[j], one, sizeof one);
            used += (size_t)snprintf(choices + used, sizeof choices - used, "%s%s",
                                     j ? "; " : "", one);
        }
        cr_error("%s %s %s was fitted for several variants (%s): choose one with --dtype T, "
                 "--in-place 0|1, --variant blocking|nonblocking%s", q->collective, k->lv,
                 k->cad, choices, strcmp(q->collective, "alltoallv") ? "" : " or --skew SPEC");
        return CR_ERR_INVAL;
    }
    snprintf(k->dtype, CR_NAME_LEN, "%s", rest[0]->dtype);
    k->in_place = rest[0]->in_place;
    k->variant = rest[0]->variant;
    snprintf(k->skew, CR_NAME_LEN, "%s", rest[0]->skew);
    return CR_OK;
}

/* α of segment 1 (the latency floor) of group (k, p); NAN if absent. */
static double cr_fit_alpha1(const cr_fit_model_t *m, const cr_fit_pkey_t *k, int p)
{
    for (size_t i = 0; i < m->n; i++)
        if (cr_fit_row_match(&m->rows[i], k) && cr_fit_row_topo(&m->rows[i], k) &&
            m->rows[i].ranks == p && m->rows[i].segment == 1)
            return m->rows[i].alpha;
    return NAN;
}

/* Segment of group (k, p) that covers S, or the nearest; NULL if no group. */
static const cr_fit_model_row_t *cr_fit_seg_for(const cr_fit_model_t *m, const cr_fit_pkey_t *k,
                                                int p, double S, int *inside)
{
    const cr_fit_model_row_t *best = NULL;
    double bestd = INFINITY;
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        double d;
        if (!cr_fit_row_match(r, k) || !cr_fit_row_topo(r, k) || r->ranks != p) continue;
        d = S < r->bytes_lo ? log(r->bytes_lo / S) : S > r->bytes_hi ? log(S / r->bytes_hi) : 0;
        if (d < bestd) {
            bestd = d;
            best = r;
        }
    }
    *inside = bestd == 0;
    return best;
}

/* The topology to read at rank count p (k->nodes, k->ppn; 0 when the fits there do
 * not say): the one fitted; among several, the query's, else refused naming them.
 * *several is set when more than one was fitted at p. Reports its errors. */
static cr_status_t cr_fit_pick_topo(const cr_fit_model_t *m, const cr_fit_query_t *q, int p,
                                    cr_fit_pkey_t *k, int *several)
{
    int tn[16], tp[16];
    size_t n = 0;
    char choices[256];
    size_t used = 0;
    k->nodes = k->ppn = 0;
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        size_t j = 0;
        if (!cr_fit_row_match(r, k) || r->ranks != p || !r->nodes) continue;
        while (j < n && !(tn[j] == r->nodes && tp[j] == r->ppn)) j++;
        if (j == n && n < sizeof tn / sizeof *tn) {
            tn[n] = r->nodes;
            tp[n++] = r->ppn;
        }
    }
    *several = n > 1;
    for (size_t j = 0; j < n; j++)
        if (n == 1 || (tn[j] == q->nodes && tp[j] == q->ppn)) {
            k->nodes = tn[j];
            k->ppn = tp[j];
            return CR_OK;
        }
    if (n == 0) return CR_OK;
    for (size_t j = 0; j < n && used < sizeof choices; j++)
        used += (size_t)snprintf(choices + used, sizeof choices - used, "%s%dx%d", j ? ", " : "",
                                 tn[j], tp[j]);
    if (q->nodes)
        cr_error("%s %s %s at p=%d was not measured on %d nodes x %d ppn, only on several "
                 "other topologies (nodes x ppn: %s): choose one with --nodes N --ppn Q",
                 k->c, k->lv, k->cad, p, q->nodes, q->ppn, choices);
    else
        cr_error("%s %s %s at p=%d was fitted for several topologies (nodes x ppn: %s): "
                 "choose one with --nodes N --ppn Q", k->c, k->lv, k->cad, p, choices);
    return CR_ERR_INVAL;
}

/* Nearest measured rank count (in log p) for the series. */
static int cr_fit_nearest_p(const cr_fit_model_t *m, const cr_fit_pkey_t *k, int p)
{
    int best = 0;
    double bd = INFINITY;
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        double d;
        if (!cr_fit_row_match(r, k)) continue;
        d = fabs(log((double)r->ranks / p));
        if (d < bd || (d == bd && r->ranks > best)) {
            bd = d;
            best = r->ranks;
        }
    }
    return best;
}

/* The series' α(p) scaling fit; NULL when absent. */
static const cr_fit_scaling_t *cr_fit_scal_of(const cr_fit_model_t *m, const cr_fit_pkey_t *k)
{
    const cr_fit_scaling_t *s = NULL;
    for (size_t i = 0; i < m->nscal; i++) {
        const cr_fit_scaling_t *c = &m->scal[i];
        if (!strcmp(c->collective, k->c) && !strcmp(c->level, k->lv) &&
            !strcmp(c->cadence, k->cad) && !strcmp(c->dtype, k->dtype) &&
            c->in_place == k->in_place && c->variant == k->variant && !strcmp(c->skew, k->skew))
            s = c;
    }
    return s;
}

/* α(p) of the series' scaling fit in its shape (log2 when undetermined); NAN when
 * there is no scaling fit or it is not positive at p. */
static double cr_fit_scal_alpha(const cr_fit_model_t *m, const cr_fit_pkey_t *k, int p)
{
    const cr_fit_scaling_t *s = cr_fit_scal_of(m, k);
    double v;
    if (!s) return NAN;
    v = !strcmp(s->shape, "linear") ? s->lin_a + s->lin_b * (p - 1)
                                    : s->log_a + s->log_b * cr_fit_log2_ceil(p);
    return isfinite(v) && v > 0 ? v : NAN;
}

/* α(p)/α(p0) from the series' scaling fit (log2 when undetermined or absent). */
static double cr_fit_alpha_ratio(const cr_fit_model_t *m, const cr_fit_pkey_t *k, int p0, int p,
                                 const char **shape)
{
    const cr_fit_scaling_t *s = cr_fit_scal_of(m, k);
    double a = 0, b = 1, x0, x1;
    int lin = 0;
    if (s && !strcmp(s->shape, "linear")) {
        lin = 1;
        a = s->lin_a;
        b = s->lin_b;
    } else if (s && isfinite(s->log_a) && isfinite(s->log_b)) {
        a = s->log_a;
        b = s->log_b;
    }
    *shape = lin ? "alpha ~ p-1" : "alpha ~ ceil(log2 p)";
    x0 = lin ? p0 - 1 : cr_fit_log2_ceil(p0);
    x1 = lin ? p - 1 : cr_fit_log2_ceil(p);
    if (!(a + b * x0 > 0) || !(a + b * x1 > 0)) return x0 > 0 ? x1 / x0 : 1;
    return (a + b * x1) / (a + b * x0);
}

/* The smallest positive α₁ among the series' other rank counts, scaled to p with the
 * series' shape; NAN when none. */
static double cr_fit_alpha1_other(const cr_fit_model_t *m, const cr_fit_pkey_t *k, int p)
{
    double best = NAN;
    const char *shape;
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        double v;
        if (!cr_fit_row_match(r, k) || r->segment != 1 || !(r->alpha > 0)) continue;
        v = r->alpha * cr_fit_alpha_ratio(m, k, r->ranks, p, &shape);
        if (v > 0 && !(v >= best)) best = v;
    }
    return best;
}

/* The series across rank counts (fit_proj.h) for key k and the query's topology:
 * with --nodes/--ppn the one of that fixed dimension, else the only one, else the
 * only one that measured p. NULL when none; several are refused, naming them. */
static cr_status_t cr_fit_pick_series(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                      const cr_fit_pkey_t *k, const cr_fit_pseries_t **out)
{
    const cr_fit_pseries_t *c[16];
    size_t n = 0, nmeas = 0;
    const cr_fit_pseries_t *meas = NULL;
    int fn = 0, fq = 0;
    *out = NULL;
    if (q->nodes) cr_proj_fixed(k->lv, q->nodes, q->ppn, &fn, &fq);
    for (size_t i = 0; i < m->nproj; i++) {
        const cr_fit_pseries_t *p = &m->proj[i];
        if (strcmp(p->collective, k->c) || strcmp(p->level, k->lv) || strcmp(p->cadence, k->cad) ||
            strcmp(p->dtype, k->dtype) || p->in_place != k->in_place ||
            p->variant != k->variant || strcmp(p->skew, k->skew))
            continue;
        if (q->nodes && (p->fixed_nodes != fn || p->fixed_ppn != fq)) continue;
        if (n < sizeof c / sizeof *c) c[n++] = p;
        for (size_t j = 0; j < p->s.nc; j++)
            if (p->s.c[j].ranks == q->ranks) {
                nmeas++;
                meas = p;
            }
    }
    if (n == 1) *out = c[0];
    else if (n > 1 && nmeas == 1) *out = meas;
    else if (n > 1 && nmeas == 0) {
        char choices[256];
        size_t used = 0;
        for (size_t j = 0; j < n && used < sizeof choices; j++)
            used += (size_t)snprintf(choices + used, sizeof choices - used, "%s%s=%d",
                                     j ? ", " : "", c[j]->fixed_ppn ? "ppn" : "nodes",
                                     c[j]->fixed_ppn ? c[j]->fixed_ppn : c[j]->fixed_nodes);
        cr_error("%s %s %s was measured across rank counts at several topologies (%s): "
                 "choose one with --nodes N --ppn Q", k->c, k->lv, k->cad, choices);
        return CR_ERR_INVAL;
    }
    return CR_OK;
}

static int cr_fit_series_has(const cr_fit_pseries_t *p, int ranks)
{
    for (size_t j = 0; j < p->s.nc; j++)
        if (p->s.c[j].ranks == ranks) return 1;
    return 0;
}

/* "p=2,3,4 at ppn=1" */
static void cr_fit_series_str(const cr_fit_pseries_t *p, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "p=");
    for (size_t j = 0; j < p->s.nc && used < len; j++)
        used += (size_t)snprintf(buf + used, len - used, "%s%d", j ? "," : "", p->s.c[j].ranks);
    if (used < len && p->fixed_ppn)
        snprintf(buf + used, len - used, " at ppn=%d", p->fixed_ppn);
    else if (used < len && p->fixed_nodes)
        snprintf(buf + used, len - used, " on %d node%s", p->fixed_nodes,
                 p->fixed_nodes == 1 ? "" : "s");
}

/* The measured link of the series' groups (the largest rank count's); 0 when none. */
static double cr_fit_series_link(const cr_fit_model_t *m, const cr_fit_pkey_t *k)
{
    double link = 0;
    int best = 0;
    for (size_t i = 0; i < m->n; i++)
        if (cr_fit_row_match(&m->rows[i], k) && m->rows[i].link_GBps > 0 &&
            m->rows[i].ranks >= best) {
            best = m->rows[i].ranks;
            link = m->rows[i].link_GBps;
        }
    return link;
}

/* Beyond the measured rank counts: the series' scaling model (fit_proj.h). */
static cr_status_t cr_fit_predict_proj(const cr_fit_model_t *m, const cr_fit_query_t *q,
                                       const cr_fit_pkey_t *k, const cr_fit_pseries_t *ps,
                                       double Fp, cr_fit_prediction_t *out)
{
    const cr_proj_series_t *s = &ps->s;
    cr_proj_est_t e;
    double S = (double)q->bytes, t, rel_lo, rel_hi, link = 0, wg, wl;
    char ser[120], side[64] = "", wi[96] = "";
    int pmax = s->c[s->nc - 1].ranks, pmin = s->c[0].ranks;
    if (cr_proj_predict(s, S, q->ranks, &e) != 0 || !(e.t > 0) || !isfinite(e.t)) {
        cr_error("%s %s %s at %llu bytes on %d ranks: the scaling model gave no finite "
                 "positive time: no prediction", k->c, k->lv, k->cad,
                 (unsigned long long)q->bytes, q->ranks);
        return CR_ERR_INVAL;
    }
    t = e.t;
    rel_lo = e.t_lo / e.t;
    rel_hi = e.t_hi / e.t;
    cr_fit_query_whatif(q, k->lv, q->nodes, &wg, &wl);
    if (wg > 0 || wl > 0) {
        double a = e.alpha, b = e.beta;
        link = cr_fit_series_link(m, k);
        if (wg > 0 && link > 0) {
            b *= link / wg;   /* every rate by X / the measured link */
            out->link_GBps = link;
            snprintf(wi, sizeof wi, "; link what-if %.4g GB/s (measured %.4g)", wg, link);
        } else if (wg > 0) {
            b = Fp / (wg * 1e3);   /* X is the busbw ceiling */
            snprintf(wi, sizeof wi, "; link what-if: busbw ceiling %.4g GB/s", wg);
        }
        if (wl > 0) a = wl;
        if (wl > 0)
            snprintf(wi + strlen(wi), sizeof wi - strlen(wi), "; latency what-if alpha %.4g us",
                     wl);
        out->whatif_GBps = wg;
        out->whatif_latency_us = wl;
        t = a + S * b;
        if (!(t > 0)) {
            cr_error("%s %s %s: the what-if gives no positive time (alpha %g us, beta %g "
                     "us/byte)", k->c, k->lv, k->cad, a, b);
            return CR_ERR_INVAL;
        }
    }
    out->t = t;
    out->t_lo = t * rel_lo;
    out->t_hi = t * rel_hi;
    out->se = e.se;
    out->floored = e.floored;
    out->floor_us = e.floored ? e.t : 0;
    out->rinf = e.beta > 0 ? 1e-3 / e.beta : INFINITY;
    if (wg > 0) out->rinf = wg > 0 && link > 0 ? out->rinf * wg / link : wg / Fp;
    out->extrapolated = !e.measured_p || e.size_extrapolated;
    out->nodes = q->nodes;
    out->ppn = q->ppn;
    snprintf(out->model, sizeof out->model, "scaling model");
    cr_fit_series_str(ps, ser, sizeof ser);
    if (q->ranks > pmax)
        snprintf(side, sizeof side, "; extrapolates %.3gx beyond p=%d", (double)q->ranks / pmax,
                 pmax);
    else if (q->ranks < pmin)
        snprintf(side, sizeof side, "; extrapolates %.3gx below p=%d", (double)pmin / q->ranks,
                 pmin);
    else
        snprintf(side, sizeof side, "; interpolates between measured rank counts");
    snprintf(out->basis, sizeof out->basis,
             "across rank counts %s: alpha ~ %s, beta ~ %s (%s)%s%s; 95%% "
             "prediction interval from run-to-run %.1f%% (%s), lack of fit %.1f%% (%s) and "
             "the leverage of p%s%s", ser, cr_proj_family_x[s->fa], cr_proj_family_x[s->fb],
             s->validated ? "chosen by held-out error" : "prior: fewer than 3 rank counts",
             side, e.size_extrapolated ? "; extrapolates in size" : "", 100 * s->sigma_run,
             s->run_dof ? "repeats" : "assumed",
             100 * s->sigma_lack[e.band], s->lack_measured[e.band] ? "held out" : "assumed",
             e.floored ? "; raised to the smallest measured time" : "", wi);
    if (e.warn)
        snprintf(out->warning, sizeof out->warning,
                 "%d ranks and %llu bytes lie more than %gx beyond what was measured (%s, "
                 "%.0f-%.0f bytes): the model's shape is untested there",
                 q->ranks, (unsigned long long)q->bytes, CR_PROJ_WARN_FACTOR, ser, s->smin,
                 s->smax);
    return CR_OK;
}

/* The rates and the group's key from out->t, t_lo, t_hi. */
static void cr_fit_fill(cr_fit_prediction_t *out, double S, double Fp, const cr_fit_pkey_t *k)
{
    out->algbw = S / out->t * 1e-3;
    out->algbw_lo = S / out->t_hi * 1e-3;
    out->algbw_hi = out->t_lo > 0 ? S / out->t_lo * 1e-3 : INFINITY;
    out->busbw = Fp * out->algbw;
    out->busbw_lo = Fp * out->algbw_lo;
    out->busbw_hi = Fp * out->algbw_hi;
    out->F = Fp;
    snprintf(out->level, sizeof out->level, "%s", k->lv);
    snprintf(out->cadence, sizeof out->cadence, "%s", k->cad);
    snprintf(out->dtype, sizeof out->dtype, "%s", k->dtype);
    snprintf(out->skew, sizeof out->skew, "%s", k->skew);
    out->in_place = k->in_place;
    out->variant = k->variant;
}

/* The run-to-run spread for the segment-fit path: the series' measured one, else the
 * assumed CR_PROJ_SIGMA_RUN. */
static double cr_fit_sigma_run(const cr_fit_pseries_t *ps, int *measured)
{
    *measured = ps && ps->s.run_dof;
    return ps ? ps->s.sigma_run : CR_PROJ_SIGMA_RUN;
}

cr_status_t cr_fit_predict(const cr_fit_model_t *m, const cr_fit_query_t *q,
                           cr_fit_prediction_t *out)
{
    cr_fit_pkey_t k;
    cr_fit_qsel_t sel = { -1, -1 };
    cr_variant_t v;
    const cr_fit_model_row_t *r;
    const cr_coll_ops_t *ops = cr_coll_find(q->collective);
    const char *shape = "";
    char topo[96] = "", fl[96] = "";
    double S = (double)q->bytes, al, alo, ahi, rr, rlo, rhi, Fp, scale = 1, a1, lfloor;
    double a_raw = NAN, sr, sf, sl = 0, se_par, wg, wl;
    const cr_fit_pseries_t *ps = NULL;
    int inside, p0, several = 0, floored = 0, run_meas;
    if (!ops) {
        char known[512];
        cr_error("unknown collective '%s': expected %s", q->collective ? q->collective : "",
                 cr_coll_names(known, sizeof known));
        return CR_ERR_INVAL;
    }
    if (q->ranks < 1 || q->bytes == 0) {
        cr_error("predict needs --bytes > 0 and --ranks >= 1 (got %llu bytes, %d ranks)",
                 (unsigned long long)q->bytes, q->ranks);
        return CR_ERR_INVAL;
    }
    if (q->in_place && strcmp(q->in_place, "0") && strcmp(q->in_place, "1")) {
        cr_error("invalid in-place choice '%s': expected 0 or 1", q->in_place);
        return CR_ERR_INVAL;
    }
    if (q->variant && cr_variant_parse(q->variant, &v) != 0) {
        cr_error("invalid variant '%s': expected blocking or nonblocking", q->variant);
        return CR_ERR_INVAL;
    }
    if (q->in_place) sel.in_place = q->in_place[0] == '1';
    if (q->variant) sel.variant = (int)v;
    CR_CHECK(cr_fit_pick(m, q, &sel, &k));
    if (!(ops->bus_factor(q->ranks) > 0)) {
        cr_error("%s on %d rank%s moves no data (F(%d) = 0): predict needs --ranks >= 2",
                 q->collective, q->ranks, q->ranks == 1 ? "" : "s", q->ranks);
        return CR_ERR_INVAL;
    }
    memset(out, 0, sizeof *out);
    CR_CHECK(cr_fit_pick_series(m, q, &k, &ps));
    if (ps && !cr_fit_series_has(ps, q->ranks)) {
        Fp = ops->bus_factor(q->ranks);
        CR_CHECK(cr_fit_predict_proj(m, q, &k, ps, Fp, out));
        cr_fit_fill(out, S, Fp, &k);
        return CR_OK;
    }
    p0 = cr_fit_nearest_p(m, &k, q->ranks);
    CR_CHECK(cr_fit_pick_topo(m, q, p0, &k, &several));
    if (k.nodes && (several || (q->nodes && (q->nodes != k.nodes || q->ppn != k.ppn))))
        snprintf(topo, sizeof topo, " on %dx%d (nodes x ppn)%s", k.nodes, k.ppn,
                 q->nodes && (q->nodes != k.nodes || q->ppn != k.ppn)
                     ? ", the only topology fitted there" : "");
    r = cr_fit_seg_for(m, &k, p0, S, &inside);
    if (r == NULL) {
        cr_error("no fit for collective '%s' level %s cadence %s in this fit directory",
                 q->collective, k.lv, k.cad);
        return CR_ERR_INVAL;
    }
    if (!(r->rinf > 0)) {   /* NaN, 0 or negative: no bandwidth term to speak of */
        cr_error("%s %s %s segment %d of p=%d has r_inf = %g GB/s (not positive): no "
                 "prediction", q->collective, k.lv, k.cad, r->segment, p0, r->rinf);
        return CR_ERR_INVAL;
    }
    al = r->alpha;
    alo = r->alpha_lo;
    ahi = r->alpha_hi;
    rr = r->rinf;
    rlo = r->rinf_lo;
    rhi = r->rinf_hi;
    Fp = r->F;
    a1 = cr_fit_alpha1(m, &k, p0);
    if (p0 != q->ranks) {
        double F1 = ops->bus_factor(q->ranks);
        scale = cr_fit_alpha_ratio(m, &k, p0, q->ranks, &shape);
        /* α(p) scales a latency: an intercept <= 0 (a later segment's) is none, and
         * scaled up it would only grow more negative */
        if (al > 0) {
            al *= scale;
            alo *= scale;
            ahi *= scale;
        }
        if (F1 > 0 && Fp > 0) {   /* busbw ceiling carries over: r∞(p) = B / F(p) */
            rr *= Fp / F1;
            rlo *= Fp / F1;
            rhi *= Fp / F1;
        }
        Fp = F1;
    }
    /* The group's latency floor at p: α₁ of p0 scaled to p, else α(p) of the scaling
     * fit, else the smallest α₁ > 0 of another rank count scaled to p, else 0. No
     * time is below it. */
    lfloor = a1 > 0 ? a1 * scale : cr_fit_scal_alpha(m, &k, q->ranks);
    if (!(lfloor > 0)) lfloor = cr_fit_alpha1_other(m, &k, q->ranks);
    if (!(lfloor > 0)) lfloor = 0;
    cr_fit_query_whatif(q, k.lv, k.nodes ? k.nodes : q->nodes, &wg, &wl);
    if (wg > 0 && al < 0 && !(wl > 0)) {
        /* An intercept < 0 says time grows faster than linear over the segment (no
         * latency in it, an artefact of the fit): on a faster link it shrinks with the
         * bandwidth term, so that it cannot outweigh a faster link's S / r (which gave
         * times <= 0); on a slower one it is left as measured, not amplified. */
        double f = r->link_GBps > 0 ? r->link_GBps / wg : rr * Fp / wg;
        if (isfinite(f) && f > 0 && f < 1) {
            al *= f;
            alo *= f;
            ahi *= f;
        }
    }
    if (wg > 0 && r->link_GBps > 0) {
        /* the measured link scaled to X: every rate by X / link */
        double k = wg / r->link_GBps;
        rr *= k;
        rlo *= k;
        rhi *= k;
    } else if (wg > 0) {
        /* no link recorded: X is the busbw ceiling, r∞ = X / F(p); the interval keeps
         * its relative width where it is finite */
        double nr = wg / Fp;
        rlo = isfinite(rr) && isfinite(rlo) ? rlo * nr / rr : nr;
        rhi = isfinite(rr) && isfinite(rhi) ? rhi * nr / rr : nr;
        rr = nr;
    }
    if (wl > 0) {
        /* the latency floor α₁ becomes Y; every segment's intercept moves with it */
        double d = wl - (a1 > 0 ? a1 * scale : al);
        al += d;
        alo += d;
        ahi += d;
        lfloor = wl;
    }
    if (S < r->bytes_lo) {
        /* Below the segment's sizes its intercept says nothing: a later segment's α is
         * lower than the latency (often negative). The latency term is the floor there. */
        if (!(al >= lfloor)) {
            a_raw = al;
            al = lfloor;
            floored = 1;
        }
        if (!(alo >= lfloor) && isfinite(alo)) alo = lfloor;
        if (!(ahi >= al) && isfinite(ahi)) ahi = al;
    }
    out->t = al + S / (rr * 1e3);
    out->t_lo = alo + S / ((isfinite(rhi) ? rhi : INFINITY) * 1e3);
    out->t_hi = ahi + (rlo > 0 ? S / (rlo * 1e3) : INFINITY);
    if (out->t < lfloor) {   /* within or above the range: the time itself is floored */
        if (!floored) a_raw = al;
        out->t = lfloor;
        floored = 1;
    }
    if (!(isfinite(out->t) && out->t > 0)) {
        cr_error("%s %s %s at %llu bytes on %d ranks: predicted time %g us is not finite and "
                 "positive (segment %d of p=%d: alpha %g us, r_inf %g GB/s; no positive latency "
                 "floor): no prediction", q->collective, k.lv, k.cad,
                 (unsigned long long)q->bytes, q->ranks, out->t, r->segment, p0, al, rr);
        return CR_ERR_INVAL;
    }
    /* The interval holds the estimate and no negative time. */
    if (isfinite(out->t_lo) && out->t_lo < 0) out->t_lo = 0;
    if (out->t_lo > out->t) out->t_lo = out->t;
    if (out->t_hi < out->t) out->t_hi = out->t;
    /* A prediction interval for a new measurement: the parameters' interval (as an SD
     * of ln t), the segment's scatter about its line, run-to-run variation, and
     * beyond the measured rank counts CR_PROJ_SIGMA_LACK per doubling of p. */
    sr = cr_fit_sigma_run(ps, &run_meas);
    sf = isfinite(r->rel_err) ? 1.4826 * r->rel_err : 0;
    se_par = out->t_lo > 0 && isfinite(out->t_hi)
                 ? log(out->t_hi / out->t_lo) / (2 * CR_PROJ_Z) : 0;
    if (p0 != q->ranks) sl = CR_PROJ_SIGMA_LACK * fabs(log2((double)q->ranks / p0));
    out->se = sqrt(se_par * se_par + sf * sf + sr * sr + sl * sl);
    if (isfinite(out->se)) {
        out->t_lo = out->t * exp(-CR_PROJ_Z * out->se);
        out->t_hi = out->t * exp(CR_PROJ_Z * out->se);
    }
    snprintf(out->model, sizeof out->model, "segment fit");
    if (p0 != q->ranks && (q->ranks > CR_PROJ_WARN_FACTOR * p0 || p0 > CR_PROJ_WARN_FACTOR * q->ranks))
        snprintf(out->warning, sizeof out->warning,
                 "%d ranks lie more than %gx from the only rank count measured (p=%d): the "
                 "bandwidth term is assumed to keep its bus bandwidth; measure more rank "
                 "counts", q->ranks, CR_PROJ_WARN_FACTOR, p0);
    cr_fit_fill(out, S, Fp, &k);
    out->rinf = rr;
    out->extrapolated = !inside || p0 != q->ranks;
    out->floored = floored;
    out->floor_us = lfloor;
    out->nodes = k.nodes;
    out->ppn = k.ppn;
    if (floored)
        snprintf(fl, sizeof fl, "; latency floor %.4g us applied (model gave %.4g us)", lfloor,
                 a_raw + S / (rr * 1e3));
    snprintf(out->basis, sizeof out->basis, "%s in size %s segment %d (%.0f-%.0f bytes) of p=%d"
             "%s%s%s%s%s%s", inside ? "interpolates" : "extrapolates",
             inside ? "within" : "beyond", r->segment, r->bytes_lo, r->bytes_hi, p0, topo,
             p0 != q->ranks ? "; extrapolates in ranks with " : "", shape,
             wg > 0 ? "; link rate what-if" : "", wl > 0 ? "; latency what-if" : "", fl);
    out->whatif_GBps = wg;
    out->whatif_latency_us = wl;
    out->link_GBps = wg > 0 ? r->link_GBps : 0;
    return CR_OK;
}

void cr_fit_intensity_eval(double flops, double bytes, double peak_flops, double bw_Bps,
                           cr_fit_intensity_t *out)
{
    out->intensity = flops / bytes;
    out->critical = peak_flops / bw_Bps;
    out->t_math_us = flops / peak_flops * 1e6;
    out->t_comm_us = bytes / bw_Bps * 1e6;
    out->t_overlap_us = fmax(out->t_math_us, out->t_comm_us);
    out->t_serial_us = out->t_math_us + out->t_comm_us;
    out->compute_bound = out->intensity > out->critical;
}
