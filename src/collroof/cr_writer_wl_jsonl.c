/* workload.jsonl: line 1 the run's metadata (with "workload": the file's path,
 * name and text), then one whole line per row: the keys of cr_wl_schema, with
 * "samples" the raw per-sample values in µs (its count, as in the CSV, under
 * --no-raw). */
#include "config.h"

#include "cr_schema_json.h"
#include "cr_wl_schema.h"
#include "cr_writer.h"

static cr_status_t cr_wl_jsonl_row(cr_writer_t *w, const cr_wl_row_t *r, const double *raw,
                                   size_t n)
{
    json_t *obj = cr_schema_row_json(cr_wl_schema, cr_wl_schema_n, r);
    if (obj && w->raw && raw) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < n; i++) json_array_append_new(arr, json_real(raw[i]));
        json_object_set_new(obj, "samples", arr);
    }
    return cr_writer_jsonl_dump(w, obj);
}

const cr_writer_ops_t cr_writer_wl_jsonl = {
    .name = "workload-jsonl",
    .file = "workload.jsonl",
    .begin = cr_writer_jsonl_begin,
    .wl_row = cr_wl_jsonl_row,
};
