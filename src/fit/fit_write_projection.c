/* projection.csv: per series across rank counts (fit_proj.h), the model predict uses
 * beyond the measured rank counts and its held-out accuracy. */
#include "config.h"

#include "fit_write.h"

#include <math.h>

static cr_status_t cr_fit_projection_write(FILE *f, const cr_fit_report_t *rep)
{
    fputs("collective,level,cadence,dtype,in_place,variant,nodes,ppn,rank_counts,ranks_min,"
          "ranks_max,bytes_min,bytes_max,band_split_bytes,alpha_family,beta_family,chosen_by,"
          "sigma_run,sigma_run_source,sigma_lack_latency,sigma_lack_bandwidth,loo_bytes_min,"
          "loo_n,loo_median_abs_err,loo_max_abs_err,loo_coverage95,skew\n", f);
    for (size_t i = 0; i < rep->nproj; i++) {
        const cr_fit_pseries_t *p = &rep->proj[i];
        const cr_proj_series_t *s = &p->s;
        const double nums[] = { s->smin, s->smax, s->split, NAN };
        fprintf(f, "%s,%s,%s,%s,%d,%s,%d,%d,%zu,%d,%d", p->collective, p->level, p->cadence,
                p->dtype, p->in_place, cr_variant_names[p->variant], p->fixed_nodes,
                p->fixed_ppn, s->nc, s->c[0].ranks, s->c[s->nc - 1].ranks);
        for (size_t k = 0; k < 3; k++) {
            fputc(',', f);
            cr_fit_put_num(f, nums[k]);
        }
        fprintf(f, ",%s,%s,%s,", cr_proj_family_names[s->fa], cr_proj_family_names[s->fb],
                s->validated ? "held-out" : "prior");
        cr_fit_put_num(f, s->sigma_run);
        fprintf(f, ",%s,", s->run_dof ? "repeats" : "assumed");
        cr_fit_put_num(f, s->sigma_lack[CR_PROJ_LAT]);
        fputc(',', f);
        cr_fit_put_num(f, s->sigma_lack[CR_PROJ_BW]);
        fprintf(f, ",%.0f,%zu,", CR_PROJ_LOO_MIN_BYTES, p->has_loo ? p->loo.n : (size_t)0);
        cr_fit_put_num(f, p->has_loo ? p->loo.med_abs_err : NAN);
        fputc(',', f);
        cr_fit_put_num(f, p->has_loo ? p->loo.max_abs_err : NAN);
        fputc(',', f);
        cr_fit_put_num(f, p->has_loo ? p->loo.coverage : NAN);
        fprintf(f, ",%s\n", p->skew);
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_projection = {
    .name = "projection.csv",
    .file = "projection.csv",
    .write = cr_fit_projection_write,
};
