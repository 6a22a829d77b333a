/* LD_PRELOAD shim for tests/mpi-topo.sh: libnuma reports NUMA as unavailable, as it
 * does on a kernel without NUMA support or in a container that hides it, so that
 * collroof's fallback (plain allocation, recorded as mem=default) runs for real. */
#include "config.h"

int numa_available(void);

int numa_available(void) { return -1; }
