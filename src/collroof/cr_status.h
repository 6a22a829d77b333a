/* status.json: how a run ended, in its run directory (docs/formats.md). Rank 0
 * writes "running" when the directory is opened and replaces it, whole (a
 * temporary file renamed over it), when the run ends: complete, validation
 * failures, error, timed out (where), interrupted (by which signal). A run that
 * still says "running" ended without a word (SIGKILL, a lost node). Pure. */
#ifndef CR_STATUS_H
#define CR_STATUS_H

#include <stdint.h>

/* Where the record goes (DIR/status.json), then "running" with the start time and,
 * for --resume, the rows kept from before (resumed_rows; -1 when not resumed), which
 * the final record repeats. A process that never calls it writes nothing (the other
 * ranks). */
void cr_status_init(const char *outdir, long started, long resumed_rows);

/* The final record: status ("complete", "validation failures", "error", "timed out"),
 * the exit status, the rows written; for "timed out" where (collective NULL: none). */
void cr_status_final(const char *status, int exit_code, int rows, const char *collective,
                     const char *level, const char *cadence, uint64_t bytes, long iteration,
                     double timeout_s);

/* From a signal handler (async-signal-safe): "interrupted" by sig. */
void cr_status_signal(int sig);

/* The other ranks: SIGTERM, SIGINT and SIGHUP (over their default disposition) end
 * the process 1 s late, so that rank 0, signalled at the same moment, writes its
 * record before the launcher, seeing a rank die, kills the rest with SIGKILL. */
void cr_status_defer_install(void);

#endif
