/* The run's metadata object (line 1 of results.jsonl). */
#ifndef CR_META_H
#define CR_META_H

#include <jansson.h>
#include "cr_opts.h"
#include "cr_timer.h"

/* Tool, command line, MPI library, start time, sizes of the job, timer, options
 * and the MPI/Slurm/UCX environment. Placement, topology and ceilings are added
 * by the caller. Returns a new reference or NULL (reported). */
json_t *cr_meta_build(const cr_opts_t *o, int argc, char **argv, long start,
                      const cr_timer_t *t, int ranks, int nodes, int ppn);

#endif
