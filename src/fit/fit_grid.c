/* predict --grid's sweep (fit_grid.h). Every field is data: strict decimals
 * (cr_num.h), sizes by cr_sizes_parse, level names from the one level table. */
#include "config.h"

#include "fit_grid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cr_level_names.h"
#include "cr_num.h"
#include "cr_sizes.h"

#define CR_FIT_GRID_MAXV 4096   /* values of one field */

/* Appends v to the double list; -1 when it is full. */
static int cr_fit_grid_push(double **v, size_t *n, double x)
{
    double *nv;
    if (*n >= CR_FIT_GRID_MAXV || !(nv = realloc(*v, (*n + 1) * sizeof *nv))) return -1;
    nv[(*n)++] = x;
    *v = nv;
    return 0;
}

/* One item "X" or "A..B[:xK|:+K]" of a numeric field into v: integers when integer,
 * every value > 0. Writes why on a bad item. */
static int cr_fit_grid_item(const char *field, const char *item, int integer, double **v,
                            size_t *n, char *err, size_t errlen)
{
    const char *dots = strstr(item, ".."), *bad;
    char a[64], b[64], step[64] = "";
    double A, B, K = 2;
    int mul = 1;
    const char *what = integer ? "a positive integer" : "a positive decimal";
    if (!dots) {
        long long iv;
        bad = integer ? cr_num_int(item, &iv) : cr_num_double(item, &A);
        if (integer && !bad) A = (double)iv;
        if (bad || !(A > 0)) {
            snprintf(err, errlen, "invalid --grid %s value '%s': expected %s or a range "
                     "A..B[:xK|:+K]%s%s", field, item, what, bad ? " (" : "", bad ? bad : "");
            if (bad) snprintf(err + strlen(err), errlen - strlen(err), ")");
            return -1;
        }
        if (cr_fit_grid_push(v, n, A) != 0) goto too_many;
        return 0;
    }
    {
        const char *colon = strchr(dots + 2, ':');
        size_t la = (size_t)(dots - item), lb = colon ? (size_t)(colon - dots - 2) : strlen(dots + 2);
        if (la >= sizeof a || lb >= sizeof b || (colon && strlen(colon + 1) >= sizeof step))
            goto bad_range;
        memcpy(a, item, la);
        a[la] = '\0';
        memcpy(b, dots + 2, lb);
        b[lb] = '\0';
        if (colon) snprintf(step, sizeof step, "%s", colon + 1);
    }
    {
        long long ia, ib;
        if (integer ? cr_num_int(a, &ia) || cr_num_int(b, &ib)
                    : cr_num_double(a, &A) || cr_num_double(b, &B))
            goto bad_range;
        if (integer) {
            A = (double)ia;
            B = (double)ib;
        }
    }
    if (step[0]) {
        long long ik;
        if (step[0] != 'x' && step[0] != '+') goto bad_range;
        mul = step[0] == 'x';
        if (integer ? cr_num_int(step + 1, &ik) != NULL : cr_num_double(step + 1, &K) != NULL)
            goto bad_range;
        if (integer) K = (double)ik;
        if (mul ? !(K > 1) : !(K > 0)) goto bad_range;
    }
    if (!(A > 0) || !(B >= A)) goto bad_range;
    for (double x = A; x <= B * (1 + 1e-12); x = mul ? x * K : x + K)
        if (cr_fit_grid_push(v, n, integer ? round(x) : x) != 0) goto too_many;
    return 0;
bad_range:
    snprintf(err, errlen, "invalid --grid %s range '%s': expected A..B (doubling), A..B:xK "
             "(K > 1) or A..B:+K (K > 0) with 0 < A <= B, each %s", field, item, what);
    return -1;
too_many:
    snprintf(err, errlen, "invalid --grid %s '%s': more than %d values", field, item,
             CR_FIT_GRID_MAXV);
    return -1;
}

/* Where a what-if field FIELD goes: "rail-GBps" -> RAIL, GB/s. 0, or -1 unknown. */
static int cr_fit_grid_wi_field(const char *field, int *level, int *latency)
{
    static const char *const suf[2] = { "-GBps", "-latency-us" };
    char lv[32];
    cr_level_t l;
    if (!strcmp(field, "link-GBps") || !strcmp(field, "latency-us")) {
        *level = -1;
        *latency = field[1] == 'a';
        return 0;
    }
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(field), ns = strlen(suf[k]);
        if (n <= ns || n - ns >= sizeof lv || strcmp(field + n - ns, suf[k])) continue;
        memcpy(lv, field, n - ns);
        lv[n - ns] = '\0';
        if (cr_level_parse(lv, &l) != 0) return -1;
        *level = (int)l;
        *latency = k;
        return 0;
    }
    return -1;
}

/* One field with its values (items[0..n)). */
static cr_status_t cr_fit_grid_field(cr_fit_grid_t *g, const char *field, char **items,
                                     size_t n, char *err, size_t errlen)
{
    double *v = NULL;
    size_t nv = 0;
    int level, latency;
    if (!strcmp(field, "bytes")) {
        if (g->bytes) goto twice;
        for (size_t i = 0; i < n; i++) {
            uint64_t *s = NULL, *ns;
            size_t k = 0;
            char why[200];
            if (cr_sizes_parse(items[i], &s, &k, why, sizeof why) != CR_OK) {
                snprintf(err, errlen, "invalid --grid bytes value '%s': %s (e.g. 64K, 1M:1G:x4)",
                         items[i], why);
                return CR_ERR_INVAL;
            }
            if (g->nbytes + k > CR_FIT_GRID_MAXV ||
                !(ns = realloc(g->bytes, (g->nbytes + k) * sizeof *ns))) {
                free(s);
                snprintf(err, errlen, "invalid --grid bytes: more than %d sizes", CR_FIT_GRID_MAXV);
                return CR_ERR_INVAL;
            }
            memcpy(ns + g->nbytes, s, k * sizeof *s);
            g->bytes = ns;
            g->nbytes += k;
            free(s);
        }
        return CR_OK;
    }
    if (!strcmp(field, "nodes") || !strcmp(field, "ppn")) {
        long **dst = field[0] == 'n' ? &g->nodes : &g->ppn;
        size_t *dn = field[0] == 'n' ? &g->nnodes : &g->nppn;
        long hi = field[0] == 'n' ? 1L << 20 : 1L << 12;
        if (*dst) goto twice;
        for (size_t i = 0; i < n; i++)
            if (cr_fit_grid_item(field, items[i], 1, &v, &nv, err, errlen) != 0) goto bad;
        if (!(*dst = malloc(nv * sizeof **dst))) goto bad;
        for (size_t i = 0; i < nv; i++) {
            if (v[i] > hi) {
                snprintf(err, errlen, "invalid --grid %s value %.0f: expected at most %ld", field,
                         v[i], hi);
                goto bad;
            }
            (*dst)[i] = (long)v[i];
        }
        *dn = nv;
        free(v);
        return CR_OK;
    }
    if (cr_fit_grid_wi_field(field, &level, &latency) != 0) {
        char lv[128];
        snprintf(err, errlen, "invalid --grid field '%s': expected nodes, ppn, bytes, "
                 "LEVEL-GBps or LEVEL-latency-us with LEVEL one of %s, link-GBps or latency-us",
                 field, cr_level_names(lv, sizeof lv));
        return CR_ERR_INVAL;
    }
    for (size_t k = 0; k < g->nwi; k++)
        if (g->wi[k].level == level && g->wi[k].latency == latency) goto twice;
    if (g->nwi == CR_FIT_GRID_MAXWI) {
        snprintf(err, errlen, "invalid --grid: more than %d what-if fields", CR_FIT_GRID_MAXWI);
        return CR_ERR_INVAL;
    }
    for (size_t i = 0; i < n; i++)
        if (cr_fit_grid_item(field, items[i], 0, &v, &nv, err, errlen) != 0) goto bad;
    g->wi[g->nwi].level = level;
    g->wi[g->nwi].latency = latency;
    g->wi[g->nwi].v = v;
    g->wi[g->nwi++].n = nv;
    return CR_OK;
twice:
    snprintf(err, errlen, "invalid --grid: field '%s' given twice (list its values once, "
             "comma-separated)", field);
    return CR_ERR_INVAL;
bad:
    if (!err[0]) snprintf(err, errlen, "out of memory parsing --grid %s", field);
    free(v);
    return CR_ERR_INVAL;
}

cr_status_t cr_fit_grid_parse(const char *spec, cr_fit_grid_t *g, char *err, size_t errlen)
{
    char *buf = strdup(spec ? spec : ""), *items[CR_FIT_GRID_MAXV], *field = NULL, *tok, *save;
    size_t n = 0;
    cr_status_t st = CR_OK;
    memset(g, 0, sizeof *g);
    err[0] = '\0';
    if (!buf) return CR_ERR_NOMEM;
    if (!buf[0]) {
        snprintf(err, errlen, "invalid --grid '': expected FIELD=VALUES[,FIELD=VALUES...], "
                 "e.g. nodes=2..1024,ppn=8,bytes=1M:1G:x4,rail-GBps=25,50,100");
        st = CR_ERR_INVAL;
        goto out;
    }
    if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,")) {
        snprintf(err, errlen, "invalid --grid '%s': an empty value between commas", spec);
        st = CR_ERR_INVAL;
        goto out;
    }
    for (tok = strtok_r(buf, ",", &save);; tok = strtok_r(NULL, ",", &save)) {
        char *eq = tok ? strchr(tok, '=') : NULL;
        if (!tok || eq) {   /* the field so far is complete */
            if (field && (st = cr_fit_grid_field(g, field, items, n, err, errlen)) != CR_OK)
                goto out;
            if (!tok) break;
            *eq = '\0';
            field = tok;
            n = 0;
            tok = eq + 1;
            if (!*tok) {
                snprintf(err, errlen, "invalid --grid field '%s': no value after '='", field);
                st = CR_ERR_INVAL;
                goto out;
            }
        } else if (!field) {
            snprintf(err, errlen, "invalid --grid '%s': expected FIELD=VALUES first", tok);
            st = CR_ERR_INVAL;
            goto out;
        }
        if (strchr(tok, '=') || n == CR_FIT_GRID_MAXV) {
            snprintf(err, errlen, "invalid --grid value '%s' of %s", tok, field);
            st = CR_ERR_INVAL;
            goto out;
        }
        items[n++] = tok;
    }
    if (cr_fit_grid_size(g) > CR_FIT_GRID_MAXPTS) {
        snprintf(err, errlen, "invalid --grid '%s': %zu points, expected at most %d", spec,
                 cr_fit_grid_size(g), CR_FIT_GRID_MAXPTS);
        st = CR_ERR_INVAL;
    }
out:
    free(buf);
    return st;
}

void cr_fit_grid_free(cr_fit_grid_t *g)
{
    free(g->nodes);
    free(g->ppn);
    free(g->bytes);
    for (size_t k = 0; k < g->nwi; k++) free(g->wi[k].v);
    memset(g, 0, sizeof *g);
}

static size_t cr_fit_grid_n(size_t n)
{
    return n ? n : 1;
}

size_t cr_fit_grid_size(const cr_fit_grid_t *g)
{
    double s = (double)cr_fit_grid_n(g->nnodes) * cr_fit_grid_n(g->nppn) * cr_fit_grid_n(g->nbytes);
    for (size_t k = 0; k < g->nwi; k++) s *= (double)cr_fit_grid_n(g->wi[k].n);
    return s > 1e15 ? (size_t)1e15 : (size_t)s;
}

void cr_fit_grid_point(const cr_fit_grid_t *g, size_t i, const cr_fit_query_t *base,
                       cr_fit_query_t *q)
{
    size_t in = i % cr_fit_grid_n(g->nnodes), r = i / cr_fit_grid_n(g->nnodes), ib, ip;
    *q = *base;
    ib = r % cr_fit_grid_n(g->nbytes);
    r /= cr_fit_grid_n(g->nbytes);
    ip = r % cr_fit_grid_n(g->nppn);
    r /= cr_fit_grid_n(g->nppn);
    for (size_t k = g->nwi; k-- > 0;) {
        const cr_fit_grid_axis_t *a = &g->wi[k];
        double v = a->v[r % a->n];
        r /= a->n;
        if (a->level < 0 && a->latency) q->latency_us = v;
        else if (a->level < 0) q->link_GBps = v;
        else if (a->latency) q->level_latency_us[a->level] = v;
        else q->level_GBps[a->level] = v;
    }
    if (g->nnodes) q->nodes = (int)g->nodes[in];
    if (g->nppn) q->ppn = (int)g->ppn[ip];
    if (g->nbytes) q->bytes = g->bytes[ib];
    if (g->nnodes || g->nppn) q->ranks = q->nodes * q->ppn;
}

size_t cr_fit_grid_series(const cr_fit_grid_t *g, size_t i)
{
    return i / cr_fit_grid_n(g->nnodes);
}
