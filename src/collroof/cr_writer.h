/* Output formats as ops tables, one file each (csv, jsonl, table). Pure: the file
 * formats hand each line whole to cr_writer_line (one write(2)), so finished rows
 * survive a crash and a full disk never leaves half a row. */
#ifndef CR_WRITER_H
#define CR_WRITER_H

#include <jansson.h>
#include <stdio.h>
#include "cr_error.h"
#include "cr_result.h"

typedef struct cr_writer cr_writer_t;
struct cr_wl_row;   /* a workload.csv row: cr_wl_schema.h */

typedef struct cr_writer_ops {
    const char *name;
    const char *file;   /* file name in the run directory; NULL = the stream given */
    /* Header / metadata line. meta may be NULL. */
    cr_status_t (*begin)(cr_writer_t *w, const json_t *meta);
    /* One finished measurement; raw = samples in µs in measurement order (may be NULL). */
    cr_status_t (*row)(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t nraw);
    /* One row of a workload replay (the workload formats set it, the others leave
     * it NULL); raw = its per-sample values in µs (may be NULL). */
    cr_status_t (*wl_row)(cr_writer_t *w, const struct cr_wl_row *r, const double *raw,
                          size_t nraw);
} cr_writer_ops_t;

struct cr_writer {
    const cr_writer_ops_t *ops;
    FILE *fp;
    int own_fp;         /* fclose on cr_writer_close */
    int raw;            /* write raw samples (jsonl) */
    int replace;        /* --overwrite: truncate an existing file (else it must be new) */
    int append;         /* --resume: append to the existing file, no header */
    char path[1100];    /* for error messages */
    long long row_start;    /* file offset where the last row began; -1: none or no file */
};

extern const cr_writer_ops_t cr_writer_csv;
extern const cr_writer_ops_t cr_writer_jsonl;
extern const cr_writer_ops_t cr_writer_table;
/* workload.csv, workload.jsonl and the step's table on stdout (--workload). */
extern const cr_writer_ops_t cr_writer_wl_csv;
extern const cr_writer_ops_t cr_writer_wl_jsonl;
extern const cr_writer_ops_t cr_writer_wl_table;

/* Open dir/ops->file (or use fp when ops->file is NULL) and call begin. */
cr_status_t cr_writer_open(cr_writer_t *w, const cr_writer_ops_t *ops, const char *dir,
                           FILE *fp, const json_t *meta);
/* Call row, then flush; an I/O error is reported once with the path. */
cr_status_t cr_writer_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t nraw);
/* The same for a workload row (ops->wl_row). */
cr_status_t cr_writer_wl_row(cr_writer_t *w, const struct cr_wl_row *r, const double *raw,
                             size_t nraw);
void cr_writer_close(cr_writer_t *w);

/* Write text plus a newline to the file in one write(2) after flushing what is
 * buffered, so that a run killed at any moment leaves whole lines only. A write
 * cut short (ENOSPC, EFBIG) is undone: the file is truncated back to where the
 * line began and the error reported once, naming the file. */
cr_status_t cr_writer_line(cr_writer_t *w, const char *text);

/* The JSONL formats (results.jsonl, workload.jsonl): obj (a new reference, taken;
 * NULL: a build that failed) written compactly as one whole line; and line 1, a copy
 * of meta with "type": "metadata" (an empty object for NULL meta). */
cr_status_t cr_writer_jsonl_dump(cr_writer_t *w, json_t *obj);
cr_status_t cr_writer_jsonl_begin(cr_writer_t *w, const json_t *meta);

/* Removes the last row written (after a later writer failed on it), so that the
 * run's files hold the same rows. */
void cr_writer_unrow(cr_writer_t *w);

#endif
