/* A result as a results.jsonl measurement and back, key by key through the column
 * schema (cr_schema.h). Pure; needs jansson. */
#ifndef CR_SCHEMA_JSON_H
#define CR_SCHEMA_JSON_H

#include <jansson.h>
#include "cr_schema.h"

/* {"type":"measurement", then every column in schema order} (new reference);
 * NULL when a value cannot be represented (a non-finite double) or memory ran out. */
json_t *cr_schema_to_json(const cr_result_t *r);

/* Every column of cols[n] of a row of another table (workload.jsonl), in order;
 * NULL as cr_schema_to_json. */
json_t *cr_schema_row_json(const cr_col_t *cols, size_t n, const void *row);
/* Sets column c of r from the JSON value v. Returns 0, or -1 with why = "key
 * 'NAME' ..." naming what is accepted. */
int cr_schema_from_json(const cr_col_t *c, const json_t *v, cr_result_t *r, char *why,
                        size_t wl);

#endif
