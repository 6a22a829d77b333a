/* The workload command: collroof-fit workload dp|tp|moe|pp [options] writes a
 * workload file (fit_wlgen.h), checked by the parser collroof uses. */
#include "config.h"

#include "fit_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cr_dtype.h"
#include "cr_fs.h"
#include "cr_sizes.h"
#include "cr_skew.h"
#include "cr_workload.h"
#include "fit_wlgen.h"

typedef struct cr_fit_wlg_args {
    cr_wlgen_t g;
    const char *output;
    int help;
} cr_fit_wlg_args_t;

#define CR_FIT_WAT(member) .field = offsetof(cr_fit_wlg_args_t, member)

static cr_status_t cr_fit_wlg_double(const cr_cli_opt_t *opt, void *target, const char *arg,
                                     char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_fit_opt_double(name, arg, 1e-9, 1e18, (double *)((char *)target + opt->field), err,
                             errlen);
}

static cr_status_t cr_fit_wlg_long(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_fit_opt_long(name, arg, opt->lo, opt->hi, (long *)((char *)target + opt->field), err,
                           errlen);
}

static cr_status_t cr_fit_wlg_bucket(const cr_cli_opt_t *opt, void *target, const char *arg,
                                     char *err, size_t errlen)
{
    char why[200];
    (void)opt;
    if (cr_size_parse(arg, &((cr_fit_wlg_args_t *)target)->g.bucket, why, sizeof why) != CR_OK) {
        snprintf(err, errlen, "invalid --bucket '%s': %s (e.g. 25M)", arg, why);
        return CR_ERR_INVAL;
    }
    return CR_OK;
}

static cr_status_t cr_fit_wlg_act(const cr_cli_opt_t *opt, void *target, const char *arg,
                                  char *err, size_t errlen)
{
    char why[200];
    uint64_t *v = &((cr_fit_wlg_args_t *)target)->g.activation;
    (void)opt;
    if (cr_size_parse(arg, v, why, sizeof why) != CR_OK || !*v) {
        snprintf(err, errlen, "invalid --activation-bytes '%s': %s (e.g. 8M)", arg,
                 *v ? why : "expected at least 1 byte");
        return CR_ERR_INVAL;
    }
    return CR_OK;
}

static cr_status_t cr_fit_wlg_skew(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    cr_skew_t sk;
    (void)opt;
    if (cr_skew_parse(arg, &sk, err, errlen) != CR_OK) return CR_ERR_INVAL;
    ((cr_fit_wlg_args_t *)target)->g.skew = arg;
    return CR_OK;
}

static cr_status_t cr_fit_wlg_str(const cr_cli_opt_t *opt, void *target, const char *arg,
                                  char *err, size_t errlen)
{
    (void)err, (void)errlen;
    *(const char **)((char *)target + opt->field) = arg;
    return CR_OK;
}

static cr_status_t cr_fit_wlg_name(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    cr_fit_wlg_args_t *a = target;
    (void)opt;
    if (!*arg || strlen(arg) >= sizeof a->g.name || arg[strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                    "abcdefghijklmnopqrstuvwxyz"
                                                                    "0123456789._-")]) {
        snprintf(err, errlen, "invalid --name '%s': expected 1 to 63 of A-Z a-z 0-9 . _ -", arg);
        return CR_ERR_INVAL;
    }
    snprintf(a->g.name, sizeof a->g.name, "%s", arg);
    return CR_OK;
}

static const cr_cli_opt_t cr_fit_wlg_table[] = {
    {.name = "params", .arg = "N", .def = "none (dp: required)", .unit = "parameters",
     .sample = "1.3e9", .set = cr_fit_wlg_double, CR_FIT_WAT(g.params), .section = "dp",
     .help = "dp: model parameters"},
    {.name = "bytes-per-param", .arg = "B", .def = "2 (bf16)", .unit = "bytes", .sample = "4",
     .set = cr_fit_wlg_double, CR_FIT_WAT(g.bytes_per_param),
     .help = "dp: gradient bytes per parameter"},
    {.name = "bucket", .arg = "S", .def = "25M (PyTorch DDP)", .unit = "bytes", .sample = "25M",
     .set = cr_fit_wlg_bucket, .help = "dp: bucket size; suffixes K, M, G are binary"},
    {.name = "tokens", .arg = "N", .def = "dp: none (no flops=); moe: required",
     .unit = "tokens", .sample = "4096", .set = cr_fit_wlg_double, CR_FIT_WAT(g.tokens),
     .help = "dp: tokens per step per replica (flops= = 4 x parameters per bucket x N); "
             "moe: tokens per rank"},
    {.name = "hidden", .arg = "H", .def = "none (tp, moe: required)", .sample = "4096",
     .set = cr_fit_wlg_long, CR_FIT_WAT(g.hidden), .lo = 1, .hi = 1L << 24, .section = "tp",
     .help = "tp, moe, pp: hidden size"},
    {.name = "seq", .arg = "S", .def = "none (tp: required)", .unit = "tokens", .sample = "2048",
     .set = cr_fit_wlg_long, CR_FIT_WAT(g.seq), .lo = 1, .hi = 1L << 24,
     .help = "tp, pp: sequence length"},
    {.name = "micro-batch", .arg = "B", .def = "1", .sample = "2", .set = cr_fit_wlg_long,
     CR_FIT_WAT(g.micro_batch), .lo = 1, .hi = 1L << 20, .help = "tp, pp: micro-batch size"},
    {.name = "layers", .arg = "L", .def = "1", .sample = "24", .set = cr_fit_wlg_long,
     CR_FIT_WAT(g.layers), .lo = 1, .hi = 1L << 16, .help = "tp: transformer layers"},
    {.name = "tp", .arg = "T", .def = "none (tp: required, >= 2); pp: 1", .unit = "ranks",
     .sample = "2", .set = cr_fit_wlg_long, CR_FIT_WAT(g.tp), .lo = 1, .hi = 65536,
     .help = "tp, pp: tensor-parallel degree (the file's layout tp=T); pp: a stage's "
             "activation is split over its T ranks"},
    {.name = "experts", .arg = "E", .def = "none (moe: required)", .sample = "8",
     .set = cr_fit_wlg_long, CR_FIT_WAT(g.experts), .lo = 2, .hi = 1L << 20, .section = "moe",
     .help = "moe: experts, one per rank"},
    {.name = "top-k", .arg = "K", .def = "2", .sample = "2", .set = cr_fit_wlg_long,
     CR_FIT_WAT(g.top_k), .lo = 1, .hi = 1024, .help = "moe: experts per token"},
    {.name = "skew", .arg = "SPEC", .def = "zipf:1.2", .sample = "hot:0.5:2",
     .set = cr_fit_wlg_skew, .help = "moe: routing (uniform, zipf:S, hot:F:K)"},
    {.name = "seed", .arg = "N", .def = "7", .sample = "3", .set = cr_fit_wlg_long,
     CR_FIT_WAT(g.seed), .lo = 0, .hi = 1L << 62, .help = "moe: routing seed"},
    {.name = "stages", .arg = "P", .def = "none (pp: required)", .sample = "4",
     .set = cr_fit_wlg_long, CR_FIT_WAT(g.stages), .lo = 2, .hi = 65536, .section = "pp",
     .help = "pp: pipeline stages (the file's layout pp=P)"},
    {.name = "micro-batches", .arg = "M", .def = "none (pp: required)", .sample = "8",
     .set = cr_fit_wlg_long, CR_FIT_WAT(g.micro_batches), .lo = 1, .hi = 1000000,
     .help = "pp: micro-batches per step"},
    {.name = "activation-bytes", .arg = "S", .def = "s x b x h x bytes-per-value / tp",
     .unit = "bytes", .sample = "8M", .set = cr_fit_wlg_act,
     .help = "pp: bytes a stage sends per micro-batch (else from --seq, --micro-batch, "
             "--hidden); suffixes K, M, G are binary"},
    {.name = "fwd-us", .arg = "T", .def = "none: no compute", .unit = "us", .sample = "900",
     .set = cr_fit_wlg_double, CR_FIT_WAT(g.fwd_us),
     .help = "pp: forward compute of one micro-batch on one stage"},
    {.name = "bwd-us", .arg = "T", .def = "2 x --fwd-us", .unit = "us", .sample = "1800",
     .set = cr_fit_wlg_double, CR_FIT_WAT(g.bwd_us),
     .help = "pp: backward compute of one micro-batch on one stage"},
    {.name = "fwd-flops", .arg = "F", .def = "none", .unit = "FLOPs", .sample = "2.7e11",
     .set = cr_fit_wlg_double, CR_FIT_WAT(g.fwd_flops),
     .help = "pp: forward FLOPs per micro-batch per rank, instead of --fwd-us (flops=; "
             "gap_us with --peak-tflops)"},
    {.name = "bwd-flops", .arg = "F", .def = "2 x --fwd-flops", .unit = "FLOPs",
     .sample = "5.4e11", .set = cr_fit_wlg_double, CR_FIT_WAT(g.bwd_flops),
     .help = "pp: backward FLOPs per micro-batch per rank"},
    {.name = "bytes-per-value", .arg = "B", .def = "2 (bf16)", .unit = "bytes", .sample = "4",
     .set = cr_fit_wlg_double, CR_FIT_WAT(g.bytes_per_value), .section = "common",
     .help = "tp, moe, pp: activation bytes per value"},
    {.name = "peak-tflops", .arg = "T", .def = "none: no gap_us", .unit = "TFLOP/s",
     .sample = "300", .set = cr_fit_wlg_double, CR_FIT_WAT(g.peak_tflops),
     .help = "also write gap_us = flops / T, the compute the replay runs"},
    {.name = "name", .arg = "NAME", .def = "made from the parameters", .sample = "my-step",
     .set = cr_fit_wlg_name, .help = "the file's name line"},
    {.name = "output", .letter = 'o', .arg = "FILE", .def = "standard output",
     .sample = "step.wl", .set = cr_fit_wlg_str, CR_FIT_WAT(output),
     .help = "write the file there (replaced)"},
    {.name = "help", .letter = 'h', .set = cr_cli_set_flag, CR_FIT_WAT(help), .lo = 1,
     .help = "this help"},
    {.name = NULL},
};

const cr_cli_t cr_fit_cli_workload = {
    .prog = "collroof-fit workload",
    .siblings = cr_fit_clis,
    .head =
"usage: collroof-fit workload dp --params N [--bytes-per-param B] [--bucket S] [--tokens N]\n"
"       collroof-fit workload tp --hidden H --seq S [--micro-batch B] [--layers L] --tp T\n"
"       collroof-fit workload moe --experts E --tokens N --hidden H [--top-k K] [--skew SPEC]\n"
"       collroof-fit workload pp --stages P --micro-batches M (--activation-bytes S |\n"
"                                --hidden H --seq S [--micro-batch B]) [--tp T]\n"
"                                [--fwd-us T [--bwd-us T] | --fwd-flops F [--bwd-flops F]]\n"
"       ... [--peak-tflops T] [--name NAME] [-o FILE]\n"
"\n"
"Writes a workload file (the one collroof --workload replays and collroof-fit plan\n"
"predicts) for a data-parallel, tensor-parallel, mixture-of-experts or pipeline\n"
"(1F1B) step, its arithmetic in comments.\n"
"\n",
    .opts = cr_fit_wlg_table,
};

int cr_fit_cmd_workload(int argc, char **argv)
{
    cr_fit_wlg_args_t a;
    cr_cli_getopt_t g;
    char err[1024], *text = NULL;
    size_t len = 0;
    FILE *mem, *out;
    cr_workload_t *wl;
    cr_skew_t sk;
    int c, kind = -1;
    memset(&a, 0, sizeof a);
    a.g.bytes_per_param = 2;
    a.g.bucket = 25u << 20;
    a.g.micro_batch = 1;
    a.g.layers = 1;
    a.g.top_k = 2;
    a.g.skew = "zipf:1.2";
    a.g.seed = 7;
    a.g.bytes_per_value = 2;
    if (argc > 1 && argv[1][0] != '-') {
        for (int i = 0; cr_wlgen_names[i]; i++)
            if (!strcmp(argv[1], cr_wlgen_names[i])) kind = i;
        if (kind < 0) {
            cr_error("unknown workload '%s': expected dp, tp, moe or pp", argv[1]);
            return 2;
        }
        argc--, argv++;
    }
    if (cr_cli_getopt_build(&cr_fit_cli_workload, ":", &g) != CR_OK) return 2;
    opterr = 0;
    optind = 0;
    while (!a.help && (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
        const cr_cli_opt_t *opt = cr_cli_find(&cr_fit_cli_workload, c);
        if (!opt) {
            cr_error("%s", cr_cli_refused(&cr_fit_cli_workload, c, argc, argv, err, sizeof err));
            return 2;
        }
        if (opt->set(opt, &a, optarg, err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            return 2;
        }
    }
    if (a.help) {
        cr_cli_usage(&cr_fit_cli_workload, stdout);
        return 0;
    }
    if (optind < argc) {
        cr_error("unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if (kind < 0) {
        cr_error("workload needs a layout first: dp, tp, moe or pp");
        return 2;
    }
    a.g.kind = (cr_wlgen_kind_t)kind;
    /* written to memory, parsed as collroof will, then to the file */
    if (!(mem = open_memstream(&text, &len))) return 1;
    if (cr_wlgen_write(&a.g, mem, err, sizeof err) != CR_OK) {
        fclose(mem);
        free(text);
        cr_error("%s", err);
        return 2;
    }
    fclose(mem);
    cr_skew_default(&sk);
    if (!(wl = malloc(sizeof *wl))) {
        free(text);
        return 1;
    }
    if (cr_workload_parse(text, len, a.output ? a.output : "(generated)", cr_dtype_find("float"),
                          &sk, wl, err, sizeof err) != CR_OK) {
        cr_error("the generated file does not parse (a bug): %s", err);
        free(wl);
        free(text);
        return 1;
    }
    free(wl);
    out = stdout;
    if (a.output && !(out = cr_fs_create(a.output, 1, err, sizeof err))) {
        cr_error("%s", err);
        free(text);
        return 1;
    }
    fwrite(text, 1, len, out);
    free(text);
    if (out != stdout ? (ferror(out) | fclose(out)) : fflush(out)) {
        cr_error("cannot write %s: %s", a.output ? a.output : "standard output", strerror(errno));
        return 1;
    }
    return 0;
}
