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
    PC_T_MEM, PC_INTENSITY, PC_CRITICAL, PC_BINDS, PC_T, PC_T_LO, PC_T_HI, PC_WARNING,
    /* link energy (--energy): appended */
    PC_L_BASIS, PC_LB_NODE, PC_LB_RAIL, PC_LB_INTERNODE, PC_LB_WORLD, PC_LE_NODE_LO,
    PC_LE_NODE_HI, PC_LE_RAIL_LO, PC_LE_RAIL_HI, PC_LE_INTERNODE_LO, PC_LE_INTERNODE_HI,
    PC_LE_WORLD_LO, PC_LE_WORLD_HI, PC_LE_CALL_LO, PC_LE_CALL_HI, PC_LE_LO, PC_LE_HI, PC_LP_LO,
    PC_LP_HI, PC_LPB_LO, PC_LPB_HI, PC_HOST_J, PC_HOST_SRC, PC_CLASSES,
    PC_WHATIF, PC_T_MEASURED,
    PC_L_SRC,   /* appended after the what-ifs: where measured wire bytes came from */
    PC_N
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
    [PC_L_BASIS] = "link_bytes_basis", [PC_LB_NODE] = "link_node_bytes",
    [PC_LB_RAIL] = "link_rail_bytes", [PC_LB_INTERNODE] = "link_internode_bytes",
    [PC_LB_WORLD] = "link_world_bytes", [PC_LE_NODE_LO] = "link_node_lo_J",
    [PC_LE_NODE_HI] = "link_node_hi_J", [PC_LE_RAIL_LO] = "link_rail_lo_J",
    [PC_LE_RAIL_HI] = "link_rail_hi_J", [PC_LE_INTERNODE_LO] = "link_internode_lo_J",
    [PC_LE_INTERNODE_HI] = "link_internode_hi_J", [PC_LE_WORLD_LO] = "link_world_lo_J",
    [PC_LE_WORLD_HI] = "link_world_hi_J", [PC_LE_CALL_LO] = "link_call_lo_J",
    [PC_LE_CALL_HI] = "link_call_hi_J", [PC_LE_LO] = "link_lo_J", [PC_LE_HI] = "link_hi_J",
    [PC_LP_LO] = "link_power_lo_W", [PC_LP_HI] = "link_power_hi_W",
    [PC_LPB_LO] = "link_lo_pJ_per_byte", [PC_LPB_HI] = "link_hi_pJ_per_byte",
    [PC_HOST_J] = "host_measured_J", [PC_HOST_SRC] = "host_measured_source",
    [PC_CLASSES] = "link_classes",
    [PC_WHATIF] = "whatif", [PC_T_MEASURED] = "t_measured_fabric_us",
    [PC_L_SRC] = "link_bytes_source",
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

/* The link energy cells of a call line (count x per call) or of the step (lb bytes,
 * e_lo/e_hi J, lv_lo/lv_hi J per level); power at the step's time t_step_us. */
static void cr_fit_plan_energy_cells(cr_fit_cell_t *cell, const cr_fit_plan_t *p,
                                     const char *basis, const double *lb, const double *lv_lo,
                                     const double *lv_hi, double count, double e_lo,
                                     double e_hi, double host_J, const char *host_src)
{
    double bytes = 0;
    if (!p->energy) return;
    snprintf(cell[PC_L_BASIS], sizeof cell[PC_L_BASIS], "%s", basis);
    for (int l = 0; l < CR_FIT_PLAN_NLV; l++) {
        snprintf(cell[PC_LB_NODE + l], sizeof cell[0], "%.10g", count * lb[l]);
        snprintf(cell[PC_LE_NODE_LO + 2 * l], sizeof cell[0], "%.10g", count * lv_lo[l]);
        snprintf(cell[PC_LE_NODE_HI + 2 * l], sizeof cell[0], "%.10g", count * lv_hi[l]);
        bytes += count * lb[l];
    }
    snprintf(cell[PC_LE_LO], sizeof cell[0], "%.10g", count * e_lo);
    snprintf(cell[PC_LE_HI], sizeof cell[0], "%.10g", count * e_hi);
    if (p->t > 0) {
        snprintf(cell[PC_LP_LO], sizeof cell[0], "%.10g", count * e_lo / (p->t * 1e-6));
        snprintf(cell[PC_LP_HI], sizeof cell[0], "%.10g", count * e_hi / (p->t * 1e-6));
    }
    if (bytes > 0) {
        snprintf(cell[PC_LPB_LO], sizeof cell[0], "%.10g", count * e_lo / bytes * 1e12);
        snprintf(cell[PC_LPB_HI], sizeof cell[0], "%.10g", count * e_hi / bytes * 1e12);
    }
    if (isfinite(host_J)) snprintf(cell[PC_HOST_J], sizeof cell[0], "%.10g", count * host_J);
    snprintf(cell[PC_HOST_SRC], sizeof cell[0], "%s", host_src);
    snprintf(cell[PC_CLASSES], sizeof cell[0], "%.399s", p->classes);
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
    cr_fit_plan_energy_cells(cell, p, c->bytes_basis, c->link_bytes, c->e_lv_lo, c->e_lv_hi,
                             w->count, c->e_lo, c->e_hi, c->host_J,
                             isnan(c->host_J) ? "not measured" : c->host_src);
    if (p->energy) {
        cr_fit_num(cell[PC_LE_CALL_LO], c->e_lo);
        cr_fit_num(cell[PC_LE_CALL_HI], c->e_hi);
        cr_fit_str(cell[PC_L_SRC], c->bytes_src[0] ? c->bytes_src : "modelled");
    }
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
    {
        char src[96];
        int modelled = 0, measured = 0;
        for (int i = 0; i < p->ncalls; i++) {
            modelled |= !strcmp(p->calls[i].bytes_basis, "modelled");
            measured += !strcmp(p->calls[i].bytes_basis, "measured");
        }
        snprintf(src, sizeof src, "%d of %d call lines measured (RAPL)", p->host_calls, p->ncalls);
        cr_fit_plan_energy_cells(cell, p, modelled ? "modelled" : "measured", p->link_bytes,
                                 p->e_lv_lo, p->e_lv_hi, 1, p->e_lo, p->e_hi, p->host_J, src);
        if (p->energy)
            snprintf(cell[PC_L_SRC], sizeof cell[0], "%d of %d call lines measured (wire)",
                     measured, p->ncalls);
    }
    cr_fit_plan_put(f, cell);
}

FILE *cr_fit_plan_csv_open(const char *path)
{
    char err[4400];
    FILE *f = cr_fs_create(path, 1, err, sizeof err);   /* never through a link */
    if (!f) {
        cr_error("%s", err);
        return NULL;
    }
    for (int k = 0; k < PC_N; k++) fprintf(f, "%s%s", k ? "," : "", cr_fit_plan_cols[k]);
    fputc('\n', f);
    return f;
}

void cr_fit_plan_csv_add(FILE *f, const cr_workload_t *wl, const cr_fit_plan_t *p)
{
    for (int i = 0; i < p->ncalls; i++) cr_fit_plan_call_row(f, p, i);
    cr_fit_plan_step_row(f, wl, p);
}

cr_status_t cr_fit_plan_csv_close(FILE *f, const char *path)
{
    if (ferror(f) | fclose(f)) {
        cr_error("cannot write %s: %s", path, strerror(errno));
        return CR_ERR_IO;
    }
    return CR_OK;
}

cr_status_t cr_fit_plan_csv(const char *path, const cr_workload_t *wl, const cr_fit_plan_t *p,
                            int n)
{
    FILE *f = cr_fit_plan_csv_open(path);
    if (!f) return CR_ERR_IO;
    for (int j = 0; j < n; j++) cr_fit_plan_csv_add(f, wl, &p[j]);
    return cr_fit_plan_csv_close(f, path);
}
