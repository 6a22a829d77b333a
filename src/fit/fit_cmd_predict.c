/* The predict and intensity commands. */
#include "config.h"

#include "fit_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cr_coll.h"
#include "cr_sizes.h"
#include "fit_predict.h"

static void cr_fit_predict_usage(FILE *f)
{
    char known[512];
    fprintf(f,
"usage: collroof-fit predict --fit DIR --collective C --bytes S (--ranks P | --nodes N --ppn Q)\n"
"                            [--level L] [--cadence C] [--link-GBps X] [--latency-us Y] [--csv FILE]\n"
"\n"
"  --fit DIR        a collroof-fit output directory (fit.csv, scaling.csv)\n"
"  --collective C   %s\n"
"  --bytes S        size S in bytes, units K/M/G (binary) accepted, e.g. 64M\n"
"  --ranks P        ranks per group (default: nodes x ppn)\n"
"  --nodes N        nodes (with --ppn)\n"
"  --ppn Q          ranks per node (with --nodes)\n"
"  --level L        topology level (default: world when fitted, else the first)\n"
"  --cadence C      isolated | streaming (default: isolated when fitted)\n"
"  --link-GBps X    what-if: the link runs at X GB/s (default: as measured)\n"
"  --latency-us Y   what-if: latency floor alpha = Y us (default: as measured)\n"
"  --csv FILE       also append the prediction as a CSV row (header when new)\n",
            cr_coll_names(known, sizeof known));
}

static void cr_fit_intensity_usage(FILE *f)
{
    fprintf(f,
"usage: collroof-fit intensity --flops F --bytes S --peak-tflops T\n"
"                              (--bw-GBps B | --fit DIR --collective C --ranks P [--level L])\n"
"\n"
"  --flops F        FLOPs of the step (e.g. 2.4e12)\n"
"  --bytes S        bytes the step communicates (collective size S; units K/M/G)\n"
"  --peak-tflops T  accelerator peak, TFLOP/s (1e12 FLOP/s)\n"
"  --bw-GBps B      communication bandwidth, GB/s (or take it from a fit:)\n"
"  --fit DIR, --collective C, --ranks P, --nodes N, --ppn Q, --level L, --cadence C\n"
"                   as for predict: bandwidth = S / predicted time at size S\n");
}

struct cr_fit_pargs {
    cr_fit_query_t q;
    const char *fit, *csv;
    double flops, peak_tflops, bw;
    long nodes, ppn;
};

/* Shared option parser; intensity = 1 accepts --flops/--peak-tflops/--bw-GBps. */
static int cr_fit_parse_pargs(int argc, char **argv, int intensity, struct cr_fit_pargs *a)
{
    static const struct option lo[] = {
        { "fit", required_argument, NULL, 'f' },  { "collective", required_argument, NULL, 'c' },
        { "bytes", required_argument, NULL, 'b' }, { "ranks", required_argument, NULL, 'r' },
        { "nodes", required_argument, NULL, 'n' }, { "ppn", required_argument, NULL, 'p' },
        { "level", required_argument, NULL, 'l' }, { "cadence", required_argument, NULL, 'C' },
        { "link-GBps", required_argument, NULL, 'k' },
        { "latency-us", required_argument, NULL, 'a' },
        { "csv", required_argument, NULL, 'v' },   { "flops", required_argument, NULL, 'F' },
        { "peak-tflops", required_argument, NULL, 'T' },
        { "bw-GBps", required_argument, NULL, 'B' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    char err[256];
    long v;
    int c;
    memset(a, 0, sizeof *a);
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (!intensity && strchr("FTB", c)) c = '?';
        if (intensity && c == 'v') c = '?';
        switch (c) {
        case 'f': a->fit = optarg; break;
        case 'c':
            if (!cr_coll_find(optarg)) {
                char known[512];
                cr_error("invalid --collective '%s': expected %s", optarg,
                         cr_coll_names(known, sizeof known));
                return 2;
            }
            a->q.collective = optarg;
            break;
        case 'l': a->q.level = optarg; break;
        case 'C': a->q.cadence = optarg; break;
        case 'v': a->csv = optarg; break;
        case 'b':
            if (cr_size_parse(optarg, &a->q.bytes, err, sizeof err) != CR_OK) {
                cr_error("invalid --bytes '%s': %s (e.g. 4096, 64K, 1M)", optarg, err);
                return 2;
            }
            break;
        case 'r':
            if (cr_fit_opt_long("--ranks", optarg, 1, 1 << 24, &v)) return 2;
            a->q.ranks = (int)v;
            break;
        case 'n': if (cr_fit_opt_long("--nodes", optarg, 1, 1 << 20, &a->nodes)) return 2; break;
        case 'p': if (cr_fit_opt_long("--ppn", optarg, 1, 1 << 12, &a->ppn)) return 2; break;
        case 'k': if (cr_fit_opt_double("--link-GBps", optarg, 1e-9, 1e9, &a->q.link_GBps)) return 2; break;
        case 'a': if (cr_fit_opt_double("--latency-us", optarg, 1e-9, 1e12, &a->q.latency_us)) return 2; break;
        case 'F': if (cr_fit_opt_double("--flops", optarg, 1e-300, 1e300, &a->flops)) return 2; break;
        case 'T': if (cr_fit_opt_double("--peak-tflops", optarg, 1e-12, 1e12, &a->peak_tflops)) return 2; break;
        case 'B': if (cr_fit_opt_double("--bw-GBps", optarg, 1e-12, 1e12, &a->bw)) return 2; break;
        case 'h':
            if (intensity) cr_fit_intensity_usage(stdout);
            else cr_fit_predict_usage(stdout);
            return 1;
        default:
            if (intensity) cr_fit_intensity_usage(stderr);
            else cr_fit_predict_usage(stderr);
            return 2;
        }
    }
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
    return 0;
}

static int cr_fit_predict_run(struct cr_fit_pargs *a, cr_fit_prediction_t *pr)
{
    cr_fit_model_t m;
    cr_status_t st;
    if (!a->fit || !a->q.collective || !a->q.bytes || !a->q.ranks) {
        cr_error("needs --fit DIR, --collective C, --bytes S and --ranks P (or --nodes and --ppn)");
        return 2;
    }
    if (cr_fit_model_load(a->fit, &m) != CR_OK) return 1;
    st = cr_fit_predict(&m, &a->q, pr);
    cr_fit_model_free(&m);
    return st == CR_OK ? 0 : 1;
}

static int cr_fit_csv_append(const char *path, const struct cr_fit_pargs *a,
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
              "algbw_lo_GBps,algbw_hi_GBps,busbw_GBps,busbw_lo_GBps,busbw_hi_GBps,mode,basis\n", f);
    fprintf(f, "%s,%s,%s,%d,%llu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s,%s\n",
            a->q.collective, p->level, p->cadence, a->q.ranks, (unsigned long long)a->q.bytes,
            p->t, p->t_lo, p->t_hi, p->algbw, p->algbw_lo, p->algbw_hi, p->busbw, p->busbw_lo,
            p->busbw_hi, p->extrapolated ? "extrapolated" : "interpolated", p->basis);
    if (ferror(f) | fclose(f)) {
        cr_error("cannot append to %s: %s", path, strerror(errno));
        return 1;
    }
    return 0;
}

int cr_fit_cmd_predict(int argc, char **argv)
{
    struct cr_fit_pargs a;
    cr_fit_prediction_t p;
    int rc = cr_fit_parse_pargs(argc, argv, 0, &a);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cr_fit_predict_run(&a, &p)) != 0) return rc;
    printf("%s %s %s p=%d S=%llu bytes:\n"
           "  time   %.4g us   [%.4g, %.4g]\n"
           "  algbw  %.4g GB/s [%.4g, %.4g]\n"
           "  busbw  %.4g GB/s [%.4g, %.4g]  (F = %.4g)\n"
           "  %s\n", a.q.collective, p.level, p.cadence, a.q.ranks, (unsigned long long)a.q.bytes,
           p.t, p.t_lo, p.t_hi, p.algbw, p.algbw_lo, p.algbw_hi, p.busbw, p.busbw_lo,
           p.busbw_hi, p.F, p.basis);
    return a.csv ? cr_fit_csv_append(a.csv, &a, &p) : 0;
}

int cr_fit_cmd_intensity(int argc, char **argv)
{
    struct cr_fit_pargs a;
    cr_fit_intensity_t it;
    double bw;
    int rc = cr_fit_parse_pargs(argc, argv, 1, &a);
    if (rc) return rc == 1 ? 0 : rc;
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
