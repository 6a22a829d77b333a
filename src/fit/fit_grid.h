/* predict --grid: a sweep of nodes, ppn, sizes and what-if rates in one command
 * (docs/formats.md, "predict --grid"). Pure.
 *
 * SPEC = FIELD=VALUES[,FIELD=VALUES...]; a comma starts the next value of the same
 * field unless the text after it holds '=' (then it starts the next field):
 *   nodes=2..1024          (integers: a list "2,4,8", or A..B doubling, A..B:xK
 *   ppn=1,2,8               multiplying by K, A..B:+K adding K; B itself is kept
 *                           only when the steps reach it)
 *   bytes=64K:1G:x4         (collroof -m's sweeps: MIN:MAX[:xF] or one size; binary
 *                           K, M, G; a list of them)
 *   LEVEL-GBps=25,50,100    (what-if bandwidth of LEVEL: world, node, package, numa,
 *   LEVEL-latency-us=1,2     internode, rail; decimals, lists or A..B:xK / :+K)
 *   link-GBps=..., latency-us=...   (the global --link-GBps / --latency-us)
 * Fields left out take the command's --nodes, --ppn, --bytes and what-if options.
 * Points run with the what-ifs outermost (in the order given), then ppn, bytes, and
 * nodes innermost: a series along nodes is contiguous. */
#ifndef FIT_GRID_H
#define FIT_GRID_H

#include <stddef.h>
#include <stdint.h>
#include "fit_predict.h"

#define CR_FIT_GRID_MAXWI 8
#define CR_FIT_GRID_MAXPTS 100000

typedef struct cr_fit_grid_axis {
    int level;          /* cr_level_t; -1: the global link_GBps / latency_us */
    int latency;        /* 0: GB/s, 1: us */
    double *v;
    size_t n;
} cr_fit_grid_axis_t;

typedef struct cr_fit_grid {
    long *nodes, *ppn;
    size_t nnodes, nppn;
    uint64_t *bytes;
    size_t nbytes;
    cr_fit_grid_axis_t wi[CR_FIT_GRID_MAXWI];
    size_t nwi;
} cr_fit_grid_t;

/* Parses spec into g (zeroed first; free with cr_fit_grid_free, also after an
 * error). On a bad field or value writes "invalid --grid ...: ..." naming it into
 * err and returns CR_ERR_INVAL; more than CR_FIT_GRID_MAXPTS points are refused. */
cr_status_t cr_fit_grid_parse(const char *spec, cr_fit_grid_t *g, char *err, size_t errlen);
void cr_fit_grid_free(cr_fit_grid_t *g);

/* Number of points (fields left out count once). */
size_t cr_fit_grid_size(const cr_fit_grid_t *g);

/* Point i (0 <= i < size) applied to base: nodes, ppn, ranks = nodes x ppn, bytes
 * and the what-ifs of the grid's fields; the rest as in base. */
void cr_fit_grid_point(const cr_fit_grid_t *g, size_t i, const cr_fit_query_t *base,
                       cr_fit_query_t *q);

/* The series of point i: points differing only in nodes share it. */
size_t cr_fit_grid_series(const cr_fit_grid_t *g, size_t i);

/* One answered point (predict --grid; the plot's input). */
typedef struct cr_fit_grid_pt {
    cr_fit_query_t q;
    double t, lo, hi;       /* us: the answer and its 95% interval; NAN: none */
    double tm;              /* us: the same on the measured fabric */
    int hier;               /* 1: the hierarchical answer, 0: the flat one */
    size_t series;          /* cr_fit_grid_series */
} cr_fit_grid_pt_t;

#endif
