#include "config.h"

#include "cr_watchdog.h"
#include "cr_error.h"
#include "cr_result.h"
#include "cr_status.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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
    long seq;    /* measurements begun */
    /* the host's progress board (cr_watch_board): slot = seq << 32 | (iter + 1) */
    long *slots;
    int nslots, me;
    int *world;
    char host[64];
} cr_w = { .mu = PTHREAD_MUTEX_INITIALIZER };

#define CR_WATCH_MAX_NAMED 16 /* ranks named in the message, at most */

static void cr_watch_post(long iter)
{
    if (cr_w.slots)
        __atomic_store_n(&cr_w.slots[cr_w.me], (cr_w.seq << 32) | (iter + 1), __ATOMIC_RELEASE);
}

/* Which ranks of this host had not reached the barrier the furthest one is in. */
static void cr_watch_behind(char *buf, size_t len)
{
    char list[256] = "", where[64];
    long top = 0, v, it;
    size_t n = 0;
    int behind = 0;
    buf[0] = '\0';
    if (!cr_w.slots || cr_w.nslots < 2) return;
    for (int i = 0; i < cr_w.nslots; i++)
        if ((v = __atomic_load_n(&cr_w.slots[i], __ATOMIC_ACQUIRE)) > top) top = v;
    for (int i = 0; i < cr_w.nslots; i++) {
        if (__atomic_load_n(&cr_w.slots[i], __ATOMIC_ACQUIRE) >= top) continue;
        if (behind++ < CR_WATCH_MAX_NAMED && n < sizeof list)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%d", behind > 1 ? ", " : "",
                                  cr_w.world[i]);
    }
    it = (top & 0xffffffffL) - 1;
    if (it >= 0) snprintf(where, sizeof where, "the barrier of iteration %ld", it);
    else snprintf(where, sizeof where, "this measurement");
    if (behind == 0)
        snprintf(buf, len, "; every rank on %s had reached %s (the stop is inside the "
                 "collective, or on another host)", cr_w.host, where);
    else
        snprintf(buf, len, "; rank%s %s%s on %s had not reached %s", behind > 1 ? "s" : "",
                 list, behind > CR_WATCH_MAX_NAMED ? ", ..." : "", cr_w.host, where);
}

static double cr_watch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void cr_watch_fire(double waited)
{
    char coll[CR_NAME_LEN], level[CR_NAME_LEN], cadence[CR_NAME_LEN], who[400];
    uint64_t bytes;
    long iter = __atomic_load_n(&cr_w.iter, __ATOMIC_RELAXED);
    pthread_mutex_lock(&cr_w.mu);
    memcpy(coll, cr_w.coll, sizeof coll);
    memcpy(level, cr_w.level, sizeof level);
    memcpy(cadence, cr_w.cadence, sizeof cadence);
    bytes = cr_w.bytes;
    pthread_mutex_unlock(&cr_w.mu);
    cr_watch_behind(who, sizeof who);
    cr_error("timeout: %s at level %s (%s), %llu bytes, iteration %ld had not finished after "
             "%.0f s (--timeout %g): a rank is stopped, dead or stuck in the fabric%s%s; ending "
             "the job (exit status %d)", coll, level, cadence, (unsigned long long)bytes, iter,
             waited, cr_w.limit_s, who,
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
    cr_w.seq++;
    cr_watch_post(-1);
    cr_w.t0 = cr_watch_now();
    cr_w.active = 1;
    pthread_mutex_unlock(&cr_w.mu);
}

void cr_watch_iter(long i)
{
    __atomic_store_n(&cr_w.iter, i, __ATOMIC_RELAXED);
    cr_watch_post(i);
}

void cr_watch_board(long *slots, int n, int me, const int *world, const char *host)
{
    int *w = malloc((size_t)n * sizeof *w);
    if (!w || !slots) {
        free(w);
        return;
    }
    memcpy(w, world, (size_t)n * sizeof *w);
    pthread_mutex_lock(&cr_w.mu);
    free(cr_w.world);
    cr_w.world = w;
    cr_w.nslots = n;
    cr_w.me = me;
    snprintf(cr_w.host, sizeof cr_w.host, "%s", host);
    cr_w.slots = slots;
    pthread_mutex_unlock(&cr_w.mu);
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
    cr_w.slots = NULL;   /* the window is freed after this */
    free(cr_w.world);
    cr_w.world = NULL;
}
