/* Energy counters of one host from Linux powercap (RAPL): the zones
 * intel-rapl:N (package-N), their subzones intel-rapl:N:M (dram, core, uncore) and
 * the same names under amd-rapl, each a directory with `name`, `energy_uj` (µJ,
 * wraps to 0 past `max_energy_range_uj`). Pure: files under a root directory
 * (/sys/class/powercap; COLLROOF_POWERCAP_ROOT in tests), no MPI. docs/method.md,
 * "Energy". */
#ifndef CR_POWERCAP_H
#define CR_POWERCAP_H

#include <jansson.h>
#include <stdint.h>

#define CR_PC_ROOT "/sys/class/powercap"
#define CR_PC_ROOT_ENV "COLLROOF_POWERCAP_ROOT"   /* testing only: a fake tree */
#define CR_PC_MAX 32                              /* zones kept per host */
/* Power assumed for a wrap-period estimate when the zone states none (W): above
 * what one server package draws, so the estimate errs short. */
#define CR_PC_ASSUMED_W 500.0

/* Which zones are summed: packages (core and uncore are inside them) and DRAM
 * (outside them). psys (the platform), core and uncore are listed, never summed. */
typedef enum cr_pc_kind { CR_PC_PACKAGE, CR_PC_DRAM, CR_PC_OTHER } cr_pc_kind_t;
#define CR_PC_KINDS 2   /* summed kinds: CR_PC_PACKAGE, CR_PC_DRAM */

typedef struct cr_pc_domain {
    char zone[64];        /* directory name: intel-rapl:0, intel-rapl:0:1 */
    char path[1024];      /* its directory */
    char name[32];        /* its `name`: package-0, dram, core, uncore, psys */
    cr_pc_kind_t kind;
    uint64_t range_uj;    /* max_energy_range_uj: energy_uj wraps to 0 past it */
    double power_w;       /* constraint_0_max_power_uw in W; 0 when not stated */
    int usable;           /* name, range and energy_uj read */
    char why[256];        /* not usable: the file and why */
} cr_pc_domain_t;

typedef struct cr_pc {
    char root[1024];
    cr_pc_domain_t d[CR_PC_MAX];   /* sorted by zone */
    int n;
    int have[CR_PC_KINDS];         /* 1: zones of that kind exist and all are usable */
    char why[512];                 /* nothing usable: the path tried and why */
} cr_pc_t;

/* Scans root (a directory of zones, flat as /sys/class/powercap lists them or
 * nested as /sys/devices/virtual/powercap holds them; duplicates counted once).
 * Zones whose files cannot be read are kept, not usable, with why. Returns the
 * number of kinds usable (0: why says which path was tried and why). */
int cr_pc_scan(const char *root, cr_pc_t *pc);

/* energy_uj of every zone into uj[pc->n] (0 for a zone not usable). 0, or -1 with
 * why naming the file when a usable zone could not be read. */
int cr_pc_read(const cr_pc_t *pc, uint64_t *uj, char *why, size_t wl);

/* µJ from before to after of a counter that wraps past range: at most one wrap
 * (docs/method.md: a wrap period is far longer than a measurement's loop). -1 when
 * a reading lies above range. */
int cr_pc_delta(uint64_t before, uint64_t after, uint64_t range, uint64_t *out);

/* Energy of each summed kind between two readings, J, into J[CR_PC_KINDS]
 * (0 for a kind not usable). -1 with why on a reading above its range. */
int cr_pc_energy(const cr_pc_t *pc, const uint64_t *before, const uint64_t *after,
                 double *J, char *why, size_t wl);

/* Shortest time in which a summed zone's counter can wrap, s: range over the
 * zone's stated power (constraint_0_max_power_uw), or CR_PC_ASSUMED_W; INFINITY
 * when no kind is usable. A loop longer than this may hide a second wrap. */
double cr_pc_wrap_s(const cr_pc_t *pc);

/* What the metadata records of a host: {"root","zones":[{zone,name,kind,
 * max_energy_range_uj,usable[,why]}],"package":bool,"dram":bool,"wrap_s"[,"why"]}.
 * NULL on allocation failure. */
json_t *cr_pc_to_json(const cr_pc_t *pc);

/* "package", "dram" or "other". */
const char *cr_pc_kind_str(cr_pc_kind_t k);

#endif
