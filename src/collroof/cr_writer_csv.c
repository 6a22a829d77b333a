/* results.csv: a header, then one row per measurement, the columns of the schema
 * (cr_schema.h) in its order: the contract columns, then the appended ones. */
#include "config.h"

#include "cr_schema.h"
#include "cr_writer.h"

/* A whole line goes to cr_writer_line: one write(2), never half a row on disk. */
static cr_status_t cr_csv_begin(cr_writer_t *w, const json_t *meta)
{
    char line[CR_SCHEMA_MAX * 24];
    size_t used = 0;
    (void)meta;
    for (size_t i = 0; i < cr_schema_n; i++)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s%s", i ? "," : "",
                                 cr_schema[i].name);
    return cr_writer_line(w, line);
}

static cr_status_t cr_csv_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t n)
{
    char line[CR_SCHEMA_MAX * 512];   /* %.4f of the largest double fits 512 */
    size_t used = 0;
    (void)raw;
    (void)n;
    for (size_t i = 0; i < cr_schema_n; i++) {
        int k;
        if (i) line[used++] = ',';
        if ((k = cr_schema_format(&cr_schema[i], r, line + used, sizeof line - used)) < 0 ||
            k >= 511) {
            cr_error("%s: column %s: value does not fit 511 characters", w->path,
                     cr_schema[i].name);
            return CR_ERR_INTERNAL;
        }
        used += (size_t)k;
    }
    return cr_writer_line(w, line);
}

const cr_writer_ops_t cr_writer_csv = {
    .name = "csv",
    .file = "results.csv",
    .begin = cr_csv_begin,
    .row = cr_csv_row,
};
