/* workload.csv (collroof-fit's): per replayed step, each call line's measured total
 * per step and its share of the step median, then the remainder (step − Σ call
 * totals: compute gaps and synchronisation) and the step row. Header only without a
 * workload. The "Workload steps (measured)" section of the summary. */
#include "config.h"

#include "fit_write.h"
#include "fit_workload.h"

#include <inttypes.h>
#include <math.h>
#include "cr_sizes.h"

static void cr_fit_wl_put(FILE *f, const cr_fit_wl_t *w, const char *row, const char *coll,
                          const char *comm, int ranks, int groups, uint64_t bytes,
                          const char *dtype, long count, double gap, const char *skew,
                          const double *t3, double call, double algbw, double busbw,
                          const char *valid, double total, double rem)
{
    const double nums[] = { t3[0], t3[1], t3[2], cr_fit_wl_share(w, t3[0]), call, algbw, busbw };
    fprintf(f, "%s,%s,%s,%s,%s,", w->run_id, w->name, row, coll, comm);
    if (ranks) fprintf(f, "%d,%d,%" PRIu64 ",%s,%ld,", ranks, groups, bytes, dtype, count);
    else fputs(",,,,,", f);
    cr_fit_put_num(f, gap);
    fprintf(f, ",%s", skew);
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        fputc(',', f);
        cr_fit_put_num(f, nums[i]);
    }
    fprintf(f, ",%s,", valid);
    cr_fit_put_num(f, total);
    fputc(',', f);
    cr_fit_put_num(f, rem);
    fputc('\n', f);
}

static cr_status_t cr_fit_workload_write(FILE *f, const cr_fit_report_t *rep)
{
    fputs("run_id,workload,row,collective,comm,ranks,groups,bytes,dtype,count,gap_us,skew,"
          "t_total_us,t_total_lo_us,t_total_hi_us,share,t_call_us,algbw_GBps,busbw_GBps,valid,"
          "calls_total_us,remainder_us\n", f);
    for (size_t i = 0; rep->wl && i < rep->wl->n; i++) {
        const cr_fit_wl_t *w = &rep->wl->wl[i];
        const cr_fit_wl_row_t *s = &w->step;
        double rem = cr_fit_wl_remainder(w), t3[3];
        char row[16];
        for (size_t c = 0; c < w->ncalls; c++) {
            const cr_fit_wl_row_t *r = &w->calls[c];
            t3[0] = r->t_med, t3[1] = r->t_lo, t3[2] = r->t_hi;
            snprintf(row, sizeof row, "%d", r->index);
            cr_fit_wl_put(f, w, row, r->collective, r->comm, r->ranks, r->groups, r->bytes,
                          r->dtype, r->count, r->gap_us, r->skew, t3, r->t_call, r->algbw,
                          r->busbw, cr_valid_names[r->valid], NAN, NAN);
        }
        t3[0] = t3[1] = t3[2] = rem;   /* no interval: a difference of medians */
        cr_fit_wl_put(f, w, "remainder", "gaps+sync", "", 0, 0, 0, "", 0, s->gap_us, "", t3,
                      NAN, NAN, NAN, "", NAN, NAN);
        t3[0] = s->t_med, t3[1] = s->t_lo, t3[2] = s->t_hi;
        cr_fit_wl_put(f, w, "step", "step", "", s->ranks, s->groups, s->bytes, "", 1, s->gap_us,
                      "", t3, s->t_call, NAN, NAN, cr_valid_names[s->valid],
                      cr_fit_wl_calls_total(w), rem);
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_workload = {
    .name = "workload.csv",
    .file = "workload.csv",
    .write = cr_fit_workload_write,
};

void cr_fit_summary_workload(FILE *f, const cr_fit_report_t *rep)
{
    if (!rep->wl || !rep->wl->n) return;
    fputs("Workload steps (measured; fit/workload.csv):\n", f);
    for (size_t i = 0; i < rep->wl->n; i++) {
        const cr_fit_wl_t *w = &rep->wl->wl[i];
        const cr_fit_wl_row_t *s = &w->step;
        double rem = cr_fit_wl_remainder(w), sum = cr_fit_wl_calls_total(w);
        char label[96];
        fprintf(f, "workload %s (run %s): step %.1f us [%.1f, %.1f] on %d ranks, %ld samples, "
                "valid %s\n", w->name, w->run_id, s->t_med, s->t_lo, s->t_hi, s->ranks,
                s->samples, cr_valid_names[s->valid]);
        fprintf(f, "  %4s %-20s %-9s %5s %7s %7s %12s %6s %11s %10s\n", "row", "collective",
                "comm", "ranks", "bytes", "count", "total_us", "share", "t_call_us",
                "busbw_GBps");
        for (size_t c = 0; c < w->ncalls; c++) {
            const cr_fit_wl_row_t *r = &w->calls[c];
            char b[24], coll[2 * CR_NAME_LEN + 2];
            cr_size_format(r->bytes, b, sizeof b);
            snprintf(coll, sizeof coll, "%s%s%s", r->collective, r->skew[0] ? "/" : "", r->skew);
            fprintf(f, "  %4d %-20s %-9s %5d %7s %7ld %12.1f %5.1f%% %11.2f %10.4g%s\n",
                    r->index, coll, r->comm, r->ranks, b, r->count, r->t_med,
                    100 * cr_fit_wl_share(w, r->t_med), r->t_call, r->busbw,
                    r->valid == CR_VALID_FAIL ? " FAILED validation" : "");
        }
        snprintf(label, sizeof label, "remainder: compute gaps (%.1f us asked) + sync", s->gap_us);
        fprintf(f, "  %-57s %12.1f %5.1f%%\n", "sum of the calls", sum,
                100 * cr_fit_wl_share(w, sum));
        fprintf(f, "  %-57s %12.1f %5.1f%%\n", label, rem, 100 * cr_fit_wl_share(w, rem));
        if (rem < 0)
            fprintf(f, "  (negative: the calls' medians add up to more than the step's median; "
                    "medians of separate totals do not add exactly)\n");
    }
}
