#include "config.h"

#include "cr_result.h"

#include <string.h>

const char *const cr_stop_names[] = {"precision", "iters", "time", NULL};
const char *const cr_valid_names[] = {"pass", "fail", "skipped", NULL};
const char *const cr_variant_names[] = {"blocking", "nonblocking", NULL};

const char *cr_stop_str(cr_stop_t s) { return cr_stop_names[s]; }
const char *cr_valid_str(cr_valid_t v) { return cr_valid_names[v]; }

/* Index of name in a NULL-terminated list; -1 when absent. */
static int cr_name_index(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

int cr_stop_parse(const char *name, cr_stop_t *out)
{
    int i = cr_name_index(cr_stop_names, name);
    if (i >= 0) *out = (cr_stop_t)i;
    return i >= 0 ? 0 : -1;
}

int cr_result_fresh_memory(double faults_per_call, uint64_t bytes)
{
    return faults_per_call >= 16 && faults_per_call * 4096.0 >= 0.1 * (double)bytes;
}

int cr_valid_parse(const char *name, cr_valid_t *out)
{
    int i = cr_name_index(cr_valid_names, name);
    if (i >= 0) *out = (cr_valid_t)i;
    return i >= 0 ? 0 : -1;
}

int cr_variant_parse(const char *name, cr_variant_t *out)
{
    int i = cr_name_index(cr_variant_names, name);
    if (i >= 0) *out = (cr_variant_t)i;
    return i >= 0 ? 0 : -1;
}
