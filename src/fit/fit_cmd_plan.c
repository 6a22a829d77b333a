/* The plan command: a workload file predicted from a fit (fit_plan.h), printed,
 * written as a spreadsheet CSV (one column table, fit_plan_csv.c) and plotted. */
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
#include "fit_energy.h"
#include "fit_plan.h"
#include "fit_plot.h"

/* --nodes N or a list N1,N2,... (each 1..2^20, at most CR_FIT_PLAN_MAXN). */
static cr_status_t cr_fit_plan_set_nodes(const cr_cli_opt_t *opt, void *target, const char *arg,
                                         char *err, size_t errlen)
{
    cr_fit_plan_args_t *a = target;
    char buf[1024], *save = NULL, *tok;
    (void)opt;
    snprintf(buf, sizeof buf, "%s", arg);
    a->nnodes = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        long v;
        if (a->nnodes == CR_FIT_PLAN_MAXN) {
            snprintf(err, errlen, "invalid --nodes '%s': at most %d node counts", arg,
                     CR_FIT_PLAN_MAXN);
            return CR_ERR_INVAL;
        }
        if (cr_fit_opt_long("--nodes", tok, 1, 1L << 20, &v, err, errlen) != CR_OK) {
            snprintf(err, errlen, "invalid --nodes '%s': expected node counts 1 to %ld, "
                     "comma-separated (e.g. 2,4,8,16)", arg, 1L << 20);
            return CR_ERR_INVAL;
        }
        a->nodes[a->nnodes++] = (int)v;
    }
    if (!a->nnodes) {
        snprintf(err, errlen, "invalid --nodes '%s': expected node counts, e.g. 2,4,8", arg);
        return CR_ERR_INVAL;
    }
    return CR_OK;
}

static cr_status_t cr_fit_plan_set_ppn(const cr_cli_opt_t *opt, void *target, const char *arg,
                                       char *err, size_t errlen)
{
    long v;
    CR_CHECK(cr_fit_opt_long("--ppn", arg, opt->lo, opt->hi, &v, err, errlen));
    ((cr_fit_plan_args_t *)target)->ppn = (int)v;
    return CR_OK;
}

static cr_status_t cr_fit_plan_set_rate(const cr_cli_opt_t *opt, void *target, const char *arg,
                                        char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_fit_opt_double(name, arg, 1e-12, 1e12, (double *)((char *)target + opt->field),
                             err, errlen);
}

static cr_status_t cr_fit_plan_set_overlap(const cr_cli_opt_t *opt, void *target,
                                           const char *arg, char *err, size_t errlen)
{
    (void)opt;
    return cr_fit_opt_double("--overlap", arg, 0, 1, &((cr_fit_plan_args_t *)target)->overlap,
                             err, errlen);
}

/* --link LEVEL=CLASS[:HOPS],...: appended to what earlier --link options gave. */
static cr_status_t cr_fit_plan_set_link(const cr_cli_opt_t *opt, void *target, const char *arg,
                                        char *err, size_t errlen)
{
    cr_fit_plan_args_t *a = target;
    size_t used = strlen(a->link);
    (void)opt;
    if (used + strlen(arg) + 2 > sizeof a->link) {
        snprintf(err, errlen, "invalid --link '%s': the --link options exceed %zu characters",
                 arg, sizeof a->link - 1);
        return CR_ERR_INVAL;
    }
    snprintf(a->link + used, sizeof a->link - used, "%s%s", used ? "," : "", arg);
    return CR_OK;
}

#define CR_FIT_PAT(member) .field = offsetof(cr_fit_plan_args_t, member)

static const cr_cli_opt_t cr_fit_plan_table[] = {
    {.name = "fit", .arg = "DIR", .def = "none (required)", .sample = "fit",
     .set = cr_fit_opt_set_str, CR_FIT_PAT(fit),
     .help = "a collroof-fit output directory (fit.csv; scaling.csv, roofline.csv, "
             "overlap.csv when there)"},
    {.name = "workload", .arg = "FILE", .def = "none (required)", .sample = "step.wl",
     .set = cr_fit_opt_set_str, CR_FIT_PAT(workload),
     .help = "a workload file, as collroof --workload replays it (docs/formats.md)"},
    {.name = "nodes", .arg = "N[,N...]", .def = "the most nodes the fit measured",
     .unit = "nodes", .sample = "2,4,8", .set = cr_fit_plan_set_nodes,
     .help = "target node count, or a list: one plan per count (the plot stacks them)"},
    {.name = "ppn", .arg = "P", .def = "the ppn of those rows", .unit = "ranks per node",
     .sample = "2", .set = cr_fit_plan_set_ppn, .lo = 1, .hi = 1L << 12,
     .help = "target ranks per node"},
    {.name = "peak-tflops", .arg = "T", .def = "none: compute = the file's gap_us",
     .unit = "TFLOP/s (1e12 FLOP/s)", .sample = "300", .set = cr_fit_plan_set_rate,
     CR_FIT_PAT(peak_tflops),
     .help = "accelerator peak: a call's flops= take flops / T (its compute replaces gap_us)"},
    {.name = "mem-GBps", .arg = "B", .def = "none", .unit = "GB/s (1e9 B/s)", .sample = "2000",
     .set = cr_fit_plan_set_rate, CR_FIT_PAT(mem_GBps),
     .help = "memory bandwidth: a call's mem_bytes= take mem_bytes / B"},
    {.name = "overlap", .arg = "F", .def = "0", .unit = "fraction 0..1", .sample = "0.5",
     .set = cr_fit_plan_set_overlap,
     .help = "share of each call's communication that hides behind the compute before it "
             "(at most that compute)"},
    {.name = "overlap-from-fit", .def = "off", .set = cr_cli_set_flag,
     CR_FIT_PAT(overlap_from_fit), .lo = 1,
     .help = "take each call's overlap from the fit's overlap.csv (its collective, the "
             "nearest measured size; 0 where none)"},
    {.name = "level-GBps", .arg = "LEVEL=X[,...]", .def = "as measured", .unit = "GB/s",
     .sample = "rail=50", .set = cr_fit_opt_set_level_vals, CR_FIT_PAT(level_GBps),
     .help = "what-if, as predict --level-GBps: the fits read at LEVEL (world, node, "
             "package, numa, internode, rail) scale r_inf by X / their measured link "
             "ceiling; every call re-planned, the step shown beside the measured fabric's"},
    {.name = "level-latency-us", .arg = "LEVEL=Y[,...]", .def = "as measured", .unit = "us",
     .sample = "internode=2", .set = cr_fit_opt_set_level_vals, CR_FIT_PAT(level_latency_us),
     .help = "what-if, as predict --level-latency-us: the latency floor of the fits read at "
             "LEVEL becomes Y at the rank count predicted"},
    {.name = "hier", .arg = "ALG", .def = "rail", .sample = "leader",
     .set = cr_fit_opt_set_hier, CR_FIT_PAT(hier_alg),
     .help = "hierarchical algorithm for calls across nodes that were not measured at the "
             "target topology: rail or leader (as predict --hier)"},
    {.name = "cadence", .arg = "C", .def = "isolated when fitted, else the first",
     .sample = "isolated", .set = cr_fit_opt_set_str, CR_FIT_PAT(cadence),
     .help = "cadence of the fits used"},
    {.name = "grid", .arg = "SPEC", .def = "none", .sample = "nodes=2..1024:x8,internode-GBps=25,50",
     .set = cr_fit_opt_set_str, CR_FIT_PAT(grid),
     .help = "sweep: one plan per point of nodes=, ppn=, LEVEL-GBps=, LEVEL-latency-us= "
             "(as predict --grid, without bytes=: the calls carry their sizes; an axis left "
             "out takes --nodes / --ppn / the what-if options); prints a table of step times, "
             "--csv gets every point's rows, --plot one panel per what-if; with --energy "
             "each point's link energy (a what-if rate changes the time and the power, not "
             "the energy per bit: that is --link's class)"},
    {.name = "csv", .arg = "FILE", .def = "none", .sample = "plan.csv",
     .set = cr_fit_opt_set_str, CR_FIT_PAT(csv),
     .help = "write the plan: one row per call and a step row per node count "
             "(docs/formats.md, plan CSV); replaced if it exists"},
    {.name = "plot", .arg = "DIR", .def = "none", .sample = "planplot",
     .set = cr_fit_opt_set_str, CR_FIT_PAT(plot),
     .help = "write plot-plan.gp, plan.dat and plan.svg (step time per node count, stacked "
             "by compute and exposed communication per level) into DIR"},
    {.name = "energy", .def = "off", .set = cr_cli_set_flag, CR_FIT_PAT(energy), .lo = 1,
     .help = "link energy per call and per step: the bytes crossing each level (measured "
             "wire bytes where the run has a row for the call, else modelled from the "
             "collectives' bus factors) x the energy per bit of the level's link "
             "class (--link), as a low-high range; needs --link"},
    {.name = "link", .arg = "LEVEL=CLASS[:HOPS][,...]", .def = "none: every level that "
     "carries bytes must be given", .sample = "internode=pluggable-800g-2xdr4:2,node=none",
     .set = cr_fit_plan_set_link,
     .help = "the link class of a level (node, rail, internode, world) from the catalog, "
             "HOPS the links a byte crosses there (default 1; 2 through one switch), or none "
             "to leave a level unpriced; repeatable"},
    {.name = "links", .arg = "FILE", .def = "the shipped catalog only", .sample = "mylinks.csv",
     .set = cr_fit_opt_set_str, CR_FIT_PAT(links),
     .help = "a link catalog of your own (docs/formats.md, links.csv): its rows replace the "
             "shipped ones of the same class id and add new ones"},
    {.name = "energy-run", .arg = "RUN", .def = "none", .sample = "run1",
     .set = cr_fit_opt_set_str, CR_FIT_PAT(energy_run),
     .help = "a run directory or results.csv whose energy_* columns (RAPL) give the measured "
             "host energy per call, shown apart from the link energy, for calls it measured "
             "at the same collective, ranks, nodes, ppn and bytes, and whose "
             "wire_tx_bytes_per_call replace the modelled bytes across nodes (wire bytes "
             "without it: the fit directory's results.csv, else its parent's)"},
    {.name = "help", .letter = 'h', .set = cr_cli_set_flag, CR_FIT_PAT(help), .lo = 1,
     .help = "this help"},
    {.name = NULL},
};

const cr_cli_t cr_fit_cli_plan = {
    .prog = "collroof-fit plan",
    .siblings = cr_fit_clis,
    .head =
"usage: collroof-fit plan --fit DIR --workload FILE [--nodes N[,N...] --ppn P]\n"
"                         [--grid nodes=A..B,ppn=P,LEVEL-GBps=X,Y...]\n"
"                         [--peak-tflops T] [--mem-GBps B]\n"
"                         [--overlap F | --overlap-from-fit] [--hier rail|leader]\n"
"                         [--energy --link LEVEL=CLASS[:HOPS],... [--links FILE]\n"
"                          [--energy-run RUN]] [--csv FILE] [--plot DIR]\n"
"\n"
"Predicts the step of a workload file (the one collroof --workload replays) call by\n"
"call from a fit, on nodes x ppn: each call's communication with its 95% prediction\n"
"interval and the fit it rests on, its compute (the file's gap_us, or flops / peak\n"
"and mem_bytes / bandwidth), the ceiling it binds on, and the step:\n"
"  step = sum over call lines of count x (compute + exposed communication),\n"
"  exposed = t - min(overlap x t, compute before the call).\n"
"\n",
    .opts = cr_fit_plan_table,
};

int cr_fit_plan_parse(int argc, char **argv, cr_fit_plan_args_t *a)
{
    cr_cli_getopt_t g;
    char err[256];
    int c;
    memset(a, 0, sizeof *a);
    a->overlap = 0;
    if (cr_cli_getopt_build(&cr_fit_cli_plan, ":", &g) != CR_OK) return 2;
    opterr = 0;
    optind = 0;
    while (!a->help && (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
        const cr_cli_opt_t *opt = cr_cli_find(&cr_fit_cli_plan, c);
        if (!opt) {
            cr_error("%s", cr_cli_refused(&cr_fit_cli_plan, c, argc, argv, err, sizeof err));
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
    if (!a->fit || !a->workload) {
        cr_error("plan needs --fit DIR and --workload FILE");
        return 2;
    }
    if (a->energy != (a->link[0] != '\0')) {
        cr_error(a->energy ? "--energy needs --link LEVEL=CLASS[,LEVEL=CLASS...]: which link "
                             "class each level uses (collroof-fit plan --help; the classes are "
                             "in links.csv, docs/formats.md)"
                           : "--link prices link energy: give --energy with it");
        return 2;
    }
    if (!a->energy && (a->links || a->energy_run)) {
        cr_error("--links and --energy-run belong to --energy");
        return 2;
    }
    if (a->overlap_given && a->overlap_from_fit) {
        cr_error("--overlap and --overlap-from-fit exclude each other: give a fraction, or "
                 "take it from the fit's overlap.csv");
        return 2;
    }
    return 0;
}

/* The topology the fit measured most nodes at (world rows first), for defaults. */
static void cr_fit_plan_default_topo(const cr_fit_model_t *m, int *nodes, int *ppn)
{
    for (size_t i = 0; i < m->n; i++) {
        const cr_fit_model_row_t *r = &m->rows[i];
        if (r->nodes > *nodes || (r->nodes == *nodes && r->ppn > *ppn)) {
            *nodes = r->nodes;
            *ppn = r->ppn;
        }
    }
}

static void cr_fit_plan_print(const cr_workload_t *wl, const cr_fit_plan_t *p,
                              const cr_fit_plan_opts_t *o)
{
    printf("plan %s on %d nodes x %d ppn (%d ranks, tp %d%s%.0d)%s:\n", wl->name, p->nodes,
           p->ppn, p->nodes * p->ppn, p->tp, p->pp > 1 ? ", pp " : "", p->pp > 1 ? p->pp : 0,
           p->extrapolated ? ", extrapolated" : "");
    printf("  %-4s %-15s %-5s %5s %10s %6s  %-12s %10s %-22s %8s %10s %10s  %s\n", "line",
           "collective", "comm", "ranks", "bytes", "count", "level", "t_us", "[95% interval]",
           "overlap", "exposed_us", "compute_us", "binds");
    for (int i = 0; i < p->ncalls; i++) {
        const cr_fit_plan_call_t *c = &p->calls[i];
        char iv[48];
        snprintf(iv, sizeof iv, "[%.4g, %.4g]", c->t_lo, c->t_hi);
        printf("  %-4d %-15s %-5s %5d %10llu %6d  %-12s %10.4g %-22s %8.3g %10.4g %10.4g  %s\n",
               c->call->line, c->call->ops->name, cr_wl_comm_names[c->call->comm], c->ranks,
               (unsigned long long)c->call->bytes, c->call->count, c->level, c->t, iv,
               c->overlap, c->exposed, c->compute, c->binds);
    }
    printf("  each call (per repetition) rests on:\n");
    for (int i = 0; i < p->ncalls; i++) {
        const cr_fit_plan_call_t *c = &p->calls[i];
        printf("    line %d: %s; extrapolated %s; overlap %s; compute %s", c->call->line,
               c->algorithm, c->extrapolated ? "yes" : "no", c->overlap_src,
               c->compute_from_flops ? "from flops=/mem_bytes=" : "= gap_us");
        if (!isnan(c->intensity))
            printf("; intensity %.4g FLOP/B vs critical %.4g", c->intensity, c->critical);
        printf("%s%s\n", c->warning[0] ? "; warning: " : "", c->warning);
    }
    printf("  step = sum of count x (compute + exposed communication), exposed = t - "
           "min(overlap x t, compute)%s\n", o->overlap > 0 || o->overlap_from_fit ? "" :
           " (no overlap: the sum)");
    printf("  compute %.4g us + exposed communication %.4g us [%.4g, %.4g]", p->compute,
           p->exposed, p->exposed_lo, p->exposed_hi);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
        if (p->lv[l] > 0) printf(" (%s %.4g)", cr_fit_plan_levels[l], p->lv[l]);
    printf("\n  step   %.4g us   [%.4g, %.4g] (95%%: call lines independent, repetitions of a "
           "line one error)\n", p->t, p->t_lo, p->t_hi);
    if (p->whatif[0])
        printf("  what-if %s: step %.4g us; on the measured fabric %.4g us [%.4g, %.4g] "
               "(what-if / measured = %.3f)\n", p->whatif, p->t, p->t_measured,
               p->t_measured_lo, p->t_measured_hi, p->t / p->t_measured);
    fflush(stdout);
}

/* The link energy of a plan, each class used cited with its source. */
static void cr_fit_plan_print_energy(const cr_fit_plan_t *p, const cr_fit_link_assign_t *la)
{
    double bytes = 0;
    int measured = 0;
    for (int i = 0; i < p->ncalls; i++) measured += !strcmp(p->calls[i].bytes_basis, "measured");
    printf("  link energy per step (bytes crossing each level x the class's energy per bit, "
           "low-high; bytes %s", measured == p->ncalls && measured ? "measured" : measured ?
           "measured for some call lines, modelled for the rest" :
           "modelled from the algorithms, not measured");
    printf("):\n");
    for (int i = 0; i < p->ncalls; i++)
        if (!strcmp(p->calls[i].bytes_basis, "measured"))
            printf("    line %d %s: bytes across nodes measured, %.6g per call (wire_tx_bytes_per_call "
                   "of %s)\n", p->calls[i].call->line, p->calls[i].call->ops->name,
                   p->calls[i].wire_bytes, p->calls[i].bytes_src);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        if (p->link_bytes[l] <= 0) continue;
        bytes += p->link_bytes[l];
        if (la->none[l])
            printf("    %-9s %-22s %12.6g bytes  not priced (--link %s=none)\n",
                   cr_fit_plan_levels[l], "none", p->link_bytes[l], cr_fit_plan_levels[l]);
        else
            printf("    %-9s %-19s x%-2d %12.6g bytes  [%.4g, %.4g] J  (%.4g-%.4g pJ/bit)\n",
                   cr_fit_plan_levels[l], la->cls[l]->id, la->hops[l], p->link_bytes[l],
                   p->e_lv_lo[l], p->e_lv_hi[l], la->cls[l]->pJ_lo, la->cls[l]->pJ_hi);
    }
    printf("  link energy per step [%.4g, %.4g] J; at the step rate (%.4g us) [%.4g, %.4g] W; "
           "[%.4g, %.4g] pJ per byte crossing a link\n", p->e_lo, p->e_hi, p->t,
           p->t > 0 ? p->e_lo / (p->t * 1e-6) : 0, p->t > 0 ? p->e_hi / (p->t * 1e-6) : 0,
           bytes > 0 ? p->e_lo / bytes * 1e12 : 0, bytes > 0 ? p->e_hi / bytes * 1e12 : 0);
    if (p->host_calls)
        printf("  host energy, measured (RAPL, package + DRAM, summed over hosts) for %d of %d "
               "call lines: %.4g J per step of those lines\n", p->host_calls, p->ncalls,
               p->host_J);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        const cr_link_class_t *c = la->cls[l];
        int dup = 0;
        if (!c || p->link_bytes[l] <= 0) continue;
        for (int k = 0; k < l; k++) dup |= la->cls[k] == c && p->link_bytes[k] > 0;
        if (dup) continue;
        printf("  %s: %s; includes %s; source (%s%s): %s\n", c->id, c->description, c->includes,
               c->source_kind, c->user ? ", from your --links file" : "", c->source);
    }
    fflush(stdout);
}

int cr_fit_cmd_plan(int argc, char **argv)
{
    cr_fit_plan_args_t a;
    static cr_workload_t wl;
    cr_fit_model_t m;
    cr_fit_plan_t *plans = NULL;
    cr_fit_plan_opts_t o;
    static cr_links_t links;
    cr_fit_link_assign_t la;
    char err[1024], wbuf[4200];
    const char *wire;
    int rc = cr_fit_plan_parse(argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        cr_cli_usage(&cr_fit_cli_plan, stdout);
        return 0;
    }
    if ((rc = cr_fit_read_workload(a.workload, &wl)) != 0) return rc;
    memset(&la, 0, sizeof la);
    if (a.energy) {
        cr_status_t st = cr_links_load(a.links, &links, err, sizeof err);
        if (st == CR_OK) st = cr_fit_link_parse(a.link, &links, &la, err, sizeof err);
        if (st != CR_OK) {
            cr_error("%s", err);
            return st == CR_ERR_INVAL ? 2 : 1;
        }
    }
    if (cr_fit_model_load(a.fit, &m) != CR_OK) return 1;
    wire = a.energy ? cr_fit_energy_wire_path(a.fit, a.energy_run, wbuf, sizeof wbuf) : NULL;
    memset(&o, 0, sizeof o);
    o.base.cadence = a.cadence;
    o.base.hier_alg = a.hier_alg;
    memcpy(o.base.level_GBps, a.level_GBps, sizeof o.base.level_GBps);
    memcpy(o.base.level_latency_us, a.level_latency_us, sizeof o.base.level_latency_us);
    o.peak_flops = a.peak_tflops * 1e12;
    o.mem_Bps = a.mem_GBps * 1e9;
    o.overlap = a.overlap;
    o.overlap_from_fit = a.overlap_from_fit;
    o.fit_dir = a.fit;
    if (a.grid || !a.nnodes || !a.ppn) {
        int dn = 0, dp = 0;
        cr_fit_plan_default_topo(&m, &dn, &dp);
        o.nodes = dn ? dn : 1;
        o.ppn = dp ? dp : 1;
        if (a.grid) {
            cr_fit_wire_t w;
            cr_status_t st = wire ? cr_fit_wire_load(wire, &w, err, sizeof err) : CR_OK;
            if (st != CR_OK) {
                cr_error("%s", err);
                cr_fit_model_free(&m);
                return 1;
            }
            rc = cr_fit_plan_grid(&a, &wl, &m, &o, a.energy ? &la : NULL, wire ? &w : NULL);
            if (wire) cr_fit_wire_free(&w);
            cr_fit_model_free(&m);
            return rc;
        }
        if (!a.nnodes) a.nodes[a.nnodes++] = o.nodes;
        if (!a.ppn) a.ppn = o.ppn;
    }
    if (!(plans = calloc((size_t)a.nnodes, sizeof *plans))) {
        cr_fit_model_free(&m);
        return 1;
    }
    for (int k = 0; k < a.nnodes && !rc; k++) {
        o.nodes = a.nodes[k];
        o.ppn = a.ppn;
        if (cr_fit_plan_run(&m, &wl, &o, &plans[k], err, sizeof err) != CR_OK ||
            cr_fit_plan_measured(&m, &wl, &o, &plans[k], err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            rc = 2;
            break;
        }
        if (a.energy && wire &&
            cr_fit_energy_wire(wire, &plans[k], err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            rc = 1;
            break;
        }
        if (a.energy && (cr_fit_energy_plan(&la, &plans[k], err, sizeof err) != CR_OK ||
                         (a.energy_run &&
                          cr_fit_energy_rapl(a.energy_run, &plans[k], err, sizeof err) != CR_OK))) {
            cr_error("%s", err);
            rc = 2;
            break;
        }
        cr_fit_plan_print(&wl, &plans[k], &o);
        if (a.energy) cr_fit_plan_print_energy(&plans[k], &la);
        for (int i = 0; i < plans[k].ncalls; i++)
            if (plans[k].calls[i].warning[0])
                cr_warn("line %d on %d nodes: %s", plans[k].calls[i].call->line, o.nodes,
                        plans[k].calls[i].warning);
    }
    if (!rc && a.csv && cr_fit_plan_csv(a.csv, &wl, plans, a.nnodes) != CR_OK) rc = 1;
    if (!rc && a.plot) {
        if (cr_mkdir_p(a.plot, err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            rc = 1;
        } else if (cr_fit_plot_plan(a.plot, &wl, plans, a.nnodes) != CR_OK) {
            rc = 1;
        }
    }
    free(plans);
    cr_fit_model_free(&m);
    return rc;
}
