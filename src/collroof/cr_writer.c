#include "config.h"

#include "cr_writer.h"
#include "cr_status.h"
#include "cr_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A run stopped by SIGTERM/SIGINT/SIGHUP (mpirun forwarding a Ctrl-C, a batch
 * time limit) must not leave half a line: a fatal signal cuts a write(2) short at a
 * page boundary. While a row is being written such a signal is held back and
 * re-raised, with its default action, as soon as the row is whole. Installed only
 * over the default disposition (an MPI library's or a user's handler stays). */
static volatile sig_atomic_t cr_in_row, cr_held;
static const int cr_stop_signals[] = { SIGTERM, SIGINT, SIGHUP };

static void cr_stop_handler(int sig)
{
    if (cr_in_row) {
        cr_held = sig;
        return;
    }
    cr_status_signal(sig);   /* status.json: interrupted by sig (rank 0) */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void cr_guard_install(void)
{
    static int done;
    struct sigaction xfsz;
    if (done++) return;
    /* a file size limit (ulimit -f) makes write(2) fail with EFBIG, reported like a
     * full disk, instead of killing the rank with SIGXFSZ */
    if (sigaction(SIGXFSZ, NULL, &xfsz) == 0 && xfsz.sa_handler == SIG_DFL &&
        !(xfsz.sa_flags & SA_SIGINFO))
        signal(SIGXFSZ, SIG_IGN);
    for (size_t i = 0; i < sizeof cr_stop_signals / sizeof *cr_stop_signals; i++) {
        struct sigaction old, sa;
        if (sigaction(cr_stop_signals[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL ||
            (old.sa_flags & SA_SIGINFO))
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = cr_stop_handler;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(cr_stop_signals[i], &sa, NULL);
    }
}

static void cr_row_begin(void) { cr_in_row = 1; }

static void cr_row_end(void)
{
    int sig;
    cr_in_row = 0;
    if ((sig = cr_held) != 0) {
        cr_status_signal(sig);
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

/* An existing file, for appending, never through a symbolic link. */
static FILE *cr_writer_append_open(const char *path, char *err, size_t len)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW);
    /* at the end: a row's start offset (to cut a partial row back to) is read there */
    FILE *fp = fd >= 0 && lseek(fd, 0, SEEK_END) >= 0 ? fdopen(fd, "a") : NULL;
    if (!fp) {
        snprintf(err, len, "cannot append to %s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
    }
    return fp;
}

cr_status_t cr_writer_open(cr_writer_t *w, const cr_writer_ops_t *ops, const char *dir,
                           FILE *fp, const json_t *meta)
{
    cr_status_t st;
    int raw = w->raw, replace = w->replace, append = w->append;
    char err[4400];

    memset(w, 0, sizeof *w);
    w->ops = ops;
    w->raw = raw;
    w->replace = replace;
    w->append = append;
    w->row_start = -1;
    cr_guard_install();
    if (ops->file) {
        snprintf(w->path, sizeof w->path, "%s/%s", dir, ops->file);
        w->fp = append ? cr_writer_append_open(w->path, err, sizeof err)
                       : cr_fs_create(w->path, w->replace, err, sizeof err);
        if (!w->fp) {
            cr_error("%s", err);
            return CR_ERR_IO;
        }
        w->own_fp = 1;
    } else {
        snprintf(w->path, sizeof w->path, "<%s>", ops->name);
        w->fp = fp;
    }
    st = append ? CR_OK : ops->begin(w, meta);
    if (st == CR_OK && fflush(w->fp) != 0) {
        cr_error("cannot write %s: %s", w->path, strerror(errno));
        st = CR_ERR_IO;
    }
    if (st != CR_OK) cr_writer_close(w);
    return st;
}

cr_status_t cr_writer_row(cr_writer_t *w, const cr_result_t *r, const double *raw, size_t nraw)
{
    cr_status_t st;
    if (!w->fp) return CR_OK;
    w->row_start = -1;
    cr_row_begin();
    st = w->ops->row(w, r, raw, nraw);
    if (st == CR_OK && (fflush(w->fp) != 0 || ferror(w->fp))) {
        cr_error("cannot write %s: %s", w->path, strerror(errno));
        st = CR_ERR_IO;
    }
    cr_row_end();
    return st;
}

cr_status_t cr_writer_wl_row(cr_writer_t *w, const struct cr_wl_row *r, const double *raw,
                             size_t nraw)
{
    cr_status_t st;
    if (!w->fp) return CR_OK;
    if (!w->ops->wl_row) {
        cr_error_at(__FILE__, __LINE__, "%s: not a workload format", w->path);
        return CR_ERR_INTERNAL;
    }
    w->row_start = -1;
    cr_row_begin();
    st = w->ops->wl_row(w, r, raw, nraw);
    if (st == CR_OK && (fflush(w->fp) != 0 || ferror(w->fp))) {
        cr_error("cannot write %s: %s", w->path, strerror(errno));
        st = CR_ERR_IO;
    }
    cr_row_end();
    return st;
}

cr_status_t cr_writer_line(cr_writer_t *w, const char *text)
{
    size_t len = strlen(text), off = 0;
    char *line = malloc(len + 1);
    off_t start;
    int fd, err;
    CR_CHECK_ALLOC(line, len + 1);
    memcpy(line, text, len);
    line[len++] = '\n';
    if (fflush(w->fp) != 0) goto out_with_error;
    if ((fd = fileno(w->fp)) < 0) {   /* a memory stream (tests): no descriptor to write to */
        if (fwrite(line, 1, len, w->fp) != len) goto out_with_error;
        free(line);
        return CR_OK;
    }
    start = lseek(fd, 0, SEEK_CUR);   /* -1 on a pipe: nothing to truncate */
    w->row_start = start;
    while (off < len) {
        ssize_t n = write(fd, line + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = ENOSPC;
        if (n <= 0) goto out_with_partial;
        off += (size_t)n;
    }
    free(line);
    return CR_OK;
out_with_partial:
    err = errno;
    if (off > 0 && start >= 0 && (ftruncate(fd, start) != 0 || lseek(fd, start, SEEK_SET) < 0)) {
        cr_error("cannot write %s: %s; nor remove the partial line at byte %lld: %s", w->path,
                 strerror(err), (long long)start, strerror(errno));
        free(line);
        return CR_ERR_IO;
    }
    w->row_start = -1;
    errno = err;
out_with_error:
    cr_error("cannot write %s: %s%s", w->path, strerror(errno),
             off > 0 ? " (the partial line was removed: the file ends with its last whole row)"
                     : "");
    free(line);
    return CR_ERR_IO;
}

void cr_writer_unrow(cr_writer_t *w)
{
    int fd;
    if (!w->fp || w->row_start < 0 || (fd = fileno(w->fp)) < 0) return;
    if (ftruncate(fd, (off_t)w->row_start) != 0 || lseek(fd, (off_t)w->row_start, SEEK_SET) < 0)
        cr_warn("%s: could not remove the row that another file lacks: %s", w->path,
                strerror(errno));
    w->row_start = -1;
}

void cr_writer_close(cr_writer_t *w)
{
    if (w->fp && w->own_fp) fclose(w->fp);
    w->fp = NULL;
}
