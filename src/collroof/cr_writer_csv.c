/* results.csv: the contract columns in order, then the appended ones. */
#include "config.h"

#include <inttypes.h>

#include "cr_writer.h"

const char *const cr_csv_columns[] = {
    "run_id", "collective", "level", "cadence", "ranks", "nodes", "ppn", "groups", "bytes",
    "block_bytes", "dtype", "samples", "stop", "t_min_us", "t_median_us", "t_ci_lo_us",
    "t_ci_hi_us", "t_mean_us", "t_p90_us", "t_p99_us", "t_max_us", "algbw_GBps", "busbw_GBps",
    "valid",
    /* appended after the contract */
    "outliers", "t_stddev_us", "in_place", "low_resolution", "warmup", "calls_per_sample", "mem",
    "pages", "cold_cache", "faults_per_call",
    NULL,
};

static cr_status_t cr_csv_begin(cr_writer_t *w, const json_t *meta)
{
    for (int i = 0; cr_csv_columns[i]; i++)
        fprintf(w->fp, "%s%s", i ? "," : "", cr_csv_columns[i]);
    fputc('\n', w->fp);
    return CR_OK;
}

static cr_status_t cr_csv_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t n)
{
    const cr_stats_t *t = &r->t;
    fprintf(w->fp, "%s,%s,%s,%s,%d,%d,%d,%d,%" PRIu64 ",%" PRIu64 ",%s,%zu,%s,", r->run_id,
            r->collective, r->level, r->cadence, r->ranks, r->nodes, r->ppn, r->groups, r->bytes,
            r->block_bytes, r->dtype, t->n, cr_stop_str(r->stop));
    fprintf(w->fp, "%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.6g,%.6g,%s,", t->min, t->median,
            t->ci_lo, t->ci_hi, t->mean, t->p90, t->p99, t->max, r->algbw_GBps, r->busbw_GBps,
            cr_valid_str(r->valid));
    fprintf(w->fp, "%zu,%.4f,%d,%d,%d,%d,%s,%s,%d,%.4g\n", t->outliers, t->stddev, r->in_place,
            r->low_resolution, r->warmup, r->calls_per_sample, r->mem, r->pages, r->cold,
            r->faults_per_call);
    return CR_OK;
}

const cr_writer_ops_t cr_writer_csv = {
    .name = "csv",
    .file = "results.csv",
    .begin = cr_csv_begin,
    .row = cr_csv_row,
};
