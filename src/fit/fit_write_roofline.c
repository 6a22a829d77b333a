/* roofline.csv: per group and measured size, measured busbw with CI, fitted
 * curve and the group's roofline min(ceiling, F·S/α) (cr_fit_roof: α of
 * segment 1, ceiling of the highest segment the data approach). */
#include "config.h"

#include "fit_write.h"

#include <inttypes.h>
#include <math.h>

static cr_status_t cr_fit_roofline_write(FILE *f, const cr_fit_report_t *rep)
{
    fputs("collective,level,cadence,ranks,bytes,segment,t_median_us,t_ci_lo_us,t_ci_hi_us,"
          "t_fit_us,busbw_GBps,busbw_lo_GBps,busbw_hi_GBps,busbw_fit_GBps,busbw_roof_GBps,"
          "ceiling_GBps,link_ceiling_GBps,ceiling_segment,latency_floor_us,knee_bytes,dtype,"
          "in_place,variant,nodes,ppn,skew,imbalance,max_recv_bytes\n", f);
    for (size_t i = 0; i < rep->nres; i++) {
        const cr_fit_result_t *r = &rep->res[i];
        const cr_fit_group_t *g = r->g;
        for (size_t p = 0; p < g->npts; p++) {
            const cr_fit_point_t *pt = &g->pts[p];
            size_t s = cr_fit_result_seg_of(r, p);
            const cr_fit_segres_t *z = &r->seg[s];
            double S = (double)pt->bytes, tfit = z->alpha + z->beta * S;
            double bus = g->F * S / pt->t_med * 1e-3;
            double lat = r->roof_alpha > 0 ? g->F * S / r->roof_alpha * 1e-3 : INFINITY;
            const double nums[] = {
                pt->t_med, pt->t_lo, pt->t_hi, tfit, bus,
                pt->t_hi > 0 ? g->F * S / pt->t_hi * 1e-3 : NAN,
                pt->t_lo > 0 ? g->F * S / pt->t_lo * 1e-3 : INFINITY,
                tfit > 0 ? g->F * S / tfit * 1e-3 : NAN,
                lat < r->roof_ceiling ? lat : r->roof_ceiling,
                r->roof_ceiling,
                r->link_GBps > 0 ? r->link_GBps : NAN,
            };
            fprintf(f, "%s,%s,%s,%d,%" PRIu64 ",%zu", g->collective, g->level, g->cadence,
                    g->ranks, pt->bytes, s + 1);
            for (size_t q = 0; q < sizeof nums / sizeof *nums; q++) {
                fputc(',', f);
                cr_fit_put_num(f, nums[q]);
            }
            if (r->roof_seg < r->k) fprintf(f, ",%zu,", r->roof_seg + 1);
            else fputs(",,", f);
            cr_fit_put_num(f, r->roof_alpha);
            fputc(',', f);
            cr_fit_put_num(f, r->roof_knee);
            fprintf(f, ",%s,%d,%s,%d,%d,%s,", g->dtype, g->in_place,
                    cr_variant_names[g->variant], g->nodes, g->ppn, g->skew);
            cr_fit_put_num(f, pt->imbalance);
            if (pt->max_recv) fprintf(f, ",%" PRIu64 "\n", pt->max_recv);
            else fputs(",\n", f);
        }
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_roofline = {
    .name = "roofline.csv",
    .file = "roofline.csv",
    .write = cr_fit_roofline_write,
};
