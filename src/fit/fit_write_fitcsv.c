/* fit.csv: one row per group and segment (contract columns, then appended ones;
 * dtype, in_place, variant and skew complete the group key). */
#include "config.h"

#include "fit_write.h"

#include <inttypes.h>
#include <math.h>

static cr_status_t cr_fit_fitcsv_write(FILE *f, const cr_fit_report_t *rep)
{
    fputs("collective,level,cadence,ranks,segment,bytes_lo,bytes_hi,alpha_us,alpha_lo_us,"
          "alpha_hi_us,rinf_GBps,rinf_lo_GBps,rinf_hi_GBps,busbw_ceiling_GBps,n_half_bytes,"
          "rel_err_median,points,"
          "F,break_lo_bytes,break_hi_bytes,nodes,ppn,link_ceiling_GBps,link_source,"
          "efficiency,sigma_rel,bootstrap,dtype,in_place,variant,incomplete_rows,skew\n", f);
    for (size_t i = 0; i < rep->nres; i++) {
        const cr_fit_result_t *r = &rep->res[i];
        const cr_fit_group_t *g = r->g;
        for (size_t s = 0; s < r->k; s++) {
            const cr_fit_segres_t *z = &r->seg[s];
            const double nums[] = { z->alpha, z->alpha_lo, z->alpha_hi, z->rinf, z->rinf_lo,
                                    z->rinf_hi, z->ceiling, z->n_half, z->rel_med };
            fprintf(f, "%s,%s,%s,%d,%zu,%" PRIu64 ",%" PRIu64, g->collective, g->level,
                    g->cadence, g->ranks, s + 1, g->pts[z->first].bytes, g->pts[z->last].bytes);
            for (size_t q = 0; q < sizeof nums / sizeof *nums; q++) {
                fputc(',', f);
                cr_fit_put_num(f, nums[q]);
            }
            fprintf(f, ",%zu,", z->last - z->first + 1);
            cr_fit_put_num(f, g->F);
            if (s > 0)
                fprintf(f, ",%" PRIu64 ",%" PRIu64, g->pts[r->seg[s - 1].last].bytes,
                        g->pts[z->first].bytes);
            else
                fputs(",,", f);
            fprintf(f, ",%d,%d,", g->nodes, g->ppn);
            cr_fit_put_num(f, r->link_GBps > 0 ? r->link_GBps : NAN);
            fprintf(f, ",%s,", r->link_src);
            /* an efficiency only between two finite, positive rates */
            cr_fit_put_num(f, r->link_GBps > 0 && isfinite(r->link_GBps) &&
                                  isfinite(z->ceiling) && z->ceiling > 0
                              ? z->ceiling / r->link_GBps : NAN);
            fputc(',', f);
            cr_fit_put_num(f, r->sigma);
            fprintf(f, ",%s,%s,%d,%s,%zu,%s\n", r->boot_raw ? "raw" : "residual", g->dtype,
                    g->in_place, cr_variant_names[g->variant], g->from_incomplete, g->skew);
        }
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_fitcsv = {
    .name = "fit.csv",
    .file = "fit.csv",
    .write = cr_fit_fitcsv_write,
};
