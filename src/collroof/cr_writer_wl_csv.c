/* workload.csv: a header, then the step row and one row per call line, the
 * columns of cr_wl_schema in its order (docs/formats.md, "workload.csv"). */
#include "config.h"

#include "cr_wl_schema.h"
#include "cr_writer.h"

static cr_status_t cr_wl_csv_begin(cr_writer_t *w, const json_t *meta)
{
    char line[CR_SCHEMA_MAX * 24];
    size_t used = 0;
    (void)meta;
    for (size_t i = 0; i < cr_wl_schema_n; i++)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s", i ? "," : "",
                                 cr_wl_schema[i].name);
    return cr_writer_line(w, line);
}

static cr_status_t cr_wl_csv_row(cr_writer_t *w, const cr_wl_row_t *r, const double *raw,
                                 size_t n)
{
    char line[CR_SCHEMA_MAX * 512];   /* %.4f of the largest double fits 512 */
    size_t used = 0;
    (void)raw;
    (void)n;
    for (size_t i = 0; i < cr_wl_schema_n; i++) {
        int k;
        if (i) line[used++] = ',';
        if ((k = cr_schema_format_row(&cr_wl_schema[i], r, line + used, sizeof line - used)) < 0 ||
            k >= 511) {
            cr_error("%s: column %s: value does not fit 511 characters", w->path,
                     cr_wl_schema[i].name);
            return CR_ERR_INTERNAL;
        }
        used += (size_t)k;
    }
    return cr_writer_line(w, line);
}

const cr_writer_ops_t cr_writer_wl_csv = {
    .name = "workload-csv",
    .file = "workload.csv",
    .begin = cr_wl_csv_begin,
    .wl_row = cr_wl_csv_row,
};
