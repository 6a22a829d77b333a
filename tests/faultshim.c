/* LD_PRELOAD shim for the fault tests. tests/mpi-faults.sh: a known number of page
 * faults per call. tests/mpi-errors.sh: a disk that fills up (write() below).
 *
 * Page faults:
 * Wraps MPI_Allreduce (through the PMPI profiling interface) so that each call on
 * MPI_FLOAT data first maps FAULTSHIM_PAGES fresh pages, touches each once and
 * unmaps them — what an MPI library does that mallocs a large temporary per call.
 * collroof's faults_per_call must then read FAULTSHIM_PAGES (plus the harness's own
 * fraction of a fault per call); its own reductions use other datatypes. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <mpi.h>

int MPI_Allreduce(const void *sbuf, void *rbuf, int count, MPI_Datatype type, MPI_Op op,
                  MPI_Comm comm)
{
    static long pages = -1;
    if (pages < 0) {
        const char *e = getenv("FAULTSHIM_PAGES");
        pages = e ? atol(e) : 0;
    }
    if (type == MPI_FLOAT && pages > 0) {
        long page = sysconf(_SC_PAGESIZE);
        char *p = mmap(NULL, (size_t)(pages * page), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
            madvise(p, (size_t)(pages * page), MADV_NOHUGEPAGE);
            for (long i = 0; i < pages; i++) ((volatile char *)p)[i * page] = 1;
            munmap(p, (size_t)(pages * page));
        }
    }
    return PMPI_Allreduce(sbuf, rbuf, count, type, op, comm);
}

/* A full disk, for one file: FAULTSHIM_ENOSPC_FILE (a name its path ends with) takes
 * FAULTSHIM_ENOSPC_LINES whole lines, then FAULTSHIM_ENOSPC_PART (default 20) bytes
 * more: the write that crosses that offset is cut short there and every later one
 * past it fails with ENOSPC, as on a file system that has run out of space. Other
 * descriptors are written as they come (through the system call: no recursion). */
static int faultshim_is_target(int fd)
{
    static const char *name;
    static int looked;
    char link[64], path[4096];
    ssize_t n;
    size_t ln;
    if (!looked++) name = getenv("FAULTSHIM_ENOSPC_FILE");
    if (!name || !*name) return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    if ((n = readlink(link, path, sizeof path - 1)) <= 0) return 0;
    path[n] = '\0';
    ln = strlen(name);
    return (size_t)n >= ln && !strcmp(path + n - ln, name);
}

ssize_t write(int fd, const void *buf, size_t len)
{
    static long lines = -1, part = 20, seen;
    static off_t limit = -1;   /* offset past which the disk is full; -1: not yet known */
    off_t at;
    if (lines < 0) {
        const char *l = getenv("FAULTSHIM_ENOSPC_LINES"), *p = getenv("FAULTSHIM_ENOSPC_PART");
        lines = l ? atol(l) : 0;
        if (p) part = atol(p);
    }
    if (lines <= 0 || !faultshim_is_target(fd) || (at = lseek(fd, 0, SEEK_CUR)) < 0)
        return syscall(SYS_write, fd, buf, len);
    if (limit < 0) {   /* count newlines until the allowed ones are there */
        ssize_t n = syscall(SYS_write, fd, buf, len);
        for (ssize_t i = 0; i < n && limit < 0; i++)
            if (((const char *)buf)[i] == '\n' && ++seen == lines) limit = at + i + 1 + part;
        return n;
    }
    if (at >= limit) {
        errno = ENOSPC;
        return -1;
    }
    return syscall(SYS_write, fd, buf, at + (off_t)len > limit ? (size_t)(limit - at) : len);
}
