/* scaling.csv: α(p) against p-1 and ceil(log2 p) per series: collective, level,
 * cadence, dtype, in_place, variant, skew. */
#include "config.h"

#include "fit_write.h"

static cr_status_t cr_fit_scaling_write(FILE *f, const cr_fit_report_t *rep)
{
    fputs("collective,level,cadence,points,ranks_min,ranks_max,shape,lin_a_us,lin_b_us,"
          "lin_rel_rmse,log_a_us,log_b_us,log_rel_rmse,dtype,in_place,variant,skew\n", f);
    for (size_t i = 0; i < rep->nscal; i++) {
        const cr_fit_scaling_t *s = &rep->scal[i];
        const double nums[] = { s->lin_a, s->lin_b, s->lin_rmse, s->log_a, s->log_b,
                                s->log_rmse };
        fprintf(f, "%s,%s,%s,%zu,%d,%d,%s", s->collective, s->level, s->cadence, s->points,
                s->pmin, s->pmax, s->shape);
        for (size_t q = 0; q < sizeof nums / sizeof *nums; q++) {
            fputc(',', f);
            cr_fit_put_num(f, nums[q]);
        }
        fprintf(f, ",%s,%d,%s,%s\n", s->dtype, s->in_place, cr_variant_names[s->variant],
                s->skew);
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_scaling = {
    .name = "scaling.csv",
    .file = "scaling.csv",
    .write = cr_fit_scaling_write,
};
