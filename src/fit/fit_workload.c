/* workload.csv reader (contract: docs/formats.md "workload.csv"): columns by header
 * name, plain decimals only, names checked against the lists collroof uses. */
#include "config.h"

#include "fit_workload.h"
#include "cr_coll.h"
#include "cr_dtype.h"
#include "cr_fs.h"
#include "cr_num.h"
#include "cr_skew.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CR_FIT_WL_MAXF 64

/* The columns read, by name; the first CR_FIT_WL_NREQ are required. */
enum {
    WL_RUN, WL_NAME, WL_ROW, WL_COLL, WL_COMM, WL_RANKS, WL_GROUPS, WL_BYTES, WL_DTYPE, WL_COUNT,
    WL_GAP, WL_SKEW, WL_TMED, WL_TLO, WL_THI, WL_TCALL, WL_ALGBW, WL_BUSBW, WL_VALID,
    WL_NODES, WL_PPN, WL_SAMPLES, WL_NCOLS
};
#define CR_FIT_WL_NREQ WL_NODES
static const char *const cr_fit_wl_cols[WL_NCOLS] = {
    "run_id", "workload", "row", "collective", "comm", "ranks", "groups", "bytes", "dtype",
    "count", "gap_us", "skew", "t_median_us", "t_ci_lo_us", "t_ci_hi_us", "t_call_us",
    "algbw_GBps", "busbw_GBps", "valid", "nodes", "ppn", "samples",
};

/* The communicators a call line may name (docs/formats.md "Workload files"). */
static const char *const cr_fit_wl_comms[] = { "world", "node", "rail", "tp", "dp", NULL };

void cr_fit_wlset_free(cr_fit_wlset_t *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->wl[i].calls);
    free(s->wl);
    memset(s, 0, sizeof *s);
}

double cr_fit_wl_calls_total(const cr_fit_wl_t *w)
{
    double t = 0;
    for (size_t i = 0; i < w->ncalls; i++) t += w->calls[i].t_med;
    return t;
}

double cr_fit_wl_remainder(const cr_fit_wl_t *w)
{
    return w->step.t_med - cr_fit_wl_calls_total(w);
}

double cr_fit_wl_share(const cr_fit_wl_t *w, double t_us)
{
    return w->step.t_med > 0 ? t_us / w->step.t_med : NAN;
}

static size_t cr_fit_wl_split(char *line, char **f)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line;; n++) {
        char *c = strchr(p, ',');
        if (n < CR_FIT_WL_MAXF) f[n] = p;
        if (!c) return n + 1;
        *c = '\0';
        p = c + 1;
    }
}

/* [A-Za-z0-9._-]{1,len-1} */
static int cr_fit_wl_plain(const char *s, size_t len)
{
    size_t n = strlen(s);
    if (n == 0 || n >= len) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-') return 0;
    return 1;
}

static int cr_fit_wl_int(const char *s, const char *col, long long lo, long long hi,
                         long long *out, char *why, size_t wl)
{
    char shown[64];
    const char *bad = cr_num_int(s, out);
    if (bad || *out < lo || *out > hi) {
        snprintf(why, wl, "column %s: '%s' is not an integer in [%lld, %lld]%s%s%s", col,
                 cr_name_show(s, shown, sizeof shown), lo, hi, bad ? " (" : "", bad ? bad : "",
                 bad ? ")" : "");
        return -1;
    }
    return 0;
}

static int cr_fit_wl_num(const char *s, const char *col, double lo, double hi, double *out,
                         char *why, size_t wl)
{
    char shown[64];
    const char *bad = cr_num_double(s, out);
    if (bad || !(*out >= lo && *out <= hi)) {
        snprintf(why, wl, "column %s: '%s' is not a decimal number in [%g, %g]%s%s%s", col,
                 cr_name_show(s, shown, sizeof shown), lo, hi, bad ? " (" : "", bad ? bad : "",
                 bad ? ")" : "");
        return -1;
    }
    return 0;
}

static int cr_fit_wl_name(char *dst, size_t len, const char *s, const char *col, char *why,
                          size_t wl)
{
    char shown[64];
    if (!cr_fit_wl_plain(s, len)) {
        snprintf(why, wl, "column %s: '%s' is not a plain name (1 to %zu letters, digits, "
                 "'_', '.', '-')", col, cr_name_show(s, shown, sizeof shown), len - 1);
        return -1;
    }
    strcpy(dst, s);
    return 0;
}

/* The names of one row: collective, comm, dtype, skew, valid. */
static int cr_fit_wl_names(char **f, const int *c, int step, cr_fit_wl_row_t *r, char *why,
                           size_t wl)
{
    char shown[64], known[512];
    const char *coll = f[c[WL_COLL]], *comm = f[c[WL_COMM]], *dt = f[c[WL_DTYPE]];
    const char *sk = f[c[WL_SKEW]];
    const cr_coll_ops_t *ops;
    if (step) {
        if (strcmp(coll, "step") || *comm || *dt || *sk) {
            snprintf(why, wl, "the step row must have collective 'step' and empty comm, dtype "
                     "and skew (found '%s')", cr_name_show(coll, shown, sizeof shown));
            return -1;
        }
        strcpy(r->collective, "step");
    } else {
        size_t k = 0;
        if (!(ops = cr_coll_find(coll)) || cr_coll_is_probe(ops)) {
            snprintf(why, wl, "column collective: '%s' is not a collective a workload can "
                     "call (this collroof-fit knows %s; probes are not)",
                     cr_name_show(coll, shown, sizeof shown), cr_coll_names(known, sizeof known));
            return -1;
        }
        strcpy(r->collective, ops->name);
        while (cr_fit_wl_comms[k] && strcmp(cr_fit_wl_comms[k], comm)) k++;
        if (!cr_fit_wl_comms[k]) {
            snprintf(why, wl, "column comm: '%s' is not world, node, rail, tp or dp",
                     cr_name_show(comm, shown, sizeof shown));
            return -1;
        }
        strcpy(r->comm, comm);
        if (*dt && (!cr_fit_wl_plain(dt, CR_NAME_LEN) || !cr_dtype_find(dt))) {
            snprintf(why, wl, "column dtype: '%s' is not one collroof knows",
                     cr_name_show(dt, shown, sizeof shown));
            return -1;
        }
        strcpy(r->dtype, dt);
        if (*sk) {
            cr_skew_t parsed;
            char err[160];
            cr_skew_default(&parsed);
            if (strcmp(r->collective, "alltoallv")) {
                snprintf(why, wl, "column skew: '%s' on collective %s (only alltoallv is "
                         "routed by a skew)", cr_name_show(sk, shown, sizeof shown), r->collective);
                return -1;
            }
            if (strlen(sk) >= CR_NAME_LEN || cr_skew_parse(sk, &parsed, err, sizeof err) != CR_OK) {
                snprintf(why, wl, "column skew: '%s' is not uniform, zipf:S or hot:F:K",
                         cr_name_show(sk, shown, sizeof shown));
                return -1;
            }
            strcpy(r->skew, sk);
        }
    }
    if (cr_valid_parse(f[c[WL_VALID]], &r->valid) != 0) {
        snprintf(why, wl, "column valid: '%s' is not pass, fail or skipped",
                 cr_name_show(f[c[WL_VALID]], shown, sizeof shown));
        return -1;
    }
    return 0;
}

/* One data row into r (and its run_id, workload name); -1 with why on a bad field. */
static int cr_fit_wl_row(char **f, const int *c, char *run, char *name, cr_fit_wl_row_t *r,
                         char *why, size_t wl)
{
    long long v;
    int step;
    memset(r, 0, sizeof *r);
    if (cr_fit_wl_name(run, CR_FIT_WL_NAME, f[c[WL_RUN]], "run_id", why, wl) ||
        cr_fit_wl_name(name, CR_FIT_WL_NAME, f[c[WL_NAME]], "workload", why, wl))
        return -1;
    step = !strcmp(f[c[WL_ROW]], "step");
    if (!step) {
        if (cr_fit_wl_int(f[c[WL_ROW]], "row", 1, CR_FIT_WL_MAXCALLS, &v, why, wl)) {
            snprintf(why + strlen(why), wl - strlen(why), "; or 'step'");
            return -1;
        }
        r->index = (int)v;
    }
    if (cr_fit_wl_names(f, c, step, r, why, wl)) return -1;
    if (cr_fit_wl_int(f[c[WL_RANKS]], "ranks", 1, 1LL << 24, &v, why, wl)) return -1;
    r->ranks = (int)v;
    if (cr_fit_wl_int(f[c[WL_GROUPS]], "groups", 1, 1LL << 24, &v, why, wl)) return -1;
    r->groups = (int)v;
    if (cr_fit_wl_int(f[c[WL_BYTES]], "bytes", step ? 0 : 1, INT64_MAX, &v, why, wl)) return -1;
    r->bytes = (uint64_t)v;
    if (cr_fit_wl_int(f[c[WL_COUNT]], "count", 1, step ? 1 : 1000000, &v, why, wl))
        return -1;
    r->count = (long)v;
    if (cr_fit_wl_num(f[c[WL_GAP]], "gap_us", 0, step ? HUGE_VAL : 6e7, &r->gap_us, why, wl) ||
        cr_fit_wl_num(f[c[WL_TMED]], "t_median_us", 0, HUGE_VAL, &r->t_med, why, wl) ||
        cr_fit_wl_num(f[c[WL_TLO]], "t_ci_lo_us", 0, HUGE_VAL, &r->t_lo, why, wl) ||
        cr_fit_wl_num(f[c[WL_THI]], "t_ci_hi_us", 0, HUGE_VAL, &r->t_hi, why, wl) ||
        cr_fit_wl_num(f[c[WL_TCALL]], "t_call_us", 0, HUGE_VAL, &r->t_call, why, wl) ||
        cr_fit_wl_num(f[c[WL_ALGBW]], "algbw_GBps", 0, HUGE_VAL, &r->algbw, why, wl) ||
        cr_fit_wl_num(f[c[WL_BUSBW]], "busbw_GBps", 0, HUGE_VAL, &r->busbw, why, wl))
        return -1;
    if (c[WL_NODES] >= 0 && *f[c[WL_NODES]]) {
        if (cr_fit_wl_int(f[c[WL_NODES]], "nodes", 1, 1LL << 20, &v, why, wl)) return -1;
        r->nodes = (int)v;
    }
    if (c[WL_PPN] >= 0 && *f[c[WL_PPN]]) {
        if (cr_fit_wl_int(f[c[WL_PPN]], "ppn", 1, 1LL << 20, &v, why, wl)) return -1;
        r->ppn = (int)v;
    }
    if (c[WL_SAMPLES] >= 0 && *f[c[WL_SAMPLES]]) {
        if (cr_fit_wl_int(f[c[WL_SAMPLES]], "samples", 1, LONG_MAX, &v, why, wl)) return -1;
        r->samples = (long)v;
    }
    if (!(r->t_med > 0)) {
        snprintf(why, wl, "t_median_us must be > 0");
        return -1;
    }
    if (r->t_lo > r->t_med * (1 + 1e-6) || r->t_hi < r->t_med * (1 - 1e-6)) {
        snprintf(why, wl, "median CI [%g, %g] does not contain t_median_us %g", r->t_lo, r->t_hi,
                 r->t_med);
        return -1;
    }
    /* t_call_us = t_median_us / count, to the 4 decimals written */
    if (fabs(r->t_call * (double)r->count - r->t_med) >
        1e-6 * r->t_med + 1e-4 * (double)(r->count + 1)) {
        snprintf(why, wl, "t_call_us %g is not t_median_us / count = %g / %ld", r->t_call,
                 r->t_med, r->count);
        return -1;
    }
    return 0;
}

/* The workload of (run, name) in s, created on first sight; NULL out of memory. */
static cr_fit_wl_t *cr_fit_wl_of(cr_fit_wlset_t *s, const char *run, const char *name,
                                 const char *path)
{
    cr_fit_wl_t *w;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->wl[i].run_id, run) && !strcmp(s->wl[i].name, name)) return &s->wl[i];
    w = realloc(s->wl, (s->n + 1) * sizeof *w);
    if (!w) return NULL;
    s->wl = w;
    w = &s->wl[s->n++];
    memset(w, 0, sizeof *w);
    strcpy(w->run_id, run);
    strcpy(w->name, name);
    snprintf(w->source, sizeof w->source, "%s", path);
    return w;
}

/* Adds r to w: 1 when a row of that index was there already (dropped). */
static int cr_fit_wl_add(cr_fit_wl_t *w, const cr_fit_wl_row_t *r)
{
    size_t at = 0;
    cr_fit_wl_row_t *grown;
    if (r->index == 0) {
        if (w->has_step) return 1;
        w->step = *r;
        w->has_step = 1;
        return 0;
    }
    while (at < w->ncalls && w->calls[at].index < r->index) at++;
    if (at < w->ncalls && w->calls[at].index == r->index) return 1;
    if (!(grown = realloc(w->calls, (w->ncalls + 1) * sizeof *grown))) return -1;
    w->calls = grown;
    memmove(&w->calls[at + 1], &w->calls[at], (w->ncalls - at) * sizeof *grown);
    w->calls[at] = *r;
    w->ncalls++;
    return 0;
}

cr_status_t cr_fit_wl_read(const char *path, const cr_fit_read_opts_t *o, cr_fit_wlset_t *s)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, *fh[CR_FIT_WL_MAXF], *fd[CR_FIT_WL_MAXF], *hdr = NULL, why[512];
    char run[CR_FIT_WL_NAME], name[CR_FIT_WL_NAME];
    size_t cap = 0, nh, lineno = 1, first = s->n, dups = 0;
    int col[WL_NCOLS];
    long got;
    cr_status_t st = CR_OK;
    if (!f) {
        cr_error("cannot open %s: %s", path, strerror(errno));
        return CR_ERR_IO;
    }
    if ((got = cr_getline_max(&line, &cap, f, CR_FIT_LINE_MAX)) < 0) {
        cr_error("%s:1: %s", path, got == -2 ? "a line without an end: not a workload.csv"
                                             : "empty file (expected a workload.csv header)");
        st = CR_ERR_INVAL;
        goto out_with_file;
    }
    if (!(hdr = strdup(line))) {
        cr_error("out of memory reading %s", path);
        st = CR_ERR_NOMEM;
        goto out_with_file;
    }
    nh = cr_fit_wl_split(hdr, fh);
    if (nh > CR_FIT_WL_MAXF) {
        cr_error("%s:1: header has %zu columns, at most %d supported", path, nh, CR_FIT_WL_MAXF);
        st = CR_ERR_INVAL;
        goto out_with_file;
    }
    for (size_t i = 0; i < WL_NCOLS; i++) {
        col[i] = -1;
        for (size_t j = 0; j < nh && col[i] < 0; j++)
            if (!strcmp(fh[j], cr_fit_wl_cols[i])) col[i] = (int)j;   /* first wins */
        if (col[i] < 0 && i < CR_FIT_WL_NREQ) {
            cr_error("%s:1: header lacks the column '%s' (see docs/formats.md, workload.csv)",
                     path, cr_fit_wl_cols[i]);
            st = CR_ERR_INVAL;
            goto out_with_file;
        }
    }
    while ((got = cr_getline_max(&line, &cap, f, CR_FIT_LINE_MAX)) >= 0) {
        int torn = line[got - 1] != '\n', rc;
        cr_fit_wl_row_t r;
        cr_fit_wl_t *w;
        size_t n;
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0') continue;
        if ((n = cr_fit_wl_split(line, fd)) != nh) {
            snprintf(why, sizeof why, "expected %zu fields, found %zu (truncated or malformed "
                     "line)", nh, n);
            rc = -1;
        } else {
            rc = cr_fit_wl_row(fd, col, run, name, &r, why, sizeof why);
        }
        if (rc != 0) {
            CR_CHECK_GOTO(cr_fit_read_bad(o, path, lineno, torn, "%s", why), st, out_with_file);
            continue;
        }
        if (r.valid == CR_VALID_FAIL)
            cr_warn("%s:%zu: %s of workload %s failed validation; its time is shown, marked "
                    "fail", path, lineno, r.index ? r.collective : "the step", name);
        if (!(w = cr_fit_wl_of(s, run, name, path)) || (rc = cr_fit_wl_add(w, &r)) < 0) {
            cr_error("out of memory reading %s", path);
            st = CR_ERR_NOMEM;
            goto out_with_file;
        }
        if (rc == 1 && !dups++)
            cr_warn("%s:%zu: a second row %s of workload %s: the first kept, this one ignored",
                    path, lineno, fd[col[WL_ROW]], name);
    }
    if (got == -2) {
        cr_error("%s:%zu: a line without an end: not a workload.csv", path, lineno + 1);
        st = CR_ERR_INVAL;
        goto out_with_file;
    }
    if (dups > 1) cr_warn("%s: %zu duplicate rows ignored in all", path, dups);
    if (s->n == first) {
        cr_error("%s: no usable workload rows", path);
        st = CR_ERR_INVAL;
    }
    for (size_t i = first; i < s->n && st == CR_OK; i++)
        if (!s->wl[i].has_step) {
            cr_error("%s: workload %s (run %s) has call rows but no step row (row=step): the "
                     "file is cut short or not collroof's", path, s->wl[i].name, s->wl[i].run_id);
            st = CR_ERR_INVAL;
        }
out_with_file:
    free(hdr);
    free(line);
    fclose(f);
    return st;
}
