/* results.jsonl: line 1 the run's metadata, then one whole line per measurement. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cr_writer.h"

#define CR_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

json_t *cr_result_to_json(const cr_result_t *r)
{
    const cr_stats_t *t = &r->t;
    return json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:I,s:I,s:s,s:I,s:s,"
        "s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:s,"
        "s:I,s:f,s:i,s:i,s:i,s:i,s:s,s:s,s:i,s:f}",
        "type", "measurement", "run_id", r->run_id, "collective", r->collective, "level",
        r->level, "cadence", r->cadence, "ranks", r->ranks, "nodes", r->nodes, "ppn", r->ppn,
        "groups", r->groups, "bytes", (json_int_t)r->bytes, "block_bytes",
        (json_int_t)r->block_bytes, "dtype", r->dtype, "samples", (json_int_t)t->n, "stop",
        cr_stop_str(r->stop), "t_min_us", t->min, "t_median_us", t->median, "t_ci_lo_us",
        t->ci_lo, "t_ci_hi_us", t->ci_hi, "t_mean_us", t->mean, "t_p90_us", t->p90, "t_p99_us",
        t->p99, "t_max_us", t->max, "algbw_GBps", r->algbw_GBps, "busbw_GBps", r->busbw_GBps,
        "valid", cr_valid_str(r->valid), "outliers", (json_int_t)t->outliers, "t_stddev_us",
        t->stddev, "in_place", r->in_place, "low_resolution", r->low_resolution, "warmup",
        r->warmup, "calls_per_sample", r->calls_per_sample, "mem", r->mem, "pages", r->pages,
        "cold_cache", r->cold, "faults_per_call", r->faults_per_call);
}

/* A line with raw samples is longer than stdio's buffer and would reach the file
 * in pieces; it is built whole and handed over at once (cr_writer_line). */
static cr_status_t cr_jsonl_dump(cr_writer_t *w, json_t *obj)
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

static cr_status_t cr_jsonl_begin(cr_writer_t *w, const json_t *meta)
{
    json_t *m = meta ? json_deep_copy(meta) : json_object();
    if (m) json_object_set_new(m, "type", json_string("metadata"));
    return cr_jsonl_dump(w, m);
}

static cr_status_t cr_jsonl_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t n)
{
    json_t *obj = cr_result_to_json(r);
    if (obj && w->raw && raw) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < n; i++) json_array_append_new(arr, json_real(raw[i]));
        json_object_set_new(obj, "raw_us", arr);
    }
    return cr_jsonl_dump(w, obj);
}

const cr_writer_ops_t cr_writer_jsonl = {
    .name = "jsonl",
    .file = "results.jsonl",
    .begin = cr_jsonl_begin,
    .row = cr_jsonl_row,
};
