/* skew.csv and the summary's skew table: each skewed alltoallv group beside the
 * balanced alltoall of the same level, cadence, dtype, variant, ranks and topology
 * (and the uniform alltoallv, when measured), size by size: the ratio of the
 * measured median times and the row's imbalance (max_recv_bytes / bytes). Only
 * sizes both measured are compared; nothing is interpolated. */
#include "config.h"

#include "fit_write.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "cr_sizes.h"

const cr_fit_group_t *cr_fit_skew_partner(const cr_fit_set_t *set, const cr_fit_group_t *g,
                                          const char *collective, const char *skew)
{
    cr_fit_group_t key = *g;
    snprintf(key.collective, sizeof key.collective, "%s", collective);
    snprintf(key.skew, sizeof key.skew, "%s", skew);
    return cr_fit_set_find(set, &key);
}

/* The point of g at S; NULL when g did not measure S. */
static const cr_fit_point_t *cr_fit_pt_at(const cr_fit_group_t *g, uint64_t S)
{
    for (size_t i = 0; g && i < g->npts; i++)
        if (g->pts[i].bytes == S) return &g->pts[i];
    return NULL;
}

int cr_fit_is_skewed(const cr_fit_group_t *g)
{
    return !strcmp(g->collective, "alltoallv") && g->skew[0];
}

static cr_status_t cr_fit_skew_write(FILE *f, const cr_fit_report_t *rep)
{
    const cr_fit_set_t *set = rep->set;
    fputs("collective,level,cadence,ranks,skew,bytes,t_median_us,t_balanced_us,ratio_balanced,"
          "t_uniform_us,ratio_uniform,imbalance,max_recv_bytes,busbw_GBps,busbw_balanced_GBps,"
          "dtype,in_place,variant,nodes,ppn\n", f);
    for (size_t i = 0; i < set->ngroups; i++) {
        const cr_fit_group_t *g = &set->groups[i], *b, *u;
        if (!cr_fit_is_skewed(g)) continue;
        b = cr_fit_skew_partner(set, g, "alltoall", "");
        u = strcmp(g->skew, "uniform") ? cr_fit_skew_partner(set, g, "alltoallv", "uniform") : NULL;
        for (size_t p = 0; p < g->npts; p++) {
            const cr_fit_point_t *pt = &g->pts[p], *pb = cr_fit_pt_at(b, pt->bytes);
            const cr_fit_point_t *pu = cr_fit_pt_at(u, pt->bytes);
            const double nums[] = {
                pt->t_med, pb ? pb->t_med : NAN, pb ? pt->t_med / pb->t_med : NAN,
                pu ? pu->t_med : NAN, pu ? pt->t_med / pu->t_med : NAN, pt->imbalance,
            };
            fprintf(f, "%s,%s,%s,%d,%s,%" PRIu64, g->collective, g->level, g->cadence, g->ranks,
                    g->skew, pt->bytes);
            for (size_t q = 0; q < sizeof nums / sizeof *nums; q++) {
                fputc(',', f);
                cr_fit_put_num(f, nums[q]);
            }
            if (pt->max_recv) fprintf(f, ",%" PRIu64 ",", pt->max_recv);
            else fputs(",,", f);
            cr_fit_put_num(f, pt->busbw);
            fputc(',', f);
            cr_fit_put_num(f, pb ? pb->busbw : NAN);
            fprintf(f, ",%s,%d,%s,%d,%d\n", g->dtype, g->in_place, cr_variant_names[g->variant],
                    g->nodes, g->ppn);
        }
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_skew = {
    .name = "skew.csv",
    .file = "skew.csv",
    .write = cr_fit_skew_write,
};

/* "%.3g" or "-" */
static const char *cr_fit_num_or(double v, const char *fmt, char *buf, size_t len)
{
    if (isfinite(v)) snprintf(buf, len, fmt, v);
    else snprintf(buf, len, "-");
    return buf;
}

void cr_fit_summary_skew(FILE *f, const cr_fit_report_t *rep)
{
    const cr_fit_set_t *set = rep->set;
    int head = 0;
    for (size_t i = 0; i < set->ngroups; i++) {
        const cr_fit_group_t *g = &set->groups[i], *b, *u;
        if (!cr_fit_is_skewed(g) || !strcmp(g->skew, "uniform")) continue;
        b = cr_fit_skew_partner(set, g, "alltoall", "");
        u = cr_fit_skew_partner(set, g, "alltoallv", "uniform");
        if (!head++)
            fputs("Skewed vs balanced all-to-all (same S; ratio = time skewed / time balanced; "
                  "skew.csv):\n", f);
        fprintf(f, "%s %s %s p=%d, skew %s: %s\n", cr_fit_group_name(g), g->level, g->cadence,
                g->ranks, g->skew, b ? "against the balanced alltoall"
                : "no balanced alltoall of this level, cadence, dtype and ranks was measured "
                  "(collroof -c alltoall,alltoallv)");
        fprintf(f, "  %8s %12s %12s %8s %10s %12s %10s\n", "bytes", "t_skewed_us", "t_alltoall_us",
                "ratio", "imbalance", "t_uniform_us", "ratio_uni");
        for (size_t p = 0; p < g->npts; p++) {
            const cr_fit_point_t *pt = &g->pts[p], *pb = cr_fit_pt_at(b, pt->bytes);
            const cr_fit_point_t *pu = cr_fit_pt_at(u, pt->bytes);
            char s[24], tb[24], r[24], im[24], tu[24], ru[24];
            cr_size_format(pt->bytes, s, sizeof s);
            fprintf(f, "  %8s %12.3f %12s %8s %10s %12s %10s\n", s, pt->t_med,
                    cr_fit_num_or(pb ? pb->t_med : NAN, "%.3f", tb, sizeof tb),
                    cr_fit_num_or(pb ? pt->t_med / pb->t_med : NAN, "%.3f", r, sizeof r),
                    cr_fit_num_or(pt->imbalance, "%.3f", im, sizeof im),
                    cr_fit_num_or(pu ? pu->t_med : NAN, "%.3f", tu, sizeof tu),
                    cr_fit_num_or(pu ? pt->t_med / pu->t_med : NAN, "%.3f", ru, sizeof ru));
        }
    }
}
