/* Link energy of a plan: see fit_energy.h. */
#include "config.h"

#include "fit_energy.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cr_coll.h"
#include "cr_num.h"

double cr_fit_energy_bytes(const char *name, int p, uint64_t S)
{
    const cr_coll_ops_t *ops = cr_coll_find(name);
    if (!ops || p < 2) return 0;
    if (ops->data_bytes && !ops->skewed) {
        cr_coll_shape_t sh;
        uint64_t s0, r0, s, r;
        double sent = 0, recvd = 0;
        int alike = 1;
        memset(&sh, 0, sizeof sh);
        sh.p = p;
        sh.dsize = 1;
        sh.block_count = S / (uint64_t)ops->s_blocks(p);
        sh.rank = 0;
        ops->data_bytes(&sh, &s0, &r0);
        /* ranks not all alike (a root; the ends of a shift): what they move, summed */
        for (sh.rank = 0; sh.rank < p; sh.rank++) {
            ops->data_bytes(&sh, &s, &r);
            alike &= s == s0 && r == r0;
            sent += (double)s;
            recvd += (double)r;
        }
        if (!alike) return sent > recvd ? sent : recvd;
    }
    return p * ops->bus_factor(p) * (double)S;
}

static int cr_fit_energy_level(const char *name)
{
    for (int i = 0; i < CR_FIT_PLAN_NLV; i++)
        if (!strcmp(name, cr_fit_plan_levels[i])) return i;
    return -1;
}

/* The plan level a level name's bytes go to: world for any name not among them. */
static int cr_fit_energy_lv(const char *name)
{
    int l = cr_fit_energy_level(name);
    return l < 0 ? CR_FIT_PLAN_NLV - 1 : l;
}

double cr_fit_energy_cross_share(const char *name, int p, int n)
{
    int q;
    if (n <= 1 || p < 2) return 0;
    if (n >= p) return 1;   /* one rank per host: every byte crosses */
    q = (p + n - 1) / n;    /* ranks per host (the last host may hold fewer) */
    if (!strcmp(name, "allreduce") || !strcmp(name, "allgather") ||
        !strcmp(name, "reduce_scatter"))
        return (double)n / p;                    /* a ring: n of its p hops */
    if (!strcmp(name, "sendrecv") || !strcmp(name, "bcast") || !strcmp(name, "reduce"))
        return (double)(n - 1) / (p - 1);        /* a chain or tree: once into each host */
    return (double)(p - q) / (p - 1);            /* every pair, or a root's peers */
}

void cr_fit_energy_flat_bytes(const char *name, const char *level, int p, int nodes, uint64_t S,
                              double groups, double bytes[CR_FIT_PLAN_NLV])
{
    double all = groups * cr_fit_energy_bytes(name, p, S), x;
    if (!strcmp(level, "node") || nodes <= 1) {
        bytes[0] += all;
        return;
    }
    x = cr_fit_energy_cross_share(name, p, nodes);
    bytes[cr_fit_energy_lv(level)] += x * all;
    bytes[0] += (1 - x) * all;
}

void cr_fit_energy_hier_bytes(const cr_fit_hier_t *h, int N, int Q, double groups,
                              double bytes[CR_FIT_PLAN_NLV])
{
    for (size_t i = 0; i < h->nph; i++) {
        const cr_fit_phase_t *ph = &h->ph[i];
        int node = !strcmp(ph->level, "node");
        double inst = node ? N : h->alg == CR_FIT_HIER_LEADER ? 1 : Q;
        bytes[node ? 0 : cr_fit_energy_lv(ph->level)] +=
            groups * inst * cr_fit_energy_bytes(ph->op, ph->ranks, ph->bytes);
    }
}

int cr_fit_energy_price(const cr_fit_link_assign_t *a, const double bytes[CR_FIT_PLAN_NLV],
                        double lo[CR_FIT_PLAN_NLV], double hi[CR_FIT_PLAN_NLV], double *sum_lo,
                        double *sum_hi)
{
    *sum_lo = *sum_hi = 0;
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) lo[l] = hi[l] = 0;
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
        if (bytes[l] > 0 && !a->cls[l] && !a->none[l]) return l;
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        double bits = bytes[l] * 8;
        if (bytes[l] <= 0 || a->none[l]) continue;
        lo[l] = bits * a->cls[l]->pJ_lo * a->hops[l] * 1e-12;
        hi[l] = bits * a->cls[l]->pJ_hi * a->hops[l] * 1e-12;
        *sum_lo += lo[l];
        *sum_hi += hi[l];
    }
    return -1;
}

cr_status_t cr_fit_link_parse(const char *spec, const cr_links_t *l, cr_fit_link_assign_t *a,
                              char *err, size_t errlen)
{
    char buf[1024], *save = NULL, *tok, ids[1024];
    snprintf(buf, sizeof buf, "%s", spec);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '='), *colon;
        long long hops = 1;
        int lv;
        if (!eq) {
            snprintf(err, errlen, "invalid --link '%s': expected LEVEL=CLASS[:HOPS], e.g. "
                     "internode=pluggable-800g-2xdr4:2", tok);
            return CR_ERR_INVAL;
        }
        *eq = '\0';
        if ((lv = cr_fit_energy_level(tok)) < 0) {
            snprintf(err, errlen, "invalid --link level '%s': expected node, rail, internode "
                     "or world", tok);
            return CR_ERR_INVAL;
        }
        if ((colon = strchr(eq + 1, ':')) != NULL) {
            *colon = '\0';
            if (cr_num_int(colon + 1, &hops) || hops < 1 || hops > 64) {
                snprintf(err, errlen, "invalid --link hops '%s' for %s: expected the links a "
                         "byte crosses at that level, 1 to 64 (2 through one switch)", colon + 1,
                         tok);
                return CR_ERR_INVAL;
            }
        }
        a->cls[lv] = NULL;
        a->none[lv] = !strcmp(eq + 1, "none");
        a->hops[lv] = (int)hops;
        if (!a->none[lv] && !(a->cls[lv] = cr_links_find(l, eq + 1))) {
            snprintf(err, errlen, "invalid --link class '%s' for %s: the catalog has %s (or "
                     "none; --links FILE adds classes)", eq + 1, tok,
                     cr_links_ids(l, ids, sizeof ids));
            return CR_ERR_INVAL;
        }
    }
    return CR_OK;
}

void cr_fit_energy_apply_wire(double wire, const double m[CR_FIT_PLAN_NLV],
                              double out[CR_FIT_PLAN_NLV])
{
    double cross = 0;
    for (int l = 1; l < CR_FIT_PLAN_NLV; l++) cross += m[l];
    out[0] = m[0];
    for (int l = 1; l < CR_FIT_PLAN_NLV; l++) out[l] = cross > 0 ? wire * m[l] / cross : 0;
    if (!(cross > 0)) out[CR_FIT_PLAN_NLV - 1] = wire;
}

int cr_fit_energy_measured_bytes(const cr_fit_plan_call_t *c, double bytes[CR_FIT_PLAN_NLV])
{
    if (!c->wire_measured) return 0;
    cr_fit_energy_apply_wire(c->wire_bytes, c->link_bytes, bytes);
    return 1;
}

cr_status_t cr_fit_energy_plan(const cr_fit_link_assign_t *a, cr_fit_plan_t *p, char *err,
                               size_t errlen)
{
    size_t used = 0;
    p->energy = 1;
    p->e_lo = p->e_hi = 0;
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) p->link_bytes[l] = p->e_lv_lo[l] = p->e_lv_hi[l] = 0;
    for (int i = 0; i < p->ncalls; i++) {
        cr_fit_plan_call_t *c = &p->calls[i];
        double measured[CR_FIT_PLAN_NLV];
        int bad;
        if (cr_fit_energy_measured_bytes(c, measured)) {
            memcpy(c->link_bytes, measured, sizeof measured);
            c->bytes_basis = "measured";
        }
        bad = cr_fit_energy_price(a, c->link_bytes, c->e_lv_lo, c->e_lv_hi, &c->e_lo, &c->e_hi);
        if (bad >= 0) {
            snprintf(err, errlen, "workload line %d: call %s moves %.6g bytes per call "
                     "across the %s level, which --link does not price: give --link "
                     "%s=CLASS (or %s=none to leave it out)", c->call->line,
                     c->call->ops->name, c->link_bytes[bad], cr_fit_plan_levels[bad],
                     cr_fit_plan_levels[bad], cr_fit_plan_levels[bad]);
            return CR_ERR_INVAL;
        }
        for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
            if (c->link_bytes[l] <= 0) continue;
            p->link_bytes[l] += c->call->count * c->link_bytes[l];
            p->e_lv_lo[l] += c->call->count * c->e_lv_lo[l];
            p->e_lv_hi[l] += c->call->count * c->e_lv_hi[l];
        }
        p->e_lo += c->call->count * c->e_lo;
        p->e_hi += c->call->count * c->e_hi;
    }
    p->classes[0] = '\0';
    for (int l = 0; l < CR_FIT_PLAN_NLV && used < sizeof p->classes; l++)
        if (a->cls[l] || a->none[l])
            used += (size_t)snprintf(p->classes + used, sizeof p->classes - used, "%s%s=%s x%d",
                                     used ? "; " : "", cr_fit_plan_levels[l],
                                     a->none[l] ? "none" : a->cls[l]->id,
                                     a->none[l] ? 0 : a->hops[l]);
    return CR_OK;
}

#define CR_RAPL_LINE 65536

/* The index of each wanted column in a results.csv header, -1 when absent. */
enum { RP_COLL, RP_LEVEL, RP_CAD, RP_RANKS, RP_NODES, RP_PPN, RP_BYTES, RP_PKG, RP_DRAM, RP_N };
static const char *const cr_rapl_cols[RP_N] = {
    "collective", "level", "cadence", "ranks", "nodes", "ppn", "bytes",
    "energy_pkg_J_per_call_sum", "energy_dram_J_per_call_sum"};

static int cr_rapl_split(char *line, char **f, int max)
{
    int n = 0;
    char *s = line;
    line[strcspn(line, "\r\n")] = '\0';
    for (;;) {
        char *c = strchr(s, ',');
        if (n < max) f[n] = s;
        n++;
        if (!c) break;
        *c = '\0';
        s = c + 1;
    }
    return n;
}

/* A run directory's results.csv, or the file path names; NULL with err. */
static FILE *cr_fit_energy_open(const char *path, char *file, size_t len, char *err, size_t errlen)
{
    FILE *fp;
    snprintf(file, len, "%s/results.csv", path);
    if ((fp = fopen(file, "r")) != NULL) return fp;
    snprintf(file, len, "%s", path);
    if ((fp = fopen(file, "r")) != NULL) return fp;
    snprintf(err, errlen, "cannot read %s or %s/results.csv: %s", path, path, strerror(errno));
    return NULL;
}

cr_status_t cr_fit_energy_rapl(const char *path, cr_fit_plan_t *p, char *err, size_t errlen)
{
    char file[4200], *line = malloc(CR_RAPL_LINE), *f[256];
    int col[RP_N], n, lineno = 1;
    FILE *fp;
    if (!line) return CR_ERR_NOMEM;
    if (!(fp = cr_fit_energy_open(path, file, sizeof file, err, errlen))) {
        free(line);
        return CR_ERR_IO;
    }
    if (!fgets(line, CR_RAPL_LINE, fp)) {
        snprintf(err, errlen, "%s: empty (expected a results.csv header)", file);
        goto out_bad;
    }
    n = cr_rapl_split(line, f, 256);
    for (int k = 0; k < RP_N; k++) {
        col[k] = -1;
        for (int i = 0; i < n && i < 256; i++)
            if (!strcmp(f[i], cr_rapl_cols[k])) col[k] = i;
        if (col[k] < 0) {
            snprintf(err, errlen, "%s:1: no column %s (a results.csv with the energy_* columns "
                     "is needed: docs/formats.md)", file, cr_rapl_cols[k]);
            goto out_bad;
        }
    }
    while (fgets(line, CR_RAPL_LINE, fp)) {
        long long ranks, nodes, ppn, bytes;
        double pkg = NAN, dram = NAN, J;
        lineno++;
        if ((n = cr_rapl_split(line, f, 256)) < RP_N) continue;
        for (int k = 0; k < RP_N; k++)
            if (col[k] >= n) goto next;
        if (cr_num_int(f[col[RP_RANKS]], &ranks) || cr_num_int(f[col[RP_NODES]], &nodes) ||
            cr_num_int(f[col[RP_PPN]], &ppn) || cr_num_int(f[col[RP_BYTES]], &bytes))
            continue;
        if (*f[col[RP_PKG]] && cr_num_double(f[col[RP_PKG]], &pkg)) continue;
        if (*f[col[RP_DRAM]] && cr_num_double(f[col[RP_DRAM]], &dram)) continue;
        if (isnan(pkg) && isnan(dram)) continue;   /* not measured */
        J = (isnan(pkg) ? 0 : pkg) + (isnan(dram) ? 0 : dram);
        for (int i = 0; i < p->ncalls; i++) {
            cr_fit_plan_call_t *c = &p->calls[i];
            int hier = !strcmp(c->level, "hierarchical");
            int same_level = !strcmp(f[col[RP_LEVEL]], hier ? "world" : c->level);
            if (strcmp(f[col[RP_COLL]], c->call->ops->name) || ranks != c->ranks ||
                (uint64_t)bytes != c->call->bytes || nodes != p->nodes || ppn != p->ppn)
                continue;
            /* a flat call: its level only; a hierarchical one: world first, else any */
            if (!same_level && (!hier || c->host_src[0])) continue;
            if (same_level && c->host_src[0] && strcmp(f[col[RP_CAD]], "isolated") != 0)
                continue;   /* keep an isolated row over another cadence */
            c->host_J = J;
            snprintf(c->host_src, sizeof c->host_src, "%.200s:%d (%.31s %.31s p=%lld %.15s)",
                     file, lineno, f[col[RP_COLL]], f[col[RP_LEVEL]], ranks, f[col[RP_CAD]]);
        }
    next:;
    }
    fclose(fp);
    free(line);
    p->host_J = NAN;
    p->host_calls = 0;
    for (int i = 0; i < p->ncalls; i++)
        if (!isnan(p->calls[i].host_J)) {
            p->host_J = (isnan(p->host_J) ? 0 : p->host_J) + p->calls[i].call->count * p->calls[i].host_J;
            p->host_calls++;
        }
    return CR_OK;
out_bad:
    fclose(fp);
    free(line);
    return CR_ERR_INVAL;
}

const char *cr_fit_energy_wire_path(const char *fit_dir, const char *run, char *buf, size_t len)
{
    if (run) {
        snprintf(buf, len, "%s", run);
        return buf;
    }
    if (!fit_dir) return NULL;
    snprintf(buf, len, "%s/results.csv", fit_dir);
    if (access(buf, R_OK) == 0) return buf;
    snprintf(buf, len, "%s/../results.csv", fit_dir);
    if (access(buf, R_OK) == 0) return buf;
    return NULL;
}

enum { WR_COLL, WR_LEVEL, WR_CAD, WR_RANKS, WR_NODES, WR_PPN, WR_BYTES, WR_TX, WR_BG, WR_N };
static const char *const cr_wire_cols[WR_N] = {
    "collective", "level", "cadence", "ranks", "nodes", "ppn", "bytes",
    "wire_tx_bytes_per_call", "wire_bg_high"};

cr_status_t cr_fit_wire_load(const char *path, cr_fit_wire_t *w, char *err, size_t errlen)
{
    char *line = malloc(CR_RAPL_LINE), *f[256];
    int col[WR_N], n, lineno = 1;
    size_t cap = 0;
    FILE *fp;
    memset(w, 0, sizeof *w);
    if (!line) {
        snprintf(err, errlen, "out of memory reading %s", path);
        return CR_ERR_NOMEM;
    }
    if (!(fp = cr_fit_energy_open(path, w->file, sizeof w->file, err, errlen))) {
        free(line);
        return CR_ERR_IO;
    }
    if (!fgets(line, CR_RAPL_LINE, fp)) goto out;
    n = cr_rapl_split(line, f, 256);
    for (int k = 0; k < WR_N; k++) {
        col[k] = -1;
        for (int i = 0; i < n && i < 256; i++)
            if (!strcmp(f[i], cr_wire_cols[k])) col[k] = i;
        if (col[k] < 0) goto out;   /* a run from before the wire columns: nothing measured */
    }
    while (fgets(line, CR_RAPL_LINE, fp)) {
        cr_fit_wire_row_t r;
        long long b;
        lineno++;
        if ((n = cr_rapl_split(line, f, 256)) < WR_N) continue;
        for (int k = 0; k < WR_N; k++)
            if (col[k] >= n) goto next;
        if (!strcmp(f[col[WR_BG]], "1")) continue;   /* others' traffic in the counters */
        if (!*f[col[WR_TX]] || cr_num_double(f[col[WR_TX]], &r.tx) || !(r.tx >= 0)) continue;
        if (cr_num_int(f[col[WR_RANKS]], &r.ranks) || cr_num_int(f[col[WR_NODES]], &r.nodes) ||
            cr_num_int(f[col[WR_PPN]], &r.ppn) || cr_num_int(f[col[WR_BYTES]], &b) || b < 0 ||
            strlen(f[col[WR_COLL]]) >= sizeof r.coll || strlen(f[col[WR_LEVEL]]) >= sizeof r.level ||
            strlen(f[col[WR_CAD]]) >= sizeof r.cadence)
            continue;
        r.bytes = (uint64_t)b;
        r.line = lineno;
        strcpy(r.coll, f[col[WR_COLL]]);
        strcpy(r.level, f[col[WR_LEVEL]]);
        strcpy(r.cadence, f[col[WR_CAD]]);
        if (w->n == cap) {
            size_t c = cap ? 2 * cap : 64;
            cr_fit_wire_row_t *g = realloc(w->rows, c * sizeof *g);
            if (!g) {
                snprintf(err, errlen, "out of memory reading %s", w->file);
                fclose(fp);
                free(line);
                cr_fit_wire_free(w);
                return CR_ERR_NOMEM;
            }
            w->rows = g;
            cap = c;
        }
        w->rows[w->n++] = r;
    next:;
    }
out:
    fclose(fp);
    free(line);
    return CR_OK;
}

enum { MP_COLL, MP_LEVEL, MP_CAD, MP_RANKS, MP_NODES, MP_PPN, MP_BYTES, MP_DTYPE, MP_INPLACE,
       MP_VARIANT, MP_SKEW, MP_VALID, MP_T, MP_LO, MP_HI, MP_N };
static const char *const cr_mpoint_cols[MP_N] = {
    "collective", "level", "cadence", "ranks", "nodes", "ppn", "bytes", "dtype", "in_place",
    "variant", "skew", "valid", "t_median_us", "t_ci_lo_us", "t_ci_hi_us"};

int cr_fit_mpoint_find(const char *path, const char *coll, const char *level, const char *cadence,
                       int ranks, int nodes, int ppn, uint64_t bytes, const char *dtype,
                       int in_place, const char *variant, const char *skew, double *t, double *lo,
                       double *hi, char *src, size_t srclen)
{
    char file[4200], err[256], *line = malloc(CR_RAPL_LINE), *f[256];
    int col[MP_N], n, lineno = 1, found = 0;
    FILE *fp;
    if (!line) return -1;
    if (!(fp = cr_fit_energy_open(path, file, sizeof file, err, sizeof err))) {
        free(line);
        return -1;
    }
    if (!fgets(line, CR_RAPL_LINE, fp)) goto out;
    n = cr_rapl_split(line, f, 256);
    for (int k = 0; k < MP_N; k++) {
        col[k] = -1;
        for (int i = 0; i < n && i < 256; i++)
            if (!strcmp(f[i], cr_mpoint_cols[k])) col[k] = i;
        if (col[k] < 0 && k != MP_SKEW && k != MP_VALID) goto out;   /* optional: skew, valid */
    }
    while (!found && fgets(line, CR_RAPL_LINE, fp)) {
        long long r, nn, pp, b, ip;
        lineno++;
        if ((n = cr_rapl_split(line, f, 256)) > 256) continue;
        for (int k = 0; k < MP_N; k++)
            if (col[k] >= n) goto next;
        if (strcmp(f[col[MP_COLL]], coll) || strcmp(f[col[MP_LEVEL]], level) ||
            strcmp(f[col[MP_CAD]], cadence) || strcmp(f[col[MP_VARIANT]], variant) ||
            (dtype && dtype[0] && strcmp(f[col[MP_DTYPE]], dtype)) ||
            strcmp(col[MP_SKEW] >= 0 ? f[col[MP_SKEW]] : "", skew ? skew : "") ||
            (col[MP_VALID] >= 0 && !strcmp(f[col[MP_VALID]], "fail")))
            continue;
        if (cr_num_int(f[col[MP_RANKS]], &r) || r != ranks || cr_num_int(f[col[MP_BYTES]], &b) ||
            b < 0 || (uint64_t)b != bytes || cr_num_int(f[col[MP_INPLACE]], &ip) ||
            ip != in_place)
            continue;
        if (nodes > 0 && (cr_num_int(f[col[MP_NODES]], &nn) || cr_num_int(f[col[MP_PPN]], &pp) ||
                          nn != nodes || pp != ppn))
            continue;
        if (cr_num_double(f[col[MP_T]], t) || !(*t > 0) || cr_num_double(f[col[MP_LO]], lo) ||
            cr_num_double(f[col[MP_HI]], hi))
            continue;
        snprintf(src, srclen, "%s:%d", file, lineno);
        found = 1;
    next:;
    }
out:
    fclose(fp);
    free(line);
    return found;
}

void cr_fit_wire_free(cr_fit_wire_t *w)
{
    free(w->rows);
    w->rows = NULL;
    w->n = 0;
}

int cr_fit_wire_lookup(const cr_fit_wire_t *w, const char *coll, const char *level, int ranks,
                       int nodes, int ppn, uint64_t bytes, double *tx, char *src, size_t srclen)
{
    const cr_fit_wire_row_t *got = NULL;
    for (size_t i = 0; i < w->n; i++) {
        const cr_fit_wire_row_t *r = &w->rows[i];
        if (strcmp(r->coll, coll) || strcmp(r->level, level) || r->ranks != ranks ||
            r->nodes != nodes || r->ppn != ppn || r->bytes != bytes)
            continue;
        if (!got) got = r;   /* keep the first; an isolated row wins */
        if (!strcmp(r->cadence, "isolated")) {
            got = r;
            break;
        }
    }
    if (!got) return 0;
    *tx = got->tx;
    snprintf(src, srclen, "%.200s:%d (%.31s %.31s p=%lld %.15s)", w->file, got->line, coll,
             level, got->ranks, got->cadence);
    return 1;
}

int cr_fit_energy_wire_find(const char *path, const char *coll, const char *level, int ranks,
                            int nodes, int ppn, uint64_t bytes, double *tx, char *src,
                            size_t srclen, char *err, size_t errlen)
{
    cr_fit_wire_t w;
    int got;
    if (cr_fit_wire_load(path, &w, err, errlen) != CR_OK) return -1;
    got = cr_fit_wire_lookup(&w, coll, level, ranks, nodes, ppn, bytes, tx, src, srclen);
    cr_fit_wire_free(&w);
    return got;
}

void cr_fit_energy_wire_apply(const cr_fit_wire_t *w, cr_fit_plan_t *p)
{
    for (int i = 0; i < p->ncalls; i++) {
        cr_fit_plan_call_t *c = &p->calls[i];
        int hier = !strcmp(c->level, "hierarchical");
        double tx;
        c->wire_measured = 0;
        c->bytes_src[0] = '\0';
        if (p->nodes < 2 || !strcmp(c->level, "node") || !strcmp(c->level, "none") ||
            !c->level[0])
            continue;   /* within a node: no wire */
        if (cr_fit_wire_lookup(w, c->call->ops->name, hier ? "world" : c->level, c->ranks,
                               p->nodes, p->ppn, c->call->bytes, &tx, c->bytes_src,
                               sizeof c->bytes_src)) {
            c->wire_bytes = tx;
            c->wire_measured = 1;
        }
    }
}

cr_status_t cr_fit_energy_wire(const char *path, cr_fit_plan_t *p, char *err, size_t errlen)
{
    cr_fit_wire_t w;
    cr_status_t st = cr_fit_wire_load(path, &w, err, errlen);
    if (st != CR_OK) return st;
    cr_fit_energy_wire_apply(&w, p);
    cr_fit_wire_free(&w);
    return CR_OK;
}
