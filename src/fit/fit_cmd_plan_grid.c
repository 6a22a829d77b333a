/* plan --grid: the workload planned at every point of a sweep of nodes, ppn and
 * what-if rates (predict's grid, fit_grid.h, without sizes: a workload's calls carry
 * their own); CSV rows streamed per point, a table of step times, the plot. */
#include "config.h"

#include "fit_cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cr_fs.h"
#include "fit_energy.h"
#include "fit_grid.h"
#include "fit_plan.h"
#include "fit_plot.h"

#define CR_FIT_PLAN_GRID_MAXPTS 10000   /* plans per command */

/* The grid's node and ppn axes from the command (--nodes, --ppn, else the fit's
 * defaults dn, dp) when the spec leaves them out; refuses sizes and an axis given
 * twice. 0, or 2 after printing why. */
static int cr_fit_plan_grid_axes(const cr_fit_plan_args_t *a, int dn, int dp, cr_fit_grid_t *g)
{
    if (g->nbytes) {
        cr_error("invalid --grid '%s' for plan: bytes= does not apply to a workload (each call "
                 "line carries its size); sweep nodes=, ppn=, LEVEL-GBps= or LEVEL-latency-us=",
                 a->grid);
        return 2;
    }
    if (g->nnodes && a->nnodes) {
        cr_error("node counts given twice: in --grid nodes= and in --nodes (give one)");
        return 2;
    }
    if (g->nppn && a->ppn) {
        cr_error("ranks per node given twice: in --grid ppn= and in --ppn (give one)");
        return 2;
    }
    if (!g->nnodes) {
        int k = a->nnodes ? a->nnodes : 1;
        if (!(g->nodes = malloc((size_t)k * sizeof *g->nodes))) return 1;
        for (int j = 0; j < k; j++) g->nodes[j] = a->nnodes ? a->nodes[j] : dn;
        g->nnodes = (size_t)k;
    }
    if (!g->nppn) {
        if (!(g->ppn = malloc(sizeof *g->ppn))) return 1;
        g->ppn[0] = a->ppn ? a->ppn : dp;
        g->nppn = 1;
    }
    if (cr_fit_grid_size(g) > CR_FIT_PLAN_GRID_MAXPTS) {
        cr_error("invalid --grid '%s' for plan: %zu points, expected at most %d", a->grid,
                 cr_fit_grid_size(g), CR_FIT_PLAN_GRID_MAXPTS);
        return 2;
    }
    return 0;
}

static void cr_fit_plan_gpt_set(const cr_fit_plan_t *p, size_t series, cr_fit_plan_gpt_t *pt)
{
    pt->nodes = p->nodes;
    pt->ppn = p->ppn;
    snprintf(pt->whatif, sizeof pt->whatif, "%s", p->whatif);
    pt->compute = p->compute;
    memcpy(pt->lv, p->lv, sizeof pt->lv);
    pt->t = p->t;
    pt->t_lo = p->t_lo;
    pt->t_hi = p->t_hi;
    pt->t_measured = p->whatif[0] ? p->t_measured : NAN;
    pt->extrapolated = p->extrapolated;
    pt->series = series;
}

/* "internode 1234" for the level whose exposed time is largest, or "compute". */
static const char *cr_fit_plan_gpt_binds(const cr_fit_plan_gpt_t *pt, char *buf, size_t len)
{
    int top = 0;
    double exposed = 0;
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        exposed += pt->lv[l];
        if (pt->lv[l] > pt->lv[top]) top = l;
    }
    if (pt->compute >= exposed) snprintf(buf, len, "compute");
    else snprintf(buf, len, "comm:%s", cr_fit_plan_levels[top]);
    return buf;
}

/* Prices plan p at its point as plan --energy prices one plan (fit_energy.h). */
static cr_status_t cr_fit_plan_grid_energy(const cr_fit_plan_args_t *a,
                                           const cr_fit_link_assign_t *la,
                                           const cr_fit_wire_t *wire, cr_fit_plan_t *p,
                                           char *err, size_t errlen)
{
    if (wire) cr_fit_energy_wire_apply(wire, p);
    CR_CHECK(cr_fit_energy_plan(la, p, err, errlen));
    return a->energy_run ? cr_fit_energy_rapl(a->energy_run, p, err, errlen) : CR_OK;
}

int cr_fit_plan_grid(const cr_fit_plan_args_t *a, const cr_workload_t *wl,
                     const cr_fit_model_t *m, cr_fit_plan_opts_t *o,
                     const cr_fit_link_assign_t *la, const cr_fit_wire_t *wire)
{   /* o->nodes, o->ppn: the defaults where neither --grid nor the options give them */
    cr_fit_grid_t g;
    cr_fit_plan_t *p = NULL;
    cr_fit_plan_gpt_t *pts = NULL;
    cr_fit_query_t base = o->base;
    FILE *csv = NULL;
    char err[1024], binds[48];
    int rc, nwarn = 0;
    size_t n;
    if (cr_fit_grid_parse(a->grid, &g, err, sizeof err) != CR_OK) {
        cr_error("%s", err);
        cr_fit_grid_free(&g);
        return 2;
    }
    if ((rc = cr_fit_plan_grid_axes(a, o->nodes, o->ppn, &g)) != 0) goto out_with_grid;
    n = cr_fit_grid_size(&g);
    if (!(p = malloc(sizeof *p)) || !(pts = calloc(n, sizeof *pts))) {
        cr_error("out of memory for %zu grid points", n);
        rc = 1;
        goto out_with_mem;
    }
    if (a->csv && !(csv = cr_fit_plan_csv_open(a->csv))) {
        rc = 1;
        goto out_with_mem;
    }
    printf("plan %s --grid %s: %zu points; step = sum of count x (compute + exposed "
           "communication)\n", wl->name, a->grid, n);
    printf("%-7s %-5s %-28s %12s %27s %12s %12s %12s %12s %12s  %-14s %s%s\n", "nodes",
           "ppn", "what-if", "step_us", "[95% interval]", "measured_us", "compute_us",
           "exp_node_us", "exp_rail_us", "exp_inter_us", "binds", "extrap",
           la ? "    link_J [lo, hi]             bytes" : "");
    for (size_t i = 0; i < n; i++) {
        cr_fit_query_t q;
        char iv[64];
        cr_fit_grid_point(&g, i, &base, &q);
        o->base = q;
        o->nodes = q.nodes;
        o->ppn = q.ppn;
        if (cr_fit_plan_run(m, wl, o, p, err, sizeof err) != CR_OK ||
            cr_fit_plan_measured(m, wl, o, p, err, sizeof err) != CR_OK) {
            cr_error("grid point %zu (%d nodes x %d ppn): %s", i + 1, q.nodes, q.ppn, err);
            rc = 2;
            goto out_with_csv;
        }
        if (la) {
            cr_status_t st = cr_fit_plan_grid_energy(a, la, wire, p, err, sizeof err);
            if (st != CR_OK) {
                cr_error("grid point %zu (%d nodes x %d ppn): %s", i + 1, q.nodes, q.ppn, err);
                rc = st == CR_ERR_INVAL ? 2 : 1;
                goto out_with_csv;
            }
        }
        for (int k = 0; k < p->ncalls; k++) nwarn += p->calls[k].warning[0] != '\0';
        if (csv) cr_fit_plan_csv_add(csv, wl, p);
        cr_fit_plan_gpt_set(p, cr_fit_grid_series(&g, i), &pts[i]);
        snprintf(iv, sizeof iv, "[%.5g, %.5g]", p->t_lo, p->t_hi);
        printf("%-7d %-5d %-28s %12.5g %27s %12.5g %12.5g %12.5g %12.5g %12.5g  %-14s %s",
               p->nodes, p->ppn, p->whatif[0] ? p->whatif : "-", p->t, iv, pts[i].t_measured,
               p->compute, p->lv[0], p->lv[1], p->lv[2] + p->lv[3],
               cr_fit_plan_gpt_binds(&pts[i], binds, sizeof binds),
               p->extrapolated ? "yes" : "no");
        if (la) {
            int measured = 0;
            for (int k = 0; k < p->ncalls; k++)
                measured += !strcmp(p->calls[k].bytes_basis, "measured");
            snprintf(iv, sizeof iv, "[%.4g, %.4g]", p->e_lo, p->e_hi);
            printf("%*s  %-26s %s", p->extrapolated ? 4 : 5, "", iv, measured == p->ncalls && measured ? "measured" :
                   measured ? "part measured" : "modelled");
        }
        printf("\n");
    }
    printf("exp_inter_us: internode and world levels; measured_us: the same step on the "
           "measured fabric (what-if points)\n");
    if (la)
        printf("link_J: link energy per step, low-high, at the classes --link names (bytes "
               "measured where the run has the call's row: CSV link_bytes_source). A what-if "
               "rate changes the time and so the power, not the energy per bit, which is the "
               "class's: another class is another --link\n");
    if (nwarn)
        printf("%d call warnings over the grid (extrapolation beyond the measured scale, in "
               "the CSV's warning column; plan without --grid prints them per call)\n", nwarn);
    fflush(stdout);
out_with_csv:
    if (csv && cr_fit_plan_csv_close(csv, a->csv) != CR_OK && !rc) rc = 1;
    if (csv && rc) remove(a->csv);   /* no spreadsheet that stops at the failing point */
    if (!rc && a->plot) {
        if (cr_mkdir_p(a->plot, err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            rc = 1;
        } else if (cr_fit_plot_plan_grid(a->plot, wl, pts, n) != CR_OK) {
            rc = 1;
        }
    }
out_with_mem:
    free(pts);
    free(p);
out_with_grid:
    cr_fit_grid_free(&g);
    return rc;
}
