/* Ceilings the fitter compares against: nominal NIC rates and memcpy bandwidth. */
#ifndef CR_CEIL_H
#define CR_CEIL_H

#include <stddef.h>
#include <hwloc.h>
#include <jansson.h>
#include <mpi.h>
#include "cr_error.h"
#include "cr_levels.h"

/* GB/s of an InfiniBand port rate line ("100 Gb/sec (4X EDR)" -> 12.5); -1 if unparsable. */
double cr_ceil_parse_ib_rate(const char *s);

/* Nominal rates of this host's physical NICs from sysfs under `sysroot` ("/sys"):
 * class/net/X/speed (Mb/s; virtual devices, lo and unknown speeds left out) and
 * class/infiniband/D/ports/P/rate (active ports), matched by name to hwloc's OS
 * devices in t (may be NULL) for the PCI link speed. Appends to arr one
 * {"host", "device", "kind": "net|ib", "GBps", "pci_GBps": number or null} each. */
cr_status_t cr_ceil_nominal(const char *sysroot, hwloc_topology_t t, const char *host,
                            json_t *arr);

/* memcpy bandwidth per NUMA node this process may use: two `bytes` buffers on the
 * node, copied by a thread run on that node's CPUs, best of `reps`; GB/s = bytes
 * copied / s (1e9). Appends {"host", "numa", "GBps"} each (numa null without NUMA
 * support). Shrinks bytes when memory is short; skips with a warning if too short. */
cr_status_t cr_ceil_memcpy(size_t bytes, int reps, const char *host, json_t *arr);

#define CR_CEIL_MEMCPY_BYTES ((size_t)128 << 20)  /* default probe buffer, bytes */
#define CR_CEIL_MEMCPY_REPS 5

/* Collective over world: each node leader (local_rank 0) measures its host (memcpy
 * only if probe_memory); rank 0 gets {"nominal": [...], "memcpy": [...]} as in
 * docs/formats.md; other ranks get NULL. */
cr_status_t cr_ceil_gather(MPI_Comm world, const cr_place_t *pl, int n, hwloc_topology_t t,
                           int probe_memory, json_t **out);

#endif
