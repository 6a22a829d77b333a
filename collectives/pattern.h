/* The fill pattern and checks shared by the collective plug-ins (pure, no MPI).
 *
 * Element i of the block that rank src sends to rank dst (dst = -1 where the
 * destination does not matter) holds
 *     v(src, dst, i) = ((11·src + 7·(dst + 1) + g(src)·i + 5) mod 31) − 15,
 *     g(src) = 1 + (src / 31) mod 30,
 * a small integer in [−15, 15]. Neighbouring elements differ (g ≠ 0 mod 31), so
 * off-by-one offsets are caught; blocks of ranks < 31 apart, or of different
 * destinations < 31 apart, differ in every element; ranks 31 apart differ through
 * g in all elements but one in 31 (for the first 930 ranks). A sum over the p
 * sources depends only on (dst, i mod 31), so a reduction is checked from a
 * 31-entry table, in O(p + n). Output buffers are poisoned with CR_PATTERN_POISON. */
#ifndef CR_PATTERN_H
#define CR_PATTERN_H

#include <stddef.h>
#include "cr_dtype.h"

#define CR_PATTERN_POISON 99 /* outside [−15, 15]: never a valid element */

long cr_pattern_value(int src, int dst, size_t i);

/* Start of block b in a buffer of blocks of n elements each. */
void *cr_pattern_block(const cr_dtype_t *dt, void *buf, size_t n, size_t b);

/* buf[i] = v(src, dst, i) for i < n. */
void cr_pattern_fill(const cr_dtype_t *dt, void *buf, size_t n, int src, int dst);
/* buf[i] = CR_PATTERN_POISON for i < n. */
void cr_pattern_poison(const cr_dtype_t *dt, void *buf, size_t n);

/* Elements i < n of buf that are not exactly v(src, dst, i). */
size_t cr_pattern_check(const cr_dtype_t *dt, const void *buf, size_t n, int src, int dst);
/* Elements i < n of buf farther than cr_dtype_sum_tolerance from the sum over
 * src = 0 … p−1 of v(src, dst, i) (exact for integer types). */
size_t cr_pattern_check_sum(const cr_dtype_t *dt, const void *buf, size_t n, int p, int dst);

#endif
