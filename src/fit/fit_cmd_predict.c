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
#include "cr_sizes.h"
#include "fit_predict.h"

enum { CR_FIT_PREDICT = 1, CR_FIT_INTENSITY = 2, CR_FIT_BOTH = 3 };

static cr_status_t cr_fit_set_str(const cr_cli_opt_t *opt, void *target, const char *arg,
                                  char *err, size_t errlen)
{
    (void)err, (void)errlen;
    *(const char **)((char *)target + opt->field) = arg;
    return CR_OK;
}

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
    return cr_fit_set_str(opt, target, arg, err, errlen);
}

static cr_status_t cr_fit_set_variant(const cr_cli_opt_t *opt, void *target, const char *arg,
                                      char *err, size_t errlen)
{
    cr_variant_t v;
    if (cr_variant_parse(arg, &v) != 0) {
        snprintf(err, errlen, "invalid --variant '%s': expected blocking or nonblocking", arg);
        return CR_ERR_INVAL;
    }
    return cr_fit_set_str(opt, target, arg, err, errlen);
}

/* --hier rail|leader: the hierarchical family (cr_fit_hier_alg_t). */
static cr_status_t cr_fit_set_hier(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    (void)opt;
    for (int i = 0; cr_fit_hier_alg_names[i]; i++)
        if (!strcmp(arg, cr_fit_hier_alg_names[i])) {
            ((cr_fit_pargs_t *)target)->q.hier_alg = i;
            return CR_OK;
        }
    snprintf(err, errlen, "invalid --hier '%s': expected rail or leader", arg);
    return CR_ERR_INVAL;
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
     .sample = "fit", .cmds = CR_FIT_BOTH, .set = cr_fit_set_str, CR_FIT_AT(fit),
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
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_str, CR_FIT_AT(q.level),
     .help = "topology level: @LEVELS@, or a probe's distance class"},
    {.name = "cadence", .arg = "C", .def = "isolated when fitted, else the first",
     .sample = "streaming", .cmds = CR_FIT_BOTH, .set = cr_fit_set_str, CR_FIT_AT(q.cadence),
     .help = "isolated, streaming, overlap or overlap_test"},
    {.name = "dtype", .arg = "T", .def = "the one fitted", .sample = "float",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_str, CR_FIT_AT(q.dtype),
     .help = "datatype of the fitted rows; where a fit holds several datatypes, in-place "
             "settings or variants, predict names them and asks which"},
    {.name = "in-place", .arg = "0|1", .def = "the one fitted", .sample = "0",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_in_place, CR_FIT_AT(q.in_place),
     .help = "out-of-place (0) or in-place (1) rows"},
    {.name = "variant", .arg = "V", .def = "the one fitted", .sample = "blocking",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_variant, CR_FIT_AT(q.variant),
     .help = "blocking or nonblocking rows"},
    {.name = "skew", .arg = "SPEC", .def = "uniform when fitted, else refused naming the skews",
     .sample = "zipf:1.2", .cmds = CR_FIT_BOTH, .set = cr_fit_set_str, CR_FIT_AT(q.skew),
     .help = "alltoallv's routing (fit.csv's skew column: uniform, zipf:S, hot:F:K); "
             "refused for other collectives; routings are never mixed"},
    {.name = "link-GBps", .arg = "X", .def = "as measured", .unit = "GB/s", .sample = "25",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_link, CR_FIT_AT(q.link_GBps),
     .help = "what-if: the link runs at X"},
    {.name = "latency-us", .arg = "Y", .def = "as measured", .unit = "us", .sample = "3",
     .cmds = CR_FIT_BOTH, .set = cr_fit_set_latency, CR_FIT_AT(q.latency_us),
     .help = "what-if: latency floor alpha = Y"},
    {.name = "hier", .arg = "ALG", .def = "rail", .sample = "leader", .cmds = CR_FIT_PREDICT,
     .set = cr_fit_set_hier,
     .help = "hierarchical algorithm priced with --nodes --ppn: rail (node reduce-scatter, "
             "rail allreduce of S/ppn, node allgather: every rank crosses nodes) or leader "
             "(node reduce, internode allreduce of S among one leader per node, node bcast: "
             "Open MPI coll/han, MPICH smp; the node reduce or gather priced as the node bcast "
             "or allgather when the fit has no node reduce or gather)"},
    {.name = "csv", .arg = "FILE", .def = "none", .sample = "pred.csv", .cmds = CR_FIT_PREDICT,
     .set = cr_fit_set_str, CR_FIT_AT(csv),
     .help = "also append the prediction as a CSV row (header when new)"},
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
"                            [--hier rail|leader] [--csv FILE]\n"
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

/* Predicts; with hier (and --nodes, --ppn, level world or unset) also the
 * hierarchical projection: *hier_ok 1 when it has one, else why[] says why not. */
static int cr_fit_predict_run2(cr_fit_pargs_t *a, cr_fit_prediction_t *pr, cr_fit_hier_t *hier,
                               int *hier_ok, char *why, size_t len)
{
    cr_fit_model_t m;
    cr_status_t st;
    if (!a->fit || !a->q.collective || !a->q.bytes || !a->q.ranks) {
        cr_error("needs --fit DIR, --collective C, --bytes S and --ranks P (or --nodes and --ppn)");
        return 2;
    }
    if (cr_fit_model_load(a->fit, &m) != CR_OK) return 1;
    st = cr_fit_predict(&m, &a->q, pr);
    if (st == CR_OK && hier && a->q.nodes && (!a->q.level || !strcmp(a->q.level, "world")))
        *hier_ok = cr_fit_predict_hier(&m, &a->q, hier, why, len) == CR_OK;
    cr_fit_model_free(&m);
    return st == CR_OK ? 0 : 1;
}

static int cr_fit_predict_run(cr_fit_pargs_t *a, cr_fit_prediction_t *pr)
{
    return cr_fit_predict_run2(a, pr, NULL, NULL, NULL, 0);
}

/* A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
static void cr_fit_csv_quoted(FILE *f, const char *v)
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

static int cr_fit_csv_append(const char *path, const cr_fit_pargs_t *a,
                             const cr_fit_prediction_t *p)
{
    struct stat sb;
    int fresh = stat(path, &sb) != 0 || sb.st_size == 0;
    FILE *f = fopen(path, "a");
    if (!f) {
        cr_error("cannot append to %s: %s", path, strerror(errno));
        return 1;
    }
    if (fresh)
        fputs("collective,level,cadence,ranks,bytes,t_us,t_lo_us,t_hi_us,algbw_GBps,"
              "algbw_lo_GBps,algbw_hi_GBps,busbw_GBps,busbw_lo_GBps,busbw_hi_GBps,mode,basis,"
              "dtype,in_place,variant,nodes,ppn,model,warning,skew\n", f);
    fprintf(f, "%s,%s,%s,%d,%llu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s,",
            a->q.collective, p->level, p->cadence, a->q.ranks, (unsigned long long)a->q.bytes,
            p->t, p->t_lo, p->t_hi, p->algbw, p->algbw_lo, p->algbw_hi, p->busbw, p->busbw_lo,
            p->busbw_hi, p->extrapolated ? "extrapolated" : "interpolated");
    cr_fit_csv_quoted(f, p->basis);
    fprintf(f, ",%s,%d,%s,%d,%d,%s,", p->dtype, p->in_place, cr_variant_names[p->variant],
            a->q.nodes, a->q.ppn, p->model);
    cr_fit_csv_quoted(f, p->warning);
    fprintf(f, ",%s\n", p->skew);
    if (ferror(f) | fclose(f)) {
        cr_error("cannot append to %s: %s", path, strerror(errno));
        return 1;
    }
    return 0;
}

/* The hierarchical answer beside the flat one (cr_fit_predict_hier). */
static void cr_fit_hier_print(const cr_fit_pargs_t *a, const cr_fit_hier_t *h)
{
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
    for (size_t i = 0; i < h->nph; i++)
        printf("  phase %zu: %s %s p=%d: %.4g us [%.4g, %.4g] (%s)\n", i + 1, h->ph[i].level,
               h->ph[i].op, h->ph[i].ranks, h->ph[i].pr.t, h->ph[i].pr.t_lo,
               h->ph[i].pr.t_hi, h->ph[i].pr.model);
    fflush(stdout);
    if (h->warn) cr_warn("a phase of the hierarchical projection extrapolates far (see above)");
}

/* The hierarchical answer as a --csv row: level "hierarchical", model "hierarchical". */
static int cr_fit_hier_csv(const char *path, const cr_fit_pargs_t *a, const cr_fit_hier_t *h,
                           const cr_fit_prediction_t *flat)
{
    cr_fit_prediction_t p = *flat;
    char basis[sizeof p.basis];
    size_t used = 0;
    p.t = h->t;
    p.t_lo = h->t_lo;
    p.t_hi = h->t_hi;
    p.algbw = h->algbw;
    p.algbw_lo = (double)a->q.bytes / h->t_hi * 1e-3;
    p.algbw_hi = (double)a->q.bytes / h->t_lo * 1e-3;
    p.busbw = h->busbw;
    p.busbw_lo = p.F * p.algbw_lo;
    p.busbw_hi = p.F * p.algbw_hi;
    snprintf(p.level, sizeof p.level, "hierarchical");
    snprintf(p.model, sizeof p.model, "%s", h->alg == CR_FIT_HIER_LEADER ? "hierarchical leader"
                                                                        : "hierarchical");
    basis[0] = '\0';
    for (size_t i = 0; i < h->nph && used < sizeof basis; i++) {
        const cr_fit_phase_t *ph = &h->ph[i];
        char as[CR_NAME_LEN + 8] = "";
        if (strcmp(ph->op, ph->collective)) snprintf(as, sizeof as, " (as %s)", ph->collective);
        used += (size_t)snprintf(basis + used, sizeof basis - used, "%s%s %s%s p=%d %llu bytes %.6g us",
                                 i ? " + " : "", ph->level, ph->op, as, ph->ranks,
                                 (unsigned long long)ph->bytes, ph->pr.t);
    }
    snprintf(p.basis, sizeof p.basis, "%s", basis);
    p.warning[0] = '\0';
    if (h->warn) snprintf(p.warning, sizeof p.warning, "a phase extrapolates far");
    return cr_fit_csv_append(path, a, &p);
}

int cr_fit_cmd_predict(int argc, char **argv)
{
    cr_fit_pargs_t a;
    cr_fit_prediction_t p;
    cr_fit_hier_t h;
    int hier_ok = 0;
    char why[256] = "";
    int rc = cr_fit_pargs_parse(&cr_fit_cli_predict, argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        cr_cli_usage(&cr_fit_cli_predict, stdout);
        return 0;
    }
    if ((rc = cr_fit_predict_run2(&a, &p, &h, &hier_ok, why, sizeof why)) != 0) return rc;
    printf("%s %s %s p=%d S=%llu bytes (%s%s%s%s%s%s):\n"
           "  time   %.4g us   [%.4g, %.4g]\n"
           "  algbw  %.4g GB/s [%.4g, %.4g]\n"
           "  busbw  %.4g GB/s [%.4g, %.4g]  (F = %.4g)\n"
           "  %s: %s\n", a.q.collective, p.level, p.cadence, a.q.ranks, (unsigned long long)a.q.bytes,
           p.dtype, p.dtype[0] ? ", " : "", cr_variant_names[p.variant],
           p.in_place ? ", in place" : "", p.skew[0] ? ", skew " : "", p.skew, p.t, p.t_lo, p.t_hi, p.algbw, p.algbw_lo, p.algbw_hi, p.busbw, p.busbw_lo,
           p.busbw_hi, p.F, p.model, p.basis);
    fflush(stdout);   /* the warning after what it is about */
    if (p.warning[0]) cr_warn("%s", p.warning);
    if (hier_ok) cr_fit_hier_print(&a, &h);
    else if (why[0]) printf("hierarchical: n/a (%s)\n", why);
    if (a.csv && cr_fit_csv_append(a.csv, &a, &p) != 0) return 1;
    if (a.csv && hier_ok) return cr_fit_hier_csv(a.csv, &a, &h, &p);
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
