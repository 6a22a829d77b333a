/* Reads fit.csv and scaling.csv back for predict (columns by header name). */
#include "config.h"

#include "fit_predict.h"
#include "cr_fs.h"
#include "cr_num.h"
#include "fit_read.h"
#include "cr_skew.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CR_FIT_MAXF 64

static size_t cr_fit_split(char *line, char **f)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line;; n++) {
        char *c = strchr(p, ',');
        if (n < CR_FIT_MAXF) f[n] = p;
        if (!c) return n + 1;
        *c = '\0';
        p = c + 1;
    }
}

static int cr_fit_col(char **hdr, size_t nh, const char *name)
{
    for (size_t i = 0; i < nh && i < CR_FIT_MAXF; i++)
        if (!strcmp(hdr[i], name)) return (int)i;
    return -1;
}

/* A number of a collroof-fit file: a plain decimal, "inf" or "-inf" (r_inf when the
 * slope is <= 0), or empty (NAN: not known). Anything else is refused, naming it. */
static int cr_fit_num(const char *s, const char *col, double *out, char *why, size_t wl)
{
    const char *bad;
    char shown[64];
    if (!*s) *out = NAN;
    else if (!strcmp(s, "inf")) *out = INFINITY;
    else if (!strcmp(s, "-inf")) *out = -INFINITY;
    else if ((bad = cr_num_double(s, out)) != NULL) {
        snprintf(why, wl, "column %s: '%s' is not a number (%s; collroof-fit writes decimals, "
                 "inf or an empty field)", col, cr_name_show(s, shown, sizeof shown), bad);
        return -1;
    }
    return 0;
}

/* An integer column: a plain decimal from min to INT_MAX. */
static int cr_fit_int(const char *s, const char *col, long long min, int *out, char *why,
                      size_t wl)
{
    long long v;
    const char *bad = cr_num_int(s, &v);
    char shown[64];
    if (bad || v < min || v > INT_MAX) {
        snprintf(why, wl, "column %s: '%s' is not an integer >= %lld%s%s%s", col,
                 cr_name_show(s, shown, sizeof shown), min, bad ? " (" : "", bad ? bad : "",
                 bad ? ")" : "");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Calls row(fields, cols, ctx, why) for each data line of path; cols[] maps names,
 * the first nreq required, the others -1 when the file has none (older files). row
 * returns 0 (taken), -1 (malformed, why says how: the file is refused) or 1
 * (well-formed but of no use for predictions: skipped with a warning). A last line
 * without a newline that is malformed is a write cut short: ignored, with a warning. */
typedef int (*cr_fit_row_fn)(char **f, const int *col, void *ctx, char *why, size_t wl);

static cr_status_t cr_fit_csv_each(const char *path, const char *const *names, size_t nn,
                                   size_t nreq, cr_fit_row_fn fn, void *ctx, int required)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, *hdr = NULL, *fh[CR_FIT_MAXF], *fd[CR_FIT_MAXF], why[512];
    size_t cap = 0, nh, lineno = 1;
    int col[32];
    long got;
    cr_status_t st = CR_OK;
    if (!f) {
        if (!required) return CR_OK;
        cr_error("cannot open %s: %s (run collroof-fit on the runs first)", path, strerror(errno));
        return CR_ERR_IO;
    }
    if ((got = cr_getline_max(&line, &cap, f, CR_FIT_LINE_MAX)) < 0) {
        cr_error("%s:1: %s", path, got == -2 ? "a line without an end: not a collroof-fit file"
                                             : "empty file");
        st = CR_ERR_INVAL;
        goto out_with_file;
    }
    hdr = strdup(line);
    if (!hdr) {
        cr_error("out of memory reading %s", path);
        st = CR_ERR_NOMEM;
        goto out_with_file;
    }
    nh = cr_fit_split(hdr, fh);
    for (size_t i = 0; i < nn; i++)
        if ((col[i] = cr_fit_col(fh, nh, names[i])) < 0 && i < nreq) {
            cr_error("%s:1: missing column '%s'", path, names[i]);
            st = CR_ERR_INVAL;
            goto out_with_file;
        }
    while ((got = cr_getline_max(&line, &cap, f, CR_FIT_LINE_MAX)) >= 0) {
        int torn = line[got - 1] != '\n', rc;
        size_t n;
        lineno++;
        if ((n = cr_fit_split(line, fd)) != nh) {
            snprintf(why, sizeof why, "expected %zu fields as in the header, found %zu", nh, n);
            rc = -1;
        } else {
            rc = fn(fd, col, ctx, why, sizeof why);
        }
        if (rc > 0) {
            cr_warn("%s:%zu: skipped: a group with F = 0 (one rank per group: nothing is "
                    "communicated) cannot scale to other rank counts", path, lineno);
            continue;
        }
        if (rc != 0 && torn) {
            cr_warn("%s:%zu: torn last line ignored: no newline at its end and %s (a write "
                    "cut short, e.g. by a full disk)", path, lineno, why);
            continue;
        }
        if (rc != 0) {
            cr_error("%s:%zu: malformed row: %s", path, lineno, why);
            st = CR_ERR_INVAL;
            break;
        }
    }
    if (st == CR_OK && got == -2) {
        cr_error("%s:%zu: a line without an end: not a collroof-fit file", path, lineno + 1);
        st = CR_ERR_INVAL;
    }
out_with_file:
    free(hdr);
    free(line);
    fclose(f);
    return st;
}

static const char *const cr_fit_fit_cols[] = {
    "collective", "level", "cadence", "ranks", "segment", "bytes_lo", "bytes_hi", "alpha_us",
    "alpha_lo_us", "alpha_hi_us", "rinf_GBps", "rinf_lo_GBps", "rinf_hi_GBps",
    "busbw_ceiling_GBps", "F", "link_ceiling_GBps",
    "dtype", "in_place", "variant",   /* optional: older fit.csv files lack them */
    "nodes", "ppn",                   /* optional: absent reads as any topology */
    "rel_err_median",                 /* optional */
    "skew",                           /* optional: alltoallv's routing */
};
#define CR_FIT_FIT_NREQ 16

/* A name column: a plain identifier (letters, digits, '_', '.', '-'), as collroof-fit
 * writes them. */
static int cr_fit_name(char *dst, const char *s, const char *col, char *why, size_t wl)
{
    char shown[64];
    if (!cr_name_is_plain(s)) {
        snprintf(why, wl, "column %s: '%s' is not a plain name (1 to %d letters, digits, "
                 "'_', '.', '-')", col, cr_name_show(s, shown, sizeof shown), CR_NAME_LEN - 1);
        return -1;
    }
    strcpy(dst, s);
    return 0;
}

/* A skew column at c (-1: absent, ""): empty, or a routing cr_skew_parse takes. */
static int cr_fit_skew_col(char *dst, char **f, int c, char *why, size_t wl)
{
    cr_skew_t sk;
    char err[160], shown[64];
    dst[0] = '\0';
    if (c < 0 || !*f[c]) return 0;
    cr_skew_default(&sk);
    if (strlen(f[c]) >= CR_NAME_LEN || cr_skew_parse(f[c], &sk, err, sizeof err) != CR_OK) {
        snprintf(why, wl, "column skew: '%s' is not uniform, zipf:S or hot:F:K",
                 cr_name_show(f[c], shown, sizeof shown));
        return -1;
    }
    strcpy(dst, f[c]);
    return 0;
}

/* collective, level, cadence at columns c[0..2]. */
static int cr_fit_names3(char **f, const int *c, char *coll, char *lv, char *cad, char *why,
                         size_t wl)
{
    return cr_fit_name(coll, f[c[0]], "collective", why, wl) ||
           cr_fit_name(lv, f[c[1]], "level", why, wl) ||
           cr_fit_name(cad, f[c[2]], "cadence", why, wl) ? -1 : 0;
}

/* dtype, in_place, variant at columns c[0..2] (-1: absent, the defaults). */
static int cr_fit_key_rest(char **f, const int *c, char *dtype, int *in_place,
                           cr_variant_t *variant, char *why, size_t wl)
{
    char shown[64];
    dtype[0] = '\0';
    *in_place = 0;
    *variant = CR_VARIANT_BLOCKING;
    if (c[0] >= 0 && *f[c[0]] && cr_fit_name(dtype, f[c[0]], "dtype", why, wl)) return -1;
    if (c[1] >= 0 && strcmp(f[c[1]], "0") && strcmp(f[c[1]], "1")) {
        snprintf(why, wl, "column in_place: '%s' is not 0 or 1",
                 cr_name_show(f[c[1]], shown, sizeof shown));
        return -1;
    }
    if (c[1] >= 0) *in_place = f[c[1]][0] == '1';
    if (c[2] >= 0 && cr_variant_parse(f[c[2]], variant) != 0) {
        snprintf(why, wl, "column variant: '%s' is not blocking or nonblocking",
                 cr_name_show(f[c[2]], shown, sizeof shown));
        return -1;
    }
    return 0;
}

/* nodes, ppn at columns c[0..1], when both are there and not empty. */
static int cr_fit_topo(char **f, const int *c, int *nodes, int *ppn, char *why, size_t wl)
{
    if (c[0] < 0 || c[1] < 0 || !*f[c[0]] || !*f[c[1]]) return 0;
    return cr_fit_int(f[c[0]], "nodes", 0, nodes, why, wl) ||
           cr_fit_int(f[c[1]], "ppn", 0, ppn, why, wl) ? -1 : 0;
}

static int cr_fit_fit_row(char **f, const int *c, void *ctx, char *why, size_t wl)
{
    cr_fit_model_t *m = ctx;
    cr_fit_model_row_t *r, *nr = realloc(m->rows, (m->n + 1) * sizeof *nr);
    double *d[16] = { NULL };
    if (!nr) {
        snprintf(why, wl, "out of memory");
        return -1;
    }
    m->rows = nr;
    r = &nr[m->n];
    memset(r, 0, sizeof *r);
    d[5] = &r->bytes_lo; d[6] = &r->bytes_hi; d[7] = &r->alpha; d[8] = &r->alpha_lo;
    d[9] = &r->alpha_hi; d[10] = &r->rinf; d[11] = &r->rinf_lo; d[12] = &r->rinf_hi;
    d[13] = &r->ceiling; d[14] = &r->F; d[15] = &r->link_GBps;
    if (cr_fit_names3(f, c, r->collective, r->level, r->cadence, why, wl) ||
        cr_fit_int(f[c[3]], "ranks", 1, &r->ranks, why, wl) ||
        cr_fit_int(f[c[4]], "segment", 1, &r->segment, why, wl))
        return -1;
    for (int i = 5; i < 16; i++)
        if (cr_fit_num(f[c[i]], cr_fit_fit_cols[i], d[i], why, wl)) return -1;
    if (isnan(r->link_GBps)) r->link_GBps = 0;
    if (cr_fit_key_rest(f, c + 16, r->dtype, &r->in_place, &r->variant, why, wl) ||
        cr_fit_topo(f, c + 19, &r->nodes, &r->ppn, why, wl))
        return -1;
    if (!r->nodes || !r->ppn) r->nodes = r->ppn = 0;   /* unknown: any topology */
    r->rel_err = NAN;
    if (c[21] >= 0 && cr_fit_num(f[c[21]], "rel_err_median", &r->rel_err, why, wl)) return -1;
    if (cr_fit_skew_col(r->skew, f, c[22], why, wl)) return -1;
    if (!(r->bytes_lo > 0) || !(r->bytes_hi >= r->bytes_lo) || !isfinite(r->bytes_hi)) {
        snprintf(why, wl, "bytes_lo '%s' and bytes_hi '%s' are not sizes with 0 < lo <= hi",
                 f[c[5]], f[c[6]]);
        return -1;
    }
    if (!isfinite(r->alpha)) {
        snprintf(why, wl, "column alpha_us: '%s' is not a finite number", f[c[7]]);
        return -1;
    }
    if (!(r->rinf > 0) || !(r->F >= 0) || !isfinite(r->F)) {
        snprintf(why, wl, "rinf_GBps '%s' must be > 0 and F '%s' finite and >= 0", f[c[10]],
                 f[c[14]]);
        return -1;
    }
    if (r->F == 0) return 1;  /* a reduction on one rank: F(1) = 0 */
    if (isnan(r->alpha_lo)) r->alpha_lo = r->alpha;
    if (isnan(r->alpha_hi)) r->alpha_hi = r->alpha;
    if (isnan(r->rinf_lo)) r->rinf_lo = r->rinf;
    if (isnan(r->rinf_hi)) r->rinf_hi = r->rinf;
    m->n++;
    return 0;
}

static const char *const cr_fit_scal_cols[] = {
    "collective", "level", "cadence", "shape", "lin_a_us", "lin_b_us", "log_a_us", "log_b_us",
    "dtype", "in_place", "variant",   /* optional, as in fit.csv */
    "skew",
};
#define CR_FIT_SCAL_NREQ 8

static int cr_fit_scal_row(char **f, const int *c, void *ctx, char *why, size_t wl)
{
    cr_fit_model_t *m = ctx;
    cr_fit_scaling_t *s, *ns = realloc(m->scal, (m->nscal + 1) * sizeof *ns);
    if (!ns) {
        snprintf(why, wl, "out of memory");
        return -1;
    }
    m->scal = ns;
    s = &ns[m->nscal];
    memset(s, 0, sizeof *s);
    if (cr_fit_names3(f, c, s->collective, s->level, s->cadence, why, wl)) return -1;
    s->shape = !strcmp(f[c[3]], "linear") ? "linear"
               : !strcmp(f[c[3]], "log2") ? "log2" : "undetermined";
    if (cr_fit_num(f[c[4]], "lin_a_us", &s->lin_a, why, wl) ||
        cr_fit_num(f[c[5]], "lin_b_us", &s->lin_b, why, wl) ||
        cr_fit_num(f[c[6]], "log_a_us", &s->log_a, why, wl) ||
        cr_fit_num(f[c[7]], "log_b_us", &s->log_b, why, wl) ||
        cr_fit_key_rest(f, c + 8, s->dtype, &s->in_place, &s->variant, why, wl) ||
        cr_fit_skew_col(s->skew, f, c[11], why, wl))
        return -1;
    m->nscal++;
    return 0;
}

static const char *const cr_fit_roof_cols[] = {
    "collective", "level", "cadence", "ranks", "bytes", "t_median_us",
    "dtype", "in_place", "variant", "nodes", "ppn",   /* optional, as in fit.csv */
    "skew",
};
#define CR_FIT_ROOF_NREQ 6

static int cr_fit_roof_row(char **f, const int *c, void *ctx, char *why, size_t wl)
{
    cr_fit_model_t *m = ctx;
    cr_fit_row_t r;
    long long bytes;
    const char *bad;
    memset(&r, 0, sizeof r);
    if (cr_fit_names3(f, c, r.collective, r.level, r.cadence, why, wl) ||
        cr_fit_int(f[c[3]], "ranks", 1, &r.ranks, why, wl) ||
        cr_fit_num(f[c[5]], "t_median_us", &r.t_med, why, wl))
        return -1;
    if ((bad = cr_num_int(f[c[4]], &bytes)) != NULL || bytes < 1) {
        char shown[64];
        snprintf(why, wl, "column bytes: '%s' is not a positive integer%s%s%s",
                 cr_name_show(f[c[4]], shown, sizeof shown), bad ? " (" : "", bad ? bad : "",
                 bad ? ")" : "");
        return -1;
    }
    if (!(r.t_med > 0) || !isfinite(r.t_med)) {
        snprintf(why, wl, "column t_median_us: '%s' is not a positive finite time", f[c[5]]);
        return -1;
    }
    r.bytes = (uint64_t)bytes;
    r.t_lo = r.t_hi = r.t_med;
    r.faults = NAN;
    if (cr_fit_key_rest(f, c + 6, r.dtype, &r.in_place, &r.variant, why, wl) ||
        cr_fit_topo(f, c + 9, &r.nodes, &r.ppn, why, wl) ||
        cr_fit_skew_col(r.skew, f, c[11], why, wl))
        return -1;
    r.imbalance = NAN;
    if (cr_fit_set_add(&m->pts, &r) != CR_OK) {
        snprintf(why, wl, "out of memory");
        return -1;
    }
    return 0;
}

cr_status_t cr_fit_model_load(const char *dir, cr_fit_model_t *m)
{
    char path[4096];
    cr_status_t st;
    memset(m, 0, sizeof *m);
    cr_fit_set_init(&m->pts);
    snprintf(path, sizeof path, "%s/fit.csv", dir);
    st = cr_fit_csv_each(path, cr_fit_fit_cols, sizeof cr_fit_fit_cols / sizeof *cr_fit_fit_cols,
                         CR_FIT_FIT_NREQ, cr_fit_fit_row, m, 1);
    if (st == CR_OK && m->n == 0) {
        cr_error("%s: no fitted segments", path);
        st = CR_ERR_INVAL;
    }
    if (st == CR_OK) {
        snprintf(path, sizeof path, "%s/scaling.csv", dir);
        st = cr_fit_csv_each(path, cr_fit_scal_cols,
                             sizeof cr_fit_scal_cols / sizeof *cr_fit_scal_cols, CR_FIT_SCAL_NREQ,
                             cr_fit_scal_row, m, 0);
    }
    if (st == CR_OK) {
        snprintf(path, sizeof path, "%s/roofline.csv", dir);
        st = cr_fit_csv_each(path, cr_fit_roof_cols,
                             sizeof cr_fit_roof_cols / sizeof *cr_fit_roof_cols, CR_FIT_ROOF_NREQ,
                             cr_fit_roof_row, m, 0);
    }
    if (st == CR_OK) {
        cr_fit_set_finish(&m->pts);
        st = cr_fit_pseries_build(&m->pts, &m->proj, &m->nproj);
    }
    if (st != CR_OK) cr_fit_model_free(m);
    return st;
}

void cr_fit_model_free(cr_fit_model_t *m)
{
    free(m->rows);
    free(m->scal);
    cr_fit_pseries_free(m->proj, m->nproj);
    cr_fit_set_free(&m->pts);
    memset(m, 0, sizeof *m);
}
