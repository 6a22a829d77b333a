/* The levels of the machine and the distance classes of rank pairs: pure
 * colouring of the placement table (cr_place_io.h). */
#ifndef CR_LEVELS_H
#define CR_LEVELS_H

#include <stddef.h>
#include "cr_error.h"
#include "cr_level_names.h"
#include "cr_place_io.h"

/* Colour of each rank at a level: ranks with the same colour form one group;
 * -1 = the rank takes no part at that level. Colours are dense (0..groups-1), in
 * order of each group's lowest rank. Pure, O(n log n). Returns the number of groups,
 * -1 without scratch space. */
int cr_level_colors(const cr_place_t *pl, int n, cr_level_t lv, int *colors);

/* Smallest and largest group size of a colouring (0, 0 when nobody takes part). */
void cr_level_group_sizes(const int *colors, int n, int *min, int *max);

/* One level chosen by --levels, or skipped by auto with the reason. */
typedef struct cr_level_pick {
    cr_level_t level;
    int run;                 /* 1 = run it; 0 = skipped by auto */
    char why[128];           /* why it was skipped ("" when run) */
} cr_level_pick_t;

/* Resolve the --levels names (level names or "auto", in the order given) into
 * picks, at most CR_LEVEL_COUNT, each level once. A named level always runs;
 * "auto" considers world, node, package, numa, internode, rail in that order and
 * runs each whose groups all have >= 2 ranks and whose partition differs from
 * every level already chosen. Returns CR_ERR_INVAL on an unknown name. Pure. */
cr_status_t cr_levels_resolve(const cr_place_t *pl, int n, const char *const *names,
                              int nnames, cr_level_pick_t *picks, int *npicks);

/* Distance class (cr_dist_t) of the pair (a, b), for point-to-point probes; -1 when
 * unknown (same host, package or NUMA unknown). */
int cr_place_distance(const cr_place_t *a, const cr_place_t *b);

typedef struct cr_pair {
    cr_dist_t dist;
    int a, b;              /* ranks, a < b */
} cr_pair_t;

/* One pair per distance class present, the lexicographically lowest (a, b);
 * pairs in class order. Pure, O(n log n). Returns the number of pairs
 * (0..CR_DIST_COUNT), -1 without scratch space. */
int cr_probe_pairs(const cr_place_t *pl, int n, cr_pair_t *pairs);

#endif
