/* Replay of a training step (--workload): the MPI edge over the pure parser
 * (cr_workload.h). docs/method.md, "Replaying a step". */
#ifndef CR_WORKLOAD_RUN_H
#define CR_WORKLOAD_RUN_H

#include <mpi.h>
#include "cr_harness.h"
#include "cr_place_io.h"
#include "cr_wl_comm.h"

/* Collective over world: rank 0 reads o->workload (at most CR_WL_MAX_FILE bytes)
 * and broadcasts it; every rank parses the same bytes. On a file that cannot be
 * read or parsed rank 0 prints one error and every rank gets CR_ERR_INVAL. *wl and
 * *text (the file's bytes, NUL-terminated, for the metadata) are malloc'ed. */
cr_status_t cr_workload_load(MPI_Comm world, const cr_opts_t *o, cr_workload_t **wl, char **text);

/* Collective over world, before anything is allocated or written: the layout
 * (tp divides every host's ranks), each call's size in whole elements on its
 * groups, its routing on its group's ranks, and the memory of every call's
 * buffers against what the ranks of a host may allocate. One error (rank 0) and
 * the same status everywhere: CR_ERR_INVAL or CR_ERR_NOMEM. */
cr_status_t cr_workload_check(const cr_run_t *run, const cr_workload_t *wl, const cr_place_t *pl);

/* Collective over world: the communicators, buffers, validation, kernels, then the
 * step sampled until the stopping rule holds; rank 0 writes the step row and one
 * row per call line through run->writers. */
cr_status_t cr_workload_measure(cr_run_t *run, const cr_workload_t *wl, const cr_place_t *pl);

#endif
