/* Readers for collroof runs: results.jsonl (with raw samples) and results.csv. */
#ifndef FIT_READ_H
#define FIT_READ_H

/* The longest line a results file may hold (a JSONL line with 20 million raw
 * samples); a longer one is an error, not a reason to run out of memory. */
#define CR_FIT_LINE_MAX ((size_t)256 << 20)

#include <stdint.h>
#include <stdio.h>
#include "fit_data.h"

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
 * schema. present has bit i set when cr_schema[i] was read; the columns collroof-fit
 * needs must be there, the others take defaults (faults NAN, in_place 0, variant
 * blocking, dtype "" when absent). Returns 0,
 * or -1 with why = "missing key 'NAME'". */
int cr_fit_row_from_result(const cr_result_t *res, uint64_t present, cr_fit_row_t *row,
                           char *why, size_t wl);

/* Shared by both readers: range checks of one parsed row. Returns NULL when
 * the row is acceptable, else a message naming the bad field (static, or
 * written into why). */
const char *cr_fit_row_check(const cr_fit_row_t *row, char *why, size_t wl);

/* Reports a bad row: error (returns CR_ERR_INVAL) or, lenient, a warning
 * (returns CR_OK, the caller skips the row). */
cr_status_t cr_fit_read_bad(const cr_fit_read_opts_t *o, const char *name, size_t line,
                            const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
