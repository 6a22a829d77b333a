/* The fit command: read runs, fit, write files, plot, print the summary. */
#include "config.h"

#include "fit_cmd.h"

#ifdef HAVE_CONFIG_H
#endif
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fit_plot.h"
#include "fit_read.h"
#include "fit_write.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

int cr_fit_opt_double(const char *opt, const char *val, double lo, double hi, double *out)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(val, &end);
    if (!*val || *end || errno || !(v >= lo && v <= hi)) {
        cr_error("invalid %s '%s': expected a number in [%g, %g]", opt, val, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cr_fit_opt_long(const char *opt, const char *val, long lo, long hi, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(val, &end, 10);
    if (!*val || *end || errno || v < lo || v > hi) {
        cr_error("invalid %s '%s': expected an integer in [%ld, %ld]", opt, val, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static void cr_fit_usage(FILE *f)
{
    fprintf(f,
"usage: collroof-fit [options] RUN...\n"
"       collroof-fit predict --fit DIR --collective C --bytes S --ranks P [options]\n"
"       collroof-fit intensity --flops F --bytes S --peak-tflops T (--bw-GBps B | --fit DIR ...)\n"
"\n"
"Fits a communication roofline to collroof runs. RUN is a run directory\n"
"(results.jsonl preferred, else results.csv) or one of those files; several\n"
"runs (e.g. node counts) are fitted together, grouped by collective, level,\n"
"cadence and ranks.\n"
"\n"
"  -o, --output DIR       output directory (default: RUN1/fit, or beside a file RUN1)\n"
"      --max-segments K   at most K Hockney segments per group, 1..8 (default 3)\n"
"      --bootstrap N      bootstrap replicates for the 95%% CIs, 0..1000000 (default 1000)\n"
"      --seed N           bootstrap seed; same seed, same output (default 1)\n"
"      --lenient          skip malformed rows with a warning (default: stop with an error)\n"
"      --no-plots         do not write gnuplot scripts or plots\n"
"      --format LIST      plot formats, comma list of svg,png (default svg,png)\n"
"  -h, --help             this help\n"
"  -V, --version          print the version\n"
"\n"
"Writes DIR/fit.csv, roofline.csv, scaling.csv, plot-LEVEL.gp with its .dat files,\n"
"roofline-LEVEL.{svg,png} and time-LEVEL.{svg,png} (when gnuplot is installed),\n"
"and prints a summary: latency in us, ceilings in GB/s (1e9 B/s), n_half in bytes.\n"
"Run 'collroof-fit predict --help' and 'collroof-fit intensity --help' for the others.\n");
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

int cr_fit_cmd_fit(int argc, char **argv)
{
    static const struct option lo[] = {
        { "output", required_argument, NULL, 'o' },
        { "max-segments", required_argument, NULL, 'K' },
        { "bootstrap", required_argument, NULL, 'B' },
        { "seed", required_argument, NULL, 'S' },
        { "lenient", no_argument, NULL, 'L' },
        { "no-plots", no_argument, NULL, 'P' },
        { "format", required_argument, NULL, 'F' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    cr_fit_opts_t fo;
    cr_fit_read_opts_t ro = { 0 };
    cr_fit_set_t set;
    cr_fit_report_t rep;
    const char *outdir = NULL;
    char defdir[4096];
    int c, plots = 1, formats = CR_FIT_PLOT_SVG | CR_FIT_PLOT_PNG;
    long v;
    cr_status_t st = CR_OK;
    cr_fit_opts_default(&fo);
    while ((c = getopt_long(argc, argv, "o:hV", lo, NULL)) != -1) {
        switch (c) {
        case 'o': outdir = optarg; break;
        case 'K':
            if (cr_fit_opt_long("--max-segments", optarg, 1, CR_FIT_MAXSEG, &v)) return 2;
            fo.seg.max_segments = (size_t)v;
            break;
        case 'B':
            if (cr_fit_opt_long("--bootstrap", optarg, 0, 1000000, &v)) return 2;
            fo.reps = (size_t)v;
            break;
        case 'S':
            if (cr_fit_opt_long("--seed", optarg, 0, 0x7fffffffL, &v)) return 2;
            fo.seed = (uint64_t)v;
            break;
        case 'L': ro.lenient = 1; break;
        case 'P': plots = 0; break;
        case 'F':
            if ((formats = cr_fit_plot_formats(optarg)) < 0) {
                cr_error("invalid --format '%s': expected a comma list of svg, png", optarg);
                return 2;
            }
            break;
        case 'h': cr_fit_usage(stdout); return 0;
        case 'V': printf("collroof-fit %s\n", PACKAGE_VERSION); return 0;
        default: cr_fit_usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        cr_error("no run given: expected one or more run directories or results files");
        cr_fit_usage(stderr);
        return 2;
    }
    if (!outdir) {
        cr_fit_default_outdir(argv[optind], defdir, sizeof defdir);
        outdir = defdir;
    }
    cr_fit_set_init(&set);
    for (int i = optind; i < argc; i++)
        CR_CHECK_GOTO(cr_fit_read_path(argv[i], &ro, &set), st, out_with_set);
    cr_fit_set_finish(&set);
    CR_CHECK_GOTO(cr_fit_report_build(&set, &fo, &rep), st, out_with_set);
    if (rep.nres == 0) {
        cr_error("no group has two distinct sizes: nothing to fit");
        st = CR_ERR_INVAL;
        goto out_with_rep;
    }
    CR_CHECK_GOTO(cr_fit_write_all(outdir, &rep), st, out_with_rep);
    cr_fit_writer_summary.write(stdout, &rep);
    if (plots) CR_CHECK_GOTO(cr_fit_plot_write(outdir, &rep, formats), st, out_with_rep);
    printf("collroof-fit: %zu groups, %zu measurements, %zu raw samples -> %s\n", rep.nres,
           set.rows, set.samples, outdir);
out_with_rep:
    cr_fit_report_free(&rep);
out_with_set:
    cr_fit_set_free(&set);
    return st == CR_OK ? 0 : 1;
}
