/* Prints a man page's OPTIONS section (roff) from the option tables the programs
 * parse with, or with --list their long names, one per line: man/mkman.sh puts
 * the section into the page, tests/man.sh checks the page against the names.
 * Pure: links the option tables, not MPI, so it runs without mpirun. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "cr_cli.h"
#include "cr_opts.h"
#include "fit_cmd.h"

typedef struct cr_man_cmd {
    const char *heading; /* .SS line before the command's options; NULL for none */
    const cr_cli_t *cli;
} cr_man_cmd_t;

static const cr_man_cmd_t cr_man_collroof[] = {{NULL, &cr_opts_cli}, {NULL, NULL}};
static const cr_man_cmd_t cr_man_fit[] = {
    {"collroof-fit [options] RUN...", &cr_fit_cli_fit},
    {"collroof-fit predict [options]", &cr_fit_cli_predict},
    {"collroof-fit intensity [options]", &cr_fit_cli_intensity},
    {"collroof-fit plan [options]", &cr_fit_cli_plan},
    {"collroof-fit workload dp|tp|moe|pp [options]", &cr_fit_cli_workload},
    {"collroof-fit boundary [options]", &cr_fit_cli_boundary},
    {NULL, NULL},
};

static const struct {
    const char *page;
    const cr_man_cmd_t *cmds;
} cr_man_pages[] = {
    {"collroof", cr_man_collroof},
    {"collroof-fit", cr_man_fit},
};

static void cr_man_list(const cr_man_cmd_t *cmds)
{
    for (; cmds->cli; cmds++)
        for (const cr_cli_opt_t *o = cmds->cli->opts; o->name; o++)
            if (cr_cli_takes(cmds->cli, o)) printf("--%s\n", o->name);
}

static void cr_man_options(const cr_man_cmd_t *cmds)
{
    puts(".SH OPTIONS");
    for (; cmds->cli; cmds++) {
        if (cmds->heading) printf(".SS %s\n", cmds->heading);
        cr_cli_man(cmds->cli, stdout);
    }
}

int main(int argc, char **argv)
{
    int list = argc == 3 && !strcmp(argv[1], "--list");
    const char *page = argv[argc - 1];
    if (argc != 2 && !list) {
        fprintf(stderr, "usage: cr_mangen [--list] collroof|collroof-fit\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof cr_man_pages / sizeof *cr_man_pages; i++) {
        if (strcmp(page, cr_man_pages[i].page) != 0) continue;
        if (list) cr_man_list(cr_man_pages[i].cmds);
        else cr_man_options(cr_man_pages[i].cmds);
        return ferror(stdout) ? 1 : 0;
    }
    fprintf(stderr, "cr_mangen: no option table for '%s': expected collroof or collroof-fit\n",
            page);
    return 2;
}
