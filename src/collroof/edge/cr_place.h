/* This rank's placement from hwloc and MPI, and the table on every rank (MPI edge). */
#ifndef CR_PLACE_H
#define CR_PLACE_H

#include <hwloc.h>
#include <jansson.h>
#include <mpi.h>
#include "cr_error.h"
#include "cr_place_io.h"

/* Fill package, numa, core, pu (the objects of each type that contain `bind`, else
 * those that contain `last`, else -1), cpuset (= bind), bound (bind leaves out an
 * allowed PU), host_cores and host_pus from topology t. rank and host are untouched.
 * No MPI: tests call it on synthetic topologies. */
cr_status_t cr_place_from_cpuset(hwloc_topology_t t, hwloc_const_cpuset_t bind,
                                 hwloc_const_cpuset_t last, cr_place_t *out);

/* This rank's place: MPI_Get_processor_name, hwloc_get_cpubind,
 * hwloc_get_last_cpu_location. node_index/local_rank are left -1. */
cr_status_t cr_place_self(hwloc_topology_t t, int rank, cr_place_t *out);

/* The placement table on every rank (collective over world): each rank's
 * cr_place_self, MPI_Allgather, then cr_place_derive. *out is malloc'ed, n entries
 * indexed by rank in world; free() it. */
cr_status_t cr_place_gather(MPI_Comm world, hwloc_topology_t t, cr_place_t **out, int *n,
                            int *nodes, int *ppn);

/* Collective over world: every node leader (local_rank 0) passes its per-host JSON
 * object in `mine` (others pass NULL, or anything: it is ignored); rank 0 gets in
 * *all a new array of them, in node order; other ranks get NULL. */
cr_status_t cr_place_gather_json(MPI_Comm world, const cr_place_t *pl, int n,
                                 const json_t *mine, json_t **all);

#endif
