/* results.jsonl: line 1 the run's metadata, then one whole line per measurement with
 * the keys of the column schema (cr_schema_json.h) and, unless --no-raw, raw_us. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cr_schema_json.h"
#include "cr_writer.h"

#define CR_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

/* A line with raw samples is longer than stdio's buffer and would reach the file
 * in pieces; it is built whole and handed over at once (cr_writer_line). */
cr_status_t cr_writer_jsonl_dump(cr_writer_t *w, json_t *obj)
{
    char *text;
    cr_status_t st;
    if (!obj) {
        cr_error("cannot build a JSON line for %s", w->path);
        return CR_ERR_NOMEM;
    }
    text = json_dumps(obj, CR_JSON_FLAGS);
    json_decref(obj);
    CR_CHECK_ALLOC(text, 0);
    st = cr_writer_line(w, text);
    free(text);
    return st;
}

cr_status_t cr_writer_jsonl_begin(cr_writer_t *w, const json_t *meta)
{
    json_t *m = meta ? json_deep_copy(meta) : json_object();
    if (m) json_object_set_new(m, "type", json_string("metadata"));
    return cr_writer_jsonl_dump(w, m);
}

static cr_status_t cr_jsonl_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t n)
{
    json_t *obj = cr_schema_to_json(r);
    if (obj && w->raw && raw) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < n; i++) json_array_append_new(arr, json_real(raw[i]));
        json_object_set_new(obj, "raw_us", arr);
    }
    return cr_writer_jsonl_dump(w, obj);
}

const cr_writer_ops_t cr_writer_jsonl = {
    .name = "jsonl",
    .file = "results.jsonl",
    .begin = cr_writer_jsonl_begin,
    .row = cr_jsonl_row,
};
