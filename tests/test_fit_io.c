/* collroof-fit reader, writer and predict tests. */
#include "config.h"

#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "coll_want.h"
#include "cr_num.h"
#include "fit_group.h"
#include "fit_predict.h"
#include "fit_read.h"
#include "fit_write.h"

#define HDR "run_id,collective,level,cadence,ranks,nodes,ppn,groups,bytes,block_bytes,dtype," \
            "samples,stop,t_min_us,t_median_us,t_ci_lo_us,t_ci_hi_us,t_mean_us,t_p90_us,"     \
            "t_p99_us,t_max_us,algbw_GBps,busbw_GBps,valid\n"
#define ROW(bytes, t) "r1,allreduce,node,isolated,2,1,2,1," bytes "," bytes ",float,10,precision," \
                      "1," t "," t "," t ",1,1,1,1,0.5,0.5,pass\n"
#define META "{\"type\":\"metadata\",\"ceilings\":{\"nominal\":[{\"host\":\"a\",\"GBps\":12.5}," \
             "{\"host\":\"b\",\"GBps\":3}],\"memcpy\":[{\"host\":\"a\",\"numa\":0,\"GBps\":9.5}]}}\n"
#define JROW(bytes, t, extra) "{\"type\":\"measurement\",\"collective\":\"allreduce\"," \
    "\"level\":\"node\",\"cadence\":\"isolated\",\"ranks\":2,\"nodes\":1,\"ppn\":2,"   \
    "\"bytes\":" bytes ",\"t_median_us\":" t ",\"t_ci_lo_us\":" t ",\"t_ci_hi_us\":" t   \
    ",\"algbw_GBps\":1,\"busbw_GBps\":1,\"valid\":\"pass\"" extra "}\n"

/* results.csv with the appended faults_per_call column (and one before it). */
#define FHDR "run_id,collective,level,cadence,ranks,nodes,ppn,groups,bytes,block_bytes,dtype," \
             "samples,stop,t_min_us,t_median_us,t_ci_lo_us,t_ci_hi_us,t_mean_us,t_p90_us,"    \
             "t_p99_us,t_max_us,algbw_GBps,busbw_GBps,valid,cold_cache,faults_per_call\n"
#define FROW(bytes, f) "r1,allreduce,node,isolated,2,1,2,1," bytes "," bytes ",float,10," \
                       "precision,1,2,2,2,1,1,1,1,0.5,0.5,pass,0," f "\n"

/* results.csv with the group key's appended columns: dtype (contract), in_place, variant. */
#define VHDR "run_id,collective,level,cadence,ranks,nodes,ppn,groups,bytes,block_bytes,dtype," \
             "samples,stop,t_min_us,t_median_us,t_ci_lo_us,t_ci_hi_us,t_mean_us,t_p90_us,"    \
             "t_p99_us,t_max_us,algbw_GBps,busbw_GBps,valid,in_place,variant\n"
#define VROW(dt, ip, var, bytes) "r1,allreduce,node,isolated,2,1,2,1," bytes "," bytes "," dt \
                                 ",10,precision,1,2,2,2,1,1,1,1,0.5,0.5,pass," ip "," var "\n"
#define VPAIR(dt, ip, var) VROW(dt, ip, var, "8") VROW(dt, ip, var, "16")

/* results.csv with the appended energy columns: empty where not measured. */
#define EHDR "run_id,collective,level,cadence,ranks,nodes,ppn,groups,bytes,block_bytes,dtype," \
             "samples,stop,t_min_us,t_median_us,t_ci_lo_us,t_ci_hi_us,t_mean_us,t_p90_us,"    \
             "t_p99_us,t_max_us,algbw_GBps,busbw_GBps,valid,energy_loop_s,"                   \
             "energy_pkg_J_per_call,energy_pkg_J_per_call_sum,energy_dram_J_per_call,"       \
             "energy_dram_J_per_call_sum,energy_pJ_per_byte,energy_pJ_per_byte_sum,future\n"
#define EROW(bytes, e) "r1,allreduce,node,isolated,2,1,2,1," bytes "," bytes ",float,10," \
                       "precision,1,2,2,2,1,1,1,1,0.5,0.5,pass," e ",x\n"

static char tmpdir[256];

static double rel(double a, double b) { return fabs(a - b) / fabs(b); }

static const char *write_tmp(const char *name, const char *content)
{
    static char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    fputs(content, f);
    fclose(f);
    return path;
}

/* Each bad input: strict read fails with CR_ERR_INVAL; lenient read keeps
 * `lenient_rows` rows (-1: fails even when lenient). */
static const struct bad_case {
    const char *name, *content;
    int lenient_rows;
} bad_cases[] = {
    { "empty.csv", "", -1 },
    { "blank.jsonl", "\n\n", -1 },
    { "nohdr.csv", "run_id,collective\n" ROW("8", "1.5"), -1 },
    { "trunc.csv", HDR ROW("8", "1.5") "r1,allreduce,node,iso\n" ROW("16", "2"), 2 },
    { "type.csv", HDR ROW("8", "abc") ROW("16", "2"), 1 },
    { "nan.csv", HDR ROW("8", "nan") ROW("16", "2"), 1 },
    { "neg.csv", HDR ROW("8", "-3") ROW("16", "2"), 1 },
    { "zero.csv", HDR ROW("0", "3") ROW("16", "2"), 1 },
    { "bytes.csv", HDR ROW("8.5", "3") ROW("16", "2"), 1 },
    { "valid.csv", HDR "r1,allreduce,node,isolated,2,1,2,1,8,8,float,10,precision,1,1,1,1,1,1,1,1,"
                   "0.5,0.5,maybe\n" ROW("16", "2"), 1 },
    { "onlyhdr.csv", HDR, -1 },
    { "garbage.jsonl", META "{not json\n" JROW("8", "1.5", ""), 1 },
    { "trunc.jsonl", META JROW("8", "1.5", "") "{\"type\":\"measurement\",\"collec\n"
                     JROW("16", "2", ""), 2 },
    { "cadence.csv", HDR "r1,allreduce,node,sometimes,2,1,2,1,8,8,float,10,precision,1,1,1,1,1,1,"
                     "1,1,0.5,0.5,pass\n" ROW("16", "2"), 1 },
    { "hex.csv", HDR ROW("0x10", "1.5") ROW("16", "2"), 1 },
    { "space.csv", HDR ROW(" 8", "1.5") ROW("16", "2"), 1 },
    { "cut.csv", HDR ROW("8", "1.") ROW("16", "2"), 1 },
    { "inf.csv", HDR ROW("8", "inf") ROW("16", "2"), 1 },
    { "quote.csv", HDR "r\"1,allreduce,node,isolated,2,1,2,1,8,8,float,10,precision,1,1,1,1,1,1,"
                   "1,1,0.5,0.5,pass\n" ROW("16", "2"), 1 },
    { "quote.jsonl", META JROW("8", "1.5", ",\"run_id\":\"a\\\"b\"") JROW("16", "2", ""), 1 },
    { "newline.jsonl", META JROW("8", "1.5", ",\"mem\":\"a\\nb\"") JROW("16", "2", ""), 1 },
    { "rawmed.jsonl", META JROW("8", "1.5", ",\"raw_us\":[10,11,12]") JROW("16", "2", ""), 1 },
    { "wrongtype.jsonl", META JROW("8", "\"1.5\"", "") JROW("16", "2", ""), 1 },
    { "missing.jsonl", META "{\"type\":\"measurement\",\"collective\":\"allreduce\"}\n"
                       JROW("16", "2", ""), 1 },
    { "nan.jsonl", META JROW("8", "NaN", "") JROW("16", "2", ""), 1 },
    { "negraw.jsonl", META JROW("8", "1.5", ",\"raw_us\":[1.5,-2]") JROW("16", "2", ""), 1 },
    { "strraw.jsonl", META JROW("8", "1.5", ",\"raw_us\":[1.5,\"x\"]") JROW("16", "2", ""), 1 },
    { "rawobj.jsonl", META JROW("8", "1.5", ",\"raw_us\":{}") JROW("16", "2", ""), 1 },
    { "badtype.jsonl", META "{\"type\":\"other\"}\n" JROW("16", "2", ""), 1 },
    { "array.jsonl", META "[1,2]\n" JROW("16", "2", ""), 1 },
    { "negbytes.jsonl", META JROW("-8", "1.5", "") JROW("16", "2", ""), 1 },
    { "ci.csv", HDR "r1,allreduce,node,isolated,2,1,2,1,8,8,float,10,precision,1,5,6,7,1,1,1,1,"
                "0.5,0.5,pass\n" ROW("16", "2"), 1 },
    { "faults.csv", FHDR FROW("8", "-1") FROW("16", "2"), 1 },
    { "faults2.csv", FHDR FROW("8", "x") FROW("16", "2"), 1 },
    { "faults.jsonl", META JROW("8", "1.5", ",\"faults_per_call\":\"many\"") JROW("16", "2", ""), 1 },
    { "faults2.jsonl", META JROW("8", "1.5", ",\"faults_per_call\":-3") JROW("16", "2", ""), 1 },
    { "energy.csv", EHDR EROW("8", "0.5,-1,,,,,") EROW("16", ",,,,,,"), 1 },
    { "energy2.csv", EHDR EROW("8", "0.5,nan,,,,,") EROW("16", ",,,,,,"), 1 },
    { "energy.jsonl", META JROW("8", "1.5", ",\"energy_pJ_per_byte\":\"\"") JROW("16", "2", ""), 1 },
    { "coll.csv", HDR "r1,nosuch,node,isolated,2,1,2,1,8,8,float,10,precision,1,1,1,1,1,1,1,1,"
                  "0.5,0.5,pass\n" ROW("16", "2"), 1 },
    { "coll.jsonl", META "{\"type\":\"measurement\",\"collective\":\"nosuch\",\"level\":"
                    "\"node\",\"cadence\":\"isolated\",\"ranks\":2,\"nodes\":1,\"ppn\":2,"
                    "\"bytes\":8,\"t_median_us\":1,\"t_ci_lo_us\":1,\"t_ci_hi_us\":1,"
                    "\"algbw_GBps\":1,\"busbw_GBps\":1,\"valid\":\"pass\"}\n" JROW("16", "2", ""), 1 },
};

/* An empty set (predict on a fit directory without roofline rows) finishes: no
 * qsort of a NULL array, which UBSan reports (tests/sanitizers/run-sanitized). */
static void test_set_empty(void)
{
    cr_fit_set_t set;
    cr_fit_set_init(&set);
    cr_fit_set_finish(&set);
    CU_ASSERT_EQUAL(set.ngroups, 0);
    cr_fit_set_free(&set);
}

static void test_reader_errors(void)
{
    cr_log_quiet(1);
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const struct bad_case *c = &bad_cases[i];
        const char *p = write_tmp(c->name, c->content);
        cr_fit_read_opts_t strict = { 0 }, len = { 1 };
        cr_fit_set_t set;
        cr_status_t st;
        cr_fit_set_init(&set);
        st = cr_fit_read_path(p, &strict, &set);
        if (st != CR_ERR_INVAL) printf("\n  case %s: strict status %d\n", c->name, st);
        CU_ASSERT_EQUAL(st, CR_ERR_INVAL);
        cr_fit_set_free(&set);
        cr_fit_set_init(&set);
        st = cr_fit_read_path(p, &len, &set);
        if (c->lenient_rows < 0) {
            CU_ASSERT_NOT_EQUAL(st, CR_OK);
        } else {
            CU_ASSERT_EQUAL(st, CR_OK);
            CU_ASSERT_EQUAL(set.rows, (size_t)c->lenient_rows);
            if (st != CR_OK || set.rows != (size_t)c->lenient_rows)
                printf("\n  case %s: lenient status %d rows %zu\n", c->name, st, set.rows);
        }
        cr_fit_set_free(&set);
    }
    {
        cr_fit_read_opts_t o = { 0 };
        cr_fit_set_t set;
        char p[512];
        snprintf(p, sizeof p, "%s/does-not-exist", tmpdir);
        cr_fit_set_init(&set);
        CU_ASSERT_EQUAL(cr_fit_read_path(p, &o, &set), CR_ERR_IO);
        CU_ASSERT_EQUAL(cr_fit_read_path(tmpdir, &o, &set), CR_ERR_IO);   /* no results.* */
        cr_fit_set_free(&set);
    }
    cr_log_quiet(0);
}

/* The strict number parser: each text, whether it is a finite decimal number (and its
 * value), and whether it is a decimal integer. */
static const struct num_case {
    const char *text;
    int is_double;
    double value;
    int is_int;
} num_cases[] = {
    { "0", 1, 0, 1 },             { "42", 1, 42, 1 },          { "-7", 1, -7, 1 },
    { "007", 1, 7, 1 },           { "2.5", 1, 2.5, 0 },        { "-0.125", 1, -0.125, 0 },
    { "1e6", 1, 1e6, 0 },         { "1.5E-3", 1, 1.5e-3, 0 },  { "2.5e+02", 1, 250, 0 },
    { "", 0, 0, 0 },              { " 1", 0, 0, 0 },           { "1 ", 0, 0, 0 },
    { "+1", 0, 0, 0 },            { "0x10", 0, 0, 0 },         { "0x1p1", 0, 0, 0 },
    { "inf", 0, 0, 0 },           { "-inf", 0, 0, 0 },         { "infinity", 0, 0, 0 },
    { "nan", 0, 0, 0 },           { "NaN", 0, 0, 0 },          { "2.", 0, 0, 0 },
    { ".5", 0, 0, 0 },            { "2.5e", 0, 0, 0 },         { "2.5e-", 0, 0, 0 },
    { "1e400", 0, 0, 0 },         { "1e-400", 0, 0, 0 },       { "1.5x", 0, 0, 0 },
    { "2\x1a" "5", 0, 0, 0 },   { "-", 0, 0, 0 },            { "1,5", 0, 0, 0 },
    { "99999999999999999999", 1, 1e20, 0 },
};

static void test_num_strict(void)
{
    for (size_t i = 0; i < sizeof num_cases / sizeof *num_cases; i++) {
        const struct num_case *c = &num_cases[i];
        double d = -1;
        long long v = -1;
        const char *bd = cr_num_double(c->text, &d), *bi = cr_num_int(c->text, &v);
        if ((bd == NULL) != c->is_double || (bi == NULL) != c->is_int)
            printf("\n  '%s': double %s, int %s\n", c->text, bd ? bd : "ok", bi ? bi : "ok");
        CU_ASSERT_EQUAL(bd == NULL, c->is_double);
        CU_ASSERT_EQUAL(bi == NULL, c->is_int);
        if (c->is_double) CU_ASSERT_DOUBLE_EQUAL(d, c->value, 1e-12 * fabs(c->value));
        if (!c->is_double) CU_ASSERT_EQUAL(d, -1);   /* untouched on failure */
        if (c->is_int) CU_ASSERT_EQUAL((double)v, c->value);
    }
}

/* A last line without a newline that does not parse is a write cut short: ignored
 * with a warning, strict or not. One that parses is a row. Duplicate rows (same key):
 * the first kept. Each case: rows read strictly, and the 8-byte point's median. */
static const struct torn_case {
    const char *name, *content;
    size_t rows;
    double t8;
} torn_cases[] = {
    { "torn.csv", HDR ROW("8", "1.5") ROW("16", "2") "r1,allreduce,node,iso", 2, 1.5 },
    { "torn2.csv", HDR ROW("8", "1.5") ROW("16", "2") "r1,allreduce,node,isolated,2,1,2,1,32,"
                   "32,float,10,precision,1,3,3,3,1,1,1,1,0.5,0.5,pa", 2, 1.5 },
    { "torn.jsonl", META JROW("8", "1.5", "") JROW("16", "2", "") "{\"type\":\"measurement\","
                    "\"bytes\":3", 2, 1.5 },
    { "noeol.csv", HDR ROW("8", "1.5") "r1,allreduce,node,isolated,2,1,2,1,16,16,float,10,"
                   "precision,1,2,2,2,1,1,1,1,0.5,0.5,pass", 2, 1.5 },
    { "dup.csv", HDR ROW("8", "1.5") ROW("16", "2") ROW("8", "9") ROW("8", "7"), 2, 1.5 },
    { "dup.jsonl", META JROW("8", "1.5", "") JROW("8", "9", "") JROW("16", "2", ""), 2, 1.5 },
    { "notdup.csv", HDR ROW("8", "1.5") ROW("16", "2")
                    "r2,allreduce,node,isolated,2,1,2,1,8,8,float,10,precision,1,3,3,3,1,1,1,1,"
                    "0.5,0.5,pass\n", 3, 1.5 },
};

static void test_reader_torn_dups(void)
{
    cr_log_quiet(1);
    for (size_t i = 0; i < sizeof torn_cases / sizeof *torn_cases; i++) {
        const struct torn_case *c = &torn_cases[i];
        cr_fit_read_opts_t strict = { 0 };
        cr_fit_set_t set;
        cr_status_t st;
        cr_fit_set_init(&set);
        st = cr_fit_read_path(write_tmp(c->name, c->content), &strict, &set);
        if (st != CR_OK || set.rows != c->rows)
            printf("\n  case %s: status %d rows %zu\n", c->name, st, set.rows);
        CU_ASSERT_EQUAL(st, CR_OK);
        CU_ASSERT_EQUAL(set.rows, c->rows);
        cr_fit_set_finish(&set);
        CU_ASSERT_TRUE(set.ngroups >= 1 && set.groups[0].npts >= 1 &&
                       set.groups[0].pts[0].bytes == 8 && set.groups[0].pts[0].t_med == c->t8);
        cr_fit_set_free(&set);
    }
    cr_log_quiet(0);
}

/* faults_per_call: read from either format when present (NAN when absent), and the
 * fault-bound test on the largest sizes: >= 16 faults and >= 10% of S in 4 KiB pages. */
static void test_faults(void)
{
    cr_fit_read_opts_t o = { 0 };
    cr_fit_set_t set;
    size_t from = 99;
    const char *csv = write_tmp("faults-ok.csv", FHDR FROW("1048576", "300") FROW("4096", "0.01")
                                FROW("4194304", "1100") FROW("65536", "0"));
    cr_fit_set_init(&set);
    CU_ASSERT_EQUAL_FATAL(cr_fit_read_path(csv, &o, &set), CR_OK);
    cr_fit_set_finish(&set);
    CU_ASSERT_EQUAL_FATAL(set.groups[0].npts, 4);
    CU_ASSERT_DOUBLE_EQUAL(set.groups[0].pts[0].faults, 0.01, 1e-12);   /* 4K, sorted */
    CU_ASSERT_DOUBLE_EQUAL(set.groups[0].pts[3].faults, 1100, 1e-12);   /* 4M */
    /* 1M: 300 pages = 1.17 MiB >= 10%; 4M: 1100 pages = 4.3 MiB; 64K: 0 -> stops there. */
    CU_ASSERT_EQUAL(cr_fit_fault_bound(&set.groups[0], &from), 2);
    CU_ASSERT_EQUAL(from, 2);
    /* 4M with 100 faults = 400 KiB < 10% of 4 MiB: no note at all. */
    set.groups[0].pts[3].faults = 100;
    CU_ASSERT_EQUAL(cr_fit_fault_bound(&set.groups[0], &from), 0);
    /* 15 faults at 4K (60 KiB >> S) is under the 16-fault floor. */
    set.groups[0].pts[3].faults = 15;
    set.groups[0].pts[3].bytes = 4096;
    CU_ASSERT_EQUAL(cr_fit_fault_bound(&set.groups[0], &from), 0);
    cr_fit_set_free(&set);

    /* Absent (the contract columns only, or a JSONL line without the key): NAN, no note. */
    cr_fit_set_init(&set);
    CU_ASSERT_EQUAL_FATAL(cr_fit_read_path(write_tmp("nofaults.csv", HDR ROW("8", "1.5")
                                                     ROW("16", "2")), &o, &set), CR_OK);
    cr_fit_set_finish(&set);
    CU_ASSERT(isnan(set.groups[0].pts[1].faults));
    CU_ASSERT_EQUAL(cr_fit_fault_bound(&set.groups[0], &from), 0);
    cr_fit_set_free(&set);
    cr_fit_set_init(&set);
    CU_ASSERT_EQUAL_FATAL(cr_fit_read_path(write_tmp("faults-ok.jsonl", META
                          JROW("8", "1.5", "") JROW("1048576", "900", ",\"faults_per_call\":256")),
                          &o, &set), CR_OK);
    cr_fit_set_finish(&set);
    CU_ASSERT(isnan(set.groups[0].pts[0].faults));
    CU_ASSERT_DOUBLE_EQUAL(set.groups[0].pts[1].faults, 256, 1e-12);
    CU_ASSERT_EQUAL(cr_fit_fault_bound(&set.groups[0], &from), 1);     /* 1 MiB = 100% */
    CU_ASSERT_EQUAL(from, 1);
    cr_fit_set_free(&set);
}

/* The energy columns, empty (no counters) or filled, and JSON null or numbers, are
 * read without complaint: collroof-fit fits the times beside them. */
static void test_energy_columns(void)
{
    static const struct { const char *name, *content; } cases[] = {
        { "energy-empty.csv", EHDR EROW("8", ",,,,,,") EROW("16", ",,,,,,") },
        { "energy-full.csv", EHDR EROW("8", "0.5,0.25,0.5,0.0125,0.025,32768000000,65536000000")
                             EROW("16", "0.5,0.25,0.5,,,15625000000,31250000000") },
        { "energy-null.jsonl", META JROW("8", "1.5", ",\"energy_pkg_J_per_call\":null,"
                                         "\"energy_pJ_per_byte\":null")
                               JROW("16", "2", ",\"energy_pkg_J_per_call\":0.25,"
                                    "\"energy_pJ_per_byte_sum\":12.5") },
    };
    cr_fit_read_opts_t o = { 0 };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_fit_set_t set;
        cr_fit_set_init(&set);
        CU_ASSERT_EQUAL(cr_fit_read_path(write_tmp(cases[i].name, cases[i].content), &o, &set),
                        CR_OK);
        cr_fit_set_finish(&set);
        CU_ASSERT_EQUAL(set.ngroups, 1);
        if (set.ngroups == 1) CU_ASSERT_EQUAL(set.groups[0].npts, 2);
        cr_fit_set_free(&set);
    }
}

static void test_reader_ok(void)
{
    const char *csv = write_tmp("ok.csv", HDR ROW("16", "2") ROW("8", "1.5"));
    cr_fit_read_opts_t o = { 0 };
    cr_fit_set_t set;
    const char *js;
    cr_fit_set_init(&set);
    CU_ASSERT_EQUAL_FATAL(cr_fit_read_path(csv, &o, &set), CR_OK);
    cr_fit_set_finish(&set);
    CU_ASSERT_EQUAL(set.ngroups, 1);
    CU_ASSERT_EQUAL(set.groups[0].npts, 2);
    CU_ASSERT_EQUAL(set.groups[0].pts[0].bytes, 8);                /* sorted by size */
    CU_ASSERT_DOUBLE_EQUAL(set.groups[0].F, 1.0, 1e-12);           /* 2(p-1)/p at p=2 */
    cr_fit_set_free(&set);
    js = write_tmp("ok.jsonl", META JROW("8", "1.5", ",\"raw_us\":[1.6,1.4,1.5]")
                   "{\"type\":\"measurement\",\"collective\":\"pingpong\",\"level\":\"internode\","
                   "\"cadence\":\"isolated\",\"ranks\":2,\"nodes\":2,\"ppn\":1,\"bytes\":1048576,"
                   "\"t_median_us\":100,\"t_ci_lo_us\":99,\"t_ci_hi_us\":101,\"algbw_GBps\":10.48,"
                   "\"busbw_GBps\":10.48,\"valid\":\"pass\"}\n");
    cr_fit_set_init(&set);
    CU_ASSERT_EQUAL_FATAL(cr_fit_read_path(js, &o, &set), CR_OK);
    cr_fit_set_finish(&set);
    CU_ASSERT_EQUAL(set.ngroups, 2);
    CU_ASSERT_EQUAL(set.samples, 3);
    CU_ASSERT_DOUBLE_EQUAL(set.ceil.nominal_GBps, 3.0, 1e-12);     /* slowest host's best NIC */
    CU_ASSERT_DOUBLE_EQUAL(set.ceil.memcpy_GBps, 9.5, 1e-12);
    {
        cr_fit_group_t g = { .level = "world", .collective = "allreduce", .nodes = 2 };
        /* A pingpong_bidir at 12 GB/s each way (busbw 24) does not double the link. */
        cr_fit_set_t s2;
        const char *src;
        double v;
        cr_fit_row_t bi = { .collective = "pingpong_bidir", .level = "internode",
                            .cadence = "isolated", .ranks = 2, .nodes = 2, .ppn = 1,
                            .bytes = 1048576, .t_med = 87.381, .t_lo = 87, .t_hi = 88,
                            .algbw = 12.0, .busbw = 24.0, .faults = NAN };
        cr_fit_set_init(&s2);
        CU_ASSERT_EQUAL_FATAL(cr_fit_set_add(&s2, &bi), CR_OK);
        cr_fit_set_finish(&s2);
        CU_ASSERT_DOUBLE_EQUAL(s2.groups[0].F, 2.0, 1e-12);          /* busbw = 2 algbw */
        CU_ASSERT_DOUBLE_EQUAL(cr_coll_find("pingpong_bidir")->bus_factor(2), 2.0, 1e-12);
        cr_fit_link_ceiling(&s2, NULL, 0, &g, &v, &src);   /* no probe fit: its rows */
        CU_ASSERT_DOUBLE_EQUAL(v, 12.0, 1e-12);
        CU_ASSERT_STRING_EQUAL(src, "pingpong-rows");
        cr_fit_set_free(&s2);
    }
    {
        cr_fit_group_t g = { .level = "world", .collective = "allreduce", .nodes = 2 };
        double v;
        const char *src;
        cr_fit_link_ceiling(&set, NULL, 0, &g, &v, &src);
        CU_ASSERT_DOUBLE_EQUAL(v, 10.48, 1e-12);
        CU_ASSERT_STRING_EQUAL(src, "pingpong-rows");
        strcpy(g.level, "node");
        g.nodes = 1;
        cr_fit_link_ceiling(&set, NULL, 0, &g, &v, &src);
        CU_ASSERT_STRING_EQUAL(src, "memcpy");
    }
    cr_fit_set_free(&set);
}

/* A set of allreduce groups at p = 2..32 with α(p) = 1 + 2·log2 p, busbw
 * ceiling 10 GB/s; noise-free, so predictions can be checked exactly. */
static void make_scaling_set(cr_fit_set_t *set, const int *ps, size_t np)
{
    cr_fit_set_init(set);
    for (size_t k = 0; k < np; k++)
        for (int i = 0; i < 20; i++) {
            int p = ps[k];
            double F = 2.0 * (p - 1) / p, S = 8.0 * (1 << i);
            double T = 1 + 2 * cr_fit_log2_ceil(p) + S * F / 10000.0;
            cr_fit_row_t r = { .collective = "allreduce", .level = "world",
                               .cadence = "isolated", .ranks = p, .nodes = 1, .ppn = p,
                               .bytes = (uint64_t)S, .t_med = T, .t_lo = T, .t_hi = T,
                               .algbw = S / T * 1e-3, .busbw = F * S / T * 1e-3 };
            cr_fit_set_add(set, &r);
        }
    cr_fit_set_finish(set);
}

/* Rank counts 5..8 share ceil(log2 p) = 3: the log2 shape is a constant (finite, no
 * NaN), here exact since α(p) = 1 + 2·ceil(log2 p) = 7 for all of them. */
static void test_scaling_degenerate(void)
{
    static const int ps[] = { 5, 6, 7, 8 };
    cr_fit_set_t set;
    cr_fit_report_t rep;
    cr_fit_opts_t o;
    make_scaling_set(&set, ps, 4);
    cr_fit_opts_default(&o);
    o.reps = 20;
    CU_ASSERT_EQUAL_FATAL(cr_fit_report_build(&set, &o, &rep), CR_OK);
    CU_ASSERT_EQUAL_FATAL(rep.nscal, 1);
    CU_ASSERT(isfinite(rep.scal[0].log_a) && isfinite(rep.scal[0].log_rmse));
    CU_ASSERT(rel(rep.scal[0].log_a, 7) < 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(rep.scal[0].log_b, 0, 1e-12);
    CU_ASSERT_EQUAL(rep.scal[0].pmin, 5);
    CU_ASSERT_EQUAL(rep.scal[0].pmax, 8);
    cr_fit_report_free(&rep);
    cr_fit_set_free(&set);
}

static void test_predict_roundtrip(void)
{
    static const int ps[] = { 2, 4, 8, 16 };
    cr_fit_set_t set;
    cr_fit_report_t rep;
    cr_fit_opts_t o;
    cr_fit_model_t m;
    cr_fit_prediction_t pr;
    cr_fit_query_t q = { .collective = "allreduce", .bytes = 1 << 20, .ranks = 8 };
    double F8 = 2.0 * 7 / 8, F64 = 2.0 * 63 / 64;
    make_scaling_set(&set, ps, 4);
    cr_fit_opts_default(&o);
    o.reps = 50;
    CU_ASSERT_EQUAL_FATAL(cr_fit_report_build(&set, &o, &rep), CR_OK);
    CU_ASSERT_EQUAL(rep.nres, 4);
    CU_ASSERT_EQUAL(rep.res[2].k, 1);
    CU_ASSERT(rel(rep.res[2].seg[0].ceiling, 10) < 1e-6);
    CU_ASSERT_EQUAL_FATAL(rep.nscal, 1);
    CU_ASSERT_STRING_EQUAL(rep.scal[0].shape, "log2");
    CU_ASSERT_EQUAL(cr_fit_write_all(tmpdir, &rep), CR_OK);
    CU_ASSERT_EQUAL_FATAL(cr_fit_model_load(tmpdir, &m), CR_OK);
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_OK);              /* measured: interpolate */
    CU_ASSERT(rel(pr.t, 1 + 2 * 3 + (1 << 20) * F8 / 10000.0) < 1e-4);
    CU_ASSERT(!pr.extrapolated);
    CU_ASSERT(pr.t_lo <= pr.t && pr.t <= pr.t_hi);
    q.ranks = 64;                                                      /* unmeasured p */
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT(rel(pr.t, 1 + 2 * 6 + (1 << 20) * F64 / 10000.0) < 1e-3);
    CU_ASSERT(rel(pr.busbw, F64 * (1 << 20) / pr.t * 1e-3) < 1e-9);
    CU_ASSERT(pr.extrapolated);
    q.ranks = 8;
    q.latency_us = 3;                                                  /* what-if */
    q.link_GBps = 20;
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT(rel(pr.t, 3 + (1 << 20) * F8 / 20000.0) < 1e-4);
    q.collective = "bcast";
    cr_log_quiet(1);
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_ERR_INVAL);
    cr_log_quiet(0);
    cr_fit_model_free(&m);
    cr_fit_report_free(&rep);
    cr_fit_set_free(&set);
}

/* Rows differing only in variant, only in dtype or only in in_place are never fitted
 * together: each lands in its own group, labelled so that people can tell them apart.
 * Without the columns (a contract-only CSV): dtype from its column, 0, blocking. */
static void test_variants_apart(void)
{
    static const struct {
        const char *name, *content;
        size_t ngroups;
        const char *label[2];
    } cases[] = {
        { "v-same.csv", VHDR VPAIR("float", "0", "blocking"), 1, { "allreduce" } },
        { "v-variant.csv", VHDR VPAIR("float", "0", "blocking") VPAIR("float", "0", "nonblocking"),
          2, { "allreduce/blocking", "allreduce/nonblocking" } },
        { "v-dtype.csv", VHDR VPAIR("float", "0", "blocking") VPAIR("double", "0", "blocking"),
          2, { "allreduce/double", "allreduce/float" } },
        { "v-inplace.csv", VHDR VPAIR("float", "1", "blocking") VPAIR("float", "0", "blocking"),
          2, { "allreduce/out-of-place", "allreduce/in-place" } },
        { "v-old.csv", HDR ROW("8", "1.5") ROW("16", "2"), 1, { "allreduce" } },
        { "v-variant.jsonl", META JROW("8", "1.5", "") JROW("16", "2", "")
          JROW("8", "1.5", ",\"variant\":\"nonblocking\"")
          JROW("16", "2", ",\"variant\":\"nonblocking\""),
          2, { "allreduce/blocking", "allreduce/nonblocking" } },
    };
    cr_fit_read_opts_t o = { 0 };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_fit_set_t set;
        cr_fit_set_init(&set);
        CU_ASSERT_EQUAL_FATAL(cr_fit_read_path(write_tmp(cases[i].name, cases[i].content), &o,
                                               &set), CR_OK);
        cr_fit_set_finish(&set);
        CU_ASSERT_EQUAL(set.ngroups, cases[i].ngroups);
        if (set.ngroups != cases[i].ngroups) printf("\n  case %s: %zu groups\n", cases[i].name,
                                                    set.ngroups);
        for (size_t g = 0; g < set.ngroups && g < 2; g++) {
            CU_ASSERT_EQUAL(set.groups[g].npts, 2);
            CU_ASSERT_STRING_EQUAL(cr_fit_group_name(&set.groups[g]), cases[i].label[g]);
        }
        if (!strcmp(cases[i].name, "v-old.csv")) {
            CU_ASSERT_STRING_EQUAL(set.groups[0].dtype, "float");
            CU_ASSERT_EQUAL(set.groups[0].in_place, 0);
            CU_ASSERT_EQUAL(set.groups[0].variant, CR_VARIANT_BLOCKING);
        }
        cr_fit_set_free(&set);
    }
    {   /* a bad value of the new column names it */
        cr_fit_set_t set;
        cr_fit_set_init(&set);
        cr_log_quiet(1);
        CU_ASSERT_EQUAL(cr_fit_read_path(write_tmp("v-bad.csv", VHDR VPAIR("float", "0", "maybe")),
                                         &o, &set), CR_ERR_INVAL);
        cr_log_quiet(0);
        cr_fit_set_free(&set);
    }
}

/* Two variants of one collective over p = 2..16 (nonblocking 5 us slower): separate
 * fits and α(p) series; predict refuses to choose between them unless told, and reads
 * the one it is told. */
static void test_predict_variants(void)
{
    static const int ps[] = { 2, 4, 8, 16 };
    cr_fit_set_t set;
    cr_fit_report_t rep;
    cr_fit_opts_t o;
    cr_fit_model_t m;
    cr_fit_prediction_t pr;
    cr_fit_query_t q = { .collective = "allreduce", .bytes = 1 << 20, .ranks = 8 };
    char dir[512];
    cr_fit_set_init(&set);
    for (int v = 0; v < 2; v++)
        for (size_t k = 0; k < 4; k++)
            for (int i = 0; i < 12; i++) {
                int p = ps[k];
                double F = 2.0 * (p - 1) / p, S = 8.0 * (1 << (2 * i));
                double T = 1 + 5 * v + 2 * cr_fit_log2_ceil(p) + S * F / 10000.0;
                cr_fit_row_t r = { .collective = "allreduce", .level = "world",
                                   .cadence = "isolated", .dtype = "float", .variant = v,
                                   .ranks = p, .nodes = 1, .ppn = p, .bytes = (uint64_t)S,
                                   .t_med = T, .t_lo = T, .t_hi = T, .algbw = S / T * 1e-3,
                                   .busbw = F * S / T * 1e-3 };
                CU_ASSERT_EQUAL(cr_fit_set_add(&set, &r), CR_OK);
            }
    cr_fit_set_finish(&set);
    CU_ASSERT_EQUAL(set.ngroups, 8);
    cr_fit_opts_default(&o);
    o.reps = 20;
    CU_ASSERT_EQUAL_FATAL(cr_fit_report_build(&set, &o, &rep), CR_OK);
    CU_ASSERT_EQUAL(rep.nscal, 2);                      /* one α(p) series per variant */
    snprintf(dir, sizeof dir, "%s/variants", tmpdir);
    CU_ASSERT_EQUAL(cr_fit_write_all(dir, &rep), CR_OK);
    CU_ASSERT_EQUAL_FATAL(cr_fit_model_load(dir, &m), CR_OK);
    cr_log_quiet(1);
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_ERR_INVAL);      /* which one? */
    q.variant = "sometimes";
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_ERR_INVAL);
    q.variant = "blocking";
    q.dtype = "double";
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_ERR_INVAL);      /* no such fit */
    cr_log_quiet(0);
    q.dtype = NULL;
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT_EQUAL(pr.variant, CR_VARIANT_BLOCKING);
    CU_ASSERT(rel(pr.t, 1 + 2 * 3 + (1 << 20) * (2.0 * 7 / 8) / 10000.0) < 1e-4);
    q.variant = "nonblocking";
    q.ranks = 64;                                       /* through its own α(p) series */
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT_EQUAL(pr.variant, CR_VARIANT_NONBLOCKING);
    CU_ASSERT_STRING_EQUAL(pr.dtype, "float");
    CU_ASSERT(rel(pr.t, 6 + 2 * 6 + (1 << 20) * (2.0 * 63 / 64) / 10000.0) < 1e-3);
    cr_fit_model_free(&m);
    cr_fit_report_free(&rep);
    cr_fit_set_free(&set);
}

/* Rows at the same rank count on different topologies (4 ranks as 2 x 2 and as 4 x 1,
 * the latter 2x slower) are never one group: two fits told apart by their labels, one
 * alpha(p) series spanning both; predict reads the topology asked for and refuses to
 * guess between them. */
static void test_topology_apart(void)
{
    static const struct { int ranks, nodes, ppn; double slow; } cells[] = {
        { 2, 1, 2, 1 }, { 4, 2, 2, 1 }, { 4, 4, 1, 2 }, { 8, 2, 4, 1 },
    };
    cr_fit_set_t set;
    cr_fit_report_t rep;
    cr_fit_opts_t o;
    cr_fit_model_t m;
    cr_fit_prediction_t pr;
    cr_fit_query_t q = { .collective = "allreduce", .bytes = 1 << 20, .ranks = 4 };
    double F4 = 2.0 * 3 / 4;
    char dir[512];
    cr_fit_set_init(&set);
    for (size_t k = 0; k < sizeof cells / sizeof *cells; k++)
        for (int i = 0; i < 12; i++) {
            int p = cells[k].ranks;
            double F = 2.0 * (p - 1) / p, S = 8.0 * (1 << (2 * i));
            double T = cells[k].slow * (1 + 2 * cr_fit_log2_ceil(p) + S * F / 10000.0);
            cr_fit_row_t r = { .collective = "allreduce", .level = "world",
                               .cadence = "isolated", .dtype = "float", .ranks = p,
                               .nodes = cells[k].nodes, .ppn = cells[k].ppn,
                               .bytes = (uint64_t)S, .t_med = T, .t_lo = T, .t_hi = T,
                               .algbw = S / T * 1e-3, .busbw = F * S / T * 1e-3 };
            CU_ASSERT_EQUAL(cr_fit_set_add(&set, &r), CR_OK);
        }
    cr_fit_set_finish(&set);
    CU_ASSERT_EQUAL_FATAL(set.ngroups, 4);
    CU_ASSERT_EQUAL(set.groups[1].ranks, 4);
    CU_ASSERT_EQUAL(set.groups[1].nodes, 2);
    CU_ASSERT_EQUAL(set.groups[1].ppn, 2);
    CU_ASSERT_EQUAL(set.groups[1].npts, 12);
    CU_ASSERT_EQUAL(set.groups[2].nodes, 4);
    CU_ASSERT_EQUAL(set.groups[2].ppn, 1);
    CU_ASSERT_EQUAL(set.groups[2].npts, 12);
    CU_ASSERT_STRING_EQUAL(cr_fit_group_name(&set.groups[1]), "allreduce/2x2");
    CU_ASSERT_STRING_EQUAL(cr_fit_group_name(&set.groups[2]), "allreduce/4x1");
    CU_ASSERT_STRING_EQUAL(cr_fit_group_name(&set.groups[0]), "allreduce");  /* p=2: one */
    cr_fit_opts_default(&o);
    o.reps = 20;
    CU_ASSERT_EQUAL_FATAL(cr_fit_report_build(&set, &o, &rep), CR_OK);
    CU_ASSERT_EQUAL(rep.nres, 4);
    CU_ASSERT_EQUAL_FATAL(rep.nscal, 1);                /* one series across the cells */
    CU_ASSERT_EQUAL(rep.scal[0].pmin, 2);
    CU_ASSERT_EQUAL(rep.scal[0].pmax, 8);
    CU_ASSERT_STRING_EQUAL(rep.scal[0].label, "allreduce");
    snprintf(dir, sizeof dir, "%s/topology", tmpdir);
    CU_ASSERT_EQUAL(cr_fit_write_all(dir, &rep), CR_OK);
    CU_ASSERT_EQUAL_FATAL(cr_fit_model_load(dir, &m), CR_OK);
    cr_log_quiet(1);
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_ERR_INVAL);      /* which one? */
    q.nodes = 1;
    q.ppn = 4;
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &pr), CR_ERR_INVAL);      /* not measured */
    cr_log_quiet(0);
    q.nodes = 4;
    q.ppn = 1;
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT_EQUAL(pr.nodes, 4);
    CU_ASSERT_EQUAL(pr.ppn, 1);
    CU_ASSERT(rel(pr.t, 2 * (1 + 2 * 2 + (1 << 20) * F4 / 10000.0)) < 1e-4);
    q.nodes = 2;
    q.ppn = 2;
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT_EQUAL(pr.nodes, 2);
    CU_ASSERT(rel(pr.t, 1 + 2 * 2 + (1 << 20) * F4 / 10000.0) < 1e-4);
    q.nodes = q.ppn = 0;
    q.ranks = 8;                                        /* one topology there: no choice */
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT_EQUAL(pr.nodes, 2);
    CU_ASSERT_EQUAL(pr.ppn, 4);
    cr_fit_model_free(&m);
    cr_fit_report_free(&rep);
    cr_fit_set_free(&set);
}

static void test_intensity(void)
{
    cr_fit_intensity_t it;
    /* 1e12 FLOPs, 1e9 bytes, 100 TFLOP/s, 50 GB/s: I = 1000, I* = 2000: comm-bound. */
    cr_fit_intensity_eval(1e12, 1e9, 100e12, 50e9, &it);
    CU_ASSERT_DOUBLE_EQUAL(it.intensity, 1000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(it.critical, 2000, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(it.t_math_us, 10000, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(it.t_comm_us, 20000, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(it.t_overlap_us, 20000, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(it.t_serial_us, 30000, 1e-6);
    CU_ASSERT(!it.compute_bound);
    cr_fit_intensity_eval(1e13, 1e9, 100e12, 50e9, &it);
    CU_ASSERT(it.compute_bound);
}

int test_fit_io_init(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_fit.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

int test_fit_io_clean(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* collroof-fit links the pure build of the plug-ins: the same table as the MPI
 * build (test_coll), and none of the members that need MPI. */
static void test_coll_pure(void)
{
    want_check_pure();
    for (const cr_coll_ops_t *const *c = cr_coll_registry; *c; c++) {
        const cr_coll_ops_t *o = *c;
        CU_ASSERT(!o->setup && !o->teardown && !o->fill && !o->prepare_timed && !o->run &&
                  !o->irun && !o->check);
    }
}

/* predict refuses a collective the registry does not know, and takes F from it. */
static void test_predict_unknown(void)
{
    cr_fit_model_row_t row = { .collective = "allreduce", .level = "world",
                               .cadence = "isolated", .ranks = 4, .segment = 1,
                               .bytes_lo = 8, .bytes_hi = 1 << 20, .alpha = 2,
                               .alpha_lo = 2, .alpha_hi = 2, .rinf = 10, .rinf_lo = 10,
                               .rinf_hi = 10, .ceiling = 15, .F = 1.5 };
    cr_fit_model_t m = { .rows = &row, .n = 1 };
    cr_fit_query_t q = { .collective = "nosuch", .bytes = 1024, .ranks = 4 };
    cr_fit_prediction_t out;
    cr_log_quiet(1);
    CU_ASSERT_EQUAL(cr_fit_predict(&m, &q, &out), CR_ERR_INVAL);
    cr_log_quiet(0);
    q.collective = "allreduce";
    q.ranks = 8;
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &out), CR_OK);
    CU_ASSERT_DOUBLE_EQUAL(out.F, cr_coll_find("allreduce")->bus_factor(8), 1e-15);
}

/* A time from predict is finite and positive, or refused: a segment whose intercept
 * is negative (a later segment's, or the only one fitted from large sizes) used below
 * its sizes or scaled up in ranks, and r_inf = inf with no latency left. */
static void test_predict_floor(void)
{
    static const struct {
        const char *what;
        cr_fit_model_row_t rows[2];
        size_t n;
        uint64_t bytes;
        int ranks;
        cr_status_t st;
        double tmin;            /* the floor the time must reach */
        int scal;               /* with an alpha(p) fit: 1 + 2 ceil(log2 p) */
    } cases[] = {
        { "one segment, alpha < 0, 8 B on 64 ranks",
          { { .segment = 1, .ranks = 8, .bytes_lo = 1 << 20, .bytes_hi = 64 << 20,
              .alpha = -101.9, .alpha_lo = -120, .alpha_hi = -90, .rinf = 10, .rinf_lo = 9,
              .rinf_hi = 11, .F = 1.75 } }, 1, 8, 64, CR_OK, 0, 0 },
        { "one segment, alpha < 0, 8 B on 8 ranks",
          { { .segment = 1, .ranks = 8, .bytes_lo = 1 << 20, .bytes_hi = 64 << 20,
              .alpha = -101.9, .alpha_lo = -120, .alpha_hi = -90, .rinf = 10, .rinf_lo = 9,
              .rinf_hi = 11, .F = 1.75 } }, 1, 8, 8, CR_OK, 0, 0 },
        { "one segment, alpha < 0, alpha(p) fit: 8 B on 64 ranks at least alpha(64)",
          { { .segment = 1, .ranks = 8, .bytes_lo = 1 << 20, .bytes_hi = 64 << 20,
              .alpha = -101.9, .alpha_lo = -120, .alpha_hi = -90, .rinf = 10, .rinf_lo = 9,
              .rinf_hi = 11, .F = 1.75 } }, 1, 8, 64, CR_OK, 13, 1 },
        { "last segment alpha < 0 in range, scaled to 64 ranks",
          { { .segment = 1, .ranks = 8, .bytes_lo = 8, .bytes_hi = 32768, .alpha = 5,
              .alpha_lo = 4, .alpha_hi = 6, .rinf = 2, .rinf_lo = 1.9, .rinf_hi = 2.1, .F = 1.75 },
            { .segment = 2, .ranks = 8, .bytes_lo = 65536, .bytes_hi = 64 << 20,
              .alpha = -101.9, .alpha_lo = -120, .alpha_hi = -90, .rinf = 10, .rinf_lo = 9,
              .rinf_hi = 11, .F = 1.75 } }, 2, 65536, 64, CR_OK, 10, 0 },
        { "r_inf = inf, alpha < 0: refused",
          { { .segment = 1, .ranks = 8, .bytes_lo = 8, .bytes_hi = 1 << 20, .alpha = -5,
              .alpha_lo = -6, .alpha_hi = -4, .rinf = INFINITY, .rinf_lo = 5,
              .rinf_hi = INFINITY, .F = 1.75 } }, 1, 8, 8, CR_ERR_INVAL, 0, 0 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        cr_fit_model_row_t rows[2];
        cr_fit_scaling_t sc = { .collective = "allreduce", .level = "world",
                                .cadence = "isolated", .shape = "log2", .log_a = 1,
                                .log_b = 2, .lin_a = NAN, .lin_b = NAN };
        cr_fit_model_t m = { .rows = rows, .n = cases[c].n, .scal = &sc,
                             .nscal = (size_t)cases[c].scal };
        cr_fit_query_t q = { .collective = "allreduce", .bytes = cases[c].bytes,
                             .ranks = cases[c].ranks };
        cr_fit_prediction_t pr;
        cr_status_t st;
        memcpy(rows, cases[c].rows, sizeof rows);
        for (size_t i = 0; i < m.n; i++) {
            strcpy(rows[i].collective, "allreduce");
            strcpy(rows[i].level, "world");
            strcpy(rows[i].cadence, "isolated");
        }
        cr_log_quiet(1);
        st = cr_fit_predict(&m, &q, &pr);
        cr_log_quiet(0);
        if (st != cases[c].st) fprintf(stderr, "\n  %s: status %d\n", cases[c].what, (int)st);
        CU_ASSERT_EQUAL(st, cases[c].st);
        if (st != CR_OK || cases[c].st != CR_OK) continue;
        if (!(isfinite(pr.t) && pr.t > 0 && pr.t_lo >= 0 && pr.t_lo <= pr.t && pr.t <= pr.t_hi))
            fprintf(stderr, "\n  %s: t %g [%g, %g]\n", cases[c].what, pr.t, pr.t_lo, pr.t_hi);
        CU_ASSERT(isfinite(pr.t) && pr.t > 0);
        CU_ASSERT(pr.t >= cases[c].tmin * (1 - 1e-12));
        CU_ASSERT(pr.t_lo >= 0 && pr.t_lo <= pr.t && pr.t <= pr.t_hi);
        CU_ASSERT(isfinite(pr.algbw) && pr.algbw > 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(pr.basis, "latency floor"));   /* said so */
    }
}

/* Pingpong rows: T = 2 us + S / r, r = 10 GB/s, one size a 1.4x burst (a token
 * bucket). The link ceiling of an internode group is the sustained r (the probe fit's
 * last segment), not the burst; with only two probe sizes, their median. */
static void test_link_sustained(void)
{
    static const struct {
        const char *what;
        int lo, hi;             /* probe sizes 2^lo..2^hi */
        int burst;              /* 2^burst runs 1.4x faster; 0: none */
        double want;
        const char *src;
    } cases[] = {
        { "burst at 256K", 10, 22, 18, 10.0, "pingpong" },
        { "burst at 64K", 10, 22, 16, 10.0, "pingpong" },
        { "no burst", 10, 22, 0, 10.0, "pingpong" },
        { "two sizes only: median of their rates", 21, 22, 0,
          0.5 * ((1 << 21) / (2 + (1 << 21) / 1e4) + (1 << 22) / (2 + (1 << 22) / 1e4)) * 1e-3,
          "pingpong-rows" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        cr_fit_set_t set;
        cr_fit_report_t rep;
        cr_fit_opts_t o;
        const cr_fit_result_t *ar = NULL;
        cr_fit_set_init(&set);
        for (int i = cases[c].lo; i <= cases[c].hi; i++) {
            double S = (double)(1 << i), T = 2 + S / 1e4;
            cr_fit_row_t r = { .collective = "pingpong", .level = "internode",
                               .cadence = "isolated", .ranks = 2, .nodes = 2, .ppn = 1,
                               .bytes = (uint64_t)S, .faults = NAN };
            if (i == cases[c].burst) T /= 1.4;
            r.t_med = r.t_lo = r.t_hi = T;
            r.algbw = r.busbw = S / T * 1e-3;
            CU_ASSERT_EQUAL_FATAL(cr_fit_set_add(&set, &r), CR_OK);
        }
        for (int i = 3; i <= 20; i++) {
            double S = (double)(1 << i), T = 5 + S / 5e3;
            cr_fit_row_t r = { .collective = "allreduce", .level = "world",
                               .cadence = "isolated", .ranks = 2, .nodes = 2, .ppn = 1,
                               .bytes = (uint64_t)S, .t_med = T, .t_lo = T, .t_hi = T,
                               .algbw = S / T * 1e-3, .busbw = S / T * 1e-3, .faults = NAN };
            CU_ASSERT_EQUAL_FATAL(cr_fit_set_add(&set, &r), CR_OK);
        }
        cr_fit_set_finish(&set);
        cr_fit_opts_default(&o);
        o.reps = 0;
        CU_ASSERT_EQUAL_FATAL(cr_fit_report_build(&set, &o, &rep), CR_OK);
        for (size_t i = 0; i < rep.nres; i++)
            if (!strcmp(rep.res[i].g->collective, "allreduce")) ar = &rep.res[i];
        CU_ASSERT_PTR_NOT_NULL_FATAL(ar);
        if (!(rel(ar->link_GBps, cases[c].want) < 0.02) || strcmp(ar->link_src, cases[c].src))
            fprintf(stderr, "\n  %s: link %g GB/s (%s), want %g (%s)\n", cases[c].what,
                    ar->link_GBps, ar->link_src, cases[c].want, cases[c].src);
        CU_ASSERT(rel(ar->link_GBps, cases[c].want) < 0.02);
        CU_ASSERT_STRING_EQUAL(ar->link_src, cases[c].src);
        cr_fit_report_free(&rep);
        cr_fit_set_free(&set);
    }
}

/* A group whose time does not grow with size (r_inf = inf, busbw ceiling inf) beside
 * a memcpy link: the summary says n/a, never "inf" (no "inf%" efficiency). */
static void test_summary_no_inf(void)
{
    cr_fit_set_t set;
    cr_fit_report_t rep;
    cr_fit_opts_t o;
    char path[512], buf[8192];
    size_t n;
    FILE *f;
    cr_fit_set_init(&set);
    for (int i = 3; i <= 20; i++) {
        cr_fit_row_t r = { .collective = "allreduce", .level = "node", .cadence = "isolated",
                           .ranks = 2, .nodes = 1, .ppn = 2, .bytes = (uint64_t)1 << i,
                           .t_med = 5, .t_lo = 5, .t_hi = 5, .faults = NAN };
        r.algbw = r.busbw = (double)r.bytes / 5 * 1e-3;
        CU_ASSERT_EQUAL_FATAL(cr_fit_set_add(&set, &r), CR_OK);
    }
    cr_fit_set_finish(&set);
    set.ceil.memcpy_GBps = 5;
    cr_fit_opts_default(&o);
    o.reps = 0;
    CU_ASSERT_EQUAL_FATAL(cr_fit_report_build(&set, &o, &rep), CR_OK);
    CU_ASSERT_EQUAL_FATAL(rep.nres, 1);
    CU_ASSERT(isinf(rep.res[0].seg[rep.res[0].k - 1].rinf));
    snprintf(path, sizeof path, "%s/summary-inf.txt", tmpdir);
    f = fopen(path, "w+");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(cr_fit_writer_summary.write(f, &rep), CR_OK);
    rewind(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    {   /* "inf" anywhere but in the header's "r_inf" */
        const char *at = buf;
        int seen = 0;
        while ((at = strstr(at, "inf")) != NULL) {
            seen |= at == buf || at[-1] != '_';
            at += 3;
        }
        if (seen) fprintf(stderr, "\n%s", buf);
        CU_ASSERT(!seen);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "n/a"));
    CU_ASSERT_PTR_NULL(strstr(buf, "nan"));
    /* a finite r_inf whose interval is not: no interval printed, never [x, inf] */
    {
        cr_fit_segres_t *z = &rep.res[0].seg[0];
        z->rinf = 12.8;
        z->rinf_lo = INFINITY;
        z->rinf_hi = NAN;
        f = fopen(path, "w+");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        CU_ASSERT_EQUAL(cr_fit_writer_summary.write(f, &rep), CR_OK);
        rewind(f);
        n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        CU_ASSERT_PTR_NOT_NULL(strstr(buf, "12.8 (no interval)"));
        CU_ASSERT_PTR_NULL(strstr(buf, "nan"));
        CU_ASSERT_PTR_NULL(strstr(buf, ", inf"));
    }
    cr_fit_report_free(&rep);
    cr_fit_set_free(&set);
}


/* Ring allgather across 2, 3, 4, 6 hosts at 1 ppn and, at 2 ppn, its world, node and
 * rail groups (the node link shared by 2): predict beyond the measured rank counts
 * answers from the scaling model within 8% of the truth, warns beyond 4x, and the
 * hierarchical projection of 8 x 2 is rail allgather(S/2) + node allgather(S). */
static double ring_t(int p, double S, double B) { return 10.0 * (p - 1) + (p - 1.0) / p * S / B; }

static void test_predict_scaling(void)
{
    static const int hosts[] = { 2, 3, 4, 6 };
    cr_fit_set_t set;
    cr_fit_report_t rep;
    cr_fit_opts_t o;
    cr_fit_model_t m;
    cr_fit_prediction_t pr;
    cr_fit_hier_t h;
    cr_fit_query_t q = { .collective = "allgather", .level = "world", .bytes = 1 << 20 };
    char dir[512], why[256];
    const double B = 12500;   /* bytes per µs of a host's link */
    cr_fit_set_init(&set);
    for (int ppn = 1; ppn <= 2; ppn++)
        for (size_t k = 0; k < 4; k++)
            for (int lv = 0; lv < (ppn == 1 ? 1 : 3); lv++)
                for (int i = 0; i < 12; i++) {
                    static const char *const lvs[] = { "world", "node", "rail" };
                    int N = hosts[k], p = lv == 0 ? N * ppn : lv == 1 ? ppn : N;
                    /* node: shared memory 100x faster; rail: 2 groups share the link */
                    double S = 1024.0 * (1 << i), T = lv == 1 ? ring_t(p, S, 100 * B) / 10
                                                       : ring_t(p, S, lv == 2 ? B / 2 : B / ppn);
                    cr_fit_row_t r = { .collective = "allgather", .cadence = "isolated",
                                       .dtype = "float", .ranks = p, .nodes = N, .ppn = ppn,
                                       .bytes = (uint64_t)S, .t_med = T, .t_lo = T, .t_hi = T,
                                       .algbw = S / T * 1e-3,
                                       .busbw = (p - 1.0) / p * S / T * 1e-3, .faults = NAN };
                    strcpy(r.level, lvs[lv]);
                    CU_ASSERT_EQUAL(cr_fit_set_add(&set, &r), CR_OK);
                }
    cr_fit_set_finish(&set);
    cr_fit_opts_default(&o);
    o.reps = 20;
    CU_ASSERT_EQUAL_FATAL(cr_fit_report_build(&set, &o, &rep), CR_OK);
    snprintf(dir, sizeof dir, "%s/scaling", tmpdir);
    CU_ASSERT_EQUAL(cr_fit_write_all(dir, &rep), CR_OK);
    CU_ASSERT_EQUAL_FATAL(cr_fit_model_load(dir, &m), CR_OK);
    CU_ASSERT(m.nproj >= 3);   /* world ppn 1, world ppn 2, rail ppn 2 (node: nodes fixed) */
    q.nodes = 16;
    q.ppn = 1;
    q.ranks = 16;
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT_STRING_EQUAL(pr.model, "scaling model");
    CU_ASSERT(rel(pr.t, ring_t(16, 1 << 20, B)) < 0.08);
    CU_ASSERT(pr.t_lo < pr.t && pr.t < pr.t_hi && pr.t_lo > 0);
    CU_ASSERT(strstr(pr.basis, "p=2,3,4,6 at ppn=1") != NULL);
    CU_ASSERT_STRING_EQUAL(pr.warning, "");
    q.nodes = q.ranks = 64;                              /* > 4x the largest measured */
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT(strstr(pr.warning, "more than 4x") != NULL);
    q.nodes = 4;                                         /* measured: the segment fit */
    q.ranks = 4;
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT_STRING_EQUAL(pr.model, "segment fit");
    CU_ASSERT(rel(pr.t, ring_t(4, 1 << 20, B)) < 0.01);
    q.nodes = 8;                                         /* 8 x 2: flat and hierarchical */
    q.ppn = 2;
    q.ranks = 16;
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict(&m, &q, &pr), CR_OK);
    CU_ASSERT(rel(pr.t, ring_t(16, 1 << 20, B / 2)) < 0.08);
    CU_ASSERT(strstr(pr.basis, "at ppn=2") != NULL);     /* never the ppn 1 series */
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_OK);
    CU_ASSERT_EQUAL(h.nph, 2);
    CU_ASSERT_STRING_EQUAL(h.ph[0].level, "rail");
    CU_ASSERT_EQUAL(h.ph[0].ranks, 8);
    CU_ASSERT_EQUAL(h.ph[0].bytes, 1 << 19);
    CU_ASSERT_STRING_EQUAL(h.ph[1].level, "node");
    CU_ASSERT_EQUAL(h.ph[1].bytes, 1 << 20);
    CU_ASSERT(rel(h.t, ring_t(8, 1 << 19, B / 2) + ring_t(2, 1 << 20, 100 * B) / 10) < 0.08);
    CU_ASSERT(h.t_lo < h.t && h.t < h.t_hi);
    q.collective = "alltoall";                           /* not measured: says why */
    CU_ASSERT_EQUAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_ERR_INVAL);
    CU_ASSERT(strstr(why, "alltoall") != NULL);
    cr_fit_model_free(&m);
    cr_fit_report_free(&rep);
    cr_fit_set_free(&set);
}

/* The leader family (coll/han's simple allreduce): ring allreduce among one leader per
 * host measured at internode on 2, 3, 4, 6 hosts x 2 ppn, bcast within a node: the
 * projection of 8 x 2 is node reduce (priced as the node bcast) + internode
 * allreduce(S) on 8 + node bcast(S); without rail the rail family says why; no
 * leader algorithm for reduce_scatter. */
static double ring_ar(int p, double S, double B) { return 20.0 * (p - 1) + 2.0 * (p - 1) / p * S / B; }

static void test_predict_hier_leader(void)
{
    static const int hosts[] = { 2, 3, 4, 6 };
    cr_fit_set_t set;
    cr_fit_report_t rep;
    cr_fit_opts_t o;
    cr_fit_model_t m;
    cr_fit_hier_t h;
    cr_fit_query_t q = { .collective = "allreduce", .level = "world", .bytes = 1 << 20,
                         .nodes = 8, .ppn = 2, .ranks = 16, .hier_alg = CR_FIT_HIER_LEADER };
    char dir[512], why[256];
    const double B = 12500;   /* bytes per µs of a host's link; shared memory: 100 B */
    cr_fit_set_init(&set);
    for (size_t k = 0; k < 5; k++)
        for (int i = 0; i < 12; i++) {
            int bc = k == 4, p = bc ? 2 : hosts[k];
            double S = 1024.0 * (1 << i), T = bc ? 5.0 + S / (100 * B) : ring_ar(p, S, B);
            cr_fit_row_t r = { .cadence = "isolated", .dtype = "float", .ranks = p,
                               .nodes = bc ? 2 : p, .ppn = 2, .bytes = (uint64_t)S, .t_med = T,
                               .t_lo = T, .t_hi = T, .algbw = S / T * 1e-3, .faults = NAN };
            strcpy(r.collective, bc ? "bcast" : "allreduce");
            strcpy(r.level, bc ? "node" : "internode");
            r.busbw = r.algbw * (bc ? 1.0 : 2.0 * (p - 1) / p);
            CU_ASSERT_EQUAL(cr_fit_set_add(&set, &r), CR_OK);
        }
    cr_fit_set_finish(&set);
    cr_fit_opts_default(&o);
    o.reps = 20;
    CU_ASSERT_EQUAL_FATAL(cr_fit_report_build(&set, &o, &rep), CR_OK);
    snprintf(dir, sizeof dir, "%s/leader", tmpdir);
    CU_ASSERT_EQUAL(cr_fit_write_all(dir, &rep), CR_OK);
    CU_ASSERT_EQUAL_FATAL(cr_fit_model_load(dir, &m), CR_OK);
    CU_ASSERT_EQUAL_FATAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_OK);
    CU_ASSERT_EQUAL(h.alg, CR_FIT_HIER_LEADER);
    CU_ASSERT_EQUAL_FATAL(h.nph, 3);
    CU_ASSERT_STRING_EQUAL(h.ph[0].op, "reduce");
    CU_ASSERT_STRING_EQUAL(h.ph[0].collective, "bcast");
    CU_ASSERT_STRING_EQUAL(h.ph[0].level, "node");
    CU_ASSERT_STRING_EQUAL(h.ph[1].level, "internode");
    CU_ASSERT_EQUAL(h.ph[1].ranks, 8);
    CU_ASSERT_EQUAL(h.ph[1].bytes, 1 << 20);
    CU_ASSERT_STRING_EQUAL(h.ph[2].op, "bcast");
    CU_ASSERT(rel(h.t, ring_ar(8, 1 << 20, B) + 2 * (5.0 + (1 << 20) / (100 * B))) < 0.08);
    CU_ASSERT(h.t_lo < h.t && h.t < h.t_hi && h.t_lo > 0);
    q.hier_alg = CR_FIT_HIER_RAIL;                      /* no rail, no reduce_scatter */
    CU_ASSERT_EQUAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_ERR_INVAL);
    CU_ASSERT(strstr(why, "reduce_scatter") != NULL);
    q.hier_alg = CR_FIT_HIER_LEADER;
    q.collective = "reduce_scatter";
    CU_ASSERT_EQUAL(cr_fit_predict_hier(&m, &q, &h, why, sizeof why), CR_ERR_INVAL);
    CU_ASSERT(strstr(why, "no leader algorithm") != NULL);
    cr_fit_model_free(&m);
    cr_fit_report_free(&rep);
    cr_fit_set_free(&set);
}

CU_TestInfo test_fit_io_tests[] = {
    { "predict: scaling model, warning, hierarchical", test_predict_scaling },
    { "predict: hierarchical leader family (coll/han)", test_predict_hier_leader },
    { "predict: never a negative or non-finite time", test_predict_floor },
    { "link ceiling: sustained probe rate, not a burst", test_link_sustained },
    { "summary: r_inf = inf is n/a, no interval with inf or nan", test_summary_no_inf },
    { "collective table (pure build), F(p) for p = 1..9", test_coll_pure },
    { "predict: unknown collective refused", test_predict_unknown },
    { "strict decimal numbers: no hex, inf, nan, cut fields", test_num_strict },
    { "an empty set finishes", test_set_empty },
    { "reader errors (strict and --lenient)", test_reader_errors },
    { "torn last line ignored, duplicates: first kept", test_reader_torn_dups },
    { "reader csv/jsonl, ceilings", test_reader_ok },
    { "faults_per_call: read, fault-bound sizes", test_faults },
    { "energy columns: empty, null or numbers, all read", test_energy_columns },
    { "fit -> fit.csv -> predict", test_predict_roundtrip },
    { "variant, dtype, in_place: never one group", test_variants_apart },
    { "predict: variants apart, refuses to guess", test_predict_variants },
    { "topologies at one rank count: never one group", test_topology_apart },
    { "alpha(p) with one ceil(log2 p)", test_scaling_degenerate },
    { "intensity", test_intensity },
    CU_TEST_INFO_NULL,
};
