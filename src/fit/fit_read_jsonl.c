/* results.jsonl reader (jansson, one json_loads per line). Line 1: metadata. */
#include "config.h"

#include "fit_read.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cr_fit_j_name(json_t *o, const char *key, char *dst, char *why, size_t wl)
{
    json_t *v = json_object_get(o, key);
    const char *s;
    if (!v) { snprintf(why, wl, "missing key '%s'", key); return 0; }
    if (!json_is_string(v)) { snprintf(why, wl, "key '%s' must be a string", key); return 0; }
    s = json_string_value(v);
    if (!*s || strlen(s) >= CR_NAME_LEN || strchr(s, ',')) {
        snprintf(why, wl, "key '%s': '%.40s' is not a name (1-%d chars, no commas)", key, s,
                 CR_NAME_LEN - 1);
        return 0;
    }
    strcpy(dst, s);
    return 1;
}

static int cr_fit_j_num(json_t *o, const char *key, double *out, char *why, size_t wl)
{
    json_t *v = json_object_get(o, key);
    if (!v) { snprintf(why, wl, "missing key '%s'", key); return 0; }
    if (!json_is_number(v)) { snprintf(why, wl, "key '%s' must be a number", key); return 0; }
    *out = json_number_value(v);
    return 1;
}

static int cr_fit_j_int(json_t *o, const char *key, long long lo, long long *out, char *why,
                        size_t wl)
{
    json_t *v = json_object_get(o, key);
    if (!v) { snprintf(why, wl, "missing key '%s'", key); return 0; }
    if (!json_is_integer(v) || json_integer_value(v) < lo) {
        snprintf(why, wl, "key '%s' must be an integer >= %lld", key, lo);
        return 0;
    }
    *out = json_integer_value(v);
    return 1;
}

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
    return 1;
}

static int cr_fit_j_row(json_t *o, cr_fit_row_t *r, char *why, size_t wl)
{
    long long iv[4];
    json_t *v;
    memset(r, 0, sizeof *r);
    if (!cr_fit_j_name(o, "collective", r->collective, why, wl) ||
        !cr_fit_j_name(o, "level", r->level, why, wl) ||
        !cr_fit_j_name(o, "cadence", r->cadence, why, wl) ||
        !cr_fit_j_int(o, "ranks", 1, &iv[0], why, wl) ||
        !cr_fit_j_int(o, "nodes", 0, &iv[1], why, wl) ||
        !cr_fit_j_int(o, "ppn", 0, &iv[2], why, wl) ||
        !cr_fit_j_int(o, "bytes", 1, &iv[3], why, wl) ||
        !cr_fit_j_num(o, "t_median_us", &r->t_med, why, wl) ||
        !cr_fit_j_num(o, "t_ci_lo_us", &r->t_lo, why, wl) ||
        !cr_fit_j_num(o, "t_ci_hi_us", &r->t_hi, why, wl) ||
        !cr_fit_j_num(o, "algbw_GBps", &r->algbw, why, wl) ||
        !cr_fit_j_num(o, "busbw_GBps", &r->busbw, why, wl))
        return 0;
    if (iv[0] > 1 << 30 || iv[1] > 1 << 30 || iv[2] > 1 << 30) {
        snprintf(why, wl, "ranks/nodes/ppn out of range");
        return 0;
    }
    r->ranks = (int)iv[0];
    r->nodes = (int)iv[1];
    r->ppn = (int)iv[2];
    r->bytes = (uint64_t)iv[3];
    r->faults = NAN;  /* optional: older runs have no such key */
    if ((v = json_object_get(o, "faults_per_call")) != NULL) {
        if (!json_is_number(v) || !(json_number_value(v) >= 0)) {
            snprintf(why, wl, "key 'faults_per_call' must be a number >= 0");
            return 0;
        }
        r->faults = json_number_value(v);
    }
    v = json_object_get(o, "valid");
    if (!v || !json_is_string(v) || cr_valid_parse(json_string_value(v), &r->valid) != 0) {
        snprintf(why, wl, "key 'valid' must be \"pass\", \"fail\" or \"skipped\"");
        return 0;
    }
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
    char *line = NULL, why[256];
    size_t cap = 0, lineno = 0, rows = 0;
    cr_status_t st = CR_OK;
    cr_fit_row_t r;
    while (getline(&line, &cap, f) >= 0) {
        json_error_t jerr;
        json_t *o_line, *type;
        const char *bad;
        lineno++;
        if (line[strspn(line, " \t\r\n")] == '\0') continue;
        o_line = json_loads(line, JSON_DECODE_ANY, &jerr);
        if (!o_line || !json_is_object(o_line)) {
            json_decref(o_line);
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, "not a JSON object (%s, column %d; "
                                          "truncated line?)", o_line ? "wrong type" : jerr.text,
                                          jerr.column), st, out_with_line);
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
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, "key 'type' must be \"metadata\" "
                                          "or \"measurement\""), st, out_with_line);
            continue;
        }
        if (!cr_fit_j_row(o_line, &r, why, sizeof why) ||
            ((bad = cr_fit_row_check(&r, why, sizeof why)) != NULL &&
             (bad == why || snprintf(why, sizeof why, "%s", bad) >= 0))) {
            json_decref(o_line);
            free(r.raw);
            CR_CHECK_GOTO(cr_fit_read_bad(o, name, lineno, "%s", why), st, out_with_line);
            continue;
        }
        json_decref(o_line);
        if (r.valid == CR_VALID_FAIL) {
            cr_warn("%s:%zu: measurement failed validation; row not fitted", name, lineno);
            free(r.raw);
            continue;
        }
        CR_CHECK_GOTO(cr_fit_set_add(set, &r), st, out_with_line);
        rows++;
    }
    if (rows == 0) {
        cr_error("%s: no usable measurement lines", name);
        st = CR_ERR_INVAL;
    }
out_with_line:
    free(line);
    return st;
}
