/* Energy of each measurement's sampling loop (MPI edge): the first rank of each
 * host (local rank 0) reads its host's powercap counters (cr_powercap.h) just
 * before and just after the loop; rank 0 gets the max and the sum over hosts
 * (docs/method.md, "Energy"). */
#ifndef CR_ENERGY_H
#define CR_ENERGY_H

#include <jansson.h>
#include <mpi.h>
#include "cr_error.h"
#include "cr_place_io.h"
#include "cr_powercap.h"
#include "cr_result.h"

typedef struct cr_energy {
    int reader;                 /* this rank reads its host's counters */
    int have[CR_PC_KINDS];      /* every host has usable zones of this kind (same everywhere) */
    double wrap_s;              /* shortest wrap period over the hosts, s (same everywhere) */
    cr_pc_t pc;                 /* reader: its host's zones */
    uint64_t before[CR_PC_MAX]; /* reader: energy_uj at the loop's start */
    double t0;                  /* reader: when they were read, s */
    int bad;                    /* reader: this loop's energy cannot be trusted */
    char why[512];              /* reader: why */
    int warned;                 /* reader: a bad loop said once */
} cr_energy_t;

/* Collective over world. Readers scan their host (COLLROOF_POWERCAP_ROOT, testing
 * only, else /sys/class/powercap); every rank learns which kinds all hosts have.
 * Rank 0 says once when the columns stay empty (the path tried and why) and when
 * time_limit (s) exceeds a wrap period, and gets in *meta (new reference) the
 * metadata object "energy": {"package","dram","wrap_s","hosts":[...]}. */
cr_status_t cr_energy_setup(MPI_Comm world, const cr_place_t *pl, int n, double time_limit,
                            cr_energy_t *e, json_t **meta);

/* Reader: the counters at the loop's start (now: s, the harness's clock). e NULL:
 * energy not measured (here and in cr_energy_end). */
void cr_energy_begin(cr_energy_t *e, double now);

/* Collective over world, after the loop of calls calls (samples × calls per
 * sample) of S = bytes: on rank 0 fills r->energy (left NAN for a kind some host
 * lacks, or for every kind when a reader's loop failed). */
cr_status_t cr_energy_end(cr_energy_t *e, MPI_Comm world, double now, double calls,
                          uint64_t bytes, cr_result_t *r);

#endif
