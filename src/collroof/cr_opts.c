#include "config.h"

#include "cr_opts.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cr_coll.h"
#include "cr_dtype.h"
#include "cr_levels.h"
#include "cr_sizes.h"

#define CR_DEFAULT_SIZES "8:64M"

enum {
    OPT_CADENCE = 256, OPT_STREAM_CALLS, OPT_PRECISION, OPT_MIN_ITERS, OPT_MAX_ITERS,
    OPT_TIME_LIMIT, OPT_WARMUP, OPT_VALIDATE, OPT_IN_PLACE, OPT_NONBLOCKING, OPT_TIMER,
    OPT_NO_RAW, OPT_MEM, OPT_COLD_CACHE, OPT_HUGE_PAGES, OPT_PROBE_MEMORY, OPT_RUN_ID,
    OPT_PROGRESS, OPT_OVERWRITE,
};

static const struct option cr_long_opts[] = {
    {"collectives", required_argument, NULL, 'c'},
    {"sizes", required_argument, NULL, 'm'},
    {"dtype", required_argument, NULL, 'd'},
    {"levels", required_argument, NULL, 'l'},
    {"cadence", required_argument, NULL, OPT_CADENCE},
    {"stream-calls", required_argument, NULL, OPT_STREAM_CALLS},
    {"precision", required_argument, NULL, OPT_PRECISION},
    {"min-iters", required_argument, NULL, OPT_MIN_ITERS},
    {"max-iters", required_argument, NULL, OPT_MAX_ITERS},
    {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"validate", required_argument, NULL, OPT_VALIDATE},
    {"in-place", no_argument, NULL, OPT_IN_PLACE},
    {"nonblocking", no_argument, NULL, OPT_NONBLOCKING},
    {"timer", required_argument, NULL, OPT_TIMER},
    {"output", required_argument, NULL, 'o'},
    {"run-id", required_argument, NULL, OPT_RUN_ID},
    {"no-raw", no_argument, NULL, OPT_NO_RAW},
    {"overwrite", no_argument, NULL, OPT_OVERWRITE},
    {"mem", required_argument, NULL, OPT_MEM},
    {"cold-cache", no_argument, NULL, OPT_COLD_CACHE},
    {"huge-pages", no_argument, NULL, OPT_HUGE_PAGES},
    {"probe-memory", no_argument, NULL, OPT_PROBE_MEMORY},
    {"quiet", no_argument, NULL, 'q'},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* The rest of an option's line from column col: words, then "[default: dflt]" kept
 * whole, from column 26 on, wrapped before column 88. */
static void cr_usage_words(FILE *fp, int col, const char *words, const char *dflt)
{
    char buf[1024], last[128], *save = NULL;
    snprintf(buf, sizeof buf, "%s", words);
    snprintf(last, sizeof last, "[default: %s]", dflt);
    fprintf(fp, "%*s", col < 26 ? 26 - col : 0, "");
    col = col < 26 ? 26 : col;
    for (char *w = strtok_r(buf, " ", &save);; w = strtok_r(NULL, " ", &save)) {
        const char *word = w ? w : last;
        if (col > 26 && col + 1 + (int)strlen(word) > 88) {
            fprintf(fp, "\n%26s", "");
            col = 26;
        }
        col += fprintf(fp, "%s%s", col > 26 ? " " : "", word);
        if (!w) break;
    }
    fputc('\n', fp);
}

void cr_opts_usage(FILE *fp)
{
    char list[512], words[640];
    fputs(
"Usage: mpirun -np N collroof [options]\n"
"Measures MPI collectives at every level of the machine and writes results.csv,\n"
"results.jsonl and placement.csv for collroof-fit.\n"
"\n"
"What to measure:\n"
"  -c, --collectives LIST", fp);
    snprintf(words, sizeof words, "%s or 'all' (all but the link probes)",
             cr_coll_names(list, sizeof list));
    cr_usage_words(fp, 24, words, "all");
    fputs(
"  -m, --sizes SPEC        S in bytes per rank (see README): MIN:MAX[:xF] (geometric,\n"
"                          factor F, default x2) or a list like 4K,1M,3M; units B,K,M,G\n"
"                          (binary) [default: " CR_DEFAULT_SIZES "]\n"
"  -d, --dtype NAME        char, int32, int64, float, double (reductions: no char)\n"
"                          [default: float]\n"
"  -l, --levels LIST", fp);
    snprintf(words, sizeof words, "%s or auto", cr_level_names(list, sizeof list));
    cr_usage_words(fp, 19, words, cr_level_name(CR_LEVEL_WORLD));
    fputs(
"      --in-place          use MPI_IN_PLACE where the collective has it [default: off]\n"
"      --nonblocking       time MPI_I<coll> + MPI_Wait instead of the blocking call\n"
"\n"
"How to measure:\n"
"      --cadence MODE      isolated (barrier before each call, per-call time), streaming\n"
"                          (K calls back to back, time/K) or both [default: isolated]\n"
"      --stream-calls K    calls per streaming sample [default: 8]\n"
"      --precision P       stop when the 95% CI of the median is within +-P of it;\n"
"                          a fraction (0.01) or percent (1%) [default: 1%]\n"
"      --min-iters N       samples per size at least [default: 10]\n"
"      --max-iters N       samples per size at most [default: 1000]\n"
"      --time-limit SEC    seconds of sampling per size at most [default: 1]\n"
"      --warmup N          discarded iterations before sampling, per size [default: 5]\n"
"      --validate MODE     off, once (per size, outside the timed loop) or every\n"
"                          (after every timed call, outside its timing) [default: once]\n"
"      --timer SRC         clock (clock_gettime MONOTONIC) or mpi (MPI_Wtime)\n"
"                          [default: clock]\n"
"\n"
"Memory and topology:\n"
"      --mem POLICY        local, interleave, node:N or default (no NUMA policy)\n"
"                          [default: local]\n"
"      --cold-cache        rotate through buffers larger than the last-level cache\n"
"      --huge-pages        back buffers with huge pages where available\n"
"      --probe-memory      measure memory-copy bandwidth per NUMA node (ceiling)\n"
"\n"
"Output:\n"
"  -o, --output DIR        run directory, created [default: collroof-YYYYmmdd-HHMMSS]\n"
"      --run-id ID         run_id column [default: YYYYmmdd-HHMMSS of the start]\n"
"      --no-raw            leave raw samples out of results.jsonl\n"
"      --overwrite         replace results already in the run directory [default:\n"
"                          refuse, so that no finished measurement is lost]\n"
"  -q, --quiet             no per-measurement table on stdout\n"
"      --progress          progress line on stderr [default: only when rank 0's\n"
"                          stderr is a terminal, which mpirun's forwarding is not]\n"
"  -h, --help              this text\n"
"  -V, --version           version\n",
        fp);
}

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
    o->cadence_isolated = 1;
    o->stream_calls = 8;
    o->precision = 0.01;
    o->min_iters = 10;
    o->max_iters = 1000;
    o->time_limit = 1.0;
    o->warmup = 5;
    o->validate = CR_VALIDATE_ONCE;
    o->timer = CR_TIMER_CLOCK;
    o->raw = 1;
    o->mem = CR_MEM_LOCAL;
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

static cr_status_t cr_opts_one(cr_opts_t *o, int c, const char *arg, char *err, size_t errlen)
{
    char *end;
    switch (c) {
    case 'c':
        cr_free_list(o->colls, &o->ncolls);
        return cr_parse_list("--collectives", arg, o->colls, &o->ncolls, err, errlen);
    case 'm':
        free(o->sizes);
        o->sizes = NULL;
        return cr_sizes_parse(arg, &o->sizes, &o->nsizes, err, errlen);
    case 'd':
        if (!cr_dtype_find(arg))
            return cr_bad(err, errlen, "--dtype", arg, "char, int32, int64, float or double");
        o->dtype = cr_dtype_find(arg)->name;
        return CR_OK;
    case 'l':
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
    case OPT_CADENCE:
        o->cadence_isolated = !strcmp(arg, "isolated") || !strcmp(arg, "both");
        o->cadence_streaming = !strcmp(arg, "streaming") || !strcmp(arg, "both");
        if (!o->cadence_isolated && !o->cadence_streaming)
            return cr_bad(err, errlen, "--cadence", arg, "isolated, streaming or both");
        return CR_OK;
    case OPT_STREAM_CALLS:
        return cr_parse_int("--stream-calls", arg, 1, 1000000, &o->stream_calls, err, errlen);
    case OPT_PRECISION:
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
    case OPT_MIN_ITERS:
        return cr_parse_int("--min-iters", arg, 1, 100000000, &o->min_iters, err, errlen);
    case OPT_MAX_ITERS:
        return cr_parse_int("--max-iters", arg, 1, 100000000, &o->max_iters, err, errlen);
    case OPT_WARMUP:
        return cr_parse_int("--warmup", arg, 0, 100000000, &o->warmup, err, errlen);
    case OPT_TIME_LIMIT:
        errno = 0;
        o->time_limit = strtod(arg, &end);
        if (errno || end == arg || *end != '\0' || !(o->time_limit > 0) || o->time_limit > 86400)
            return cr_bad(err, errlen, "--time-limit", arg, "seconds, > 0 and <= 86400");
        return CR_OK;
    case OPT_VALIDATE:
        if (!strcmp(arg, "off")) o->validate = CR_VALIDATE_OFF;
        else if (!strcmp(arg, "once")) o->validate = CR_VALIDATE_ONCE;
        else if (!strcmp(arg, "every")) o->validate = CR_VALIDATE_EVERY;
        else return cr_bad(err, errlen, "--validate", arg, "off, once or every");
        return CR_OK;
    case OPT_TIMER:
        if (!strcmp(arg, "clock")) o->timer = CR_TIMER_CLOCK;
        else if (!strcmp(arg, "mpi")) o->timer = CR_TIMER_MPI;
        else return cr_bad(err, errlen, "--timer", arg, "clock or mpi");
        return CR_OK;
    case OPT_MEM:
        if (!strcmp(arg, "local")) o->mem = CR_MEM_LOCAL;
        else if (!strcmp(arg, "interleave")) o->mem = CR_MEM_INTERLEAVE;
        else if (!strcmp(arg, "default")) o->mem = CR_MEM_DEFAULT;
        else if (!strncmp(arg, "node:", 5)) {
            o->mem = CR_MEM_NODE;
            if (cr_parse_int("--mem node:N", arg + 5, 0, 4095, &o->mem_node, err, errlen) != CR_OK)
                return cr_bad(err, errlen, "--mem", arg, "local, interleave, node:N (N >= 0) or default");
        } else return cr_bad(err, errlen, "--mem", arg, "local, interleave, node:N or default");
        return CR_OK;
    case 'o':
        if (!*arg || strlen(arg) >= sizeof o->outdir)
            return cr_bad(err, errlen, "--output", arg, "a directory path of 1 to 1023 characters");
        snprintf(o->outdir, sizeof o->outdir, "%s", arg);
        return CR_OK;
    case OPT_RUN_ID:
        if (!*arg || strlen(arg) >= sizeof o->run_id || strpbrk(arg, ",\"'\\") ||
            !cr_printable_ascii(arg))
            return cr_bad(err, errlen, "--run-id", arg,
                          "1 to 31 printable ASCII characters, no spaces, commas, quotes or backslashes");
        snprintf(o->run_id, sizeof o->run_id, "%s", arg);
        return CR_OK;
    case OPT_IN_PLACE: o->in_place = 1; return CR_OK;
    case OPT_NONBLOCKING: o->nonblocking = 1; return CR_OK;
    case OPT_NO_RAW: o->raw = 0; return CR_OK;
    case OPT_OVERWRITE: o->overwrite = 1; return CR_OK;
    case OPT_COLD_CACHE: o->cold_cache = 1; return CR_OK;
    case OPT_HUGE_PAGES: o->huge_pages = 1; return CR_OK;
    case OPT_PROBE_MEMORY: o->probe_memory = 1; return CR_OK;
    case 'q': o->quiet = 1; return CR_OK;
    case OPT_PROGRESS: o->progress = 1; return CR_OK;
    case 'h': o->help = 1; return CR_OK;
    case 'V': o->version = 1; return CR_OK;
    }
    return CR_ERR_INTERNAL;
}

cr_status_t cr_opts_parse(int argc, char **argv, long now, cr_opts_t *o, char *err, size_t errlen)
{
    cr_status_t st;
    int c, idx;

    CR_CHECK(cr_opts_defaults(o, now, err, errlen));
    optind = 0; /* full reinitialisation (glibc), so tests may parse many times */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:m:d:l:o:qhV", cr_long_opts, &idx)) != -1) {
        if (c == '?' || c == ':') {
            /* A long option is the last word read; a short one is optopt (within a
             * group like -Zq, getopt has not moved past the word yet). */
            const char *what = optind > 1 ? argv[optind - 1] : "";
            char shortopt[3] = { '-', (char)optopt, '\0' };
            if (strncmp(what, "--", 2) != 0 && optopt > ' ' && optopt < 127) what = shortopt;
            snprintf(err, errlen, "%s option '%s' (see collroof --help)",
                     c == '?' ? "unknown" : "missing value for", what);
            cr_opts_free(o);
            return CR_ERR_INVAL;
        }
        st = cr_opts_one(o, c, optarg, err, errlen);
        if (st != CR_OK) {
            cr_opts_free(o);
            return st;
        }
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s' (options start with -; see --help)",
                 argv[optind]);
        cr_opts_free(o);
        return CR_ERR_INVAL;
    }
    if (o->min_iters > o->max_iters) {
        snprintf(err, errlen, "--min-iters %d is larger than --max-iters %d", o->min_iters,
                 o->max_iters);
        cr_opts_free(o);
        return CR_ERR_INVAL;
    }
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

void cr_opts_free(cr_opts_t *o)
{
    cr_free_list(o->colls, &o->ncolls);
    cr_free_list(o->levels, &o->nlevels);
    free(o->sizes);
    o->sizes = NULL;
    o->nsizes = 0;
}
