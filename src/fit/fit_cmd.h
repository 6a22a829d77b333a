/* collroof-fit command lines: fit (default), predict, intensity. Each command's
 * options are one table (cr_cli_t): its parser, --help, man page and tests. */
#ifndef FIT_CMD_H
#define FIT_CMD_H

#include <stdio.h>
#include "cr_cli.h"
#include "fit_group.h"
#include "fit_energy.h"
#include "fit_predict.h"
#include "fit_read.h"

int cr_fit_cmd_fit(int argc, char **argv);
int cr_fit_cmd_predict(int argc, char **argv);
int cr_fit_cmd_intensity(int argc, char **argv);
int cr_fit_cmd_plan(int argc, char **argv);
int cr_fit_cmd_workload(int argc, char **argv);
int cr_fit_cmd_boundary(int argc, char **argv);   /* fit_cmd_boundary.c */

/* Strict number parsing for options; on a bad value writes "invalid OPT 'VAL':
 * expected WHAT" into err and returns CR_ERR_INVAL. */
cr_status_t cr_fit_opt_double(const char *opt, const char *val, double lo, double hi,
                              double *out, char *err, size_t errlen);
cr_status_t cr_fit_opt_long(const char *opt, const char *val, long lo, long hi, long *out,
                            char *err, size_t errlen);

/* The fit command's options. */
typedef struct cr_fit_fit_args {
    cr_fit_opts_t fo;
    cr_fit_read_opts_t ro;
    const char *outdir;      /* NULL: beside the first run */
    int plots, formats;      /* formats: CR_FIT_PLOT_* bits */
    int help, version;
} cr_fit_fit_args_t;

/* predict's and intensity's options (one table, each entry marked for its commands). */
typedef struct cr_fit_pargs {
    cr_fit_query_t q;
    const char *fit, *csv;
    const char *grid;        /* --grid SPEC (fit_grid.h); NULL: one prediction */
    const char *grid_plot;   /* --grid-plot DIR: gnuplot script, data and plot */
    double flops, peak_tflops, bw;  /* FLOP, TFLOP/s, GB/s */
    long nodes, ppn;
    int help;
    /* predict --energy: link energy per call (fit_cmd_penergy.c) */
    int energy;
    char link[1024];                /* the --link specs, comma-joined */
    const char *links, *energy_run; /* --links FILE, --energy-run RUN */
} cr_fit_pargs_t;

/* plan's options (fit_cmd_plan.c). */
#define CR_FIT_PLAN_MAXN 64      /* node counts in --nodes */
typedef struct cr_fit_plan_args {
    const char *fit, *workload, *csv, *plot, *cadence;
    const char *grid;               /* --grid SPEC: nodes, ppn, what-ifs (fit_grid.h) */
    int nodes[CR_FIT_PLAN_MAXN], nnodes;
    int ppn;
    double peak_tflops, mem_GBps;   /* TFLOP/s, GB/s; 0: not given */
    double overlap;                 /* 0..1 */
    int overlap_given, overlap_from_fit, hier_alg, help;
    double level_GBps[CR_LEVEL_COUNT], level_latency_us[CR_LEVEL_COUNT];   /* what-ifs; 0: as measured */
    /* --energy: link energy per level (fit_energy.h) */
    int energy;
    char link[1024];                /* the --link specs, comma-joined */
    const char *links, *energy_run; /* --links FILE, --energy-run RUN */
} cr_fit_plan_args_t;
int cr_fit_plan_parse(int argc, char **argv, cr_fit_plan_args_t *a);

/* plan --grid (fit_cmd_plan_grid.c): one plan per point of a->grid from the command's
 * options o (what-ifs, overlap, peak), a --csv row per call and step per point, a
 * table of steps on stdout, --plot. With --energy (la not NULL): every point priced
 * as plan --energy prices one plan, measured wire bytes from wire (NULL: every call
 * modelled), host energy from a->energy_run. Exit status 0, 1 (I/O), 2 (a bad
 * --grid, bytes= in it, a plan the fit cannot answer, a level --link leaves
 * unpriced at some point). */
int cr_fit_plan_grid(const cr_fit_plan_args_t *a, const struct cr_workload *wl,
                     const cr_fit_model_t *m, struct cr_fit_plan_opts *o,
                     const cr_fit_link_assign_t *la, const cr_fit_wire_t *wire);

extern const cr_cli_t cr_fit_cli_fit, cr_fit_cli_predict, cr_fit_cli_intensity, cr_fit_cli_plan,
    cr_fit_cli_workload, cr_fit_cli_boundary;
/* All of them, NULL-terminated: an option refused by one names the one that takes it. */
extern const cr_cli_t *const cr_fit_clis[];

/* Options into *a (defaults first); parsing stops at --help or --version as those
 * print at once. Returns 0, or 2 after printing an error (exit status 2). Operands
 * are left at argv[optind...]. */
int cr_fit_fit_parse(int argc, char **argv, cr_fit_fit_args_t *a);
int cr_fit_pargs_parse(const cr_cli_t *cli, int argc, char **argv, cr_fit_pargs_t *a);

/* One query answered: the flat prediction p and, when asked and the fits have its
 * phases, the hierarchical one h (hier_ok; else why[] says why not); with what-ifs
 * pm and hm are the same on the measured fabric (else copies of p and h). Returns 0,
 * or 1 when the flat prediction failed (reported; the hierarchical may still hold). */
typedef struct cr_fit_answer {
    cr_fit_prediction_t p, pm;
    cr_fit_hier_t h, hm;
    int flat_ok, hier_ok, whatif;
    char why[256];
} cr_fit_answer_t;
int cr_fit_answer_get(const cr_fit_model_t *m, const cr_fit_query_t *q, int want_hier,
                      cr_fit_answer_t *ans);

/* predict --grid (fit_cmd_grid.c): every point answered, a --csv row each, a table
 * on stdout, --grid-plot. Exit status: 0, 1 when some point had no answer, 2 on a
 * bad --grid. */
int cr_fit_predict_grid(cr_fit_pargs_t *a);

/* "LEVEL=X[,LEVEL=X...]" into vals[cr_level_t] (what-if GB/s or us; fit_cmd_predict.c):
 * every level a name of cr_level_names, every X a plain positive decimal. On a bad
 * item writes "invalid OPT 'ITEM': ..." into err and returns CR_ERR_INVAL. */
cr_status_t cr_fit_level_values(const char *opt, const char *spec, double *vals, char *err,
                                size_t errlen);

/* Option setters shared by the subcommands' tables (cr_cli_opt_t.set), each writing
 * at opt->field of the target: the argument itself (a const char *); --hier's family
 * (an int, cr_fit_hier_alg_names); --level-GBps / --level-latency-us (double
 * [CR_LEVEL_COUNT], cr_fit_level_values). */
cr_status_t cr_fit_opt_set_str(const cr_cli_opt_t *opt, void *target, const char *arg,
                               char *err, size_t errlen);
cr_status_t cr_fit_opt_set_hier(const cr_cli_opt_t *opt, void *target, const char *arg,
                                char *err, size_t errlen);
cr_status_t cr_fit_opt_set_level_vals(const cr_cli_opt_t *opt, void *target, const char *arg,
                                      char *err, size_t errlen);

/* A workload file read and parsed as plan and boundary take it (float and uniform
 * routing where the file says none, as collroof's defaults): 0, or 2 after one error
 * naming the file (and line), 1 out of memory. */
struct cr_workload;
int cr_fit_read_workload(const char *path, struct cr_workload *wl);

/* predict's spreadsheet rows (fit_cmd_pcsv.c): the header, then one row per answer;
 * numbers as plain decimals ('.' point, no exponent, no separators), empty when
 * unknown or infinite; text quoted where it needs it (RFC 4180). */
/* Link energy of one answer (predict --energy): bytes per call crossing each level
 * (cr_fit_plan_levels), their energy low-high (J), basis and where measured bytes
 * came from. */
typedef struct cr_fit_penergy {
    double bytes[CR_FIT_PLAN_NLV], lo[CR_FIT_PLAN_NLV], hi[CR_FIT_PLAN_NLV];
    double e_lo, e_hi;               /* J per call, all levels */
    const char *basis;               /* "modelled" | "measured" */
    char source[320];                /* "FILE:LINE (...)" or "modelled" */
    char classes[512];               /* "internode=pluggable-800g-2xdr4 x2" */
} cr_fit_penergy_t;

/* predict --energy (fit_cmd_penergy.c): the flat answer's link energy into e[0],
 * the hierarchical one's (when ans->hier_ok) into e[1]; printed, each class cited.
 * 0, 2 on a bad --link or a level left unpriced, 1 on a file that cannot be read. */
int cr_fit_predict_energy(const cr_fit_pargs_t *a, const cr_fit_answer_t *ans,
                          cr_fit_penergy_t e[2]);

typedef struct cr_fit_pcsv_row {
    const cr_fit_query_t *q;         /* the query with its what-ifs */
    const cr_fit_prediction_t *p;    /* the answer (what-if when asked) */
    const cr_fit_prediction_t *pm;   /* the same on the measured fabric */
    const cr_fit_hier_t *h, *hm;     /* hierarchical answer and its measured twin;
                                      * NULL: the row is the flat answer p */
    const cr_fit_penergy_t *e;       /* --energy: the row's link energy; NULL: empty cells */
} cr_fit_pcsv_row_t;
void cr_fit_pcsv_header(FILE *f);
void cr_fit_pcsv_row(FILE *f, const cr_fit_pcsv_row_t *r);
/* Appends one row to path (the header first when the file is new or empty); 0 or 1. */
int cr_fit_pcsv_append(const char *path, const cr_fit_pcsv_row_t *r);
/* v as a plain decimal with 7 significant digits (no exponent), "" when not finite. */
const char *cr_fit_pcsv_num(double v, char *buf, size_t len);

#endif
