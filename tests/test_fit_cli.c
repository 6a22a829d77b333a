/* collroof-fit's option tables: every entry in --help with its default and unit,
 * accepted by its command's parser, and the defaults shown are the ones used. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cu_main.h"
#include "fit_cmd.h"

static const cr_cli_t *const clis[] = {&cr_fit_cli_fit, &cr_fit_cli_predict,
                                       &cr_fit_cli_intensity, NULL};

static const cr_cli_opt_t *opt_named(const cr_cli_t *cli, const char *name)
{
    for (const cr_cli_opt_t *o = cli->opts; o->name; o++)
        if (cr_cli_takes(cli, o) && !strcmp(o->name, name)) return o;
    return NULL;
}

static int is_action(const cr_cli_opt_t *o)
{
    return !strcmp(o->name, "help") || !strcmp(o->name, "version");
}

static int parse(const cr_cli_t *cli, int argc, char **argv)
{
    cr_fit_fit_args_t fa;
    cr_fit_pargs_t pa;
    if (cli == &cr_fit_cli_fit) return cr_fit_fit_parse(argc, argv, &fa);
    return cr_fit_pargs_parse(cli, argc, argv, &pa);
}

static void test_every_option_in_help(void)
{
    for (int k = 0; clis[k]; k++) {
        char *buf = NULL, want[512], trailer[256];
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        cr_cli_usage(clis[k], fp);
        fclose(fp);
        cu_squeeze(buf);
        for (const cr_cli_opt_t *o = clis[k]->opts; o->name; o++) {
            char help[1024];
            if (!cr_cli_takes(clis[k], o)) continue;
            CU_ASSERT_PTR_EQUAL(opt_named(clis[k], o->name), o); /* names unique */
            CU_ASSERT_PTR_NOT_NULL(o->set);
            CU_ASSERT(o->help && *o->help);
            CU_ASSERT(is_action(o) || o->def);               /* STYLE rule 12 */
            CU_ASSERT((o->arg == NULL) == (o->sample == NULL));
            snprintf(want, sizeof want, "--%s%s%s %s %s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "", cr_cli_help(clis[k], o, help, sizeof help),
                     cr_cli_trailer(o, trailer, sizeof trailer));
            CU_ASSERT_PTR_NULL(strchr(help, '@'));  /* every @WORD@ was replaced */
            cu_squeeze(want);
            CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
            if (!strstr(buf, want)) printf("\n  %s --help lacks: %s\n", clis[k]->prog, want);
        }
        free(buf);
    }
}

/* All of a command's options at once, each with its sample; then each action. */
static void test_every_option_parsed(void)
{
    for (int k = 0; clis[k]; k++) {
        char *argv[2 * CR_CLI_MAX + 2], names[CR_CLI_MAX][64];
        int argc = 0, n = 0;
        argv[argc++] = (char *)clis[k]->prog;
        for (const cr_cli_opt_t *o = clis[k]->opts; o->name; o++) {
            if (!cr_cli_takes(clis[k], o) || is_action(o)) continue;
            snprintf(names[n], sizeof names[n], "--%s", o->name);
            argv[argc++] = names[n++];
            if (o->sample) argv[argc++] = (char *)o->sample;
        }
        argv[argc] = NULL;
        CU_ASSERT_EQUAL(parse(clis[k], argc, argv), 0);
        for (const cr_cli_opt_t *o = clis[k]->opts; o->name; o++) {
            char *one[3] = {(char *)clis[k]->prog, names[0], NULL};
            if (!cr_cli_takes(clis[k], o) || !is_action(o)) continue;
            snprintf(names[0], sizeof names[0], "--%s", o->name);
            CU_ASSERT_EQUAL(parse(clis[k], 2, one), 0);
        }
    }
}

/* The defaults --help states are the ones the fit uses. */
static void test_fit_defaults_shown(void)
{
    cr_fit_fit_args_t a;
    char *argv[] = {"collroof-fit", NULL};
    CU_ASSERT_EQUAL_FATAL(cr_fit_fit_parse(1, argv, &a), 0);
    CU_ASSERT_EQUAL(a.fo.seg.max_segments,
                    strtoul(opt_named(&cr_fit_cli_fit, "max-segments")->def, NULL, 10));
    CU_ASSERT_EQUAL(a.fo.reps, strtoul(opt_named(&cr_fit_cli_fit, "bootstrap")->def, NULL, 10));
    CU_ASSERT_EQUAL(a.fo.seed, strtoul(opt_named(&cr_fit_cli_fit, "seed")->def, NULL, 10));
    CU_ASSERT_EQUAL(opt_named(&cr_fit_cli_fit, "max-segments")->hi, CR_FIT_MAXSEG);
}

CU_TestInfo test_fit_cli_tests[] = {
    {"every option in --help", test_every_option_in_help},
    {"every option parsed", test_every_option_parsed},
    {"defaults shown are used", test_fit_defaults_shown},
    CU_TEST_INFO_NULL,
};
