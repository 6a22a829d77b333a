#include "config.h"

#include "cr_result.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const cr_stop_names[] = {"precision", "iters", "time", NULL};
const char *const cr_valid_names[] = {"pass", "fail", "skipped", NULL};
const char *const cr_variant_names[] = {"blocking", "nonblocking", NULL};
const char *const cr_cadence_names[] = {"isolated", "streaming", "overlap", "overlap_test", NULL};

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

int cr_name_is_plain(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '_' && s[n] != '.' && s[n] != '-')
            return 0;
    return n > 0 && n < CR_NAME_LEN;
}

const char *cr_name_show(const char *s, char *buf, size_t len)
{
    size_t o = 0;
    if (!len) return buf;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        size_t need = c >= 0x20 && c < 0x7f ? 1 : 4;
        if (o + need + 4 > len) {   /* room for "..." and the terminator */
            if (len >= 4) {
                memcpy(buf + (o + 4 > len ? len - 4 : o), "...", 3);
                o = o + 4 > len ? len - 1 : o + 3;
            }
            break;
        }
        if (need == 1) buf[o++] = (char)c;
        else o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
    }
    buf[o < len ? o : len - 1] = '\0';
    return buf;
}

void cr_result_no_energy(cr_result_t *r)
{
    r->energy.loop_s = r->energy.pkg_J = r->energy.pkg_J_sum = NAN;
    r->energy.dram_J = r->energy.dram_J_sum = NAN;
    r->energy.pJ_per_B = r->energy.pJ_per_B_sum = NAN;
}

void cr_result_no_wire(cr_result_t *r)
{
    r->wire.tx = r->wire.tx_max = r->wire.rx = r->wire.bg = r->wire.min = r->wire.eff = NAN;
    r->wire.bg_high = 0;
}

int cr_cadence_parse(const char *name, cr_cadence_t *out)
{
    int i = cr_name_index(cr_cadence_names, name);
    if (i >= 0) *out = (cr_cadence_t)i;
    return i >= 0 ? 0 : -1;
}

int cr_cadence_is_overlap(cr_cadence_t c)
{
    return c == CR_CADENCE_OVERLAP || c == CR_CADENCE_OVERLAP_TEST;
}
