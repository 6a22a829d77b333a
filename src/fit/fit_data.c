#include "config.h"

#include "fit_data.h"
#include "cr_coll.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void cr_fit_isort(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = x[i];
        size_t j = i;
        for (; j > 0 && x[j - 1] > v; j--) x[j] = x[j - 1];
        x[j] = v;
    }
}

/* Typed quicksort (median of three, recurse on the smaller side): no
 * comparator calls, which dominate qsort on the 1e6 raw samples. NaN-free input. */
void cr_fit_sort(double *x, size_t n)
{
    while (n > 24) {
        double a = x[0], b = x[n / 2], c = x[n - 1], piv;
        size_t i = 0, j = n - 1;
        piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        for (;;) {
            while (x[i] < piv) i++;
            while (x[j] > piv) j--;
            if (i >= j) break;
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
            i++;
            j--;
        }
        if (j + 1 < n - j - 1) {
            cr_fit_sort(x, j + 1);
            x += j + 1;
            n -= j + 1;
        } else {
            cr_fit_sort(x + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    cr_fit_isort(x, n);
}

double cr_fit_median(const double *x, size_t n)
{
    double small[64], *tmp = n <= 64 ? small : malloc(n * sizeof *tmp);
    double m;
    if (!tmp) return NAN;
    memcpy(tmp, x, n * sizeof *tmp);
    cr_fit_sort(tmp, n);
    m = n % 2 ? tmp[n / 2] : 0.5 * (tmp[n / 2 - 1] + tmp[n / 2]);
    if (tmp != small) free(tmp);
    return m;
}

void cr_fit_set_init(cr_fit_set_t *set) { memset(set, 0, sizeof *set); }

void cr_fit_set_free(cr_fit_set_t *set)
{
    for (size_t g = 0; g < set->ngroups; g++) {
        for (size_t i = 0; i < set->groups[g].npts; i++) free(set->groups[g].pts[i].raw);
        free(set->groups[g].pts);
    }
    free(set->groups);
    memset(set, 0, sizeof *set);
}

static int cr_fit_key_cmp(const cr_fit_group_t *g, const char *c, const char *l,
                          const char *cad, int ranks)
{
    int d = strcmp(g->collective, c);
    if (!d) d = strcmp(g->level, l);
    if (!d) d = strcmp(g->cadence, cad);
    if (!d) d = (g->ranks > ranks) - (g->ranks < ranks);
    return d;
}

const cr_fit_group_t *cr_fit_set_find(const cr_fit_set_t *set, const char *coll,
                                      const char *level, const char *cadence, int ranks)
{
    for (size_t g = 0; g < set->ngroups; g++)
        if (!cr_fit_key_cmp(&set->groups[g], coll, level, cadence, ranks))
            return &set->groups[g];
    return NULL;
}

cr_status_t cr_fit_set_add(cr_fit_set_t *set, cr_fit_row_t *row)
{
    cr_fit_group_t *g = (cr_fit_group_t *)cr_fit_set_find(set, row->collective, row->level,
                                                          row->cadence, row->ranks);
    cr_fit_point_t *p;
    if (!g) {
        if (set->ngroups == set->cap) {
            size_t cap = set->cap ? 2 * set->cap : 16;
            cr_fit_group_t *ng = realloc(set->groups, cap * sizeof *ng);
            CR_CHECK_ALLOC(ng, cap * sizeof *ng);
            set->groups = ng;
            set->cap = cap;
        }
        g = &set->groups[set->ngroups++];
        memset(g, 0, sizeof *g);
        memcpy(g->collective, row->collective, CR_NAME_LEN);
        memcpy(g->level, row->level, CR_NAME_LEN);
        memcpy(g->cadence, row->cadence, CR_NAME_LEN);
        g->ranks = row->ranks;
    }
    if (g->npts == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 32;
        cr_fit_point_t *np = realloc(g->pts, cap * sizeof *np);
        CR_CHECK_ALLOC(np, cap * sizeof *np);
        g->pts = np;
        g->cap = cap;
    }
    if (row->nodes > g->nodes) g->nodes = row->nodes;
    if (row->ppn > g->ppn) g->ppn = row->ppn;
    p = &g->pts[g->npts++];
    p->bytes = row->bytes;
    p->t_med = row->t_med;
    p->t_lo = row->t_lo;
    p->t_hi = row->t_hi;
    p->algbw = row->algbw;
    p->busbw = row->busbw;
    p->raw = row->raw;
    p->nraw = row->nraw;
    p->faults = row->faults;
    if (p->raw) cr_fit_sort(p->raw, p->nraw);
    set->rows++;
    set->samples += row->nraw;
    row->raw = NULL;
    row->nraw = 0;
    return CR_OK;
}

static int cr_fit_group_cmp(const void *a, const void *b)
{
    const cr_fit_group_t *y = b;
    return cr_fit_key_cmp(a, y->collective, y->level, y->cadence, y->ranks);
}

static int cr_fit_point_cmp(const void *a, const void *b)
{
    const cr_fit_point_t *x = a, *y = b;
    if (x->bytes != y->bytes) return x->bytes < y->bytes ? -1 : 1;
    return (x->t_med > y->t_med) - (x->t_med < y->t_med);
}

/* F = busbw/algbw of the group's rows (median of ratios); the plug-in's F(p)
 * when no row carries both. The readers refuse unknown collectives; for one
 * added by hand the rows alone decide (1 without them). */
static double cr_fit_group_factor(const cr_fit_group_t *g)
{
    const cr_coll_ops_t *ops = cr_coll_find(g->collective);
    double r[64];
    size_t n = 0;
    for (size_t i = 0; i < g->npts && n < 64; i++)
        if (g->pts[i].algbw > 0 && g->pts[i].busbw > 0)
            r[n++] = g->pts[i].busbw / g->pts[i].algbw;
    double table = ops ? ops->bus_factor(g->ranks) : 1.0, m;
    if (!n) return table;
    if (!ops) return cr_fit_median(r, n);
    m = cr_fit_median(r, n);
    /* The CSV rounds bandwidths to 6 digits: snap to the exact table value. */
    return fabs(m - table) <= 1e-4 * table ? table : m;
}

void cr_fit_set_finish(cr_fit_set_t *set)
{
    qsort(set->groups, set->ngroups, sizeof *set->groups, cr_fit_group_cmp);
    for (size_t g = 0; g < set->ngroups; g++) {
        cr_fit_group_t *gr = &set->groups[g];
        qsort(gr->pts, gr->npts, sizeof *gr->pts, cr_fit_point_cmp);
        gr->F = cr_fit_group_factor(gr);
    }
}
