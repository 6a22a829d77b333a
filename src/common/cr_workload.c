/* Workload files: a line-based parser and the step's communicator colours. */
#include "config.h"

#include "cr_workload.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_dtype.h"
#include "cr_num.h"
#include "cr_sizes.h"

#define CR_WL_MAX_TOKENS 16        /* tokens per line: call, collective, bytes, keys */

const char *const cr_wl_comm_names[] = {"world", "node", "rail", "tp", "dp", "pp", NULL};
const char *const cr_wl_dir_names[] = {"next", "prev", NULL};

/* What the parser knows while it reads: where it is, for the messages. */
typedef struct cr_wl_parse {
    const char *path;
    int line;
    char *err;
    size_t errlen;
} cr_wl_parse_t;

/* "PATH:LINE: " then the message; always CR_ERR_INVAL. */
static cr_status_t cr_wl_bad(const cr_wl_parse_t *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static cr_status_t cr_wl_bad(const cr_wl_parse_t *ps, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(ps->err, ps->errlen, "%s:%d: ", ps->path, ps->line);
    if (n >= 0 && (size_t)n < ps->errlen) {
        va_start(ap, fmt);
        vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return CR_ERR_INVAL;
}

/* A token for a message: printable ASCII as is, other bytes as \xNN, cut. */
static const char *cr_wl_show(const char *tok, char *buf, size_t len)
{
    return cr_name_show(tok, buf, len);
}

static int cr_wl_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= CR_WL_NAME_LEN) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* The default name: the path's last component, without a ".wl" suffix, every
 * byte outside [A-Za-z0-9._-] made '_', cut to 63 bytes. */
static void cr_wl_default_name(const char *path, char *name)
{
    const char *base = strrchr(path, '/');
    size_t n;
    base = base ? base + 1 : path;
    n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".wl") == 0) n -= 3;
    if (n >= CR_WL_NAME_LEN) n = CR_WL_NAME_LEN - 1;
    for (size_t i = 0; i < n; i++) {
        char c = base[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        name[i] = ok ? c : '_';
    }
    name[n] = '\0';
    if (n == 0) snprintf(name, CR_WL_NAME_LEN, "workload");
}

/* Splits line (modified) at blanks into tok[], after cutting a '#' comment.
 * Returns the count, or -1 when there are more than max. */
static int cr_wl_split(char *line, char **tok, int max)
{
    int n = 0;
    char *p, *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    for (p = strtok(line, " \t\r\v\f"); p; p = strtok(NULL, " \t\r\v\f")) {
        if (n == max) return -1;
        tok[n++] = p;
    }
    return n;
}

static cr_status_t cr_wl_int(const cr_wl_parse_t *ps, const char *key, const char *val, long lo,
                             long hi, long *out)
{
    long long v;
    char shown[80];
    const char *why = cr_num_int(val, &v);
    if (why || v < lo || v > hi)
        return cr_wl_bad(ps, "bad value '%s' for %s: expected an integer from %ld to %ld",
                         cr_wl_show(val, shown, sizeof shown), key, lo, hi);
    *out = (long)v;
    return CR_OK;
}

/* The known collectives for a message: every registered one that runs on levels. */
static const char *cr_wl_known(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; cr_coll_registry[i] && used < len; i++) {
        int k;
        if (cr_coll_is_probe(cr_coll_registry[i])) continue;
        k = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", cr_coll_registry[i]->name);
        if (k < 0) break;
        used += (size_t)k;
    }
    return buf;
}

/* The keys of a call line; each at most once. */
enum { CR_K_COMM, CR_K_COUNT, CR_K_GAP, CR_K_DTYPE, CR_K_SKEW, CR_K_SEED, CR_K_FLOPS,
       CR_K_MEM, CR_K_DIR, CR_K_N };
static const char *const cr_wl_keys[CR_K_N] = {"comm", "count", "gap_us", "dtype", "skew",
                                               "seed", "flops", "mem_bytes", "dir"};
#define CR_WL_KEYS "comm, count, gap_us, dtype, skew, seed, flops, mem_bytes or dir"

static cr_status_t cr_wl_key(const cr_wl_parse_t *ps, int k, const char *val, cr_wl_call_t *c)
{
    char shown[80], err[256];
    long v;
    double d;
    int i;
    switch (k) {
    case CR_K_COMM:
        for (i = 0; cr_wl_comm_names[i]; i++)
            if (!strcmp(val, cr_wl_comm_names[i])) break;
        if (!strcmp(val, "internode"))   /* the sweep's level: local rank 0 of each host */
            return cr_wl_bad(ps, "comm=internode: a workload call needs every rank in a "
                             "group; use comm=rail (the ranks with the same local index, "
                             "one per host)");
        if (!cr_wl_comm_names[i])
            return cr_wl_bad(ps, "bad value '%s' for comm: expected world, node, rail, tp, "
                             "dp or pp", cr_wl_show(val, shown, sizeof shown));
        c->comm = (cr_wl_comm_t)i;
        return CR_OK;
    case CR_K_COUNT:
        CR_CHECK(cr_wl_int(ps, "count", val, 1, CR_WL_MAX_COUNT, &v));
        c->count = (int)v;
        return CR_OK;
    case CR_K_GAP:
        if (cr_num_double(val, &d) || !(d >= 0) || d > CR_WL_MAX_GAP_US)
            return cr_wl_bad(ps, "bad value '%s' for gap_us: expected microseconds from 0 to %g",
                             cr_wl_show(val, shown, sizeof shown), CR_WL_MAX_GAP_US);
        c->gap_us = d;
        return CR_OK;
    case CR_K_DTYPE:
        if (!(c->dtype = cr_dtype_find(val)))
            return cr_wl_bad(ps, "bad value '%s' for dtype: expected char, int32, int64, float "
                             "or double", cr_wl_show(val, shown, sizeof shown));
        return CR_OK;
    case CR_K_SKEW:
        if (cr_skew_parse(val, &c->skew, err, sizeof err) != CR_OK)
            return cr_wl_bad(ps, "%s", err);
        return CR_OK;
    case CR_K_SEED:
        CR_CHECK(cr_wl_int(ps, "seed", val, 0, 9223372036854775807L, &v));
        c->skew.seed = (uint64_t)v;
        return CR_OK;
    case CR_K_FLOPS:
        if (cr_num_double(val, &d) || !(d >= 0) || d > CR_WL_MAX_FLOPS)
            return cr_wl_bad(ps, "bad value '%s' for flops: expected FLOPs from 0 to %g "
                             "(e.g. 5.5e11)", cr_wl_show(val, shown, sizeof shown),
                             CR_WL_MAX_FLOPS);
        c->flops = d;
        return CR_OK;
    case CR_K_MEM:
        if (cr_size_parse(val, &c->mem_bytes, err, sizeof err) != CR_OK)
            return cr_wl_bad(ps, "bad value '%s' for mem_bytes: expected bytes like 4096, "
                             "64K or 1G (binary units)", cr_wl_show(val, shown, sizeof shown));
        return CR_OK;
    case CR_K_DIR:
        for (i = 0; cr_wl_dir_names[i]; i++)
            if (!strcmp(val, cr_wl_dir_names[i])) break;
        if (!cr_wl_dir_names[i])
            return cr_wl_bad(ps, "bad value '%s' for dir: expected next (to the next rank of "
                             "the group) or prev (to the previous one)",
                             cr_wl_show(val, shown, sizeof shown));
        c->dir = (cr_wl_dir_t)i;
        return CR_OK;
    }
    return CR_ERR_INTERNAL;
}

/* call COLLECTIVE BYTES [key=value ...] */
static cr_status_t cr_wl_call(const cr_wl_parse_t *ps, char **tok, int n, const cr_dtype_t *dtype,
                              const cr_skew_t *skew, cr_wl_call_t *c)
{
    char shown[80], known[512], err[512];
    int seen[CR_K_N] = {0};
    if (n < 3)
        return cr_wl_bad(ps, "'call' needs a collective and a size: call COLLECTIVE BYTES "
                         "[key=value ...]");
    memset(c, 0, sizeof *c);
    c->line = ps->line;
    c->comm = CR_WL_WORLD;
    c->count = 1;
    c->dtype = dtype;
    c->skew = *skew;
    c->ops = cr_coll_find(tok[1]);
    if (!c->ops)
        return cr_wl_bad(ps, "unknown collective '%s' (known: %s)",
                         cr_wl_show(tok[1], shown, sizeof shown), cr_wl_known(known, sizeof known));
    if (cr_coll_is_probe(c->ops))
        return cr_wl_bad(ps, "'%s' is a point-to-point link probe, not a collective of a step "
                         "(known: %s)", tok[1], cr_wl_known(known, sizeof known));
    if (cr_size_parse(tok[2], &c->bytes, err, sizeof err) != CR_OK)
        return cr_wl_bad(ps, "bad size '%s': expected bytes like 4096, 64K, 25M or 1G "
                         "(binary units)", cr_wl_show(tok[2], shown, sizeof shown));
    for (int i = 3; i < n; i++) {
        char *eq = strchr(tok[i], '=');
        int k;
        if (!eq || eq == tok[i] || !eq[1])
            return cr_wl_bad(ps, "bad token '%s': expected key=value with key " CR_WL_KEYS,
                             cr_wl_show(tok[i], shown, sizeof shown));
        *eq = '\0';
        for (k = 0; k < CR_K_N; k++)
            if (!strcmp(tok[i], cr_wl_keys[k])) break;
        if (k == CR_K_N)
            return cr_wl_bad(ps, "unknown key '%s': expected " CR_WL_KEYS,
                             cr_wl_show(tok[i], shown, sizeof shown));
        if (seen[k]++) return cr_wl_bad(ps, "key '%s' given twice", cr_wl_keys[k]);
        CR_CHECK(cr_wl_key(ps, k, eq + 1, c));
    }
    if ((seen[CR_K_SKEW] || seen[CR_K_SEED]) && !c->ops->skewed)
        return cr_wl_bad(ps, "%s routes no tokens: skew= and seed= apply to alltoallv only",
                         c->ops->name);
    if (seen[CR_K_DIR] && strcmp(c->ops->name, "sendrecv") != 0)
        return cr_wl_bad(ps, "dir= applies to sendrecv only (the shift's direction), not to "
                         "the collective %s", c->ops->name);
    if (c->ops->reduction && !c->dtype->reducible)
        return cr_wl_bad(ps, "dtype %s cannot be summed by %s: expected float, double, int32 "
                         "or int64", c->dtype->name, c->ops->name);
    return CR_OK;
}

/* layout tp=N [pp=M]: each key at most once, in either order. */
static cr_status_t cr_wl_layout(const cr_wl_parse_t *ps, char **tok, int n, cr_workload_t *wl)
{
    char shown[80];
    int tp_seen = 0;
    long v;
    if (wl->layout_line)
        return cr_wl_bad(ps, "a second layout line (the first is line %d)", wl->layout_line);
    if (n < 2 || n > 3)
        return cr_wl_bad(ps, "bad layout '%s': expected 'layout tp=N [pp=M]'",
                         n > 3 ? cr_wl_show(tok[3], shown, sizeof shown) : "");
    for (int i = 1; i < n; i++) {
        int tp = !strncmp(tok[i], "tp=", 3), pp = !strncmp(tok[i], "pp=", 3);
        if (!tp && !pp)
            return cr_wl_bad(ps, "bad layout '%s': expected 'layout tp=N [pp=M]'",
                             cr_wl_show(tok[i], shown, sizeof shown));
        if ((tp && tp_seen) || (pp && wl->pp_given))
            return cr_wl_bad(ps, "layout: key '%s' given twice", tp ? "tp" : "pp");
        if (tp) {
            CR_CHECK(cr_wl_int(ps, "tp", tok[i] + 3, 1, CR_WL_MAX_TP, &v));
            wl->tp = (int)v;
            tp_seen = 1;
        } else {
            CR_CHECK(cr_wl_int(ps, "pp", tok[i] + 3, 1, CR_WL_MAX_PP, &v));
            wl->pp = (int)v;
            wl->pp_given = 1;
        }
    }
    wl->layout_line = ps->line;
    return CR_OK;
}

/* One line's tokens (at least one). *header: the header was seen. */
static cr_status_t cr_wl_line(cr_wl_parse_t *ps, char **tok, int n, const cr_dtype_t *dtype,
                              const cr_skew_t *skew, cr_workload_t *wl, int *header,
                              int *name_line)
{
    char shown[80];
    if (!*header) {
        if (strcmp(tok[0], "collroof-workload") != 0)
            return cr_wl_bad(ps, "missing header: the first line that is not a comment must be "
                             "'collroof-workload 1', not '%s'", cr_wl_show(tok[0], shown, sizeof shown));
        if (n != 2 || strcmp(tok[1], "1") != 0)
            return cr_wl_bad(ps, "unsupported version '%s': this collroof reads "
                             "'collroof-workload 1'",
                             n > 1 ? cr_wl_show(tok[1], shown, sizeof shown) : "");
        *header = 1;
        return CR_OK;
    }
    if (!strcmp(tok[0], "call")) {
        if (wl->ncalls == CR_WL_MAX_CALLS)
            return cr_wl_bad(ps, "more than %d call lines", CR_WL_MAX_CALLS);
        CR_CHECK(cr_wl_call(ps, tok, n, dtype, skew, &wl->calls[wl->ncalls]));
        wl->ncalls++;
        return CR_OK;
    }
    if (!strcmp(tok[0], "layout")) return cr_wl_layout(ps, tok, n, wl);
    if (!strcmp(tok[0], "name")) {
        if (*name_line) return cr_wl_bad(ps, "a second name line (the first is line %d)", *name_line);
        if (n != 2 || !cr_wl_name_ok(tok[1]))
            return cr_wl_bad(ps, "bad name '%s': expected 1 to %d of A-Z a-z 0-9 . _ -",
                             n > 1 ? cr_wl_show(tok[1], shown, sizeof shown) : "",
                             CR_WL_NAME_LEN - 1);
        snprintf(wl->name, sizeof wl->name, "%s", tok[1]);
        *name_line = ps->line;
        return CR_OK;
    }
    if (!strcmp(tok[0], "collroof-workload"))
        return cr_wl_bad(ps, "a second header line");
    return cr_wl_bad(ps, "unknown keyword '%s': expected call, layout or name",
                     cr_wl_show(tok[0], shown, sizeof shown));
}

/* 0 when s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or code points
 * above U+10FFFF), else the 1-based column of the first byte that is not. */
static size_t cr_wl_utf8_bad(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        size_t len;
        unsigned lo = 0x80, hi = 0xbf;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xc2 && c <= 0xdf) len = 2;
        else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            if (c == 0xe0) lo = 0xa0;
            if (c == 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            if (c == 0xf0) lo = 0x90;
            if (c == 0xf4) hi = 0x8f;
        } else return i + 1;
        if (i + len > n) return i + 1;
        if (u[i + 1] < lo || u[i + 1] > hi) return i + 1;
        for (size_t k = 2; k < len; k++)
            if (u[i + k] < 0x80 || u[i + k] > 0xbf) return i + 1;
        i += len;
    }
    return 0;
}

cr_status_t cr_workload_parse(const char *text, size_t len, const char *path,
                              const cr_dtype_t *dtype, const cr_skew_t *skew,
                              cr_workload_t *wl, char *err, size_t errlen)
{
    cr_wl_parse_t ps = { .path = path, .line = 0, .err = err, .errlen = errlen };
    char line[CR_WL_MAX_LINE + 1], *tok[CR_WL_MAX_TOKENS];
    size_t pos = 0;
    int header = 0, name_line = 0;

    memset(wl, 0, sizeof *wl);
    snprintf(wl->path, sizeof wl->path, "%s", path);
    wl->tp = 1;
    wl->pp = 1;
    if (len > CR_WL_MAX_FILE) {
        snprintf(err, errlen, "%s: %zu bytes, more than a workload file may hold (%d)", path,
                 len, CR_WL_MAX_FILE);
        return CR_ERR_INVAL;
    }
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        const char *nul = memchr(text + pos, '\0', n);
        int ntok;
        size_t bad;
        ps.line++;
        if (nul)
            return cr_wl_bad(&ps, "NUL byte at column %zu: a workload file is text",
                             (size_t)(nul - (text + pos)) + 1);
        if (n > CR_WL_MAX_LINE)
            return cr_wl_bad(&ps, "line of %zu bytes, longer than %d", n, CR_WL_MAX_LINE);
        if ((bad = cr_wl_utf8_bad(text + pos, n)) != 0)
            return cr_wl_bad(&ps, "byte 0x%02x at column %zu is not UTF-8 text (the file is "
                             "recorded in the run's metadata, which is JSON)",
                             (unsigned char)text[pos + bad - 1], bad);
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + (nl ? 1 : 0);
        if ((ntok = cr_wl_split(line, tok, CR_WL_MAX_TOKENS)) < 0)
            return cr_wl_bad(&ps, "more than %d words on a line", CR_WL_MAX_TOKENS);
        if (ntok == 0) continue;
        CR_CHECK(cr_wl_line(&ps, tok, ntok, dtype, skew, wl, &header, &name_line));
    }
    ps.line++;   /* the end of the file */
    if (!header)
        return cr_wl_bad(&ps, "missing header: the file has no 'collroof-workload 1' line");
    if (wl->ncalls == 0) return cr_wl_bad(&ps, "no call lines: a step needs at least one call");
    for (int i = 0; i < wl->ncalls; i++)
        if (wl->calls[i].comm == CR_WL_TP && !wl->layout_line) {
            ps.line = wl->calls[i].line;
            return cr_wl_bad(&ps, "comm=tp but the file has no 'layout tp=N' line");
        } else if (wl->calls[i].comm == CR_WL_PP && !wl->pp_given) {
            ps.line = wl->calls[i].line;
            return cr_wl_bad(&ps, "comm=pp but the file has no 'layout tp=N pp=M' line "
                             "(pipeline stages)");
        }
    if (!name_line) cr_wl_default_name(path, wl->name);
    return CR_OK;
}

double cr_workload_step_gap_us(const cr_workload_t *wl)
{
    double g = 0;
    for (int i = 0; i < wl->ncalls; i++) g += wl->calls[i].gap_us * wl->calls[i].count;
    return g;
}
