/* Size specs (cr_sizes.c): any text is refused with a message or parsed into
 * sizes in [1, 1 PiB] that print (cr_size_format) and parse back to themselves. */
#include "config.h"

#include "fuzz.h"
#include "cr_sizes.h"

#include <stdlib.h>
#include <string.h>

#define CR_FUZZ_SIZE_MAX (UINT64_C(1) << 50)

static void cr_fuzz_roundtrip(uint64_t v)
{
    char buf[32], err[256];
    uint64_t back = 0;
    if (v == 0 || v > CR_FUZZ_SIZE_MAX) abort();
    if (cr_size_parse(cr_size_format(v, buf, sizeof buf), &back, err, sizeof err) != CR_OK ||
        back != v)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = cr_fuzz_str(data, size), err[256];
    uint64_t one, *v = NULL;
    size_t n = 0;
    if (!s) return 0;
    err[0] = '\0';
    if (cr_size_parse(s, &one, err, sizeof err) == CR_OK) cr_fuzz_roundtrip(one);
    else if (!err[0]) abort();   /* a refusal always says why */
    err[0] = '\0';
    if (cr_sizes_parse(s, &v, &n, err, sizeof err) == CR_OK) {
        if (n == 0) abort();
        for (size_t i = 0; i < n; i++) cr_fuzz_roundtrip(v[i]);
        free(v);
    } else if (!err[0]) {
        abort();
    }
    free(s);
    return 0;
}
