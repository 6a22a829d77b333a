/* predict's spreadsheet rows: one per answer, units in the column names, numbers
 * as plain decimals, the what-if beside the measured fabric (docs/formats.md). */
#include "config.h"

#include "fit_cmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cr_level_names.h"

const char *cr_fit_pcsv_num(double v, char *buf, size_t len)
{
    int dec;
    char *e;
    if (!isfinite(v)) {
        buf[0] = '\0';
        return buf;
    }
    if (v == 0) {
        snprintf(buf, len, "0");
        return buf;
    }
    dec = 6 - (int)floor(log10(fabs(v)));
    dec = dec < 0 ? 0 : dec > 17 ? 17 : dec;
    snprintf(buf, len, "%.*f", dec, v);
    if (strchr(buf, '.')) {   /* no trailing zeros, no bare point */
        e = buf + strlen(buf) - 1;
        while (*e == '0') *e-- = '\0';
        if (*e == '.') *e = '\0';
    }
    if (!strcmp(buf, "-0")) snprintf(buf, len, "0");
    return buf;
}

/* A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
static void cr_fit_pcsv_text(FILE *f, const char *v)
{
    if (!v[strcspn(v, ",\"\r\n")]) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (; *v; v++) {
        if (*v == '"') fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

static void cr_fit_pcsv_n(FILE *f, double v)
{
    char b[64];
    fputc(',', f);
    fputs(cr_fit_pcsv_num(v, b, sizeof b), f);
}

/* A positive what-if, else an empty cell. */
static void cr_fit_pcsv_opt(FILE *f, double v)
{
    cr_fit_pcsv_n(f, v > 0 ? v : NAN);
}

static void cr_fit_pcsv_t(FILE *f, const char *v)
{
    fputc(',', f);
    cr_fit_pcsv_text(f, v);
}

void cr_fit_pcsv_header(FILE *f)
{
    /* The first 24 columns are those predict wrote before the what-ifs (scripts
     * read them by position); the rest follow. */
    fputs("collective,level,cadence,ranks,bytes,t_us,t_lo_us,t_hi_us,algbw_GBps,"
          "algbw_lo_GBps,algbw_hi_GBps,busbw_GBps,busbw_lo_GBps,busbw_hi_GBps,mode,basis,"
          "dtype,in_place,variant,nodes,ppn,model,warning,skew,"
          "extrapolated,algorithm,fits_used,whatif,whatif_link_GBps,whatif_latency_us", f);
    for (int i = 0; i < CR_LEVEL_COUNT; i++) fprintf(f, ",whatif_%s_GBps", cr_level_name(i));
    for (int i = 0; i < CR_LEVEL_COUNT; i++)
        fprintf(f, ",whatif_%s_latency_us", cr_level_name(i));
    fputs(",t_measured_us,t_measured_lo_us,t_measured_hi_us,whatif_time_ratio", f);
    /* --energy: appended; empty without it */
    fputs(",link_bytes_basis", f);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) fprintf(f, ",link_%s_bytes", cr_fit_plan_levels[l]);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
        fprintf(f, ",link_%s_lo_J,link_%s_hi_J", cr_fit_plan_levels[l], cr_fit_plan_levels[l]);
    fputs(",link_lo_J,link_hi_J,link_lo_pJ_per_byte_S,link_hi_pJ_per_byte_S,link_classes,"
          "link_bytes_source\n", f);
}

/* "allreduce/rail/isolated p=3 (scaling model)" of one prediction into buf at used. */
static size_t cr_fit_pcsv_fit(char *buf, size_t len, size_t used, const char *c, int ranks,
                              const cr_fit_prediction_t *p)
{
    if (used >= len) return used;
    return used + (size_t)snprintf(buf + used, len - used, "%s%s/%s/%s p=%d (%s)",
                                   used ? " + " : "", c, p->level, p->cadence, ranks, p->model);
}

/* The --energy cells: per call, J and bytes; all empty without e. */
static void cr_fit_pcsv_energy(FILE *f, const cr_fit_penergy_t *e, double S)
{
    if (!e) {
        for (int k = 0; k < 1 + 3 * CR_FIT_PLAN_NLV + 6; k++) fputc(',', f);
        return;
    }
    cr_fit_pcsv_t(f, e->basis);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) cr_fit_pcsv_n(f, e->bytes[l]);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        cr_fit_pcsv_n(f, e->lo[l]);
        cr_fit_pcsv_n(f, e->hi[l]);
    }
    cr_fit_pcsv_n(f, e->e_lo);
    cr_fit_pcsv_n(f, e->e_hi);
    cr_fit_pcsv_n(f, S > 0 ? e->e_lo / S * 1e12 : NAN);
    cr_fit_pcsv_n(f, S > 0 ? e->e_hi / S * 1e12 : NAN);
    cr_fit_pcsv_t(f, e->classes);
    cr_fit_pcsv_t(f, e->source);
}

void cr_fit_pcsv_row(FILE *f, const cr_fit_pcsv_row_t *r)
{
    const cr_fit_query_t *q = r->q;
    const cr_fit_prediction_t *p = r->p;
    double t = p->t, lo = p->t_lo, hi = p->t_hi, S = (double)q->bytes, F = p->F;
    double tm = r->pm ? r->pm->t : NAN, tml = r->pm ? r->pm->t_lo : NAN;
    double tmh = r->pm ? r->pm->t_hi : NAN;
    const char *level = p->level, *model = p->model, *alg = "flat", *warn = p->warning;
    char fits[512] = "", wi[256];
    int ext = p->extrapolated;
    if (r->h) {
        t = r->h->t;
        lo = r->h->t_lo;
        hi = r->h->t_hi;
        F = r->h->algbw > 0 ? r->h->busbw / r->h->algbw : F;
        tm = r->hm ? r->hm->t : NAN;
        tml = r->hm ? r->hm->t_lo : NAN;
        tmh = r->hm ? r->hm->t_hi : NAN;
        level = "hierarchical";
        alg = r->h->alg == CR_FIT_HIER_LEADER ? "hierarchical leader" : "hierarchical rail";
        model = r->h->alg == CR_FIT_HIER_LEADER ? "hierarchical leader" : "hierarchical";
        warn = r->h->warn ? "a phase extrapolates far" : "";
        ext = 0;
        for (size_t i = 0, used = 0; i < r->h->nph; i++) {
            const cr_fit_phase_t *ph = &r->h->ph[i];
            ext |= ph->pr.extrapolated;
            used = cr_fit_pcsv_fit(fits, sizeof fits, used, ph->collective, ph->ranks, &ph->pr);
        }
    } else {
        cr_fit_pcsv_fit(fits, sizeof fits, 0, q->collective, q->ranks, p);
    }
    cr_fit_pcsv_text(f, q->collective);
    cr_fit_pcsv_t(f, level);
    cr_fit_pcsv_t(f, p->cadence);
    fprintf(f, ",%d,%llu", q->ranks, (unsigned long long)q->bytes);
    cr_fit_pcsv_n(f, t);
    cr_fit_pcsv_n(f, lo);
    cr_fit_pcsv_n(f, hi);
    cr_fit_pcsv_n(f, S / t * 1e-3);
    cr_fit_pcsv_n(f, S / hi * 1e-3);
    cr_fit_pcsv_n(f, lo > 0 ? S / lo * 1e-3 : NAN);
    cr_fit_pcsv_n(f, F * S / t * 1e-3);
    cr_fit_pcsv_n(f, F * S / hi * 1e-3);
    cr_fit_pcsv_n(f, lo > 0 ? F * S / lo * 1e-3 : NAN);
    cr_fit_pcsv_t(f, ext ? "extrapolated" : "interpolated");
    if (r->h) {
        char basis[sizeof p->basis];
        size_t used = 0;
        basis[0] = '\0';
        for (size_t i = 0; i < r->h->nph && used < sizeof basis; i++) {
            const cr_fit_phase_t *ph = &r->h->ph[i];
            char as[CR_NAME_LEN + 8] = "";
            if (strcmp(ph->op, ph->collective)) snprintf(as, sizeof as, " (as %s)", ph->collective);
            used += (size_t)snprintf(basis + used, sizeof basis - used,
                                     "%s%s %s%s p=%d %llu bytes %.6g us", i ? " + " : "",
                                     ph->level, ph->op, as, ph->ranks,
                                     (unsigned long long)ph->bytes, ph->pr.t);
        }
        cr_fit_pcsv_t(f, basis);
    } else {
        cr_fit_pcsv_t(f, p->basis);
    }
    cr_fit_pcsv_t(f, p->dtype);
    fprintf(f, ",%d", p->in_place);
    cr_fit_pcsv_t(f, cr_variant_names[p->variant]);
    cr_fit_pcsv_opt(f, q->nodes);
    cr_fit_pcsv_opt(f, q->ppn);
    cr_fit_pcsv_t(f, model);
    cr_fit_pcsv_t(f, warn);
    cr_fit_pcsv_t(f, p->skew);
    fprintf(f, ",%d", ext);
    cr_fit_pcsv_t(f, alg);
    cr_fit_pcsv_t(f, fits);
    cr_fit_pcsv_t(f, cr_fit_query_whatif_str(q, wi, sizeof wi));
    cr_fit_pcsv_opt(f, q->link_GBps);
    cr_fit_pcsv_opt(f, q->latency_us);
    for (int i = 0; i < CR_LEVEL_COUNT; i++) cr_fit_pcsv_opt(f, q->level_GBps[i]);
    for (int i = 0; i < CR_LEVEL_COUNT; i++) cr_fit_pcsv_opt(f, q->level_latency_us[i]);
    cr_fit_pcsv_n(f, tm);
    cr_fit_pcsv_n(f, tml);
    cr_fit_pcsv_n(f, tmh);
    cr_fit_pcsv_n(f, tm > 0 ? t / tm : NAN);
    cr_fit_pcsv_energy(f, r->e, S);
    fputc('\n', f);
}

int cr_fit_pcsv_append(const char *path, const cr_fit_pcsv_row_t *r)
{
    struct stat sb;
    int fresh = stat(path, &sb) != 0 || sb.st_size == 0;
    FILE *f = fopen(path, "a");
    if (!f) {
        cr_error("cannot append to %s: %s", path, strerror(errno));
        return 1;
    }
    if (fresh) cr_fit_pcsv_header(f);
    cr_fit_pcsv_row(f, r);
    if (ferror(f) | fclose(f)) {
        cr_error("cannot append to %s: %s", path, strerror(errno));
        return 1;
    }
    return 0;
}
