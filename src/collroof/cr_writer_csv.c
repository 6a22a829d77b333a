/* results.csv: a header, then one row per measurement, the columns of the schema
 * (cr_schema.h) in its order: the contract columns, then the appended ones. */
#include "config.h"

#include "cr_schema.h"
#include "cr_writer.h"

static cr_status_t cr_csv_begin(cr_writer_t *w, const json_t *meta)
{
    for (size_t i = 0; i < cr_schema_n; i++)
        fprintf(w->fp, "%s%s", i ? "," : "", cr_schema[i].name);
    fputc('\n', w->fp);
    return CR_OK;
}

static cr_status_t cr_csv_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t n)
{
    char text[512];   /* %.4f of the largest double fits */
    for (size_t i = 0; i < cr_schema_n; i++) {
        if (cr_schema_format(&cr_schema[i], r, text, sizeof text) < 0) {
            cr_error("%s: column %s: value does not fit %zu characters", w->path,
                     cr_schema[i].name, sizeof text - 1);
            return CR_ERR_INTERNAL;
        }
        fprintf(w->fp, "%s%s", i ? "," : "", text);
    }
    fputc('\n', w->fp);
    return CR_OK;
}

const cr_writer_ops_t cr_writer_csv = {
    .name = "csv",
    .file = "results.csv",
    .begin = cr_csv_begin,
    .row = cr_csv_row,
};
