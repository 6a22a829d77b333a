/* Test driver: each line of stdin (without its newline) as a gnuplot `print` of the
 * string literal cr_fit_gp_quote() makes of it; tests/fit-hostile.sh runs gnuplot on
 * the output and compares what it prints. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fit_plot.h"

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
        fputs("print ", stdout);
        cr_fit_gp_quote(stdout, line);
        fputc('\n', stdout);
    }
    free(line);
    return ferror(stdout) ? 1 : 0;
}
