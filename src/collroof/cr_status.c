#include "config.h"

#include "cr_status.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char cr_status_path[4200], cr_status_tmp[4210];
static long cr_status_started;
static long cr_status_resumed = -1; /* rows kept by --resume; -1: not resumed */

/* Writes buf to the temporary file and renames it over status.json: a reader sees
 * the old record or the new one, whole. Async-signal-safe. */
static void cr_status_put(const char *buf, size_t n)
{
    int fd;
    if (!cr_status_path[0]) return;
    fd = open(cr_status_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
    if (fd < 0) return;
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        buf += w;
        n -= (size_t)w;
    }
    if (close(fd) == 0 && n == 0) rename(cr_status_tmp, cr_status_path);
}

static void cr_status_json(json_t *o)
{
    char *s;
    json_object_set_new(o, "started", json_integer(cr_status_started));
    json_object_set_new(o, "ended", json_integer((json_int_t)time(NULL)));
    s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
    if (s) {
        size_t n = strlen(s);
        char buf[4096];
        if (n + 2 < sizeof buf) {
            memcpy(buf, s, n);
            buf[n++] = '\n';
            cr_status_put(buf, n);
        }
        free(s);
    }
    json_decref(o);
}

void cr_status_init(const char *outdir, long started, long resumed_rows)
{
    json_t *o = json_object();
    if ((size_t)snprintf(cr_status_path, sizeof cr_status_path, "%s/status.json", outdir) >=
        sizeof cr_status_path) {
        cr_status_path[0] = '\0';
        json_decref(o);
        return;
    }
    snprintf(cr_status_tmp, sizeof cr_status_tmp, "%s.tmp", cr_status_path);
    cr_status_started = started;
    cr_status_resumed = resumed_rows;
    json_object_set_new(o, "status", json_string("running"));
    json_object_set_new(o, "pid", json_integer((json_int_t)getpid()));
    json_object_set_new(o, "started", json_integer(started));
    if (resumed_rows >= 0) json_object_set_new(o, "resumed_rows", json_integer(resumed_rows));
    {
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (s) {
            size_t n = strlen(s);
            char buf[512];
            if (n + 2 < sizeof buf) {
                memcpy(buf, s, n);
                buf[n++] = '\n';
                cr_status_put(buf, n);
            }
            free(s);
        }
    }
    json_decref(o);
}

void cr_status_final(const char *status, int exit_code, int rows, const char *collective,
                     const char *level, const char *cadence, uint64_t bytes, long iteration,
                     double timeout_s)
{
    json_t *o = json_object();
    if (!cr_status_path[0]) {
        json_decref(o);
        return;
    }
    json_object_set_new(o, "status", json_string(status));
    json_object_set_new(o, "exit", json_integer(exit_code));
    json_object_set_new(o, "rows", json_integer(rows));
    if (cr_status_resumed >= 0)
        json_object_set_new(o, "resumed_rows", json_integer(cr_status_resumed));
    if (collective) {
        json_object_set_new(o, "collective", json_string(collective));
        json_object_set_new(o, "level", json_string(level ? level : ""));
        json_object_set_new(o, "cadence", json_string(cadence ? cadence : ""));
        json_object_set_new(o, "bytes", json_integer((json_int_t)bytes));
        json_object_set_new(o, "iteration", json_integer(iteration));
        json_object_set_new(o, "timeout_s", json_real(timeout_s));
    }
    cr_status_json(o);
}

void cr_status_signal(int sig)
{
    /* {"status":"interrupted","signal":N,"exit":128+N}, built by hand: no stdio,
     * no allocation in a signal handler */
    char buf[128], num[16];
    size_t n = 0, k = 0;
    int v = sig;
    const char *a = "{\"status\":\"interrupted\",\"signal\":";
    if (!cr_status_path[0]) return;
    do num[k++] = (char)('0' + v % 10); while ((v /= 10) > 0 && k < sizeof num);
    memcpy(buf, a, strlen(a));
    n = strlen(a);
    while (k) buf[n++] = num[--k];
    memcpy(buf + n, ",\"exit\":", 8);
    n += 8;
    v = 128 + sig;
    k = 0;
    do num[k++] = (char)('0' + v % 10); while ((v /= 10) > 0 && k < sizeof num);
    while (k) buf[n++] = num[--k];
    buf[n++] = '}';
    buf[n++] = '\n';
    cr_status_put(buf, n);
}

static void cr_status_defer_handler(int sig)
{
    struct timespec nap = { 1, 0 };
    nanosleep(&nap, NULL);
    signal(sig, SIG_DFL);
    raise(sig);
}

void cr_status_defer_install(void)
{
    static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL ||
            (old.sa_flags & SA_SIGINFO))
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = cr_status_defer_handler;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}
