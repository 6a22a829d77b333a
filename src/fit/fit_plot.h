/* gnuplot plots per level: roofline (busbw vs size) and time vs size. */
#include <stdio.h>
#ifndef FIT_PLOT_H
#define FIT_PLOT_H

#include "fit_grid.h"
#include "fit_group.h"

enum { CR_FIT_PLOT_SVG = 1, CR_FIT_PLOT_PNG = 2 };

/* Each format: its bit, file extension and gnuplot terminal (literal labels). */
#define CR_FIT_PLOT_NFMT 2
typedef struct cr_fit_plot_fmt {
    int bit;
    const char *ext, *term;
} cr_fit_plot_fmt_t;
extern const cr_fit_plot_fmt_t cr_fit_plot_fmts[CR_FIT_PLOT_NFMT];

/* Parses "svg,png" into CR_FIT_PLOT_* bits; -1 on an unknown name. */
int cr_fit_plot_formats(const char *spec);

/* s as a gnuplot string that cannot be escaped: single-quoted parts (inside them
 * gnuplot does no backquote or macro substitution and no backslash processing),
 * each single quote a "'" of its own joined with '.', in parentheses when there is
 * one; control characters and bytes outside ASCII as '?' (a line end would end the
 * command). */
void cr_fit_gp_quote(FILE *f, const char *s);

/* printf into a buffer, then cr_fit_gp_quote: "title 'C CAD p=N'" etc. */
void cr_fit_gp_quotef(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* in with every byte but [A-Za-z0-9] as '_': a file name part. */
void cr_fit_plot_safe(const char *in, char *out, size_t len);

/* Runs gnuplot on script in dir (see cr_fit_plot_write), or prints the command. */
cr_status_t cr_fit_plot_render(const char *dir, const char *script);

/* The rows beside the rooflines (fit_plot_rows.c), each with its own script:
 * plot-overlap-COLL.gp -> overlap-COLL.{svg,png}: overlap vs size per collective,
 *   one line per cadence and level, error bars overlap_lo..overlap_hi;
 * plot-skew-LEVEL.gp -> skew-LEVEL.{svg,png}: busbw vs size of each skewed alltoallv
 *   beside the balanced alltoall (and uniform alltoallv) of its key;
 * plot-workload.gp -> workload-N.{svg,png}: each replayed step's calls as bars laid
 *   end to end (measured totals), the remainder, and the step. None without rows. */
cr_status_t cr_fit_plot_overlap(const char *dir, const cr_fit_report_t *rep, int formats);
cr_status_t cr_fit_plot_skew(const char *dir, const cr_fit_report_t *rep, int formats);
cr_status_t cr_fit_plot_workload(const char *dir, const cr_fit_report_t *rep, int formats);

/* predict --grid's plot (fit_plot_grid.c): DIR/grid.dat (one block per series,
 * columns nodes t lo hi t_measured, us) and DIR/plot-grid.gp -> grid.svg: predicted
 * time vs nodes on log-log axes, one line per series (what-if, ppn, size) with its
 * 95% interval as bars, the measured fabric's line dashed beside each what-if. */
cr_status_t cr_fit_plot_grid(const char *dir, const char *collective,
                             const cr_fit_grid_pt_t *pts, size_t n);
/* plot-plan.gp, plan.dat -> plan.svg: the step time of each plan (one per node
 * count) stacked by compute and exposed communication per level. */
struct cr_workload;
struct cr_fit_plan;
cr_status_t cr_fit_plot_plan(const char *dir, const struct cr_workload *wl,
                             const struct cr_fit_plan *p, int n);
/* plan --grid's plot (fit_plot_plan.c): DIR/plan-grid.dat (one block per series: a
 * what-if and ppn; columns as plan.dat's) and DIR/plot-plan-grid.gp -> plan-grid.svg,
 * one stacked panel per series on a shared y axis. */
struct cr_fit_plan_gpt;
cr_status_t cr_fit_plot_plan_grid(const char *dir, const struct cr_workload *wl,
                                  const struct cr_fit_plan_gpt *pts, size_t n);

/* Writes plot-LEVEL.gp and its .dat files into dir; runs gnuplot when it is
 * installed (the CR_GNUPLOT environment variable overrides the program), started
 * with fork/chdir/execvp in dir, never through a shell; else prints the command
 * that renders them (shell-quoted for copying); then the plots of fit_plot_rows.c. */
cr_status_t cr_fit_plot_write(const char *dir, const cr_fit_report_t *rep, int formats);

#endif
