/* The host's hardware topology via hwloc: load, summary JSON, LLC size, NICs. */
#include "config.h"

#include "cr_topo.h"
#include "cr_mem.h"
#include "cr_place.h"

#include <stdio.h>
#include <string.h>

/* Load with the given source (synthetic, xml, or this machine when both are NULL). */
static cr_status_t cr_topo_load_from(const char *synthetic, const char *xml, hwloc_topology_t *out)
{
    hwloc_topology_t t;
    if (hwloc_topology_init(&t) != 0) {
        cr_error_at(__FILE__, __LINE__, "hwloc_topology_init failed");
        return CR_ERR_TOPO;
    }
    if (synthetic && hwloc_topology_set_synthetic(t, synthetic) != 0) {
        cr_error("hwloc cannot use the synthetic topology '%s'", synthetic);
        goto out_with_topo;
    }
    if (xml && hwloc_topology_set_xml(t, xml) != 0) {
        cr_error("hwloc cannot read the XML topology '%s'", xml);
        goto out_with_topo;
    }
    if (hwloc_topology_set_io_types_filter(t, HWLOC_TYPE_FILTER_KEEP_IMPORTANT) != 0) {
        cr_error_at(__FILE__, __LINE__, "hwloc_topology_set_io_types_filter failed");
        goto out_with_topo;
    }
    if (hwloc_topology_load(t) != 0) {
        cr_error_at(__FILE__, __LINE__, "hwloc_topology_load failed");
        goto out_with_topo;
    }
    *out = t;
    return CR_OK;
out_with_topo:
    hwloc_topology_destroy(t);
    return CR_ERR_TOPO;
}

cr_status_t cr_topo_load(hwloc_topology_t *out) { return cr_topo_load_from(NULL, NULL, out); }
cr_status_t cr_topo_load_synthetic(const char *desc, hwloc_topology_t *out)
{
    return cr_topo_load_from(desc, NULL, out);
}
cr_status_t cr_topo_load_xml(const char *path, hwloc_topology_t *out)
{
    return cr_topo_load_from(NULL, path, out);
}

void cr_topo_free(hwloc_topology_t t)
{
    if (t)
        hwloc_topology_destroy(t);
}

static const hwloc_obj_type_t cr_cache_types[] = {
    HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L2ICACHE,
    HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE, HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE,
};
#define CR_NCACHE_TYPES (sizeof cr_cache_types / sizeof cr_cache_types[0])

static const char *cr_cache_kind(hwloc_obj_cache_type_t k)
{
    return k == HWLOC_OBJ_CACHE_DATA ? "data"
         : k == HWLOC_OBJ_CACHE_INSTRUCTION ? "instruction" : "unified";
}

/* One entry per (type, size): hybrid CPUs have caches of several sizes at a level. */
static int cr_caches_json(hwloc_topology_t t, json_t *arr)
{
    for (size_t k = 0; k < CR_NCACHE_TYPES; k++) {
        int nb = hwloc_get_nbobjs_by_type(t, cr_cache_types[k]);
        for (int i = 0; i < nb; i++) {
            hwloc_obj_t o = hwloc_get_obj_by_type(t, cr_cache_types[k], (unsigned)i);
            int seen = 0, count = 0;
            for (int j = 0; j < i && !seen; j++)
                seen = hwloc_get_obj_by_type(t, cr_cache_types[k], (unsigned)j)->attr->cache.size
                       == o->attr->cache.size;
            if (seen)
                continue;
            for (int j = i; j < nb; j++)
                count += hwloc_get_obj_by_type(t, cr_cache_types[k], (unsigned)j)->attr->cache.size
                         == o->attr->cache.size;
            if (json_array_append_new(arr, json_pack("{s:i,s:s,s:I,s:i}",
                    "level", (int)o->attr->cache.depth, "type", cr_cache_kind(o->attr->cache.type),
                    "bytes", (json_int_t)o->attr->cache.size, "count", count)) != 0)
                return -1;
        }
    }
    return 0;
}

size_t cr_topo_llc_bytes(hwloc_topology_t t)
{
    size_t best = 0;
    unsigned best_depth = 0;
    for (size_t k = 0; k < CR_NCACHE_TYPES; k++) {
        int nb = hwloc_get_nbobjs_by_type(t, cr_cache_types[k]);
        for (int i = 0; i < nb; i++) {
            hwloc_obj_t o = hwloc_get_obj_by_type(t, cr_cache_types[k], (unsigned)i);
            if (o->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION)
                continue;
            if (o->attr->cache.depth > best_depth ||
                (o->attr->cache.depth == best_depth && o->attr->cache.size > best)) {
                best_depth = o->attr->cache.depth;
                best = (size_t)o->attr->cache.size;
            }
        }
    }
    return best;
}

/* Matrix of NUMA distances (first matrix hwloc has), or JSON null. */
static json_t *cr_distances_json(hwloc_topology_t t)
{
    struct hwloc_distances_s *d[1];
    unsigned nr = 1;
    json_t *m;
    if (hwloc_distances_get_by_type(t, HWLOC_OBJ_NUMANODE, &nr, d, 0, 0) != 0 || nr == 0)
        return json_null();
    m = json_array();
    for (unsigned i = 0; m && i < d[0]->nbobjs; i++) {
        json_t *row = json_array();
        for (unsigned j = 0; row && j < d[0]->nbobjs; j++)
            json_array_append_new(row, json_integer((json_int_t)d[0]->values[i * d[0]->nbobjs + j]));
        if (row == NULL || json_array_append_new(m, row) != 0) {
            json_decref(m);
            m = NULL;
        }
    }
    hwloc_distances_release(t, d[0]);
    return m;
}

int cr_topo_nics(hwloc_topology_t t, cr_nic_t *nics, int max)
{
    int n = 0;
    for (hwloc_obj_t o = hwloc_get_next_osdev(t, NULL); o && n < max; o = hwloc_get_next_osdev(t, o)) {
        hwloc_obj_osdev_type_t k = o->attr->osdev.type;
        hwloc_obj_t p = o->parent;
        cr_nic_t nic = { .pci_GBps = 0 };
        if (k != HWLOC_OBJ_OSDEV_NETWORK && k != HWLOC_OBJ_OSDEV_OPENFABRICS)
            continue;
        snprintf(nic.name, sizeof nic.name, "%s", o->name ? o->name : "?");
        snprintf(nic.kind, sizeof nic.kind, "%s", k == HWLOC_OBJ_OSDEV_NETWORK ? "net" : "ib");
        while (p && p->type != HWLOC_OBJ_PCI_DEVICE)
            p = p->parent;
        if (p) {
            snprintf(nic.pci, sizeof nic.pci, "%04x:%02x:%02x.%01x", p->attr->pcidev.domain,
                     p->attr->pcidev.bus, p->attr->pcidev.dev, p->attr->pcidev.func);
            nic.pci_GBps = p->attr->pcidev.linkspeed;
        }
        nics[n++] = nic;
    }
    return n;
}

static json_t *cr_nics_json(hwloc_topology_t t)
{
    cr_nic_t nics[64];
    int n = cr_topo_nics(t, nics, 64);
    json_t *arr = json_array();
    for (int i = 0; arr && i < n; i++) {
        json_t *o = json_pack("{s:s,s:s,s:o,s:o}", "name", nics[i].name, "kind", nics[i].kind,
                              "pci", nics[i].pci[0] ? json_string(nics[i].pci) : json_null(),
                              "pci_GBps", nics[i].pci_GBps > 0 ? json_real(nics[i].pci_GBps)
                                                               : json_null());
        if (o == NULL || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

json_t *cr_topo_summary(hwloc_topology_t t, const char *host)
{
    json_t *caches = json_array();
    json_t *o = json_pack("{s:s,s:i,s:i,s:i,s:i,s:b}", "host", host ? host : "",
                          "packages", hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE),
                          "numa_nodes", hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE),
                          "cores", hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE),
                          "pus", hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU),
                          "libnuma", cr_mem_have_numa());
    if (o == NULL || caches == NULL || cr_caches_json(t, caches) != 0 ||
        json_object_set_new(o, "caches", caches) != 0)
        goto out_nomem;
    caches = NULL;
    if (json_object_set_new(o, "numa_distances", cr_distances_json(t)) != 0 ||
        json_object_set_new(o, "nics", cr_nics_json(t)) != 0)
        goto out_nomem;
    return o;
out_nomem:
    json_decref(caches);
    json_decref(o);
    cr_error_at(__FILE__, __LINE__, "cannot build the topology summary (out of memory)");
    return NULL;
}

cr_status_t cr_topo_gather(MPI_Comm world, const cr_place_t *pl, int n, hwloc_topology_t t,
                           json_t **out)
{
    int rank;
    json_t *mine = NULL;
    cr_status_t st;
    if (MPI_Comm_rank(world, &rank) != MPI_SUCCESS) {
        cr_error_at(__FILE__, __LINE__, "MPI_Comm_rank failed");
        return CR_ERR_MPI;
    }
    if (rank < n && pl[rank].local_rank == 0)
        mine = cr_topo_summary(t, pl[rank].host);  /* NULL: this host is left out */
    st = cr_place_gather_json(world, pl, n, mine, out);
    json_decref(mine);
    return st;
}
