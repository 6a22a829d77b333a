/* Byte counters of one host's network interfaces: Ethernet (and any netdev) from
 * /proc/net/dev, which follows the reader's network namespace, or from
 * /sys/class/net/IF/statistics/{tx,rx}_bytes where /proc/net/dev is absent; and
 * InfiniBand / RoCE ports from /sys/class/infiniband/DEV/ports/N/counters
 * (port_{xmit,rcv}_data, 4-byte units; the 64-bit counters_ext files where present). Pure:
 * files under two roots (/sys and /proc; COLLROOF_SYSFS_ROOT and
 * COLLROOF_PROCFS_ROOT in tests), no MPI. docs/method.md, "Bytes on the wire". */
#ifndef CR_NETCOUNT_H
#define CR_NETCOUNT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define CR_NC_SYSFS "/sys"
#define CR_NC_PROCFS "/proc"
#define CR_NC_SYSFS_ENV "COLLROOF_SYSFS_ROOT"     /* testing only: a fake /sys */
#define CR_NC_PROCFS_ENV "COLLROOF_PROCFS_ROOT"   /* testing only: a fake /proc */
#define CR_NC_MAX 32                              /* interfaces kept per host */
/* Link rate assumed for the wrap period of a 32-bit IB counter whose port states
 * none (bytes/s: 400 Gb/s), above today's ports, so the estimate errs short. */
#define CR_NC_ASSUMED_BPS 50e9

typedef enum cr_nc_src {
    CR_NC_PROCFS_DEV,   /* a line of /proc/net/dev */
    CR_NC_SYSFS_NET,    /* /sys/class/net/IF/statistics */
    CR_NC_IB_PORT,      /* /sys/class/infiniband/DEV/ports/N */
} cr_nc_src_t;

typedef struct cr_nc_if {
    char name[64];        /* eth0; an IB port as DEV:N (mlx5_0:1) */
    cr_nc_src_t src;
    char tx[1024], rx[1024];  /* the counter files (sysfs and IB; empty for procfs) */
    unsigned unit;        /* bytes per count: 1, or 4 for IB port_*_data */
    unsigned width;       /* counter bits: 64, or 32 (legacy IB; the kernel's long) */
    double rate_Bps;      /* IB: the port's `rate` in bytes/s; 0 not known */
} cr_nc_if_t;

typedef struct cr_nc {
    char sysroot[512], procroot[512];
    cr_nc_if_t f[CR_NC_MAX];   /* in the order found: /proc/net/dev's, then IB ports */
    int n;
    char skipped[1024];        /* automatic choice: "IF (why); ..." of those left out */
    char why[512];             /* none found: what was tried and why */
} cr_nc_t;

/* Raw counter readings of every interface (counts, not bytes). */
typedef struct cr_nc_sample {
    uint64_t tx[CR_NC_MAX], rx[CR_NC_MAX];
} cr_nc_sample_t;

/* Finds the interfaces to read. list NULL, "" or "auto": every interface of
 * /proc/net/dev except loopback, less (where sysfs shows the same namespace) those
 * not up, the upper devices stacked on others (bond, VLAN, bridge: their lower
 * devices count the bytes) and IPoIB when IB ports are counted; plus every ACTIVE
 * IB port. "none": none (0, no why). Else a comma list of netdev names and DEV:N
 * ports, each required. Returns the number found: 0 with why when none (auto), -1
 * with why naming an interface of the list that is not there or not readable. */
int cr_nc_scan(const char *sysroot, const char *procroot, const char *list, cr_nc_t *nc);

/* Every interface's counters into *s. 0, or -1 with why naming the file (or the
 * /proc/net/dev line) that could not be read or is malformed. */
int cr_nc_read(const cr_nc_t *nc, cr_nc_sample_t *s, char *why, size_t wl);

/* Counts from before to after of a counter of width bits (64 or 32; a reading
 * above 2^32 − 1 shows a 32-bit one to be 64): at most one wrap. -1 when a 64-bit
 * counter went back (reset) or a 32-bit one reads 2^32 − 1 (saturated, as legacy
 * IB counters stop). */
int cr_nc_delta(uint64_t before, uint64_t after, unsigned width, uint64_t *out);

/* Bytes sent and received over every interface between two readings. 0, or -1
 * with why naming the interface whose counter went back or saturated. */
int cr_nc_bytes(const cr_nc_t *nc, const cr_nc_sample_t *before, const cr_nc_sample_t *after,
                uint64_t *tx, uint64_t *rx, char *why, size_t wl);

/* Shortest time in which a 32-bit counter of the set can wrap at its port's rate
 * (or CR_NC_ASSUMED_BPS), s; INFINITY when every counter has 64 bits. */
double cr_nc_wrap_s(const cr_nc_t *nc);

/* What the metadata records of a host: {"interfaces":[{name,source,unit,width}],
 * "skipped","sysfs","procfs","wrap_s"[,"why"]}. NULL on allocation failure. */
json_t *cr_nc_to_json(const cr_nc_t *nc);

/* "procfs", "sysfs" or "infiniband". */
const char *cr_nc_src_str(cr_nc_src_t s);

#endif
