/* The O(n log n) placement derivation, level colouring and probe-pair choice give
 * the results of the O(n^2) reference (tests/levels_ref.h), up to 10,000 ranks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_main.h"
#include "cr_levels.h"
#include "levels_ref.h"

typedef struct { const char *what; int n, shape, hosts; unsigned seed; } shape_t;

static const shape_t shapes[] = {
    { "10000 ranks, 64 per host", 10000, 0, 64, 0 },
    { "10000 ranks round-robin on 100 hosts", 10000, 1, 100, 0 },
    { "3000 ranks, one per host", 3000, 2, 0, 0 },
    { "3000 random ranks on 37 hosts", 3000, 3, 37, 1 },
    { "500 random ranks on 3 hosts", 500, 3, 3, 7 },
    { "1 rank", 1, 0, 64, 0 },
};

static void test_same_as_reference(void)
{
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        const shape_t *sh = &shapes[s];
        cr_place_t *a = malloc((size_t)sh->n * sizeof *a), *b = malloc((size_t)sh->n * sizeof *b);
        int *ca = malloc((size_t)sh->n * sizeof *ca), *cb = malloc((size_t)sh->n * sizeof *cb);
        int na, nb, pa, pb, same = 1;
        cr_pair_t qa[CR_DIST_COUNT], qb[CR_DIST_COUNT];
        CU_ASSERT_FATAL(a && b && ca && cb);
        ref_synth(a, sh->n, sh->shape, sh->hosts, sh->seed);
        memcpy(b, a, (size_t)sh->n * sizeof *a);
        CU_ASSERT_EQUAL(cr_place_derive(a, sh->n, &na, &pa), CR_OK);
        ref_place_derive(b, sh->n, &nb, &pb);
        for (int i = 0; i < sh->n; i++)
            same &= a[i].node_index == b[i].node_index && a[i].local_rank == b[i].local_rank;
        printf("\n  %s: %d hosts, ppn %d", sh->what, na, pa);
        CU_ASSERT(same);
        CU_ASSERT_EQUAL(na, nb);
        CU_ASSERT_EQUAL(pa, pb);
        for (int lv = 0; lv < CR_LEVEL_COUNT; lv++) {
            int ga = cr_level_colors(a, sh->n, (cr_level_t)lv, ca);
            int gb = ref_level_colors(b, sh->n, (cr_level_t)lv, cb);
            CU_ASSERT_EQUAL(ga, gb);
            CU_ASSERT(memcmp(ca, cb, (size_t)sh->n * sizeof *ca) == 0);
        }
        na = cr_probe_pairs(a, sh->n, qa);
        nb = ref_probe_pairs(b, sh->n, qb);
        CU_ASSERT_EQUAL_FATAL(na, nb);
        for (int i = 0; i < na; i++) {
            CU_ASSERT_EQUAL(qa[i].dist, qb[i].dist);
            CU_ASSERT_EQUAL(qa[i].a, qb[i].a);
            CU_ASSERT_EQUAL(qa[i].b, qb[i].b);
        }
        free(cb);
        free(ca);
        free(b);
        free(a);
    }
}

static CU_TestInfo scale_tests[] = {
    { "derive, colours and probe pairs as the O(n^2) reference", test_same_as_reference },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    { "scale", NULL, NULL, NULL, NULL, scale_tests },
    CU_SUITE_INFO_NULL,
};

int main(void) { return cu_run(suites); }
