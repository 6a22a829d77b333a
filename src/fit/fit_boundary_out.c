/* The boundary's CSV (one row per assignment; docs/formats.md, "boundary CSV") and
 * plot. CSV numbers are plain decimals (%.10g), text RFC 4180-quoted when it holds a
 * comma, quote or line break; as in fit_plot.c every string the gnuplot script holds
 * goes through cr_fit_gp_quote(), and the data file holds numbers only. */
#include "config.h"

#include "fit_boundary.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cr_fs.h"
#include "fit_plot.h"

static void cr_fit_bnd_text(FILE *f, const char *v)
{
    if (!v[strcspn(v, ",\"\r\n")]) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (; *v; v++) {
        if (*v == '"') fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

static void cr_fit_bnd_num(FILE *f, double v)
{
    fputc(',', f);
    if (isfinite(v)) fprintf(f, "%.10g", v);
}

cr_status_t cr_fit_bnd_csv(const char *path, const cr_fit_bnd_t *b)
{
    char err[4400];
    FILE *f = cr_fs_create(path, 1, err, sizeof err);   /* never through a link */
    if (!f) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    fputs("assignment,nodes,ppn", f);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        const char *lv = cr_fit_plan_levels[l];
        fprintf(f, ",class_%s,ceiling_%s_GBps,link_%s_bytes,energy_%s_lo_J,energy_%s_hi_J", lv,
                lv, lv, lv, lv);
    }
    fputs(",comm_us,exposed_us,step_us,step_lo_us,step_hi_us,energy_lo_J,energy_mid_J,"
          "energy_hi_J,pareto,meets_limit,best,bytes_basis", f);
    /* appended: each level's bytes labelled, and where measured ones came from */
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) fprintf(f, ",link_%s_basis", cr_fit_plan_levels[l]);
    fputs(",link_bytes_source\n", f);
    for (int i = 0; i < b->n; i++) {
        const cr_fit_bnd_row_t *r = &b->rows[i];
        fprintf(f, "%d,%d,%d", i + 1, b->nodes, b->ppn);
        for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
            fputc(',', f);
            if (!b->crossed[l]) {
                fputs(",,,,", f);
                continue;
            }
            cr_fit_bnd_text(f, r->cls[l]->id);
            cr_fit_bnd_num(f, r->ceil_GBps[l]);
            cr_fit_bnd_num(f, b->bytes[l]);
            cr_fit_bnd_num(f, r->e_lv_lo[l]);
            cr_fit_bnd_num(f, r->e_lv_hi[l]);
        }
        cr_fit_bnd_num(f, r->comm);
        cr_fit_bnd_num(f, r->exposed);
        cr_fit_bnd_num(f, r->t);
        cr_fit_bnd_num(f, r->t_lo);
        cr_fit_bnd_num(f, r->t_hi);
        cr_fit_bnd_num(f, r->e_lo);
        cr_fit_bnd_num(f, (r->e_lo + r->e_hi) / 2);
        cr_fit_bnd_num(f, r->e_hi);
        fprintf(f, ",%d,", r->pareto);
        if (r->meets >= 0) fprintf(f, "%d", r->meets);
        fprintf(f, ",%d,", i == b->best);
        cr_fit_bnd_text(f, b->basis);
        for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
            fputc(',', f);
            if (b->lv_basis[l]) fputs(b->lv_basis[l], f);
        }
        fprintf(f, ",%d of %d call lines measured (wire)\n", b->nmeas, b->ncalls);
    }
    if (ferror(f) | fclose(f)) {
        cr_error("cannot write %s: %s", path, strerror(errno));
        return CR_ERR_IO;
    }
    return CR_OK;
}

cr_status_t cr_fit_plot_boundary(const char *dir, const cr_fit_bnd_t *b)
{
    char path[4096], err[4400], name[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/boundary.dat", dir);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    /* block 0: every assignment; block 1: the front, by step time */
    fputs("# assignment step_us energy_hi_J energy_lo_J\n", f);
    for (int i = 0; i < b->n; i++)
        fprintf(f, "%d %.10g %.10g %.10g\n", i + 1, b->rows[i].t, b->rows[i].e_hi,
                b->rows[i].e_lo);
    fputs("\n\n# the Pareto front\n", f);
    for (int i = 0, last = -1; i < b->n; i++) {
        int next = -1;
        for (int j = 0; j < b->n; j++) {
            const cr_fit_bnd_row_t *r = &b->rows[j];
            if (!r->pareto) continue;
            if (last >= 0 && (r->t < b->rows[last].t || (r->t == b->rows[last].t && j <= last)))
                continue;
            if (next < 0 || r->t < b->rows[next].t) next = j;
        }
        if (next < 0) break;
        fprintf(f, "%d %.10g %.10g %.10g\n", next + 1, b->rows[next].t, b->rows[next].e_hi,
                b->rows[next].e_lo);
        last = next;
    }
    if (fclose(f) != 0) {
        cr_error("cannot write %s", path);
        return CR_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/plot-boundary.gp", dir);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    fprintf(f, "set terminal %s\nset output ", cr_fit_plot_fmts[0].term);
    cr_fit_gp_quote(f, "boundary.svg");
    fputs("\nset title ", f);
    cr_fit_gp_quotef(f, "where the boundary sits: %d nodes x %d ppn, bytes %s", b->nodes, b->ppn,
                     b->basis);
    fputs("\nset xlabel ", f);
    cr_fit_gp_quote(f, "step time (us, predicted)");
    fputs("\nset ylabel ", f);
    cr_fit_gp_quote(f, "link energy per step (J, high end of the catalog range)");
    fputs("\nset grid\nset key outside right top\n", f);
    for (int i = 0; i < b->n; i++) {
        fprintf(f, "set label %d ", i + 1);
        cr_fit_gp_quote(f, cr_fit_bnd_name(b, &b->rows[i], name, sizeof name));
        fprintf(f, " at %.10g, %.10g offset 0.5, 0.5 font ", b->rows[i].t, b->rows[i].e_hi);
        cr_fit_gp_quote(f, "sans,9");
        fputc('\n', f);
    }
    fputs("plot ", f);
    cr_fit_gp_quote(f, "boundary.dat");
    fputs(" index 0 using 2:3 with points pt 7 ps 1 title ", f);
    cr_fit_gp_quote(f, "assignment");
    fputs(", ", f);
    cr_fit_gp_quote(f, "boundary.dat");
    fputs(" index 1 using 2:3 with linespoints lw 2 pt 6 ps 1.6 title ", f);
    cr_fit_gp_quote(f, "Pareto front");
    fputs("\nunset output\n", f);
    if (fclose(f) != 0) {
        cr_error("cannot write %s", path);
        return CR_ERR_IO;
    }
    return cr_fit_plot_render(dir, "plot-boundary.gp");
}
