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
