/* Placement of ranks and the levels of the machine (pure colouring + MPI edge). */
#ifndef CR_LEVELS_H
#define CR_LEVELS_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>
#include "cr_error.h"

#define CR_HOST_LEN 64
#define CR_CPUSET_LEN 128

/* One rank's place, as hwloc and MPI see it. -1 = unknown. Fixed size and free of
 * pointers: gathered with MPI_Allgather as bytes. */
typedef struct cr_place {
    int rank;
    char host[CR_HOST_LEN];      /* MPI_Get_processor_name */
    int node_index;              /* 0.. in order of first appearance by rank */
    int local_rank;              /* rank among the ranks of its host */
    int package, numa, core, pu; /* logical indexes of the object covering the binding / last cpu */
    char cpuset[CR_CPUSET_LEN];  /* binding, hwloc list syntax ("0-3") */
    int bound;                   /* binding narrower than the whole machine */
    int host_cores, host_pus;    /* cores and PUs hwloc sees on this rank's host (0 = unknown) */
} cr_place_t;

typedef enum cr_level {
    CR_LEVEL_WORLD, CR_LEVEL_NODE, CR_LEVEL_PACKAGE, CR_LEVEL_NUMA,
    CR_LEVEL_INTERNODE, CR_LEVEL_RAIL, CR_LEVEL_COUNT
} cr_level_t;

const char *cr_level_name(cr_level_t lv);
int cr_level_parse(const char *name, cr_level_t *out);   /* 0 ok, -1 unknown */

/* Fill node_index and local_rank from host names; return nodes and max ppn. */
void cr_place_derive(cr_place_t *pl, int n, int *nodes, int *ppn);

/* placement.csv: header "rank,host,node_index,local_rank,package,numa,core,pu,cpuset,bound"
 * then one row per rank; -1 = unknown; commas inside the cpuset list are written as
 * ';' ("0-3;8-11") so that no field contains a comma; bound is 1 or 0. Pure. */
cr_status_t cr_place_write_csv(FILE *fp, const cr_place_t *pl, int n);
/* The placement table as a JSON array of per-rank objects (placement.csv's columns;
 * bound as a boolean, cpuset in hwloc list syntax). NULL on allocation failure. */
json_t *cr_place_to_json(const cr_place_t *pl, int n);

#define CR_WARN_LEN 768
/* Binding problems, one message each (no prefix, no newline): ranks not bound,
 * bound ranks on one host whose cpusets overlap, more ranks on a host than it has
 * cores; each says how to bind. Pure; rank 0 prints them. Returns the count (<= max). */
int cr_place_warnings(const cr_place_t *pl, int n, char msgs[][CR_WARN_LEN], int max);
/* 1 when two cpusets in hwloc list syntax ("0-3,8") share a PU, 0 otherwise. */
int cr_cpuset_overlap(const char *a, const char *b);

/* Colour of each rank at a level: ranks with the same colour form one group;
 * -1 = the rank takes no part at that level. Colours are dense (0..groups-1), in
 * order of each group's lowest rank. Pure. Returns the number of groups. */
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

/* Distance classes of rank pairs, for point-to-point probes. */
typedef enum cr_dist {
    CR_DIST_NUMA,       /* same NUMA node */
    CR_DIST_PACKAGE,    /* other NUMA node, same package */
    CR_DIST_NODE,       /* other package, same host */
    CR_DIST_INTERNODE,  /* other host */
    CR_DIST_COUNT
} cr_dist_t;

const char *cr_dist_name(cr_dist_t d);  /* "numa", "package", "node", "internode" */
/* Class of the pair (a, b); -1 when unknown (same host, package or NUMA unknown). */
int cr_place_distance(const cr_place_t *a, const cr_place_t *b);

typedef struct cr_pair {
    cr_dist_t dist;
    int a, b;              /* ranks, a < b */
} cr_pair_t;

/* One pair per distance class present, the lexicographically lowest (a, b);
 * pairs in class order. Pure. Returns the number of pairs (0..CR_DIST_COUNT). */
int cr_probe_pairs(const cr_place_t *pl, int n, cr_pair_t *pairs);

#endif
