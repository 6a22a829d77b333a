#include "config.h"

#include "fit_write.h"
#include "cr_fs.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

const cr_fit_writer_ops_t *const cr_fit_writers[] = {
    &cr_fit_writer_fitcsv, &cr_fit_writer_roofline, &cr_fit_writer_scaling,
    &cr_fit_writer_projection, &cr_fit_writer_overlap, &cr_fit_writer_skew,
    &cr_fit_writer_workload, NULL,
};

void cr_fit_put_num(FILE *f, double v)
{
    if (isnan(v)) return;
    if (isinf(v)) fputs(v > 0 ? "inf" : "-inf", f);
    else fprintf(f, "%.6g", v);
}

size_t cr_fit_result_seg_of(const cr_fit_result_t *r, size_t i)
{
    for (size_t s = 0; s < r->k; s++)
        if (i <= r->seg[s].last) return s;
    return r->k - 1;
}

cr_status_t cr_fit_write_all(const char *dir, const cr_fit_report_t *rep)
{
    char path[4096], err[4200];
    if (cr_mkdir_p(dir, err, sizeof err) != CR_OK) {
        cr_error("%s", err);
        return CR_ERR_IO;
    }
    for (const cr_fit_writer_ops_t *const *w = cr_fit_writers; *w; w++) {
        FILE *f;
        cr_status_t st;
        snprintf(path, sizeof path, "%s/%s", dir, (*w)->file);
        f = cr_fs_create(path, 1, err, sizeof err);   /* replaced, never through a link */
        if (!f) {
            cr_error("%s", err);
            return CR_ERR_IO;
        }
        st = (*w)->write(f, rep);
        if (fclose(f) != 0 && st == CR_OK) {
            cr_error("cannot write %s: %s", path, strerror(errno));
            st = CR_ERR_IO;
        }
        if (st != CR_OK) return st;
    }
    return CR_OK;
}
