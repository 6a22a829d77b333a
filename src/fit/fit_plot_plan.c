/* The plan's plot: step time per node count, stacked by compute and the exposed
 * communication of each level. As in fit_plot.c, every string the script holds
 * goes through cr_fit_gp_quote(); the data file holds numbers only. */
#include "config.h"

#include "fit_plot.h"
#include "cr_fs.h"
#include "fit_plan.h"

#include <stdio.h>
#include <string.h>

cr_status_t cr_fit_plot_plan(const char *dir, const cr_workload_t *wl, const cr_fit_plan_t *p,
                             int n)
{
    static const char *const colors[CR_FIT_PLAN_NLV + 1] = {"#4daf4a", "#377eb8", "#984ea3",
                                                            "#ff7f00", "#e41a1c"};
    char path[4096], err[4400];
    FILE *f;
    snprintf(path, sizeof path, "%s/plan.dat", dir);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    fputs("# nodes compute_us exposed_node_us exposed_rail_us exposed_internode_us "
          "exposed_world_us step_us step_lo_us step_hi_us\n", f);
    for (int j = 0; j < n; j++) {
        fprintf(f, "%d %.6g", p[j].nodes, p[j].compute);
        for (int l = 0; l < CR_FIT_PLAN_NLV; l++) fprintf(f, " %.6g", p[j].lv[l]);
        fprintf(f, " %.6g %.6g %.6g\n", p[j].t, p[j].t_lo, p[j].t_hi);
    }
    if (fclose(f) != 0) {
        cr_error("cannot write %s", path);
        return CR_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/plot-plan.gp", dir);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    fprintf(f, "set terminal %s\nset output ", cr_fit_plot_fmts[0].term);
    cr_fit_gp_quote(f, "plan.svg");
    fputs("\nset title ", f);
    cr_fit_gp_quotef(f, "plan %s: step = compute + exposed communication, %d ppn", wl->name,
                     p[0].ppn);
    fputs("\nset xlabel ", f);
    cr_fit_gp_quote(f, "nodes");
    fputs("\nset ylabel ", f);
    cr_fit_gp_quote(f, "time per step (us, predicted)");
    fputs("\nset style data histograms\nset style histogram rowstacked\n"
          "set style fill solid 0.7 border -1\nset boxwidth 0.6\nset key outside right top\n"
          "set grid y\nset yrange [0:*]\nplot ", f);
    for (int s = 0; s <= CR_FIT_PLAN_NLV; s++) {
        char title[64];
        snprintf(title, sizeof title, "%s%s", s ? "exposed comm " : "compute",
                 s ? cr_fit_plan_levels[s - 1] : "");
        if (s) fputs(", '' ", f);
        else cr_fit_gp_quote(f, "plan.dat");
        fprintf(f, " using %d:xtic(1) title ", s + 2);
        cr_fit_gp_quote(f, title);
        fputs(" lc rgb ", f);
        cr_fit_gp_quote(f, colors[s]);
    }
    fputs("\nunset output\n", f);
    if (fclose(f) != 0) {
        cr_error("cannot write %s", path);
        return CR_ERR_IO;
    }
    return cr_fit_plot_render(dir, "plot-plan.gp");
}

/* "internode=50 GB/s, ppn 8" or "measured fabric, ppn 8": a panel's title. */
static void cr_fit_plot_plan_series(const cr_fit_plan_gpt_t *pt, char *buf, size_t len)
{
    snprintf(buf, len, "%s, %d ppn", pt->whatif[0] ? pt->whatif : "measured fabric", pt->ppn);
}

cr_status_t cr_fit_plot_plan_grid(const char *dir, const cr_workload_t *wl,
                                  const cr_fit_plan_gpt_t *pts, size_t n)
{
    static const char *const colors[CR_FIT_PLAN_NLV + 1] = {"#4daf4a", "#377eb8", "#984ea3",
                                                            "#ff7f00", "#e41a1c"};
    char path[4096], err[4400], title[320];
    size_t nser = 0, cols, rows, s = 0;
    double ymax = 0;
    FILE *f;
    snprintf(path, sizeof path, "%s/plan-grid.dat", dir);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    fputs("# nodes compute_us exposed_node_us exposed_rail_us exposed_internode_us "
          "exposed_world_us step_us step_lo_us step_hi_us; one block per series\n", f);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || pts[i].series != pts[i - 1].series) {
            if (i) fputs("\n\n", f);
            nser++;
        }
        fprintf(f, "%d %.6g", pts[i].nodes, pts[i].compute);
        for (int l = 0; l < CR_FIT_PLAN_NLV; l++) fprintf(f, " %.6g", pts[i].lv[l]);
        fprintf(f, " %.6g %.6g %.6g\n", pts[i].t, pts[i].t_lo, pts[i].t_hi);
        if (pts[i].t > ymax) ymax = pts[i].t;
    }
    if (ferror(f) | fclose(f)) {
        cr_error("cannot write %s", path);
        return CR_ERR_IO;
    }
    cols = nser < 2 ? 1 : 2;
    rows = (nser + cols - 1) / cols;
    snprintf(path, sizeof path, "%s/plot-plan-grid.gp", dir);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    /* one panel per series, 500 x 350 each, one y axis for all: heights compare */
    fprintf(f, "set terminal svg size %zu,%zu dynamic noenhanced font 'sans,11'\nset output ",
            cols * 560, rows * 380 + 40);
    cr_fit_gp_quote(f, "plan-grid.svg");
    fprintf(f, "\nset multiplot layout %zu,%zu title ", rows, cols);
    cr_fit_gp_quotef(f, "plan %s: step = compute + exposed communication per level "
                     "(predicted; one y axis)", wl->name);
    fputs("\nset xlabel ", f);
    cr_fit_gp_quote(f, "nodes");
    fputs("\nset ylabel ", f);
    cr_fit_gp_quote(f, "time per step (us)");
    fprintf(f, "\nset style data histograms\nset style histogram rowstacked\n"
            "set style fill solid 0.7 border -1\nset boxwidth 0.6\nset grid y\n"
            "set yrange [0:%.6g]\nset key top left opaque\n", ymax > 0 ? ymax * 1.15 : 1);
    for (size_t i = 0; i < n; i++) {
        if (i && pts[i].series == pts[i - 1].series) continue;
        cr_fit_plot_plan_series(&pts[i], title, sizeof title);
        fputs("set title ", f);
        cr_fit_gp_quote(f, title);
        fputs(s ? "\nunset key\nplot " : "\nplot ", f);
        for (int k = 0; k <= CR_FIT_PLAN_NLV; k++) {
            char t[64];
            snprintf(t, sizeof t, "%s%s", k ? "exposed " : "compute",
                     k ? cr_fit_plan_levels[k - 1] : "");
            if (k) fputs(", '' ", f);
            else cr_fit_gp_quote(f, "plan-grid.dat");
            fprintf(f, " index %zu using %d:xtic(1) title ", s, k + 2);
            cr_fit_gp_quote(f, t);
            fputs(" lc rgb ", f);
            cr_fit_gp_quote(f, colors[k]);
        }
        fputc('\n', f);
        s++;
    }
    fputs("unset multiplot\nunset output\n", f);
    if (ferror(f) | fclose(f)) {
        cr_error("cannot write %s", path);
        return CR_ERR_IO;
    }
    return cr_fit_plot_render(dir, "plot-plan-grid.gp");
}
