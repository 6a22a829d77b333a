/* Unit tests of the pure core: sizes, statistics, options, writers. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cu_main.h"
#include "cr_kernel.h"
#include "cr_opts.h"
#include "cr_overlap.h"
#include "cr_schema.h"
#include "cr_schema_json.h"
#include "cr_sizes.h"
#include "cr_stats.h"
#include "cr_writer.h"

#define NEAR(a, b) CU_ASSERT_DOUBLE_EQUAL((a), (b), 1e-9 * (1 + fabs((double)(b))))

/* ---- sizes ---- */

static const struct {
    const char *spec;
    size_t n;
    uint64_t first, last;
} good_sizes[] = {
    {"8:64M", 24, 8, 64u << 20},
    {"1K:1M:x4", 6, 1024, 1u << 20},
    {"4K,1M,3M", 3, 4096, 3u << 20},
    {"1000:1000", 1, 1000, 1000},
    {"1KB,2KiB,3b", 3, 1024, 3},
    {"1:100:x10", 3, 1, 100},
    {"1G", 1, 1u << 30, 1u << 30},
};

static void test_sizes_good(void)
{
    char err[256];
    for (size_t i = 0; i < sizeof good_sizes / sizeof *good_sizes; i++) {
        uint64_t *v = NULL;
        size_t n = 0;
        CU_ASSERT_EQUAL_FATAL(cr_sizes_parse(good_sizes[i].spec, &v, &n, err, sizeof err), CR_OK);
        CU_ASSERT_EQUAL(n, good_sizes[i].n);
        CU_ASSERT_EQUAL(v[0], good_sizes[i].first);
        CU_ASSERT_EQUAL(v[n - 1], good_sizes[i].last);
        free(v);
    }
}

static void test_sizes_geometric(void)
{
    char err[256];
    uint64_t *v = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(cr_sizes_parse("8:64M", &v, &n, err, sizeof err), CR_OK);
    for (size_t i = 0; i < n; i++) CU_ASSERT_EQUAL(v[i], (uint64_t)8 << i);
    free(v);
}

static const struct {
    const char *spec, *named;
} bad_sizes[] = {
    {"0", "'0'"},          {"-1", "'-1'"},           {"abc", "'abc'"},
    {"8:", "''"},          {":8", "''"},             {"64M:8", "64M"},
    {"1X", "'1X'"},        {"8:64M:x1", "8:64M:x1"}, {"4K,,1M", "4K,,1M"},
    {"", "empty"},         {"1K:1M,2", "1K:1M,2"},   {"2P", "'2P'"},
    {"4K,", "4K,"},        {"1.5K", "'1.5K'"},       {"8:64M:x0.5", "8:64M:x0.5"},
    {"3i", "'3i'"},        {"4iB", "'4iB'"},
};

static void test_sizes_bad(void)
{
    for (size_t i = 0; i < sizeof bad_sizes / sizeof *bad_sizes; i++) {
        char err[256] = "";
        uint64_t *v = NULL;
        size_t n = 0;
        CU_ASSERT_EQUAL(cr_sizes_parse(bad_sizes[i].spec, &v, &n, err, sizeof err), CR_ERR_INVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, bad_sizes[i].named));
        if (!strstr(err, bad_sizes[i].named)) printf("\n  spec '%s' gave: %s\n", bad_sizes[i].spec, err);
    }
}

static void test_size_format(void)
{
    char b[32];
    CU_ASSERT_STRING_EQUAL(cr_size_format(8, b, sizeof b), "8");
    CU_ASSERT_STRING_EQUAL(cr_size_format(65536, b, sizeof b), "64K");
    CU_ASSERT_STRING_EQUAL(cr_size_format(3u << 20, b, sizeof b), "3M");
    CU_ASSERT_STRING_EQUAL(cr_size_format(1000, b, sizeof b), "1000");
    CU_ASSERT_STRING_EQUAL(cr_size_format(1536, b, sizeof b), "1536");
}

/* ---- statistics: hand-computed values ---- */

static const struct {
    size_t n, lo, hi;
} ci_ranks[] = {
    /* lo = floor((n - 1.96 sqrt n)/2), hi = ceil(1 + (n + 1.96 sqrt n)/2), clamped */
    {6, 1, 6}, {10, 1, 10}, {100, 40, 61}, {1000, 469, 532}, {30, 9, 22},
};

static void test_median_ci_ranks(void)
{
    for (size_t i = 0; i < sizeof ci_ranks / sizeof *ci_ranks; i++) {
        size_t lo, hi;
        cr_stats_median_ci_ranks(ci_ranks[i].n, &lo, &hi);
        CU_ASSERT_EQUAL(lo, ci_ranks[i].lo);
        CU_ASSERT_EQUAL(hi, ci_ranks[i].hi);
    }
}

static void test_percentiles(void)
{
    double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    NEAR(cr_stats_percentile(x, 10, 50), 5.5);
    NEAR(cr_stats_percentile(x, 10, 90), 9.1);
    NEAR(cr_stats_percentile(x, 10, 99), 9.91);
    NEAR(cr_stats_percentile(x, 10, 25), 3.25);
    NEAR(cr_stats_percentile(x, 10, 0), 1);
    NEAR(cr_stats_percentile(x, 10, 100), 10);
    NEAR(cr_stats_percentile(x, 1, 99), 1);
}

static void test_summarize(void)
{
    /* 1..10 shuffled, plus one straggler at 100: the fence is Q3 + 1.5 IQR = 8.5 + 7.5 = 16. */
    double x[11] = {7, 100, 3, 10, 1, 9, 2, 8, 5, 4, 6};
    cr_stats_t st;
    cr_stats_summarize(x, 11, &st);
    CU_ASSERT_EQUAL(st.n, 11);
    NEAR(st.min, 1);
    NEAR(st.max, 100);
    NEAR(st.median, 6);
    NEAR(st.mean, 155.0 / 11);
    NEAR(st.p90, 10);            /* h = 9 */
    NEAR(st.p99, 10 + 0.9 * 90); /* h = 9.9 */
    CU_ASSERT_EQUAL(st.outliers, 1);
    /* n = 11: lo = floor((11 - 6.5)/2) = 2, hi = ceil(1 + 17.5/2) = 10 */
    NEAR(st.ci_lo, 2);
    NEAR(st.ci_hi, 10);
    CU_ASSERT(st.ci_lo <= st.median && st.median <= st.ci_hi);
}

static void test_stddev(void)
{
    double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    cr_stats_t st;
    cr_stats_summarize(x, 10, &st);
    NEAR(st.stddev, sqrt(55.0 / 6.0));
    CU_ASSERT_EQUAL(st.outliers, 0);
}

static void test_rel_ci(void)
{
    double x[100];
    for (int i = 0; i < 100; i++) x[i] = 10.0;
    NEAR(cr_stats_rel_ci_halfwidth(x, 100), 0.0);
    CU_ASSERT(isinf(cr_stats_rel_ci_halfwidth(x, 5)));
    /* 1..100: ranks 40 and 61 → (61 - 40) / 2 / 50.5 */
    for (int i = 0; i < 100; i++) x[i] = i + 1;
    NEAR(cr_stats_rel_ci_halfwidth(x, 100), 10.5 / 50.5);
}

/* ---- options ---- */

static cr_status_t parse(const char *line, cr_opts_t *o, char *err, size_t len)
{
    char buf[512], *argv[32];
    int argc = 0;
    snprintf(buf, sizeof buf, "collroof %s", line);
    for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " ")) argv[argc++] = t;
    argv[argc] = NULL;
    return cr_opts_parse(argc, argv, 1764979200L, o, err, len);
}

static void test_opts_defaults(void)
{
    cr_opts_t o;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(parse("", &o, err, sizeof err), CR_OK);
    CU_ASSERT_STRING_EQUAL(o.dtype, "float");
    CU_ASSERT_STRING_EQUAL(o.colls[0], "all");
    CU_ASSERT_STRING_EQUAL(o.levels[0], "world");
    CU_ASSERT_EQUAL(o.nsizes, 24);
    NEAR(o.precision, 0.01);
    CU_ASSERT_EQUAL(o.validate, CR_VALIDATE_ONCE);
    CU_ASSERT(o.cadence[CR_CADENCE_ISOLATED] && !o.cadence[CR_CADENCE_STREAMING]);
    CU_ASSERT_STRING_EQUAL(o.outdir, "collroof-20251206-000000");
    CU_ASSERT_STRING_EQUAL(o.run_id, "20251206-000000");
    CU_ASSERT_EQUAL(o.raw, 1);
    cr_opts_free(&o);
}

static void test_opts_good(void)
{
    cr_opts_t o;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(parse("-c allreduce,bcast -m 4K,1M -d double --precision 2% --cadence both "
                                "--validate every --mem node:1 -l auto --no-raw -o /tmp/x --in-place",
                                &o, err, sizeof err),
                          CR_OK);
    CU_ASSERT_EQUAL(o.ncolls, 2);
    CU_ASSERT_STRING_EQUAL(o.colls[1], "bcast");
    CU_ASSERT_EQUAL(o.nsizes, 2);
    CU_ASSERT_STRING_EQUAL(o.dtype, "double");
    NEAR(o.precision, 0.02);
    CU_ASSERT(o.cadence[CR_CADENCE_ISOLATED] && o.cadence[CR_CADENCE_STREAMING]);
    CU_ASSERT_EQUAL(o.validate, CR_VALIDATE_EVERY);
    CU_ASSERT_EQUAL(o.mem, CR_MEM_NODE);
    CU_ASSERT_EQUAL(o.mem_node, 1);
    CU_ASSERT_EQUAL(o.raw, 0);
    CU_ASSERT_EQUAL(o.in_place, 1);
    CU_ASSERT_STRING_EQUAL(o.outdir, "/tmp/x");
    cr_opts_free(&o);
}

static const struct {
    const char *line, *named;
} bad_opts[] = {
    {"--bogus", "--bogus"},
    {"--precision -0.1", "-0.1"},
    {"--precision 0", "'0'"},
    {"--precision abc", "abc"},
    {"--dtype quad", "quad"},
    {"--levels world,moon", "moon"},
    {"--min-iters 10 --max-iters 5", "--min-iters 10"},
    {"--max-iters 0", "'0'"},
    {"--mem node:x", "node:x"},
    {"--mem far", "far"},
    {"--cadence sometimes", "sometimes"},
    {"--cadence isolated,sometimes", "sometimes"},
    {"--cadence overlap,", "overlap,"},
    {"--cadence ,overlap", ",overlap"},
    {"--overlap-compute 0", "'0'"},
    {"--overlap-compute -1", "-1"},
    {"--overlap-compute x", "'x'"},
    {"--validate maybe", "maybe"},
    {"--time-limit -1", "-1"},
    {"-m 64M:8", "64M"},
    {"-m 0", "'0'"},
    {"-c allreduce,", "allreduce,"},
    {"--timer tsc", "tsc"},
    {"stray", "stray"},
    {"--sizes", "--sizes"},
    {"--stream-calls 0", "'0'"},
    {"-Zq", "unknown option '-Z'"},          /* a bad letter first in a group */
    {"-qZ", "unknown option '-Z'"},
    {"-q -o", "missing value for option '-o'"},
    {"-c bcast -\xc3\xbc", "unknown option '-\xc3\xbc'"}, /* -ü: the whole character, not 'bcast' */
    {"-c bcast -q\xc3\xbcq", "unknown option '-\xc3\xbc'"},
    {"--quiet=1", "option '--quiet' takes no value"},
    {"--nosuch=3", "unknown option '--nosuch'"},
    {"--run-id caf\xe9", "caf\xe9"},         /* not ASCII: JSON would refuse it later */
    {"--run-id a\\b", "a\\b"},
};

/* --cadence lists and what the metadata records (older selections as before). */
static void test_opts_cadence(void)
{
    static const struct {
        const char *line;
        int iso, str, ov, ovt;
        const char *recorded;
        int has_f;
    } cases[] = {
        {"", 1, 0, 0, 0, "isolated", 0},
        {"--cadence isolated", 1, 0, 0, 0, "isolated", 0},
        {"--cadence streaming", 0, 1, 0, 0, "streaming", 0},
        {"--cadence both", 1, 1, 0, 0, "both", 0},
        {"--cadence streaming,isolated", 1, 1, 0, 0, "both", 0},
        {"--cadence overlap", 0, 0, 1, 0, "overlap", 1},
        {"--cadence overlap_test,isolated", 1, 0, 0, 1, "isolated,overlap_test", 1},
        {"--cadence both,overlap,overlap_test --overlap-compute 2", 1, 1, 1, 1,
         "isolated,streaming,overlap,overlap_test", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_opts_t o;
        char err[512], buf[96];
        json_t *j;
        CU_ASSERT_EQUAL_FATAL(parse(cases[i].line, &o, err, sizeof err), CR_OK);
        CU_ASSERT_EQUAL(o.cadence[CR_CADENCE_ISOLATED], cases[i].iso);
        CU_ASSERT_EQUAL(o.cadence[CR_CADENCE_STREAMING], cases[i].str);
        CU_ASSERT_EQUAL(o.cadence[CR_CADENCE_OVERLAP], cases[i].ov);
        CU_ASSERT_EQUAL(o.cadence[CR_CADENCE_OVERLAP_TEST], cases[i].ovt);
        CU_ASSERT_STRING_EQUAL(cr_opts_cadence_str(&o, buf, sizeof buf), cases[i].recorded);
        j = cr_opts_to_json(&o);
        CU_ASSERT_PTR_NOT_NULL_FATAL(j);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "cadence")), cases[i].recorded);
        CU_ASSERT_EQUAL(json_object_get(j, "overlap_compute") != NULL, cases[i].has_f);
        json_decref(j);
        cr_opts_free(&o);
    }
}

static void test_opts_bad(void)
{
    for (size_t i = 0; i < sizeof bad_opts / sizeof *bad_opts; i++) {
        cr_opts_t o;
        char err[512] = "";
        CU_ASSERT_EQUAL(parse(bad_opts[i].line, &o, err, sizeof err), CR_ERR_INVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, bad_opts[i].named));
        if (!strstr(err, bad_opts[i].named)) printf("\n  '%s' gave: %s\n", bad_opts[i].line, err);
    }
}

/* Every table entry is documented (help, default and unit in --help) and parsed
 * (its sample argument, long and short form): a new option cannot miss either. */
static void test_every_option_in_help_and_parser(void)
{
    char *buf = NULL, want[512], trailer[256];
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    int n = 0;
    cr_opts_usage(fp);
    fclose(fp);
    cu_squeeze(buf);
    for (const cr_cli_opt_t *opt = cr_opts_cli.opts; opt->name; opt++, n++) {
        int action = !strcmp(opt->name, "help") || !strcmp(opt->name, "version");
        char line[256], err[512] = "", help[1024];
        cr_opts_t o;
        CU_ASSERT_PTR_NOT_NULL(opt->set);
        CU_ASSERT(opt->help && *opt->help);
        CU_ASSERT(action || opt->def);                 /* STYLE rule 12 */
        CU_ASSERT((opt->arg == NULL) == (opt->sample == NULL));
        snprintf(want, sizeof want, "--%s%s%s %s %s", opt->name, opt->arg ? " " : "",
                 opt->arg ? opt->arg : "", cr_cli_help(&cr_opts_cli, opt, help, sizeof help),
                 cr_cli_trailer(opt, trailer, sizeof trailer));
        CU_ASSERT_PTR_NULL(strchr(help, '@'));  /* every @WORD@ was replaced */
        cu_squeeze(want);
        CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
        if (!strstr(buf, want)) printf("\n  --help lacks: %s\n", want);
        if (opt->unit) CU_ASSERT_PTR_NOT_NULL(strstr(trailer, opt->unit));
        snprintf(line, sizeof line, "--%s %s", opt->name, opt->sample ? opt->sample : "");
        CU_ASSERT_EQUAL(parse(line, &o, err, sizeof err), CR_OK);
        if (*err) printf("\n  '%s' gave: %s\n", line, err);
        else cr_opts_free(&o);
        if (opt->letter) {
            snprintf(line, sizeof line, "-%c %s", opt->letter, opt->sample ? opt->sample : "");
            CU_ASSERT_EQUAL(parse(line, &o, err, sizeof err), CR_OK);
            if (*err) printf("\n  '%s' gave: %s\n", line, err);
            else cr_opts_free(&o);
        }
    }
    CU_ASSERT(n >= 27);
    free(buf);
}

/* ---- writers against golden files ---- */

static void sample_result(cr_result_t *r)
{
    memset(r, 0, sizeof *r);
    strcpy(r->run_id, "golden");
    strcpy(r->collective, "allreduce");
    strcpy(r->level, "world");
    strcpy(r->cadence, "isolated");
    strcpy(r->dtype, "float");
    strcpy(r->mem, "numa:0");
    strcpy(r->pages, "base");
    r->ranks = 4, r->nodes = 2, r->ppn = 2, r->groups = 1;
    r->bytes = 1048576, r->block_bytes = 1048576;
    r->stop = CR_STOP_PRECISION;
    r->t = (cr_stats_t){.n = 120, .min = 100.25, .median = 110.5, .ci_lo = 109, .ci_hi = 112.125,
                        .mean = 111.75, .p90 = 118, .p99 = 130.5, .max = 150, .stddev = 6.5,
                        .outliers = 3};
    r->algbw_GBps = 1048576 / 110.5 * 1e-3;
    r->busbw_GBps = r->algbw_GBps * 1.5;
    r->valid = CR_VALID_PASS;
    r->warmup = 5;
    r->calls_per_sample = 1;
    r->faults_per_call = 0.25;
    cr_result_no_energy(r);   /* a host without counters: empty columns */
    cr_result_no_wire(r);
    r->wire.min = 2097152;    /* derived, so written even when nothing was read */
    r->t_pure_us = r->t_compute_us = r->overlap = r->overlap_lo = r->overlap_hi = NAN;
}

/* A second row whose values exercise every format: rounding in %.4f, %.6g and %.4g,
 * a 64-bit size, the other enum values, flags set. */
static void sample_result_edge(cr_result_t *r)
{
    memset(r, 0, sizeof *r);
    strcpy(r->run_id, "20260101-000000");
    strcpy(r->collective, "alltoallv");
    strcpy(r->level, "internode");
    strcpy(r->cadence, "overlap_test");
    strcpy(r->skew, "hot:0.25:3");
    r->skew_seed = UINT64_C(9223372036854775807);
    r->max_recv_bytes = (UINT64_C(1) << 42) + 24;
    r->imbalance = 4.0000000218;
    strcpy(r->dtype, "double");
    strcpy(r->mem, "interleave");
    strcpy(r->pages, "thp");
    r->ranks = 1024, r->nodes = 128, r->ppn = 8, r->groups = 3;
    r->bytes = (UINT64_C(1) << 40) + 8, r->block_bytes = 1073741832;
    r->stop = CR_STOP_TIME;
    r->t = (cr_stats_t){.n = 7, .min = 0.00004, .median = 0.123456, .ci_lo = 0.12345,
                        .ci_hi = 123456.78915, .mean = 1e-9, .p90 = 99999.99995,
                        .p99 = 2.5e6, .max = 1.23456789e9, .stddev = 0.000049999,
                        .outliers = 0};
    r->algbw_GBps = 12345.6789;
    r->busbw_GBps = 0.000123456789;
    r->valid = CR_VALID_SKIPPED;
    r->in_place = 1;
    r->low_resolution = 1;
    r->warmup = 0;
    r->calls_per_sample = 16;
    r->cold = 1;
    r->faults_per_call = 1234.5678;
    r->variant = CR_VARIANT_NONBLOCKING;
    r->energy.loop_s = 0.512345678;
    r->energy.pkg_J = 0.0123456789, r->energy.pkg_J_sum = 1.5e3;
    r->energy.dram_J = 0, r->energy.dram_J_sum = 2e-7;
    r->energy.pJ_per_B = 11.2283, r->energy.pJ_per_B_sum = 1363.9876543;
    r->t_pure_us = 0.00005, r->t_compute_us = 1.23456789e9;
    r->overlap = 0.5, r->overlap_lo = 0, r->overlap_hi = 1;
    r->wire.tx = 2.5e12 + 3, r->wire.tx_max = 1234567.5, r->wire.rx = 0;
    r->wire.bg = 0.000123456789, r->wire.min = 1099511627776.0, r->wire.eff = 0.43981234;
    r->wire.bg_high = 1;
}

static void check_golden(const char *name, const char *got)
{
    char path[1024], *want = NULL;
    size_t len = 0;
    FILE *fp;
    snprintf(path, sizeof path, "%s/tests/fixtures/golden/%s", CR_SRCDIR, name);
    if (getenv("CR_UPDATE_GOLDEN")) {
        fp = fopen(path, "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
        fputs(got, fp);
        fclose(fp);
        return;
    }
    fp = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    want = calloc(1, 1 << 16);
    len = fread(want, 1, (1 << 16) - 1, fp);
    fclose(fp);
    want[len] = '\0';
    CU_ASSERT_STRING_EQUAL(got, want);
    free(want);
}

static char *write_with(const cr_writer_ops_t *ops, int raw)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cr_writer_t w = {.raw = raw};
    cr_result_t r;
    double samples[3] = {110.5, 109, 112.125};
    json_t *meta = json_pack("{s:s,s:i}", "tool", "collroof", "ranks", 4);
    sample_result(&r);
    CU_ASSERT_EQUAL(cr_writer_open(&w, ops, NULL, fp, meta), CR_OK);
    CU_ASSERT_EQUAL(cr_writer_row(&w, &r, samples, 3), CR_OK);
    sample_result_edge(&r);
    CU_ASSERT_EQUAL(cr_writer_row(&w, &r, NULL, 0), CR_OK);
    cr_writer_close(&w);
    fclose(fp);
    json_decref(meta);
    return buf;
}

static void test_csv_contract_header(void)
{
    static const char contract[] =
        "run_id,collective,level,cadence,ranks,nodes,ppn,groups,bytes,block_bytes,dtype,samples,"
        "stop,t_min_us,t_median_us,t_ci_lo_us,t_ci_hi_us,t_mean_us,t_p90_us,t_p99_us,t_max_us,"
        "algbw_GBps,busbw_GBps,valid";
    char *csv = write_with(&(cr_writer_ops_t){.name = "csv", .begin = cr_writer_csv.begin,
                                              .row = cr_writer_csv.row}, 1);
    CU_ASSERT_EQUAL(strncmp(csv, contract, strlen(contract)), 0);
    CU_ASSERT(csv[strlen(contract)] == ',' || csv[strlen(contract)] == '\n');
    free(csv);
}

static void test_csv_golden(void)
{
    char *csv = write_with(&(cr_writer_ops_t){.name = "csv", .begin = cr_writer_csv.begin,
                                              .row = cr_writer_csv.row}, 1);
    check_golden("results.csv", csv);
    free(csv);
}

static void test_jsonl_golden(void)
{
    cr_writer_ops_t ops = {.name = "jsonl", .begin = cr_writer_jsonl.begin, .row = cr_writer_jsonl.row};
    char *out = write_with(&ops, 1), *nl;
    json_error_t e;
    json_t *line2;
    check_golden("results.jsonl", out);
    /* Every line parses; line 2 has the CSV names and the raw samples in order. */
    nl = strchr(out, '\n');
    CU_ASSERT_PTR_NOT_NULL_FATAL(nl);
    line2 = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(line2);
    for (size_t i = 0; i < cr_schema_n; i++)
        CU_ASSERT_PTR_NOT_NULL(json_object_get(line2, cr_schema[i].name));
    CU_ASSERT_EQUAL(json_array_size(json_object_get(line2, "raw_us")), 3);
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_array_get(json_object_get(line2, "raw_us"), 1)), 109, 0);
    json_decref(line2);
    free(out);
    out = write_with(&ops, 0);
    CU_ASSERT_PTR_NULL(strstr(out, "raw_us"));
    free(out);
}

/* Every column reads back what it wrote, through CSV text and through JSON. */
static void test_schema_roundtrip(void)
{
    cr_result_t r, back, back2;
    char a[512], b[512], why[256];
    json_t *obj;
    sample_result_edge(&r);
    memset(&back, 0, sizeof back);
    memset(&back2, 0, sizeof back2);
    obj = cr_schema_to_json(&r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(obj);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(obj, "type")), "measurement");
    for (size_t i = 0; i < cr_schema_n; i++) {
        const cr_col_t *c = &cr_schema[i];
        CU_ASSERT_EQUAL(cr_schema_find(c->name), (int)i);
        CU_ASSERT_FATAL(cr_schema_format(c, &r, a, sizeof a) >= 0);
        CU_ASSERT_EQUAL(cr_schema_parse(c, a, &back, why, sizeof why), 0);
        CU_ASSERT_FATAL(cr_schema_format(c, &back, b, sizeof b) >= 0);
        CU_ASSERT_STRING_EQUAL(a, b);
        CU_ASSERT_EQUAL(cr_schema_from_json(c, json_object_get(obj, c->name), &back2, why,
                                            sizeof why), 0);
        CU_ASSERT_FATAL(cr_schema_format(c, &back2, b, sizeof b) >= 0);
        CU_ASSERT_STRING_EQUAL(a, b);
    }
    CU_ASSERT_EQUAL(cr_schema_find("no_such_column"), -1);
    CU_ASSERT(cr_schema_format(&cr_schema[cr_schema_find("run_id")], &r, a, 4) < 0);
    json_decref(obj);
}

/* Columns "not measured" on a row (energy where the hosts expose no counters, overlap
 * columns on other cadences): NAN is an empty CSV field and a JSON null, and reads
 * back as NAN; empty stays an error for every other number column. */
/* The readers' presence set holds every column, past 64 too, and nothing else. */
static void test_schema_set(void)
{
    cr_schema_set_t s = {{0}};
    CU_ASSERT(cr_schema_n <= CR_SCHEMA_MAX);
    for (int i = 0; i < CR_SCHEMA_MAX; i += 7) cr_schema_set_add(&s, i);
    cr_schema_set_add(&s, CR_SCHEMA_MAX);   /* out of range: ignored */
    cr_schema_set_add(&s, -1);
    for (int i = 0; i < CR_SCHEMA_MAX; i++) CU_ASSERT_EQUAL(cr_schema_set_has(&s, i), i % 7 == 0);
    CU_ASSERT_FALSE(cr_schema_set_has(&s, CR_SCHEMA_MAX));
    CU_ASSERT_FALSE(cr_schema_set_has(&s, -1));
    CU_ASSERT_TRUE(cr_schema_set_has(&s, 126));
    CU_ASSERT_FALSE(cr_schema_set_has(&s, 127));
}

static void test_schema_empty(void)
{
    static const char *const energy[] = {
        "energy_loop_s", "energy_pkg_J_per_call", "energy_pkg_J_per_call_sum",
        "energy_dram_J_per_call", "energy_dram_J_per_call_sum", "energy_pJ_per_byte",
        "energy_pJ_per_byte_sum", "t_pure_us", "t_compute_us", "overlap", "overlap_lo",
        "overlap_hi", "wire_tx_bytes_per_call", "wire_tx_bytes_per_call_max",
        "wire_rx_bytes_per_call", "wire_bg_bytes_per_call", "traffic_efficiency",
    };
    cr_result_t r, back;
    char a[64], why[256];
    json_t *obj;
    sample_result(&r);
    obj = cr_schema_to_json(&r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(obj);
    for (size_t i = 0; i < sizeof energy / sizeof *energy; i++) {
        int c = cr_schema_find(energy[i]);
        CU_ASSERT_FATAL(c >= 0);
        CU_ASSERT(cr_schema[c].empty && !cr_schema[c].contract);
        CU_ASSERT_EQUAL(cr_schema_format(&cr_schema[c], &r, a, sizeof a), 0);
        memset(&back, 0, sizeof back);
        CU_ASSERT_EQUAL(cr_schema_parse(&cr_schema[c], "", &back, why, sizeof why), 0);
        CU_ASSERT(isnan(*(double *)((char *)&back + cr_schema[c].off)));
        CU_ASSERT(json_is_null(json_object_get(obj, energy[i])));
        memset(&back, 0, sizeof back);
        CU_ASSERT_EQUAL(cr_schema_from_json(&cr_schema[c], json_object_get(obj, energy[i]),
                                            &back, why, sizeof why), 0);
        CU_ASSERT(isnan(*(double *)((char *)&back + cr_schema[c].off)));
    }
    for (size_t c = 0; c < cr_schema_n; c++)   /* only these may be empty */
        if (cr_schema[c].empty)
            CU_ASSERT(strncmp(cr_schema[c].name, "energy_", 7) == 0 ||
                      strncmp(cr_schema[c].name, "wire_", 5) == 0 ||
                      strstr("t_pure_us t_compute_us overlap overlap_lo overlap_hi "
                             "traffic_efficiency",
                             cr_schema[c].name) != NULL);
    /* a contract column stays required: empty is not a time */
    CU_ASSERT_EQUAL(cr_schema_parse(&cr_schema[cr_schema_find("t_median_us")], "", &back, why,
                                    sizeof why), -1);
    json_decref(obj);
}

/* A bad value: the message names the column, the value and what is accepted. */
static void test_schema_bad_values(void)
{
    static const struct { const char *col, *text, *want; } cases[] = {
        {"ranks", "0", "column ranks: '0' is not a positive integer"},
        {"nodes", "-1", "column nodes: '-1' is not a non-negative integer"},
        {"bytes", "8.5", "column bytes: '8.5' is not a positive integer"},
        {"samples", "", "column samples: '' is not a non-negative integer"},
        {"t_median_us", "nan", "column t_median_us: 'nan' is not a finite number >= 0"},
        {"busbw_GBps", "-2", "column busbw_GBps: '-2' is not a finite number >= 0"},
        {"valid", "maybe", "column valid: 'maybe' is not pass, fail or skipped"},
        {"stop", "never", "column stop: 'never' is not precision, iters or time"},
        {"dtype", "a_name_longer_than_thirty_one_chars",
         "column dtype: 'a_name_longer_than_thirty_one_chars' is longer than 31"},
        {"bytes", "0x10", "column bytes: '0x10' is not a positive integer (not a plain decimal"},
        {"t_median_us", "0x1p1", "column t_median_us: '0x1p1' is not a finite number >= 0 (not a "
         "plain decimal"},
        {"t_median_us", "2.5e", "'2.5e' is not a finite number >= 0 (not a plain decimal"},
        {"t_max_us", "1e999", "column t_max_us: '1e999' is not a finite number >= 0 (out of range)"},
        {"ranks", " 8", "column ranks: ' 8' is not a positive integer (not a plain decimal"},
        {"run_id", "a\"b", "column run_id: 'a\"b' is not a name (printable ASCII, no ',' or '\"')"},
        {"mem", "a\x1a" "b", "column mem: 'a\\x1ab' is not a name"},
        {"faults_per_call", "", "column faults_per_call: '' is not a finite number >= 0 (empty)"},
        {"energy_pkg_J_per_call", "-1", "column energy_pkg_J_per_call: '-1' is not a finite "
         "number >= 0 or empty"},
        {"energy_pJ_per_byte", "nan", "column energy_pJ_per_byte: 'nan' is not a finite number "
         ">= 0 or empty (not a plain decimal"},
    };
    cr_result_t r;
    char why[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int c = cr_schema_find(cases[i].col);
        CU_ASSERT_FATAL(c >= 0);
        CU_ASSERT_EQUAL(cr_schema_parse(&cr_schema[c], cases[i].text, &r, why, sizeof why), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, cases[i].want));
        if (!strstr(why, cases[i].want)) printf("\n  %s: got '%s'\n", cases[i].col, why);
    }
}

static void test_writer_unwritable(void)
{
    cr_writer_t w = {0};
    cr_log_quiet(1);
    CU_ASSERT_EQUAL(cr_writer_open(&w, &cr_writer_csv, "/nonexistent/dir", NULL, NULL), CR_ERR_IO);
    cr_log_quiet(0);
    CU_ASSERT_PTR_NULL(w.fp);
}

/* ---- overlap arithmetic and the compute kernel ---- */

#define IV(m, l, h) ((cr_overlap_ival_t){ .med = (m), .lo = (l), .hi = (h) })

static const struct {
    const char *what;
    cr_overlap_ival_t pure, compute, overlapped;
    double ov, lo, hi;
    int rc;
} overlap_cases[] = {
    {"hidden entirely", IV(100, 100, 100), IV(200, 200, 200), IV(200, 200, 200), 1, 1, 1, 0},
    {"not at all: the sum", IV(100, 100, 100), IV(200, 200, 200), IV(300, 300, 300), 0, 0, 0, 0},
    {"half", IV(100, 100, 100), IV(200, 200, 200), IV(250, 250, 250), 0.5, 0.5, 0.5, 0},
    {"worse than the sum: clamped to 0", IV(100, 100, 100), IV(200, 200, 200), IV(400, 390, 410),
     0, 0, 0, 0},
    {"faster than compute: clamped to 1", IV(100, 100, 100), IV(200, 200, 200), IV(190, 185, 195),
     1, 1, 1, 0},
    /* corners: lo = 1 − (260 − 195)/90, hi = 1 − (240 − 205)/110 */
    {"interval from the corners", IV(100, 90, 110), IV(200, 195, 205), IV(250, 240, 260), 0.5,
     1 - 65.0 / 90, 1 - 35.0 / 110, 0},
    {"interval clamped", IV(100, 50, 150), IV(200, 150, 250), IV(250, 200, 300), 0.5, 0, 1, 0},
    {"pure of zero", IV(0, 0, 0), IV(1, 1, 1), IV(1, 1, 1), NAN, NAN, NAN, -1},
    {"pure CI reaching zero", IV(10, 0, 20), IV(1, 1, 1), IV(1, 1, 1), NAN, NAN, NAN, -1},
    {"not finite", IV(10, 9, 11), IV(NAN, 1, 1), IV(1, 1, 1), NAN, NAN, NAN, -1},
};

static void test_overlap_formula(void)
{
    for (size_t i = 0; i < sizeof overlap_cases / sizeof *overlap_cases; i++) {
        double ov, lo, hi;
        int rc = cr_overlap_compute(overlap_cases[i].pure, overlap_cases[i].compute,
                                    overlap_cases[i].overlapped, &ov, &lo, &hi);
        CU_ASSERT_EQUAL(rc, overlap_cases[i].rc);
        if (rc != 0) {
            CU_ASSERT(isnan(ov) && isnan(lo) && isnan(hi));
            continue;
        }
        NEAR(ov, overlap_cases[i].ov);
        NEAR(lo, overlap_cases[i].lo);
        NEAR(hi, overlap_cases[i].hi);
        CU_ASSERT(0 <= lo && lo <= ov && ov <= hi && hi <= 1);
        if (fabs(ov - overlap_cases[i].ov) > 1e-9 || fabs(lo - overlap_cases[i].lo) > 1e-9)
            printf("\n  %s: %g [%g, %g]\n", overlap_cases[i].what, ov, lo, hi);
    }
}

static const struct { long units; int chunks, i; long end; } chunk_cases[] = {
    {160, 16, 0, 10}, {160, 16, 15, 160}, {17, 16, 0, 1}, {17, 16, 14, 15}, {17, 16, 15, 17},
    {5, 16, 0, 0}, {5, 16, 3, 1}, {5, 16, 15, 5}, {1, 1, 0, 1},
};

static void test_kernel_chunks(void)
{
    for (size_t i = 0; i < sizeof chunk_cases / sizeof *chunk_cases; i++)
        CU_ASSERT_EQUAL(cr_kernel_chunk_end(chunk_cases[i].units, chunk_cases[i].chunks,
                                            chunk_cases[i].i), chunk_cases[i].end);
    /* the chunks cover the units once, in order */
    for (long u = 0; u < 40; u++) {
        long prev = 0;
        for (int i = 0; i < 16; i++) {
            long e = cr_kernel_chunk_end(u, 16, i);
            CU_ASSERT(e >= prev);
            prev = e;
        }
        CU_ASSERT_EQUAL(prev, u);
    }
}

static double kernel_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The kernel's result is the same for the same passes (the work is real and
 * deterministic); calibration grows with the target. */
static void test_kernel_run(void)
{
    cr_kernel_t k, k2;
    long small, large;
    CU_ASSERT_EQUAL_FATAL(cr_kernel_init(&k), CR_OK);
    CU_ASSERT_EQUAL_FATAL(cr_kernel_init(&k2), CR_OK);
    NEAR(cr_kernel_run(&k, 7), cr_kernel_run(&k2, 7));
    CU_ASSERT(isfinite(cr_kernel_run(&k, 1001)));
    CU_ASSERT_EQUAL(cr_kernel_calibrate(&k, 0, kernel_now), 1);
    small = cr_kernel_calibrate(&k, 20, kernel_now);
    large = cr_kernel_calibrate(&k, 20000, kernel_now);
    CU_ASSERT(small >= 1);
    CU_ASSERT(large > 10 * small);   /* 1000× the target; loose for a loaded machine */
    cr_kernel_free(&k);
    cr_kernel_free(&k2);
}

static CU_TestInfo overlap_tests[] = {
    {"overlap and its interval (table)", test_overlap_formula},
    {"kernel chunks for overlap_test", test_kernel_chunks},
    {"kernel result and calibration", test_kernel_run},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo sizes_tests[] = {
    {"good specs", test_sizes_good},
    {"8:64M doubles", test_sizes_geometric},
    {"bad specs name the value", test_sizes_bad},
    {"format", test_size_format},
    CU_TEST_INFO_NULL,
};
static CU_TestInfo stats_tests[] = {
    {"median CI ranks", test_median_ci_ranks},
    {"percentiles (linear interpolation)", test_percentiles},
    {"summary with a straggler", test_summarize},
    {"stddev, no outliers", test_stddev},
    {"relative CI half-width", test_rel_ci},
    CU_TEST_INFO_NULL,
};
static CU_TestInfo opts_tests[] = {
    {"defaults", test_opts_defaults},
    {"good options", test_opts_good},
    {"bad options name the value", test_opts_bad},
    {"cadence lists and their record", test_opts_cadence},
    {"every option in --help and the parser", test_every_option_in_help_and_parser},
    CU_TEST_INFO_NULL,
};
static CU_TestInfo writer_tests[] = {
    {"csv header is the contract", test_csv_contract_header},
    {"csv golden", test_csv_golden},
    {"jsonl golden and parse", test_jsonl_golden},
    {"schema: every column round-trips (csv, json)", test_schema_roundtrip},
    {"schema: the readers' presence set spans CR_SCHEMA_MAX columns", test_schema_set},
    {"schema: energy columns empty when not measured", test_schema_empty},
    {"schema: bad values name column and value", test_schema_bad_values},
    {"schema: overlap columns empty when not measured", test_schema_empty},
    {"unwritable directory", test_writer_unwritable},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {
    {"sizes", NULL, NULL, NULL, NULL, sizes_tests},
    {"stats", NULL, NULL, NULL, NULL, stats_tests},
    {"options", NULL, NULL, NULL, NULL, opts_tests},
    {"writers", NULL, NULL, NULL, NULL, writer_tests},
    {"overlap", NULL, NULL, NULL, NULL, overlap_tests},
    CU_SUITE_INFO_NULL,
};

int main(void) { return cu_run(suites); }
