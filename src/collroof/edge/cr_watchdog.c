#include "config.h"

#include "cr_watchdog.h"
#include "cr_error.h"
#include "cr_result.h"
#include "cr_status.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Another rank than 0 waits this long after the limit before it speaks: rank 0
 * normally reports and ends the job first. */
#define CR_WATCH_GRACE_S 3.0

static struct {
    pthread_t th;
    pthread_mutex_t mu;
    int started, stop, rank;
    double limit_s;
    const int *rows;
    /* the measurement in progress (mu) */
    int active;
    double t0;
    char coll[CR_NAME_LEN], level[CR_NAME_LEN], cadence[CR_NAME_LEN];
    uint64_t bytes;
    long iter;   /* __atomic: written by the measuring thread every iteration */
} cr_w = { .mu = PTHREAD_MUTEX_INITIALIZER };

static double cr_watch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void cr_watch_fire(double waited)
{
    char coll[CR_NAME_LEN], level[CR_NAME_LEN], cadence[CR_NAME_LEN];
    uint64_t bytes;
    long iter = __atomic_load_n(&cr_w.iter, __ATOMIC_RELAXED);
    pthread_mutex_lock(&cr_w.mu);
    memcpy(coll, cr_w.coll, sizeof coll);
    memcpy(level, cr_w.level, sizeof level);
    memcpy(cadence, cr_w.cadence, sizeof cadence);
    bytes = cr_w.bytes;
    pthread_mutex_unlock(&cr_w.mu);
    cr_error("timeout: %s at level %s (%s), %llu bytes, iteration %ld had not finished after "
             "%.0f s (--timeout %g): a rank is stopped, dead or stuck in the fabric%s; ending "
             "the job (exit status %d)", coll, level, cadence, (unsigned long long)bytes, iter,
             waited, cr_w.limit_s,
             cr_w.rank == 0 ? "" : " (rank 0 did not report: it may be the one stopped)",
             CR_EXIT_TIMEOUT);
    if (cr_w.rank == 0)
        cr_status_final("timed out", CR_EXIT_TIMEOUT, cr_w.rows ? *cr_w.rows : 0, coll, level,
                        cadence, bytes, iter, cr_w.limit_s);
    fflush(NULL);
    _exit(CR_EXIT_TIMEOUT);
}

static void *cr_watch_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct timespec nap = { 0, 100 * 1000 * 1000 };
        double late = 0;
        int stop;
        nanosleep(&nap, NULL);
        pthread_mutex_lock(&cr_w.mu);
        stop = cr_w.stop;
        if (cr_w.active) late = cr_watch_now() - cr_w.t0;
        pthread_mutex_unlock(&cr_w.mu);
        if (stop) return NULL;
        if (late > cr_w.limit_s + (cr_w.rank == 0 ? 0 : CR_WATCH_GRACE_S)) cr_watch_fire(late);
    }
}

int cr_watch_start(double limit_s, int rank, const int *rows)
{
    pthread_attr_t at;
    sigset_t all, old;
    int rc;
    if (!(limit_s > 0)) return 0;
    cr_w.limit_s = limit_s;
    cr_w.rank = rank;
    cr_w.rows = rows;
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 256 * 1024);
    /* signals stay with the main thread (the writers' guard, the MPI library's) */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    rc = pthread_create(&cr_w.th, &at, cr_watch_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&at);
    if (rc != 0) return -1;
    cr_w.started = 1;
    return 0;
}

void cr_watch_begin(const char *collective, const char *level, const char *cadence,
                    uint64_t bytes)
{
    if (!cr_w.started) return;
    pthread_mutex_lock(&cr_w.mu);
    snprintf(cr_w.coll, sizeof cr_w.coll, "%s", collective);
    snprintf(cr_w.level, sizeof cr_w.level, "%s", level);
    snprintf(cr_w.cadence, sizeof cr_w.cadence, "%s", cadence);
    cr_w.bytes = bytes;
    __atomic_store_n(&cr_w.iter, 0, __ATOMIC_RELAXED);
    cr_w.t0 = cr_watch_now();
    cr_w.active = 1;
    pthread_mutex_unlock(&cr_w.mu);
}

void cr_watch_iter(long i)
{
    __atomic_store_n(&cr_w.iter, i, __ATOMIC_RELAXED);
}

void cr_watch_end(void)
{
    if (!cr_w.started) return;
    pthread_mutex_lock(&cr_w.mu);
    cr_w.active = 0;
    pthread_mutex_unlock(&cr_w.mu);
}

void cr_watch_stop(void)
{
    if (!cr_w.started) return;
    pthread_mutex_lock(&cr_w.mu);
    cr_w.stop = 1;
    pthread_mutex_unlock(&cr_w.mu);
    pthread_join(cr_w.th, NULL);
    cr_w.started = 0;
}
