#include "config.h"

#include "cr_schema.h"
#include "cr_num.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CR_AT(member) offsetof(cr_result_t, member)

/* Enums are read and written through an int (cr_col_t.names indexes it). */
_Static_assert(sizeof(cr_stop_t) == sizeof(int) && sizeof(cr_valid_t) == sizeof(int) &&
                   sizeof(cr_variant_t) == sizeof(int),
               "enum columns are int-sized");

/* name, type, where, CSV format, contract, min, enum names, empty allowed. Times µs,
 * bandwidths GB/s. */
const cr_col_t cr_schema[] = {
    { "run_id",           CR_COL_STR,  CR_AT(run_id),           "%s",        1, 0, NULL, 0 },
    { "collective",       CR_COL_STR,  CR_AT(collective),       "%s",        1, 0, NULL, 0 },
    { "level",            CR_COL_STR,  CR_AT(level),            "%s",        1, 0, NULL, 0 },
    { "cadence",          CR_COL_STR,  CR_AT(cadence),          "%s",        1, 0, NULL, 0 },
    { "ranks",            CR_COL_INT,  CR_AT(ranks),            "%d",        1, 1, NULL, 0 },
    { "nodes",            CR_COL_INT,  CR_AT(nodes),            "%d",        1, 0, NULL, 0 },
    { "ppn",              CR_COL_INT,  CR_AT(ppn),              "%d",        1, 0, NULL, 0 },
    { "groups",           CR_COL_INT,  CR_AT(groups),           "%d",        1, 0, NULL, 0 },
    { "bytes",            CR_COL_U64,  CR_AT(bytes),            "%" PRIu64,  1, 1, NULL, 0 },
    { "block_bytes",      CR_COL_U64,  CR_AT(block_bytes),      "%" PRIu64,  1, 0, NULL, 0 },
    { "dtype",            CR_COL_STR,  CR_AT(dtype),            "%s",        1, 0, NULL, 0 },
    { "samples",          CR_COL_SIZE, CR_AT(t.n),              "%zu",       1, 0, NULL, 0 },
    { "stop",             CR_COL_ENUM, CR_AT(stop),             "%s",        1, 0, cr_stop_names, 0 },
    { "t_min_us",         CR_COL_DBL,  CR_AT(t.min),            "%.4f",      1, 0, NULL, 0 },
    { "t_median_us",      CR_COL_DBL,  CR_AT(t.median),         "%.4f",      1, 0, NULL, 0 },
    { "t_ci_lo_us",       CR_COL_DBL,  CR_AT(t.ci_lo),          "%.4f",      1, 0, NULL, 0 },
    { "t_ci_hi_us",       CR_COL_DBL,  CR_AT(t.ci_hi),          "%.4f",      1, 0, NULL, 0 },
    { "t_mean_us",        CR_COL_DBL,  CR_AT(t.mean),           "%.4f",      1, 0, NULL, 0 },
    { "t_p90_us",         CR_COL_DBL,  CR_AT(t.p90),            "%.4f",      1, 0, NULL, 0 },
    { "t_p99_us",         CR_COL_DBL,  CR_AT(t.p99),            "%.4f",      1, 0, NULL, 0 },
    { "t_max_us",         CR_COL_DBL,  CR_AT(t.max),            "%.4f",      1, 0, NULL, 0 },
    { "algbw_GBps",       CR_COL_DBL,  CR_AT(algbw_GBps),       "%.6g",      1, 0, NULL, 0 },
    { "busbw_GBps",       CR_COL_DBL,  CR_AT(busbw_GBps),       "%.6g",      1, 0, NULL, 0 },
    { "valid",            CR_COL_ENUM, CR_AT(valid),            "%s",        1, 0, cr_valid_names, 0 },
    /* appended after the contract: new columns go at the end */
    { "outliers",         CR_COL_SIZE, CR_AT(t.outliers),       "%zu",       0, 0, NULL, 0 },
    { "t_stddev_us",      CR_COL_DBL,  CR_AT(t.stddev),         "%.4f",      0, 0, NULL, 0 },
    { "in_place",         CR_COL_INT,  CR_AT(in_place),         "%d",        0, 0, NULL, 0 },
    { "low_resolution",   CR_COL_INT,  CR_AT(low_resolution),   "%d",        0, 0, NULL, 0 },
    { "warmup",           CR_COL_INT,  CR_AT(warmup),           "%d",        0, 0, NULL, 0 },
    { "calls_per_sample", CR_COL_INT,  CR_AT(calls_per_sample), "%d",        0, 0, NULL, 0 },
    { "mem",              CR_COL_STR,  CR_AT(mem),              "%s",        0, 0, NULL, 0 },
    { "pages",            CR_COL_STR,  CR_AT(pages),            "%s",        0, 0, NULL, 0 },
    { "cold_cache",       CR_COL_INT,  CR_AT(cold),             "%d",        0, 0, NULL, 0 },
    { "faults_per_call",  CR_COL_DBL,  CR_AT(faults_per_call),  "%.4g",      0, 0, NULL, 0 },
    { "variant",          CR_COL_ENUM, CR_AT(variant),          "%s",        0, 0, cr_variant_names, 0 },
    /* energy of the sampling loop (docs/method.md, "Energy"): empty where the hosts
       expose no counters; J per call, pJ per byte of S; plain = max over hosts */
    { "energy_loop_s",              CR_COL_DBL, CR_AT(energy.loop_s),       "%.6g", 0, 0, NULL, 1 },
    { "energy_pkg_J_per_call",      CR_COL_DBL, CR_AT(energy.pkg_J),        "%.6g", 0, 0, NULL, 1 },
    { "energy_pkg_J_per_call_sum",  CR_COL_DBL, CR_AT(energy.pkg_J_sum),    "%.6g", 0, 0, NULL, 1 },
    { "energy_dram_J_per_call",     CR_COL_DBL, CR_AT(energy.dram_J),       "%.6g", 0, 0, NULL, 1 },
    { "energy_dram_J_per_call_sum", CR_COL_DBL, CR_AT(energy.dram_J_sum),   "%.6g", 0, 0, NULL, 1 },
    { "energy_pJ_per_byte",         CR_COL_DBL, CR_AT(energy.pJ_per_B),     "%.6g", 0, 0, NULL, 1 },
    { "energy_pJ_per_byte_sum",     CR_COL_DBL, CR_AT(energy.pJ_per_B_sum), "%.6g", 0, 0, NULL, 1 },
    /* overlap cadences (empty on the others): µs, then fractions in [0, 1] */
    { "t_pure_us",        CR_COL_DBL, CR_AT(t_pure_us),    "%.4f", 0, 0, NULL, 1 },
    { "t_compute_us",     CR_COL_DBL, CR_AT(t_compute_us), "%.4f", 0, 0, NULL, 1 },
    { "overlap",          CR_COL_DBL, CR_AT(overlap),      "%.4f", 0, 0, NULL, 1 },
    { "overlap_lo",       CR_COL_DBL, CR_AT(overlap_lo),   "%.4f", 0, 0, NULL, 1 },
    { "overlap_hi",       CR_COL_DBL, CR_AT(overlap_hi),   "%.4f", 0, 0, NULL, 1 },
    { "skew",             CR_COL_STR,  CR_AT(skew),             "%s",        0, 0, NULL, 0 },
    { "skew_seed",        CR_COL_U64,  CR_AT(skew_seed),        "%" PRIu64,  0, 0, NULL, 0 },
    { "max_recv_bytes",   CR_COL_U64,  CR_AT(max_recv_bytes),   "%" PRIu64,  0, 0, NULL, 0 },
    { "imbalance",        CR_COL_DBL,  CR_AT(imbalance),        "%.10g",     0, 0, NULL, 0 },
    /* NIC byte counters around the sampling loop (docs/method.md, "Bytes on the wire"):
       bytes per call, empty where not measured; tx summed over hosts unless _max */
    { "wire_tx_bytes_per_call",     CR_COL_DBL, CR_AT(wire.tx),      "%.15g", 0, 0, NULL, 1 },
    { "wire_tx_bytes_per_call_max", CR_COL_DBL, CR_AT(wire.tx_max),  "%.15g", 0, 0, NULL, 1 },
    { "wire_rx_bytes_per_call",     CR_COL_DBL, CR_AT(wire.rx),      "%.15g", 0, 0, NULL, 1 },
    { "wire_bg_bytes_per_call",     CR_COL_DBL, CR_AT(wire.bg),      "%.15g", 0, 0, NULL, 1 },
    { "wire_min_bytes_per_call",    CR_COL_DBL, CR_AT(wire.min),     "%.15g", 0, 0, NULL, 1 },
    { "traffic_efficiency",         CR_COL_DBL, CR_AT(wire.eff),     "%.4f", 0, 0, NULL, 1 },
    { "wire_bg_high",               CR_COL_INT, CR_AT(wire.bg_high), "%d",   0, 0, NULL, 0 },
};
const size_t cr_schema_n = sizeof cr_schema / sizeof *cr_schema;
_Static_assert(sizeof cr_schema / sizeof *cr_schema <= CR_SCHEMA_MAX, "too many columns");

int cr_schema_find(const char *name)
{
    for (size_t i = 0; i < cr_schema_n; i++)
        if (!strcmp(cr_schema[i].name, name)) return (int)i;
    return -1;
}

#define CR_FIELD(type, c, r) ((type *)((char *)(r) + (c)->off))
#define CR_CFIELD(type, c, r) ((const type *)((const char *)(r) + (c)->off))

static size_t cr_schema_nnames(const cr_col_t *c)
{
    size_t n = 0;
    while (c->names[n]) n++;
    return n;
}

int cr_schema_format(const cr_col_t *c, const cr_result_t *r, char *buf, size_t len)
{
    return cr_schema_format_row(c, r, buf, len);
}

int cr_schema_format_row(const cr_col_t *c, const void *r, char *buf, size_t len)
{
    int n = -1, e;
    switch (c->type) {
    case CR_COL_STR: n = snprintf(buf, len, c->fmt, CR_CFIELD(char, c, r)); break;
    case CR_COL_INT: n = snprintf(buf, len, c->fmt, *CR_CFIELD(int, c, r)); break;
    case CR_COL_U64: n = snprintf(buf, len, c->fmt, *CR_CFIELD(uint64_t, c, r)); break;
    case CR_COL_SIZE: n = snprintf(buf, len, c->fmt, *CR_CFIELD(size_t, c, r)); break;
    case CR_COL_DBL:
        if (c->empty && isnan(*CR_CFIELD(double, c, r))) n = snprintf(buf, len, "%s", "");
        else n = snprintf(buf, len, c->fmt, *CR_CFIELD(double, c, r));
        break;
    case CR_COL_ENUM:
        e = *CR_CFIELD(int, c, r);
        if (e < 0 || (size_t)e >= cr_schema_nnames(c)) return -1;
        n = snprintf(buf, len, c->fmt, c->names[e]);
        break;
    }
    return n >= 0 && (size_t)n < len ? n : -1;
}

void cr_schema_names(const cr_col_t *c, char *buf, size_t len)
{
    size_t n = cr_schema_nnames(c), used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++) {
        int k = snprintf(buf + used, len - used, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ",
                         c->names[i]);
        if (k < 0) break;
        used += (size_t)k;
    }
}

/* What a string column may hold: printable ASCII without the CSV's separator or
 * quote (docs/formats.md), so that a name is copied into other files as it is. */
int cr_schema_str_ok(const char *s)
{
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e || *s == ',' || *s == '"') return 0;
    return 1;
}

int cr_schema_parse(const cr_col_t *c, const char *s, cr_result_t *r, char *why, size_t wl)
{
    long long v;
    double d;
    const char *bad;
    char names[128], shown[64];
    int e;
    switch (c->type) {
    case CR_COL_STR:
        if (strlen(s) >= CR_NAME_LEN) {
            snprintf(why, wl, "column %s: '%s' is longer than %d characters", c->name,
                     cr_name_show(s, shown, sizeof shown), CR_NAME_LEN - 1);
            return -1;
        }
        if (!cr_schema_str_ok(s)) {
            snprintf(why, wl, "column %s: '%s' is not a name (printable ASCII, no ',' or '\"')",
                     c->name, cr_name_show(s, shown, sizeof shown));
            return -1;
        }
        strcpy(CR_FIELD(char, c, r), s);
        return 0;
    case CR_COL_INT:
    case CR_COL_U64:
    case CR_COL_SIZE:
        bad = cr_num_int(s, &v);
        if (bad || v < (long long)c->min || v > (c->type == CR_COL_INT ? INT_MAX : LLONG_MAX)) {
            snprintf(why, wl, "column %s: '%s' is not a%s integer%s%s%s", c->name,
                     cr_name_show(s, shown, sizeof shown),
                     c->min == 1 ? " positive" : c->min == 0 ? " non-negative" : "n",
                     bad ? " (" : "", bad ? bad : "", bad ? ")" : "");
            return -1;
        }
        if (c->type == CR_COL_INT) *CR_FIELD(int, c, r) = (int)v;
        else if (c->type == CR_COL_U64) *CR_FIELD(uint64_t, c, r) = (uint64_t)v;
        else *CR_FIELD(size_t, c, r) = (size_t)v;
        return 0;
    case CR_COL_DBL:
        if (c->empty && !*s) {   /* not measured */
            *CR_FIELD(double, c, r) = NAN;
            return 0;
        }
        bad = cr_num_double(s, &d);
        if (bad || d < c->min) {
            snprintf(why, wl, "column %s: '%s' is not a finite number >= %g%s%s%s%s", c->name,
                     cr_name_show(s, shown, sizeof shown), c->min,
                     c->empty ? " or empty" : "", bad ? " (" : "",
                     bad ? bad : "", bad ? ")" : "");
            return -1;
        }
        *CR_FIELD(double, c, r) = d;
        return 0;
    case CR_COL_ENUM:
        for (e = 0; c->names[e]; e++)
            if (!strcmp(s, c->names[e])) {
                *CR_FIELD(int, c, r) = e;
                return 0;
            }
        cr_schema_names(c, names, sizeof names);
        snprintf(why, wl, "column %s: '%s' is not %s", c->name,
                 cr_name_show(s, shown, sizeof shown), names);
        return -1;
    }
    return -1;
}
