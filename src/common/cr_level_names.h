/* The one table of level names and distance classes (pure; both programs link it):
 * what a row's `level` column can hold, and which links a group at it crosses. */
#ifndef CR_LEVEL_NAMES_H
#define CR_LEVEL_NAMES_H

#include <stddef.h>

/* Levels of the machine, in the order --levels auto considers them. */
typedef enum cr_level {
    CR_LEVEL_WORLD, CR_LEVEL_NODE, CR_LEVEL_PACKAGE, CR_LEVEL_NUMA,
    CR_LEVEL_INTERNODE, CR_LEVEL_RAIL, CR_LEVEL_COUNT
} cr_level_t;

/* Distance classes of rank pairs (the `level` of a probe's rows), nearest first. */
typedef enum cr_dist {
    CR_DIST_NUMA,       /* same NUMA node */
    CR_DIST_PACKAGE,    /* other NUMA node, same package */
    CR_DIST_NODE,       /* other package, same host */
    CR_DIST_INTERNODE,  /* other host */
    CR_DIST_COUNT
} cr_dist_t;

const char *cr_level_name(cr_level_t lv);                /* "unknown" out of range */
int cr_level_parse(const char *name, cr_level_t *out);   /* 0 ok, -1 unknown */
const char *cr_dist_name(cr_dist_t d);                   /* "unknown" out of range */
int cr_dist_parse(const char *name, cr_dist_t *out);     /* 0 ok, -1 unknown */

/* "world, node, package, numa, internode, rail" into buf (truncated to len). */
const char *cr_level_names(char *buf, size_t len);

/* Distance class of the farthest pair within one group at `name` (a level, or a
 * probe's distance class), in a run over `nodes` hosts: the links its traffic
 * crosses (world: node on one host, internode across hosts). -1 for an unknown name. */
int cr_level_link_class(const char *name, int nodes);

#endif
