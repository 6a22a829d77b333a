/* The fit command: read runs, fit, write files, plot, print the summary. */
#include "config.h"

#include "fit_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fit_plot.h"
#include "fit_read.h"
#include "fit_workload.h"
#include "fit_write.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

cr_status_t cr_fit_opt_double(const char *opt, const char *val, double lo, double hi,
                              double *out, char *err, size_t errlen)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(val, &end);
    if (!*val || *end || errno || !(v >= lo && v <= hi)) {
        snprintf(err, errlen, "invalid %s '%s': expected a number in [%g, %g]", opt, val, lo, hi);
        return CR_ERR_INVAL;
    }
    *out = v;
    return CR_OK;
}

cr_status_t cr_fit_opt_long(const char *opt, const char *val, long lo, long hi, long *out,
                            char *err, size_t errlen)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(val, &end, 10);
    if (!*val || *end || errno || v < lo || v > hi) {
        snprintf(err, errlen, "invalid %s '%s': expected an integer in [%ld, %ld]", opt, val, lo,
                 hi);
        return CR_ERR_INVAL;
    }
    *out = v;
    return CR_OK;
}

/* An integer in [opt->lo, opt->hi]. */
static cr_status_t cr_fit_long_arg(const cr_cli_opt_t *opt, const char *arg, long *v, char *err,
                                   size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_fit_opt_long(name, arg, opt->lo, opt->hi, v, err, errlen);
}

static cr_status_t cr_fit_set_output(const cr_cli_opt_t *opt, void *target, const char *arg,
                                     char *err, size_t errlen)
{
    (void)opt, (void)err, (void)errlen;
    ((cr_fit_fit_args_t *)target)->outdir = arg;
    return CR_OK;
}

static cr_status_t cr_fit_set_max_segments(const cr_cli_opt_t *opt, void *target,
                                           const char *arg, char *err, size_t errlen)
{
    long v;
    CR_CHECK(cr_fit_long_arg(opt, arg, &v, err, errlen));
    ((cr_fit_fit_args_t *)target)->fo.seg.max_segments = (size_t)v;
    return CR_OK;
}

static cr_status_t cr_fit_set_bootstrap(const cr_cli_opt_t *opt, void *target, const char *arg,
                                        char *err, size_t errlen)
{
    long v;
    CR_CHECK(cr_fit_long_arg(opt, arg, &v, err, errlen));
    ((cr_fit_fit_args_t *)target)->fo.reps = (size_t)v;
    return CR_OK;
}

static cr_status_t cr_fit_set_seed(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    long v;
    CR_CHECK(cr_fit_long_arg(opt, arg, &v, err, errlen));
    ((cr_fit_fit_args_t *)target)->fo.seed = (uint64_t)v;
    return CR_OK;
}

static cr_status_t cr_fit_set_format(const cr_cli_opt_t *opt, void *target, const char *arg,
                                     char *err, size_t errlen)
{
    cr_fit_fit_args_t *a = target;
    (void)opt;
    if ((a->formats = cr_fit_plot_formats(arg)) < 0) {
        snprintf(err, errlen, "invalid --format '%s': expected a comma list of svg, png", arg);
        return CR_ERR_INVAL;
    }
    return CR_OK;
}

#define CR_FIT_FLAG(member, value) \
    .set = cr_cli_set_flag, .field = offsetof(cr_fit_fit_args_t, member), .lo = (value)

/* The fit command's options, in --help order. */
static const cr_cli_opt_t cr_fit_fit_table[] = {
    {.name = "output", .letter = 'o', .arg = "DIR", .def = "RUN1/fit, or beside a file RUN1",
     .sample = "out", .set = cr_fit_set_output, .help = "output directory"},
    {.name = "max-segments", .arg = "K", .def = "3", .unit = "segments", .sample = "2",
     .set = cr_fit_set_max_segments, .lo = 1, .hi = CR_FIT_MAXSEG,
     .help = "at most K Hockney segments per group"},
    {.name = "bootstrap", .arg = "N", .def = "1000", .unit = "replicates", .sample = "100",
     .set = cr_fit_set_bootstrap, .lo = 0, .hi = 1000000,
     .help = "bootstrap replicates for the 95% CIs (0: none)"},
    {.name = "seed", .arg = "N", .def = "1", .sample = "7", .set = cr_fit_set_seed, .lo = 0,
     .hi = 0x7fffffffL, .help = "bootstrap seed; same seed, same output"},
    {.name = "lenient", .def = "off: stop at the first malformed row", CR_FIT_FLAG(ro.lenient, 1),
     .help = "skip malformed rows with a warning"},
    {.name = "no-plots", .def = "off (plots written)", CR_FIT_FLAG(plots, 0),
     .help = "do not write gnuplot scripts or plots"},
    {.name = "format", .arg = "LIST", .def = "svg,png", .sample = "svg",
     .set = cr_fit_set_format, .help = "plot formats, comma list of svg, png"},
    {.name = "help", .letter = 'h', CR_FIT_FLAG(help, 1),
     .help = "this help; 'collroof-fit predict --help' and 'collroof-fit intensity --help' "
             "for the others"},
    {.name = "version", .letter = 'V', CR_FIT_FLAG(version, 1), .help = "print the version"},
    {.name = NULL},
};

const cr_cli_t *const cr_fit_clis[] = {
    &cr_fit_cli_fit, &cr_fit_cli_predict, &cr_fit_cli_intensity, &cr_fit_cli_plan,
    &cr_fit_cli_workload, &cr_fit_cli_boundary, NULL,
};

const cr_cli_t cr_fit_cli_fit = {
    .prog = "collroof-fit",
    .siblings = cr_fit_clis,
    .head =
"usage: collroof-fit [options] RUN...\n"
"       collroof-fit predict --fit DIR --collective C --bytes S --ranks P [options]\n"
"       collroof-fit intensity --flops F --bytes S --peak-tflops T (--bw-GBps B | --fit DIR ...)\n"
"\n"
"Fits a communication roofline to collroof runs. RUN is a run directory\n"
"(results.jsonl preferred, else results.csv) or one of those files; several\n"
"runs (e.g. node counts) are fitted together, grouped by collective, level,\n"
"cadence and ranks.\n"
"\n",
    .foot =
"Writes DIR/fit.csv, roofline.csv, scaling.csv, plot-LEVEL.gp with its .dat files,\n"
"roofline-LEVEL.{svg,png} and time-LEVEL.{svg,png} (when gnuplot is installed),\n"
"and prints a summary: latency in us, ceilings in GB/s (1e9 B/s), n_half in bytes.\n",
    .opts = cr_fit_fit_table,
};

int cr_fit_fit_parse(int argc, char **argv, cr_fit_fit_args_t *a)
{
    cr_cli_getopt_t g;
    char err[256];
    int c;
    memset(a, 0, sizeof *a);
    cr_fit_opts_default(&a->fo);
    a->plots = 1;
    a->formats = CR_FIT_PLOT_SVG | CR_FIT_PLOT_PNG;
    if (cr_cli_getopt_build(&cr_fit_cli_fit, ":", &g) != CR_OK) return 2;
    opterr = 0; /* refusals are said by cr_cli_refused */
    optind = 0; /* full reinitialisation (glibc), so tests may parse many times */
    while (!a->help && !a->version &&
           (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
        const cr_cli_opt_t *opt = cr_cli_find(&cr_fit_cli_fit, c);
        if (!opt) { /* '?' or ':' */
            cr_error("%s", cr_cli_refused(&cr_fit_cli_fit, c, argc, argv, err, sizeof err));
            return 2;
        }
        if (opt->set(opt, a, optarg, err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            return 2;
        }
    }
    return 0;
}

static void cr_fit_default_outdir(const char *run, char *out, size_t len)
{
    struct stat sb;
    if (stat(run, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        snprintf(out, len, "%s/fit", run);
    } else {
        const char *slash = strrchr(run, '/');
        if (slash) snprintf(out, len, "%.*s/fit", (int)(slash - run), run);
        else snprintf(out, len, "fit");
    }
}

/* One RUN operand: a directory's workload.csv (a replayed step) and its results
 * (results.jsonl, else results.csv), either alone; or one file, a workload.csv by
 * its name, else a results file. A directory with neither is refused. */
static cr_status_t cr_fit_read_run_arg(const char *run, const cr_fit_read_opts_t *o,
                                       cr_fit_set_t *set, cr_fit_wlset_t *wls)
{
    struct stat sb;
    char wl[4200], res[4200];
    const char *base = strrchr(run, '/');
    int has_res;
    base = base ? base + 1 : run;
    if (stat(run, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return !strcmp(base, "workload.csv") ? cr_fit_wl_read(run, o, wls)
                                              : cr_fit_read_path(run, o, set);
    if (stat(run, &sb) != 0) return cr_fit_read_path(run, o, set);   /* says why */
    snprintf(wl, sizeof wl, "%s/workload.csv", run);
    snprintf(res, sizeof res, "%s/results.jsonl", run);
    has_res = stat(res, &sb) == 0;
    snprintf(res, sizeof res, "%s/results.csv", run);
    has_res |= stat(res, &sb) == 0;
    if (stat(wl, &sb) == 0) {
        CR_CHECK(cr_fit_wl_read(wl, o, wls));
        if (!has_res) return CR_OK;
    }
    return cr_fit_read_path(run, o, set);
}

int cr_fit_cmd_fit(int argc, char **argv)
{
    cr_fit_fit_args_t a;
    cr_fit_set_t set;
    cr_fit_wlset_t wls = { 0 };
    cr_fit_report_t rep;
    const char *outdir;
    char defdir[4096];
    cr_status_t st = CR_OK;
    int rc = cr_fit_fit_parse(argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        cr_cli_usage(&cr_fit_cli_fit, stdout);
        return 0;
    }
    if (a.version) {
        printf("collroof-fit %s\n", PACKAGE_VERSION);
        return 0;
    }
    if (optind >= argc) {
        cr_error("no run given: expected one or more run directories or results files");
        cr_cli_usage(&cr_fit_cli_fit, stderr);
        return 2;
    }
    outdir = a.outdir;
    if (!outdir) {
        cr_fit_default_outdir(argv[optind], defdir, sizeof defdir);
        outdir = defdir;
    }
    cr_fit_set_init(&set);
    for (int i = optind; i < argc; i++)
        CR_CHECK_GOTO(cr_fit_read_run_arg(argv[i], &a.ro, &set, &wls), st, out_with_set);
    cr_fit_set_finish(&set);
    CR_CHECK_GOTO(cr_fit_report_build(&set, &a.fo, &rep), st, out_with_set);
    rep.wl = &wls;
    if (rep.nres == 0 && wls.n == 0) {
        cr_error("no group has two distinct sizes: nothing to fit");
        st = CR_ERR_INVAL;
        goto out_with_rep;
    }
    CR_CHECK_GOTO(cr_fit_write_all(outdir, &rep), st, out_with_rep);
    cr_fit_writer_summary.write(stdout, &rep);
    if (a.plots) CR_CHECK_GOTO(cr_fit_plot_write(outdir, &rep, a.formats), st, out_with_rep);
    printf("collroof-fit: %zu groups, %zu measurements, %zu raw samples", rep.nres, set.rows,
           set.samples);
    if (wls.n) printf(", %zu workload steps", wls.n);   /* README's shape without a replay */
    printf(" -> %s\n", outdir);
out_with_rep:
    cr_fit_report_free(&rep);
out_with_set:
    cr_fit_set_free(&set);
    cr_fit_wlset_free(&wls);
    return st == CR_OK ? 0 : 1;
}

cr_status_t cr_fit_opt_set_str(const cr_cli_opt_t *opt, void *target, const char *arg,
                               char *err, size_t errlen)
{
    (void)err, (void)errlen;
    *(const char **)((char *)target + opt->field) = arg;
    return CR_OK;
}

cr_status_t cr_fit_opt_set_hier(const cr_cli_opt_t *opt, void *target, const char *arg,
                                char *err, size_t errlen)
{
    for (int i = 0; cr_fit_hier_alg_names[i]; i++)
        if (!strcmp(arg, cr_fit_hier_alg_names[i])) {
            *(int *)((char *)target + opt->field) = i;
            return CR_OK;
        }
    snprintf(err, errlen, "invalid --hier '%s': expected rail or leader", arg);
    return CR_ERR_INVAL;
}

cr_status_t cr_fit_opt_set_level_vals(const cr_cli_opt_t *opt, void *target, const char *arg,
                                      char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_fit_level_values(name, arg, (double *)((char *)target + opt->field), err, errlen);
}

int cr_fit_read_workload(const char *path, cr_workload_t *wl)
{
    char *text = malloc(CR_WL_MAX_FILE + 1), err[1024];
    cr_skew_t sk;
    size_t n;
    FILE *f;
    int rc = 0;
    if (!text) return 1;
    if (!(f = fopen(path, "rb"))) {
        cr_error("cannot read workload %s: %s", path, strerror(errno));
        free(text);
        return 2;
    }
    n = fread(text, 1, CR_WL_MAX_FILE + 1, f);
    fclose(f);
    cr_skew_default(&sk);
    if (cr_workload_parse(text, n, path, cr_dtype_find("float"), &sk, wl, err, sizeof err) !=
        CR_OK) {
        cr_error("%s", err);
        rc = 2;
    }
    free(text);
    return rc;
}
