/* Bytes on the wire of each measurement's sampling loop (MPI edge): the first rank
 * of each host (local rank 0) reads its host's NIC byte counters (cr_netcount.h)
 * just before and just after the loop, then over an idle interval for background
 * traffic; rank 0 gets the sum and the max over hosts, beside the collective's
 * inter-host minimum (docs/method.md, "Bytes on the wire"). */
#ifndef CR_WIRE_H
#define CR_WIRE_H

#include <jansson.h>
#include <mpi.h>
#include "cr_coll.h"
#include "cr_error.h"
#include "cr_level_ctx.h"
#include "cr_netcount.h"
#include "cr_place_io.h"
#include "cr_result.h"

/* The idle interval after each loop lasts as long as the loop, at most this (s);
 * its bytes are scaled to the loop's length. Cost: at most this per row. */
#define CR_WIRE_IDLE_MAX_S 0.1

typedef struct cr_wire {
    int reader;               /* this rank reads its host's counters */
    int on;                   /* every host has interfaces to read (same everywhere) */
    const cr_place_t *pl;     /* the placement table (host of every world rank) */
    int npl;
    cr_nc_t nc;               /* reader: its host's interfaces */
    cr_nc_sample_t before, after; /* reader: at the loop's start and end */
    double t0, loop_s;        /* reader: when the loop started, s; how long it took */
    int bad;                  /* reader: this loop's counts cannot be trusted */
    char why[512];            /* reader: why */
    int warned;               /* reader: a bad loop said once */
} cr_wire_t;

/* Collective over world. Readers find their host's interfaces (list: --net-if;
 * COLLROOF_SYSFS_ROOT and COLLROOF_PROCFS_ROOT, testing only, else /sys and
 * /proc). A list naming an interface a host lacks is an error, said by that host's
 * reader (CR_ERR_INVAL everywhere). Rank 0 says once when the counters cannot be
 * read on some host (which, and why: the wire_* columns but the minimum stay empty)
 * and gets in *meta (new reference) the metadata object "wire". */
cr_status_t cr_wire_setup(MPI_Comm world, const cr_place_t *pl, int n, const char *list,
                          cr_wire_t *w, json_t **meta);

/* Reader: the counters at the loop's start (now: s, the harness's clock). w NULL:
 * nothing measured (here, in cr_wire_stop and cr_wire_end). */
void cr_wire_begin(cr_wire_t *w, double now);

/* Reader: the counters at the loop's end, at once (no MPI). */
void cr_wire_stop(cr_wire_t *w, double now);

/* Collective over world, after cr_wire_stop, for a loop of calls calls of ops at
 * level lv with sh (block_count, dsize, in_place; p is taken from each group): the
 * idle interval (every rank sleeps), then on rank 0 r->wire: bytes per call, the
 * minimum summed over lv's groups, traffic efficiency and the background flag. */
cr_status_t cr_wire_end(cr_wire_t *w, MPI_Comm world, const cr_level_ctx_t *lv,
                        const cr_coll_ops_t *ops, cr_coll_shape_t sh, double calls,
                        cr_result_t *r);

#endif
