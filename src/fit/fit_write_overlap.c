/* overlap.csv: per group of an overlap cadence and measured size, the share of
 * the nonblocking call hidden behind compute, as collroof measured it (columns
 * overlap, overlap_lo, overlap_hi of results.csv; docs/method.md). Header only
 * when the input has no overlap rows. */
#include "config.h"

#include "fit_write.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "cr_sizes.h"

static cr_status_t cr_fit_overlap_write(FILE *f, const cr_fit_report_t *rep)
{
    fputs("collective,level,cadence,ranks,bytes,overlap,overlap_lo,overlap_hi,dtype,in_place,"
          "variant,nodes,ppn,skew\n", f);
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
            fprintf(f, ",%s,%d,%s,%d,%d,%s\n", g->dtype, g->in_place,
                    cr_variant_names[g->variant], g->nodes, g->ppn, g->skew);
        }
    }
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_overlap = {
    .name = "overlap.csv",
    .file = "overlap.csv",
    .write = cr_fit_overlap_write,
};

/* The overlap at a size of the group of g's key with cadence cad; NULL when absent. */
static const cr_fit_point_t *cr_fit_overlap_at(const cr_fit_set_t *set, const cr_fit_group_t *g,
                                               const char *cad, uint64_t S)
{
    cr_fit_group_t key = *g;
    const cr_fit_group_t *h;
    snprintf(key.cadence, sizeof key.cadence, "%s", cad);
    if (!(h = cr_fit_set_find(set, &key))) return NULL;
    for (size_t i = 0; i < h->npts; i++)
        if (h->pts[i].bytes == S) return &h->pts[i];
    return NULL;
}

static void cr_fit_overlap_cell(FILE *f, const cr_fit_point_t *p)
{
    char buf[48];
    if (!p || isnan(p->overlap)) snprintf(buf, sizeof buf, "-");
    else snprintf(buf, sizeof buf, "%.2f [%.2f, %.2f]", p->overlap, p->overlap_lo, p->overlap_hi);
    fprintf(f, " %-20s", buf);
}

void cr_fit_summary_overlap_table(FILE *f, const cr_fit_report_t *rep)
{
    const cr_fit_set_t *set = rep->set;
    int head = 0;
    for (size_t i = 0; i < set->ngroups; i++) {
        const cr_fit_group_t *g = &set->groups[i];
        cr_cadence_t cad;
        if (cr_cadence_parse(g->cadence, &cad) != 0 || !cr_cadence_is_overlap(cad)) continue;
        /* one table per key: from its overlap group, or its overlap_test one alone */
        if (strcmp(g->cadence, "overlap")) {
            cr_fit_group_t key = *g;
            snprintf(key.cadence, sizeof key.cadence, "overlap");
            if (cr_fit_set_find(set, &key)) continue;
        }
        if (!head++)
            fputs("Overlap (share of the nonblocking call hidden behind compute, median "
                  "[95% CI]; overlap.csv, overlap-*.svg):\n", f);
        fprintf(f, "%s %s p=%d:\n  %8s %-20s %-20s\n", cr_fit_group_name(g), g->level, g->ranks,
                "bytes", " overlap", " overlap_test");
        for (size_t p = 0; p < g->npts; p++) {
            char s[24];
            cr_size_format(g->pts[p].bytes, s, sizeof s);
            fprintf(f, "  %8s", s);
            cr_fit_overlap_cell(f, cr_fit_overlap_at(set, g, "overlap", g->pts[p].bytes));
            cr_fit_overlap_cell(f, cr_fit_overlap_at(set, g, "overlap_test", g->pts[p].bytes));
            fputc('\n', f);
        }
    }
}
