/* Level communicators for the harness (MPI edge over the pure colouring). */
#ifndef CR_LEVEL_CTX_H
#define CR_LEVEL_CTX_H

#include <mpi.h>
#include "cr_error.h"
#include "cr_levels.h"
#include "cr_opts.h"

/* One level (or the distance class of a link probe's pair) as the harness runs it. */
typedef struct cr_level_ctx {
    char name[32];   /* level name, or the distance class of a probe pair */
    MPI_Comm comm;   /* this rank's group; MPI_COMM_NULL when it takes no part */
    int ranks;       /* ranks per group (the largest group) */
    int groups;      /* concurrent groups */
} cr_level_ctx_t;

/* Seconds this rank spent in the parts of a setup (COLLROOF_SETUP_TIMING). */
typedef struct cr_level_times {
    double colour;   /* s: the pure colouring (levels) or pair choice (probe pairs) */
    double split;    /* s: the MPI_Comm_split calls */
} cr_level_times_t;

/* Collective over world. One context per level to run, from o->levels (names or
 * "auto", see cr_levels_resolve): comm = this rank's group (MPI_Comm_split on the
 * pure colours; MPI_COMM_NULL where the rank takes no part), ranks = largest group,
 * groups = number of groups. Rank 0 prints (unless o->quiet) which levels auto
 * skipped and why. *out is malloc'ed; free with cr_levels_free. pl: the table from
 * cr_place_gather (n = world size). t: where the time went (added to). */
cr_status_t cr_levels_setup(MPI_Comm world, const cr_place_t *pl, int n, const cr_opts_t *o,
                            cr_level_ctx_t **out, int *nout, cr_level_times_t *t);

/* Collective over world. One 2-rank context per distance class present (name =
 * "numa", "package", "node", "internode"; see cr_probe_pairs): comm holds the two
 * ranks of the pair on those ranks, MPI_COMM_NULL elsewhere; ranks = 2, groups = 1. */
cr_status_t cr_levels_setup_pairs(MPI_Comm world, const cr_place_t *pl, int n,
                                  cr_level_ctx_t **out, int *nout, cr_level_times_t *t);

/* Free every communicator and the array (collective over world: MPI_Comm_free). */
void cr_levels_free(cr_level_ctx_t *ctx, int n);

#endif
