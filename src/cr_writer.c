#include "cr_writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

cr_status_t cr_writer_open(cr_writer_t *w, const cr_writer_ops_t *ops, const char *dir,
                           FILE *fp, const json_t *meta)
{
    cr_status_t st;
    int raw = w->raw;

    memset(w, 0, sizeof *w);
    w->ops = ops;
    w->raw = raw;
    if (ops->file) {
        snprintf(w->path, sizeof w->path, "%s/%s", dir, ops->file);
        w->fp = fopen(w->path, "w");
        if (!w->fp) {
            cr_error("cannot create %s: %s", w->path, strerror(errno));
            return CR_ERR_IO;
        }
        w->own_fp = 1;
    } else {
        snprintf(w->path, sizeof w->path, "<%s>", ops->name);
        w->fp = fp;
    }
    st = ops->begin(w, meta);
    if (st == CR_OK && fflush(w->fp) != 0) {
        cr_error("cannot write %s: %s", w->path, strerror(errno));
        st = CR_ERR_IO;
    }
    if (st != CR_OK) cr_writer_close(w);
    return st;
}

cr_status_t cr_writer_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t nraw)
{
    if (!w->fp) return CR_OK;
    CR_CHECK(w->ops->row(w, r, raw, nraw));
    if (fflush(w->fp) != 0 || ferror(w->fp)) {
        cr_error("cannot write %s: %s", w->path, strerror(errno));
        return CR_ERR_IO;
    }
    return CR_OK;
}

cr_status_t cr_writer_line(cr_writer_t *w, const char *text)
{
    size_t len = strlen(text), off = 0;
    char *line = malloc(len + 1);
    CR_CHECK_ALLOC(line, len + 1);
    memcpy(line, text, len);
    line[len++] = '\n';
    if (fflush(w->fp) != 0) goto out_with_error;
    if (fileno(w->fp) < 0) { /* a memory stream (tests): no descriptor to write to */
        if (fwrite(line, 1, len, w->fp) != len) goto out_with_error;
        off = len;
    }
    while (off < len) {
        ssize_t n = write(fileno(w->fp), line + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) goto out_with_error;
        off += (size_t)n;
    }
    free(line);
    return CR_OK;
out_with_error:
    cr_error("cannot write %s: %s", w->path, strerror(errno));
    free(line);
    return CR_ERR_IO;
}

void cr_writer_close(cr_writer_t *w)
{
    if (w->fp && w->own_fp) fclose(w->fp);
    w->fp = NULL;
}
