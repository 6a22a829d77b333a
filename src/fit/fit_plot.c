/* gnuplot plots. Nothing read from an input file is ever code: every string the
 * script holds goes through cr_fit_gp_quote(), and gnuplot is started with an
 * argument vector and a working directory (fork, chdir, execvp), never a shell. */
#include "config.h"

#include "fit_plot.h"
#include "cr_fs.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CR_GNUPLOT
#define CR_GNUPLOT "gnuplot"
#endif

/* noenhanced: labels are literal ("reduce_scatter" is no subscript). */
const cr_fit_plot_fmt_t cr_fit_plot_fmts[CR_FIT_PLOT_NFMT] = {
    { CR_FIT_PLOT_SVG, "svg", "svg size 1000,700 dynamic noenhanced font 'sans,12'" },
    { CR_FIT_PLOT_PNG, "png", "pngcairo size 1000,700 noenhanced font 'sans,11'" },
};

int cr_fit_plot_formats(const char *spec)
{
    int f = 0;
    char buf[64], *tok, *save;
    snprintf(buf, sizeof buf, "%s", spec);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "svg")) f |= CR_FIT_PLOT_SVG;
        else if (!strcmp(tok, "png")) f |= CR_FIT_PLOT_PNG;
        else return -1;
    }
    return f ? f : -1;
}

void cr_fit_gp_quote(FILE *f, const char *s)
{
    int open = 0, parts = 0, quotes = strchr(s, '\'') != NULL;
    if (quotes) fputc('(', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\'') {   /* a single quote: its own double-quoted part, "'" */
            if (open) fputc('\'', f);
            fputs(parts++ ? ".\"'\"" : "\"'\"", f);
            open = 0;
            continue;
        }
        if (!open) {
            if (parts++) fputc('.', f);
            fputc('\'', f);
            open = 1;
        }
        fputc(*p < 0x20 || *p >= 0x7f ? '?' : *p, f);   /* no line ends, ASCII only */
    }
    if (open) fputc('\'', f);
    if (!parts) fputs("''", f);
    if (quotes) fputc(')', f);
}

void cr_fit_gp_quotef(FILE *f, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cr_fit_gp_quote(f, buf);
}

void cr_fit_plot_safe(const char *in, char *out, size_t len)
{
    size_t i = 0;
    for (; in[i] && i + 1 < len; i++) out[i] = isalnum((unsigned char)in[i]) ? in[i] : '_';
    out[i] = '\0';
}

static cr_status_t cr_fit_plot_data(const char *dir, const char *lv, size_t idx,
                                    const cr_fit_result_t *r)
{
    char path[4096], err[4400];
    const cr_fit_group_t *g = r->g;
    FILE *f;
    snprintf(path, sizeof path, "%s/plot-%s-%zu.dat", dir, lv, idx);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {   /* never through a link */
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    fputs("# bytes busbw_GBps busbw_lo busbw_hi t_median_us t_ci_lo_us t_ci_hi_us\n", f);
    for (size_t p = 0; p < g->npts; p++) {
        const cr_fit_point_t *pt = &g->pts[p];
        double S = (double)pt->bytes, k = g->F * S * 1e-3;
        fprintf(f, "%" PRIu64 " %.6g %.6g %.6g %.6g %.6g %.6g\n", pt->bytes, k / pt->t_med,
                pt->t_hi > 0 ? k / pt->t_hi : k / pt->t_med,
                pt->t_lo > 0 ? k / pt->t_lo : k / pt->t_med, pt->t_med, pt->t_lo, pt->t_hi);
    }
    return fclose(f) == 0 ? CR_OK : CR_ERR_IO;
}

/* gnuplot functions for group idx: seg s of time tI_s(x), busbw bI_s(x). */
static void cr_fit_plot_funcs(FILE *f, size_t idx, const cr_fit_result_t *r)
{
    const cr_fit_group_t *g = r->g;
    for (size_t s = 0; s < r->k; s++) {
        const cr_fit_segres_t *z = &r->seg[s];
        double lo = (double)g->pts[z->first].bytes, hi = (double)g->pts[z->last].bytes;
        fprintf(f, "t%zu_%zu(x) = (x >= %.17g && x <= %.17g) ? %.17g + %.17g * x : 1/0\n", idx,
                s, lo, hi, z->alpha, z->beta);
        fprintf(f, "b%zu_%zu(x) = (x >= %.17g && x <= %.17g) ? %.17g * x * 1e-3 / t%zu_%zu(x) : 1/0\n",
                idx, s, lo, hi, g->F, idx, s);
    }
}

static void cr_fit_plot_one(FILE *f, const char *lv, const cr_fit_result_t *res, size_t n,
                            const size_t *idx, int busbw)
{
    const char *sep = "plot ";
    for (size_t q = 0; q < n; q++) {
        const cr_fit_result_t *r = &res[q];
        double c = r->roof_ceiling, a = r->roof_alpha;
        int lt = (int)q + 1;
        if (busbw && !(r->g->F > 0)) continue;  /* one rank per group: no bus traffic */
        fputs(sep, f);
        cr_fit_gp_quotef(f, "plot-%s-%zu.dat", lv, idx[q]);
        fprintf(f, " using 1:%s with yerrorbars lt %d pt 7 ps 0.6 title ",
                busbw ? "2:3:4" : "5:6:7", lt);
        cr_fit_gp_quotef(f, "%s %s p=%d", cr_fit_group_name(r->g), r->g->cadence, r->g->ranks);
        sep = ", \\\n     ";
        for (size_t s = 0; s < r->k; s++)
            fprintf(f, "%s%c%zu_%zu(x) with lines lt %d lw 2 notitle", sep, busbw ? 'b' : 't',
                    idx[q], s, lt);
        if (busbw) {
            fprintf(f, "%s%.6g with lines lt %d dt 2 title ", sep, c, lt);
            cr_fit_gp_quotef(f, "roof ceiling %.4g GB/s%s", c,
                             r->roof_extrapolated ? " (extrapolated)" : "");
            if (a > 0)
                fprintf(f, "%s(%.17g * x * 1e-3 / %.17g < %.6g ? %.17g * x * 1e-3 / %.17g : 1/0) "
                        "with lines lt %d dt 3 notitle", sep, r->g->F, a, c, r->g->F, a, lt);
            if (r->link_GBps > 0 && q == 0)
            {
                fprintf(f, "%s%.6g with lines lt %d dt 4 lc rgb 'black' title ", sep, r->link_GBps,
                        lt);
                cr_fit_gp_quotef(f, "%s link %.4g GB/s", r->link_src, r->link_GBps);
            }
        }
    }
    fputc('\n', f);
}

static cr_status_t cr_fit_plot_level(const char *dir, const cr_fit_report_t *rep,
                                     const char *level, int formats, FILE **gp_out, char *lv)
{
    char path[4096], err[4400];
    size_t *idx = malloc(rep->nres * sizeof *idx), n = 0;
    cr_fit_result_t *sel = malloc(rep->nres * sizeof *sel);
    const cr_fit_plot_fmt_t *fmts = cr_fit_plot_fmts;
    FILE *f;
    cr_status_t st = CR_OK;
    size_t nbus = 0;          /* groups with bus traffic (F > 0): the roofline's */
    CR_CHECK_ALLOC(idx, rep->nres * sizeof *idx);
    if (!sel) { free(idx); CR_CHECK_ALLOC(sel, rep->nres * sizeof *sel); }
    cr_fit_plot_safe(level, lv, CR_NAME_LEN);
    snprintf(path, sizeof path, "%s/plot-%s.gp", dir, lv);
    if (!(f = cr_fs_create(path, 1, err, sizeof err))) {
        cr_error("%s", err);
        st = CR_ERR_IO;
        goto out_with_idx;
    }
    for (size_t i = 0; i < rep->nres; i++) {
        if (strcmp(rep->res[i].g->level, level)) continue;
        idx[n] = i;
        sel[n++] = rep->res[i];
        nbus += rep->res[i].g->F > 0;
        CR_CHECK_GOTO(cr_fit_plot_data(dir, lv, i, &rep->res[i]), st, out_with_file);
        cr_fit_plot_funcs(f, i, &rep->res[i]);
    }
    fputs("set logscale xy 2\nset format x '%.0b%B'\nset xlabel 'size S (bytes)'\n"
          "set key outside right top\nset grid\nset samples 1000\nset logscale y 10\n", f);
    for (size_t k = 0; k < 2; k++) {
        if (!(formats & fmts[k].bit)) continue;
        fprintf(f, "set terminal %s\nset format y '%%g'\n", fmts[k].term);
        if (nbus > 0) {  /* a level of one-rank groups moves no bytes: time plot only */
            fputs("set output ", f);
            cr_fit_gp_quotef(f, "roofline-%s.%s", lv, fmts[k].ext);
            fputs("\nset title ", f);
            cr_fit_gp_quotef(f, "busbw roofline, level %s", level);
            fputs("\nset ylabel 'busbw (GB/s)'\n", f);
            cr_fit_plot_one(f, lv, sel, n, idx, 1);
        }
        fputs("set output ", f);
        cr_fit_gp_quotef(f, "time-%s.%s", lv, fmts[k].ext);
        fputs("\nset title ", f);
        cr_fit_gp_quotef(f, "time vs size, level %s", level);
        fputs("\nset ylabel 'time (us)'\n", f);
        cr_fit_plot_one(f, lv, sel, n, idx, 0);
        fputs("unset output\n", f);
    }
out_with_file:
    if (fclose(f) != 0 && st == CR_OK) st = CR_ERR_IO;
    *gp_out = NULL;
out_with_idx:
    free(sel);
    free(idx);
    return st;
}

/* Where execvp would find prog (a path when it holds '/'); 0 when nowhere. */
static int cr_fit_have_gnuplot(const char *prog)
{
    const char *path = getenv("PATH");
    char buf[4096];
    if (!*prog) return 0;
    if (strchr(prog, '/')) return access(prog, X_OK) == 0;
    if (!path) path = "/usr/bin:/bin";
    for (const char *p = path;;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)(n ? n : 1), n ? p : ".", prog);
        if (access(buf, X_OK) == 0) return 1;
        if (!p[n]) return 0;
        p += n + 1;
    }
}

/* Runs prog script in dir: fork, chdir, execvp; no shell. Returns the exit status,
 * or -1 when it could not be started or died of a signal. */
static int cr_fit_run_in(const char *dir, const char *prog, const char *script)
{
    pid_t pid;
    int status;
    fflush(NULL);
    pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        char *argv[] = { (char *)prog, (char *)script, NULL };
        if (chdir(dir) != 0) _exit(126);
        execvp(prog, argv);
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* s single-quoted for a POSIX shell, for a command line printed to the user (never
 * run by collroof-fit): ' becomes '\''. */
static void cr_fit_sh_quote(const char *s, char *out, size_t len)
{
    size_t o = 0;
    if (len < 3) {
        if (len) out[0] = '\0';
        return;
    }
    out[o++] = '\'';
    for (; *s && o + 5 < len; s++) {
        if (*s == '\'') {
            memcpy(out + o, "'\\''", 4);
            o += 4;
        } else {
            out[o++] = *s;
        }
    }
    out[o++] = '\'';
    out[o] = '\0';
}

cr_status_t cr_fit_plot_render(const char *dir, const char *script)
{
    const char *prog = getenv("CR_GNUPLOT") ? getenv("CR_GNUPLOT") : CR_GNUPLOT;
    char qdir[8192], qprog[2048];
    int rc;
    if (!cr_fit_have_gnuplot(prog)) {
        cr_fit_sh_quote(dir, qdir, sizeof qdir);
        cr_fit_sh_quote(prog, qprog, sizeof qprog);
        printf("gnuplot not found; render with: cd %s && %s %s\n", qdir, qprog, script);
        return CR_OK;
    }
    if ((rc = cr_fit_run_in(dir, prog, script)) != 0) {
        cr_error("gnuplot failed on %s/%s (%s in that directory: %s)", dir, script, prog,
                 rc < 0 ? "could not start or died" : "non-zero exit");
        return CR_ERR_IO;
    }
    return CR_OK;
}

cr_status_t cr_fit_plot_write(const char *dir, const cr_fit_report_t *rep, int formats)
{
    for (size_t i = 0; i < rep->nres; i++) {
        const char *level = rep->res[i].g->level;
        char lv[CR_NAME_LEN], script[CR_NAME_LEN + 16];
        FILE *gp;
        int seen = 0;
        for (size_t j = 0; j < i; j++) seen |= !strcmp(rep->res[j].g->level, level);
        if (seen) continue;
        CR_CHECK(cr_fit_plot_level(dir, rep, level, formats, &gp, lv));
        snprintf(script, sizeof script, "plot-%s.gp", lv);
        CR_CHECK(cr_fit_plot_render(dir, script));
    }
    CR_CHECK(cr_fit_plot_overlap(dir, rep, formats));
    CR_CHECK(cr_fit_plot_skew(dir, rep, formats));
    return cr_fit_plot_workload(dir, rep, formats);
}
