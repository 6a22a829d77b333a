/* The step's table on stdout (--workload, unless -q): the step, then its calls. */
#include "config.h"

#include "cr_sizes.h"
#include "cr_wl_schema.h"
#include "cr_writer.h"

static cr_status_t cr_wl_table_begin(cr_writer_t *w, const json_t *meta)
{
    (void)meta;
    fprintf(w->fp, "%-5s %-14s %-9s %6s %6s %9s %7s %12s %12s %21s %12s %10s %-9s %s\n", "row",
            "collective", "comm", "ranks", "groups", "bytes", "count", "gap_us", "median_us",
            "95%CI_us", "call_us", "busbw_GB/s", "stop", "valid");
    return CR_OK;
}

static cr_status_t cr_wl_table_row(cr_writer_t *w, const cr_wl_row_t *r, const double *raw,
                                   size_t n)
{
    char sz[32], ci[48];
    (void)raw;
    (void)n;
    snprintf(ci, sizeof ci, "[%.2f, %.2f]", r->t.ci_lo, r->t.ci_hi);
    fprintf(w->fp, "%-5s %-14s %-9s %6d %6d %9s %7d %12.1f %12.2f %21s %12.2f %10.4g %-9s %s\n",
            r->row, r->collective, r->comm[0] ? r->comm : "-", r->ranks, r->groups,
            cr_size_format(r->bytes, sz, sizeof sz), r->count, r->gap_us, r->t.median, ci,
            r->t_call_us, r->busbw_GBps, cr_stop_str(r->stop), cr_valid_str(r->valid));
    return CR_OK;
}

const cr_writer_ops_t cr_writer_wl_table = {
    .name = "workload-table",
    .file = NULL,
    .begin = cr_wl_table_begin,
    .wl_row = cr_wl_table_row,
};
