/* The link catalog reader: see fit_links.h. */
#include "config.h"

#include "fit_links.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CR_PKGDATADIR
#define CR_PKGDATADIR "/usr/local/share/collroof"
#endif

enum {
    LK_CLASS, LK_DESC, LK_MEDIUM, LK_LANE, LK_LANES, LK_PORT, LK_REACH, LK_PJ_LO, LK_PJ_HI,
    LK_LAT_LO, LK_LAT_HI, LK_INCLUDES, LK_KIND, LK_SOURCE, LK_NOTES, LK_N
};

const char *const cr_links_cols[LK_N + 1] = {
    [LK_CLASS] = "class", [LK_DESC] = "description", [LK_MEDIUM] = "medium",
    [LK_LANE] = "lane_Gbps", [LK_LANES] = "lanes", [LK_PORT] = "port_Gbps",
    [LK_REACH] = "reach_m", [LK_PJ_LO] = "pJ_per_bit_lo", [LK_PJ_HI] = "pJ_per_bit_hi",
    [LK_LAT_LO] = "latency_ns_lo", [LK_LAT_HI] = "latency_ns_hi", [LK_INCLUDES] = "includes",
    [LK_KIND] = "source_kind", [LK_SOURCE] = "source", [LK_NOTES] = "notes", [LK_N] = NULL,
};

static const char *const cr_links_kinds[] = {"datasheet", "standard", "paper", "press",
                                             "quoted", "user-given", NULL};

#define CR_LINKS_LINE 8192

/* Splits an RFC 4180 line (quoted fields, "" inside quotes; no line breaks in a
 * field) in place into fld[]; returns the field count, or -1 on a bad quote. */
static int cr_links_split(char *line, char **fld, int max)
{
    int n = 0;
    char *r = line, *w;
    line[strcspn(line, "\r\n")] = '\0';
    for (;;) {
        if (n == max) return -1;
        fld[n++] = w = r;
        if (*r == '"') {
            r++;
            for (;;) {
                if (!*r) return -1;                   /* unterminated */
                if (*r == '"' && r[1] == '"') { *w++ = '"'; r += 2; continue; }
                if (*r == '"') { r++; break; }
                *w++ = *r++;
            }
            if (*r && *r != ',') return -1;           /* text after the closing quote */
        } else {
            while (*r && *r != ',') {
                if (*r == '"') return -1;             /* a quote inside a bare field */
                *w++ = *r++;
            }
        }
        if (!*r) { *w = '\0'; return n; }
        *w = '\0';
        r++;
    }
}

/* A plain decimal (digits, at most one '.', at least one digit): no sign, exponent,
 * spaces, inf or nan. NULL and *out, or a reason. */
static const char *cr_links_num(const char *s, double *out)
{
    int digits = 0, dots = 0;
    char *end;
    if (!*s) return "empty";
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') digits++;
        else if (*p == '.' && !dots) dots++;
        else return "not a plain decimal (digits and one '.', no sign or exponent)";
    }
    if (!digits) return "not a plain decimal";
    errno = 0;
    *out = strtod(s, &end);
    if (errno || *end || !isfinite(*out)) return "out of range";
    return NULL;
}

static int cr_links_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n >= CR_LINKS_NAME) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              *s == '-'))
            return 0;
    return 1;
}

/* Maps the header to columns: each known name once, every one present. */
static cr_status_t cr_links_header(char *line, const char *path, int *col, int *ncol, char *err,
                                   size_t errlen)
{
    char *fld[64];
    int n = cr_links_split(line, fld, 64), seen[LK_N] = {0};
    if (n < 0) {
        snprintf(err, errlen, "%s:1: header is not a CSV line of at most 64 names", path);
        return CR_ERR_INVAL;
    }
    for (int i = 0; i < n; i++) {
        col[i] = -1;
        for (int k = 0; k < LK_N; k++)
            if (!strcmp(fld[i], cr_links_cols[k])) col[i] = k;
        if (col[i] < 0) {
            snprintf(err, errlen, "%s:1: unknown column '%s' (the columns are class, "
                     "description, medium, lane_Gbps, lanes, port_Gbps, reach_m, pJ_per_bit_lo, "
                     "pJ_per_bit_hi, latency_ns_lo, latency_ns_hi, includes, source_kind, source, "
                     "notes: docs/formats.md)", path, fld[i]);
            return CR_ERR_INVAL;
        }
        if (seen[col[i]]++) {
            snprintf(err, errlen, "%s:1: column '%s' named twice", path, fld[i]);
            return CR_ERR_INVAL;
        }
    }
    for (int k = 0; k < LK_N; k++)
        if (!seen[k]) {
            snprintf(err, errlen, "%s:1: header lacks the column '%s' (docs/formats.md, "
                     "links.csv)", path, cr_links_cols[k]);
            return CR_ERR_INVAL;
        }
    *ncol = n;
    return CR_OK;
}

#define CR_LINKS_BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return CR_ERR_INVAL; } while (0)

/* One number cell: required (> 0 when positive, else >= 0), or optional (NAN when empty). */
static cr_status_t cr_links_cell(const char *where, const char *id, int k, const char *v,
                                 int optional, int positive, double *out, char *err,
                                 size_t errlen)
{
    const char *why;
    if (optional && !*v) {
        *out = NAN;
        return CR_OK;
    }
    if ((why = cr_links_num(v, out)) != NULL)
        CR_LINKS_BAD("%s: class %s: %s '%s': %s", where, id, cr_links_cols[k], v, why);
    if (positive && *out <= 0)
        CR_LINKS_BAD("%s: class %s: %s '%s': must be > 0", where, id, cr_links_cols[k], v);
    return CR_OK;
}

static cr_status_t cr_links_text(const char *where, const char *id, int k, const char *v,
                                 char *dst, size_t len, int required, char *err, size_t errlen)
{
    if (required && !*v)
        CR_LINKS_BAD("%s: class %s: %s is empty", where, id, cr_links_cols[k]);
    if (strlen(v) >= len)
        CR_LINKS_BAD("%s: class %s: %s longer than %zu characters", where, id, cr_links_cols[k],
                     len - 1);
    snprintf(dst, len, "%s", v);
    return CR_OK;
}

/* One data row into c; where = "FILE:LINE". */
static cr_status_t cr_links_row(char **f, const int *col, int n, const char *where, int user,
                                cr_link_class_t *c, char *err, size_t errlen)
{
    const char *v[LK_N];
    double lanes;
    int kind_ok = 0;
    for (int i = 0; i < n; i++) v[col[i]] = f[i];
    memset(c, 0, sizeof *c);
    if (!cr_links_id_ok(v[LK_CLASS]))
        CR_LINKS_BAD("%s: class '%s': expected 1 to %d characters of a-z, 0-9, '.', '_', '-'",
                     where, v[LK_CLASS], CR_LINKS_NAME - 1);
    snprintf(c->id, sizeof c->id, "%s", v[LK_CLASS]);
    CR_CHECK(cr_links_text(where, c->id, LK_SOURCE, v[LK_SOURCE], c->source, sizeof c->source, 0,
                           err, errlen));
    if (!*c->source)
        CR_LINKS_BAD("%s: class %s has no source: every figure needs one (a datasheet, standard "
                     "or paper: title and URL, or a standard's clause); in your own --links "
                     "file, source_kind user-given with a word on where the figure comes from",
                     where, c->id);
    for (int k = 0; cr_links_kinds[k]; k++) kind_ok |= !strcmp(v[LK_KIND], cr_links_kinds[k]);
    if (!kind_ok)
        CR_LINKS_BAD("%s: class %s: source_kind '%s': expected datasheet, standard, paper, "
                     "press, quoted or user-given", where, c->id, v[LK_KIND]);
    if (!user && !strcmp(v[LK_KIND], "user-given"))
        CR_LINKS_BAD("%s: class %s: source_kind user-given belongs in a user's --links file, "
                     "not in the shipped catalog", where, c->id);
    snprintf(c->source_kind, sizeof c->source_kind, "%s", v[LK_KIND]);
    CR_CHECK(cr_links_text(where, c->id, LK_DESC, v[LK_DESC], c->description,
                           sizeof c->description, 1, err, errlen));
    CR_CHECK(cr_links_text(where, c->id, LK_INCLUDES, v[LK_INCLUDES], c->includes,
                           sizeof c->includes, 1, err, errlen));
    CR_CHECK(cr_links_text(where, c->id, LK_NOTES, v[LK_NOTES], c->notes, sizeof c->notes, 0,
                           err, errlen));
    if (strcmp(v[LK_MEDIUM], "electrical") && strcmp(v[LK_MEDIUM], "optical"))
        CR_LINKS_BAD("%s: class %s: medium '%s': expected electrical or optical", where, c->id,
                     v[LK_MEDIUM]);
    c->optical = !strcmp(v[LK_MEDIUM], "optical");
    CR_CHECK(cr_links_cell(where, c->id, LK_LANE, v[LK_LANE], 0, 1, &c->lane_Gbps, err, errlen));
    CR_CHECK(cr_links_cell(where, c->id, LK_LANES, v[LK_LANES], 0, 1, &lanes, err, errlen));
    if (lanes != floor(lanes) || lanes > 4096)
        CR_LINKS_BAD("%s: class %s: lanes '%s': expected a whole number 1 to 4096", where, c->id,
                     v[LK_LANES]);
    c->lanes = (int)lanes;
    CR_CHECK(cr_links_cell(where, c->id, LK_PORT, v[LK_PORT], 0, 1, &c->port_Gbps, err, errlen));
    CR_CHECK(cr_links_cell(where, c->id, LK_REACH, v[LK_REACH], 1, 1, &c->reach_m, err, errlen));
    CR_CHECK(cr_links_cell(where, c->id, LK_PJ_LO, v[LK_PJ_LO], 0, 0, &c->pJ_lo, err, errlen));
    CR_CHECK(cr_links_cell(where, c->id, LK_PJ_HI, v[LK_PJ_HI], 0, 0, &c->pJ_hi, err, errlen));
    if (c->pJ_lo > c->pJ_hi)
        CR_LINKS_BAD("%s: class %s: pJ_per_bit_lo %s is above pJ_per_bit_hi %s", where, c->id,
                     v[LK_PJ_LO], v[LK_PJ_HI]);
    CR_CHECK(cr_links_cell(where, c->id, LK_LAT_LO, v[LK_LAT_LO], 1, 0, &c->lat_lo_ns, err,
                           errlen));
    CR_CHECK(cr_links_cell(where, c->id, LK_LAT_HI, v[LK_LAT_HI], 1, 0, &c->lat_hi_ns, err,
                           errlen));
    if (isnan(c->lat_lo_ns) != isnan(c->lat_hi_ns))
        CR_LINKS_BAD("%s: class %s: latency_ns_lo and latency_ns_hi: give both or neither",
                     where, c->id);
    if (c->lat_lo_ns > c->lat_hi_ns)
        CR_LINKS_BAD("%s: class %s: latency_ns_lo %s is above latency_ns_hi %s", where, c->id,
                     v[LK_LAT_LO], v[LK_LAT_HI]);
    snprintf(c->origin, sizeof c->origin, "%s", where);
    c->user = user;
    return CR_OK;
}

const cr_link_class_t *cr_links_find(const cr_links_t *l, const char *id)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->cls[i].id, id)) return &l->cls[i];
    return NULL;
}

const char *cr_links_ids(const cr_links_t *l, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < l->n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", l->cls[i].id);
    return buf;
}

cr_status_t cr_links_read(const char *path, int user, cr_links_t *out, char *err, size_t errlen)
{
    char *line = malloc(CR_LINKS_LINE), *fld[64], where[300];
    char seen[CR_LINKS_MAX][CR_LINKS_NAME];
    int seen_line[CR_LINKS_MAX], nseen = 0, col[64], ncol = 0, header = 0, lineno = 0;
    cr_status_t st = CR_OK;
    FILE *f;
    if (!line) return CR_ERR_NOMEM;
    if (!(f = fopen(path, "r"))) {
        snprintf(err, errlen, "cannot read link catalog %s: %s", path, strerror(errno));
        free(line);
        return CR_ERR_IO;
    }
    while (st == CR_OK && fgets(line, CR_LINKS_LINE, f)) {
        cr_link_class_t c;
        const cr_link_class_t *old;
        int n;
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line longer than %d characters", path, lineno,
                     CR_LINKS_LINE - 2);
            st = CR_ERR_INVAL;
            break;
        }
        if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0') continue;
        if (!header) {
            st = cr_links_header(line, path, col, &ncol, err, errlen);
            header = 1;
            continue;
        }
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        if ((n = cr_links_split(line, fld, 64)) != ncol) {
            snprintf(err, errlen, "%s: expected %d fields, found %s (a quote left open, or a "
                     "comma outside quotes?)", where, ncol, n < 0 ? "a bad quote" : "another count");
            st = CR_ERR_INVAL;
            break;
        }
        if ((st = cr_links_row(fld, col, n, where, user, &c, err, errlen)) != CR_OK) break;
        for (int i = 0; i < nseen; i++)
            if (!strcmp(seen[i], c.id)) {
                snprintf(err, errlen, "%s: class %s given twice in one file (first at line %d)",
                         where, c.id, seen_line[i]);
                st = CR_ERR_INVAL;
            }
        if (st != CR_OK) break;
        if (nseen == CR_LINKS_MAX || (!(old = cr_links_find(out, c.id)) && out->n == CR_LINKS_MAX)) {
            snprintf(err, errlen, "%s: more than %d classes", where, CR_LINKS_MAX);
            st = CR_ERR_INVAL;
            break;
        }
        snprintf(seen[nseen], CR_LINKS_NAME, "%s", c.id);
        seen_line[nseen++] = lineno;
        if (old) out->cls[old - out->cls] = c;   /* the user's row replaces the shipped one */
        else out->cls[out->n++] = c;
    }
    if (st == CR_OK && ferror(f)) {
        snprintf(err, errlen, "cannot read link catalog %s: %s", path, strerror(errno));
        st = CR_ERR_IO;
    }
    if (st == CR_OK && !header) {
        snprintf(err, errlen, "%s: no header (expected the columns of docs/formats.md, "
                 "links.csv)", path);
        st = CR_ERR_INVAL;
    }
    fclose(f);
    free(line);
    return st;
}

const char *cr_links_default_path(void)
{
    static char buf[4096];
    const char *env = getenv("COLLROOF_LINKS_CATALOG");
    if (env && *env) return env;
    snprintf(buf, sizeof buf, "%s/links.csv", CR_PKGDATADIR);
    if (access(buf, R_OK) == 0) return buf;
    snprintf(buf, sizeof buf, "%s/share/collroof/links.csv", CR_SRCDIR);
    return buf;
}

cr_status_t cr_links_load(const char *user_path, cr_links_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    CR_CHECK(cr_links_read(cr_links_default_path(), 0, out, err, errlen));
    if (user_path) CR_CHECK(cr_links_read(user_path, 1, out, err, errlen));
    return CR_OK;
}
