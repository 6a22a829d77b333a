/* The boundary command: every assignment of link classes to the levels a workload
 * step crosses (fit_boundary.h), printed as a table, written as a CSV and plotted. */
#include "config.h"

#include "fit_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cr_dtype.h"
#include "cr_fs.h"
#include "fit_boundary.h"
#include "fit_plot.h"

typedef struct cr_fit_bnd_args {
    const char *fit, *workload, *csv, *plot, *cadence, *links, *classes, *energy_run;
    int nodes, ppn;
    double reach[CR_FIT_PLAN_NLV];    /* metres; 0: not given */
    double ports[CR_FIT_PLAN_NLV];    /* ports per host; 0: 1 */
    double hops[CR_FIT_PLAN_NLV];     /* links crossed; 0: 1 */
    double max_step_ms, overlap, peak_tflops, mem_GBps;
    int overlap_given, overlap_from_fit, hier_alg, help;
} cr_fit_bnd_args_t;

static cr_status_t cr_fit_bnd_set_int(const cr_cli_opt_t *opt, void *target, const char *arg,
                                      char *err, size_t errlen)
{
    char name[64];
    long v;
    snprintf(name, sizeof name, "--%s", opt->name);
    CR_CHECK(cr_fit_opt_long(name, arg, opt->lo, opt->hi, &v, err, errlen));
    *(int *)((char *)target + opt->field) = (int)v;
    return CR_OK;
}

static cr_status_t cr_fit_bnd_set_num(const cr_cli_opt_t *opt, void *target, const char *arg,
                                      char *err, size_t errlen)
{
    char name[64];
    double lo = !strcmp(opt->name, "overlap") ? 0 : 1e-12, hi = !strcmp(opt->name, "overlap") ? 1 : 1e12;
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_fit_opt_double(name, arg, lo, hi, (double *)((char *)target + opt->field), err,
                             errlen);
}

/* "LEVEL=X[,LEVEL=X...]" over the plan levels, each X in [opt->lo, opt->hi]
 * (an integer where opt->lo is 1: ports and hops). */
static cr_status_t cr_fit_bnd_set_levels(const cr_cli_opt_t *opt, void *target, const char *arg,
                                         char *err, size_t errlen)
{
    double *vals = (double *)((char *)target + opt->field);
    char buf[1024], *save = NULL, *tok;
    int integer = opt->lo == 1;
    snprintf(buf, sizeof buf, "%s", arg);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '='), *end;
        int l = -1;
        double v;
        if (eq) *eq = '\0';
        for (int k = 0; k < CR_FIT_PLAN_NLV && eq; k++)
            if (!strcmp(tok, cr_fit_plan_levels[k])) l = k;
        if (l < 0) {
            snprintf(err, errlen, "invalid --%s '%s': expected LEVEL=%s with LEVEL node, rail, "
                     "internode or world (e.g. %s)", opt->name, arg, opt->arg + 6, opt->sample);
            return CR_ERR_INVAL;
        }
        errno = 0;
        v = strtod(eq + 1, &end);
        if (!eq[1] || *end || errno || !(v >= (double)opt->lo && v <= (double)opt->hi) ||
            (integer && v != floor(v))) {
            snprintf(err, errlen, "invalid --%s value '%s' for %s: expected %s %g to %g",
                     opt->name, eq + 1, tok, integer ? "an integer" : "a number", (double)opt->lo,
                     (double)opt->hi);
            return CR_ERR_INVAL;
        }
        if (!integer && !(v > 0)) {
            snprintf(err, errlen, "invalid --%s value '%s' for %s: expected metres above 0",
                     opt->name, eq + 1, tok);
            return CR_ERR_INVAL;
        }
        vals[l] = v;
    }
    return CR_OK;
}

#define CR_FIT_BAT(member) .field = offsetof(cr_fit_bnd_args_t, member)

static const cr_cli_opt_t cr_fit_bnd_table[] = {
    {.name = "fit", .arg = "DIR", .def = "none (required)", .sample = "fit",
     .set = cr_fit_opt_set_str, CR_FIT_BAT(fit),
     .help = "a collroof-fit output directory (fit.csv; scaling.csv, roofline.csv, "
             "overlap.csv when there)"},
    {.name = "workload", .arg = "FILE", .def = "none (required)", .sample = "step.wl",
     .set = cr_fit_opt_set_str, CR_FIT_BAT(workload),
     .help = "a workload file, as collroof --workload replays it (docs/formats.md)"},
    {.name = "nodes", .arg = "N", .def = "none (required)", .unit = "nodes", .sample = "2",
     .set = cr_fit_bnd_set_int, CR_FIT_BAT(nodes), .lo = 1, .hi = 1L << 20,
     .help = "target node count"},
    {.name = "ppn", .arg = "P", .def = "none (required)", .unit = "ranks per node",
     .sample = "2", .set = cr_fit_bnd_set_int, CR_FIT_BAT(ppn), .lo = 1, .hi = 1L << 12,
     .help = "target ranks per node"},
    {.name = "reach", .arg = "LEVEL=METRES[,...]", .def = "none: every level the step crosses "
     "must be given", .unit = "m", .sample = "node=1,rail=30", .set = cr_fit_bnd_set_levels,
     CR_FIT_BAT(reach), .lo = 0, .hi = 1000000,
     .help = "the distance a level's links span (node, rail, internode, world): a class is a "
             "candidate there when its catalog reach_m is at least that (classes without a "
             "reach are not considered)"},
    {.name = "ports", .arg = "LEVEL=K[,...]", .def = "1 per level", .unit = "ports per host",
     .sample = "rail=8", .set = cr_fit_bnd_set_levels, CR_FIT_BAT(ports), .lo = 1, .hi = 4096,
     .help = "a level's what-if ceiling is the class's port_Gbps / 8 x K GB/s (K ports of the "
             "class per host at that level)"},
    {.name = "hops", .arg = "LEVEL=H[,...]", .def = "1 per level", .unit = "links",
     .sample = "rail=2", .set = cr_fit_bnd_set_levels, CR_FIT_BAT(hops), .lo = 1, .hi = 64,
     .help = "links a byte crosses at a level (2 through one switch), as plan --link "
             "LEVEL=CLASS:HOPS"},
    {.name = "links", .arg = "FILE", .def = "the shipped catalog only", .sample = "mylinks.csv",
     .set = cr_fit_opt_set_str, CR_FIT_BAT(links),
     .help = "a link catalog of your own (docs/formats.md, links.csv): its rows replace the "
             "shipped ones of the same class id and add new ones"},
    {.name = "energy-run", .arg = "RUN", .def = "the fit directory's results.csv, else its "
     "parent's", .sample = "run1", .set = cr_fit_opt_set_str, CR_FIT_BAT(energy_run),
     .help = "a run directory or results.csv whose wire_tx_bytes_per_call replace the "
             "modelled bytes across nodes for the calls it measured at the target (as plan "
             "--energy-run; each level's bytes labelled measured or modelled)"},
    {.name = "classes", .arg = "C1,C2,...", .def = "every class of the catalog",
     .sample = "dac-800g-osfp,pluggable-800g-2xdr4", .set = cr_fit_opt_set_str,
     CR_FIT_BAT(classes), .help = "consider only these catalog classes"},
    {.name = "max-step-ms", .arg = "X", .def = "none", .unit = "ms", .sample = "0.5",
     .set = cr_fit_bnd_set_num, CR_FIT_BAT(max_step_ms),
     .help = "step-time limit: names the assignment with the least energy whose step fits it"},
    {.name = "overlap", .arg = "F", .def = "0", .unit = "fraction 0..1", .sample = "0.5",
     .set = cr_fit_bnd_set_num, CR_FIT_BAT(overlap),
     .help = "share of each call's communication that hides behind the compute before it "
             "(as plan --overlap)"},
    {.name = "overlap-from-fit", .def = "off", .set = cr_cli_set_flag,
     CR_FIT_BAT(overlap_from_fit), .lo = 1,
     .help = "each call's overlap from the fit's overlap.csv (as plan --overlap-from-fit)"},
    {.name = "peak-tflops", .arg = "T", .def = "none: compute = the file's gap_us",
     .unit = "TFLOP/s", .sample = "300", .set = cr_fit_bnd_set_num, CR_FIT_BAT(peak_tflops),
     .help = "accelerator peak, as plan --peak-tflops"},
    {.name = "mem-GBps", .arg = "B", .def = "none", .unit = "GB/s", .sample = "2000",
     .set = cr_fit_bnd_set_num, CR_FIT_BAT(mem_GBps),
     .help = "memory bandwidth, as plan --mem-GBps"},
    {.name = "hier", .arg = "ALG", .def = "rail", .sample = "leader",
     .set = cr_fit_opt_set_hier, CR_FIT_BAT(hier_alg),
     .help = "hierarchical algorithm for calls across nodes (as plan --hier)"},
    {.name = "cadence", .arg = "C", .def = "isolated when fitted, else the first",
     .sample = "isolated", .set = cr_fit_opt_set_str, CR_FIT_BAT(cadence),
     .help = "cadence of the fits used"},
    {.name = "csv", .arg = "FILE", .def = "none", .sample = "boundary.csv",
     .set = cr_fit_opt_set_str, CR_FIT_BAT(csv),
     .help = "write one row per assignment (docs/formats.md, boundary CSV); replaced"},
    {.name = "plot", .arg = "DIR", .def = "none", .sample = "bndplot", .set = cr_fit_opt_set_str,
     CR_FIT_BAT(plot),
     .help = "write plot-boundary.gp, boundary.dat and boundary.svg (energy per step vs step "
             "time, one labelled point per assignment, the Pareto front drawn) into DIR"},
    {.name = "help", .letter = 'h', .set = cr_cli_set_flag, CR_FIT_BAT(help), .lo = 1,
     .help = "this help"},
    {.name = NULL},
};

const cr_cli_t cr_fit_cli_boundary = {
    .prog = "collroof-fit boundary",
    .siblings = cr_fit_clis,
    .head =
"usage: collroof-fit boundary --fit DIR --workload FILE --nodes N --ppn P\n"
"                             --reach LEVEL=METRES,... [--links FILE] [--classes C,...]\n"
"                             [--ports LEVEL=K,...] [--hops LEVEL=H,...] [--max-step-ms X]\n"
"                             [--overlap F | --overlap-from-fit] [--energy-run RUN]\n"
"                             [--csv FILE] [--plot DIR]\n"
"\n"
"Where should the electrical/optical boundary sit? For each level the step's\n"
"traffic crosses, the catalog's link classes whose reach covers that level's\n"
"distance; every assignment (one class per level) planned as plan would with the\n"
"class's port rate x ports as the level's what-if ceiling, and priced as plan\n"
"--energy would: communication, exposed communication and step time, link energy\n"
"per step low-high (bytes measured where the run has the call's row, as plan's).\n"
"The Pareto front is in (step time, high-end energy).\n"
"\n",
    .opts = cr_fit_bnd_table,
};

static int cr_fit_bnd_parse(int argc, char **argv, cr_fit_bnd_args_t *a)
{
    cr_cli_getopt_t g;
    char err[512];
    int c;
    memset(a, 0, sizeof *a);
    if (cr_cli_getopt_build(&cr_fit_cli_boundary, ":", &g) != CR_OK) return 2;
    opterr = 0;
    optind = 0;
    while (!a->help && (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
        const cr_cli_opt_t *opt = cr_cli_find(&cr_fit_cli_boundary, c);
        if (!opt) {
            cr_error("%s", cr_cli_refused(&cr_fit_cli_boundary, c, argc, argv, err, sizeof err));
            return 2;
        }
        if (opt->set(opt, a, optarg, err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            return 2;
        }
        if (!strcmp(opt->name, "overlap")) a->overlap_given = 1;
    }
    if (a->help) return 0;
    if (optind < argc) {
        cr_error("unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if (!a->fit || !a->workload || !a->nodes || !a->ppn) {
        cr_error("boundary needs --fit DIR, --workload FILE, --nodes N and --ppn P");
        return 2;
    }
    if (a->overlap_given && a->overlap_from_fit) {
        cr_error("--overlap and --overlap-from-fit exclude each other");
        return 2;
    }
    return 0;
}

/* The catalog, cut to --classes when given (an unknown id refused, the ids named). */
static int cr_fit_bnd_catalog(const cr_fit_bnd_args_t *a, cr_links_t *out)
{
    static cr_links_t all;
    char err[1024], buf[1024], *save = NULL, *tok, ids[1024];
    cr_status_t st = cr_links_load(a->links, &all, err, sizeof err);
    if (st != CR_OK) {
        cr_error("%s", err);
        return st == CR_ERR_INVAL ? 2 : 1;
    }
    if (!a->classes) {
        *out = all;
        return 0;
    }
    out->n = 0;
    snprintf(buf, sizeof buf, "%s", a->classes);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        const cr_link_class_t *c = cr_links_find(&all, tok);
        int dup = 0;
        if (!c) {
            cr_error("invalid --classes '%s': no class '%s'; the catalog has %s", a->classes,
                     tok, cr_links_ids(&all, ids, sizeof ids));
            return 2;
        }
        for (int i = 0; i < out->n; i++) dup |= !strcmp(out->cls[i].id, tok);
        if (!dup) out->cls[out->n++] = *c;
    }
    if (!out->n) {
        cr_error("invalid --classes '%s': expected class ids, comma-separated", a->classes);
        return 2;
    }
    return 0;
}

static void cr_fit_bnd_print(const cr_workload_t *wl, const cr_fit_bnd_args_t *a,
                             const cr_fit_bnd_t *b)
{
    char name[256];
    printf("boundary %s on %d nodes x %d ppn: %d assignments (bytes %s; energy: link energy per "
           "step, low-high; front and choice by the high end)\n", wl->name, b->nodes, b->ppn,
           b->n, b->nmeas == b->ncalls && b->nmeas ? "measured" : b->nmeas ?
           "measured for some call lines, modelled for the rest" : "modelled from the algorithms");
    for (int i = 0; i < b->nmeas; i++)
        printf("    line %d %s: bytes across nodes measured, %.6g per call "
               "(wire_tx_bytes_per_call of %s)\n", b->meas[i].line, b->meas[i].collective,
               b->meas[i].wire_bytes, b->meas[i].src);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        if (!b->crossed[l]) continue;
        printf("  %-9s %12.6g bytes per step (%s) over %g m; %d candidate%s:",
               cr_fit_plan_levels[l], b->bytes[l], b->lv_basis[l], a->reach[l], b->ncand[l],
               b->ncand[l] == 1 ? "" : "s");
        for (int k = 0; k < b->ncand[l]; k++)
            printf(" %s (%g GB/s x%g, %g-%g pJ/bit x%g)", b->cand[l][k]->id,
                   b->cand[l][k]->port_Gbps / 8, a->ports[l] > 0 ? a->ports[l] : 1,
                   b->cand[l][k]->pJ_lo, b->cand[l][k]->pJ_hi, a->hops[l] > 0 ? a->hops[l] : 1);
        printf("\n");
        if (b->skipped[l][0]) printf("            not reaching: %s\n", b->skipped[l]);
    }
    int w = 10;
    for (int i = 0; i < b->n; i++) {
        int len = (int)strlen(cr_fit_bnd_name(b, &b->rows[i], name, sizeof name));
        if (len > w) w = len;
    }
    printf("  %3s  %-*s %11s %11s %11s  %-25s %5s %5s\n", "#", w, "assignment", "comm_us",
           "exposed_us", "step_us", "energy_J [lo, hi]", "front", "limit");
    for (int i = 0; i < b->n; i++) {
        const cr_fit_bnd_row_t *r = &b->rows[i];
        char e[64];
        snprintf(e, sizeof e, "[%.4g, %.4g]", r->e_lo, r->e_hi);
        printf("  %3d  %-*s %11.5g %11.5g %11.5g  %-25s %5s %5s%s\n", i + 1, w,
               cr_fit_bnd_name(b, r, name, sizeof name), r->comm, r->exposed, r->t, e,
               r->pareto ? "*" : "", r->meets < 0 ? "" : r->meets ? "meets" : "over",
               i == b->best ? "  <- least energy" : "");
    }
    printf("  on the measured fabric the step takes %.5g us\n", b->measured_t);
    if (b->best >= 0)
        printf("  least energy%s: #%d %s: step %.5g us, %.4g-%.4g J per step\n",
               a->max_step_ms > 0 ? " within the limit" : "", b->best + 1,
               cr_fit_bnd_name(b, &b->rows[b->best], name, sizeof name), b->rows[b->best].t,
               b->rows[b->best].e_lo, b->rows[b->best].e_hi);
    else
        printf("  no assignment meets --max-step-ms %g (%g us)\n", a->max_step_ms,
               a->max_step_ms * 1e3);
    if (b->most >= 0) {
        printf("  matters most: %s (its choice moves step energy by up to %.4g J and step time "
               "by up to %.5g us with the other levels fixed)", cr_fit_plan_levels[b->most],
               b->spread_e[b->most], b->spread_t[b->most]);
        printf("\n");
        for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
            if (l != b->most && b->crossed[l] && b->ncand[l] > 1)
                printf("    %s: up to %.4g J and %.5g us\n", cr_fit_plan_levels[l],
                       b->spread_e[l], b->spread_t[l]);
    } else {
        printf("  matters most: no level has a choice (one class reaches each)\n");
    }
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
        if (b->crossed[l] && b->ncand[l] == 1)
            printf("    %s: forced, %s is the only class that reaches %g m\n",
                   cr_fit_plan_levels[l], b->cand[l][0]->id, a->reach[l]);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
        for (int k = 0; k < b->ncand[l]; k++) {
            const cr_link_class_t *c = b->cand[l][k];
            int dup = 0;
            for (int m = 0; m <= l; m++)
                for (int j = 0; j < (m < l ? b->ncand[m] : k); j++) dup |= b->cand[m][j] == c;
            if (!dup)
                printf("  %s: %s; includes %s; source (%s%s): %s\n", c->id, c->description,
                       c->includes, c->source_kind, c->user ? ", from your --links file" : "",
                       c->source);
        }
    fflush(stdout);
}

int cr_fit_cmd_boundary(int argc, char **argv)
{
    cr_fit_bnd_args_t a;
    static cr_workload_t wl;
    static cr_links_t links;
    cr_fit_model_t m;
    cr_fit_bnd_opts_t o;
    cr_fit_bnd_t b;
    char err[1024];
    int rc = cr_fit_bnd_parse(argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        cr_cli_usage(&cr_fit_cli_boundary, stdout);
        return 0;
    }
    if ((rc = cr_fit_read_workload(a.workload, &wl)) != 0) return rc;
    if ((rc = cr_fit_bnd_catalog(&a, &links)) != 0) return rc;
    if (cr_fit_model_load(a.fit, &m) != CR_OK) return 1;
    memset(&o, 0, sizeof o);
    o.plan.base.cadence = a.cadence;
    o.plan.base.hier_alg = a.hier_alg;
    o.plan.nodes = a.nodes;
    o.plan.ppn = a.ppn;
    o.plan.peak_flops = a.peak_tflops * 1e12;
    o.plan.mem_Bps = a.mem_GBps * 1e9;
    o.plan.overlap = a.overlap;
    o.plan.overlap_from_fit = a.overlap_from_fit;
    o.plan.fit_dir = a.fit;
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        o.reach_m[l] = a.reach[l] > 0 ? a.reach[l] : NAN;
        o.ports[l] = a.ports[l];
        o.hops[l] = (int)a.hops[l];
    }
    o.max_step_us = a.max_step_ms * 1e3;
    cr_fit_wire_t wire;
    char wbuf[4200];
    const char *wpath = cr_fit_energy_wire_path(a.fit, a.energy_run, wbuf, sizeof wbuf);
    if (wpath && cr_fit_wire_load(wpath, &wire, err, sizeof err) != CR_OK) {
        cr_error("%s", err);
        cr_fit_model_free(&m);
        return 1;
    }
    o.wire = wpath ? &wire : NULL;
    cr_status_t st = cr_fit_bnd_run(&m, &wl, &o, &links, &b, err, sizeof err);
    if (wpath) cr_fit_wire_free(&wire);
    if (st != CR_OK) {
        cr_error("%s", err);
        cr_fit_model_free(&m);
        return st == CR_ERR_INVAL ? 2 : 1;
    }
    cr_fit_bnd_print(&wl, &a, &b);
    if (a.csv && cr_fit_bnd_csv(a.csv, &b) != CR_OK) rc = 1;
    if (!rc && a.plot) {
        if (cr_mkdir_p(a.plot, err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            rc = 1;
        } else if (cr_fit_plot_boundary(a.plot, &b) != CR_OK) {
            rc = 1;
        }
    }
    cr_fit_bnd_free(&b);
    cr_fit_model_free(&m);
    return rc;
}
