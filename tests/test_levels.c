/* Unit tests of placement, levels, probe pairs, topology summary, ceilings and
 * memory placement, on hwloc synthetic topologies and XML fixtures (no MPI run). */
#include "config.h"

#if HAVE_LIBNUMA
#include <numa.h>
#endif
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cu_main.h"
#include "cr_ceil.h"
#include "cr_coll.h"
#include "cr_levels.h"
#include "cr_mem.h"
#include "cr_opts.h"
#include "cr_place.h"
#include "cr_topo.h"

#define FIX CR_SRCDIR "/tests/fixtures/topo/"
#define SYN_2PACK "pack:2 numa:2 l3:1(size=16MB) core:8 pu:1"
#define MAXR 16

/* One rank of a table: host, binding (PU list), last CPU ("" = unknown). */
typedef struct { const char *host, *bind, *last; } rank_spec_t;

/* Placement table of n ranks on topology t (every host the same machine). */
static void build(hwloc_topology_t t, const rank_spec_t *spec, int n, cr_place_t *pl,
                  int *nodes, int *ppn)
{
    for (int i = 0; i < n; i++) {
        hwloc_bitmap_t b = hwloc_bitmap_alloc(), l = hwloc_bitmap_alloc();
        memset(&pl[i], 0, sizeof pl[i]);
        pl[i].rank = i;
        snprintf(pl[i].host, sizeof pl[i].host, "%s", spec[i].host);
        hwloc_bitmap_list_sscanf(b, spec[i].bind);
        hwloc_bitmap_list_sscanf(l, spec[i].last ? spec[i].last : "");
        CU_ASSERT_EQUAL(cr_place_from_cpuset(t, b, l, &pl[i]), CR_OK);
        hwloc_bitmap_free(b);
        hwloc_bitmap_free(l);
    }
    cr_place_derive(pl, n, nodes, ppn);
}

static hwloc_topology_t load_syn(const char *desc)
{
    hwloc_topology_t t = NULL;
    CU_ASSERT_FATAL(cr_topo_load_synthetic(desc, &t) == CR_OK);
    return t;
}

static hwloc_topology_t load_xml(const char *file)
{
    hwloc_topology_t t = NULL;
    CU_ASSERT_FATAL(cr_topo_load_xml(file, &t) == CR_OK);
    return t;
}

/* A placement scenario and everything known about it. */
typedef struct {
    const char *name;
    const char *topo;                 /* synthetic description, or an XML file under FIX */
    int is_xml;
    int n;
    rank_spec_t r[MAXR];
    int nodes, ppn;
    int colors[CR_LEVEL_COUNT][MAXR]; /* by cr_level_t */
    int groups[CR_LEVEL_COUNT];
    const char *auto_run;             /* levels auto runs, comma-separated */
    const char *auto_skip[CR_LEVEL_COUNT]; /* substring of each skip reason ("" = runs) */
    int npairs;
    cr_pair_t pairs[CR_DIST_COUNT];
} scenario_t;

#define H(h, b) { h, b, NULL }

static const scenario_t scenarios[] = {
    { "one host, 2 packages x 2 NUMA, 8 ranks", SYN_2PACK, 0, 8,
      { H("n1", "0"), H("n1", "1"), H("n1", "8"), H("n1", "9"),
        H("n1", "16"), H("n1", "17"), H("n1", "24"), H("n1", "25") },
      1, 8,
      { [CR_LEVEL_WORLD] = { 0, 0, 0, 0, 0, 0, 0, 0 },
        [CR_LEVEL_NODE] = { 0, 0, 0, 0, 0, 0, 0, 0 },
        [CR_LEVEL_PACKAGE] = { 0, 0, 0, 0, 1, 1, 1, 1 },
        [CR_LEVEL_NUMA] = { 0, 0, 1, 1, 2, 2, 3, 3 },
        [CR_LEVEL_INTERNODE] = { 0, -1, -1, -1, -1, -1, -1, -1 },
        [CR_LEVEL_RAIL] = { 0, 1, 2, 3, 4, 5, 6, 7 } },
      { 1, 1, 2, 4, 1, 8 }, "world,package,numa",
      { "", "same groups as level world", "", "", "alone", "alone" },
      3, { { CR_DIST_NUMA, 0, 1 }, { CR_DIST_PACKAGE, 0, 2 }, { CR_DIST_NODE, 0, 4 } } },
    { "4 hosts x 2 ranks (block), one per package", SYN_2PACK, 0, 8,
      { H("h0", "0"), H("h0", "16"), H("h1", "0"), H("h1", "16"),
        H("h2", "0"), H("h2", "16"), H("h3", "0"), H("h3", "16") },
      4, 2,
      { [CR_LEVEL_WORLD] = { 0, 0, 0, 0, 0, 0, 0, 0 },
        [CR_LEVEL_NODE] = { 0, 0, 1, 1, 2, 2, 3, 3 },
        [CR_LEVEL_PACKAGE] = { 0, 1, 2, 3, 4, 5, 6, 7 },
        [CR_LEVEL_NUMA] = { 0, 1, 2, 3, 4, 5, 6, 7 },
        [CR_LEVEL_INTERNODE] = { 0, -1, 0, -1, 0, -1, 0, -1 },
        [CR_LEVEL_RAIL] = { 0, 1, 0, 1, 0, 1, 0, 1 } },
      { 1, 4, 8, 8, 1, 2 }, "world,node,internode,rail",
      { "", "", "alone", "alone", "", "" },
      2, { { CR_DIST_NODE, 0, 1 }, { CR_DIST_INTERNODE, 0, 2 } } },
    { "4 hosts x 2 ranks (round robin), same NUMA", SYN_2PACK, 0, 8,
      { H("h0", "0"), H("h1", "0"), H("h2", "0"), H("h3", "0"),
        H("h0", "1"), H("h1", "1"), H("h2", "1"), H("h3", "1") },
      4, 2,
      { [CR_LEVEL_WORLD] = { 0, 0, 0, 0, 0, 0, 0, 0 },
        [CR_LEVEL_NODE] = { 0, 1, 2, 3, 0, 1, 2, 3 },
        [CR_LEVEL_PACKAGE] = { 0, 1, 2, 3, 0, 1, 2, 3 },
        [CR_LEVEL_NUMA] = { 0, 1, 2, 3, 0, 1, 2, 3 },
        [CR_LEVEL_INTERNODE] = { 0, 0, 0, 0, -1, -1, -1, -1 },
        [CR_LEVEL_RAIL] = { 0, 0, 0, 0, 1, 1, 1, 1 } },
      { 1, 4, 4, 4, 1, 2 }, "world,node,internode,rail",
      { "", "", "same groups as level node", "same groups as level node", "", "" },
      2, { { CR_DIST_NUMA, 0, 4 }, { CR_DIST_INTERNODE, 0, 1 } } },
    { "4 hosts x 1 rank", SYN_2PACK, 0, 4,
      { H("h0", "0"), H("h1", "0"), H("h2", "0"), H("h3", "0") },
      4, 1,
      { [CR_LEVEL_WORLD] = { 0, 0, 0, 0 },
        [CR_LEVEL_NODE] = { 0, 1, 2, 3 },
        [CR_LEVEL_PACKAGE] = { 0, 1, 2, 3 },
        [CR_LEVEL_NUMA] = { 0, 1, 2, 3 },
        [CR_LEVEL_INTERNODE] = { 0, 0, 0, 0 },
        [CR_LEVEL_RAIL] = { 0, 0, 0, 0 } },
      { 1, 4, 4, 4, 1, 1 }, "world",
      { "", "alone", "alone", "alone", "same groups as level world", "same groups as level world" },
      1, { { CR_DIST_INTERNODE, 0, 1 } } },
    { "uneven ppn: 3 + 1", SYN_2PACK, 0, 4,
      { H("a", "0"), H("a", "1"), H("a", "2"), H("b", "0") },
      2, 3,
      { [CR_LEVEL_WORLD] = { 0, 0, 0, 0 },
        [CR_LEVEL_NODE] = { 0, 0, 0, 1 },
        [CR_LEVEL_PACKAGE] = { 0, 0, 0, 1 },
        [CR_LEVEL_NUMA] = { 0, 0, 0, 1 },
        [CR_LEVEL_INTERNODE] = { 0, -1, -1, 0 },
        [CR_LEVEL_RAIL] = { 0, 1, 2, 0 } },
      { 1, 2, 2, 2, 1, 3 }, "world,internode",
      { "", "rank 3 on b is alone", "rank 3 on b is alone", "rank 3 on b is alone", "",
        "rank 1 on a is alone" },
      2, { { CR_DIST_NUMA, 0, 1 }, { CR_DIST_INTERNODE, 0, 3 } } },
    { "unbound ranks: no package or NUMA known", SYN_2PACK, 0, 4,
      { H("n1", "0-31"), H("n1", "0-31"), H("n2", "0-31"), H("n2", "0-31") },
      2, 2,
      { [CR_LEVEL_WORLD] = { 0, 0, 0, 0 },
        [CR_LEVEL_NODE] = { 0, 0, 1, 1 },
        [CR_LEVEL_PACKAGE] = { -1, -1, -1, -1 },
        [CR_LEVEL_NUMA] = { -1, -1, -1, -1 },
        [CR_LEVEL_INTERNODE] = { 0, -1, 0, -1 },
        [CR_LEVEL_RAIL] = { 0, 1, 0, 1 } },
      { 1, 2, 0, 0, 1, 2 }, "world,node,internode,rail",
      { "", "", "no rank takes part", "no rank takes part", "", "" },
      1, { { CR_DIST_INTERNODE, 0, 2 } } },
    { "XML fixture, hyperthreads: bound to cores", "1pack-4core-2pu.xml", 1, 4,
      { H("x", "0-1"), H("x", "2-3"), H("x", "4-5"), H("x", "6-7") },
      1, 4,
      { [CR_LEVEL_WORLD] = { 0, 0, 0, 0 },
        [CR_LEVEL_NODE] = { 0, 0, 0, 0 },
        [CR_LEVEL_PACKAGE] = { 0, 0, 0, 0 },
        [CR_LEVEL_NUMA] = { 0, 0, 0, 0 },
        [CR_LEVEL_INTERNODE] = { 0, -1, -1, -1 },
        [CR_LEVEL_RAIL] = { 0, 1, 2, 3 } },
      { 1, 1, 1, 1, 1, 4 }, "world",
      { "", "same groups as level world", "same groups as level world",
        "same groups as level world", "alone", "alone" },
      1, { { CR_DIST_NUMA, 0, 1 } } },
};
#define NSCEN (int)(sizeof scenarios / sizeof *scenarios)

static void build_scenario(const scenario_t *s, cr_place_t *pl)
{
    char path[1024];
    int nodes, ppn;
    hwloc_topology_t t;
    snprintf(path, sizeof path, FIX "%s", s->topo);
    t = s->is_xml ? load_xml(path) : load_syn(s->topo);
    build(t, s->r, s->n, pl, &nodes, &ppn);
    CU_ASSERT_EQUAL(nodes, s->nodes);
    CU_ASSERT_EQUAL(ppn, s->ppn);
    cr_topo_free(t);
}

static void test_colors(void)
{
    for (int k = 0; k < NSCEN; k++) {
        const scenario_t *s = &scenarios[k];
        cr_place_t pl[MAXR];
        build_scenario(s, pl);
        for (int lv = 0; lv < CR_LEVEL_COUNT; lv++) {
            int c[MAXR], g = cr_level_colors(pl, s->n, (cr_level_t)lv, c);
            if (g != s->groups[lv] || memcmp(c, s->colors[lv], (size_t)s->n * sizeof *c) != 0)
                printf("\n  %s: level %s differs", s->name, cr_level_name((cr_level_t)lv));
            CU_ASSERT_EQUAL(g, s->groups[lv]);
            CU_ASSERT_EQUAL(memcmp(c, s->colors[lv], (size_t)s->n * sizeof *c), 0);
        }
    }
}

static void test_auto(void)
{
    const char *names[] = { "auto" };
    for (int k = 0; k < NSCEN; k++) {
        const scenario_t *s = &scenarios[k];
        cr_place_t pl[MAXR];
        cr_level_pick_t picks[CR_LEVEL_COUNT];
        char run[128] = "";
        int np = 0;
        build_scenario(s, pl);
        CU_ASSERT_EQUAL_FATAL(cr_levels_resolve(pl, s->n, names, 1, picks, &np), CR_OK);
        CU_ASSERT_EQUAL(np, CR_LEVEL_COUNT);
        for (int i = 0; i < np; i++) {
            CU_ASSERT_EQUAL(picks[i].level, (cr_level_t)i);
            if (picks[i].run)
                snprintf(run + strlen(run), sizeof run - strlen(run), "%s%s", run[0] ? "," : "",
                         cr_level_name(picks[i].level));
            if (s->auto_skip[i][0] == '\0')
                CU_ASSERT_STRING_EQUAL(picks[i].why, "");
            if (s->auto_skip[i][0] && strstr(picks[i].why, s->auto_skip[i]) == NULL)
                printf("\n  %s: %s skipped because '%s'", s->name, cr_level_name((cr_level_t)i),
                       picks[i].why);
            CU_ASSERT_PTR_NOT_NULL(strstr(picks[i].why, s->auto_skip[i]));
        }
        if (strcmp(run, s->auto_run) != 0)
            printf("\n  %s: auto runs %s", s->name, run);
        CU_ASSERT_STRING_EQUAL(run, s->auto_run);
    }
}

static void test_named_levels(void)
{
    const char *names[] = { "rail", "world", "rail", "auto" }, *bad[] = { "socket" };
    cr_place_t pl[MAXR];
    cr_level_pick_t picks[CR_LEVEL_COUNT];
    int np = 0;
    build_scenario(&scenarios[0], pl);
    CU_ASSERT_EQUAL_FATAL(cr_levels_resolve(pl, 8, names, 3, picks, &np), CR_OK);
    CU_ASSERT_EQUAL(np, 2);   /* each level once, in the order named, named ones always run */
    CU_ASSERT_EQUAL(picks[0].level, CR_LEVEL_RAIL);
    CU_ASSERT_EQUAL(picks[1].level, CR_LEVEL_WORLD);
    CU_ASSERT(picks[0].run && picks[1].run);
    CU_ASSERT_EQUAL_FATAL(cr_levels_resolve(pl, 8, names, 4, picks, &np), CR_OK);
    CU_ASSERT_EQUAL(np, 6);   /* auto adds the other four, judged against rail and world */
    CU_ASSERT_EQUAL(picks[2].level, CR_LEVEL_NODE);
    CU_ASSERT_FALSE(picks[2].run);
    cr_log_quiet(1);
    CU_ASSERT_EQUAL(cr_levels_resolve(pl, 8, bad, 1, picks, &np), CR_ERR_INVAL);
    cr_log_quiet(0);
    for (int i = 0; i < CR_LEVEL_COUNT; i++) {
        cr_level_t lv;
        CU_ASSERT_EQUAL(cr_level_parse(cr_level_name((cr_level_t)i), &lv), 0);
        CU_ASSERT_EQUAL(lv, (cr_level_t)i);
    }
}

/* Every level and distance-class name parses back to itself; the link class
 * of each level; --help and the joined list name every level (and --help every
 * registered collective). */
static void test_level_names(void)
{
    static const struct { const char *name; int one_host, many_hosts; } link[] = {
        { "world", CR_DIST_NODE, CR_DIST_INTERNODE },
        { "node", CR_DIST_NODE, CR_DIST_NODE },
        { "package", CR_DIST_PACKAGE, CR_DIST_PACKAGE },
        { "numa", CR_DIST_NUMA, CR_DIST_NUMA },
        { "internode", CR_DIST_INTERNODE, CR_DIST_INTERNODE },
        { "rail", CR_DIST_INTERNODE, CR_DIST_INTERNODE },
        { "nosuch", -1, -1 },
    };
    char list[256], *help = NULL;
    size_t hlen = 0;
    FILE *f = open_memstream(&help, &hlen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    cr_opts_usage(f);
    fclose(f);
    cr_level_names(list, sizeof list);
    CU_ASSERT_STRING_EQUAL(list, "world, node, package, numa, internode, rail");
    for (int i = 0; i < CR_LEVEL_COUNT; i++) {
        cr_level_t lv;
        const char *name = cr_level_name((cr_level_t)i);
        CU_ASSERT_EQUAL(cr_level_parse(name, &lv), 0);
        CU_ASSERT_EQUAL(lv, (cr_level_t)i);
        CU_ASSERT_PTR_NOT_NULL(strstr(help, name));
        CU_ASSERT_PTR_NOT_NULL(strstr(list, name));
    }
    for (const cr_coll_ops_t *const *c = cr_coll_registry; *c; c++)
        CU_ASSERT_PTR_NOT_NULL(strstr(help, (*c)->name));  /* and every collective */
    for (int i = 0; i < CR_DIST_COUNT; i++) {
        cr_dist_t d;
        cr_level_t lv;
        const char *name = cr_dist_name((cr_dist_t)i);
        CU_ASSERT_EQUAL(cr_dist_parse(name, &d), 0);
        CU_ASSERT_EQUAL(d, (cr_dist_t)i);
        /* a class named like a level crosses that level's links */
        if (cr_level_parse(name, &lv) == 0)
            CU_ASSERT_EQUAL(cr_level_link_class(name, 2), i);
    }
    for (size_t k = 0; k < sizeof link / sizeof link[0]; k++) {
        CU_ASSERT_EQUAL(cr_level_link_class(link[k].name, 1), link[k].one_host);
        CU_ASSERT_EQUAL(cr_level_link_class(link[k].name, 4), link[k].many_hosts);
    }
    CU_ASSERT_STRING_EQUAL(cr_level_name(CR_LEVEL_COUNT), "unknown");
    CU_ASSERT_STRING_EQUAL(cr_dist_name(CR_DIST_COUNT), "unknown");
    CU_ASSERT_EQUAL(cr_dist_parse("rail", &(cr_dist_t){ 0 }), -1);
    CU_ASSERT_EQUAL(cr_level_parse(NULL, &(cr_level_t){ 0 }), -1);
    free(help);
}

static void test_pairs(void)
{
    for (int k = 0; k < NSCEN; k++) {
        const scenario_t *s = &scenarios[k];
        cr_place_t pl[MAXR];
        cr_pair_t p[CR_DIST_COUNT];
        int np;
        build_scenario(s, pl);
        np = cr_probe_pairs(pl, s->n, p);
        CU_ASSERT_EQUAL(np, s->npairs);
        for (int i = 0; i < np && i < s->npairs; i++) {
            CU_ASSERT_EQUAL(p[i].dist, s->pairs[i].dist);
            CU_ASSERT_EQUAL(p[i].a, s->pairs[i].a);
            CU_ASSERT_EQUAL(p[i].b, s->pairs[i].b);
        }
    }
    CU_ASSERT_STRING_EQUAL(cr_dist_name(CR_DIST_PACKAGE), "package");
}

/* ---- placement of one rank ---- */

static const struct {
    const char *topo, *bind, *last;
    int package, numa, core, pu, bound;
} places[] = {
    { SYN_2PACK, "9", "", 0, 1, 9, 9, 1 },
    { SYN_2PACK, "16-23", "", 1, 2, -1, -1, 1 },      /* bound to a NUMA node */
    { SYN_2PACK, "0-31", "", -1, -1, -1, -1, 0 },     /* unbound, last CPU unknown */
    { SYN_2PACK, "0-31", "25", 1, 3, 25, 25, 0 },     /* unbound: where it last ran */
    { SYN_2PACK, "7-8", "8", 0, 1, 8, 8, 1 },         /* binding spans 2 NUMA nodes */
    { "pack:1 numa:1 core:4 pu:2", "2-3", "", 0, 0, 1, -1, 1 },
    { "pack:1 numa:1 core:4 pu:2", "2-3", "3", 0, 0, 1, 3, 1 },
};

static void test_place_from_cpuset(void)
{
    for (size_t i = 0; i < sizeof places / sizeof *places; i++) {
        hwloc_topology_t t = load_syn(places[i].topo);
        rank_spec_t r = { "h", places[i].bind, places[i].last };
        cr_place_t pl;
        int nodes, ppn;
        build(t, &r, 1, &pl, &nodes, &ppn);
        CU_ASSERT_EQUAL(pl.package, places[i].package);
        CU_ASSERT_EQUAL(pl.numa, places[i].numa);
        CU_ASSERT_EQUAL(pl.core, places[i].core);
        CU_ASSERT_EQUAL(pl.pu, places[i].pu);
        CU_ASSERT_EQUAL(pl.bound, places[i].bound);
        CU_ASSERT_STRING_EQUAL(pl.cpuset, places[i].bind);
        CU_ASSERT_EQUAL(pl.host_cores, strstr(places[i].topo, "core:4") ? 4 : 32);
        cr_topo_free(t);
    }
}

/* A binding too fragmented for CR_CPUSET_LEN: whole ranges kept, the cut marked, and
 * the overlap check sees only what was kept (no half number, no open range). */
static void test_cpuset_truncated(void)
{
    hwloc_topology_t t = load_syn("pack:2 core:128 pu:1");
    char spec[1024] = "";
    rank_spec_t r = { "h", spec, NULL };
    cr_place_t pl;
    int nodes, ppn, len;
    for (int pu = 0; pu < 256; pu += 6)
        snprintf(spec + strlen(spec), sizeof spec - strlen(spec), "%s%d", pu ? "," : "", pu);
    CU_ASSERT_FATAL(strlen(spec) >= CR_CPUSET_LEN);
    build(t, &r, 1, &pl, &nodes, &ppn);
    len = (int)strlen(pl.cpuset);
    CU_ASSERT(len < CR_CPUSET_LEN);
    CU_ASSERT(len >= 4 && strcmp(pl.cpuset + len - 4, ",...") == 0);
    CU_ASSERT_EQUAL(strncmp(pl.cpuset, spec, (size_t)len - 4), 0);   /* a prefix of whole entries */
    CU_ASSERT_EQUAL(spec[len - 4], ',');
    CU_ASSERT(cr_cpuset_overlap(pl.cpuset, "0"));
    CU_ASSERT(!cr_cpuset_overlap(pl.cpuset, "250-255"));             /* cut, not open-ended */
    cr_topo_free(t);
}

/* ---- warnings ---- */

static void test_warnings(void)
{
    hwloc_topology_t t = load_syn("pack:1 numa:1 core:2 pu:1");
    const rank_spec_t good[] = { H("a", "0"), H("a", "1"), H("b", "0"), H("b", "1") };
    const rank_spec_t loose[] = { H("a", "0-1"), H("a", "0"), H("a", "1") };
    const rank_spec_t shared[] = { H("a", "0"), H("a", "0"), H("b", "0") };
    char msg[4][CR_WARN_LEN];
    cr_place_t pl[4];
    int nodes, ppn, n;

    build(t, good, 4, pl, &nodes, &ppn);
    CU_ASSERT_EQUAL(cr_place_warnings(pl, 4, msg, 4), 0);

    build(t, loose, 3, pl, &nodes, &ppn);
    n = cr_place_warnings(pl, 3, msg, 4);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg[0], "1 of 3 ranks are not bound"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg[0], "bind-to core"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg[0], "srun --cpu-bind=cores"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg[1], "a runs 3 ranks on 2 cores"));

    build(t, shared, 3, pl, &nodes, &ppn);
    n = cr_place_warnings(pl, 3, msg, 4);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg[0], "ranks 0 and 1 on a"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg[0], "share a PU"));
    CU_ASSERT_EQUAL(cr_place_warnings(pl, 3, msg, 0), 0);
    cr_topo_free(t);
}

static const struct { const char *a, *b; int overlap; } overlaps[] = {
    { "0", "0", 1 }, { "0", "1", 0 }, { "0-3", "3", 1 }, { "0-3,8-11", "4-7", 0 },
    { "0-3,8-11", "5,9", 1 }, { "", "0", 0 }, { "16-", "31", 1 },
};

static void test_cpuset_overlap(void)
{
    for (size_t i = 0; i < sizeof overlaps / sizeof *overlaps; i++) {
        CU_ASSERT_EQUAL(cr_cpuset_overlap(overlaps[i].a, overlaps[i].b), overlaps[i].overlap);
        CU_ASSERT_EQUAL(cr_cpuset_overlap(overlaps[i].b, overlaps[i].a), overlaps[i].overlap);
    }
}

/* ---- writers ---- */

static void test_csv_json(void)
{
    hwloc_topology_t t = load_syn(SYN_2PACK);
    const rank_spec_t r[] = { H("n1", "0"), H("n1", "8-9,16"), H("n2", "0-31") };
    const char *want =
        "rank,host,node_index,local_rank,package,numa,core,pu,cpuset,bound\n"
        "0,n1,0,0,0,0,0,0,0,1\n"
        "1,n1,0,1,-1,-1,-1,-1,8-9;16,1\n"
        "2,n2,1,0,-1,-1,-1,-1,0-31,0\n";
    cr_place_t pl[3];
    char buf[1024] = "";
    int nodes, ppn;
    FILE *fp = tmpfile();
    json_t *j;

    build(t, r, 3, pl, &nodes, &ppn);
    CU_ASSERT_FATAL(fp != NULL);
    CU_ASSERT_EQUAL(cr_place_write_csv(fp, pl, 3), CR_OK);
    rewind(fp);
    buf[fread(buf, 1, sizeof buf - 1, fp)] = '\0';
    fclose(fp);
    CU_ASSERT_STRING_EQUAL(buf, want);

    j = cr_place_to_json(pl, 3);
    CU_ASSERT_FATAL(j != NULL);
    CU_ASSERT_EQUAL(json_array_size(j), 3);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(j, 1), "cpuset")), "8-9,16");
    CU_ASSERT(json_is_false(json_object_get(json_array_get(j, 2), "bound")));
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_array_get(j, 2), "node_index")), 1);
    json_decref(j);
    cr_topo_free(t);
}

/* ---- topology summary ---- */

static json_t *cache_entry(json_t *caches, int level)
{
    size_t i;
    json_t *c;
    json_array_foreach(caches, i, c)
        if (json_integer_value(json_object_get(c, "level")) == level)
            return c;
    return NULL;
}

static void check_2pack_summary(hwloc_topology_t t)
{
    json_t *s = cr_topo_summary(t, "n1"), *l3, *l2;
    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(s, "host")), "n1");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(s, "packages")), 2);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(s, "numa_nodes")), 4);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(s, "cores")), 32);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(s, "pus")), 32);
    l3 = cache_entry(json_object_get(s, "caches"), 3);
    CU_ASSERT_FATAL(l3 != NULL);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(l3, "bytes")), 16000000);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(l3, "count")), 4);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(l3, "type")), "unified");
    l2 = cache_entry(json_object_get(s, "caches"), 2);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(l2, "count")), 32);
    CU_ASSERT(json_is_array(json_object_get(s, "nics")));
    CU_ASSERT_PTR_NOT_NULL(json_object_get(s, "numa_distances"));
    CU_ASSERT_EQUAL(cr_topo_llc_bytes(t), 16000000);
    json_decref(s);
}

static void test_topo_summary(void)
{
    hwloc_topology_t t = load_syn("pack:2 numa:2 l3:1(size=16MB) core:8 l2:1(size=1MB) "
                                  "l1d:1(size=48KB) pu:1");
    check_2pack_summary(t);
    cr_topo_free(t);
    t = load_xml(FIX "2pack-2numa-8core.xml");
    check_2pack_summary(t);
    cr_topo_free(t);
    t = load_syn("pack:1 core:2 pu:1");
    CU_ASSERT_EQUAL(cr_topo_llc_bytes(t), 0);   /* no cache known */
    cr_topo_free(t);
}

static void test_nics(void)
{
    hwloc_topology_t t = load_xml(FIX "nic-pcie.xml");
    cr_nic_t nics[8];
    int n = cr_topo_nics(t, nics, 8);
    json_t *s = cr_topo_summary(t, "vm"), *nic;
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_STRING_EQUAL(nics[0].name, "mlx5_0");
    CU_ASSERT_STRING_EQUAL(nics[0].kind, "ib");
    CU_ASSERT_STRING_EQUAL(nics[1].name, "eth0");
    CU_ASSERT_STRING_EQUAL(nics[1].kind, "net");
    CU_ASSERT_STRING_EQUAL(nics[1].pci, "0000:00:03.0");
    CU_ASSERT_DOUBLE_EQUAL(nics[1].pci_GBps, 15.753846, 1e-4);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(s, "cores")), 2);
    nic = json_array_get(json_object_get(s, "nics"), 1);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(nic, "name")), "eth0");
    CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(nic, "pci_GBps")), 15.753846, 1e-4);
    json_decref(s);
    cr_topo_free(t);
    t = load_xml(FIX "vm-1pack-2core-eth0.xml");
    n = cr_topo_nics(t, nics, 8);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(nics[0].pci_GBps, 0);      /* unknown link speed */
    cr_topo_free(t);
}

/* ---- ceilings ---- */

static const struct { const char *line; double gbps; } ib_rates[] = {
    { "100 Gb/sec (4X EDR)\n", 12.5 }, { "200 Gb/sec (2X HDR)", 25 }, { "56 Gb/sec (4X FDR)", 7 },
    { "2.5 Gb/sec (1X SDR)", 0.3125 }, { "garbage", -1 }, { "10 Mb/sec", -1 },
};

static void test_ib_rate(void)
{
    for (size_t i = 0; i < sizeof ib_rates / sizeof *ib_rates; i++)
        CU_ASSERT_DOUBLE_EQUAL(cr_ceil_parse_ib_rate(ib_rates[i].line), ib_rates[i].gbps, 1e-12);
}

static void put(const char *root, const char *rel, const char *text)
{
    char path[1024], cmd[1200];
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    if (text == NULL) {
        CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
        return;
    }
    fp = fopen(path, "w");
    CU_ASSERT_FATAL(fp != NULL);
    fputs(text, fp);
    fclose(fp);
}

static void test_nominal(void)
{
    char root[] = "/tmp/cr_sysfs_XXXXXX", cmd[256];
    hwloc_topology_t t = load_xml(FIX "nic-pcie.xml");
    json_t *arr = json_array(), *e;
    size_t i;
    int seen_eth = 0, seen_ib = 0;

    CU_ASSERT_FATAL(mkdtemp(root) != NULL);
    put(root, "class/net/eth0/speed", "25000\n");
    put(root, "class/net/eth0/device", NULL);
    put(root, "class/net/veth0/speed", "10000\n");    /* virtual: no device */
    put(root, "class/net/lo/speed", "-1\n");
    put(root, "class/net/eth1/speed", "-1\n");        /* link down */
    put(root, "class/net/eth1/device", NULL);
    put(root, "class/infiniband/mlx5_0/ports/1/rate", "100 Gb/sec (4X EDR)\n");
    put(root, "class/infiniband/mlx5_0/ports/1/state", "4: ACTIVE\n");
    put(root, "class/infiniband/mlx5_0/ports/2/rate", "100 Gb/sec (4X EDR)\n");
    put(root, "class/infiniband/mlx5_0/ports/2/state", "1: DOWN\n");
    CU_ASSERT_EQUAL(cr_ceil_nominal(root, t, "n1", arr), CR_OK);
    CU_ASSERT_EQUAL(json_array_size(arr), 2);
    json_array_foreach(arr, i, e) {
        const char *dev = json_string_value(json_object_get(e, "device"));
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(e, "host")), "n1");
        if (strcmp(dev, "eth0") == 0) {
            seen_eth = 1;
            CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(e, "kind")), "net");
            CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(e, "GBps")), 3.125, 1e-12);
            CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(e, "pci_GBps")), 15.753846, 1e-4);
        } else if (strcmp(dev, "mlx5_0:1") == 0) {
            seen_ib = 1;
            CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(e, "kind")), "ib");
            CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(e, "GBps")), 12.5, 1e-12);
            /* the fixture hangs mlx5_0 from the same PCI device as eth0 */
            CU_ASSERT_DOUBLE_EQUAL(json_real_value(json_object_get(e, "pci_GBps")), 15.753846, 1e-4);
        }
    }
    CU_ASSERT(seen_eth && seen_ib);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CU_ASSERT_EQUAL(system(cmd), 0);
    json_decref(arr);
    cr_topo_free(t);
}

/* ---- memory on this machine: every expectation from libnuma and /proc, so that it
 * holds on one NUMA node or several, and where libnuma finds none (tests/nonuma.so) ---- */

static struct {
    int numa;               /* libnuma usable */
    int node;               /* the node this process runs on, pinned there by mem_init */
    int first, nallowed;    /* lowest node it may allocate on; how many it may */
    int max;                /* numa_max_node() */
    char local[32];         /* what "local" and "default" record: numa:N, or default */
    char interleave[32];    /* interleave over several nodes, numa:N over one */
} here;

/* Learns the machine's NUMA layout and pins this process to its current node, so
 * that "local" (the node of the CPU at allocation time) cannot move under a test. */
static int mem_init(void)
{
    memset(&here, 0, sizeof here);
    here.numa = cr_mem_have_numa();  /* 0 also in a build without libnuma */
    if (!here.numa) {
        snprintf(here.local, sizeof here.local, "default");
        snprintf(here.interleave, sizeof here.interleave, "default");
        return 0;
    }
#if HAVE_LIBNUMA
    struct bitmask *allowed;
    int cpu;
    cpu = sched_getcpu();
    here.node = cpu >= 0 ? numa_node_of_cpu(cpu) : 0;
    if (here.node < 0)
        here.node = 0;
    if (numa_run_on_node(here.node) != 0)
        return 1;
    here.max = numa_max_node();
    here.first = -1;
    allowed = numa_get_mems_allowed();
    if (allowed == NULL)
        return 1;
    for (int n = 0; n <= here.max; n++)
        if (numa_bitmask_isbitset(allowed, (unsigned)n)) {
            if (here.first < 0) here.first = n;
            here.nallowed++;
        }
    numa_bitmask_free(allowed);
    snprintf(here.local, sizeof here.local, "numa:%d", here.node);
    if (here.nallowed > 1)
        snprintf(here.interleave, sizeof here.interleave, "interleave");
    else
        snprintf(here.interleave, sizeof here.interleave, "numa:%d", here.first);
#endif
    return 0;
}

static void test_memcpy_probe(void)
{
    json_t *arr = json_array(), *first;
    CU_ASSERT_EQUAL_FATAL(mem_init(), 0);
    CU_ASSERT_EQUAL(cr_ceil_memcpy((size_t)16 << 20, 2, "here", arr), CR_OK);
    /* one entry per NUMA node this process may use, or one with numa null without NUMA */
    CU_ASSERT_EQUAL_FATAL(json_array_size(arr), here.numa ? (size_t)here.nallowed : 1);
    first = json_array_get(arr, 0);
    CU_ASSERT(json_real_value(json_object_get(first, "GBps")) > 0.1);
    if (here.numa)
        CU_ASSERT_EQUAL(json_integer_value(json_object_get(first, "numa")), here.first);
    if (!here.numa)
        CU_ASSERT(json_is_null(json_object_get(first, "numa")));
    json_decref(arr);
}

static void test_mem_local(void)
{
    cr_opts_t o = { .mem = CR_MEM_LOCAL };
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    static const size_t sizes[] = { 1, 4096, 100000, 8u << 20 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        cr_buf_t b;
        CU_ASSERT_EQUAL_FATAL(cr_mem_alloc(sizes[i], &o, &b), CR_OK);
        CU_ASSERT_EQUAL((size_t)b.ptr % page, 0);
        CU_ASSERT(b.mapped >= sizes[i] && b.mapped % page == 0);
        CU_ASSERT_STRING_EQUAL(b.placed, here.local);
        CU_ASSERT_STRING_EQUAL(b.pages, "base");
        memset(b.ptr, 0xab, sizes[i]);
        cr_mem_free(&b);
        CU_ASSERT_PTR_NULL(b.ptr);
    }
}

/* node:N asks for the first node this process may use (node 0 without NUMA); the
 * pages of "default" follow first touch onto the node the process is pinned to. */
static void test_mem_policies(void)
{
    const struct { cr_mem_policy_t pol; const char *want; } pols[] = {
        { CR_MEM_INTERLEAVE, here.interleave }, { CR_MEM_DEFAULT, here.local },
        { CR_MEM_NODE, here.numa ? NULL : "default" },
    };
    char node[32];
    snprintf(node, sizeof node, "numa:%d", here.first);
    for (size_t i = 0; i < sizeof pols / sizeof *pols; i++) {
        cr_opts_t o = { .mem = pols[i].pol, .mem_node = here.numa ? here.first : 0 };
        cr_buf_t b;
        CU_ASSERT_EQUAL_FATAL(cr_mem_alloc(1u << 20, &o, &b), CR_OK);
        CU_ASSERT_STRING_EQUAL(b.placed, pols[i].want ? pols[i].want : node);
        cr_mem_free(&b);
    }
}

/* Nodes past the last one are refused by the option check (and, with NUMA, by the
 * allocation itself); without NUMA only node 0 is accepted. */
static void test_mem_bad_node(void)
{
    const struct { int node; cr_status_t want; } nodes[] = {
        { here.numa ? here.max + 1 : 1, CR_ERR_INVAL },
        { here.numa ? here.max + 64 : 5, CR_ERR_INVAL },
        { here.numa ? here.first : 0, CR_OK },
    };
    for (size_t i = 0; i < sizeof nodes / sizeof *nodes; i++) {
        cr_opts_t o = { .mem = CR_MEM_NODE, .mem_node = nodes[i].node };
        char err[256] = "";
        cr_buf_t b;
        cr_status_t st;
        CU_ASSERT_EQUAL(cr_mem_policy_check(&o, err, sizeof err), nodes[i].want);
        if (!here.numa)
            continue;
        cr_log_quiet(1);
        st = cr_mem_alloc(4096, &o, &b);
        cr_log_quiet(0);
        CU_ASSERT_EQUAL(st, nodes[i].want);
        if (st == CR_OK)
            cr_mem_free(&b);
    }
}

/* A "Key:   N ..." number of /proc/meminfo; 0 if absent. */
static long meminfo(const char *key)
{
    char line[256];
    long v = 0;
    size_t klen = strlen(key);
    FILE *fp = fopen("/proc/meminfo", "r");
    while (fp && fgets(line, sizeof line, fp))
        if (strncmp(line, key, klen) == 0 && line[klen] == ':')
            v = strtol(line + klen + 1, NULL, 10);
    if (fp)
        fclose(fp);
    return v;
}

/* The page kind --huge-pages must get here: hugetlb when enough hugetlb pages are
 * free, else THP when transparent huge pages are not "never", else base pages. */
static const char *huge_kind(size_t bytes)
{
    size_t hpage = (size_t)meminfo("Hugepagesize") * 1024;
    char s[128] = "";
    FILE *fp;
    if (hpage == 0)
        hpage = 2u << 20;
    if ((size_t)meminfo("HugePages_Free") >= (bytes + hpage - 1) / hpage)
        return "hugetlb";
    fp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (fp && fgets(s, sizeof s, fp) == NULL)
        s[0] = '\0';
    if (fp)
        fclose(fp);
    return s[0] && strstr(s, "[never]") == NULL ? "thp" : "base";
}

static void test_mem_huge(void)
{
    cr_opts_t o = { .mem = CR_MEM_LOCAL, .huge_pages = 1 };
    size_t hpage = (size_t)meminfo("Hugepagesize") * 1024;
    const char *want = huge_kind(3u << 20);
    cr_buf_t b;
    cr_log_quiet(1);
    CU_ASSERT_EQUAL_FATAL(cr_mem_alloc(3u << 20, &o, &b), CR_OK);
    cr_log_quiet(0);
    if (strcmp(b.pages, want) != 0)
        printf("\n  --huge-pages gave %s pages, this machine offers %s", b.pages, want);
    CU_ASSERT_STRING_EQUAL(b.pages, want);
    CU_ASSERT_EQUAL(b.mapped % (hpage ? hpage : 2u << 20), 0);   /* whole huge pages */
    CU_ASSERT_STRING_EQUAL(b.placed, here.local);
    cr_mem_free(&b);
}

static const struct { size_t bytes, llc; int min, count, cold; } pools[] = {
    { 1u << 20, 4u << 20, 2, 9, 1 },       /* 2*4 MiB / 1 MiB + 1 */
    { 64u << 20, 4u << 20, 2, 2, 1 },      /* one buffer already exceeds 2 LLC */
    { 8, 32u << 20, 2, CR_MEM_POOL_MAX, 0 },   /* small: capped, cannot be cold */
    { 4096, 0, 3, 3, 0 },                  /* LLC unknown */
    { 0, 32u << 20, 1, 1, 0 },             /* no data (bcast's send side, in place): one */
};

static void test_mem_pool(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (size_t i = 0; i < sizeof pools / sizeof *pools; i++) {
        cr_opts_t o = { .mem = CR_MEM_LOCAL };
        cr_mem_pool_t p;
        char *first;
        CU_ASSERT_EQUAL_FATAL(cr_mem_pool_alloc(pools[i].bytes, pools[i].min, pools[i].llc, &o, &p), CR_OK);
        CU_ASSERT_EQUAL(p.count, pools[i].count);
        CU_ASSERT_EQUAL(p.cold, pools[i].cold);
        first = cr_mem_pool_next(&p);
        for (int k = 1; k < p.count; k++) {
            char *b = cr_mem_pool_next(&p);
            CU_ASSERT_EQUAL((size_t)b % page, 0);
            CU_ASSERT_EQUAL((size_t)(b - first), (size_t)k * p.stride);
        }
        CU_ASSERT_PTR_EQUAL(cr_mem_pool_next(&p), first);   /* rotation wraps */
        cr_mem_pool_free(&p);
    }
}

static CU_TestInfo levels_tests[] = {
    { "colours per level", test_colors },
    { "auto selection and skip reasons", test_auto },
    { "named levels", test_named_levels },
    { "level and class names round-trip", test_level_names },
    { "probe pairs per distance class", test_pairs },
    { "place from binding / last cpu", test_place_from_cpuset },
    { "cpuset too long: cut at a whole range", test_cpuset_truncated },
    { "binding warnings", test_warnings },
    { "cpuset overlap", test_cpuset_overlap },
    { "placement.csv and JSON", test_csv_json },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo topo_tests[] = {
    { "summary counts", test_topo_summary },
    { "NICs from XML", test_nics },
    { "IB rate parsing", test_ib_rate },
    { "nominal rates from sysfs", test_nominal },
    { "memcpy probe", test_memcpy_probe },
    CU_TEST_INFO_NULL,
};

static CU_TestInfo mem_tests[] = {
    { "local, page-aligned", test_mem_local },
    { "interleave/default/node:N", test_mem_policies },
    { "node past the last is an error", test_mem_bad_node },
    { "huge pages", test_mem_huge },
    { "cold-cache pool", test_mem_pool },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "levels", NULL, NULL, NULL, NULL, levels_tests },
    { "topology", NULL, NULL, NULL, NULL, topo_tests },
    { "memory", mem_init, NULL, NULL, NULL, mem_tests },
    CU_SUITE_INFO_NULL,
};

int main(void)
{
    return cu_run(suites);
}
