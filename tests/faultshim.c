/* LD_PRELOAD shim for tests/mpi-faults.sh: a known number of page faults per call.
 * Wraps MPI_Allreduce (through the PMPI profiling interface) so that each call on
 * MPI_FLOAT data first maps FAULTSHIM_PAGES fresh pages, touches each once and
 * unmaps them — what an MPI library does that mallocs a large temporary per call.
 * collroof's faults_per_call must then read FAULTSHIM_PAGES (plus the harness's own
 * fraction of a fault per call); its own reductions use other datatypes. */
#include "config.h"

#include <stdlib.h>
#include <sys/mman.h>
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
