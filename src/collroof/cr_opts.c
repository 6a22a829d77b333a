#include "config.h"

#include "cr_opts.h"
#include "cr_coll.h"
#include "cr_level_names.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cr_dtype.h"
#include "cr_levels.h"
#include "cr_sizes.h"

#define CR_DEFAULT_SIZES "8:64M"

static cr_status_t cr_bad(char *err, size_t errlen, const char *opt, const char *val,
                          const char *accepted)
{
    snprintf(err, errlen, "bad value '%s' for %s: expected %s", val, opt, accepted);
    return CR_ERR_INVAL;
}

static cr_status_t cr_parse_int(const char *opt, const char *val, long lo, long hi, int *out,
                                char *err, size_t errlen)
{
    char *end, acc[96];
    long v;
    errno = 0;
    v = strtol(val, &end, 10);
    if (errno || end == val || *end != '\0' || v < lo || v > hi) {
        snprintf(acc, sizeof acc, "an integer from %ld to %ld", lo, hi);
        return cr_bad(err, errlen, opt, val, acc);
    }
    *out = (int)v;
    return CR_OK;
}

static cr_status_t cr_parse_list(const char *opt, const char *val, const char **out, int *n,
                                 char *err, size_t errlen)
{
    const char *p = val;
    *n = 0;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *item;
        if (len == 0 || *n == CR_MAX_LIST)
            return cr_bad(err, errlen, opt, val, "a comma list of up to 16 names, no empty entries");
        item = strndup(p, len);
        CR_CHECK_ALLOC(item, len + 1);
        out[(*n)++] = item;
        p += len + (e ? 1 : 0);
        if (e && !*p) return cr_bad(err, errlen, opt, val, "no trailing comma");
    }
    if (*n == 0) return cr_bad(err, errlen, opt, val, "at least one name");
    return CR_OK;
}

static void cr_free_list(const char **l, int *n)
{
    for (int i = 0; i < *n; i++) free((void *)l[i]);
    *n = 0;
}

static cr_status_t cr_opts_defaults(cr_opts_t *o, long now, char *err, size_t errlen)
{
    time_t t = (time_t)now;
    struct tm tm;
    memset(o, 0, sizeof *o);
    o->dtype = "float";
    o->cadence[CR_CADENCE_ISOLATED] = 1;
    o->overlap_compute = 1.0;
    o->stream_calls = 8;
    o->precision = 0.01;
    o->min_iters = 10;
    o->max_iters = 1000;
    o->time_limit = 1.0;
    o->timeout = 300;
    snprintf(o->net_if, sizeof o->net_if, "auto");
    o->warmup = 5;
    o->validate = CR_VALIDATE_ONCE;
    o->timer = CR_TIMER_CLOCK;
    o->raw = 1;
    o->mem = CR_MEM_LOCAL;
    cr_skew_default(&o->skew);
    gmtime_r(&t, &tm);
    strftime(o->run_id, sizeof o->run_id, "%Y%m%d-%H%M%S", &tm);
    snprintf(o->outdir, sizeof o->outdir, "collroof-%s", o->run_id);
    return cr_sizes_parse(CR_DEFAULT_SIZES, &o->sizes, &o->nsizes, err, errlen);
}

/* Letters, digits and punctuation only: what any spreadsheet and JSON take as is. */
static int cr_printable_ascii(const char *s)
{
    for (; *s; s++)
        if (*s <= ' ' || *s >= 127) return 0;
    return 1;
}

static cr_status_t cr_set_colls(const cr_cli_opt_t *opt, void *target, const char *arg,
                                char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    o->sweep_opt = "-c/--collectives";
    cr_free_list(o->colls, &o->ncolls);
    return cr_parse_list("--collectives", arg, o->colls, &o->ncolls, err, errlen);
}

static cr_status_t cr_set_sizes(const cr_cli_opt_t *opt, void *target, const char *arg,
                                char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    o->sweep_opt = "-m/--sizes";
    free(o->sizes);
    o->sizes = NULL;
    return cr_sizes_parse(arg, &o->sizes, &o->nsizes, err, errlen);
}

static cr_status_t cr_set_dtype(const cr_cli_opt_t *opt, void *target, const char *arg,
                                char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    if (!cr_dtype_find(arg))
        return cr_bad(err, errlen, "--dtype", arg, "char, int32, int64, float or double");
    o->dtype = cr_dtype_find(arg)->name;
    return CR_OK;
}

static cr_status_t cr_set_levels(const cr_cli_opt_t *opt, void *target, const char *arg,
                                 char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    o->sweep_opt = "-l/--levels";
    cr_free_list(o->levels, &o->nlevels);
    CR_CHECK(cr_parse_list("--levels", arg, o->levels, &o->nlevels, err, errlen));
    for (int i = 0; i < o->nlevels; i++) {
        cr_level_t lv;
        char known[160];
        if (strcmp(o->levels[i], "auto") != 0 && cr_level_parse(o->levels[i], &lv) != 0) {
            size_t n = strlen(cr_level_names(known, sizeof known - 8));
            snprintf(known + n, sizeof known - n, " or auto");
            return cr_bad(err, errlen, "--levels", o->levels[i], known);
        }
    }
    return CR_OK;
}

static cr_status_t cr_set_skew(const cr_cli_opt_t *opt, void *target, const char *arg,
                               char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    o->skew_given = 1;
    return cr_skew_parse(arg, &o->skew, err, errlen);
}

static cr_status_t cr_set_skew_seed(const cr_cli_opt_t *opt, void *target, const char *arg,
                                    char *err, size_t errlen)
{
    cr_opts_t *o = target;
    char *end;
    unsigned long long v;
    (void)opt;
    errno = 0;
    v = strtoull(arg, &end, 10);
    if (errno || end == arg || *end != '\0' || *arg < '0' || *arg > '9' || v > INT64_MAX)
        return cr_bad(err, errlen, "--skew-seed", arg, "an integer from 0 to 9223372036854775807");
    o->skew.seed = (uint64_t)v;
    o->skew_given = 1;
    return CR_OK;
}

static cr_status_t cr_set_cadence(const cr_cli_opt_t *opt, void *target, const char *arg,
                                  char *err, size_t errlen)
{
    static const char accepted[] =
        "a comma list of isolated, streaming, overlap, overlap_test, or both (= isolated,streaming)";
    cr_opts_t *o = target;
    const char *p = arg;
    (void)opt;
    o->sweep_opt = "--cadence";
    memset(o->cadence, 0, sizeof o->cadence);
    if (!*arg) return cr_bad(err, errlen, "--cadence", arg, accepted);
    while (*p) {
        size_t len = strcspn(p, ",");
        char name[32];
        cr_cadence_t c;
        if (len == 0 || len >= sizeof name) return cr_bad(err, errlen, "--cadence", arg, accepted);
        memcpy(name, p, len);
        name[len] = '\0';
        if (!strcmp(name, "both"))
            o->cadence[CR_CADENCE_ISOLATED] = o->cadence[CR_CADENCE_STREAMING] = 1;
        else if (cr_cadence_parse(name, &c) == 0) o->cadence[c] = 1;
        else {
            char what[320];
            snprintf(what, sizeof what, "%s (in '%s')", accepted, arg);
            return cr_bad(err, errlen, "--cadence", name, what);
        }
        p += len;
        if (*p == ',' && !*++p) return cr_bad(err, errlen, "--cadence", arg, "no trailing comma");
    }
    return CR_OK;
}

const char *cr_opts_cadence_str(const cr_opts_t *o, char *buf, size_t len)
{
    const int *c = o->cadence;
    size_t n = 0;
    int rest = c[CR_CADENCE_OVERLAP] || c[CR_CADENCE_OVERLAP_TEST];
    buf[0] = '\0';
    if (!rest && c[CR_CADENCE_ISOLATED] && c[CR_CADENCE_STREAMING])
        snprintf(buf, len, "both");
    else
        for (int i = 0; i < CR_CADENCE_COUNT && n < len; i++)
            if (c[i]) {
                int k = snprintf(buf + n, len - n, "%s%s", n ? "," : "", cr_cadence_names[i]);
                if (k < 0) break;
                n += (size_t)k;
            }
    return buf;
}

static cr_status_t cr_set_overlap_compute(const cr_cli_opt_t *opt, void *target,
                                          const char *arg, char *err, size_t errlen)
{
    cr_opts_t *o = target;
    char *end;
    (void)opt;
    errno = 0;
    o->overlap_compute = strtod(arg, &end);
    if (errno || end == arg || *end != '\0' || !(o->overlap_compute > 0) ||
        o->overlap_compute > 1000)
        return cr_bad(err, errlen, "--overlap-compute", arg, "a factor > 0 and <= 1000");
    return CR_OK;
}

/* An integer in [opt->lo, opt->hi] into the int at opt->field. */
static cr_status_t cr_set_int(const cr_cli_opt_t *opt, void *target, const char *arg,
                              char *err, size_t errlen)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", opt->name);
    return cr_parse_int(name, arg, opt->lo, opt->hi, (int *)((char *)target + opt->field), err,
                        errlen);
}

static cr_status_t cr_set_precision(const cr_cli_opt_t *opt, void *target, const char *arg,
                                    char *err, size_t errlen)
{
    cr_opts_t *o = target;
    char *end;
    (void)opt;
    errno = 0;
    o->precision = strtod(arg, &end);
    if (end != arg && *end == '%' && end[1] == '\0') {
        o->precision /= 100.0;
        end++;
    }
    if (errno || end == arg || *end != '\0' || !(o->precision > 0) || o->precision >= 1)
        return cr_bad(err, errlen, "--precision", arg,
                      "a fraction in (0, 1) such as 0.01, or a percentage such as 1%");
    return CR_OK;
}

static cr_status_t cr_set_time_limit(const cr_cli_opt_t *opt, void *target, const char *arg,
                                     char *err, size_t errlen)
{
    cr_opts_t *o = target;
    char *end;
    (void)opt;
    errno = 0;
    o->time_limit = strtod(arg, &end);
    if (errno || end == arg || *end != '\0' || !(o->time_limit > 0) || o->time_limit > 86400)
        return cr_bad(err, errlen, "--time-limit", arg, "seconds, > 0 and <= 86400");
    return CR_OK;
}

static cr_status_t cr_set_timeout(const cr_cli_opt_t *opt, void *target, const char *arg,
                                  char *err, size_t errlen)
{
    cr_opts_t *o = target;
    char *end;
    (void)opt;
    errno = 0;
    o->timeout = strtod(arg, &end);
    if (errno || end == arg || *end != '\0' || !(o->timeout >= 0) || o->timeout > 604800)
        return cr_bad(err, errlen, "--timeout", arg, "seconds, >= 0 (0: off) and <= 604800");
    return CR_OK;
}

static cr_status_t cr_set_validate(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    if (!strcmp(arg, "off")) o->validate = CR_VALIDATE_OFF;
    else if (!strcmp(arg, "once")) o->validate = CR_VALIDATE_ONCE;
    else if (!strcmp(arg, "every")) o->validate = CR_VALIDATE_EVERY;
    else return cr_bad(err, errlen, "--validate", arg, "off, once or every");
    return CR_OK;
}

static cr_status_t cr_set_timer(const cr_cli_opt_t *opt, void *target, const char *arg,
                                char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    if (!strcmp(arg, "clock")) o->timer = CR_TIMER_CLOCK;
    else if (!strcmp(arg, "mpi")) o->timer = CR_TIMER_MPI;
    else return cr_bad(err, errlen, "--timer", arg, "clock or mpi");
    return CR_OK;
}

static cr_status_t cr_set_mem(const cr_cli_opt_t *opt, void *target, const char *arg, char *err,
                              size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    if (!strcmp(arg, "local")) o->mem = CR_MEM_LOCAL;
    else if (!strcmp(arg, "interleave")) o->mem = CR_MEM_INTERLEAVE;
    else if (!strcmp(arg, "default")) o->mem = CR_MEM_DEFAULT;
    else if (!strncmp(arg, "node:", 5)) {
        o->mem = CR_MEM_NODE;
        if (cr_parse_int("--mem node:N", arg + 5, 0, 4095, &o->mem_node, err, errlen) != CR_OK)
            return cr_bad(err, errlen, "--mem", arg, "local, interleave, node:N (N >= 0) or default");
    } else return cr_bad(err, errlen, "--mem", arg, "local, interleave, node:N or default");
    return CR_OK;
}

static cr_status_t cr_set_output(const cr_cli_opt_t *opt, void *target, const char *arg,
                                 char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    if (!*arg || strlen(arg) >= sizeof o->outdir)
        return cr_bad(err, errlen, "--output", arg, "a directory path of 1 to 1023 characters");
    snprintf(o->outdir, sizeof o->outdir, "%s", arg);
    o->output_given = 1;
    return CR_OK;
}

static cr_status_t cr_set_resume(const cr_cli_opt_t *opt, void *target, const char *arg,
                                 char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    if (!*arg || strlen(arg) >= sizeof o->resume)
        return cr_bad(err, errlen, "--resume", arg, "a run directory path of 1 to 1023 characters");
    snprintf(o->resume, sizeof o->resume, "%s", arg);
    return CR_OK;
}

static cr_status_t cr_set_workload(const cr_cli_opt_t *opt, void *target, const char *arg,
                                   char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    if (!*arg || strlen(arg) >= sizeof o->workload)
        return cr_bad(err, errlen, "--workload", arg, "a file path of 1 to 1023 characters");
    snprintf(o->workload, sizeof o->workload, "%s", arg);
    return CR_OK;
}

/* auto, none, or a comma list of interface names and IB DEV:PORT. */
static cr_status_t cr_set_net_if(const cr_cli_opt_t *opt, void *target, const char *arg,
                                 char *err, size_t errlen)
{
    cr_opts_t *o = target;
    const char *p = arg;
    (void)opt;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("_.:-,@", *p)))
            break;
    if (!*arg || *p || strlen(arg) >= sizeof o->net_if || arg[0] == ',' ||
        arg[strlen(arg) - 1] == ',' || strstr(arg, ",,"))
        return cr_bad(err, errlen, "--net-if", arg,
                      "auto, none, or a comma list of interface names (eth0) and InfiniBand "
                      "ports (mlx5_0:1), at most 255 characters");
    snprintf(o->net_if, sizeof o->net_if, "%s", arg);
    return CR_OK;
}

static cr_status_t cr_set_run_id(const cr_cli_opt_t *opt, void *target, const char *arg,
                                 char *err, size_t errlen)
{
    cr_opts_t *o = target;
    (void)opt;
    if (!*arg || strlen(arg) >= sizeof o->run_id || strpbrk(arg, ",\"'\\") ||
        !cr_printable_ascii(arg))
        return cr_bad(err, errlen, "--run-id", arg,
                      "1 to 31 printable ASCII characters, no spaces, commas, quotes or backslashes");
    snprintf(o->run_id, sizeof o->run_id, "%s", arg);
    o->run_id_given = 1;
    return CR_OK;
}

#define CR_FLAG(member, value) \
    .set = cr_cli_set_flag, .field = offsetof(cr_opts_t, member), .lo = (value)
#define CR_INT(member, min, max) \
    .set = cr_set_int, .field = offsetof(cr_opts_t, member), .lo = (min), .hi = (max)

/* collroof's options, in --help order. */
static const cr_cli_opt_t cr_opts_table[] = {
    {.name = "collectives", .letter = 'c', .arg = "LIST", .def = "all", .sample = "allreduce,bcast",
     .section = "What to measure", .set = cr_set_colls,
     .help = "comma list of @COLLECTIVES@, or 'all' (allreduce, allgather, alltoall, "
             "reduce_scatter and bcast: not the point-to-point probes, alltoallv, reduce, "
             "gather or the shift sendrecv, which are measured when named, e.g. "
             "-c all,reduce,gather)"},
    {.name = "sizes", .letter = 'm', .arg = "SPEC", .def = CR_DEFAULT_SIZES,
     .unit = "bytes per rank", .sample = "4K,1M", .set = cr_set_sizes,
     .help = "S (docs/method.md): MIN:MAX[:xF] (geometric, factor F, x2 when left out) or a list "
             "like 4K,1M,3M; suffixes B, K, M, G are binary"},
    {.name = "dtype", .letter = 'd', .arg = "NAME", .def = "float", .sample = "double",
     .set = cr_set_dtype, .help = "char, int32, int64, float or double (reductions: no char)"},
    {.name = "levels", .letter = 'l', .arg = "LIST", .def = "world", .sample = "world,node",
     .set = cr_set_levels,
     .help = "comma list of @LEVELS@, or auto"},
    {.name = "workload", .arg = "FILE", .def = "off (the sweep)", .sample = "step.wl",
     .set = cr_set_workload,
     .help = "replay the collective calls of one training step from FILE (docs/formats.md, "
             "\"Workload files\"; examples in share/collroof/workloads) instead of the sweep: "
             "the whole step is one sample (barrier, the calls, max over ranks), with each "
             "call's time inside it, into workload.csv and workload.jsonl; not with -c, -m, "
             "--cadence, --levels, --cold-cache or --resume"},
    {.name = "in-place", .def = "off", CR_FLAG(in_place, 1),
     .help = "use MPI_IN_PLACE where the collective has it"},
    {.name = "nonblocking", .def = "off (blocking calls)", CR_FLAG(nonblocking, 1),
     .help = "time MPI_I<coll> + MPI_Wait instead of the blocking call (a collective "
             "without one, e.g. pingpong, stays blocking; column variant says which)"},
    {.name = "skew", .arg = "SPEC", .def = "uniform", .sample = "zipf:1.2", .set = cr_set_skew,
     .help = "alltoallv's routing of tokens to the ranks (experts): uniform, zipf:S (popularity "
             "of the k-th most popular rank ~ 1/k^S, S >= 0) or hot:F:K (a fraction F of the "
             "tokens to K hot ranks, the rest uniform over all); the ranks' popularity order is "
             "drawn from --skew-seed (docs/method.md)"},
    {.name = "skew-seed", .arg = "N", .def = "1", .sample = "7", .set = cr_set_skew_seed,
     .help = "seed of alltoallv's routing: the popularity order and each rank's token draws "
             "(the same N gives the same counts; column skew_seed)"},
    {.name = "cadence", .arg = "LIST", .def = "isolated", .sample = "isolated,overlap",
     .section = "How to measure", .set = cr_set_cadence,
     .help = "comma list of isolated (barrier before each call, per-call time), streaming (K "
             "calls back to back, time/K), overlap (MPI_I<coll>, compute, MPI_Wait: how much "
             "of the call hides behind compute), overlap_test (the same with MPI_Test after "
             "every 1/16 of the compute); both = isolated,streaming; overlap rows only for "
             "collectives with a nonblocking call"},
    {.name = "overlap-compute", .arg = "F", .def = "1", .unit = "times t_pure", .sample = "2",
     .set = cr_set_overlap_compute,
     .help = "overlap cadences: the compute kernel is calibrated to last F times the median "
             "of MPI_I<coll> + MPI_Wait alone"},
    {.name = "stream-calls", .arg = "K", .def = "8", .unit = "calls", .sample = "4",
     CR_INT(stream_calls, 1, 1000000), .help = "calls per streaming sample"},
    {.name = "precision", .arg = "P", .def = "1%", .unit = "fraction of the median",
     .sample = "2%", .set = cr_set_precision,
     .help = "stop when the 95% CI of the median is within +-P of it; a fraction (0.01) or a "
             "percentage (1%)"},
    {.name = "min-iters", .arg = "N", .def = "10", .unit = "samples", .sample = "5",
     CR_INT(min_iters, 1, 100000000), .help = "samples per size at least"},
    {.name = "max-iters", .arg = "N", .def = "1000", .unit = "samples", .sample = "100",
     CR_INT(max_iters, 1, 100000000), .help = "samples per size at most"},
    {.name = "time-limit", .arg = "SEC", .def = "1", .unit = "s", .sample = "0.5",
     .set = cr_set_time_limit, .help = "time of sampling per size at most"},
    {.name = "timeout", .arg = "SEC", .def = "300", .unit = "s", .sample = "60",
     .set = cr_set_timeout,
     .help = "a measurement (one collective, level, cadence and size: setup, warmup, "
             "sampling, validation) not finished after SEC ends the job: the message "
             "says where it was, status.json says 'timed out', exit status 4; 0 = no "
             "watchdog"},
    {.name = "warmup", .arg = "N", .def = "5", .unit = "iterations", .sample = "2",
     CR_INT(warmup, 0, 100000000), .help = "discarded iterations before sampling, per size"},
    {.name = "validate", .arg = "MODE", .def = "once", .sample = "every", .set = cr_set_validate,
     .help = "off, once (per size, outside the timed loop) or every (after every timed call, "
             "outside its timing)"},
    {.name = "timer", .arg = "SRC", .def = "clock", .sample = "mpi", .set = cr_set_timer,
     .help = "clock (clock_gettime MONOTONIC) or mpi (MPI_Wtime)"},
    {.name = "mem", .arg = "POLICY", .def = "local", .sample = "node:1",
     .section = "Memory and topology", .set = cr_set_mem,
     .help = "local, interleave, node:N or default (no NUMA policy)"},
    {.name = "cold-cache", .def = "off", CR_FLAG(cold_cache, 1),
     .help = "rotate through buffers larger than the last-level cache"},
    {.name = "huge-pages", .def = "off", CR_FLAG(huge_pages, 1),
     .help = "back buffers with huge pages where available"},
    {.name = "probe-memory", .def = "off", CR_FLAG(probe_memory, 1),
     .help = "measure memory-copy bandwidth per NUMA node (a ceiling)"},
    {.name = "net-if", .arg = "LIST", .def = "auto", .sample = "eth0,mlx5_0:1",
     .set = cr_set_net_if,
     .help = "network interfaces whose byte counters are read around each loop (columns "
             "wire_*, docs/method.md \"Bytes on the wire\"): auto (every interface of "
             "/proc/net/dev but loopback, less those down, stacked on another or IPoIB, plus "
             "every ACTIVE InfiniBand port), none, or a comma list of names and DEV:PORT; "
             "--resume refuses another than the run's"},
    {.name = "output", .letter = 'o', .arg = "DIR", .def = "collroof-YYYYmmdd-HHMMSS",
     .sample = "run1", .section = "Output", .set = cr_set_output,
     .help = "run directory, created"},
    {.name = "run-id", .arg = "ID", .def = "YYYYmmdd-HHMMSS of the start", .sample = "bench-1",
     .set = cr_set_run_id, .help = "run_id column"},
    {.name = "resume", .arg = "DIR", .def = "off", .sample = "run1", .set = cr_set_resume,
     .help = "continue the interrupted run in DIR: its measurements already whole are kept, "
             "the rest measured and appended (no duplicate rows); the options are the run's "
             "(recorded in DIR), and any given beside --resume must agree with them, as must "
             "the ranks, nodes, ppn and hosts; --timeout, -q and --progress may differ"},
    {.name = "no-raw", .def = "off (raw samples kept)", CR_FLAG(raw, 0),
     .help = "leave raw samples out of results.jsonl"},
    {.name = "overwrite", .def = "off: refuse, so that no finished measurement is lost",
     CR_FLAG(overwrite, 1), .help = "replace results already in the run directory"},
    {.name = "quiet", .letter = 'q', .def = "off", CR_FLAG(quiet, 1),
     .help = "no per-measurement table on stdout"},
    {.name = "progress", .def = "only when rank 0's stderr is a terminal, which mpirun's "
                                "forwarding is not",
     CR_FLAG(progress, 1), .help = "progress line on stderr"},
    {.name = "help", .letter = 'h', CR_FLAG(help, 1), .help = "this text"},
    {.name = "version", .letter = 'V', CR_FLAG(version, 1), .help = "print the version"},
    {.name = NULL},
};

/* Lists kept by the collective registry and the level table, not here. */
static const cr_cli_subst_t cr_opts_subst[] = {
    {"@COLLECTIVES@", cr_coll_names},
    {"@LEVELS@", cr_level_names},
    {NULL, NULL},
};

const cr_cli_t cr_opts_cli = {
    .prog = "collroof",
    .subst = cr_opts_subst,
    .head = "Usage: mpirun -np N collroof [options]\n"
            "Measures MPI collectives at every level of the machine and writes results.csv,\n"
            "results.jsonl and placement.csv for collroof-fit.\n",
    .opts = cr_opts_table,
};

void cr_opts_usage(FILE *fp)
{
    cr_cli_usage(&cr_opts_cli, fp);
}

/* argv's options applied over *o; then the checks across options. */
static cr_status_t cr_opts_apply(int argc, char **argv, cr_opts_t *o, char *err, size_t errlen)
{
    cr_cli_getopt_t g;
    cr_status_t st;
    int c, idx;

    CR_CHECK(cr_cli_getopt_build(&cr_opts_cli, ":", &g));
    optind = 0; /* full reinitialisation (glibc), so tests may parse many times */
    opterr = 0;
    while ((c = getopt_long(argc, argv, g.shortopts, g.longopts, &idx)) != -1) {
        const cr_cli_opt_t *opt = cr_cli_find(&cr_opts_cli, c);
        if (!opt) { /* '?' or ':' */
            cr_cli_refused(&cr_opts_cli, c, argc, argv, err, errlen);
            return CR_ERR_INVAL;
        }
        st = opt->set(opt, o, optarg, err, errlen);
        if (st != CR_OK) return st;
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s' (options start with -; see --help)",
                 argv[optind]);
        return CR_ERR_INVAL;
    }
    if (o->min_iters > o->max_iters) {
        snprintf(err, errlen, "--min-iters %d is larger than --max-iters %d", o->min_iters,
                 o->max_iters);
        return CR_ERR_INVAL;
    }
    if (o->resume[0] && o->overwrite) {
        snprintf(err, errlen, "--resume %s keeps what the run measured; --overwrite would "
                 "replace it: give one of them", o->resume);
        return CR_ERR_INVAL;
    }
    if (o->resume[0] && o->output_given && strcmp(o->outdir, o->resume) != 0) {
        snprintf(err, errlen, "--resume %s and -o %s name two directories: the resumed run "
                 "writes into its own", o->resume, o->outdir);
        return CR_ERR_INVAL;
    }
    if (o->workload[0] && o->sweep_opt) {
        snprintf(err, errlen, "--workload %s and %s: the file names the calls, their sizes and "
                 "communicators; give one of them", o->workload, o->sweep_opt);
        return CR_ERR_INVAL;
    }
    if (o->workload[0] && o->resume[0]) {
        snprintf(err, errlen, "--workload %s and --resume %s: a workload replay is not resumed "
                 "(its rows all finish together); run it again", o->workload, o->resume);
        return CR_ERR_INVAL;
    }
    if (o->workload[0] && o->cold_cache) {
        snprintf(err, errlen, "--workload %s and --cold-cache: a replay keeps each call's "
                 "buffers, as the step it replays does; give one of them", o->workload);
        return CR_ERR_INVAL;
    }
    if (o->resume[0]) snprintf(o->outdir, sizeof o->outdir, "%s", o->resume);
    if (o->ncolls == 0) {
        o->colls[0] = strdup("all");
        CR_CHECK_ALLOC(o->colls[0], 4);
        o->ncolls = 1;
    }
    if (o->nlevels == 0) {
        o->levels[0] = strdup("world");
        CR_CHECK_ALLOC(o->levels[0], 6);
        o->nlevels = 1;
    }
    return CR_OK;
}

cr_status_t cr_opts_parse(int argc, char **argv, long now, cr_opts_t *o, char *err, size_t errlen)
{
    cr_status_t st;
    CR_CHECK(cr_opts_defaults(o, now, err, errlen));
    if ((st = cr_opts_apply(argc, argv, o, err, errlen)) != CR_OK) cr_opts_free(o);
    return st;
}

cr_status_t cr_opts_overlay(int argc, char **argv, cr_opts_t *o, char *err, size_t errlen)
{
    o->output_given = o->run_id_given = o->overwrite = 0;
    o->resume[0] = '\0';
    return cr_opts_apply(argc, argv, o, err, errlen);
}

void cr_opts_free(cr_opts_t *o)
{
    cr_free_list(o->colls, &o->ncolls);
    cr_free_list(o->levels, &o->nlevels);
    free(o->sizes);
    o->sizes = NULL;
    o->nsizes = 0;
}

json_t *cr_opts_to_json(const cr_opts_t *o)
{
    static const char *const validate[] = {"off", "once", "every"};
    static const char *const mem[] = {"local", "interleave", "node", "default"};
    json_t *colls = json_array(), *levels = json_array(), *sizes = json_array(), *j;
    char cad[96];
    for (int i = 0; i < o->ncolls; i++) json_array_append_new(colls, json_string(o->colls[i]));
    for (int i = 0; i < o->nlevels; i++) json_array_append_new(levels, json_string(o->levels[i]));
    for (size_t i = 0; i < o->nsizes; i++) json_array_append_new(sizes, json_integer((json_int_t)o->sizes[i]));
    j = json_pack("{s:o,s:o,s:o,s:s,s:s,s:i,s:f,s:i,s:i,s:f,s:i,s:s,s:b,s:b,s:s,s:s,s:i,"
                     "s:b,s:b,s:b,s:b}",
                     "collectives", colls, "sizes", sizes, "levels", levels, "dtype", o->dtype,
                     "cadence", cr_opts_cadence_str(o, cad, sizeof cad),
                     "stream_calls", o->stream_calls, "precision", o->precision, "min_iters",
                     o->min_iters, "max_iters", o->max_iters, "time_limit_s", o->time_limit,
                     "warmup", o->warmup, "validate", validate[o->validate], "in_place",
                     o->in_place, "nonblocking", o->nonblocking, "timer",
                     o->timer == CR_TIMER_MPI ? "mpi" : "clock", "mem", mem[o->mem], "mem_node",
                     o->mem_node, "cold_cache", o->cold_cache, "huge_pages", o->huge_pages,
                     "probe_memory", o->probe_memory, "raw", o->raw);
    if (j && o->workload[0]) {   /* the file names the calls: no sweep ran */
        json_object_del(j, "collectives");
        json_object_del(j, "sizes");
        json_object_del(j, "levels");
        json_object_del(j, "cadence");
        json_object_set_new(j, "workload", json_string(o->workload));
    }
    /* only where it shapes a row, so that runs from before it resume */
    if (j && (o->cadence[CR_CADENCE_OVERLAP] || o->cadence[CR_CADENCE_OVERLAP_TEST]))
        json_object_set_new(j, "overlap_compute", json_real(o->overlap_compute));
    /* The routing shapes alltoallv's rows only: recorded where it is measured or
     * was given, so that runs without it compare (--resume) as before. */
    int skewed = o->skew_given;
    for (int i = 0; i < o->ncolls; i++) skewed |= !strcmp(o->colls[i], "alltoallv");
    if (j && skewed) {
        json_object_set_new(j, "skew", json_string(o->skew.spec));
        json_object_set_new(j, "skew_seed", json_integer((json_int_t)o->skew.seed));
    }
    /* The interfaces whose counters fill every row's wire_* columns: a run resumed
     * with others would mix two interfaces' bytes in one file (runs from before it:
     * cr_resume_meta_compat). */
    if (j) json_object_set_new(j, "net_if", json_string(o->net_if));
    return j;
}
