/* The human summary on stdout: one line per group and segment. */
#include "fit_write.h"

#include <inttypes.h>
#include <math.h>
#include "cr_sizes.h"

static cr_status_t cr_fit_summary_write(FILE *f, const cr_fit_report_t *rep)
{
    fprintf(f, "%-15s %-9s %-9s %5s %3s %-15s %10s %-21s %10s %-21s %9s %6s\n", "collective",
            "level", "cadence", "ranks", "seg", "sizes", "latency_us", "[95% CI]",
            "ceil_GBps", "r_inf [95% CI] GB/s", "n_half", "eff");
    for (size_t i = 0; i < rep->nres; i++) {
        const cr_fit_result_t *r = &rep->res[i];
        const cr_fit_group_t *g = r->g;
        for (size_t s = 0; s < r->k; s++) {
            const cr_fit_segres_t *z = &r->seg[s];
            char lo[24], hi[24], range[48], nh[24], ci[48], rci[48], eff[16];
            cr_size_format(g->pts[z->first].bytes, lo, sizeof lo);
            cr_size_format(g->pts[z->last].bytes, hi, sizeof hi);
            snprintf(range, sizeof range, "%s-%s", lo, hi);
            snprintf(ci, sizeof ci, "[%.3g, %.3g]", z->alpha_lo, z->alpha_hi);
            snprintf(rci, sizeof rci, "%.4g [%.4g, %.4g]", z->rinf, z->rinf_lo, z->rinf_hi);
            if (isfinite(z->n_half) && z->n_half >= 1)
                cr_size_format((uint64_t)(z->n_half + 0.5), nh, sizeof nh);
            else
                snprintf(nh, sizeof nh, "%.3g", z->n_half);
            if (r->link_GBps > 0)
                snprintf(eff, sizeof eff, "%.0f%%", 100 * z->ceiling / r->link_GBps);
            else
                snprintf(eff, sizeof eff, "n/a");
            fprintf(f, "%-15s %-9s %-9s %5d %3zu %-15s %10.3f %-21s %10.4g %-21s %9s %6s\n",
                    g->collective, g->level, g->cadence, g->ranks, s + 1, range, z->alpha, ci,
                    z->ceiling, rci, nh, eff);
        }
    }
    for (size_t i = 0; i < rep->nscal; i++) {
        const cr_fit_scaling_t *s = &rep->scal[i];
        fprintf(f, "latency vs ranks: %s %s %s p=%d..%d (%zu counts): %s "
                "(rel. RMS p-1: %.3g, log2 p: %.3g)\n", s->collective, s->level, s->cadence,
                s->pmin, s->pmax, s->points, s->shape, s->lin_rmse, s->log_rmse);
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_summary = {
    .name = "summary",
    .file = NULL,
    .write = cr_fit_summary_write,
};
