/* The human table on stdout: one line per finished measurement. */
#include "config.h"

#include "cr_sizes.h"
#include "cr_writer.h"

static cr_status_t cr_table_begin(cr_writer_t *w, const json_t *meta)
{
    fprintf(w->fp, "%-14s %-9s %-12s %6s %9s %12s %21s %12s %12s %10s %10s %-9s %s\n",
            "collective", "level", "cadence", "ranks", "bytes", "median_us", "95%CI_us",
            "min_us", "p99_us", "algbw_GB/s", "busbw_GB/s", "stop", "valid");
    return CR_OK;
}

static cr_status_t cr_table_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t n)
{
    char sz[32], ci[48];
    snprintf(ci, sizeof ci, "[%.2f, %.2f]", r->t.ci_lo, r->t.ci_hi);
    fprintf(w->fp, "%-14s %-9s %-12s %6d %9s %12.2f %21s %12.2f %12.2f %10.4g %10.4g %-9s %s%s\n",
            r->collective, r->level, r->cadence, r->ranks, cr_size_format(r->bytes, sz, sizeof sz),
            r->t.median, ci, r->t.min, r->t.p99, r->algbw_GBps, r->busbw_GBps,
            cr_stop_str(r->stop), cr_valid_str(r->valid),
            r->low_resolution ? " (near timer resolution)" : "");
    return CR_OK;
}

const cr_writer_ops_t cr_writer_table = {
    .name = "table",
    .file = NULL,
    .begin = cr_table_begin,
    .row = cr_table_row,
};
