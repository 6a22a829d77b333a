/* Plots of the rows beside the rooflines: overlap vs size, skewed vs balanced
 * all-to-all, replayed workload steps. As in fit_plot.c, every string a script
 * holds goes through cr_fit_gp_quote(); file names are built from names made safe
 * (cr_fit_plot_safe) and numbers; data files hold numbers only, but for the
 * workload bars' labels, built from validated names and written as data. */
#include "config.h"

#include "fit_plot.h"
#include "cr_fs.h"
#include "fit_workload.h"
#include "fit_write.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static FILE *cr_fit_plot_create(const char *dir, const char *name)
{
    char path[4096], err[4400];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) cr_error("%s", err);   /* never via a link */
    return f;
}

static cr_status_t cr_fit_plot_close(FILE *f, const char *dir, const char *name)
{
    if (fclose(f) != 0) {
        cr_error("cannot write %s/%s", dir, name);
        return CR_ERR_IO;
    }
    return CR_OK;
}

static int cr_fit_is_overlap(const cr_fit_group_t *g)
{
    cr_cadence_t cad;
    return cr_cadence_parse(g->cadence, &cad) == 0 && cr_cadence_is_overlap(cad);
}

/* bytes overlap lo hi, one line per size with an overlap. */
static cr_status_t cr_fit_overlap_dat(const char *dir, const char *name, const cr_fit_group_t *g)
{
    FILE *f = cr_fit_plot_create(dir, name);
    if (!f) return CR_ERR_IO;
    fputs("# bytes overlap overlap_lo overlap_hi\n", f);
    for (size_t p = 0; p < g->npts; p++) {
        const cr_fit_point_t *pt = &g->pts[p];
        if (isnan(pt->overlap)) continue;
        fprintf(f, "%" PRIu64 " %.6g %.6g %.6g\n", pt->bytes, pt->overlap,
                isnan(pt->overlap_lo) ? pt->overlap : pt->overlap_lo,
                isnan(pt->overlap_hi) ? pt->overlap : pt->overlap_hi);
    }
    return cr_fit_plot_close(f, dir, name);
}

cr_status_t cr_fit_plot_overlap(const char *dir, const cr_fit_report_t *rep, int formats)
{
    const cr_fit_set_t *set = rep->set;
    for (size_t i = 0; i < set->ngroups; i++) {
        const char *coll = set->groups[i].collective;
        char cs[CR_NAME_LEN], script[CR_NAME_LEN + 32], dat[CR_NAME_LEN + 48];
        int seen = 0, lt = 0;
        FILE *f;
        if (!cr_fit_is_overlap(&set->groups[i])) continue;
        for (size_t j = 0; j < i; j++)
            seen |= cr_fit_is_overlap(&set->groups[j]) && !strcmp(set->groups[j].collective, coll);
        if (seen) continue;
        cr_fit_plot_safe(coll, cs, sizeof cs);
        snprintf(script, sizeof script, "plot-overlap-%s.gp", cs);
        for (size_t j = i; j < set->ngroups; j++) {
            const cr_fit_group_t *g = &set->groups[j];
            if (!cr_fit_is_overlap(g) || strcmp(g->collective, coll)) continue;
            snprintf(dat, sizeof dat, "overlap-%s-%zu.dat", cs, j);
            CR_CHECK(cr_fit_overlap_dat(dir, dat, g));
        }
        if (!(f = cr_fit_plot_create(dir, script))) return CR_ERR_IO;
        fputs("set logscale x 2\nset format x '%.0b%B'\nset xlabel 'size S (bytes)'\n"
              "set yrange [0:1.05]\nset ylabel 'overlap (share of the call hidden)'\n"
              "set key outside right top\nset grid\n", f);
        for (size_t k = 0; k < CR_FIT_PLOT_NFMT; k++) {
            const char *sep = "plot ";
            if (!(formats & cr_fit_plot_fmts[k].bit)) continue;
            fprintf(f, "set terminal %s\nset output ", cr_fit_plot_fmts[k].term);
            cr_fit_gp_quotef(f, "overlap-%s.%s", cs, cr_fit_plot_fmts[k].ext);
            fputs("\nset title ", f);
            cr_fit_gp_quotef(f, "overlap vs size, %s (1 = the call fully hidden behind compute)",
                             coll);
            fputc('\n', f);
            lt = 0;
            for (size_t j = i; j < set->ngroups; j++) {
                const cr_fit_group_t *g = &set->groups[j];
                if (!cr_fit_is_overlap(g) || strcmp(g->collective, coll)) continue;
                fputs(sep, f);
                cr_fit_gp_quotef(f, "overlap-%s-%zu.dat", cs, j);
                fprintf(f, " using 1:2:3:4 with yerrorlines lt %d pt 7 ps 0.6 title ", ++lt);
                cr_fit_gp_quotef(f, "%s %s %s p=%d", cr_fit_group_name(g), g->level, g->cadence,
                                 g->ranks);
                sep = ", \\\n     ";
            }
            fputs("\nunset output\n", f);
        }
        CR_CHECK(cr_fit_plot_close(f, dir, script));
        CR_CHECK(cr_fit_plot_render(dir, script));
    }
    return CR_OK;
}

/* bytes busbw lo hi (GB/s, from the measured median and its CI, F of the group). */
static cr_status_t cr_fit_busbw_dat(const char *dir, const char *name, const cr_fit_group_t *g)
{
    FILE *f = cr_fit_plot_create(dir, name);
    if (!f) return CR_ERR_IO;
    fputs("# bytes busbw_GBps busbw_lo busbw_hi\n", f);
    for (size_t p = 0; p < g->npts; p++) {
        const cr_fit_point_t *pt = &g->pts[p];
        double k = g->F * (double)pt->bytes * 1e-3;
        fprintf(f, "%" PRIu64 " %.6g %.6g %.6g\n", pt->bytes, k / pt->t_med,
                pt->t_hi > 0 ? k / pt->t_hi : k / pt->t_med,
                pt->t_lo > 0 ? k / pt->t_lo : k / pt->t_med);
    }
    return cr_fit_plot_close(f, dir, name);
}

/* Index of h in the set (for its data file's name). */
static size_t cr_fit_gidx(const cr_fit_set_t *set, const cr_fit_group_t *h)
{
    return (size_t)(h - set->groups);
}

/* The groups a level's skew plot draws: every skewed alltoallv of the level and each
 * one's balanced alltoall, once each; returns how many (into sel, ngroups long). */
static size_t cr_fit_skew_sel(const cr_fit_set_t *set, const char *level,
                              const cr_fit_group_t **sel)
{
    size_t n = 0;
    for (size_t i = 0; i < set->ngroups; i++) {
        const cr_fit_group_t *g = &set->groups[i], *b;
        int have = 0;
        if (!cr_fit_is_skewed(g) || strcmp(g->level, level)) continue;
        sel[n++] = g;
        if (!(b = cr_fit_skew_partner(set, g, "alltoall", ""))) continue;
        for (size_t j = 0; j < n; j++) have |= sel[j] == b;
        if (!have) sel[n++] = b;
    }
    return n;
}

cr_status_t cr_fit_plot_skew(const char *dir, const cr_fit_report_t *rep, int formats)
{
    const cr_fit_set_t *set = rep->set;
    const cr_fit_group_t **sel = malloc((set->ngroups ? set->ngroups : 1) * 2 * sizeof *sel);
    cr_status_t st = CR_OK;
    CR_CHECK_ALLOC(sel, 2 * sizeof *sel);
    for (size_t i = 0; i < set->ngroups && st == CR_OK; i++) {
        const char *level = set->groups[i].level;
        char lv[CR_NAME_LEN], script[CR_NAME_LEN + 32], dat[CR_NAME_LEN + 48];
        size_t n;
        int seen = 0;
        FILE *f;
        if (!cr_fit_is_skewed(&set->groups[i])) continue;
        for (size_t j = 0; j < i; j++)
            seen |= cr_fit_is_skewed(&set->groups[j]) && !strcmp(set->groups[j].level, level);
        if (seen) continue;
        n = cr_fit_skew_sel(set, level, sel);
        cr_fit_plot_safe(level, lv, sizeof lv);
        snprintf(script, sizeof script, "plot-skew-%s.gp", lv);
        for (size_t q = 0; q < n && st == CR_OK; q++) {
            snprintf(dat, sizeof dat, "skew-%s-%zu.dat", lv, cr_fit_gidx(set, sel[q]));
            st = cr_fit_busbw_dat(dir, dat, sel[q]);
        }
        if (st != CR_OK) break;
        if (!(f = cr_fit_plot_create(dir, script))) {
            st = CR_ERR_IO;
            break;
        }
        fputs("set logscale x 2\nset logscale y 10\nset format x '%.0b%B'\nset format y '%g'\n"
              "set xlabel 'size S (bytes, mean per rank)'\n"
              "set ylabel 'busbw (GB/s, balanced F = (p-1)/p)'\n"
              "set key outside right top\nset grid\n", f);
        for (size_t k = 0; k < CR_FIT_PLOT_NFMT; k++) {
            const char *sep = "plot ";
            if (!(formats & cr_fit_plot_fmts[k].bit)) continue;
            fprintf(f, "set terminal %s\nset output ", cr_fit_plot_fmts[k].term);
            cr_fit_gp_quotef(f, "skew-%s.%s", lv, cr_fit_plot_fmts[k].ext);
            fputs("\nset title ", f);
            cr_fit_gp_quotef(f, "skewed vs balanced all-to-all, level %s", level);
            fputc('\n', f);
            for (size_t q = 0; q < n; q++) {
                const cr_fit_group_t *g = sel[q];
                fputs(sep, f);
                cr_fit_gp_quotef(f, "skew-%s-%zu.dat", lv, cr_fit_gidx(set, g));
                fprintf(f, " using 1:2:3:4 with yerrorlines lt %zu pt 7 ps 0.6 %stitle ", q + 1,
                        cr_fit_is_skewed(g) ? "" : "dt 2 ");
                cr_fit_gp_quotef(f, "%s %s p=%d%s", cr_fit_group_name(g), g->cadence, g->ranks,
                                 cr_fit_is_skewed(g) ? "" : " (balanced)");
                sep = ", \\\n     ";
            }
            fputs("\nunset output\n", f);
        }
        st = cr_fit_plot_close(f, dir, script);
        if (st == CR_OK) st = cr_fit_plot_render(dir, script);
    }
    free(sel);
    return st;
}

/* One bar: x from x0 to x1 at row y, colour c, label (a data string of plain names). */
static void cr_fit_wl_bar(FILE *f, double x0, double x1, int y, int c, const char *label)
{
    fprintf(f, "%.6g %d %.6g %.6g %.6g %.6g %d \"%s\"\n", (x0 + x1) / 2, y, x0, x1, y - 0.35,
            y + 0.35, c, label);
}

/* workload-N.dat: the calls laid end to end from 0 (row 1 at the top), then the
 * remainder, then the whole step; x in µs. */
static cr_status_t cr_fit_wl_dat(const char *dir, const char *name, const cr_fit_wl_t *w)
{
    FILE *f = cr_fit_plot_create(dir, name);
    double x = 0, rem = cr_fit_wl_remainder(w);
    int y = (int)w->ncalls + 2;
    char label[3 * CR_NAME_LEN + 32];
    if (!f) return CR_ERR_IO;
    fputs("# x_mid_us row x_lo_us x_hi_us row_lo row_hi colour label\n", f);
    for (size_t c = 0; c < w->ncalls; c++, y--) {
        const cr_fit_wl_row_t *r = &w->calls[c];
        snprintf(label, sizeof label, "%d %s%s%s %s x%ld", r->index, r->collective,
                 r->skew[0] ? "/" : "", r->skew, r->comm, r->count);
        cr_fit_wl_bar(f, x, x + r->t_med, y, (int)c + 1, label);
        x += r->t_med;
    }
    cr_fit_wl_bar(f, x, x + (rem > 0 ? rem : 0), y--, 0, "gaps+sync");
    cr_fit_wl_bar(f, 0, w->step.t_med, y, (int)w->ncalls + 1, "step");
    return cr_fit_plot_close(f, dir, name);
}

cr_status_t cr_fit_plot_workload(const char *dir, const cr_fit_report_t *rep, int formats)
{
    const char *script = "plot-workload.gp";
    char dat[48];
    FILE *f;
    if (!rep->wl || !rep->wl->n) return CR_OK;
    for (size_t i = 0; i < rep->wl->n; i++) {
        snprintf(dat, sizeof dat, "workload-%zu.dat", i + 1);
        CR_CHECK(cr_fit_wl_dat(dir, dat, &rep->wl->wl[i]));
    }
    if (!(f = cr_fit_plot_create(dir, script))) return CR_ERR_IO;
    fputs("set xlabel 'time per step (us, measured medians)'\nset grid x\nset key off\n"
          "set xrange [0:*]\nset style fill solid 0.6 border -1\nset ytics nomirror\n", f);
    for (size_t i = 0; i < rep->wl->n; i++) {
        const cr_fit_wl_t *w = &rep->wl->wl[i];
        fprintf(f, "set yrange [0.3:%zu.7]\n", w->ncalls + 2);
        for (size_t k = 0; k < CR_FIT_PLOT_NFMT; k++) {
            if (!(formats & cr_fit_plot_fmts[k].bit)) continue;
            fprintf(f, "set terminal %s\nset output ", cr_fit_plot_fmts[k].term);
            cr_fit_gp_quotef(f, "workload-%zu.%s", i + 1, cr_fit_plot_fmts[k].ext);
            fputs("\nset title ", f);
            cr_fit_gp_quotef(f, "workload %s (run %s): calls end to end, then gaps + sync", w->name, w->run_id);
            fputs("\nplot ", f);
            cr_fit_gp_quotef(f, "workload-%zu.dat", i + 1);
            fputs(" using 1:2:3:4:5:6:7:ytic(8) with boxxyerror lc variable notitle\n"
                  "unset output\n", f);
        }
    }
    CR_CHECK(cr_fit_plot_close(f, dir, script));
    return cr_fit_plot_render(dir, script);
}
