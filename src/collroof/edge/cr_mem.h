/* Benchmark buffers: page-aligned, NUMA-placed per --mem (libnuma at the edge). */
#ifndef CR_MEM_H
#define CR_MEM_H

#include <stddef.h>
#include "cr_error.h"
#include "cr_opts.h"
#include "cr_memlimit.h"

typedef struct cr_buf {
    void *ptr;
    size_t bytes;          /* usable bytes asked for */
    size_t mapped;         /* bytes actually mapped (page/huge-page rounded) */
    int how;               /* private: how it was obtained, for cr_mem_free */
    char placed[32];       /* where the pages ended up: "numa:0", "interleave", "mixed",
                            * or "default" when NUMA is unavailable (plain allocation) */
    char pages[12];        /* "base", "hugetlb" (MAP_HUGETLB) or "thp" (madvise) */
} cr_buf_t;

/* Allocate and first-touch `bytes` under the policy in o (--mem, --huge-pages),
 * verify where the pages are (move_pages), and fill out->placed and out->pages.
 * --mem local = the NUMA node of the CPU this rank runs on (preferred);
 * node:N = bound to node N (CR_ERR_INVAL naming the nodes there are if N is not
 * one of them); interleave = over the allowed nodes; default = the kernel's policy.
 * Pages not where asked give one warning. Without NUMA support: plain allocation,
 * placed = "default". --huge-pages: MAP_HUGETLB, else madvise(MADV_HUGEPAGE), else
 * base pages and one warning saying how to enable them. */
cr_status_t cr_mem_alloc(size_t bytes, const cr_opts_t *o, cr_buf_t *out);
void cr_mem_free(cr_buf_t *b);

/* Is --mem possible on this host (node:N exists and may be used)? No output: the
 * message goes to err. */
cr_status_t cr_mem_policy_check(const cr_opts_t *o, char *err, size_t len);

/* 1 when libnuma works on this host; 0 (kernel without NUMA, a container that hides
 * it) means every buffer gets the plain allocation, recorded as mem=default. */
int cr_mem_have_numa(void);

/* Bytes this rank may still allocate: min(MemAvailable, the room under the tightest
 * cgroup memory limit on its path, shared by the ranks in that cgroup); 0 if unknown.
 * COLLROOF_PROCFS_ROOT and COLLROOF_SYSFS_ROOT (testing only) replace /proc and /sys. */
size_t cr_mem_available(void);
/* The same with where the figure comes from (cr_memlimit.h). */
void cr_mem_limit(cr_memlimit_t *out);

/* --cold-cache: `count` page-aligned buffers of `bytes` each in one allocation,
 * handed out in rotation, so a buffer comes back only after the others (together
 * more than twice the last-level cache when `cold`) have been touched. */
typedef struct cr_mem_pool {
    cr_buf_t region;       /* the one allocation holding every buffer */
    size_t bytes;          /* usable bytes per buffer */
    size_t stride;         /* distance between buffers: bytes rounded up to the page */
    int count;             /* buffers in the rotation */
    int next;              /* index of the buffer cr_mem_pool_next returns next */
    int cold;              /* 1: (count-1)*bytes >= 2*llc, each reuse finds cold data */
} cr_mem_pool_t;

#define CR_MEM_POOL_MAX 4096   /* most buffers in a pool (small sizes cannot be cold) */

/* count = max(min_count, ceil(2*llc_bytes/bytes) + 1), at most CR_MEM_POOL_MAX;
 * llc_bytes from cr_topo_llc_bytes (0 = unknown: min_count buffers, not cold);
 * bytes = 0 (no data): min_count.
 * Placement as cr_mem_alloc. */
cr_status_t cr_mem_pool_alloc(size_t bytes, int min_count, size_t llc_bytes,
                              const cr_opts_t *o, cr_mem_pool_t *out);
/* Buffers such a pool holds (the count rule above), without allocating. */
int cr_mem_pool_count(size_t bytes, int min_count, size_t llc_bytes);
/* The next buffer of the rotation (page-aligned, `bytes` usable). */
void *cr_mem_pool_next(cr_mem_pool_t *p);
void cr_mem_pool_free(cr_mem_pool_t *p);

#endif
