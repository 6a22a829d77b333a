#include "config.h"

#include "fit_read.h"
#include "cr_coll.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

cr_status_t cr_fit_read_bad(const cr_fit_read_opts_t *o, const char *name, size_t line,
                            const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (o->lenient) {
        cr_warn("%s:%zu: %s; row skipped (--lenient)", name, line, msg);
        return CR_OK;
    }
    cr_error("%s:%zu: %s (use --lenient to skip bad rows)", name, line, msg);
    return CR_ERR_INVAL;
}

static int cr_fit_pos(double x) { return isfinite(x) && x > 0; }

const char *cr_fit_row_check(const cr_fit_row_t *r, char *why, size_t wl)
{
    if (!r->collective[0]) return "empty collective";
    if (!cr_coll_find(r->collective)) {
        char known[512];
        snprintf(why, wl, "unknown collective '%s' (this collroof-fit knows %s)",
                 r->collective, cr_coll_names(known, sizeof known));
        return why;
    }
    if (!r->level[0]) return "empty level";
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
    if (stat(buf, &sb) == 0) return cr_fit_read_file(buf, o, set);
    snprintf(buf, sizeof buf, "%s/results.csv", path);
    if (stat(buf, &sb) == 0) return cr_fit_read_file(buf, o, set);
    cr_error("%s: neither results.jsonl nor results.csv found in this directory", path);
    return CR_ERR_IO;
}
