/* Benchmark buffers: mmap'ed (page-aligned), placed with mbind, verified with move_pages. */
#include "config.h"

#include "cr_mem.h"

#include <errno.h>
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if HAVE_LIBNUMA
#include <numa.h>
#include <numaif.h>
#endif

enum { CR_HOW_NONE, CR_HOW_MMAP };
#define CR_SAMPLE_PAGES 1024   /* pages whose node is checked, evenly spread */
#define CR_MAX_NODES 1024

/* A "Key:   N kB" line of /proc/meminfo in bytes; 0 if absent. */
static size_t cr_meminfo(const char *key)
{
    char line[256];
    size_t v = 0, klen = strlen(key);
    FILE *fp = fopen("/proc/meminfo", "r");
    if (fp == NULL)
        return 0;
    while (fgets(line, sizeof line, fp))
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            v = strtoull(line + klen + 1, NULL, 10) * 1024;
            break;
        }
    fclose(fp);
    return v;
}

void cr_mem_limit(cr_memlimit_t *out)
{
    const char *proc = getenv("COLLROOF_PROCFS_ROOT"), *sys = getenv("COLLROOF_SYSFS_ROOT");
    cr_memlimit_read(proc && proc[0] ? proc : "/proc", sys && sys[0] ? sys : "/sys", out);
}

size_t cr_mem_available(void)
{
    cr_memlimit_t m;
    cr_mem_limit(&m);
    return m.avail > (uint64_t)SIZE_MAX ? SIZE_MAX : (size_t)m.avail;
}

static int cr_thp_never(void)
{
    char s[128] = "";
    FILE *fp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (fp == NULL)
        return 1;
    if (fgets(s, sizeof s, fp) == NULL)
        s[0] = '\0';
    fclose(fp);
    return strstr(s, "[never]") != NULL || s[0] == '\0';
}

static size_t cr_round_up(size_t x, size_t to) { return (x + to - 1) / to * to; }

/* Map `bytes` (rounded), huge pages when asked; fills ptr, mapped, how, pages. */
static cr_status_t cr_mem_map(size_t bytes, int huge, cr_buf_t *b)
{
    static int warned;
    size_t page = (size_t)sysconf(_SC_PAGESIZE), hpage = cr_meminfo("Hugepagesize");
    void *p = MAP_FAILED;

    if (hpage == 0)
        hpage = 2u << 20;
    b->mapped = cr_round_up(bytes ? bytes : 1, huge ? hpage : page);
    snprintf(b->pages, sizeof b->pages, "base");
    if (huge) {
        p = mmap(NULL, b->mapped, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
        if (p != MAP_FAILED)
            snprintf(b->pages, sizeof b->pages, "hugetlb");
    }
    if (p == MAP_FAILED)
        p = mmap(NULL, b->mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        cr_error_at(__FILE__, __LINE__, "cannot map %zu bytes: %s", b->mapped, strerror(errno));
        return CR_ERR_NOMEM;
    }
    if (huge && strcmp(b->pages, "hugetlb") != 0) {
        if (!cr_thp_never() && madvise(p, b->mapped, MADV_HUGEPAGE) == 0) {
            snprintf(b->pages, sizeof b->pages, "thp");
        } else if (!warned++) {
            cr_warn("--huge-pages: no huge pages available, using base pages: no hugetlb pages "
                    "are reserved (echo N > /proc/sys/vm/nr_hugepages) and transparent huge "
                    "pages are off (/sys/kernel/mm/transparent_hugepage/enabled = never)");
        }
    }
    b->ptr = p;
    b->how = CR_HOW_MMAP;
    return CR_OK;
}

#if HAVE_LIBNUMA
int cr_mem_have_numa(void) { return numa_available() >= 0; }

/* May this rank place memory on node (without NUMA: node 0 only)? *maxnode = the
 * highest node number of the host. */
static int cr_mem_node_usable(int node, int *maxnode)
{
    struct bitmask *allowed;
    int ok;
    *maxnode = 0;
    if (!cr_mem_have_numa()) return node == 0;
    *maxnode = numa_max_node();
    allowed = numa_get_mems_allowed();
    ok = allowed && node <= *maxnode && numa_bitmask_isbitset(allowed, (unsigned)node);
    if (allowed) numa_bitmask_free(allowed);
    return ok;
}

/* Apply the --mem policy to the mapping before first touch; *want = node asked (-1 none). */
static cr_status_t cr_mem_policy(const cr_opts_t *o, cr_buf_t *b, int *want)
{
    struct bitmask *mask;
    int mode;
    long rc;

    *want = -1;
    if (o->mem == CR_MEM_DEFAULT)
        return CR_OK;
    if (o->mem == CR_MEM_NODE) {
        char err[256];
        if (cr_mem_policy_check(o, err, sizeof err) != CR_OK) {
            cr_error("%s", err);
            return CR_ERR_INVAL;
        }
    }
    mask = o->mem == CR_MEM_INTERLEAVE ? numa_get_mems_allowed() : numa_allocate_nodemask();
    if (mask == NULL) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate a NUMA node mask");
        return CR_ERR_NOMEM;
    }
    if (o->mem == CR_MEM_LOCAL) {
        int cpu = sched_getcpu();
        *want = cpu >= 0 ? numa_node_of_cpu(cpu) : -1;
        if (*want < 0)
            *want = 0;
        numa_bitmask_setbit(mask, (unsigned)*want);
        mode = MPOL_PREFERRED;
    } else if (o->mem == CR_MEM_NODE) {
        *want = o->mem_node;
        numa_bitmask_setbit(mask, (unsigned)*want);
        mode = MPOL_BIND;
    } else {
        mode = MPOL_INTERLEAVE;
    }
    rc = mbind(b->ptr, b->mapped, mode, mask->maskp, mask->size + 1, 0);
    numa_bitmask_free(mask);
    if (rc != 0) {
        cr_error_at(__FILE__, __LINE__, "mbind(%zu bytes) failed: %s", b->mapped, strerror(errno));
        return CR_ERR_TOPO;
    }
    return CR_OK;
}

/* Where the pages are: count per node over a sample of pages; placed string; warning. */
static void cr_mem_verify(const cr_opts_t *o, int want, cr_buf_t *b)
{
    size_t step = (size_t)sysconf(_SC_PAGESIZE);  /* inside a huge page: its node */
    size_t npages = b->mapped / step, ns = npages < CR_SAMPLE_PAGES ? npages : CR_SAMPLE_PAGES;
    void *addr[CR_SAMPLE_PAGES];
    int status[CR_SAMPLE_PAGES], count[CR_MAX_NODES] = { 0 }, used = 0, last = -1, known = 0;

    for (size_t i = 0; i < ns; i++)
        addr[i] = (char *)b->ptr + (i * npages / ns) * step;
    if (move_pages(0, (unsigned long)ns, addr, NULL, status, 0) != 0)
        for (size_t i = 0; i < ns; i++) {
            int node = -1;
            status[i] = get_mempolicy(&node, NULL, 0, addr[i], MPOL_F_NODE | MPOL_F_ADDR) == 0
                        ? node : -1;
        }
    for (size_t i = 0; i < ns; i++)
        if (status[i] >= 0 && status[i] < CR_MAX_NODES) {
            used += count[status[i]]++ == 0;
            last = status[i];
            known++;
        }
    if (known == 0)
        snprintf(b->placed, sizeof b->placed, "unknown");
    else if (used == 1)
        snprintf(b->placed, sizeof b->placed, "numa:%d", last);
    else
        snprintf(b->placed, sizeof b->placed, "%s", o->mem == CR_MEM_INTERLEAVE ? "interleave" : "mixed");
    if (want >= 0 && known > 0 && count[want] < known)
        cr_warn("--mem %s: only %d of %d sampled pages are on NUMA node %d (placed: %s); "
                "the node may be short of free memory", o->mem == CR_MEM_LOCAL ? "local" : "node",
                count[want], known, want, b->placed);
    else if (o->mem == CR_MEM_INTERLEAVE && used == 1 && numa_num_configured_nodes() > 1)
        cr_warn("--mem interleave: all sampled pages are on NUMA node %d", last);
}

#else /* built without libnuma: every buffer gets the plain allocation (mem=default) */
int cr_mem_have_numa(void) { return 0; }

static int cr_mem_node_usable(int node, int *maxnode)
{
    *maxnode = 0;
    return node == 0;
}

static cr_status_t cr_mem_policy(const cr_opts_t *o, cr_buf_t *b, int *want)
{
    (void)o; (void)b;
    *want = -1;
    return CR_OK;
}

static void cr_mem_verify(const cr_opts_t *o, int want, cr_buf_t *b)
{
    (void)o; (void)want;
    snprintf(b->placed, sizeof b->placed, "default");
}
#endif

cr_status_t cr_mem_policy_check(const cr_opts_t *o, char *err, size_t len)
{
    int maxnode = 0;
    if (o->mem != CR_MEM_NODE) return CR_OK;
    if (cr_mem_node_usable(o->mem_node, &maxnode)) return CR_OK;
    snprintf(err, len, "--mem node:%d: this host has no NUMA node %d that this rank may use "
             "(nodes 0-%d; see numactl -H)", o->mem_node, o->mem_node, maxnode);
    return CR_ERR_INVAL;
}

cr_status_t cr_mem_alloc(size_t bytes, const cr_opts_t *o, cr_buf_t *out)
{
    cr_buf_t b = { .bytes = bytes };
    int want = -1, numa = cr_mem_have_numa();
    cr_status_t st;

    CR_CHECK(cr_mem_map(bytes, o->huge_pages, &b));
    if (numa)
        CR_CHECK_GOTO(cr_mem_policy(o, &b, &want), st, out_with_map);
    memset(b.ptr, 0, b.mapped);  /* first touch: the policy places the pages now */
    if (numa)
        cr_mem_verify(o, want, &b);
    else
        snprintf(b.placed, sizeof b.placed, "default");
    *out = b;
    return CR_OK;
out_with_map:
    munmap(b.ptr, b.mapped);
    return st;
}

void cr_mem_free(cr_buf_t *b)
{
    if (b && b->how == CR_HOW_MMAP && b->ptr)
        munmap(b->ptr, b->mapped);
    if (b) {
        b->ptr = NULL;
        b->how = CR_HOW_NONE;
    }
}

int cr_mem_pool_count(size_t bytes, int min_count, size_t llc_bytes)
{
    /* No data (bcast's send side, in-place runs): nothing to rotate through. */
    size_t b = bytes ? bytes : 1, want = llc_bytes && bytes ? (2 * llc_bytes + b - 1) / b + 1 : 0;
    if (want < (size_t)(min_count > 1 ? min_count : 1)) want = (size_t)(min_count > 1 ? min_count : 1);
    return want > CR_MEM_POOL_MAX ? CR_MEM_POOL_MAX : (int)want;
}

cr_status_t cr_mem_pool_alloc(size_t bytes, int min_count, size_t llc_bytes,
                              const cr_opts_t *o, cr_mem_pool_t *out)
{
    cr_mem_pool_t p = { .bytes = bytes };
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    p.stride = cr_round_up(bytes ? bytes : 1, page);
    p.count = cr_mem_pool_count(bytes, min_count, llc_bytes);
    if (p.stride > (size_t)-1 / (size_t)p.count) {
        cr_error("--cold-cache: %d buffers of %zu bytes do not fit in memory", p.count, bytes);
        return CR_ERR_NOMEM;
    }
    p.cold = llc_bytes > 0 && (size_t)(p.count - 1) * bytes >= 2 * llc_bytes;
    CR_CHECK(cr_mem_alloc(p.stride * (size_t)p.count, o, &p.region));
    *out = p;
    return CR_OK;
}

void *cr_mem_pool_next(cr_mem_pool_t *p)
{
    void *b = (char *)p->region.ptr + (size_t)p->next * p->stride;
    p->next = (p->next + 1) % p->count;
    return b;
}

void cr_mem_pool_free(cr_mem_pool_t *p)
{
    if (p)
        cr_mem_free(&p->region);
}
