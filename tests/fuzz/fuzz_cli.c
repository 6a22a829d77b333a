/* Command lines: the input's lines are the words of argv. The first byte picks
 * the table: collroof's (cr_opts_parse on cr_cli.c), or collroof-fit's fit,
 * predict or intensity. Every command line is refused with a message or parsed,
 * and what was parsed is freed. */
#include "config.h"

#include "fuzz.h"
#include "cr_error.h"
#include "cr_opts.h"
#include "fit_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CR_FUZZ_WORDS 64

static void cr_fuzz_collroof(int argc, char **argv)
{
    cr_opts_t o;
    char err[512];
    err[0] = '\0';
    if (cr_opts_parse(argc, argv, 0, &o, err, sizeof err) != CR_OK) {
        if (!err[0]) abort();
        return;
    }
    if (o.nsizes == 0 || !o.sizes || o.ncolls < 1 || o.nlevels < 1 ||
        o.min_iters > o.max_iters)
        abort();
    cr_opts_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s, *argv[CR_FUZZ_WORDS + 2];
    int argc = 1, which;
    if (size == 0) return 0;
    which = data[0] % 4;
    if (!(s = cr_fuzz_str(data + 1, size - 1))) return 0;
    cr_log_quiet(1);
    argv[0] = which == 0 ? "collroof" : which == 1 ? "collroof-fit" : "collroof-fit-cmd";
    /* Empty lines are empty words ("--output" ""), as a shell can pass them. */
    for (char *w = s; w && argc <= CR_FUZZ_WORDS; argc++) {
        char *nl = strchr(w, '\n');
        argv[argc] = w;
        if (nl) *nl = '\0';
        w = nl ? nl + 1 : NULL;
    }
    argv[argc] = NULL;
    if (which == 0) {
        cr_fuzz_collroof(argc, argv);
    } else if (which == 1) {
        cr_fit_fit_args_t a;
        cr_fit_fit_parse(argc, argv, &a);
    } else {
        cr_fit_pargs_t a;
        cr_fit_pargs_parse(which == 2 ? &cr_fit_cli_predict : &cr_fit_cli_intensity, argc,
                           argv, &a);
    }
    free(s);
    return 0;
}
