/* results.jsonl reader (jansson, one json_loads per line). Line 1: metadata; then
 * measurements whose keys are read through the column schema (cr_schema_json.h). */
#include "config.h"

#include "fit_read.h"
#include "cr_fs.h"
#include "cr_schema_json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int cr_fit_j_raw(json_t *o, cr_fit_row_t *r, char *why, size_t wl)
{
    json_t *a = json_object_get(o, "raw_us"), *v;
    size_t i;
    if (!a || json_is_null(a)) return 1;
    if (!json_is_array(a)) { snprintf(why, wl, "key 'raw_us' must be an array"); return 0; }
    if (json_array_size(a) == 0) return 1;
    r->raw = malloc(json_array_size(a) * sizeof *r->raw);
    if (!r->raw) { snprintf(why, wl, "out of memory for raw_us"); return 0; }
    json_array_foreach(a, i, v) {
        if (!json_is_number(v)) {
            snprintf(why, wl, "raw_us[%zu] is not a number", i);
            return 0;
        }
        r->raw[i] = json_number_value(v);
    }
    r->nraw = json_array_size(a);
    cr_fit_sort(r->raw, r->nraw);   /* cr_fit_row_check compares its median */
    return 1;
}

/* Reads every schema key the line has (cr_schema_json.h), then raw_us. */
static int cr_fit_j_row(json_t *o, cr_fit_row_t *r, char *why, size_t wl)
{
    cr_result_t res;
    cr_schema_set_t present = {{0}};
    memset(&res, 0, sizeof res);
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < cr_schema_n; i++) {
        json_t *v = json_object_get(o, cr_schema[i].name);
        if (!v) continue;
        if (cr_schema_from_json(&cr_schema[i], v, &res, why, wl) != 0) return 0;
        cr_schema_set_add(&present, (int)i);
    }
    if (cr_fit_row_from_result(&res, &present, r, why, wl) != 0) return 0;
    return cr_fit_j_raw(o, r, why, wl);
}

/* min over hosts of the fastest device (nominal), min over entries (memcpy). */
static void cr_fit_j_ceilings(json_t *meta, cr_fit_ceilings_t *c)
{
    json_t *ce = json_object_get(meta, "ceilings"), *arr, *e;
    size_t i, j;
    if (!json_is_object(ce)) return;
    arr = json_object_get(ce, "nominal");
    if (json_is_array(arr)) {
        double best = 0;
        json_array_foreach(arr, i, e) {
            json_t *h = json_object_get(e, "host"), *g = json_object_get(e, "GBps");
            double host_max = 0;
            if (!json_is_number(g) || json_number_value(g) <= 0) continue;
            /* fastest device of this host */
            json_t *e2;
            json_array_foreach(arr, j, e2) {
                json_t *h2 = json_object_get(e2, "host"), *g2 = json_object_get(e2, "GBps");
                if (json_is_number(g2) && json_equal(h, h2) && json_number_value(g2) > host_max)
                    host_max = json_number_value(g2);
            }
            if (best == 0 || host_max < best) best = host_max;
        }
        c->nominal_GBps = best;
    }
    arr = json_object_get(ce, "memcpy");
    if (json_is_array(arr)) {
        json_array_foreach(arr, i, e) {
            json_t *g = json_object_get(e, "GBps");
            double v = json_is_number(g) ? json_number_value(g) : 0;
            if (v > 0 && (c->memcpy_GBps == 0 || v < c->memcpy_GBps)) c->memcpy_GBps = v;
        }
    }
}

/* Merges the ceilings of several runs: the smallest known value wins. */
static void cr_fit_ceil_merge(cr_fit_ceilings_t *dst, const cr_fit_ceilings_t *src)
{
    if (src->nominal_GBps > 0 && (dst->nominal_GBps == 0 || src->nominal_GBps < dst->nominal_GBps))
        dst->nominal_GBps = src->nominal_GBps;
    if (src->memcpy_GBps > 0 && (dst->memcpy_GBps == 0 || src->memcpy_GBps < dst->memcpy_GBps))
        dst->memcpy_GBps = src->memcpy_GBps;
}

cr_status_t cr_fit_read_jsonl(FILE *f, const char *name, const cr_fit_read_opts_t *o,
                              cr_fit_set_t *set)
{
    long got;
    char *line = NULL, why[256];
    size_t cap = 0, lineno = 0, rows = 0;
    cr_status_t st = CR_OK;
    cr_fit_dups_t dups = { 0 };
    cr_fit_row_t r;
    while ((got = cr_getline_max(&line, &cap, f, CR_FIT_LINE_MAX)) >= 0) {
        /* the last line, cut short before its newline: ignored when it does not parse */
        int torn = line[got - 1] != '\n';
        json_error_t jerr;
        json_t *o_line, *type;
        const char *bad;
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0') continue;
        o_line = json_loads(line, JSON_DECODE_ANY, &jerr);
        if (!o_line || !json_is_object(o_line)) {
            json_decref(o_line);
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, torn, "not a JSON object (%s, column "
                                          "%d; truncated line?)", o_line ? "wrong type" : jerr.text,
                                          jerr.column), st, out_with_dups);
            continue;
        }
        type = json_object_get(o_line, "type");
        if (json_is_string(type) && !strcmp(json_string_value(type), "metadata")) {
            cr_fit_ceilings_t c = { 0, 0 };
            cr_fit_j_ceilings(o_line, &c);
            cr_fit_ceil_merge(&set->ceil, &c);
            json_decref(o_line);
            continue;
        }
        if (!json_is_string(type) || strcmp(json_string_value(type), "measurement")) {
            json_decref(o_line);
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, torn, "key 'type' must be \"metadata\" "
                                          "or \"measurement\""), st, out_with_dups);
            continue;
        }
        if (!cr_fit_j_row(o_line, &r, why, sizeof why) ||
            ((bad = cr_fit_row_check(&r, why, sizeof why)) != NULL &&
             (bad == why || snprintf(why, sizeof why, "%s", bad) >= 0))) {
            json_decref(o_line);
            free(r.raw);
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, torn, "%s", why), st, out_with_dups);
            continue;
        }
        json_decref(o_line);
        if (r.valid == CR_VALID_FAIL) {
            cr_warn("%s:%zu: measurement failed validation; row not fitted", name, lineno);
            free(r.raw);
            continue;
        }
        switch (cr_fit_dups_seen(&dups, &r, lineno)) {
        case 1: free(r.raw); continue;
        case 0: break;
        default:
            free(r.raw);
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
        cr_error("%s: no usable measurement lines", name);
        st = CR_ERR_INVAL;
    }
out_with_dups:
    cr_fit_dups_done(&dups, name);
    free(line);
    return st;
}
