#include "config.h"

#include "cr_wl_schema.h"

#include <inttypes.h>

#define CR_WL_AT(member) offsetof(cr_wl_row_t, member)

/* name, type, where, CSV format (as results.csv's: times %.4f µs, GB/s %.6g),
 * contract, min, enum names, empty allowed. */
const cr_col_t cr_wl_schema[] = {
    { "run_id",      CR_COL_STR,  CR_WL_AT(run_id),     "%s",       1, 0, NULL, 0 },
    { "workload",    CR_COL_STR,  CR_WL_AT(workload),   "%s",       1, 0, NULL, 0 },
    { "row",         CR_COL_STR,  CR_WL_AT(row),        "%s",       1, 0, NULL, 0 },
    { "collective",  CR_COL_STR,  CR_WL_AT(collective), "%s",       1, 0, NULL, 0 },
    { "comm",        CR_COL_STR,  CR_WL_AT(comm),       "%s",       1, 0, NULL, 0 },
    { "ranks",       CR_COL_INT,  CR_WL_AT(ranks),      "%d",       1, 1, NULL, 0 },
    { "groups",      CR_COL_INT,  CR_WL_AT(groups),     "%d",       1, 1, NULL, 0 },
    { "nodes",       CR_COL_INT,  CR_WL_AT(nodes),      "%d",       1, 0, NULL, 0 },
    { "ppn",         CR_COL_INT,  CR_WL_AT(ppn),        "%d",       1, 0, NULL, 0 },
    { "bytes",       CR_COL_U64,  CR_WL_AT(bytes),      "%" PRIu64, 1, 0, NULL, 0 },
    { "dtype",       CR_COL_STR,  CR_WL_AT(dtype),      "%s",       1, 0, NULL, 0 },
    { "count",       CR_COL_INT,  CR_WL_AT(count),      "%d",       1, 1, NULL, 0 },
    { "gap_us",      CR_COL_DBL,  CR_WL_AT(gap_us),     "%.4f",     1, 0, NULL, 0 },
    { "skew",        CR_COL_STR,  CR_WL_AT(skew),       "%s",       1, 0, NULL, 0 },
    { "samples",     CR_COL_SIZE, CR_WL_AT(t.n),        "%zu",      1, 0, NULL, 0 },
    { "stop",        CR_COL_ENUM, CR_WL_AT(stop),       "%s",       1, 0, cr_stop_names, 0 },
    { "t_min_us",    CR_COL_DBL,  CR_WL_AT(t.min),      "%.4f",     1, 0, NULL, 0 },
    { "t_median_us", CR_COL_DBL,  CR_WL_AT(t.median),   "%.4f",     1, 0, NULL, 0 },
    { "t_ci_lo_us",  CR_COL_DBL,  CR_WL_AT(t.ci_lo),    "%.4f",     1, 0, NULL, 0 },
    { "t_ci_hi_us",  CR_COL_DBL,  CR_WL_AT(t.ci_hi),    "%.4f",     1, 0, NULL, 0 },
    { "t_mean_us",   CR_COL_DBL,  CR_WL_AT(t.mean),     "%.4f",     1, 0, NULL, 0 },
    { "t_p90_us",    CR_COL_DBL,  CR_WL_AT(t.p90),      "%.4f",     1, 0, NULL, 0 },
    { "t_max_us",    CR_COL_DBL,  CR_WL_AT(t.max),      "%.4f",     1, 0, NULL, 0 },
    { "t_call_us",   CR_COL_DBL,  CR_WL_AT(t_call_us),  "%.4f",     1, 0, NULL, 0 },
    { "algbw_GBps",  CR_COL_DBL,  CR_WL_AT(algbw_GBps), "%.6g",     1, 0, NULL, 0 },
    { "busbw_GBps",  CR_COL_DBL,  CR_WL_AT(busbw_GBps), "%.6g",     1, 0, NULL, 0 },
    { "valid",       CR_COL_ENUM, CR_WL_AT(valid),      "%s",       1, 0, cr_valid_names, 0 },
    { "dir",         CR_COL_STR,  CR_WL_AT(dir),        "%s",       1, 0, NULL, 0 },
};
const size_t cr_wl_schema_n = sizeof cr_wl_schema / sizeof *cr_wl_schema;
