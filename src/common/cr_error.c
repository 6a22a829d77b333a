#include "config.h"

#include "cr_error.h"

#include <stdio.h>
#include <string.h>

static char cr_prefix[160] = "collroof";
static int cr_quiet;

const char *cr_status_str(cr_status_t s)
{
    switch (s) {
    case CR_OK: return "ok";
    case CR_ERR_INVAL: return "invalid input";
    case CR_ERR_NOMEM: return "out of memory";
    case CR_ERR_IO: return "I/O error";
    case CR_ERR_MPI: return "MPI error";
    case CR_ERR_TOPO: return "topology error";
    case CR_ERR_VALID: return "validation failed";
    case CR_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

void cr_log_set_prefix(const char *prog, const char *host, int rank)
{
    if (host && rank >= 0)
        snprintf(cr_prefix, sizeof cr_prefix, "%s: %s rank %d", prog, host, rank);
    else
        snprintf(cr_prefix, sizeof cr_prefix, "%s", prog);
}

void cr_log_quiet(int quiet) { cr_quiet = quiet; }

static void cr_vlog(const char *kind, const char *fmt, va_list ap)
{
    char msg[1024];
    if (cr_quiet) return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "%s: %s%s\n", cr_prefix, kind, msg);
    fflush(stderr);
}

void cr_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cr_vlog("error: ", fmt, ap);
    va_end(ap);
}

void cr_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cr_vlog("warning: ", fmt, ap);
    va_end(ap);
}

void cr_verror_at(const char *file, int line, const char *fmt, va_list ap)
{
    char where[256];
    const char *base = strrchr(file, '/');
    snprintf(where, sizeof where, "error: %s:%d: ", base ? base + 1 : file, line);
    cr_vlog(where, fmt, ap);
}

void cr_error_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cr_verror_at(file, line, fmt, ap);
    va_end(ap);
}
