/* predict --grid: every point of the sweep answered from one loaded fit; a --csv
 * row per point, a compact table on stdout, the plot (fit_grid.h, fit_plot.h). */
#include "config.h"

#include "fit_cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fit_grid.h"
#include "fit_plot.h"

/* The answer a point's row carries: hierarchical when the fits have its phases,
 * else flat; times NAN when neither answered. */
static void cr_fit_grid_pick(const cr_fit_answer_t *ans, cr_fit_grid_pt_t *pt)
{
    pt->t = pt->lo = pt->hi = pt->tm = NAN;
    pt->hier = ans->hier_ok;
    if (ans->hier_ok) {
        pt->t = ans->h.t;
        pt->lo = ans->h.t_lo;
        pt->hi = ans->h.t_hi;
        pt->tm = ans->hm.t;
    } else if (ans->flat_ok) {
        pt->t = ans->p.t;
        pt->lo = ans->p.t_lo;
        pt->hi = ans->p.t_hi;
        pt->tm = ans->pm.t;
    }
}

/* A row for a point nothing answered: the query, empty numbers, why. */
static void cr_fit_grid_none(const cr_fit_query_t *q, const cr_fit_answer_t *ans,
                             cr_fit_prediction_t *p)
{
    memset(p, 0, sizeof *p);
    p->t = p->t_lo = p->t_hi = NAN;
    snprintf(p->level, sizeof p->level, "%s", q->level ? q->level : "world");
    snprintf(p->cadence, sizeof p->cadence, "%s", q->cadence ? q->cadence : "");
    snprintf(p->model, sizeof p->model, "none");
    snprintf(p->warning, sizeof p->warning, "no prediction%s%s (predict without --grid says "
             "why)", ans->why[0] ? ": hierarchical: " : "", ans->why);
}

int cr_fit_predict_grid(cr_fit_pargs_t *a)
{
    cr_fit_grid_t g;
    cr_fit_model_t m;
    cr_fit_grid_pt_t *pts = NULL;
    static cr_fit_answer_t ans;
    FILE *csv = NULL;
    char err[512], wi[256];
    size_t n, nbad = 0;
    int rc = 0, fresh = 0;
    if (cr_fit_grid_parse(a->grid, &g, err, sizeof err) != CR_OK) {
        cr_error("%s", err);
        cr_fit_grid_free(&g);
        return 2;
    }
    n = cr_fit_grid_size(&g);
    for (size_t i = 0; i < n; i++) {   /* every point has a topology and a size */
        cr_fit_query_t q;
        cr_fit_grid_point(&g, i, &a->q, &q);
        if (!q.nodes || !q.ppn || !q.bytes || (double)q.nodes * q.ppn > (double)(1L << 24)) {
            cr_error("--grid needs nodes and ppn (in the grid or as --nodes, --ppn; at most "
                     "%ld ranks) and bytes (in the grid or --bytes)", 1L << 24);
            cr_fit_grid_free(&g);
            return 2;
        }
    }
    if (!a->fit || !a->q.collective) {
        cr_error("--grid needs --fit DIR and --collective C");
        cr_fit_grid_free(&g);
        return 2;
    }
    if (cr_fit_model_load(a->fit, &m) != CR_OK) {
        cr_fit_grid_free(&g);
        return 1;
    }
    if (!(pts = calloc(n, sizeof *pts))) {
        cr_error("out of memory for %zu grid points", n);
        rc = 1;
        goto out_with_model;
    }
    if (a->csv) {   /* the header only into a new or empty file */
        struct stat sb;
        fresh = stat(a->csv, &sb) != 0 || sb.st_size == 0;
    }
    if (a->csv && !(csv = fopen(a->csv, "a"))) {
        cr_error("cannot append to %s", a->csv);
        rc = 1;
        goto out_with_pts;
    }
    if (csv && fresh) cr_fit_pcsv_header(csv);
    printf("%-7s %-5s %-11s %-28s %12s %12s %25s %9s  %s\n", "nodes", "ppn", "bytes", "what-if",
           "measured_us", "t_us", "[lo_us, hi_us]", "ratio", "model");
    cr_log_quiet(1);   /* a point without an answer says so in its row */
    for (size_t i = 0; i < n; i++) {
        cr_fit_grid_pt_t *pt = &pts[i];
        cr_fit_pcsv_row_t row;
        cr_fit_prediction_t none;
        cr_fit_grid_point(&g, i, &a->q, &pt->q);
        cr_fit_answer_get(&m, &pt->q, 1, &ans);
        cr_fit_grid_pick(&ans, pt);
        pt->series = cr_fit_grid_series(&g, i);
        memset(&row, 0, sizeof row);
        row.q = &pt->q;
        if (ans.hier_ok) {
            row.p = ans.flat_ok ? &ans.p : &ans.h.ph[ans.h.nph - 1].pr;
            row.pm = row.p;
            row.h = &ans.h;
            row.hm = &ans.hm;
        } else if (ans.flat_ok) {
            row.p = &ans.p;
            row.pm = &ans.pm;
        } else {
            cr_fit_grid_none(&pt->q, &ans, &none);
            row.p = row.pm = &none;
            nbad++;
        }
        if (csv) cr_fit_pcsv_row(csv, &row);
        cr_fit_query_whatif_str(&pt->q, wi, sizeof wi);
        printf("%-7d %-5d %-11llu %-28s %12.5g %12.5g  [%10.5g, %10.5g] %9.4g  %s\n",
               pt->q.nodes, pt->q.ppn, (unsigned long long)pt->q.bytes, wi[0] ? wi : "-",
               pt->tm, pt->t, pt->lo, pt->hi, pt->t / pt->tm,
               ans.hier_ok ? (ans.h.alg == CR_FIT_HIER_LEADER ? "hierarchical leader"
                                                              : "hierarchical rail")
                           : ans.flat_ok ? ans.p.model : "none");
    }
    cr_log_quiet(0);
    printf("%zu grid points%s%s\n", n, csv ? ", rows appended to " : "", csv ? a->csv : "");
    if (csv && (ferror(csv) | fclose(csv))) {
        cr_error("cannot write %s", a->csv);
        rc = 1;
    }
    if (nbad) {
        cr_error("%zu of %zu grid points have no prediction (their rows say so; predict "
                 "without --grid on one of them says why)", nbad, n);
        rc = 1;
    }
    if (a->grid_plot && cr_fit_plot_grid(a->grid_plot, a->q.collective, pts, n) != CR_OK) rc = 1;
out_with_pts:
    free(pts);
out_with_model:
    cr_fit_model_free(&m);
    cr_fit_grid_free(&g);
    return rc;
}
