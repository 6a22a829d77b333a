/* The human summary on stdout: one line per group and segment, then one
 * roofline line per group. α <= 0 (a later segment's intercept) is shown as
 * "-": it is no latency and n½ = α·r∞ means nothing (nor when α's CI reaches
 * 0); fit.csv keeps the numbers. */
#include "config.h"

#include "fit_write.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "cr_sizes.h"

/* Bytes as "4K" when exact, else rounded to an integer; "-" when not positive or
 * not finite. */
static void cr_fit_bytes_str(double v, char *buf, size_t len)
{
    if (isfinite(v) && v >= 1) cr_size_format((uint64_t)(v + 0.5), buf, len);
    else snprintf(buf, len, "-");   /* not positive, or infinite (r∞ = inf): no size */
}

/* Finite and positive: an efficiency is printed only between two such rates, else n/a. */
static int cr_fit_pos(double v) { return isfinite(v) && v > 0; }

/* A rate as %.4g, "n/a" when not finite (r∞ = inf: β <= 0, no bandwidth term). */
static const char *cr_fit_rate_str(double v, char *buf, size_t len)
{
    if (isfinite(v)) snprintf(buf, len, "%.4g", v);
    else snprintf(buf, len, "n/a");
    return buf;
}

/* A 95% interval "[lo, hi]" (fmt for each bound); "(no interval)" unless both bounds
 * are finite: an interval with inf or nan in it is never printed. */
static const char *cr_fit_ci_str(double lo, double hi, const char *fmt, char *buf, size_t len)
{
    char a[16], b[16];   /* %.4g of a finite double */
    if (!isfinite(lo) || !isfinite(hi)) {
        snprintf(buf, len, "(no interval)");
        return buf;
    }
    snprintf(a, sizeof a, fmt, lo);
    snprintf(b, sizeof b, fmt, hi);
    snprintf(buf, len, "[%s, %s]", a, b);
    return buf;
}

static void cr_fit_summary_segs(FILE *f, const cr_fit_result_t *r, int w, int *intercepts)
{
    const cr_fit_group_t *g = r->g;
    for (size_t s = 0; s < r->k; s++) {
        const cr_fit_segres_t *z = &r->seg[s];
        char lo[24], hi[24], range[48], nh[24], a[24], ci[48], rci[80], eff[16], c[24];
        char r0[24], r1[48];
        cr_size_format(g->pts[z->first].bytes, lo, sizeof lo);
        cr_size_format(g->pts[z->last].bytes, hi, sizeof hi);
        snprintf(range, sizeof range, "%s-%s", lo, hi);
        if (isfinite(z->rinf))
            snprintf(rci, sizeof rci, "%s %s", cr_fit_rate_str(z->rinf, r0, sizeof r0),
                     cr_fit_ci_str(z->rinf_lo, z->rinf_hi, "%.4g", r1, sizeof r1));
        else
            snprintf(rci, sizeof rci, "n/a");
        if (z->alpha > 0) {
            snprintf(a, sizeof a, "%.3f", z->alpha);
            cr_fit_ci_str(z->alpha_lo, z->alpha_hi, "%.3g", ci, sizeof ci);
            if (z->alpha_lo > 0 || isnan(z->alpha_lo)) {
                cr_fit_bytes_str(z->n_half, nh, sizeof nh);
            } else {
                snprintf(nh, sizeof nh, "-");
                *intercepts = 1;
            }
        } else {
            snprintf(a, sizeof a, "-");
            snprintf(ci, sizeof ci, "-");
            snprintf(nh, sizeof nh, "-");
            *intercepts = 1;
        }
        if (cr_fit_pos(z->ceiling) && cr_fit_pos(r->link_GBps))
            snprintf(eff, sizeof eff, "%.0f%%", 100 * z->ceiling / r->link_GBps);
        else
            snprintf(eff, sizeof eff, "n/a");
        fprintf(f, "%-*s %-9s %-12s %5d %3zu %-15s %10s %-21s %10s %-21s %9s %6s\n", w,
                cr_fit_group_name(g), g->level, g->cadence, g->ranks, s + 1, range, a, ci,
                cr_fit_rate_str(z->ceiling, c, sizeof c), rci, nh, eff);
    }
}

static void cr_fit_summary_roof(FILE *f, const cr_fit_result_t *r)
{
    const cr_fit_group_t *g = r->g;
    char floor_s[32], knee[24], eff[128], from[48], ceil_s[32];
    if (r->roof_alpha > 0) snprintf(floor_s, sizeof floor_s, "%.3f us", r->roof_alpha);
    else snprintf(floor_s, sizeof floor_s, "- (segment 1 alpha <= 0)");
    cr_fit_bytes_str(r->roof_knee, knee, sizeof knee);
    if (r->roof_seg < r->k)
        snprintf(from, sizeof from, "segment %zu%s", r->roof_seg + 1,
                 r->roof_extrapolated ? ", extrapolated" : "");
    else
        snprintf(from, sizeof from, "highest measured");
    if (cr_fit_pos(r->roof_ceiling) && cr_fit_pos(r->link_GBps) && cr_fit_pos(r->efficiency))
        snprintf(eff, sizeof eff, "%.0f%% of %s link %.4g GB/s%s", 100 * r->efficiency,
                 r->link_src, r->link_GBps,
                 r->efficiency > 1 && !strcmp(r->link_src, "memcpy")
                     ? " (over 100%: in-cache sizes outrun the DRAM-sized memcpy probe)" : "");
    else
        snprintf(eff, sizeof eff, "n/a");
    if (cr_fit_pos(r->roof_ceiling))
        snprintf(ceil_s, sizeof ceil_s, "%.4g GB/s", r->roof_ceiling);
    else
        snprintf(ceil_s, sizeof ceil_s, "n/a");
    fprintf(f, "roofline: %s %s %s p=%d: latency floor %s, ceiling %s (%s), "
            "knee S* %s bytes, efficiency %s", cr_fit_group_name(g), g->level, g->cadence, g->ranks,
            floor_s, ceil_s, from, knee, eff);
    /* What the largest messages get (the last segment's slope), when that is not the ceiling:
     * beyond a cache, or past a token bucket's burst, it is the sustained rate. */
    if (r->k > 1 && r->roof_seg != r->k - 1 && cr_fit_pos(r->seg[r->k - 1].ceiling))
        fprintf(f, "; largest sizes %.4g GB/s (segment %zu)", r->seg[r->k - 1].ceiling, r->k);
    fputc('\n', f);
}

/* A note where the largest sizes fault in fresh memory every call (cr_fit_fault_bound). */
/* An overlap cadence's group: its overlap at the largest size. */
static void cr_fit_summary_overlap(FILE *f, const cr_fit_group_t *g)
{
    const cr_fit_point_t *last;
    cr_cadence_t cad;
    if (!g->npts || cr_cadence_parse(g->cadence, &cad) != 0 || !cr_cadence_is_overlap(cad))
        return;
    last = &g->pts[g->npts - 1];
    if (isnan(last->overlap)) return;
    fprintf(f, "overlap: %s %s %s p=%d at %" PRIu64 " bytes: %.2f [%.2f, %.2f] of the call "
            "hidden behind compute (overlap.csv)\n", cr_fit_group_name(g), g->level, g->cadence,
            g->ranks, last->bytes, last->overlap, last->overlap_lo, last->overlap_hi);
}

static void cr_fit_summary_faults(FILE *f, const cr_fit_group_t *g)
{
    size_t from = 0, n = cr_fit_fault_bound(g, &from);
    const cr_fit_point_t *last = &g->pts[g->npts - 1];
    char lo[24], hi[24], range[56];
    if (n == 0) return;
    cr_size_format(g->pts[from].bytes, lo, sizeof lo);
    cr_size_format(last->bytes, hi, sizeof hi);
    if (n == 1) snprintf(range, sizeof range, "at %s", hi);
    else snprintf(range, sizeof range, "from %s to %s", lo, hi);
    fprintf(f, "note: %s %s %s p=%d: %s every call page-faults in fresh memory (%.0f faults "
            "per call at %s = %.3g MiB of 4 KiB pages), most likely a temporary "
            "buffer the MPI library allocates per call and the C library maps anew: those "
            "times include the kernel's page-fault cost; docs/method.md 'Page faults in "
            "the timed loop' says how to measure without it\n",
            cr_fit_group_name(g), g->level, g->cadence, g->ranks, range, last->faults, hi,
            last->faults * 4096.0 / 1048576.0);
}

/* One line per series across rank counts: the model predict uses beyond them and its
 * leave-one-rank-count-out accuracy (projection.csv has the numbers). */
static void cr_fit_summary_proj(FILE *f, const cr_fit_pseries_t *p)
{
    const cr_proj_series_t *s = &p->s;
    char topo[48], acc[160], counts[160];
    size_t used = 0;
    if (p->fixed_ppn) snprintf(topo, sizeof topo, "ppn=%d", p->fixed_ppn);
    else if (p->fixed_nodes) snprintf(topo, sizeof topo, "nodes=%d", p->fixed_nodes);
    else snprintf(topo, sizeof topo, "any topology");
    counts[0] = '\0';
    for (size_t k = 0; k < s->nc && used < sizeof counts; k++)
        used += (size_t)snprintf(counts + used, sizeof counts - used, "%s%d", k ? "," : "",
                                 s->c[k].ranks);
    if (p->has_loo && p->loo.n)
        snprintf(acc, sizeof acc, "leave-one-rank-count-out at >= 64K: median |err| %.1f%%, "
                 "max %.1f%%, %.0f%% inside the 95%% interval (n=%zu)",
                 100 * p->loo.med_abs_err, 100 * p->loo.max_abs_err, 100 * p->loo.coverage,
                 p->loo.n);
    else if (p->has_loo)
        snprintf(acc, sizeof acc, "no held-out size >= 64K");
    else
        snprintf(acc, sizeof acc, "held-out accuracy needs >= 3 rank counts");
    fprintf(f, "scaling model: %s %s %s %s p=%s: alpha ~ %s, beta ~ %s (%s); run-to-run "
            "%.1f%% (%s); %s\n", p->collective, p->level, p->cadence, topo, counts,
            cr_proj_family_x[s->fa], cr_proj_family_x[s->fb],
            s->validated ? "chosen by held-out error" : "prior: fewer than 3 rank counts",
            100 * s->sigma_run, s->run_dof ? "repeated launches" : "assumed", acc);
}

static cr_status_t cr_fit_summary_write(FILE *f, const cr_fit_report_t *rep)
{
    int intercepts = 0, w = 15;   /* collective column: as wide as the longest label */
    for (size_t i = 0; i < rep->nres; i++) {
        int n = (int)strlen(cr_fit_group_name(rep->res[i].g));
        if (n > w) w = n;
    }
    if (rep->nres == 0)   /* a workload replay alone (cr_fit_cmd_fit) */
        fprintf(f, "no roofline: %s\n", rep->set->rows
                ? "no group of the results has two distinct sizes to fit"
                : "the runs hold no results.csv or results.jsonl, only a workload replay");
    else
        fprintf(f, "%-*s %-9s %-12s %5s %3s %-15s %10s %-21s %10s %-21s %9s %6s\n", w,
                "collective", "level", "cadence", "ranks", "seg", "sizes", "alpha_us",
                "[95% CI]", "ceil_GBps", "r_inf [95% CI] GB/s", "n_half", "eff");
    for (size_t i = 0; i < rep->nres; i++) cr_fit_summary_segs(f, &rep->res[i], w, &intercepts);
    if (intercepts)
        fputs("'-': the segment's line has intercept alpha <= 0 (time grows faster than "
              "through the origin), or n_half where alpha's CI reaches 0; values in fit.csv\n", f);
    for (size_t i = 0; i < rep->nres; i++) cr_fit_summary_roof(f, &rep->res[i]);
    for (size_t i = 0; i < rep->nres; i++) cr_fit_summary_faults(f, rep->res[i].g);
    for (size_t i = 0; i < rep->set->ngroups; i++) cr_fit_summary_overlap(f, &rep->set->groups[i]);
    cr_fit_summary_overlap_table(f, rep);
    cr_fit_summary_skew(f, rep);
    for (size_t i = 0; i < rep->nscal; i++) {
        const cr_fit_scaling_t *s = &rep->scal[i];
        fprintf(f, "latency vs ranks: %s %s %s p=%d..%d (%zu counts): %s "
                "(rel. RMS p-1: %.3g, log2 p: %.3g)\n", s->label[0] ? s->label : s->collective,
                s->level, s->cadence, s->pmin, s->pmax, s->points, s->shape, s->lin_rmse,
                s->log_rmse);
    }
    for (size_t i = 0; i < rep->nproj; i++) cr_fit_summary_proj(f, &rep->proj[i]);
    cr_fit_summary_workload(f, rep);
    for (size_t i = 0; i < rep->set->nnotes; i++)   /* runs that did not complete */
        fprintf(f, "note: run %s\n", rep->set->notes[i]);
    return ferror(f) ? CR_ERR_IO : CR_OK;
}

const cr_fit_writer_ops_t cr_fit_writer_summary = {
    .name = "summary",
    .file = NULL,
    .write = cr_fit_summary_write,
};
