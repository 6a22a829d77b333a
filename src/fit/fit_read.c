#include "config.h"

#include "fit_read.h"
#include "cr_dtype.h"
#include "cr_level_names.h"
#include "cr_schema.h"
#include "cr_coll.h"
#include "cr_skew.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

cr_status_t cr_fit_read_bad(const cr_fit_read_opts_t *o, const char *name, size_t line,
                            int torn, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (torn) {
        cr_warn("%s:%zu: torn last line ignored: no newline at its end and %s (a write cut "
                "short, e.g. by a full disk)", name, line, msg);
        return CR_OK;
    }
    if (o->lenient) {
        cr_warn("%s:%zu: %s; row skipped (--lenient)", name, line, msg);
        return CR_OK;
    }
    cr_error("%s:%zu: %s (use --lenient to skip bad rows)", name, line, msg);
    return CR_ERR_INVAL;
}

/* FNV-1a of the key text. */
static uint64_t cr_fit_hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++) h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

static int cr_fit_dups_grow(cr_fit_dups_t *d)
{
    size_t cap = d->cap ? 2 * d->cap : 256;
    char **slot = calloc(cap, sizeof *slot);
    if (!slot) return -1;
    for (size_t i = 0; i < d->cap; i++) {
        size_t j;
        if (!d->slot[i]) continue;
        for (j = cr_fit_hash(d->slot[i]) & (cap - 1); slot[j]; j = (j + 1) & (cap - 1)) {}
        slot[j] = d->slot[i];
    }
    free(d->slot);
    d->slot = slot;
    d->cap = cap;
    return 0;
}

int cr_fit_dups_seen(cr_fit_dups_t *d, const cr_fit_row_t *r, size_t line)
{
    char key[9 * CR_NAME_LEN];   /* names are printable: '\x1f' separates them */
    size_t j;
    snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%d\x1f%s\x1f%d\x1f%d\x1f%d\x1f%" PRIu64,
             r->run_id, r->collective, r->level, r->cadence, r->dtype, r->in_place,
             (int)r->variant, r->skew, r->ranks, r->nodes, r->ppn, r->bytes);
    if (2 * (d->n + 1) > d->cap && cr_fit_dups_grow(d) != 0) return -1;
    for (j = cr_fit_hash(key) & (d->cap - 1); d->slot[j]; j = (j + 1) & (d->cap - 1))
        if (!strcmp(d->slot[j], key)) {
            if (!d->count++) d->first_line = line;
            return 1;
        }
    if (!(d->slot[j] = strdup(key))) return -1;
    d->n++;
    return 0;
}

void cr_fit_dups_done(cr_fit_dups_t *d, const char *name)
{
    if (d->count)
        cr_warn("%s:%zu: %zu duplicate row%s (same run_id, collective, level, cadence, dtype, "
                "in_place, variant, skew, ranks, nodes, ppn and bytes as an earlier row; the first "
                "from line %zu): the first of each kept, the others ignored", name,
                d->first_line, d->count, d->count == 1 ? "" : "s", d->first_line);
    for (size_t i = 0; i < d->cap; i++) free(d->slot[i]);
    free(d->slot);
    memset(d, 0, sizeof *d);
}

/* The columns every row must hold for a fit; the rest are optional. dtype, in_place
 * and variant are part of the group key: absent, they read "", 0 and blocking. */
static const char *const cr_fit_needed[] = {
    "collective", "level", "cadence", "ranks", "nodes", "ppn", "bytes", "t_median_us",
    "t_ci_lo_us", "t_ci_hi_us", "algbw_GBps", "busbw_GBps", "valid",
};

static int cr_fit_has(const cr_schema_set_t *present, const char *col)
{
    int i = cr_schema_find(col);
    return cr_schema_set_has(present, i);
}

int cr_fit_row_from_result(const cr_result_t *res, const cr_schema_set_t *present, cr_fit_row_t *r,
                           char *why, size_t wl)
{
    for (size_t i = 0; i < sizeof cr_fit_needed / sizeof *cr_fit_needed; i++)
        if (!cr_fit_has(present, cr_fit_needed[i])) {
            snprintf(why, wl, "missing key '%s'", cr_fit_needed[i]);
            return -1;
        }
    memset(r, 0, sizeof *r);
    memcpy(r->run_id, res->run_id, CR_NAME_LEN);
    memcpy(r->collective, res->collective, CR_NAME_LEN);
    memcpy(r->level, res->level, CR_NAME_LEN);
    memcpy(r->cadence, res->cadence, CR_NAME_LEN);
    memcpy(r->dtype, res->dtype, CR_NAME_LEN);
    r->in_place = res->in_place;   /* 0 and blocking when absent (res zeroed) */
    r->variant = res->variant;
    memcpy(r->skew, res->skew, CR_NAME_LEN);
    r->ranks = res->ranks;
    r->nodes = res->nodes;
    r->ppn = res->ppn;
    r->bytes = res->bytes;
    r->t_med = res->t.median;
    r->t_lo = res->t.ci_lo;
    r->t_hi = res->t.ci_hi;
    r->algbw = res->algbw_GBps;
    r->busbw = res->busbw_GBps;
    r->valid = res->valid;
    r->faults = cr_fit_has(present, "faults_per_call") ? res->faults_per_call : NAN;
    r->overlap = cr_fit_has(present, "overlap") ? res->overlap : NAN;
    r->overlap_lo = cr_fit_has(present, "overlap_lo") ? res->overlap_lo : NAN;
    r->overlap_hi = cr_fit_has(present, "overlap_hi") ? res->overlap_hi : NAN;
    r->imbalance = cr_fit_has(present, "imbalance") && res->imbalance > 0 ? res->imbalance : NAN;
    r->max_recv = cr_fit_has(present, "max_recv_bytes") ? res->max_recv_bytes : 0;
    return 0;
}

static int cr_fit_pos(double x) { return isfinite(x) && x > 0; }

const char *cr_fit_row_check(const cr_fit_row_t *r, char *why, size_t wl)
{
    if (!r->collective[0]) return "empty collective";
    if (!cr_coll_find(r->collective)) {
        char known[512], shown[80];
        snprintf(why, wl, "unknown collective '%s' (this collroof-fit knows %s)",
                 cr_name_show(r->collective, shown, sizeof shown),
                 cr_coll_names(known, sizeof known));
        return why;
    }
    if (!r->level[0]) return "empty level";
    {   /* names are plain identifiers the formats list (docs/formats.md) */
        char shown[80];
        cr_level_t lv;
        cr_dist_t d;
        if (!cr_name_is_plain(r->level) ||
            (cr_level_parse(r->level, &lv) != 0 && cr_dist_parse(r->level, &d) != 0)) {
            char known[256];
            snprintf(why, wl, "level '%s' is not one of %s, nor a probe's distance class",
                     cr_name_show(r->level, shown, sizeof shown),
                     cr_level_names(known, sizeof known));
            return why;
        }
        cr_cadence_t cad;
        if (cr_cadence_parse(r->cadence, &cad) != 0) {
            snprintf(why, wl, "cadence '%s' is not isolated, streaming, overlap or overlap_test",
                     cr_name_show(r->cadence, shown, sizeof shown));
            return why;
        }
        if (r->dtype[0] && !cr_dtype_find(r->dtype)) {
            snprintf(why, wl, "dtype '%s' is not one collroof knows",
                     cr_name_show(r->dtype, shown, sizeof shown));
            return why;
        }
        if (r->skew[0]) {   /* part of the group key, in labels and plot titles */
            cr_skew_t sk;
            char err[160];
            cr_skew_default(&sk);
            if (strcmp(r->collective, "alltoallv")) {
                snprintf(why, wl, "skew '%s' on collective %s (only alltoallv is routed "
                         "by a skew)", cr_name_show(r->skew, shown, sizeof shown),
                         r->collective);
                return why;
            }
            if (cr_skew_parse(r->skew, &sk, err, sizeof err) != CR_OK) {
                snprintf(why, wl, "skew '%s' is not uniform, zipf:S or hot:F:K",
                         cr_name_show(r->skew, shown, sizeof shown));
                return why;
            }
        }
    }
    if (r->ranks < 1) return "ranks must be >= 1";
    if (r->bytes == 0) return "bytes must be > 0";
    if (!cr_fit_pos(r->t_med)) return "t_median_us must be a positive finite number";
    if (!isfinite(r->t_lo) || !isfinite(r->t_hi) || r->t_lo < 0 || r->t_hi < 0)
        return "t_ci_lo_us/t_ci_hi_us must be non-negative finite numbers";
    if (r->t_lo > r->t_med * (1 + 1e-6) || r->t_hi < r->t_med * (1 - 1e-6))
        return "median CI does not contain t_median_us";
    if (!isfinite(r->algbw) || r->algbw < 0) return "algbw_GBps must be >= 0 and finite";
    if (!isfinite(r->busbw) || r->busbw < 0) return "busbw_GBps must be >= 0 and finite";
    for (size_t i = 0; i < r->nraw; i++)
        if (!cr_fit_pos(r->raw[i])) return "raw_us holds a non-positive or non-finite time";
    if (r->nraw) {   /* raw sorted: its median lies between the two middle samples */
        double lo = r->raw[(r->nraw - 1) / 2], hi = r->raw[r->nraw / 2];
        if (r->t_med < lo * (1 - CR_FIT_RAW_MEDIAN_TOL) || r->t_med > hi * (1 + CR_FIT_RAW_MEDIAN_TOL)) {
            snprintf(why, wl, "t_median_us %g disagrees with the median of its %zu raw_us "
                     "samples (%g): more than %g%% apart", r->t_med, r->nraw,
                     0.5 * (lo + hi), 100 * CR_FIT_RAW_MEDIAN_TOL);
            return why;
        }
    }
    return NULL;
}

static cr_status_t cr_fit_read_file(const char *path, const cr_fit_read_opts_t *o,
                                    cr_fit_set_t *set)
{
    FILE *f = fopen(path, "r");
    cr_status_t st;
    int c;
    if (!f) {
        cr_error("cannot open %s: %s", path, strerror(errno));
        return CR_ERR_IO;
    }
    do c = getc(f); while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
    if (c == EOF) {
        fclose(f);
        cr_error("%s:1: empty file (expected a results.jsonl or results.csv)", path);
        return CR_ERR_INVAL;
    }
    rewind(f);
    st = c == '{' ? cr_fit_read_jsonl(f, path, o, set) : cr_fit_read_csv(f, path, o, set);
    fclose(f);
    return st;
}

/* DIR/status.json (collroof's record of how the run ended): a note for the summary
 * when it says anything but complete; none when absent (a run of an older collroof).
 * 1 when the run did not complete. */
static int cr_fit_read_status(const char *dir, cr_fit_set_t *set)
{
    char path[4200], note[512], what[256] = "";
    json_error_t je;
    json_t *st;
    const char *s;
    void *grown;
    snprintf(path, sizeof path, "%s/status.json", dir);
    if (!(st = json_load_file(path, 0, &je))) return 0;
    s = json_string_value(json_object_get(st, "status"));
    if (!s || !strcmp(s, "complete")) {
        json_decref(st);
        return 0;
    }
    if (!strcmp(s, "running")) {
        snprintf(what, sizeof what, "ended without a word (status.json still says running: "
                 "killed, or a node lost)");
    } else if (!strcmp(s, "timed out")) {
        const char *c = json_string_value(json_object_get(st, "collective"));
        const char *l = json_string_value(json_object_get(st, "level"));
        char cs[80], ls[80];
        snprintf(what, sizeof what, "timed out in %s at level %s, %lld bytes, iteration %lld "
                 "(--timeout %g s)", cr_name_show(c ? c : "?", cs, sizeof cs),
                 cr_name_show(l ? l : "?", ls, sizeof ls),
                 (long long)json_integer_value(json_object_get(st, "bytes")),
                 (long long)json_integer_value(json_object_get(st, "iteration")),
                 json_number_value(json_object_get(st, "timeout_s")));
    } else if (!strcmp(s, "interrupted")) {
        snprintf(what, sizeof what, "was interrupted by signal %lld",
                 (long long)json_integer_value(json_object_get(st, "signal")));
    } else {
        char ss[80];
        snprintf(what, sizeof what, "ended with status '%s' (exit %lld)",
                 cr_name_show(s, ss, sizeof ss),
                 (long long)json_integer_value(json_object_get(st, "exit")));
    }
    json_decref(st);
    snprintf(note, sizeof note, "%s %s: its finished rows are fitted; the measurements it had "
             "not reached are missing", dir, what);
    cr_warn("%s", note);
    grown = realloc(set->notes, (set->nnotes + 1) * sizeof *set->notes);
    if (!grown) return 1;
    set->notes = grown;
    memcpy(set->notes[set->nnotes++], note, sizeof note);
    return 1;
}

static cr_status_t cr_fit_read_run(const char *dir, const char *file, const cr_fit_read_opts_t *o,
                                   cr_fit_set_t *set)
{
    cr_status_t st;
    set->reading_incomplete = cr_fit_read_status(dir, set);
    st = cr_fit_read_file(file, o, set);
    set->reading_incomplete = 0;
    return st;
}

cr_status_t cr_fit_read_path(const char *path, const cr_fit_read_opts_t *o, cr_fit_set_t *set)
{
    struct stat sb;
    char buf[4096];
    if (stat(path, &sb) != 0) {
        cr_error("cannot read %s: %s (expected a run directory or a results file)", path,
                 strerror(errno));
        return CR_ERR_IO;
    }
    if (!S_ISDIR(sb.st_mode)) return cr_fit_read_file(path, o, set);
    snprintf(buf, sizeof buf, "%s/results.jsonl", path);
    if (stat(buf, &sb) == 0) return cr_fit_read_run(path, buf, o, set);
    snprintf(buf, sizeof buf, "%s/results.csv", path);
    if (stat(buf, &sb) == 0) return cr_fit_read_run(path, buf, o, set);
    cr_error("%s: neither results.jsonl nor results.csv found in this directory", path);
    return CR_ERR_IO;
}
