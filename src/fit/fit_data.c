#include "config.h"

#include "fit_data.h"
#include "cr_coll.h"

#include <math.h>
#include <stdio.h>
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

/* Hoare partition of x[0..n) (n > 1) around the median of three: afterwards every
 * x[0..j] <= every x[j+1..n). Returns j (< n - 1). NaN-free input. */
static size_t cr_fit_partition(double *x, size_t n)
{
    double a = x[0], b = x[n / 2], c = x[n - 1], piv;
    size_t i = 0, j = n - 1;
    piv = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    for (;;) {
        while (x[i] < piv) i++;
        while (x[j] > piv) j--;
        if (i >= j) return j;
        double t = x[i];
        x[i] = x[j];
        x[j] = t;
        i++;
        j--;
    }
}

/* Typed quicksort (recurse on the smaller side): no comparator calls, which
 * dominate qsort on the 1e6 raw samples. */
void cr_fit_sort(double *x, size_t n)
{
    while (n > 24) {
        size_t j = cr_fit_partition(x, n);
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

/* Moves the k-th smallest to x[k], smaller or equal ones before it: the
 * partition of cr_fit_sort, descending into the side that holds k only. */
static void cr_fit_select(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (hi - lo >= 16) {
        size_t j = lo + cr_fit_partition(x + lo, hi - lo + 1);
        if (k <= j) hi = j;
        else lo = j + 1;
    }
    cr_fit_isort(x + lo, hi - lo + 1);
}

double cr_fit_median_inplace(double *x, size_t n)
{
    size_t k = n / 2;
    double below;
    cr_fit_select(x, n, k);
    if (n % 2) return x[k];
    below = x[0];
    for (size_t i = 1; i < k; i++)
        if (x[i] > below) below = x[i];
    return 0.5 * (below + x[k]);
}

double cr_fit_median(const double *x, size_t n)
{
    double small[64], *tmp = n <= 64 ? small : malloc(n * sizeof *tmp);
    double m;
    if (!tmp) return NAN;
    memcpy(tmp, x, n * sizeof *tmp);
    m = cr_fit_median_inplace(tmp, n);
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
    free(set->notes);
    memset(set, 0, sizeof *set);
}

int cr_fit_key_cmp(const cr_fit_group_t *a, const cr_fit_group_t *b, int with_ranks)
{
    int d = strcmp(a->collective, b->collective);
    if (!d) d = strcmp(a->level, b->level);
    if (!d) d = strcmp(a->cadence, b->cadence);
    if (!d) d = strcmp(a->dtype, b->dtype);
    if (!d) d = (a->in_place > b->in_place) - (a->in_place < b->in_place);
    if (!d) d = (a->variant > b->variant) - (a->variant < b->variant);
    if (!d) d = strcmp(a->skew, b->skew);
    if (!d && with_ranks) d = (a->ranks > b->ranks) - (a->ranks < b->ranks);
    /* Topology after ranks: a series across rank counts stays sorted by p, and two
     * topologies of one p are two groups, never one fit. */
    if (!d && with_ranks) d = (a->nodes > b->nodes) - (a->nodes < b->nodes);
    if (!d && with_ranks) d = (a->ppn > b->ppn) - (a->ppn < b->ppn);
    return d;
}

const cr_fit_group_t *cr_fit_set_find(const cr_fit_set_t *set, const cr_fit_group_t *key)
{
    for (size_t g = 0; g < set->ngroups; g++)
        if (!cr_fit_key_cmp(&set->groups[g], key, 1)) return &set->groups[g];
    return NULL;
}

const char *cr_fit_group_name(const cr_fit_group_t *g)
{
    return g->label[0] ? g->label : g->collective;
}

cr_status_t cr_fit_set_add(cr_fit_set_t *set, cr_fit_row_t *row)
{
    cr_fit_group_t key, *g;
    cr_fit_point_t *p;
    memset(&key, 0, sizeof key);
    memcpy(key.collective, row->collective, CR_NAME_LEN);
    memcpy(key.level, row->level, CR_NAME_LEN);
    memcpy(key.cadence, row->cadence, CR_NAME_LEN);
    memcpy(key.dtype, row->dtype, CR_NAME_LEN);
    key.in_place = row->in_place;
    key.variant = row->variant;
    memcpy(key.skew, row->skew, CR_NAME_LEN);
    key.ranks = row->ranks;
    key.nodes = row->nodes;
    key.ppn = row->ppn;
    g = (cr_fit_group_t *)cr_fit_set_find(set, &key);
    if (!g) {
        if (set->ngroups == set->cap) {
            size_t cap = set->cap ? 2 * set->cap : 16;
            cr_fit_group_t *ng = realloc(set->groups, cap * sizeof *ng);
            CR_CHECK_ALLOC(ng, cap * sizeof *ng);
            set->groups = ng;
            set->cap = cap;
        }
        g = &set->groups[set->ngroups++];
        *g = key;
    }
    if (set->reading_incomplete) g->from_incomplete++;
    if (g->npts == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 32;
        cr_fit_point_t *np = realloc(g->pts, cap * sizeof *np);
        CR_CHECK_ALLOC(np, cap * sizeof *np);
        g->pts = np;
        g->cap = cap;
    }
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
    p->overlap = row->overlap;
    p->overlap_lo = row->overlap_lo;
    p->overlap_hi = row->overlap_hi;
    p->imbalance = row->imbalance;
    p->max_recv = row->max_recv;
    if (p->raw) cr_fit_sort(p->raw, p->nraw);
    set->rows++;
    set->samples += row->nraw;
    row->raw = NULL;
    row->nraw = 0;
    return CR_OK;
}

static int cr_fit_group_cmp(const void *a, const void *b)
{
    return cr_fit_key_cmp(a, b, 1);
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

/* Labels name what tells groups of one collective apart beyond level, cadence and
 * ranks: "allreduce/double/in-place/nonblocking", each part only when the set holds
 * that collective with another value of it; then "/2x2" (nodes x ppn) when it holds
 * that collective at the same rank count on another topology. series_len is the
 * length without the topology (the label of a series across rank counts). */
static void cr_fit_set_label(cr_fit_set_t *set)
{
    for (size_t i = 0; i < set->ngroups; i++) {
        cr_fit_group_t *g = &set->groups[i];
        int dt = 0, ip = 0, var = 0, sk = 0, topo = 0;
        size_t len;
        for (size_t j = 0; j < set->ngroups; j++) {
            const cr_fit_group_t *h = &set->groups[j];
            if (strcmp(g->collective, h->collective)) continue;
            dt |= strcmp(g->dtype, h->dtype) != 0;
            ip |= g->in_place != h->in_place;
            var |= g->variant != h->variant;
            sk |= strcmp(g->skew, h->skew) != 0;
            topo |= g->ranks == h->ranks && (g->nodes != h->nodes || g->ppn != h->ppn);
        }
        snprintf(g->label, sizeof g->label, "%s%s%s%s%s%s%s", g->collective, dt ? "/" : "",
                 dt ? (g->dtype[0] ? g->dtype : "?") : "", ip ? "/" : "",
                 ip ? (g->in_place ? "in-place" : "out-of-place") : "", var ? "/" : "",
                 var ? cr_variant_names[g->variant] : "");
        len = strlen(g->label);
        if (sk || g->skew[0])   /* a skewed collective always says its routing */
            snprintf(g->label + len, sizeof g->label - len, "/%s", g->skew[0] ? g->skew : "?");
        len = strlen(g->label);
        g->series_len = len;
        if (topo) snprintf(g->label + len, sizeof g->label - len, "/%dx%d", g->nodes, g->ppn);
    }
}

void cr_fit_set_finish(cr_fit_set_t *set)
{
    /* qsort's array must not be NULL, even for no element: an empty set (a fit
     * directory without roofline rows) has none. */
    if (set->ngroups) qsort(set->groups, set->ngroups, sizeof *set->groups, cr_fit_group_cmp);
    for (size_t g = 0; g < set->ngroups; g++) {
        cr_fit_group_t *gr = &set->groups[g];
        if (gr->npts) qsort(gr->pts, gr->npts, sizeof *gr->pts, cr_fit_point_cmp);
        gr->F = cr_fit_group_factor(gr);
    }
    cr_fit_set_label(set);
}
