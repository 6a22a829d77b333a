/* Readers for collroof runs: results.jsonl (with raw samples) and results.csv. */
#ifndef FIT_READ_H
#define FIT_READ_H

/* The longest line a results file may hold (a JSONL line with 20 million raw
 * samples); a longer one is an error, not a reason to run out of memory. */
#define CR_FIT_LINE_MAX ((size_t)256 << 20)

#include <stdint.h>
#include <stdio.h>
#include "fit_data.h"
#include "cr_schema.h"

typedef struct cr_fit_read_opts {
    int lenient;   /* skip malformed rows with a warning instead of failing */
} cr_fit_read_opts_t;

/* A run directory (results.jsonl preferred, else results.csv) or a file
 * (format from its first character: '{' is JSONL). Rows go into set. */
cr_status_t cr_fit_read_path(const char *path, const cr_fit_read_opts_t *o, cr_fit_set_t *set);

cr_status_t cr_fit_read_csv(FILE *f, const char *name, const cr_fit_read_opts_t *o,
                            cr_fit_set_t *set);
cr_status_t cr_fit_read_jsonl(FILE *f, const char *name, const cr_fit_read_opts_t *o,
                              cr_fit_set_t *set);

/* Shared by both readers: the fit's view of a result parsed through the column
 * schema. present holds column i when cr_schema[i] was read; the columns collroof-fit
 * needs must be there, the others take defaults (faults NAN, in_place 0, variant
 * blocking, dtype "" when absent). Returns 0,
 * or -1 with why = "missing key 'NAME'". */
int cr_fit_row_from_result(const cr_result_t *res, const cr_schema_set_t *present,
                           cr_fit_row_t *row, char *why, size_t wl);

/* Shared by both readers: range checks of one parsed row (raw, if any, sorted
 * ascending; t_median_us must match its median). Returns NULL when
 * the row is acceptable, else a message naming the bad field (static, or
 * written into why). */
const char *cr_fit_row_check(const cr_fit_row_t *row, char *why, size_t wl);

/* How far t_median_us may lie outside the two middle raw_us samples (relative):
 * their median under any convention, with room for a producer's own estimator. */
#define CR_FIT_RAW_MEDIAN_TOL 0.05

/* Reports a bad row: error (returns CR_ERR_INVAL) or, lenient, a warning
 * (returns CR_OK, the caller skips the row). torn: the row is the file's last line
 * and has no newline, a write cut short (a full disk): always a warning, the row
 * ignored (docs/formats.md, "What the readers reject"). */
cr_status_t cr_fit_read_bad(const cr_fit_read_opts_t *o, const char *name, size_t line,
                            int torn, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Rows of one file seen so far, by their key: run_id, collective, level, cadence,
 * dtype, in_place, variant, skew, ranks, nodes, ppn, bytes. */
typedef struct cr_fit_dups {
    char **slot;          /* open addressing; NULL = free */
    size_t cap, n;
    size_t count;         /* rows dropped as duplicates */
    size_t first_line;    /* line of the first one dropped */
} cr_fit_dups_t;

/* 1 when a row with r's key was seen before in this file (counted: the caller
 * drops it, the first is kept), else 0 and r's key remembered; -1: out of memory. */
int cr_fit_dups_seen(cr_fit_dups_t *d, const cr_fit_row_t *r, size_t line);
/* One warning for the file when it held duplicates; frees d. */
void cr_fit_dups_done(cr_fit_dups_t *d, const char *name);

#endif
