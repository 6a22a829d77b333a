/* The host's hardware topology (hwloc edge): load, summary, caches, NICs. */
#ifndef CR_TOPO_H
#define CR_TOPO_H

#include <stddef.h>
#include <hwloc.h>
#include <jansson.h>
#include <mpi.h>
#include "cr_error.h"
#include "cr_levels.h"

/* Load this machine's topology, with I/O devices (NICs, their PCI links). */
cr_status_t cr_topo_load(hwloc_topology_t *out);
/* Load a synthetic description ("pack:2 numa:2 core:8 pu:1") or an XML file (tests). */
cr_status_t cr_topo_load_synthetic(const char *desc, hwloc_topology_t *out);
cr_status_t cr_topo_load_xml(const char *path, hwloc_topology_t *out);
void cr_topo_free(hwloc_topology_t t);

/* {"host", "packages", "numa_nodes", "cores", "pus",
 *  "caches": [{"level", "type": "unified|data|instruction", "bytes", "count"}],
 *  "numa_distances": matrix of hwloc distances between NUMA nodes, or null,
 *  "nics": [{"name", "kind": "net|ib|other", "pci": "dddd:bb:dd.f" or null,
 *            "pci_GBps": PCI link GB/s or null}]}. NULL on allocation failure. */
json_t *cr_topo_summary(hwloc_topology_t t, const char *host);

/* Bytes of the largest cache of the last (highest) level; 0 when hwloc knows none. */
size_t cr_topo_llc_bytes(hwloc_topology_t t);

/* A network OS device hwloc found. */
typedef struct cr_nic {
    char name[32];       /* OS name: "eth0", "mlx5_0" */
    char kind[8];        /* "net" (Linux netdev) or "ib" (OpenFabrics) */
    char pci[16];        /* PCI bus id of the device it hangs from, "" if none */
    double pci_GBps;     /* PCI link speed in GB/s, 0 if unknown */
} cr_nic_t;

/* NICs (hwloc OS devices of type network/OpenFabrics), up to max. Returns the count. */
int cr_topo_nics(hwloc_topology_t t, cr_nic_t *nics, int max);

/* Collective over world: rank 0 gets an array with one cr_topo_summary per host
 * (computed by each node leader); other ranks get NULL. */
cr_status_t cr_topo_gather(MPI_Comm world, const cr_place_t *pl, int n, hwloc_topology_t t,
                           json_t **out);

#endif
