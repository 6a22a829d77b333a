/* results.csv reader: columns found by header name; contract columns required. */
#include "config.h"

#include "fit_read.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const cr_fit_csv_contract[] = {
    "run_id", "collective", "level", "cadence", "ranks", "nodes", "ppn", "groups",
    "bytes", "block_bytes", "dtype", "samples", "stop", "t_min_us", "t_median_us",
    "t_ci_lo_us", "t_ci_hi_us", "t_mean_us", "t_p90_us", "t_p99_us", "t_max_us",
    "algbw_GBps", "busbw_GBps", "valid",
};
#define CR_FIT_NCONTRACT (sizeof cr_fit_csv_contract / sizeof *cr_fit_csv_contract)

enum { C_COLL = 1, C_LEVEL, C_CAD, C_RANKS, C_NODES, C_PPN, C_BYTES = 8, C_TMED = 14,
       C_TLO, C_THI, C_ALG = 21, C_BUS, C_VALID };

#define CR_FIT_MAXCOLS 256

/* Splits line in place on ','; returns the field count (capped). */
static size_t cr_fit_csv_split(char *line, char **fld, size_t max)
{
    size_t n = 0;
    char *p = line;
    line[strcspn(line, "\r\n")] = '\0';
    for (;;) {
        char *c = strchr(p, ',');
        if (n < max) fld[n] = p;
        n++;
        if (!c) break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static int cr_fit_parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return *s && !*end && errno != ERANGE;
}

static int cr_fit_parse_int(const char *s, long long lo, long long *out)
{
    char *end;
    errno = 0;
    *out = strtoll(s, &end, 10);
    return *s && !*end && errno != ERANGE && *out >= lo;
}

static int cr_fit_copy_name(char *dst, const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= CR_NAME_LEN) return 0;
    memcpy(dst, s, n + 1);
    return 1;
}

/* Parses one data row into r; on failure *why names the column. col[CR_FIT_NCONTRACT]
 * is the optional faults_per_call column (-1 when the file has none). */
static int cr_fit_csv_row(char **f, const int *col, cr_fit_row_t *r, char *why, size_t wl)
{
    static const int dcols[] = { C_TMED, C_TLO, C_THI, C_ALG, C_BUS };
    double *dst[] = { &r->t_med, &r->t_lo, &r->t_hi, &r->algbw, &r->busbw };
    long long v[3];
    static const int icols[] = { C_RANKS, C_NODES, C_PPN };
    memset(r, 0, sizeof *r);
    if (!cr_fit_copy_name(r->collective, f[col[C_COLL]]) ||
        !cr_fit_copy_name(r->level, f[col[C_LEVEL]]) ||
        !cr_fit_copy_name(r->cadence, f[col[C_CAD]])) {
        snprintf(why, wl, "collective/level/cadence must be non-empty names under %d chars",
                 CR_NAME_LEN);
        return 0;
    }
    for (int i = 0; i < 3; i++)
        if (!cr_fit_parse_int(f[col[icols[i]]], 0, &v[i]) || v[i] > 1 << 30) {
            snprintf(why, wl, "column %s: '%s' is not a non-negative integer",
                     cr_fit_csv_contract[icols[i]], f[col[icols[i]]]);
            return 0;
        }
    r->ranks = (int)v[0];
    r->nodes = (int)v[1];
    r->ppn = (int)v[2];
    if (!cr_fit_parse_int(f[col[C_BYTES]], 1, &v[0])) {
        snprintf(why, wl, "column bytes: '%s' is not a positive integer", f[col[C_BYTES]]);
        return 0;
    }
    r->bytes = (uint64_t)v[0];
    for (int i = 0; i < 5; i++)
        if (!cr_fit_parse_double(f[col[dcols[i]]], dst[i]) || !isfinite(*dst[i])) {
            snprintf(why, wl, "column %s: '%s' is not a finite number",
                     cr_fit_csv_contract[dcols[i]], f[col[dcols[i]]]);
            return 0;
        }
    if (cr_valid_parse(f[col[C_VALID]], &r->valid) != 0) {
        snprintf(why, wl, "column valid: '%s' is not pass, fail or skipped", f[col[C_VALID]]);
        return 0;
    }
    r->faults = NAN;
    if (col[CR_FIT_NCONTRACT] >= 0 &&
        (!cr_fit_parse_double(f[col[CR_FIT_NCONTRACT]], &r->faults) || !(r->faults >= 0) ||
         !isfinite(r->faults))) {
        snprintf(why, wl, "column faults_per_call: '%s' is not a number >= 0",
                 f[col[CR_FIT_NCONTRACT]]);
        return 0;
    }
    return 1;
}

static cr_status_t cr_fit_csv_header(char *line, const char *name, int *col, size_t *ncols)
{
    char *fld[CR_FIT_MAXCOLS];
    size_t n = cr_fit_csv_split(line, fld, CR_FIT_MAXCOLS);
    if (n > CR_FIT_MAXCOLS) {
        cr_error("%s:1: header has %zu columns, at most %d supported", name, n, CR_FIT_MAXCOLS);
        return CR_ERR_INVAL;
    }
    for (size_t c = 0; c < CR_FIT_NCONTRACT; c++) {
        col[c] = -1;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(fld[i], cr_fit_csv_contract[c])) { col[c] = (int)i; break; }
        if (col[c] < 0) {
            cr_error("%s:1: header lacks the contract column '%s' (see docs/formats.md)", name,
                     cr_fit_csv_contract[c]);
            return CR_ERR_INVAL;
        }
    }
    col[CR_FIT_NCONTRACT] = -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fld[i], "faults_per_call")) col[CR_FIT_NCONTRACT] = (int)i;
    *ncols = n;
    return CR_OK;
}

cr_status_t cr_fit_read_csv(FILE *f, const char *name, const cr_fit_read_opts_t *o,
                            cr_fit_set_t *set)
{
    char *line = NULL, *fld[CR_FIT_MAXCOLS], why[256];
    size_t cap = 0, lineno = 1, ncols = 0, rows = 0;
    int col[CR_FIT_NCONTRACT + 1];
    cr_status_t st = CR_OK;
    cr_fit_row_t r;
    if (getline(&line, &cap, f) < 0) {
        free(line);
        cr_error("%s:1: empty file (expected a results.csv header)", name);
        return CR_ERR_INVAL;
    }
    CR_CHECK_GOTO(cr_fit_csv_header(line, name, col, &ncols), st, out_with_line);
    while (getline(&line, &cap, f) >= 0) {
        size_t n;
        const char *bad;
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0') continue;
        n = cr_fit_csv_split(line, fld, CR_FIT_MAXCOLS);
        if (n != ncols) {
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, "expected %zu fields, found %zu "
                                          "(truncated or malformed line)", ncols, n),
                          st, out_with_line);
            continue;
        }
        if (!cr_fit_csv_row(fld, col, &r, why, sizeof why)) {
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, "%s", why), st, out_with_line);
            continue;
        }
        if ((bad = cr_fit_row_check(&r, why, sizeof why)) != NULL) {
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, "%s", bad), st, out_with_line);
            continue;
        }
        if (r.valid == CR_VALID_FAIL) {
            cr_warn("%s:%zu: measurement failed validation; row not fitted", name, lineno);
            continue;
        }
        CR_CHECK_GOTO(cr_fit_set_add(set, &r), st, out_with_line);
        rows++;
    }
    if (rows == 0) {
        cr_error("%s: no usable measurement rows", name);
        st = CR_ERR_INVAL;
    }
out_with_line:
    free(line);
    return st;
}
