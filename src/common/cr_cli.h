/* Command-line options declared once: each program keeps one table of them, and
 * its getopt_long array, its --help text, its man page and its tests all come
 * from that table, so an option cannot be missing from any of them. Pure. */
#ifndef CR_CLI_H
#define CR_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include "cr_error.h"

#define CR_CLI_MAX 40 /* options per table */

typedef struct cr_cli_opt cr_cli_opt_t;

/* Applies an option to target (arg is NULL for a flag). On a bad value writes one
 * message naming the value and what is accepted into err, returns CR_ERR_INVAL. */
typedef cr_status_t (*cr_cli_set_fn)(const cr_cli_opt_t *opt, void *target, const char *arg,
                                     char *err, size_t errlen);

struct cr_cli_opt {
    const char *name;    /* long name without "--"; NULL ends the table */
    char letter;         /* short option, 0 for none */
    const char *arg;     /* argument name shown ("LIST"); NULL for a flag */
    const char *def;     /* default shown; NULL only for actions (--help, --version) */
    const char *unit;    /* unit of the argument; NULL for names, paths and flags */
    const char *help;    /* what it does; the default and unit are added from above */
    const char *section; /* heading this option starts, or NULL to stay under the last */
    const char *sample;  /* a valid argument, for the tests; NULL for a flag */
    cr_cli_set_fn set;
    size_t field;        /* offsetof the target member, for the generic setters */
    long lo, hi;         /* accepted range of a number; cr_cli_set_flag stores lo */
    unsigned cmds;       /* commands sharing the table that take it (bits); 0 = all */
};

/* A word of help text that stands for a list kept elsewhere ("@COLLECTIVES@" for the
 * registry's names), so --help and the man page never go stale: fill writes the
 * list into buf and returns it. */
typedef struct cr_cli_subst {
    const char *key;
    const char *(*fill)(char *buf, size_t len);
} cr_cli_subst_t;

typedef struct cr_cli {
    const char *prog;        /* "collroof", "collroof-fit predict" */
    const char *head;        /* usage lines and description before the options */
    const char *foot;        /* text after the options, or NULL */
    const cr_cli_opt_t *opts;
    unsigned cmd;            /* this command's bit in opts[].cmds; 0 = every entry */
    const cr_cli_subst_t *subst; /* words replaced in help texts; {NULL} ends; may be NULL */
    /* The program's commands, this one included, NULL-terminated, so that an option
     * refused here can name the command that takes it; may be NULL. */
    const struct cr_cli *const *siblings;
} cr_cli_t;

/* Whether opt belongs to cli's command. */
int cr_cli_takes(const cr_cli_t *cli, const cr_cli_opt_t *opt);

typedef struct cr_cli_getopt {
    struct option longopts[CR_CLI_MAX + 1];
    char shortopts[2 * CR_CLI_MAX + 3];
} cr_cli_getopt_t;

/* getopt_long's arrays for cli, shortopts starting with prefix (":" or ""). An
 * option's getopt value is its letter, or CR_CLI_LONG + its index in the table
 * when it has none. */
#define CR_CLI_LONG 256
cr_status_t cr_cli_getopt_build(const cr_cli_t *cli, const char *prefix, cr_cli_getopt_t *g);
/* The option getopt_long returned as c, or NULL ('?', ':'). */
const cr_cli_opt_t *cr_cli_find(const cr_cli_t *cli, int c);

/* Why getopt_long (opterr = 0) refused a word, right after it returned c ('?' or
 * ':'), into buf: "unknown option 'W'", "missing value for option 'W'", or "option
 * 'W' is not accepted by PROG; SIBLING takes it". W is the option as the user
 * typed it: "--name" (without "=value"), or "-x" for a short one even inside a
 * group like -qx, a character of several bytes (UTF-8) whole. */
const char *cr_cli_refused(const cr_cli_t *cli, int c, int argc, char *const *argv, char *buf,
                           size_t len);

/* opt's help text with cli's words replaced, in buf (truncated to len). */
const char *cr_cli_help(const cr_cli_t *cli, const cr_cli_opt_t *opt, char *buf, size_t len);
/* --help: head, every option with its argument, help, default and unit, foot. */
void cr_cli_usage(const cr_cli_t *cli, FILE *fp);
/* The man page's entries for cli's options (roff: .SS per section, .TP per option). */
void cr_cli_man(const cr_cli_t *cli, FILE *fp);
/* "[default: D; unit: U]" as --help and the man page show it ("" for actions). */
const char *cr_cli_trailer(const cr_cli_opt_t *opt, char *buf, size_t len);

/* A flag: stores lo in the int at field. */
cr_status_t cr_cli_set_flag(const cr_cli_opt_t *opt, void *target, const char *arg, char *err,
                            size_t errlen);

#endif
