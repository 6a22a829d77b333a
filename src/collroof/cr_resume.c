#include "config.h"

#include "cr_resume.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cr_fs.h"

#define CR_RESUME_LINE_MAX ((size_t)256 << 20) /* bytes; as collroof-fit's readers */

/* A line as read: its text (no newline), whether it ended, and where the next begins. */
typedef struct cr_resume_line {
    char *text;
    size_t cap;
    long len;
    int whole;
} cr_resume_line_t;

static int cr_resume_next(FILE *f, cr_resume_line_t *l)
{
    l->len = cr_getline_max(&l->text, &l->cap, f, CR_RESUME_LINE_MAX);
    if (l->len < 0) return 0;
    l->whole = l->len > 0 && l->text[l->len - 1] == '\n';
    if (l->whole) l->text[l->len - 1] = '\0';
    return 1;
}

static int cr_resume_key_set(cr_resume_key_t *k, const char *coll, const char *level,
                             const char *cadence, uint64_t bytes)
{
    if (!coll || !level || !cadence || strlen(coll) >= sizeof k->collective ||
        strlen(level) >= sizeof k->level || strlen(cadence) >= sizeof k->cadence)
        return -1;
    strcpy(k->collective, coll);
    strcpy(k->level, level);
    strcpy(k->cadence, cadence);
    k->bytes = bytes;
    return 0;
}

static int cr_resume_key_eq(const cr_resume_key_t *a, const cr_resume_key_t *b)
{
    return a->bytes == b->bytes && !strcmp(a->collective, b->collective) &&
           !strcmp(a->level, b->level) && !strcmp(a->cadence, b->cadence);
}

static cr_status_t cr_resume_push(cr_resume_key_t **keys, size_t *n, size_t *cap,
                                  const cr_resume_key_t *k)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 64;
        cr_resume_key_t *p = realloc(*keys, c * sizeof *p);
        CR_CHECK_ALLOC(p, c * sizeof *p);
        *keys = p;
        *cap = c;
    }
    (*keys)[(*n)++] = *k;
    return CR_OK;
}

/* A run recorded before options.net_if: the interfaces its wire object names (what
 * the run read), else auto (the default then), so that it compares as it ran. */
static void cr_resume_meta_compat(json_t *meta)
{
    json_t *opts = json_object_get(meta, "options");
    const char *was = json_string_value(json_object_get(json_object_get(meta, "wire"), "net_if"));
    if (json_is_object(opts) && !json_object_get(opts, "net_if"))
        json_object_set_new(opts, "net_if", json_string(was ? was : "auto"));
}

/* results.jsonl: the metadata, then whole measurement lines (keys, ends). */
static cr_status_t cr_resume_jsonl(FILE *f, const char *path, cr_resume_t *rs,
                                   cr_resume_key_t **keys, long **ends, size_t *n, char *err,
                                   size_t len)
{
    cr_resume_line_t l = {0};
    size_t cap = 0, ecap = 0;
    cr_status_t st = CR_OK;
    json_error_t je;

    if (!cr_resume_next(f, &l) || !l.whole || !(rs->meta = json_loads(l.text, 0, &je)) ||
        !json_is_object(rs->meta) ||
        strcmp(json_string_value(json_object_get(rs->meta, "type")) ?: "", "metadata") != 0) {
        snprintf(err, len, "%s: line 1 is not collroof's metadata line: not a run to resume",
                 path);
        free(l.text);
        return CR_ERR_INVAL;
    }
    cr_resume_meta_compat(rs->meta);
    rs->jsonl_keep = ftell(f); /* the metadata line alone, until a row is kept */
    while (cr_resume_next(f, &l)) {
        json_t *row;
        cr_resume_key_t k;
        json_int_t b;
        if (!l.whole || !(row = json_loads(l.text, 0, &je))) {
            rs->dropped++;   /* a torn line: this row and any after it are measured again */
            break;
        }
        b = json_integer_value(json_object_get(row, "bytes"));
        if (!json_is_integer(json_object_get(row, "bytes")) || b < 0 ||
            cr_resume_key_set(&k, json_string_value(json_object_get(row, "collective")),
                              json_string_value(json_object_get(row, "level")),
                              json_string_value(json_object_get(row, "cadence")),
                              (uint64_t)b) != 0) {
            json_decref(row);
            rs->dropped++;
            break;
        }
        json_decref(row);
        if ((st = cr_resume_push(keys, n, &cap, &k)) != CR_OK) break;
        if (cap > ecap) {
            long *e = realloc(*ends, cap * sizeof *e);
            if (!e) {
                st = CR_ERR_NOMEM;
                break;
            }
            *ends = e;
            ecap = cap;
        }
        (*ends)[*n - 1] = ftell(f);
    }
    while (cr_resume_next(f, &l)) rs->dropped++;
    free(l.text);
    return st;
}

/* The field of a comma-separated line at column col (0-based) into buf. */
static int cr_resume_field(const char *line, int col, char *buf, size_t len)
{
    const char *p = line;
    size_t n;
    for (int i = 0; i < col; i++) {
        p = strchr(p, ',');
        if (!p) return -1;
        p++;
    }
    n = strcspn(p, ",");
    if (n >= len) return -1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return 0;
}

static int cr_resume_column(const char *header, const char *name)
{
    char f[64];
    for (int i = 0; cr_resume_field(header, i, f, sizeof f) == 0; i++)
        if (!strcmp(f, name)) return i;
    return -1;
}

cr_status_t cr_resume_read(const char *dir, const char *header, cr_resume_t *rs, char *err,
                           size_t len)
{
    char path[4200], cpath[4200];
    FILE *f = NULL;
    cr_resume_key_t *keys = NULL;
    long *ends = NULL;
    size_t n = 0, k = 0;
    cr_resume_line_t l = {0};
    int col[4];
    static const char *const names[] = {"collective", "level", "cadence", "bytes"};
    cr_status_t st;

    memset(rs, 0, sizeof *rs);
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    snprintf(cpath, sizeof cpath, "%s/results.csv", dir);
    if (!(f = fopen(path, "r"))) {
        snprintf(err, len, "--resume %s: cannot read %s: %s", dir, path, strerror(errno));
        return CR_ERR_IO;
    }
    st = cr_resume_jsonl(f, path, rs, &keys, &ends, &n, err, len);
    fclose(f);
    if (st != CR_OK) goto out_with_keys;

    if (!(f = fopen(cpath, "r"))) {
        snprintf(err, len, "--resume %s: cannot read %s: %s", dir, cpath, strerror(errno));
        st = CR_ERR_IO;
        goto out_with_keys;
    }
    if (!cr_resume_next(f, &l) || !l.whole || strcmp(l.text, header) != 0) {
        snprintf(err, len, "--resume %s: %s's header is not the one this collroof writes: "
                 "another version wrote the run; finish it with that version, or start a new run",
                 dir, cpath);
        st = CR_ERR_INVAL;
        goto out_with_file;
    }
    for (int i = 0; i < 4; i++) col[i] = cr_resume_column(header, names[i]);
    rs->csv_keep = ftell(f);
    /* Row k of the CSV and line k + 1 of the JSONL are the same measurement. */
    while (cr_resume_next(f, &l)) {
        char fld[4][64], *end;
        cr_resume_key_t c;
        unsigned long long b;
        int ok = l.whole && k < n;
        for (int i = 0; i < 4; i++) ok = ok && col[i] >= 0 &&
                                         cr_resume_field(l.text, col[i], fld[i], sizeof fld[i]) == 0;
        errno = 0;
        b = ok ? strtoull(fld[3], &end, 10) : 0;
        if (!ok || errno || end == fld[3] || *end ||
            cr_resume_key_set(&c, fld[0], fld[1], fld[2], (uint64_t)b) != 0 ||
            !cr_resume_key_eq(&c, &keys[k])) {
            rs->dropped++;  /* this CSV line and every later one */
            while (cr_resume_next(f, &l)) rs->dropped++;
            break;
        }
        k++;
        rs->csv_keep = ftell(f);
    }
    rs->dropped += n - k;   /* JSONL rows the CSV does not hold */
    if (k > 0) rs->jsonl_keep = ends[k - 1];
    rs->nkeys = k;
    rs->keys = keys;
    keys = NULL;
out_with_file:
    fclose(f);
    free(l.text);
out_with_keys:
    free(keys);
    free(ends);
    if (st != CR_OK) cr_resume_free(rs);
    return st;
}

char *cr_resume_keys_text(const cr_resume_t *rs)
{
    size_t cap = rs->nkeys * 128 + 1, off = 0;
    char *t = malloc(cap);
    if (!t) return NULL;
    t[0] = '\0';
    for (size_t i = 0; i < rs->nkeys; i++)
        off += (size_t)snprintf(t + off, cap - off, "%s %s %s %" PRIu64 "\n",
                                rs->keys[i].collective, rs->keys[i].level, rs->keys[i].cadence,
                                rs->keys[i].bytes);
    return t;
}

cr_status_t cr_resume_keys_parse(const char *text, cr_resume_t *rs)
{
    size_t cap = 0;
    free(rs->keys);
    rs->keys = NULL;
    rs->nkeys = 0;
    while (*text) {
        char c[32], l[48], d[16];
        uint64_t b;
        cr_resume_key_t k;
        const char *nl = strchr(text, '\n');
        if (!nl || sscanf(text, "%31s %47s %15s %" SCNu64, c, l, d, &b) != 4 ||
            cr_resume_key_set(&k, c, l, d, b) != 0)
            return CR_ERR_INVAL;
        CR_CHECK(cr_resume_push(&rs->keys, &rs->nkeys, &cap, &k));
        text = nl + 1;
    }
    return CR_OK;
}

int cr_resume_has(const cr_resume_t *rs, const char *collective, const char *level,
                  const char *cadence, uint64_t bytes)
{
    cr_resume_key_t k;
    if (!rs || cr_resume_key_set(&k, collective, level, cadence, bytes) != 0) return 0;
    for (size_t i = 0; i < rs->nkeys; i++)
        if (cr_resume_key_eq(&k, &rs->keys[i])) return 1;
    return 0;
}

/* Appends "; " and one difference to err. */
static void cr_resume_diff(char *err, size_t len, const char *what, const json_t *was,
                           const json_t *now)
{
    size_t n = strlen(err);
    char *a = was ? json_dumps(was, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    char *b = now ? json_dumps(now, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    if (n < len)
        snprintf(err + n, len - n, "%s%s: the run had %s, this one %s", n ? "; " : "", what,
                 a ? a : "nothing", b ? b : "nothing");
    free(a);
    free(b);
}

int cr_resume_compare(const cr_resume_t *rs, const json_t *options, int ranks, int nodes,
                      int ppn, const json_t *hosts, char *err, size_t len)
{
    const json_t *was = json_object_get(rs->meta, "options");
    const char *key;
    json_t *v;
    const struct { const char *name; int now; } shape[] = {
        {"ranks", ranks}, {"nodes", nodes}, {"ppn", ppn}};
    err[0] = '\0';
    if (!json_is_object(was)) {
        snprintf(err, len, "the run's metadata records no options");
        return -1;
    }
    json_object_foreach((json_t *)options, key, v) {
        json_t *w = json_object_get(was, key);
        if (!w || !json_equal(w, v)) {
            char what[80];
            snprintf(what, sizeof what, "option %s", key);
            cr_resume_diff(err, len, what, w, v);
        }
    }
    json_object_foreach((json_t *)was, key, v)
        if (!json_object_get(options, key)) {
            char what[80];
            snprintf(what, sizeof what, "option %s", key);
            cr_resume_diff(err, len, what, v, NULL);
        }
    for (size_t i = 0; ranks > 0 && i < sizeof shape / sizeof *shape; i++) {
        json_t *w = json_object_get(rs->meta, shape[i].name), *now = json_integer(shape[i].now);
        if (!json_equal(w, now)) cr_resume_diff(err, len, shape[i].name, w, now);
        json_decref(now);
    }
    if (hosts && !json_equal(json_object_get(rs->meta, "hosts"), hosts))
        cr_resume_diff(err, len, "hosts", json_object_get(rs->meta, "hosts"), hosts);
    return err[0] ? -1 : 0;
}

static cr_status_t cr_resume_cut(const char *path, long keep, char *err, size_t len)
{
    int fd = open(path, O_WRONLY | O_NOFOLLOW);
    if (fd < 0 || ftruncate(fd, (off_t)keep) != 0) {
        snprintf(err, len, "--resume: cannot truncate %s to its whole rows: %s", path,
                 strerror(errno));
        if (fd >= 0) close(fd);
        return CR_ERR_IO;
    }
    close(fd);
    return CR_OK;
}

cr_status_t cr_resume_truncate(const cr_resume_t *rs, const char *dir, char *err, size_t len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    CR_CHECK(cr_resume_cut(path, rs->csv_keep, err, len));
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    return cr_resume_cut(path, rs->jsonl_keep, err, len);
}

void cr_resume_free(cr_resume_t *rs)
{
    json_decref(rs->meta);
    free(rs->keys);
    memset(rs, 0, sizeof *rs);
}
