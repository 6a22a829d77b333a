/* The predict and intensity commands. */
#include "config.h"

#include "fit_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cr_coll.h"
#include "cr_level_names.h"
#include "cr_num.h"
#include "cr_sizes.h"
#include "fit_predict.h"

enum { CR_FIT_PREDICT = 1, CR_FIT_INTENSITY = 2, CR_FIT_BOTH = 3 };

/* A collective the registry knows (its F(p) comes from there). */
static cr_status_t cr_fit_set_collective(const cr_cli_opt_t *opt, void *target,
                                         const char *arg, char *err, size_t errlen)
{
    char known[512];
    (void)opt;
    if (!cr_coll_find(arg)) {
        snprintf(err, errlen, "invalid --collective '%s': expected %s", arg,
                 cr_coll_names(known, sizeof known));
        return CR_ERR_INVAL;
    }
    ((cr_fit_pargs_t *)target)->q.collective = arg;
    return CR_OK;
}

static cr_status_t cr_fit_set_bytes(const cr_cli_opt_t *opt, void *target, const char *arg,
                                    char *err, size_t errlen)
{
    char why[200];
    (void)opt;
    if (cr_size_parse(arg, &((cr_fit_pargs_t *)target)->q.bytes, why, sizeof why) != CR_OK) {
        snprintf(err, errlen, "invalid --bytes '%s': %s (e.g. 4096, 64K, 1M)", arg, why);
        return CR_ERR_INVAL;
    }
    return CR_OK;
}

/* An integer in [opt->lo, opt->hi] into the long at opt->field. */
static cr_status_t cr_fit_set_long(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_fit_opt_long(name, arg, opt->lo, opt->hi, (long *)((char *)target + opt->field), err,
                           errlen);
}

static cr_status_t cr_fit_set_ranks(const cr_cli_opt_t *opt, void *target, const char *arg,
                                    char *err, size_t errlen)
{
    long v;
    CR_CHECK(cr_fit_opt_long("--ranks", arg, opt->lo, opt->hi, &v, err, errlen));
    ((cr_fit_pargs_t *)target)->q.ranks = (int)v;
    return CR_OK;
}

/* A number in [lo, hi] into the double at opt->field. */
static cr_status_t cr_fit_double_at(const cr_cli_opt_t *opt, void *target, const char *arg,
                                    double lo, double hi, char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_fit_opt_double(name, arg, lo, hi, (double *)((char *)target + opt->field), err,
                             errlen);
}

static cr_status_t cr_fit_set_link(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    return cr_fit_double_at(opt, target, arg, 1e-9, 1e9, err, errlen);
}

static cr_status_t cr_fit_set_latency(const cr_cli_opt_t *opt, void *target, const char *arg,
                                      char *err, size_t errlen)
{
    return cr_fit_double_at(opt, target, arg, 1e-9, 1e12, err, errlen);
}

cr_status_t cr_fit_level_values(const char *opt, const char *spec, double *vals, char *err,
                                size_t errlen)
{
    char buf[256], *tok, *save, lvs[128];
    if (strlen(spec) >= sizeof buf || !spec[0]) {
        snprintf(err, errlen, "invalid %s '%.64s': expected LEVEL=VALUE[,LEVEL=VALUE...]", opt,
                 spec);
        return CR_ERR_INVAL;
    }
    snprintf(buf, sizeof buf, "%s", spec);
    if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,")) {
        snprintf(err, errlen, "invalid %s '%s': an empty item between commas", opt, spec);
        return CR_ERR_INVAL;
    }
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        const char *bad;
        cr_level_t lv;
        double v;
        if (!eq) {
            snprintf(err, errlen, "invalid %s '%s': expected LEVEL=VALUE, e.g. rail=50", opt, tok);
            return CR_ERR_INVAL;
        }
        *eq = '\0';
        if (cr_level_parse(tok, &lv) != 0) {
            snprintf(err, errlen, "invalid %s level '%s': expected one of %s", opt, tok,
                     cr_level_names(lvs, sizeof lvs));
            return CR_ERR_INVAL;
        }
        if ((bad = cr_num_double(eq + 1, &v)) != NULL || !(v > 0) || v > 1e12) {
            snprintf(err, errlen, "invalid %s value '%s' for level %s: expected a positive "
                     "number (plain decimal, at most 1e12)%s%s%s", opt, eq + 1, tok,
                     bad ? " (" : "", bad ? bad : "", bad ? ")" : "");
            return CR_ERR_INVAL;
        }
        vals[lv] = v;
    }
    return CR_OK;
}

static cr_status_t cr_fit_set_flops(const cr_cli_opt_t *opt, void *target, const char *arg,
                                    char *err, size_t errlen)
{
    return cr_fit_double_at(opt, target, arg, 1e-300, 1e300, err, errlen);
}

/* --peak-tflops and --bw-GBps */
static cr_status_t cr_fit_set_rate(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    return cr_fit_double_at(opt, target, arg, 1e-12, 1e12, err, errlen);
}

/* --in-place 0|1 and --variant V: the rest of a fit's group key (fit.csv). */
static cr_status_t cr_fit_set_in_place(const cr_cli_opt_t *opt, void *target, const char *arg,
                                       char *err, size_t errlen)
{
    if (strcmp(arg, "0") && strcmp(arg, "1")) {
        snprintf(err, errlen, "invalid --in-place '%s': expected 0 (out of place) or 1 (in place)",
                 arg);
        return CR_ERR_INVAL;
    }
    return cr_fit_opt_set_str(opt, target, arg, err, errlen);
}

static cr_status_t cr_fit_set_variant(const cr_cli_opt_t *opt, void *target, const char *arg,
                                      char *err, size_t errlen)
{
    cr_variant_t v;
    if (cr_variant_parse(arg, &v) != 0) {
        snprintf(err, errlen, "invalid --variant '%s': expected blocking or nonblocking", arg);
        return CR_ERR_INVAL;
    }
    return cr_fit_opt_set_str(opt, target, arg, err, errlen);
}

/* --link LEVEL=CLASS[:HOPS],...: appended to what earlier --link options gave. */
static cr_status_t cr_fit_set_plink(const cr_cli_opt_t *opt, void *target, const char *arg,
                                    char *err, size_t errlen)
{
    cr_fit_pargs_t *a = target;
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

static cr_status_t cr_fit_set_pflag(const cr_cli_opt_t *opt, void *target, const char *arg,
                                    char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    *(int *)((char *)target + opt->field) = 1;
    return CR_OK;
}

#define CR_FIT_AT(member) .field = offsetof(cr_fit_pargs_t, member)

/* predict's and intensity's options, in --help order; cmds says which take each. */
static const cr_cli_opt_t cr_fit_pargs_table[] = {
    {.name = "flops", .arg = "F", .def = "none (required)", .unit = "FLOP", .sample = "2.4e12",
     .cmds = CR_FIT_INTENSITY, .set = cr_fit_set_flops, CR_FIT_AT(flops),
     .help = "FLOPs of the step (e.g. 2.4e12)"},
    {.name = "bytes", .arg = "S", .def = "none (required)", .unit = "bytes", .sample = "64M",
     .cmds = CR_FIT_INTENSITY, .set = cr_fit_set_bytes,
     .help = "bytes the step communicates (collective size S; suffixes K, M, G are binary)"},
    {.name = "peak-tflops", .arg = "T", .def = "none (required)", .unit = "TFLOP/s (1e12 FLOP/s)",
     .sample = "100", .cmds = CR_FIT_INTENSITY, .set = cr_fit_set_rate, CR_FIT_AT(peak_tflops),
     .help = "accelerator peak"},
    {.name = "bw-GBps", .arg = "B", .def = "predicted from --fit", .unit = "GB/s (1e9 B/s)",
     .sample = "50", .cmds = CR_FIT_INTENSITY, .set = cr_fit_set_rate, CR_FIT_AT(bw),
     .help = "communication bandwidth; without it, bandwidth = S / the time predict gives "
             "for size S from the options below"},
    {.name = "fit", .arg = "DIR", .def = "none (required; intensity: or --bw-GBps)",
     .sample = "fit", .cmds = CR_FIT_BOTH, .set = cr_fit_opt_set_str, CR_FIT_AT(fit),
     .help = "a collroof-fit output directory (fit.csv, scaling.csv, roofline.csv)"},
    {.name = "collective", .arg = "C", .def = "none (required with --fit)", .sample = "allreduce",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_collective, CR_FIT_AT(q.collective),
     .help = "one of @COLLECTIVES@"},
    {.name = "bytes", .arg = "S", .def = "none (required)", .unit = "bytes", .sample = "64M",
     .cmds = CR_FIT_PREDICT, .set = cr_fit_set_bytes,
     .help = "size S; suffixes K, M, G are binary, e.g. 64M"},
    {.name = "ranks", .arg = "P", .def = "nodes x ppn", .unit = "ranks per group", .sample = "8",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_ranks, .lo = 1, .hi = 1L << 24,
     .help = "ranks per group"},
    {.name = "nodes", .arg = "N", .def = "none", .unit = "nodes", .sample = "2",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_long, CR_FIT_AT(nodes), .lo = 1, .hi = 1L << 20,
     .help = "nodes (with --ppn)"},
    {.name = "ppn", .arg = "Q", .def = "none", .unit = "ranks per node", .sample = "4",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_long, CR_FIT_AT(ppn), .lo = 1, .hi = 1L << 12,
     .help = "ranks per node (with --nodes)"},
    {.name = "level", .arg = "L", .def = "world when fitted, else the first", .sample = "node",
     .cmds = CR_FIT_BOTH, .set = cr_fit_opt_set_str, CR_FIT_AT(q.level),
     .help = "topology level: @LEVELS@, or a probe's distance class"},
    {.name = "cadence", .arg = "C", .def = "isolated when fitted, else the first",
     .sample = "streaming", .cmds = CR_FIT_BOTH, .set = cr_fit_opt_set_str, CR_FIT_AT(q.cadence),
     .help = "isolated, streaming, overlap or overlap_test"},
    {.name = "dtype", .arg = "T", .def = "the one fitted", .sample = "float",
     .cmds = CR_FIT_BOTH, .set = cr_fit_opt_set_str, CR_FIT_AT(q.dtype),
     .help = "datatype of the fitted rows; where a fit holds several datatypes, in-place "
             "settings or variants, predict names them and asks which"},
    {.name = "in-place", .arg = "0|1", .def = "the one fitted", .sample = "0",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_in_place, CR_FIT_AT(q.in_place),
     .help = "out-of-place (0) or in-place (1) rows"},
    {.name = "variant", .arg = "V", .def = "the one fitted", .sample = "blocking",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_variant, CR_FIT_AT(q.variant),
     .help = "blocking or nonblocking rows"},
    {.name = "skew", .arg = "SPEC", .def = "uniform when fitted, else refused naming the skews",
     .sample = "zipf:1.2", .cmds = CR_FIT_BOTH, .set = cr_fit_opt_set_str, CR_FIT_AT(q.skew),
     .help = "alltoallv's routing (fit.csv's skew column: uniform, zipf:S, hot:F:K); "
             "refused for other collectives; routings are never mixed"},
    {.name = "link-GBps", .arg = "X", .def = "as measured", .unit = "GB/s", .sample = "25",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_link, CR_FIT_AT(q.link_GBps),
     .help = "what-if: the link of the level predicted runs at X (r_inf scaled by X / "
             "its measured link ceiling, or X the busbw ceiling without one); in a "
             "hierarchical answer, the phases across nodes; --level-GBps overrides it per "
             "level"},
    {.name = "latency-us", .arg = "Y", .def = "as measured", .unit = "us", .sample = "3",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_latency, CR_FIT_AT(q.latency_us),
     .help = "what-if: latency floor alpha = Y at the rank count predicted; in a "
             "hierarchical answer, the phases across nodes; --level-latency-us overrides it "
             "per level"},
    {.name = "level-GBps", .arg = "LEVEL=X[,...]", .def = "as measured", .unit = "GB/s",
     .sample = "rail=50", .cmds = CR_FIT_PREDICT, .set = cr_fit_opt_set_level_vals,
     CR_FIT_AT(q.level_GBps),
     .help = "what-if: the links of LEVEL (@LEVELS@) run at X: the fits read at that level "
             "scale r_inf by X / their measured link ceiling (X is the busbw ceiling where "
             "none was recorded); internode also applies to rail and multi-host world fits "
             "without their own; repeatable; overrides --link-GBps there; the answer is "
             "shown beside the measured fabric's"},
    {.name = "level-latency-us", .arg = "LEVEL=Y[,...]", .def = "as measured", .unit = "us",
     .sample = "internode=2", .cmds = CR_FIT_PREDICT, .set = cr_fit_opt_set_level_vals,
     CR_FIT_AT(q.level_latency_us),
     .help = "what-if: the latency floor alpha of the fits read at LEVEL becomes Y at the "
             "rank count predicted (each segment's intercept moves with it); internode also "
             "applies to rail and multi-host world fits without their own; repeatable; "
             "overrides --latency-us there"},
    {.name = "hier", .arg = "ALG", .def = "rail", .sample = "leader", .cmds = CR_FIT_PREDICT,
     .set = cr_fit_opt_set_hier, CR_FIT_AT(q.hier_alg),
     .help = "hierarchical algorithm priced with --nodes --ppn: rail (node reduce-scatter, "
             "rail allreduce of S/ppn, node allgather: every rank crosses nodes) or leader "
             "(node reduce, internode allreduce of S among one leader per node, node bcast: "
             "Open MPI coll/han, MPICH smp; the node reduce or gather priced as the node bcast "
             "or allgather when the fit has no node reduce or gather)"},
    {.name = "csv", .arg = "FILE", .def = "none", .sample = "pred.csv", .cmds = CR_FIT_PREDICT,
     .set = cr_fit_opt_set_str, CR_FIT_AT(csv),
     .help = "also append the prediction as CSV rows (header when new): the flat answer, "
             "and the hierarchical one with --nodes --ppn; units in the column names, plain "
             "decimals, the measured fabric's time beside a what-if's (docs/formats.md)"},
    {.name = "energy", .def = "off", .cmds = CR_FIT_PREDICT, .set = cr_fit_set_pflag,
     CR_FIT_AT(energy),
     .help = "link energy per call of the flat answer and (with --nodes --ppn) the "
             "hierarchical one: the bytes crossing each level (measured wire bytes where the "
             "fit directory's run or --energy-run has a row for the query, else modelled) x "
             "the energy per bit of the level's class (--link), low-high; needs --link"},
    {.name = "link", .arg = "LEVEL=CLASS[:HOPS][,...]", .def = "none", .cmds = CR_FIT_PREDICT,
     .sample = "internode=pluggable-800g-2xdr4:2", .set = cr_fit_set_plink,
     .help = "the link class of a level (node, rail, internode, world) from the catalog, "
             "HOPS the links a byte crosses there (default 1; 2 through one switch), or none "
             "to leave the level unpriced; repeatable"},
    {.name = "links", .arg = "FILE", .def = "the shipped catalog only", .sample = "mylinks.csv",
     .cmds = CR_FIT_PREDICT, .set = cr_fit_opt_set_str, CR_FIT_AT(links),
     .help = "a link catalog of your own (docs/formats.md, links.csv): its rows replace the "
             "shipped rows of the same class and add new ones"},
    {.name = "energy-run", .arg = "RUN", .def = "the fit directory's results.csv, else its "
     "parent's", .sample = "run1", .cmds = CR_FIT_PREDICT, .set = cr_fit_opt_set_str,
     CR_FIT_AT(energy_run),
     .help = "a run directory or results.csv whose wire_tx_bytes_per_call gives the measured "
             "bytes across nodes"},
    {.name = "grid", .arg = "SPEC", .def = "none", .cmds = CR_FIT_PREDICT,
     .sample = "nodes=2..64,ppn=2,bytes=1M:16M:x4,rail-GBps=25,50",
     .set = cr_fit_opt_set_str, CR_FIT_AT(grid),
     .help = "sweep in one command: FIELD=VALUES[,FIELD=VALUES...] with fields nodes, ppn "
             "(lists, A..B doubling, A..B:xK, A..B:+K), bytes (64K,1M or 1M:1G:x4), "
             "LEVEL-GBps and LEVEL-latency-us (what-if rates), link-GBps, latency-us; "
             "fields left out take --nodes, --ppn, --bytes; one --csv row per point (the "
             "hierarchical answer where the fits have its phases, else the flat one) and a "
             "table on stdout"},
    {.name = "grid-plot", .arg = "DIR", .def = "none", .sample = "gridplot",
     .cmds = CR_FIT_PREDICT, .set = cr_fit_opt_set_str, CR_FIT_AT(grid_plot),
     .help = "with --grid: plot-grid.gp, grid.dat and grid.svg in DIR: predicted time vs "
             "nodes (log-log), one line per what-if, ppn and size, 95% intervals as bars"},
    {.name = "help", .letter = 'h', .cmds = CR_FIT_BOTH, .set = cr_cli_set_flag, CR_FIT_AT(help),
     .lo = 1, .help = "this help"},
    {.name = NULL},
};

/* Lists kept by the collective registry and the level table, not here. */
static const cr_cli_subst_t cr_fit_subst[] = {
    {"@COLLECTIVES@", cr_coll_names},
    {"@LEVELS@", cr_level_names},
    {NULL, NULL},
};

const cr_cli_t cr_fit_cli_predict = {
    .prog = "collroof-fit predict",
    .siblings = cr_fit_clis,
    .subst = cr_fit_subst,
    .head =
"usage: collroof-fit predict --fit DIR --collective C --bytes S (--ranks P | --nodes N --ppn Q)\n"
"                            [--level L] [--cadence C] [--dtype T] [--in-place 0|1]\n"
"                            [--variant V] [--skew SPEC] [--link-GBps X] [--latency-us Y]\n"
"                            [--level-GBps LEVEL=X] [--level-latency-us LEVEL=Y]\n"
"                            [--hier rail|leader] [--csv FILE] [--grid SPEC [--grid-plot DIR]]\n"
"\n"
"Predicts the time, algbw and busbw of collective C at size S on P ranks from a fit,\n"
"with 95% prediction intervals (where a new measurement should fall). Beyond the\n"
"measured rank counts it uses the scaling model of projection.csv (alpha(p) and\n"
"beta(p) across the rank counts of one topology) and warns beyond 4x of them.\n"
"\n",
    .opts = cr_fit_pargs_table,
    .cmd = CR_FIT_PREDICT,
};

const cr_cli_t cr_fit_cli_intensity = {
    .prog = "collroof-fit intensity",
    .siblings = cr_fit_clis,
    .subst = cr_fit_subst,
    .head =
"usage: collroof-fit intensity --flops F --bytes S --peak-tflops T\n"
"                              (--bw-GBps B | --fit DIR --collective C --ranks P [--level L])\n"
"\n"
"Compute or communication bound: arithmetic intensity F / S against the critical\n"
"intensity peak / bandwidth, and the step time with and without overlap.\n"
"\n",
    .opts = cr_fit_pargs_table,
    .cmd = CR_FIT_INTENSITY,
};

int cr_fit_pargs_parse(const cr_cli_t *cli, int argc, char **argv, cr_fit_pargs_t *a)
{
    cr_cli_getopt_t g;
    char err[256];
    int c;
    memset(a, 0, sizeof *a);
    if (cr_cli_getopt_build(cli, ":", &g) != CR_OK) return 2;
    opterr = 0; /* refusals are said by cr_cli_refused */
    optind = 0; /* full reinitialisation (glibc) */
    while (!a->help && (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
        const cr_cli_opt_t *opt = cr_cli_find(cli, c);
        if (!opt) { /* '?' or ':' */
            cr_error("%s", cr_cli_refused(cli, c, argc, argv, err, sizeof err));
            return 2;
        }
        if (opt->set(opt, a, optarg, err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            return 2;
        }
    }
    if (a->help) return 0;
    if (optind < argc) {
        cr_error("unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if ((a->nodes && !a->ppn) || (!a->nodes && a->ppn)) {
        cr_error("--nodes and --ppn go together (ranks = nodes x ppn)");
        return 2;
    }
    if (!a->q.ranks && a->nodes && a->ppn) {
        if (a->nodes * a->ppn > (1L << 24)) {
            cr_error("--nodes %ld x --ppn %ld = %ld ranks: expected at most %ld", a->nodes,
                     a->ppn, a->nodes * a->ppn, 1L << 24);
            return 2;
        }
        a->q.ranks = (int)(a->nodes * a->ppn);
    }
    if (a->nodes && a->ppn && a->q.ranks == a->nodes * a->ppn) {
        a->q.nodes = (int)a->nodes;   /* the topology asked for: read its fit when measured */
        a->q.ppn = (int)a->ppn;
    }
    return 0;
}

int cr_fit_answer_get(const cr_fit_model_t *m, const cr_fit_query_t *q, int want_hier,
                      cr_fit_answer_t *ans)
{
    cr_fit_query_t mq;
    cr_status_t st;
    memset(ans, 0, sizeof *ans);
    ans->whatif = cr_fit_query_has_whatif(q);
    cr_fit_query_measured(q, &mq);
    st = cr_fit_predict(m, q, &ans->p);
    ans->flat_ok = st == CR_OK;
    if (ans->flat_ok && ans->whatif) {
        cr_log_quiet(1);   /* the same fits, read the same way: no new complaint */
        ans->flat_ok = cr_fit_predict(m, &mq, &ans->pm) == CR_OK;
        cr_log_quiet(0);
    } else if (ans->flat_ok) {
        ans->pm = ans->p;
    }
    if (want_hier && q->nodes && q->ppn && (!q->level || !strcmp(q->level, "world"))) {
        ans->hier_ok = cr_fit_predict_hier(m, q, &ans->h, ans->why, sizeof ans->why) == CR_OK;
        if (ans->hier_ok && ans->whatif)
            ans->hier_ok = cr_fit_predict_hier(m, &mq, &ans->hm, ans->why, sizeof ans->why) == CR_OK;
        else if (ans->hier_ok)
            ans->hm = ans->h;
    }
    return ans->flat_ok ? 0 : 1;
}

/* Loads the fit, answers; 2 on missing options, 1 when the flat answer failed. */
static int cr_fit_predict_run2(cr_fit_pargs_t *a, cr_fit_answer_t *ans, int want_hier)
{
    cr_fit_model_t m;
    int rc;
    if (!a->fit || !a->q.collective || !a->q.bytes || !a->q.ranks) {
        cr_error("needs --fit DIR, --collective C, --bytes S and --ranks P (or --nodes and --ppn)");
        return 2;
    }
    if (cr_fit_model_load(a->fit, &m) != CR_OK) return 1;
    rc = cr_fit_answer_get(&m, &a->q, want_hier, ans);
    cr_fit_model_free(&m);
    return rc;
}

static int cr_fit_predict_run(cr_fit_pargs_t *a, cr_fit_prediction_t *pr)
{
    static cr_fit_answer_t ans;
    int rc = cr_fit_predict_run2(a, &ans, 0);
    *pr = ans.p;
    return rc;
}

/* "0.5x the time (2x faster)" */
static void cr_fit_ratio_print(double t, double tm)
{
    double r = t / tm;
    if (!(r > 0) || !isfinite(r)) printf("ratio n/a");
    else if (r == 1) printf("ratio 1 (unchanged)");
    else if (r < 1) printf("ratio %.4g (%.3gx faster)", r, 1 / r);
    else printf("ratio %.4g (%.3gx slower)", r, r);
}

/* The hierarchical answer beside the flat one (cr_fit_predict_hier). */
static void cr_fit_hier_print(const cr_fit_pargs_t *a, const cr_fit_answer_t *ans)
{
    const cr_fit_hier_t *h = &ans->h;
    printf("hierarchical%s on %d nodes x %d ppn (", h->alg == CR_FIT_HIER_LEADER ? " leader" : "",
           a->q.nodes, a->q.ppn);
    for (size_t i = 0; i < h->nph; i++) {
        printf("%s%s %s on %d ranks at %llu bytes", i ? " + " : "", h->ph[i].level,
               h->ph[i].op, h->ph[i].ranks, (unsigned long long)h->ph[i].bytes);
        if (strcmp(h->ph[i].op, h->ph[i].collective))
            printf(" (priced as %s)", h->ph[i].collective);
    }
    printf("):\n  time   %.4g us   [%.4g, %.4g]\n  algbw  %.4g GB/s\n  busbw  %.4g GB/s\n",
           h->t, h->t_lo, h->t_hi, h->algbw, h->busbw);
    for (size_t i = 0; i < h->nph; i++) {
        const cr_fit_prediction_t *pr = &h->ph[i].pr;
        printf("  phase %zu: %s %s p=%d: %.4g us [%.4g, %.4g] (%s", i + 1, h->ph[i].level,
               h->ph[i].op, h->ph[i].ranks, pr->t, pr->t_lo, pr->t_hi, pr->model);
        if (pr->whatif_GBps > 0) printf("; what-if %.4g GB/s", pr->whatif_GBps);
        if (pr->whatif_latency_us > 0) printf("; what-if alpha %.4g us", pr->whatif_latency_us);
        if (ans->whatif) printf("; measured fabric %.4g us", ans->hm.ph[i].pr.t);
        printf(")\n");
    }
    fflush(stdout);
    if (h->warn) cr_warn("a phase of the hierarchical projection extrapolates far (see above)");
}

/* The run's measurement at exactly this point, when it has one (the fit directory's
 * results.csv, else its parent's, else --energy-run), beside the fit's answer; with
 * a what-if, that measurement scaled by the what-if's ratio. */
static void cr_fit_mpoint_print(const cr_fit_pargs_t *a, const cr_fit_answer_t *ans)
{
    const cr_fit_prediction_t *p = &ans->p, *pm = ans->whatif ? &ans->pm : &ans->p;
    char buf[4200], src[4300];
    double t, lo, hi;
    const char *path = cr_fit_energy_wire_path(a->fit, a->energy_run, buf, sizeof buf);
    if (!path || cr_fit_mpoint_find(path, a->q.collective, p->level, p->cadence, a->q.ranks,
                                    a->q.nodes, a->q.ppn, a->q.bytes, p->dtype, p->in_place,
                                    cr_variant_names[p->variant], p->skew, &t, &lo, &hi, src,
                                    sizeof src) != 1)
        return;
    printf("  measured here%s: %.4g us [%.4g, %.4g] (%s); the fit's answer is %+.1f%% off it\n",
           ans->whatif ? " (on the measured fabric)" : "", t, lo, hi, src,
           100 * (pm->t / t - 1));
    if (ans->whatif && pm->t > 0)
        printf("  the measurement scaled by the what-if (x %.4g): %.4g us\n", p->t / pm->t,
               t * p->t / pm->t);
}

/* Measured fabric against the what-if, side by side. */
static void cr_fit_whatif_print(const cr_fit_pargs_t *a, const cr_fit_answer_t *ans)
{
    char wi[256];
    printf("what-if (%s) against the measured fabric:\n",
           cr_fit_query_whatif_str(&a->q, wi, sizeof wi));
    printf("  flat          measured %.4g us [%.4g, %.4g]   what-if %.4g us [%.4g, %.4g]   ",
           ans->pm.t, ans->pm.t_lo, ans->pm.t_hi, ans->p.t, ans->p.t_lo, ans->p.t_hi);
    cr_fit_ratio_print(ans->p.t, ans->pm.t);
    printf("\n");
    if (ans->hier_ok) {
        printf("  hierarchical  measured %.4g us [%.4g, %.4g]   what-if %.4g us [%.4g, %.4g]   ",
               ans->hm.t, ans->hm.t_lo, ans->hm.t_hi, ans->h.t, ans->h.t_lo, ans->h.t_hi);
        cr_fit_ratio_print(ans->h.t, ans->hm.t);
        printf("\n");
    }
    if (!(ans->p.whatif_GBps > 0 || ans->p.whatif_latency_us > 0) &&
        !(ans->hier_ok && ans->h.t != ans->hm.t))
        printf("  (no fit read here is at a level the what-if names: nothing changed)\n");
}

int cr_fit_cmd_predict(int argc, char **argv)
{
    cr_fit_pargs_t a;
    static cr_fit_answer_t ans;
    static cr_fit_penergy_t energy[2];
    const cr_fit_prediction_t *p = &ans.p;
    int rc = cr_fit_pargs_parse(&cr_fit_cli_predict, argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        cr_cli_usage(&cr_fit_cli_predict, stdout);
        return 0;
    }
    if (a.grid) return cr_fit_predict_grid(&a);
    if (a.grid_plot) {
        cr_error("--grid-plot DIR plots a --grid: give --grid SPEC");
        return 2;
    }
    if (a.energy != (a.link[0] != '\0') || (!a.energy && (a.links || a.energy_run))) {
        cr_error(a.energy ? "--energy needs --link LEVEL=CLASS[,LEVEL=CLASS...]: which link "
                            "class carries each level's bytes (the classes are in links.csv, "
                            "docs/formats.md)"
                          : "--link, --links and --energy-run price link energy: give --energy "
                            "with them");
        return 2;
    }
    if (a.energy && a.grid) {
        cr_error("--energy prices one answer: leave out --grid");
        return 2;
    }
    if ((rc = cr_fit_predict_run2(&a, &ans, 1)) != 0) return rc;
    printf("%s %s %s p=%d S=%llu bytes (%s%s%s%s%s%s):\n"
           "  time   %.4g us   [%.4g, %.4g]\n"
           "  algbw  %.4g GB/s [%.4g, %.4g]\n"
           "  busbw  %.4g GB/s [%.4g, %.4g]  (F = %.4g)\n"
           "  %s: %s\n", a.q.collective, p->level, p->cadence, a.q.ranks,
           (unsigned long long)a.q.bytes, p->dtype, p->dtype[0] ? ", " : "",
           cr_variant_names[p->variant], p->in_place ? ", in place" : "", p->skew[0] ? ", skew " : "",
           p->skew, p->t, p->t_lo, p->t_hi, p->algbw, p->algbw_lo, p->algbw_hi, p->busbw,
           p->busbw_lo, p->busbw_hi, p->F, p->model, p->basis);
    fflush(stdout);   /* the warning after what it is about */
    if (p->warning[0]) cr_warn("%s", p->warning);
    cr_fit_mpoint_print(&a, &ans);
    if (ans.hier_ok) cr_fit_hier_print(&a, &ans);
    else if (ans.why[0]) printf("hierarchical: n/a (%s)\n", ans.why);
    if (ans.whatif) cr_fit_whatif_print(&a, &ans);
    if (a.energy && (rc = cr_fit_predict_energy(&a, &ans, energy)) != 0) return rc;
    if (a.csv) {
        cr_fit_pcsv_row_t row = { .q = &a.q, .p = &ans.p, .pm = &ans.pm,
                                  .e = a.energy ? &energy[0] : NULL };
        if (cr_fit_pcsv_append(a.csv, &row) != 0) return 1;
        row.h = ans.hier_ok ? &ans.h : NULL;
        row.hm = ans.hier_ok ? &ans.hm : NULL;
        row.e = a.energy ? &energy[1] : NULL;
        if (ans.hier_ok && cr_fit_pcsv_append(a.csv, &row) != 0) return 1;
    }
    return 0;
}

int cr_fit_cmd_intensity(int argc, char **argv)
{
    cr_fit_pargs_t a;
    cr_fit_intensity_t it;
    double bw;
    int rc = cr_fit_pargs_parse(&cr_fit_cli_intensity, argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        cr_cli_usage(&cr_fit_cli_intensity, stdout);
        return 0;
    }
    if (!(a.flops > 0) || !a.q.bytes || !(a.peak_tflops > 0)) {
        cr_error("intensity needs --flops F, --bytes S and --peak-tflops T");
        return 2;
    }
    if (a.bw > 0) {
        bw = a.bw * 1e9;
    } else {
        cr_fit_prediction_t p;
        if ((rc = cr_fit_predict_run(&a, &p)) != 0) return rc;
        bw = (double)a.q.bytes / (p.t * 1e-6);
        printf("communication: %s %s p=%d, S=%llu bytes takes %.4g us (%s)\n", a.q.collective,
               p.level, a.q.ranks, (unsigned long long)a.q.bytes, p.t, p.basis);
        printf("asymptotic critical intensity (algbw ceiling %.4g GB/s): %.4g FLOP/byte\n",
               p.rinf, a.peak_tflops * 1e12 / (p.rinf * 1e9));
    }
    cr_fit_intensity_eval(a.flops, (double)a.q.bytes, a.peak_tflops * 1e12, bw, &it);
    printf("arithmetic intensity  %.4g FLOP/byte\n"
           "critical intensity    %.4g FLOP/byte (peak %.4g TFLOP/s / %.4g GB/s)\n"
           "T_math %.4g us, T_comm %.4g us; step %.4g us with overlap, %.4g us without\n"
           "%s-bound\n", it.intensity, it.critical, a.peak_tflops, bw * 1e-9, it.t_math_us,
           it.t_comm_us, it.t_overlap_us, it.t_serial_us,
           it.compute_bound ? "compute" : "communication");
    return 0;
}
