/* The plan CSV: one table of columns (name, what), each cell filled by its index;
 * numbers are plain decimals (%.10g, '.' decimal, no separators), unknown numbers
 * empty, text RFC 4180-quoted when it holds a comma, quote or line break. */
#include "config.h"

#include "fit_plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "cr_fs.h"

enum {
    PC_NODES, PC_PPN, PC_RANKS_TOTAL, PC_ROW, PC_LINE, PC_COLLECTIVE, PC_COMM, PC_RANKS, PC_BYTES,
    PC_COUNT, PC_LEVEL, PC_ALGORITHM, PC_EXTRAP, PC_T_CALL, PC_T_CALL_LO, PC_T_CALL_HI, PC_COMM_US,
    PC_COMM_LO, PC_COMM_HI, PC_OVERLAP, PC_EXPOSED, PC_EXPOSED_LO, PC_EXPOSED_HI, PC_EXP_NODE,
    PC_EXP_RAIL, PC_EXP_INTERNODE, PC_EXP_WORLD, PC_GAP, PC_COMPUTE, PC_FLOPS, PC_MEM, PC_T_MATH,
    PC_T_MEM, PC_INTENSITY, PC_CRITICAL, PC_BINDS, PC_T, PC_T_LO, PC_T_HI, PC_WARNING, PC_WHATIF,
    PC_T_MEASURED, PC_N
};

/* The columns, in order (docs/formats.md repeats this table). */
static const char *const cr_fit_plan_cols[PC_N] = {
    [PC_NODES] = "nodes", [PC_PPN] = "ppn", [PC_RANKS_TOTAL] = "world_ranks", [PC_ROW] = "row",
    [PC_LINE] = "line", [PC_COLLECTIVE] = "collective", [PC_COMM] = "comm", [PC_RANKS] = "ranks",
    [PC_BYTES] = "bytes", [PC_COUNT] = "count", [PC_LEVEL] = "level",
    [PC_ALGORITHM] = "algorithm", [PC_EXTRAP] = "extrapolated", [PC_T_CALL] = "t_call_us",
    [PC_T_CALL_LO] = "t_call_lo_us", [PC_T_CALL_HI] = "t_call_hi_us", [PC_COMM_US] = "comm_us",
    [PC_COMM_LO] = "comm_lo_us", [PC_COMM_HI] = "comm_hi_us", [PC_OVERLAP] = "overlap",
    [PC_EXPOSED] = "exposed_us", [PC_EXPOSED_LO] = "exposed_lo_us",
    [PC_EXPOSED_HI] = "exposed_hi_us", [PC_EXP_NODE] = "exposed_node_us",
    [PC_EXP_RAIL] = "exposed_rail_us", [PC_EXP_INTERNODE] = "exposed_internode_us",
    [PC_EXP_WORLD] = "exposed_world_us", [PC_GAP] = "gap_us", [PC_COMPUTE] = "compute_us",
    [PC_FLOPS] = "flops", [PC_MEM] = "mem_bytes", [PC_T_MATH] = "t_math_us",
    [PC_T_MEM] = "t_mem_us", [PC_INTENSITY] = "intensity_flop_per_byte",
    [PC_CRITICAL] = "critical_flop_per_byte", [PC_BINDS] = "binds", [PC_T] = "t_us",
    [PC_T_LO] = "t_lo_us", [PC_T_HI] = "t_hi_us", [PC_WARNING] = "warning",
    [PC_WHATIF] = "whatif", [PC_T_MEASURED] = "t_measured_fabric_us",
};

typedef char cr_fit_cell_t[400];

static void cr_fit_num(cr_fit_cell_t c, double v)
{
    if (isfinite(v)) snprintf(c, sizeof(cr_fit_cell_t), "%.10g", v);
    else c[0] = '\0';
}

static void cr_fit_int(cr_fit_cell_t c, long long v)
{
    snprintf(c, sizeof(cr_fit_cell_t), "%lld", v);
}

static void cr_fit_str(cr_fit_cell_t c, const char *s)
{
    snprintf(c, sizeof(cr_fit_cell_t), "%s", s);
}

static void cr_fit_plan_put(FILE *f, cr_fit_cell_t *cell)
{
    for (int k = 0; k < PC_N; k++) {
        const char *v = cell[k];
        if (k) fputc(',', f);
        if (!v[strcspn(v, ",\"\r\n")]) {
            fputs(v, f);
            continue;
        }
        fputc('"', f);
        for (; *v; v++) {
            if (*v == '"') fputc('"', f);
            fputc(*v, f);
        }
        fputc('"', f);
    }
    fputc('\n', f);
}

static void cr_fit_plan_common(cr_fit_cell_t *cell, const cr_fit_plan_t *p)
{
    for (int k = 0; k < PC_N; k++) cell[k][0] = '\0';
    cr_fit_int(cell[PC_NODES], p->nodes);
    cr_fit_int(cell[PC_PPN], p->ppn);
    cr_fit_int(cell[PC_RANKS_TOTAL], (long long)p->nodes * p->ppn);
}

static void cr_fit_plan_call_row(FILE *f, const cr_fit_plan_t *p, int i)
{
    static cr_fit_cell_t cell[PC_N];
    const cr_fit_plan_call_t *c = &p->calls[i];
    const cr_wl_call_t *w = c->call;
    cr_fit_plan_common(cell, p);
    cr_fit_int(cell[PC_ROW], i + 1);
    cr_fit_int(cell[PC_LINE], w->line);
    cr_fit_str(cell[PC_COLLECTIVE], w->ops->name);
    cr_fit_str(cell[PC_COMM], cr_wl_comm_names[w->comm]);
    cr_fit_int(cell[PC_RANKS], c->ranks);
    cr_fit_int(cell[PC_BYTES], (long long)w->bytes);
    cr_fit_int(cell[PC_COUNT], w->count);
    cr_fit_str(cell[PC_LEVEL], c->level);
    cr_fit_str(cell[PC_ALGORITHM], c->algorithm);
    cr_fit_int(cell[PC_EXTRAP], c->extrapolated);
    cr_fit_num(cell[PC_T_CALL], c->t);
    cr_fit_num(cell[PC_T_CALL_LO], c->t_lo);
    cr_fit_num(cell[PC_T_CALL_HI], c->t_hi);
    cr_fit_num(cell[PC_COMM_US], w->count * c->t);
    cr_fit_num(cell[PC_COMM_LO], w->count * c->t_lo);
    cr_fit_num(cell[PC_COMM_HI], w->count * c->t_hi);
    cr_fit_num(cell[PC_OVERLAP], c->overlap);
    cr_fit_num(cell[PC_EXPOSED], w->count * c->exposed);
    cr_fit_num(cell[PC_EXPOSED_LO], w->count * c->exposed_lo);
    cr_fit_num(cell[PC_EXPOSED_HI], w->count * c->exposed_hi);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++)
        cr_fit_num(cell[PC_EXP_NODE + l], c->t > 0 ? w->count * c->exposed * c->lv[l] / c->t : 0);
    cr_fit_num(cell[PC_GAP], w->count * w->gap_us);
    cr_fit_num(cell[PC_COMPUTE], w->count * c->compute);
    cr_fit_num(cell[PC_FLOPS], w->count * w->flops);
    cr_fit_int(cell[PC_MEM], (long long)(w->count * w->mem_bytes));
    cr_fit_num(cell[PC_T_MATH], w->count * c->t_math);
    cr_fit_num(cell[PC_T_MEM], w->count * c->t_mem);
    cr_fit_num(cell[PC_INTENSITY], c->intensity);
    cr_fit_num(cell[PC_CRITICAL], c->critical);
    cr_fit_str(cell[PC_BINDS], c->binds);
    cr_fit_num(cell[PC_T], w->count * (c->compute + c->exposed));
    cr_fit_num(cell[PC_T_LO], w->count * (c->compute + c->exposed_lo));
    cr_fit_num(cell[PC_T_HI], w->count * (c->compute + c->exposed_hi));
    cr_fit_str(cell[PC_WARNING], c->warning);
    cr_fit_str(cell[PC_WHATIF], p->whatif);
    cr_fit_num(cell[PC_T_MEASURED], c->t_row_measured);
    cr_fit_plan_put(f, cell);
}

static void cr_fit_plan_step_row(FILE *f, const cr_workload_t *wl, const cr_fit_plan_t *p)
{
    static cr_fit_cell_t cell[PC_N];
    double gap = 0, flops = 0;
    long long bytes = 0, mem = 0;
    int top = 0;
    for (int i = 0; i < p->ncalls; i++) {
        const cr_wl_call_t *w = p->calls[i].call;
        gap += w->count * w->gap_us;
        flops += w->count * w->flops;
        bytes += (long long)(w->count * w->bytes);
        mem += (long long)(w->count * w->mem_bytes);
    }
    for (int l = 1; l < CR_FIT_PLAN_NLV; l++)
        if (p->lv[l] > p->lv[top]) top = l;
    cr_fit_plan_common(cell, p);
    cr_fit_str(cell[PC_ROW], "step");
    cr_fit_str(cell[PC_COLLECTIVE], "step");
    cr_fit_int(cell[PC_RANKS], (long long)p->nodes * p->ppn);
    cr_fit_int(cell[PC_BYTES], bytes);
    cr_fit_int(cell[PC_COUNT], 1);
    cr_fit_str(cell[PC_ALGORITHM], "step = sum of count x (compute + exposed)");
    cr_fit_int(cell[PC_EXTRAP], p->extrapolated);
    cr_fit_num(cell[PC_COMM_US], p->comm);
    cr_fit_num(cell[PC_EXPOSED], p->exposed);
    cr_fit_num(cell[PC_EXPOSED_LO], p->exposed_lo);
    cr_fit_num(cell[PC_EXPOSED_HI], p->exposed_hi);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) cr_fit_num(cell[PC_EXP_NODE + l], p->lv[l]);
    cr_fit_num(cell[PC_GAP], gap);
    cr_fit_num(cell[PC_COMPUTE], p->compute);
    cr_fit_num(cell[PC_FLOPS], flops);
    cr_fit_int(cell[PC_MEM], mem);
    if (p->compute >= p->exposed)
        cr_fit_str(cell[PC_BINDS], "compute");
    else
        snprintf(cell[PC_BINDS], sizeof cell[PC_BINDS], "comm:%s", cr_fit_plan_levels[top]);
    cr_fit_num(cell[PC_T], p->t);
    cr_fit_num(cell[PC_T_LO], p->t_lo);
    cr_fit_num(cell[PC_T_HI], p->t_hi);
    cr_fit_str(cell[PC_WHATIF], p->whatif);
    cr_fit_num(cell[PC_T_MEASURED], p->t_measured);
    (void)wl;
    cr_fit_plan_put(f, cell);
}

cr_status_t cr_fit_plan_csv(const char *path, const cr_workload_t *wl, const cr_fit_plan_t *p,
                            int n)
{
    char err[4400];
    FILE *f = cr_fs_create(path, 1, err, sizeof err);   /* never through a link */
    if (!f) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    for (int k = 0; k < PC_N; k++) fprintf(f, "%s%s", k ? "," : "", cr_fit_plan_cols[k]);
    fputc('\n', f);
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < p[j].ncalls; i++) cr_fit_plan_call_row(f, &p[j], i);
        cr_fit_plan_step_row(f, wl, &p[j]);
    }
    if (ferror(f) | fclose(f)) {
        cr_error("cannot write %s: %s", path, strerror(errno));
        return CR_ERR_IO;
    }
    return CR_OK;
}
