/* Size sweeps: "MIN:MAX[:xF]" or a comma list, units B/K/M/G (binary). Pure. */
#ifndef CR_SIZES_H
#define CR_SIZES_H

#include <stddef.h>
#include <stdint.h>
#include "cr_error.h"

/* One size: "4096", "4K", "4KB", "1M", "2G" (K = 1024). 0 is rejected. */
cr_status_t cr_size_parse(const char *s, uint64_t *out, char *err, size_t errlen);

/* A sweep. "8:64M" doubles from 8 to 64 MiB, "1K:1M:x4" multiplies by 4,
 * "4K,1M,3M" lists. *out is malloc'd (caller frees), in the order given. */
cr_status_t cr_sizes_parse(const char *spec, uint64_t **out, size_t *n, char *err,
                           size_t errlen);

/* "64K", "3M", "1000" — shortest exact binary-unit spelling, into buf. */
const char *cr_size_format(uint64_t bytes, char *buf, size_t len);

#endif
