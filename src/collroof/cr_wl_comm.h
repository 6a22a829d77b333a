/* The communicators a workload step's calls run on, coloured from a job's
 * placement table (collroof only; the parser is src/common/cr_workload.h). Pure. */
#ifndef CR_WL_COMM_H
#define CR_WL_COMM_H

#include "cr_place_io.h"
#include "cr_workload.h"

/* 0 when pp divides the world's n ranks, tp the ranks of a stage (n / pp) and the
 * ranks of every host of the placement table pl[n]; else -1 and a message naming
 * the layout line, the host and its rank count in err. */
int cr_workload_layout_check(const cr_workload_t *wl, const cr_place_t *pl, int n, char *err,
                             size_t errlen);

/* Colour of each rank for comm (ranks with the same colour form one group, numbered
 * 0.. in order of their lowest rank; every rank belongs to one group), in Megatron
 * order: tp innermost (on one host), then dp, pp outermost (stage = world rank /
 * (n / pp); a pp group is ordered by stage when split by world rank). Returns the
 * number of groups and sets *ranks to the largest group's size; -1 when scratch
 * space cannot be had. The layout must have passed cr_workload_layout_check. */
int cr_workload_colors(const cr_workload_t *wl, cr_wl_comm_t comm, const cr_place_t *pl, int n,
                       int *colors, int *ranks);

#endif
