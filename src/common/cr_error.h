/* Status codes, error reporting and the CHECK macros used everywhere. */
#ifndef CR_ERROR_H
#define CR_ERROR_H

#include <stdarg.h>

typedef enum cr_status {
    CR_OK = 0,
    CR_ERR_INVAL,    /* bad user input: option, size spec, file content */
    CR_ERR_NOMEM,    /* allocation failed or would not fit */
    CR_ERR_IO,       /* file could not be opened/written/read */
    CR_ERR_MPI,      /* an MPI call failed */
    CR_ERR_TOPO,     /* hwloc / libnuma failure */
    CR_ERR_VALID,    /* a collective produced a wrong result */
    CR_ERR_INTERNAL, /* a bug */
} cr_status_t;

const char *cr_status_str(cr_status_t s);

/* Where messages go and how they are prefixed ("collroof: host rank N: ").
 * rank < 0 leaves the rank out (serial programs, or rank-0-only messages). */
void cr_log_set_prefix(const char *prog, const char *host, int rank);
/* Print "prefix error: msg" to stderr, once, at the point of detection. */
void cr_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cr_verror_at(const char *file, int line, const char *fmt, va_list ap);
void cr_error_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Silences cr_error/cr_warn (tests; non-root ranks for user-input errors). */
void cr_log_quiet(int quiet);

/* Propagate a status that was already reported where it was detected. */
#define CR_CHECK(call)                       \
    do {                                     \
        cr_status_t cr_s_ = (call);          \
        if (cr_s_ != CR_OK) return cr_s_;    \
    } while (0)

/* Propagate into a cleanup label instead of returning. */
#define CR_CHECK_GOTO(call, st, label)       \
    do {                                     \
        (st) = (call);                       \
        if ((st) != CR_OK) goto label;       \
    } while (0)

/* Allocation: log file:line and the byte count once, return CR_ERR_NOMEM. */
#define CR_CHECK_ALLOC(ptr, nbytes)                                              \
    do {                                                                         \
        if ((ptr) == NULL) {                                                     \
            cr_error_at(__FILE__, __LINE__, "cannot allocate %zu bytes",         \
                        (size_t)(nbytes));                                       \
            return CR_ERR_NOMEM;                                                 \
        }                                                                        \
    } while (0)

#endif
