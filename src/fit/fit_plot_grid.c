/* predict --grid's plot: time vs nodes per what-if (cr_fit_plot_grid in fit_plot.h).
 * Every label goes through cr_fit_gp_quote: titles are data. */
#include "config.h"

#include "fit_plot.h"
#include "cr_fs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "rail=50 GB/s, ppn 8, 1048576 bytes" of a series' first point. */
static void cr_fit_plot_grid_title(const cr_fit_grid_pt_t *pt, int measured, char *buf,
                                   size_t len)
{
    char wi[256];
    cr_fit_query_whatif_str(&pt->q, wi, sizeof wi);
    snprintf(buf, len, "%s, ppn %d, %llu bytes%s", measured || !wi[0] ? "measured fabric" : wi,
             pt->q.ppn, (unsigned long long)pt->q.bytes, pt->hier ? "" : " (flat)");
}

/* Whether series s is the first with its ppn and size (its measured line is drawn). */
static int cr_fit_plot_grid_first(const cr_fit_grid_pt_t *pts, size_t n, size_t at)
{
    for (size_t i = 0; i < at && i < n; i++)
        if (pts[i].q.ppn == pts[at].q.ppn && pts[i].q.bytes == pts[at].q.bytes) return 0;
    return 1;
}

cr_status_t cr_fit_plot_grid(const char *dir, const char *collective,
                             const cr_fit_grid_pt_t *pts, size_t n)
{
    char path[4096], err[4400], title[512];
    FILE *f, *gp;
    size_t nser = 0, *first;
    int any_wi = 0;
    if (cr_mkdir_p(dir, err, sizeof err) != CR_OK) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/grid.dat", dir);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    CR_CHECK_ALLOC(first = calloc(n ? n : 1, sizeof *first), n * sizeof *first);
    fputs("# nodes t_us t_lo_us t_hi_us t_measured_us; one block per series\n", f);
    for (size_t i = 0; i < n; i++) {
        char wi[256];
        if (i == 0 || pts[i].series != pts[i - 1].series) {
            if (i) fputs("\n\n", f);
            first[nser++] = i;
        }
        any_wi |= cr_fit_query_whatif_str(&pts[i].q, wi, sizeof wi)[0] != '\0';
        if (!(pts[i].t > 0)) {   /* no answer: a gap in its line */
            fputc('\n', f);
            continue;
        }
        fprintf(f, "%d %.9g %.9g %.9g %.9g\n", pts[i].q.nodes, pts[i].t, pts[i].lo, pts[i].hi,
                pts[i].tm);
    }
    if (ferror(f) | fclose(f)) {
        free(first);
        cr_error("cannot write %s", path);
        return CR_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/plot-grid.gp", dir);
    if (!(gp = cr_fs_create(path, 1, err, sizeof err))) {
        free(first);
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    fprintf(gp, "set terminal %s\nset output 'grid.svg'\n", cr_fit_plot_fmts[0].term);
    fputs("set logscale xy\nset xlabel 'nodes'\nset ylabel 'predicted time (us)'\n"
          "set key outside right top\nset grid\nset format y '%g'\nset title ", gp);
    cr_fit_gp_quotef(gp, "%s: predicted time vs nodes%s", collective,
                     any_wi ? " (what-if fabrics; dashed: measured fabric)" : "");
    fputs("\nplot ", gp);
    for (size_t s = 0; s < nser; s++) {
        size_t i = first[s];
        cr_fit_plot_grid_title(&pts[i], 0, title, sizeof title);
        fprintf(gp, "%s'grid.dat' index %zu using 1:2:3:4 with yerrorlines lc %zu title ",
                s ? ", \\\n     " : "", s, s + 1);
        cr_fit_gp_quote(gp, title);
        if (any_wi && cr_fit_plot_grid_first(pts, n, i)) {
            cr_fit_plot_grid_title(&pts[i], 1, title, sizeof title);
            fprintf(gp, ", \\\n     'grid.dat' index %zu using 1:5 with lines dt 2 lc %zu "
                    "title ", s, s + 1);
            cr_fit_gp_quote(gp, title);
        }
    }
    fputs("\nunset output\n", gp);
    free(first);
    if (ferror(gp) | fclose(gp)) {
        cr_error("cannot write %s", path);
        return CR_ERR_IO;
    }
    return cr_fit_plot_render(dir, "plot-grid.gp");
}
