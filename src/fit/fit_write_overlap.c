/* overlap.csv: per group of an overlap cadence and measured size, the share of
 * the nonblocking call hidden behind compute, as collroof measured it (columns
 * overlap, overlap_lo, overlap_hi of results.csv; docs/method.md). Header only
 * when the input has no overlap rows. */
#include "config.h"

#include "fit_write.h"

#include <inttypes.h>
#include <math.h>

static cr_status_t cr_fit_overlap_write(FILE *f, const cr_fit_report_t *rep)
{
    fputs("collective,level,cadence,ranks,bytes,overlap,overlap_lo,overlap_hi,dtype,in_place,"
          "variant,nodes,ppn\n", f);
    for (size_t i = 0; i < rep->set->ngroups; i++) {
        const cr_fit_group_t *g = &rep->set->groups[i];
        cr_cadence_t cad;
        if (cr_cadence_parse(g->cadence, &cad) != 0 || !cr_cadence_is_overlap(cad)) continue;
        for (size_t p = 0; p < g->npts; p++) {
            const cr_fit_point_t *pt = &g->pts[p];
            const double nums[] = {pt->overlap, pt->overlap_lo, pt->overlap_hi};
            fprintf(f, "%s,%s,%s,%d,%" PRIu64, g->collective, g->level, g->cadence, g->ranks,
                    pt->bytes);
            for (size_t q = 0; q < sizeof nums / sizeof *nums; q++) {
                fputc(',', f);
                cr_fit_put_num(f, nums[q]);
            }
            fprintf(f, ",%s,%d,%s,%d,%d\n", g->dtype, g->in_place, cr_variant_names[g->variant],
                    g->nodes, g->ppn);
        }
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_overlap = {
    .name = "overlap.csv",
    .file = "overlap.csv",
    .write = cr_fit_overlap_write,
};
