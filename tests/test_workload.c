/* Unit tests of the workload-file parser and the step's colours
 * (src/common/cr_workload.c, src/collroof/cr_wl_comm.c), without MPI. */
#include "config.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_dtype.h"
#include "cr_wl_comm.h"
#include "cu_main.h"

static cr_workload_t wl;   /* large: one, static */

static cr_status_t parse(const char *text, size_t len, char *err, size_t errlen)
{
    cr_skew_t sk;
    cr_skew_default(&sk);
    err[0] = '\0';
    return cr_workload_parse(text, len, "t.wl", cr_dtype_find("float"), &sk, &wl, err, errlen);
}

static cr_status_t parse_str(const char *text, char *err, size_t errlen)
{
    return parse(text, strlen(text), err, errlen);
}

/* A good file: every field, keys in any order, comments, blank lines, CRLF. */
static void test_good(void)
{
    static const char text[] =
        "# a comment\n"
        "\n"
        "   collroof-workload   1   # trailing comment\r\n"
        "name dp-1.3b_bf16\n"
        "layout tp=2\n"
        "call allreduce 25M comm=dp count=104 gap_us=0\n"
        "call allgather 16M count=2 comm=tp gap_us=350.5 dtype=double\n"
        "\tcall alltoallv 8K comm=dp skew=zipf:1.2 seed=7\n"
        "call bcast 4096\n";
    char err[512];
    CU_ASSERT_EQUAL_FATAL(parse_str(text, err, sizeof err), CR_OK);
    CU_ASSERT_STRING_EQUAL(wl.name, "dp-1.3b_bf16");
    CU_ASSERT_EQUAL(wl.tp, 2);
    CU_ASSERT_EQUAL(wl.layout_line, 5);
    CU_ASSERT_EQUAL_FATAL(wl.ncalls, 4);
    CU_ASSERT_STRING_EQUAL(wl.calls[0].ops->name, "allreduce");
    CU_ASSERT_EQUAL(wl.calls[0].bytes, 25u << 20);
    CU_ASSERT_EQUAL(wl.calls[0].comm, CR_WL_DP);
    CU_ASSERT_EQUAL(wl.calls[0].count, 104);
    CU_ASSERT_EQUAL(wl.calls[0].line, 6);
    CU_ASSERT_STRING_EQUAL(wl.calls[0].dtype->name, "float");
    CU_ASSERT_EQUAL(wl.calls[1].comm, CR_WL_TP);
    CU_ASSERT_EQUAL(wl.calls[1].count, 2);
    CU_ASSERT_DOUBLE_EQUAL(wl.calls[1].gap_us, 350.5, 0);
    CU_ASSERT_STRING_EQUAL(wl.calls[1].dtype->name, "double");
    CU_ASSERT_STRING_EQUAL(wl.calls[2].skew.spec, "zipf:1.2");
    CU_ASSERT_EQUAL(wl.calls[2].skew.seed, 7);
    CU_ASSERT_EQUAL(wl.calls[2].line, 8);
    CU_ASSERT_EQUAL(wl.calls[3].comm, CR_WL_WORLD);
    CU_ASSERT_EQUAL(wl.calls[3].count, 1);
    CU_ASSERT_EQUAL(wl.calls[3].bytes, 4096);
    CU_ASSERT_DOUBLE_EQUAL(cr_workload_step_gap_us(&wl), 701.0, 1e-9);
}

/* Pipeline layouts: pp in either order, alone or with tp; sendrecv's dir= (next
 * when absent) on comm=pp; files without pp keep pp 1. */
static void test_pp(void)
{
    static const char text[] =
        "collroof-workload 1\n"
        "layout pp=4 tp=2\n"
        "call sendrecv 8M comm=pp\n"
        "call sendrecv 8M comm=pp dir=prev gap_us=10 count=3\n"
        "call sendrecv 1K dir=next comm=world\n"
        "call allreduce 1M comm=dp\n";
    char err[512];
    CU_ASSERT_EQUAL_FATAL(parse_str(text, err, sizeof err), CR_OK);
    CU_ASSERT_EQUAL(wl.tp, 2);
    CU_ASSERT_EQUAL(wl.pp, 4);
    CU_ASSERT_EQUAL(wl.pp_given, 1);
    CU_ASSERT_EQUAL(wl.layout_line, 2);
    CU_ASSERT_EQUAL_FATAL(wl.ncalls, 4);
    CU_ASSERT_STRING_EQUAL(wl.calls[0].ops->name, "sendrecv");
    CU_ASSERT_EQUAL(wl.calls[0].comm, CR_WL_PP);
    CU_ASSERT_EQUAL(wl.calls[0].dir, CR_WL_NEXT);
    CU_ASSERT_EQUAL(wl.calls[1].dir, CR_WL_PREV);
    CU_ASSERT_EQUAL(wl.calls[1].count, 3);
    CU_ASSERT_EQUAL(wl.calls[2].comm, CR_WL_WORLD);
    CU_ASSERT_EQUAL(wl.calls[2].dir, CR_WL_NEXT);
    CU_ASSERT_EQUAL(wl.calls[3].dir, CR_WL_NEXT);
    CU_ASSERT_EQUAL_FATAL(parse_str("collroof-workload 1\nlayout pp=2\ncall sendrecv 1K comm=pp\n",
                                    err, sizeof err), CR_OK);
    CU_ASSERT_EQUAL(wl.tp, 1);
    CU_ASSERT_EQUAL(wl.pp, 2);
    CU_ASSERT_EQUAL_FATAL(parse_str("collroof-workload 1\nlayout tp=2\ncall bcast 1K\n", err,
                                    sizeof err), CR_OK);
    CU_ASSERT_EQUAL(wl.pp, 1);
    CU_ASSERT_EQUAL(wl.pp_given, 0);
}

/* Defaults: name from the base name (".wl" cut, odd bytes '_'), tp 1, the run's
 * skew for alltoallv, no final newline needed. */
static void test_defaults(void)
{
    static const char text[] = "collroof-workload 1\ncall alltoallv 1M";
    cr_skew_t sk;
    char err[512];
    cr_skew_default(&sk);
    CU_ASSERT_EQUAL_FATAL(cr_skew_parse("hot:0.5:1", &sk, err, sizeof err), CR_OK);
    sk.seed = 99;
    CU_ASSERT_EQUAL_FATAL(cr_workload_parse(text, strlen(text), "/x/y/my step!.wl",
                                            cr_dtype_find("int32"), &sk, &wl, err, sizeof err),
                          CR_OK);
    CU_ASSERT_STRING_EQUAL(wl.name, "my_step_");
    CU_ASSERT_EQUAL(wl.tp, 1);
    CU_ASSERT_EQUAL(wl.layout_line, 0);
    CU_ASSERT_STRING_EQUAL(wl.calls[0].skew.spec, "hot:0.5:1");
    CU_ASSERT_EQUAL(wl.calls[0].skew.seed, 99);
    CU_ASSERT_STRING_EQUAL(wl.calls[0].dtype->name, "int32");
}

/* Bad files: one message, "t.wl:LINE: ", naming the token. */
static void test_bad(void)
{
    static const struct { const char *text; int line; const char *names; } cases[] = {
        {"collroof-workload 1\ncall allreduc 1M\n", 2, "unknown collective 'allreduc'"},
        {"collroof-workload 1\ncall allreduc 1M\n", 2, "known: allreduce"},
        {"collroof-workload 1\n\ncall pingpong 1M\n", 3, "'pingpong' is a point-to-point"},
        {"collroof-workload 1\ncall allreduce 1Q\n", 2, "bad size '1Q'"},
        {"collroof-workload 1\ncall allreduce 0\n", 2, "bad size '0'"},
        {"collroof-workload 1\ncall allreduce -4K\n", 2, "bad size '-4K'"},
        {"collroof-workload 1\ncall allreduce\n", 2, "needs a collective and a size"},
        {"collroof-workload 1\ncall allreduce 1M counts=2\n", 2, "unknown key 'counts'"},
        {"collroof-workload 1\ncall allreduce 1M count=2 count=3\n", 2, "key 'count' given twice"},
        {"collroof-workload 1\ncall allreduce 1M count\n", 2, "bad token 'count'"},
        {"collroof-workload 1\ncall allreduce 1M count=\n", 2, "bad token 'count='"},
        {"collroof-workload 1\ncall allreduce 1M =3\n", 2, "bad token '=3'"},
        {"collroof-workload 1\ncall allreduce 1M count=0\n", 2, "bad value '0' for count"},
        {"collroof-workload 1\ncall allreduce 1M count=1000001\n", 2, "bad value '1000001' for count"},
        {"collroof-workload 1\ncall allreduce 1M count=2.5\n", 2, "bad value '2.5' for count"},
        {"collroof-workload 1\ncall allreduce 1M gap_us=-1\n", 2, "bad value '-1' for gap_us"},
        {"collroof-workload 1\ncall allreduce 1M gap_us=6e8\n", 2, "bad value '6e8' for gap_us"},
        {"collroof-workload 1\ncall allreduce 1M gap_us=nan\n", 2, "bad value 'nan' for gap_us"},
        {"collroof-workload 1\ncall allreduce 1M comm=ep\n", 2, "bad value 'ep' for comm: expected world, node, rail, tp, dp or pp"},
        {"collroof-workload 1\ncall allreduce 1M comm=pp\n", 2, "comm=pp but the file has no 'layout tp=N pp=M'"},
        {"collroof-workload 1\nlayout tp=2\n\ncall sendrecv 1M comm=pp\n", 4, "comm=pp but the file has no"},
        {"collroof-workload 1\nlayout tp=1 pp=0\n", 2, "bad value '0' for pp"},
        {"collroof-workload 1\nlayout tp=1 pp=x\n", 2, "bad value 'x' for pp"},
        {"collroof-workload 1\nlayout tp=1 pp=65537\n", 2, "bad value '65537' for pp"},
        {"collroof-workload 1\nlayout pp=2 pp=4\n", 2, "layout: key 'pp' given twice"},
        {"collroof-workload 1\nlayout tp=2 pp=2 dp=2\n", 2, "bad layout 'dp=2'"},
        {"collroof-workload 1\nlayout tp=2 ep=2\n", 2, "bad layout 'ep=2'"},
        {"collroof-workload 1\nlayout tp=2\ncall allreduce 1M dir=next\n", 3, "dir= applies to sendrecv only"},
        {"collroof-workload 1\ncall bcast 1M dir=prev\n", 2, "not to the collective bcast"},
        {"collroof-workload 1\ncall sendrecv 1M dir=back\n", 2, "bad value 'back' for dir: expected next"},
        {"collroof-workload 1\ncall sendrecv 1M dir=next dir=prev\n", 2, "key 'dir' given twice"},
        {"collroof-workload 1\ncall allreduce 1M comm=internode\n", 2, "use comm=rail"},
        {"collroof-workload 1\ncall allreduce 1M dtype=half\n", 2, "bad value 'half' for dtype"},
        {"collroof-workload 1\ncall allreduce 1M dtype=char\n", 2, "dtype char cannot be summed"},
        {"collroof-workload 1\n#\ncall allreduce 1M comm=tp\n", 3, "comm=tp but the file has no 'layout"},
        {"collroof-workload 1\ncall allreduce 1M skew=zipf:1.2\n", 2, "skew= and seed= apply to alltoallv"},
        {"collroof-workload 1\ncall alltoall 1M seed=3\n", 2, "alltoall routes no tokens"},
        {"collroof-workload 1\ncall alltoallv 1M skew=zipf:-1\n", 2, "zipf:-1"},
        {"collroof-workload 1\ncall alltoallv 1M seed=x\n", 2, "bad value 'x' for seed"},
        {"# only comments\n\ncall allreduce 1M\n", 3, "missing header"},
        {"# only comments\n\n", 3, "missing header: the file has no"},
        {"", 1, "missing header"},
        {"collroof-workload 2\ncall allreduce 1M\n", 1, "unsupported version '2'"},
        {"collroof-workload\ncall allreduce 1M\n", 1, "unsupported version ''"},
        {"collroof-workload 1 x\ncall allreduce 1M\n", 1, "unsupported version"},
        {"collroof-workload 1\ncollroof-workload 1\n", 2, "a second header line"},
        {"collroof-workload 1\n", 2, "no call lines"},
        {"collroof-workload 1\nlayout tp=0\n", 2, "bad value '0' for tp"},
        {"collroof-workload 1\nlayout dp=2\n", 2, "bad layout 'dp=2'"},
        {"collroof-workload 1\nlayout tp=2\nlayout tp=4\n", 3, "a second layout line (the first is line 2)"},
        {"collroof-workload 1\nname a/b\n", 2, "bad name 'a/b'"},
        {"collroof-workload 1\nname a\nname b\n", 3, "a second name line"},
        {"collroof-workload 1\nfoo bar\n", 2, "unknown keyword 'foo'"},
        {"collroof-workload 1\nCall allreduce 1M\n", 2, "unknown keyword 'Call'"},
        {"collroof-workload 1\ncall allreduce 1M\xff\n", 2, "byte 0xff at column 18 is not UTF-8"},
        {"collroof-workload 1\ncall allreduce 1M flops=-1\n", 2, "bad value '-1' for flops"},
        {"collroof-workload 1\ncall allreduce 1M flops=1e31\n", 2, "bad value '1e31' for flops"},
        {"collroof-workload 1\ncall allreduce 1M flops=x\n", 2, "bad value 'x' for flops"},
        {"collroof-workload 1\ncall allreduce 1M mem_bytes=-4K\n", 2, "bad value '-4K' for mem_bytes"},
        {"collroof-workload 1\ncall allreduce 1M mem_bytes=1M mem_bytes=2M\n", 2, "key 'mem_bytes' given twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char err[1024], want[64];
        CU_ASSERT_EQUAL(parse_str(cases[i].text, err, sizeof err), CR_ERR_INVAL);
        snprintf(want, sizeof want, "t.wl:%d: ", cases[i].line);
        CU_ASSERT_EQUAL(strncmp(err, want, strlen(want)), 0);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].names));
        CU_ASSERT_PTR_NULL(strchr(err, '\n'));   /* one message, one line */
        if (strncmp(err, want, strlen(want)) != 0 || !strstr(err, cases[i].names))
            fprintf(stderr, "\ncase %zu: want %s...%s, got: %s\n", i, want, cases[i].names, err);
    }
}

/* Limits: a too-long line, a NUL byte, 256 calls and one more, a file too large. */
static void test_limits(void)
{
    size_t cap = 300 * 40 + CR_WL_MAX_LINE + 64, n;
    char *t = malloc(cap), err[1024];
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);

    n = (size_t)sprintf(t, "collroof-workload 1\n# ");
    memset(t + n, 'x', CR_WL_MAX_LINE - 2);   /* line 2: exactly the limit */
    n += CR_WL_MAX_LINE - 2;
    n += (size_t)sprintf(t + n, "\ncall allreduce 1M\n");
    CU_ASSERT_EQUAL(parse(t, n, err, sizeof err), CR_OK);
    n = (size_t)sprintf(t, "collroof-workload 1\ncall allreduce 1M\n# ");
    memset(t + n, 'x', CR_WL_MAX_LINE - 1);   /* line 3: one byte over */
    n += CR_WL_MAX_LINE - 1;
    CU_ASSERT_EQUAL(parse(t, n, err, sizeof err), CR_ERR_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.wl:3: line of 4097 bytes, longer than 4096"));

    n = (size_t)sprintf(t, "collroof-workload 1\ncall allreduce 1M\ncall bc");
    t[n++] = '\0';
    n += (size_t)sprintf(t + n, "ast 1M\n");
    CU_ASSERT_EQUAL(parse(t, n, err, sizeof err), CR_ERR_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.wl:3: NUL byte at column 8"));

    /* UTF-8 in a comment is fine (the metadata records the text as JSON); Latin-1,
     * a cut sequence, an overlong form and a surrogate are refused at their column */
    n = (size_t)sprintf(t, "collroof-workload 1\n# 4 \xc3\x97 25 MiB \xe2\x86\x92 "
                           "\xf0\x9f\x98\x80\ncall allreduce 1M\n");
    CU_ASSERT_EQUAL(parse(t, n, err, sizeof err), CR_OK);
    static const struct { const char *text; const char *msg; } utf[] = {
        {"collroof-workload 1\n# caf\xe9\ncall allreduce 1M\n", "t.wl:2: byte 0xe9 at column 6"},
        {"collroof-workload 1\ncall allreduce 1M # \xe2\x86\n", "t.wl:2: byte 0xe2 at column 21"},
        {"collroof-workload 1\n#\xc0\xaf\ncall allreduce 1M\n", "t.wl:2: byte 0xc0 at column 2"},
        {"collroof-workload 1\n#\xed\xa0\x80\ncall allreduce 1M\n", "t.wl:2: byte 0xed at column 2"},
    };
    for (size_t i = 0; i < sizeof utf / sizeof *utf; i++) {
        CU_ASSERT_EQUAL(parse(utf[i].text, strlen(utf[i].text), err, sizeof err), CR_ERR_INVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, utf[i].msg));
        if (!strstr(err, utf[i].msg)) fprintf(stderr, "case %zu: %s\n", i, err);
    }

    n = (size_t)sprintf(t, "collroof-workload 1\n");
    for (int i = 0; i < CR_WL_MAX_CALLS; i++) n += (size_t)sprintf(t + n, "call bcast %dK\n", i + 1);
    CU_ASSERT_EQUAL(parse(t, n, err, sizeof err), CR_OK);
    CU_ASSERT_EQUAL(wl.ncalls, CR_WL_MAX_CALLS);
    CU_ASSERT_EQUAL(wl.calls[CR_WL_MAX_CALLS - 1].line, CR_WL_MAX_CALLS + 1);
    n += (size_t)sprintf(t + n, "call bcast 1M\n");
    CU_ASSERT_EQUAL(parse(t, n, err, sizeof err), CR_ERR_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.wl:258: more than 256 call lines"));

    CU_ASSERT_EQUAL(parse(t, CR_WL_MAX_FILE + 1, err, sizeof err), CR_ERR_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "more than a workload file may hold"));
    free(t);
}

/* A placement table: hosts[i] ranks on host i, ranks in blocks. */
static int place(const int *hosts, int nhosts, cr_place_t *pl)
{
    int n = 0;
    for (int h = 0; h < nhosts; h++)
        for (int l = 0; l < hosts[h]; l++, n++) {
            memset(&pl[n], 0, sizeof pl[n]);
            pl[n].rank = n;
            snprintf(pl[n].host, sizeof pl[n].host, "h%d", h);
            pl[n].node_index = h;
            pl[n].local_rank = l;
            pl[n].package = pl[n].numa = pl[n].core = pl[n].pu = -1;
        }
    return n;
}

/* Colours of each comm on 2 hosts × 4 ranks with tp=2, and the layout check. */
static void test_colors(void)
{
    static const char text[] = "collroof-workload 1\nlayout tp=2\ncall allreduce 1M comm=tp\n";
    static const struct { cr_wl_comm_t comm; int groups, ranks; int colors[8]; } want[] = {
        {CR_WL_WORLD, 1, 8, {0, 0, 0, 0, 0, 0, 0, 0}},
        {CR_WL_NODE, 2, 4, {0, 0, 0, 0, 1, 1, 1, 1}},
        {CR_WL_RAIL, 4, 2, {0, 1, 2, 3, 0, 1, 2, 3}},
        {CR_WL_TP, 4, 2, {0, 0, 1, 1, 2, 2, 3, 3}},
        {CR_WL_DP, 2, 4, {0, 1, 0, 1, 0, 1, 0, 1}},
    };
    int hosts[] = {4, 4}, bad[] = {4, 3}, colors[8], ranks, n;
    cr_place_t pl[8];
    char err[512];
    CU_ASSERT_EQUAL_FATAL(parse_str(text, err, sizeof err), CR_OK);
    n = place(hosts, 2, pl);
    CU_ASSERT_EQUAL(cr_workload_layout_check(&wl, pl, n, err, sizeof err), 0);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        CU_ASSERT_EQUAL(cr_workload_colors(&wl, want[i].comm, pl, n, colors, &ranks),
                        want[i].groups);
        CU_ASSERT_EQUAL(ranks, want[i].ranks);
        CU_ASSERT_EQUAL(memcmp(colors, want[i].colors, sizeof colors), 0);
    }
    n = place(bad, 2, pl);
    CU_ASSERT_EQUAL(cr_workload_layout_check(&wl, pl, n, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.wl:2: layout tp=2 does not divide the 3 ranks of host h1"));
    /* tp = 1: dp is the world, tp groups of one rank */
    CU_ASSERT_EQUAL_FATAL(parse_str("collroof-workload 1\nlayout tp=1\ncall bcast 1K\n", err,
                                    sizeof err), CR_OK);
    CU_ASSERT_EQUAL(cr_workload_layout_check(&wl, pl, n, err, sizeof err), 0);
    CU_ASSERT_EQUAL(cr_workload_colors(&wl, CR_WL_DP, pl, n, colors, &ranks), 1);
    CU_ASSERT_EQUAL(ranks, 7);
    CU_ASSERT_EQUAL(cr_workload_colors(&wl, CR_WL_TP, pl, n, colors, &ranks), 7);
    CU_ASSERT_EQUAL(ranks, 1);
}

/* Pipeline stages on 2 hosts × 4 ranks: Megatron order, tp innermost, pp outermost
 * (stage = rank / (8 / pp)); a pp group holds one rank per stage, the dp groups
 * stay inside a stage. And the layout check: pp dividing the world, a stage whole
 * tp groups. */
static void test_colors_pp(void)
{
    static const struct { const char *layout; cr_wl_comm_t comm; int groups, ranks;
                          int colors[8]; } want[] = {
        {"tp=2 pp=2", CR_WL_PP, 4, 2, {0, 1, 2, 3, 0, 1, 2, 3}},
        {"tp=2 pp=2", CR_WL_DP, 4, 2, {0, 1, 0, 1, 2, 3, 2, 3}},
        {"tp=2 pp=2", CR_WL_TP, 4, 2, {0, 0, 1, 1, 2, 2, 3, 3}},
        {"tp=1 pp=4", CR_WL_PP, 2, 4, {0, 1, 0, 1, 0, 1, 0, 1}},
        {"tp=1 pp=4", CR_WL_DP, 4, 2, {0, 0, 1, 1, 2, 2, 3, 3}},
        {"pp=8", CR_WL_PP, 1, 8, {0, 0, 0, 0, 0, 0, 0, 0}},
        {"pp=8", CR_WL_DP, 8, 1, {0, 1, 2, 3, 4, 5, 6, 7}},
        {"tp=2 pp=1", CR_WL_PP, 8, 1, {0, 1, 2, 3, 4, 5, 6, 7}},
        {"tp=2 pp=1", CR_WL_DP, 2, 4, {0, 1, 0, 1, 0, 1, 0, 1}},
    };
    int hosts[] = {4, 4}, colors[8], ranks, n;
    cr_place_t pl[8];
    char err[512], text[256];
    n = place(hosts, 2, pl);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        snprintf(text, sizeof text, "collroof-workload 1\nlayout %s\ncall bcast 1K\n",
                 want[i].layout);
        CU_ASSERT_EQUAL_FATAL(parse_str(text, err, sizeof err), CR_OK);
        CU_ASSERT_EQUAL(cr_workload_layout_check(&wl, pl, n, err, sizeof err), 0);
        CU_ASSERT_EQUAL(cr_workload_colors(&wl, want[i].comm, pl, n, colors, &ranks),
                        want[i].groups);
        CU_ASSERT_EQUAL(ranks, want[i].ranks);
        CU_ASSERT_EQUAL(memcmp(colors, want[i].colors, sizeof colors), 0);
    }
    CU_ASSERT_EQUAL_FATAL(parse_str("collroof-workload 1\nlayout pp=3\ncall bcast 1K\n", err,
                                    sizeof err), CR_OK);
    CU_ASSERT_EQUAL(cr_workload_layout_check(&wl, pl, n, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.wl:2: layout pp=3 does not divide the world's 8 ranks"));
    CU_ASSERT_EQUAL_FATAL(parse_str("collroof-workload 1\nlayout tp=4 pp=4\ncall bcast 1K\n", err,
                                    sizeof err), CR_OK);
    CU_ASSERT_EQUAL(cr_workload_layout_check(&wl, pl, n, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.wl:2: layout tp=4 pp=4: a stage's 2 ranks"));
}

/* The shipped workload files parse ($top_srcdir/share/collroof/workloads). */
static void test_shipped(void)
{
    static const char *const files[] = {"dp-buckets-1.3b.wl", "tp-layer.wl", "moe-layer.wl"};
    const char *top = getenv("top_srcdir");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/share/collroof/workloads", top ? top : ".");
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1200], *text = malloc(CR_WL_MAX_FILE), err[1024];
        FILE *fp;
        size_t n;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        fp = fopen(path, "rb");
        CU_ASSERT_PTR_NOT_NULL(fp);
        if (!fp || !text) {
            free(text);
            if (fp) fclose(fp);
            continue;
        }
        n = fread(text, 1, CR_WL_MAX_FILE, fp);
        fclose(fp);
        CU_ASSERT_EQUAL(parse(text, n, err, sizeof err), CR_OK);
        if (parse(text, n, err, sizeof err) != CR_OK) fprintf(stderr, "\n%s\n", err);
        free(text);
    }
}

/* The planning keys: flops= and mem_bytes= per repetition; absent, 0. */
static void test_plan_keys(void)
{
    static const char text[] = "collroof-workload 1\n"
                               "call allreduce 1M flops=5.5e11 mem_bytes=64M gap_us=10\n"
                               "call allgather 1M\n";
    char err[512];
    CU_ASSERT_EQUAL_FATAL(parse_str(text, err, sizeof err), CR_OK);
    CU_ASSERT_DOUBLE_EQUAL(wl.calls[0].flops, 5.5e11, 1);
    CU_ASSERT_EQUAL(wl.calls[0].mem_bytes, 64ull << 20);
    CU_ASSERT_DOUBLE_EQUAL(wl.calls[0].gap_us, 10, 0);
    CU_ASSERT_DOUBLE_EQUAL(wl.calls[1].flops, 0, 0);
    CU_ASSERT_EQUAL(wl.calls[1].mem_bytes, 0);
}

static CU_TestInfo workload_tests[] = {
    {"planning keys flops= and mem_bytes=", test_plan_keys},
    {"a good file, every field", test_good},
    {"defaults", test_defaults},
    {"pipeline layouts and dir=", test_pp},
    {"bad files name the line and token", test_bad},
    {"limits: line length, NUL, 256 calls, file size", test_limits},
    {"communicator colours and the layout check", test_colors},
    {"pipeline stages: pp and dp colours, the pp layout check", test_colors_pp},
    {"the shipped workload files parse", test_shipped},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {
    {"workload", NULL, NULL, NULL, NULL, workload_tests},
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cu_run(suites);
}
