#include "config.h"

#include "cr_cli.h"

#include <string.h>

#define CR_CLI_COL 26   /* column of the help text in --help */
#define CR_CLI_WIDTH 79 /* last column of --help */

static size_t cr_cli_count(const cr_cli_t *cli)
{
    size_t n = 0;
    while (cli->opts[n].name) n++;
    return n;
}

int cr_cli_takes(const cr_cli_t *cli, const cr_cli_opt_t *opt)
{
    return !cli->cmd || !opt->cmds || (opt->cmds & cli->cmd);
}

cr_status_t cr_cli_getopt_build(const cr_cli_t *cli, const char *prefix, cr_cli_getopt_t *g)
{
    size_t n = cr_cli_count(cli), k, m = 0;
    if (n > CR_CLI_MAX || strlen(prefix) > 1) {
        cr_error("%s: %zu options in its table, at most %d fit", cli->prog, n, CR_CLI_MAX);
        return CR_ERR_INTERNAL;
    }
    memset(g, 0, sizeof *g);
    strcpy(g->shortopts, prefix);
    k = strlen(prefix);
    for (size_t i = 0; i < n; i++) {
        const cr_cli_opt_t *o = &cli->opts[i];
        if (!cr_cli_takes(cli, o)) continue;
        g->longopts[m++] = (struct option){
            .name = o->name,
            .has_arg = o->arg ? required_argument : no_argument,
            .val = o->letter ? o->letter : CR_CLI_LONG + (int)i,
        };
        if (o->letter) {
            g->shortopts[k++] = o->letter;
            if (o->arg) g->shortopts[k++] = ':';
        }
    }
    return CR_OK;
}

const cr_cli_opt_t *cr_cli_find(const cr_cli_t *cli, int c)
{
    size_t n = cr_cli_count(cli);
    const cr_cli_opt_t *o = cli->opts;
    if (c >= CR_CLI_LONG && (size_t)(c - CR_CLI_LONG) < n && !o[c - CR_CLI_LONG].letter &&
        cr_cli_takes(cli, &o[c - CR_CLI_LONG]))
        return &o[c - CR_CLI_LONG];
    for (size_t i = 0; c > 0 && c < CR_CLI_LONG && i < n; i++)
        if (o[i].letter == c && cr_cli_takes(cli, &o[i])) return &o[i];
    return NULL;
}

/* The option word that getopt_long refused, as typed, into buf. */
static const char *cr_cli_bad_word(const cr_cli_t *cli, int c, int argc, char *const *argv,
                                   char *buf, size_t len)
{
    const char *prev = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    const char *cur = optind < argc ? argv[optind] : "";
    unsigned char ch = (unsigned char)optopt;
    int is_long = optopt == 0 || optopt >= CR_CLI_LONG;

    /* A long option refused for its value (missing, or given to a flag) reports its
     * letter where it has one: the word read last says which it was. */
    if (!is_long && strncmp(prev, "--", 2) == 0 && (c == ':' || strchr(prev, '='))) {
        size_t n = strcspn(prev + 2, "=");
        for (size_t i = 0; cli->opts[i].name && !is_long; i++)
            is_long = cli->opts[i].letter == optopt && strlen(cli->opts[i].name) == n &&
                      strncmp(cli->opts[i].name, prev + 2, n) == 0;
    }
    if (is_long) {
        snprintf(buf, len, "%.*s", (int)strcspn(prev, "="), prev);
        return buf;
    }
    if (ch < 0x80) {
        snprintf(buf, len, "-%c", ch);
        return buf;
    }
    /* A byte of a multibyte character: getopt stopped inside the word (the next
     * byte follows), so the word is argv[optind]; name the whole character. */
    if (cur[0] == '-' && cur[1] != '-' && strchr(cur + 1, (char)ch)) {
        const char *at = strchr(cur + 1, (char)ch);
        size_t n = 1;
        while (((unsigned char)at[n] & 0xC0) == 0x80) n++; /* continuation bytes */
        snprintf(buf, len, "-%.*s", (int)n, at);
        return buf;
    }
    snprintf(buf, len, "%s", cur);
    return buf;
}

/* The option of cli's table named by word ("--name" or "-x"), whatever command takes it. */
static const cr_cli_opt_t *cr_cli_lookup(const cr_cli_t *cli, const char *word)
{
    for (const cr_cli_opt_t *o = cli->opts; o->name; o++)
        if (cr_cli_takes(cli, o) &&
            ((strncmp(word, "--", 2) == 0 && strcmp(word + 2, o->name) == 0) ||
             (word[0] == '-' && word[1] == o->letter && o->letter && word[2] == '\0')))
            return o;
    return NULL;
}

const char *cr_cli_refused(const cr_cli_t *cli, int c, int argc, char *const *argv, char *buf,
                           size_t len)
{
    char word[128], takers[256] = "";
    size_t n = 0;
    int k = 0;
    cr_cli_bad_word(cli, c, argc, argv, word, sizeof word);
    if (c == ':') {
        snprintf(buf, len, "missing value for option '%s' (see %s --help)", word, cli->prog);
        return buf;
    }
    if (strncmp(word, "--", 2) == 0 && cr_cli_lookup(cli, word)) { /* ours: refused its "=V" */
        snprintf(buf, len, "option '%s' takes no value (see %s --help)", word, cli->prog);
        return buf;
    }
    for (const cr_cli_t *const *sib = cli->siblings; sib && *sib; sib++)
        if (*sib != cli && cr_cli_lookup(*sib, word) && n < sizeof takers)
            n += (size_t)snprintf(takers + n, sizeof takers - n, "%s%s", k++ ? " and " : "",
                                  (*sib)->prog);
    if (k)
        snprintf(buf, len, "option '%s' is not accepted by %s; %s take%s it", word, cli->prog,
                 takers, k > 1 ? "" : "s");
    else
        snprintf(buf, len, "unknown option '%s' (see %s --help)", word, cli->prog);
    return buf;
}

const char *cr_cli_trailer(const cr_cli_opt_t *opt, char *buf, size_t len)
{
    if (!opt->def) snprintf(buf, len, "%s", "");
    else if (opt->unit) snprintf(buf, len, "[default: %s; unit: %s]", opt->def, opt->unit);
    else snprintf(buf, len, "[default: %s]", opt->def);
    return buf;
}

/* Words of text from column col, wrapped at CR_CLI_WIDTH, continuation lines
 * indented to CR_CLI_COL. */
static int cr_cli_wrap(FILE *fp, const char *text, int col)
{
    const char *p = text;
    while (*p) {
        size_t w = strcspn(p, " ");
        if (col > CR_CLI_COL && col + 1 + (int)w > CR_CLI_WIDTH) {
            fprintf(fp, "\n%*s", CR_CLI_COL, "");
            col = CR_CLI_COL;
        } else if (col > CR_CLI_COL) {
            fputc(' ', fp);
            col++;
        }
        fwrite(p, 1, w, fp);
        col += (int)w;
        p += w;
        while (*p == ' ') p++;
    }
    return col;
}

const char *cr_cli_help(const cr_cli_t *cli, const cr_cli_opt_t *opt, char *buf, size_t len)
{
    const char *h = opt->help;
    size_t n = 0;
    if (len == 0) return "";
    while (*h && n + 1 < len) {
        const cr_cli_subst_t *s = cli->subst;
        for (; s && s->key; s++)
            if (strncmp(h, s->key, strlen(s->key)) == 0) break;
        if (s && s->key) {
            char list[512];
            n += (size_t)snprintf(buf + n, len - n, "%s", s->fill(list, sizeof list));
            if (n >= len) n = len - 1;
            h += strlen(s->key);
        } else {
            buf[n++] = *h++;
        }
    }
    buf[n] = '\0';
    return buf;
}

void cr_cli_usage(const cr_cli_t *cli, FILE *fp)
{
    char trailer[256], help[1024];
    fputs(cli->head, fp);
    for (const cr_cli_opt_t *o = cli->opts; o->name; o++) {
        int col;
        if (!cr_cli_takes(cli, o)) continue;
        if (o->section) fprintf(fp, "\n%s:\n", o->section);
        if (o->letter) col = fprintf(fp, "  -%c, --%s", o->letter, o->name);
        else col = fprintf(fp, "      --%s", o->name);
        if (o->arg) col += fprintf(fp, " %s", o->arg);
        if (col > CR_CLI_COL - 2) {
            fputc('\n', fp);
            col = 0;
        }
        fprintf(fp, "%*s", CR_CLI_COL - col, "");
        col = cr_cli_wrap(fp, cr_cli_help(cli, o, help, sizeof help), CR_CLI_COL);
        cr_cli_trailer(o, trailer, sizeof trailer);
        /* The trailer on a line of its own rather than split, when it fits one. */
        if (*trailer && col + 1 + (int)strlen(trailer) > CR_CLI_WIDTH &&
            CR_CLI_COL + (int)strlen(trailer) <= CR_CLI_WIDTH) {
            fprintf(fp, "\n%*s", CR_CLI_COL, "");
            col = CR_CLI_COL;
        }
        cr_cli_wrap(fp, trailer, col);
        fputc('\n', fp);
    }
    if (cli->foot) fprintf(fp, "\n%s", cli->foot);
}

/* Text for roff: backslashes and hyphens escaped, nothing read as a request. */
static void cr_cli_roff(FILE *fp, const char *s)
{
    if (*s == '.' || *s == '\'') fputs("\\&", fp);
    for (; *s; s++) {
        if (*s == '\\') fputs("\\e", fp);
        else if (*s == '-') fputs("\\-", fp);
        else fputc(*s, fp);
    }
}

void cr_cli_man(const cr_cli_t *cli, FILE *fp)
{
    char trailer[256], help[1024];
    for (const cr_cli_opt_t *o = cli->opts; o->name; o++) {
        if (!cr_cli_takes(cli, o)) continue;
        if (o->section) {
            fputs(".SS ", fp);
            cr_cli_roff(fp, o->section);
            fputc('\n', fp);
        }
        fputs(".TP\n", fp);
        if (o->letter) fprintf(fp, "\\fB\\-%c\\fR, ", o->letter);
        fputs("\\fB\\-\\-", fp);
        cr_cli_roff(fp, o->name);
        fputs("\\fR", fp);
        if (o->arg) {
            fputs(" \\fI", fp);
            cr_cli_roff(fp, o->arg);
            fputs("\\fR", fp);
        }
        fputc('\n', fp);
        cr_cli_roff(fp, cr_cli_help(cli, o, help, sizeof help));
        fputc('\n', fp);
        if (o->def) {
            fputs(".br\n", fp);
            cr_cli_roff(fp, cr_cli_trailer(o, trailer, sizeof trailer));
            fputc('\n', fp);
        }
    }
}

cr_status_t cr_cli_set_flag(const cr_cli_opt_t *opt, void *target, const char *arg, char *err,
                            size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    *(int *)((char *)target + opt->field) = (int)opt->lo;
    return CR_OK;
}
