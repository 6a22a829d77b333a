/* Level and distance-class names: the table behind cr_level_names.h. */
#include "config.h"

#include "cr_level_names.h"

#include <stdio.h>
#include <string.h>

/* One level: its name and the links its groups cross. */
typedef struct cr_level_def {
    const char *name;
    cr_dist_t link;          /* farthest pair of a group when the run is on one host */
    int spans_hosts;         /* groups span hosts: 1 always, 0 never, -1 when nodes > 1 */
} cr_level_def_t;

static const cr_level_def_t cr_level_defs[CR_LEVEL_COUNT] = {
    [CR_LEVEL_WORLD] = { .name = "world", .link = CR_DIST_NODE, .spans_hosts = -1 },
    [CR_LEVEL_NODE] = { .name = "node", .link = CR_DIST_NODE, .spans_hosts = 0 },
    [CR_LEVEL_PACKAGE] = { .name = "package", .link = CR_DIST_PACKAGE, .spans_hosts = 0 },
    [CR_LEVEL_NUMA] = { .name = "numa", .link = CR_DIST_NUMA, .spans_hosts = 0 },
    [CR_LEVEL_INTERNODE] = { .name = "internode", .link = CR_DIST_INTERNODE, .spans_hosts = 1 },
    [CR_LEVEL_RAIL] = { .name = "rail", .link = CR_DIST_INTERNODE, .spans_hosts = 1 },
};

static const char *const cr_dist_names[CR_DIST_COUNT] = {
    [CR_DIST_NUMA] = "numa", [CR_DIST_PACKAGE] = "package",
    [CR_DIST_NODE] = "node", [CR_DIST_INTERNODE] = "internode",
};

const char *cr_level_name(cr_level_t lv)
{
    return (unsigned)lv < CR_LEVEL_COUNT ? cr_level_defs[lv].name : "unknown";
}

int cr_level_parse(const char *name, cr_level_t *out)
{
    for (int i = 0; name && i < CR_LEVEL_COUNT; i++)
        if (strcmp(name, cr_level_defs[i].name) == 0) {
            *out = (cr_level_t)i;
            return 0;
        }
    return -1;
}

const char *cr_dist_name(cr_dist_t d)
{
    return (unsigned)d < CR_DIST_COUNT ? cr_dist_names[d] : "unknown";
}

int cr_dist_parse(const char *name, cr_dist_t *out)
{
    for (int i = 0; name && i < CR_DIST_COUNT; i++)
        if (strcmp(name, cr_dist_names[i]) == 0) {
            *out = (cr_dist_t)i;
            return 0;
        }
    return -1;
}

const char *cr_level_names(char *buf, size_t len)
{
    size_t n = 0;
    if (len) buf[0] = '\0';
    for (int i = 0; i < CR_LEVEL_COUNT && n < len; i++) {
        int k = snprintf(buf + n, len - n, "%s%s", i ? ", " : "", cr_level_defs[i].name);
        if (k < 0) break;
        n += (size_t)k;
    }
    return buf;
}

int cr_level_link_class(const char *name, int nodes)
{
    cr_level_t lv;
    cr_dist_t d;
    if (cr_level_parse(name, &lv) == 0) {
        const cr_level_def_t *def = &cr_level_defs[lv];
        return def->spans_hosts > 0 || (def->spans_hosts < 0 && nodes > 1) ? CR_DIST_INTERNODE
                                                                           : (int)def->link;
    }
    return cr_dist_parse(name, &d) == 0 ? (int)d : -1;
}
