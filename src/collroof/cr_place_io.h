/* The placement table: one rank's place (host, package, NUMA node, core, PU,
 * binding) and what is derived from the table or written from it. Pure. */
#ifndef CR_PLACE_IO_H
#define CR_PLACE_IO_H

#include <jansson.h>
#include <stdio.h>
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

/* Fill node_index (hosts in order of their lowest rank) and local_rank (rank among
 * the lower ranks of its host) from host names; return nodes and max ppn. O(n log n).
 * CR_ERR_NOMEM without scratch space. */
cr_status_t cr_place_derive(cr_place_t *pl, int n, int *nodes, int *ppn);

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

#endif
