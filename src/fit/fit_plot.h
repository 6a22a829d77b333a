/* gnuplot plots per level: roofline (busbw vs size) and time vs size. */
#ifndef FIT_PLOT_H
#define FIT_PLOT_H

#include "fit_group.h"

enum { CR_FIT_PLOT_SVG = 1, CR_FIT_PLOT_PNG = 2 };

/* Parses "svg,png" into CR_FIT_PLOT_* bits; -1 on an unknown name. */
int cr_fit_plot_formats(const char *spec);

/* Writes plot-LEVEL.gp and its .dat files into dir; runs gnuplot when it is
 * installed (the CR_GNUPLOT environment variable overrides the program),
 * else prints the command that renders them. */
cr_status_t cr_fit_plot_write(const char *dir, const cr_fit_report_t *rep, int formats);

#endif
