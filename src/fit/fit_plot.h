/* gnuplot plots per level: roofline (busbw vs size) and time vs size. */
#include <stdio.h>
#ifndef FIT_PLOT_H
#define FIT_PLOT_H

#include "fit_group.h"

enum { CR_FIT_PLOT_SVG = 1, CR_FIT_PLOT_PNG = 2 };

/* Parses "svg,png" into CR_FIT_PLOT_* bits; -1 on an unknown name. */
int cr_fit_plot_formats(const char *spec);

/* s as a gnuplot string that cannot be escaped: single-quoted parts (inside them
 * gnuplot does no backquote or macro substitution and no backslash processing),
 * each single quote a "'" of its own joined with '.', in parentheses when there is
 * one; control characters and bytes outside ASCII as '?' (a line end would end the
 * command). */
void cr_fit_gp_quote(FILE *f, const char *s);

/* Writes plot-LEVEL.gp and its .dat files into dir; runs gnuplot when it is
 * installed (the CR_GNUPLOT environment variable overrides the program), started
 * with fork/chdir/execvp in dir, never through a shell; else prints the command
 * that renders them (shell-quoted for copying). */
cr_status_t cr_fit_plot_write(const char *dir, const cr_fit_report_t *rep, int formats);

#endif
