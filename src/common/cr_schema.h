/* The columns of results.csv, which are also the keys of a results.jsonl
 * measurement, listed once: name, type, where the value lives in cr_result_t, its
 * CSV format and the values an input may hold. The CSV and JSONL writers and
 * collroof-fit's two readers are driven by this table; nothing else spells a
 * column out or knows its position (docs/formats.md). Pure. */
#ifndef CR_SCHEMA_H
#define CR_SCHEMA_H

#include <stddef.h>
#include <stdint.h>
#include "cr_result.h"

typedef enum cr_col_type {
    CR_COL_STR,    /* char[CR_NAME_LEN]; no commas (CSV fields are not quoted) */
    CR_COL_INT,    /* int */
    CR_COL_U64,    /* uint64_t */
    CR_COL_SIZE,   /* size_t */
    CR_COL_DBL,    /* double */
    CR_COL_ENUM,   /* an enum (int-sized), written by name from names[] */
} cr_col_type_t;

typedef struct cr_col {
    const char *name;           /* CSV header and JSON key */
    cr_col_type_t type;
    size_t off;                 /* offsetof(cr_result_t, member) */
    const char *fmt;            /* CSV printf format of one value (names: "%s") */
    int contract;               /* 1: the stable contract columns (docs/formats.md), in order, required in
                                   input; 0: appended after them, optional in input */
    double min;                 /* numbers: smallest value an input may hold; doubles with
                                   a finite min must also be finite */
    const char *const *names;   /* CR_COL_ENUM: value names, NULL-terminated */
    int empty;                  /* CR_COL_DBL: NAN means "not measured", written as an empty
                                   CSV field and a JSON null, read back as NAN */
} cr_col_t;

/* Room for a bit per column in a presence set (readers); a multiple of 64. */
#define CR_SCHEMA_MAX 128

/* Which columns of cr_schema an input held: bit i for cr_schema[i]. */
typedef struct cr_schema_set {
    uint64_t w[CR_SCHEMA_MAX / 64];
} cr_schema_set_t;

static inline void cr_schema_set_add(cr_schema_set_t *s, int i)
{
    if (i >= 0 && i < CR_SCHEMA_MAX) s->w[i / 64] |= UINT64_C(1) << (i % 64);
}

static inline int cr_schema_set_has(const cr_schema_set_t *s, int i)
{
    return i >= 0 && i < CR_SCHEMA_MAX && (s->w[i / 64] >> (i % 64) & 1);
}

/* Contract columns first, then the appended ones; cr_schema_n of them. */
extern const cr_col_t cr_schema[];
extern const size_t cr_schema_n;

/* Index of the column called name; -1 when there is none. */
int cr_schema_find(const char *name);

/* Column c of r as CSV text (no separator) into buf. Returns the length, or -1
 * when buf is too small. */
int cr_schema_format(const cr_col_t *c, const cr_result_t *r, char *buf, size_t len);
/* The same for a row of another table whose offsets point into r (workload.csv). */
int cr_schema_format_row(const cr_col_t *c, const void *r, char *buf, size_t len);

/* Parses CSV text into column c of r. Returns 0, or -1 with why = "column NAME:
 * 'TEXT' is not ..." naming the value and what is accepted. */
int cr_schema_parse(const cr_col_t *c, const char *text, cr_result_t *r, char *why, size_t wl);

/* 1 when s may be the value of a string column: printable ASCII, no ',' or '"'. */
int cr_schema_str_ok(const char *s);

/* "a, b or c": the names of an enum column, for messages. */
void cr_schema_names(const cr_col_t *c, char *buf, size_t len);

#endif
