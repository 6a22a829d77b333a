/* The watchdog: a thread of its own (not the MPI library) that ends the job when one
 * measurement has not finished within --timeout seconds: a rank stopped, dead, or
 * stuck in a broken fabric. It prints where the run was (rank 0; another rank after
 * a grace period when rank 0 cannot), records "timed out" in status.json (rank 0),
 * and _exits with CR_EXIT_TIMEOUT. One per process. */
#ifndef CR_WATCHDOG_H
#define CR_WATCHDOG_H

#include <stdint.h>

enum { CR_EXIT_TIMEOUT = 4 };

/* Starts the thread (limit_s > 0; 0: no watchdog, the calls below do nothing).
 * rows: rank 0's row count, read when it fires. 0, or -1 when the thread could not
 * be started. */
int cr_watch_start(double limit_s, int rank, const int *rows);
/* A measurement begins (its clock starts) / its sampling is at iteration i / it
 * ended. */
void cr_watch_begin(const char *collective, const char *level, const char *cadence,
                    uint64_t bytes);
void cr_watch_iter(long i);
void cr_watch_end(void);
/* Stops and joins the thread. */
void cr_watch_stop(void);

/* The host's progress board: one slot per rank of this host in memory they share
 * (an MPI shared window), where each rank posts how far it got (measurement,
 * iteration) before every barrier, so that rank 0's watchdog, when it fires, can
 * name the ranks of its host that had not reached the barrier the others wait in.
 * slots[n], me = this rank's slot, world[n] = the slots' world ranks, host = its
 * name (copied). Without a board the message says nothing of ranks. */
void cr_watch_board(long *slots, int n, int me, const int *world, const char *host);

#endif
