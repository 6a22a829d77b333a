/* results.csv reader: columns found by header name and parsed through the column
 * schema (cr_schema.h); contract columns required, appended ones optional. */
#include "config.h"

#include "fit_read.h"
#include "cr_fs.h"
#include "cr_schema.h"

#include <stdlib.h>
#include <string.h>

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

/* Parses the fields of one data row, each through its schema column (col[i]: the
 * schema index of field i, -1 for a column the schema does not know). */
static int cr_fit_csv_row(char **f, size_t n, const int *col, cr_fit_row_t *r, char *why,
                          size_t wl)
{
    cr_result_t res;
    cr_schema_set_t present = {{0}};
    memset(&res, 0, sizeof res);
    for (size_t i = 0; i < n; i++) {
        if (col[i] < 0) continue;
        if (cr_schema_parse(&cr_schema[col[i]], f[i], &res, why, wl) != 0) return 0;
        cr_schema_set_add(&present, col[i]);
    }
    return cr_fit_row_from_result(&res, &present, r, why, wl) == 0;
}

/* Maps header fields to schema columns; every contract column must be there. */
static cr_status_t cr_fit_csv_header(char *line, const char *name, int *col, size_t *ncols)
{
    char *fld[CR_FIT_MAXCOLS];
    size_t n = cr_fit_csv_split(line, fld, CR_FIT_MAXCOLS);
    uint64_t seen = 0;
    if (n > CR_FIT_MAXCOLS) {
        cr_error("%s:1: header has %zu columns, at most %d supported", name, n, CR_FIT_MAXCOLS);
        return CR_ERR_INVAL;
    }
    for (size_t i = 0; i < n; i++) {
        col[i] = cr_schema_find(fld[i]);
        if (col[i] >= 0 && (seen & (UINT64_C(1) << col[i]))) col[i] = -1;  /* first wins */
        if (col[i] >= 0) seen |= UINT64_C(1) << col[i];
    }
    for (size_t c = 0; c < cr_schema_n; c++)
        if (cr_schema[c].contract && !(seen & (UINT64_C(1) << c))) {
            cr_error("%s:1: header lacks the contract column '%s' (see docs/formats.md)", name,
                     cr_schema[c].name);
            return CR_ERR_INVAL;
        }
    *ncols = n;
    return CR_OK;
}

cr_status_t cr_fit_read_csv(FILE *f, const char *name, const cr_fit_read_opts_t *o,
                            cr_fit_set_t *set)
{
    long got;
    char *line = NULL, *fld[CR_FIT_MAXCOLS], why[256];
    size_t cap = 0, lineno = 1, ncols = 0, rows = 0;
    int col[CR_FIT_MAXCOLS];
    cr_status_t st = CR_OK;
    cr_fit_dups_t dups = { 0 };
    cr_fit_row_t r;
    if ((got = cr_getline_max(&line, &cap, f, CR_FIT_LINE_MAX)) < 0) {
        free(line);
        if (got == -2)
            cr_error("%s:1: a line of %d MiB or more without an end: not a results file",
                     name, (int)(CR_FIT_LINE_MAX >> 20));
        else
            cr_error("%s:1: empty file (expected a results.csv header)", name);
        return CR_ERR_INVAL;
    }
    CR_CHECK_GOTO(cr_fit_csv_header(line, name, col, &ncols), st, out_with_line);
    while ((got = cr_getline_max(&line, &cap, f, CR_FIT_LINE_MAX)) >= 0) {
        /* the last line, cut short before its newline: ignored when it does not parse */
        int torn = line[got - 1] != '\n';
        size_t n;
        const char *bad;
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0') continue;
        n = cr_fit_csv_split(line, fld, CR_FIT_MAXCOLS);
        if (n != ncols) {
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, torn, "expected %zu fields, found %zu "
                                          "(truncated or malformed line)", ncols, n),
                          st, out_with_dups);
            continue;
        }
        if (!cr_fit_csv_row(fld, n, col, &r, why, sizeof why)) {
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, torn, "%s", why), st, out_with_dups);
            continue;
        }
        if ((bad = cr_fit_row_check(&r, why, sizeof why)) != NULL) {
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, torn, "%s", bad), st, out_with_dups);
            continue;
        }
        if (r.valid == CR_VALID_FAIL) {
            cr_warn("%s:%zu: measurement failed validation; row not fitted", name, lineno);
            continue;
        }
        switch (cr_fit_dups_seen(&dups, &r, lineno)) {
        case 1: continue;
        case 0: break;
        default:
            cr_error("out of memory reading %s", name);
            st = CR_ERR_NOMEM;
            goto out_with_dups;
        }
        CR_CHECK_GOTO(cr_fit_set_add(set, &r), st, out_with_dups);
        rows++;
    }
    if (got == -2) {
        cr_error("%s:%zu: a line of %d MiB or more without an end: not a results file",
                 name, lineno + 1, (int)(CR_FIT_LINE_MAX >> 20));
        st = CR_ERR_INVAL;
        goto out_with_dups;
    }
    if (rows == 0) {
        cr_error("%s: no usable measurement rows", name);
        st = CR_ERR_INVAL;
    }
out_with_dups:
    cr_fit_dups_done(&dups, name);
out_with_line:
    free(line);
    return st;
}
