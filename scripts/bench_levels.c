/* Time the pure setup work every rank does on the placement table (derive, level
 * colouring of every level, probe pairs) at N ranks, 64 per host: the O(n log n)
 * code and the O(n^2) reference (tests/levels_ref.h). Prints one line per N:
 * "N new_s ref_s" (ref_s "-" above 20,000 ranks: too slow to wait for). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cr_levels.h"
#include "../tests/levels_ref.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Seconds for the whole pure setup on a table of n ranks; ref: the old code. */
static double run(int n, int ref)
{
    cr_place_t *pl = malloc((size_t)n * sizeof *pl);
    int *col = malloc((size_t)n * sizeof *col), nodes, ppn;
    cr_pair_t pairs[CR_DIST_COUNT];
    double t;
    if (!pl || !col) exit(1);
    ref_synth(pl, n, 0, 64, 0);
    t = now();
    if (ref) ref_place_derive(pl, n, &nodes, &ppn);
    else if (cr_place_derive(pl, n, &nodes, &ppn) != CR_OK) exit(1);
    for (int lv = 0; lv < CR_LEVEL_COUNT; lv++)
        (ref ? ref_level_colors : cr_level_colors)(pl, n, (cr_level_t)lv, col);
    (ref ? ref_probe_pairs : cr_probe_pairs)(pl, n, pairs);
    t = now() - t;
    free(col);
    free(pl);
    return t;
}

int main(int argc, char **argv)
{
    printf("%8s %12s %12s\n", "ranks", "new_s", "old_s");
    for (int i = 1; i < argc; i++) {
        int n = atoi(argv[i]);
        double t = run(n, 0);
        if (n <= 20000) printf("%8d %12.6f %12.6f\n", n, t, run(n, 1));
        else printf("%8d %12.6f %12s\n", n, t, "-");
    }
    return 0;
}
