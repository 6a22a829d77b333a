/* The measurement loop (MPI edge): levels × collectives × cadences × sizes. */
#ifndef CR_HARNESS_H
#define CR_HARNESS_H

#include <mpi.h>
#include "cr_coll_mpi.h"
#include "cr_energy.h"
#include "cr_wire.h"
#include "cr_error.h"
#include "cr_level_ctx.h"
#include "cr_opts.h"
#include "cr_result.h"
#include "cr_resume.h"
#include "cr_timer.h"
#include "cr_writer.h"

#define CR_MAX_WRITERS 4

/* What every measurement of one run shares. */
typedef struct cr_run {
    const cr_opts_t *o;
    MPI_Comm world;            /* barriers and the max-over-ranks reductions */
    int wrank, wsize;
    int nodes, ppn;
    cr_timer_t timer;
    size_t llc_bytes;          /* last-level cache, for --cold-cache (0 = unknown) */
    cr_writer_t writers[CR_MAX_WRITERS]; /* rank 0 only */
    int nwriters;
    int progress;              /* rank 0: progress line on stderr (a tty) */
    int done, total;           /* measurements, for the progress line */
    int rows;                  /* rows written */
    int failures;              /* validation failures so far (same on every rank) */
    int inject_fault;          /* testing: this rank corrupts its validated output (-1 none) */
    int inject_stall;          /* testing: this rank stops before a barrier of its first
                                * measurement's sampling (-1 none): the watchdog's case */
    const cr_resume_t *resume; /* --resume: the measurements the run holds, skipped; or NULL */
    int kept;                  /* --resume: rows kept from before (counted in rows) */
    struct {                   /* the last measurement, to skip a size rounded to its bytes */
        const cr_coll_ops_t *ops;
        const cr_level_ctx_t *lv;
        cr_cadence_t cad;
        uint64_t req, bytes;
    } last;
    int dup_warned;
    cr_energy_t *energy;       /* the hosts' energy counters around each loop; NULL: none */
    cr_wire_t *wire;           /* the hosts' NIC byte counters around each loop; NULL: none */
    size_t max_count;          /* testing: largest MPI count (0 = INT_MAX), so that small
                                * sizes take the large-count path (COLLROOF_MAX_COUNT) */
} cr_run_t;

/* Measure one collective at one level, cadence and requested size; write the row
 * (rank 0). Every rank of run->world calls it with the same arguments. An overlap
 * cadence for a collective without irun measures nothing (no row). */
cr_status_t cr_harness_measure(cr_run_t *run, const cr_level_ctx_t *lv, const cr_coll_ops_t *ops,
                               const cr_dtype_t *dt, uint64_t req_bytes, cr_cadence_t cad);

/* Bytes this rank needs for ops at size S on p ranks (all buffers, cold-cache pool included). */
size_t cr_harness_bytes_needed(const cr_run_t *run, const cr_coll_ops_t *ops, const cr_dtype_t *dt,
                               uint64_t req_bytes, int p);

#endif
