/* The link catalog (share/collroof/links.csv, docs/formats.md "links.csv"): link
 * classes with their rates, reach and energy per bit as a low-high range, each row
 * citing its source. A strict reader (header by name, plain decimals, low <= high,
 * a source on every row) and the merge of a user's file over the shipped one. Pure
 * but for reading the files. */
#ifndef FIT_LINKS_H
#define FIT_LINKS_H

#include <stddef.h>
#include "cr_error.h"

#define CR_LINKS_MAX 64          /* classes in one catalog */
#define CR_LINKS_NAME 48         /* class id: [a-z0-9._-], 1..47 characters */
#define CR_LINKS_TEXT 512        /* a text cell */

/* One class. Rates Gb/s (1e9 bit/s), reach metres, energy pJ per bit crossing one
 * link (both ends), latency ns. NAN: the row leaves that figure empty. */
typedef struct cr_link_class {
    char id[CR_LINKS_NAME];
    char description[CR_LINKS_TEXT];
    int optical;                 /* medium: 0 electrical, 1 optical */
    double lane_Gbps;            /* > 0 */
    int lanes;                   /* >= 1 */
    double port_Gbps;            /* > 0 */
    double reach_m;              /* > 0, or NAN: not given */
    double pJ_lo, pJ_hi;         /* 0 <= lo <= hi */
    double lat_lo_ns, lat_hi_ns; /* 0 <= lo <= hi, or both NAN */
    char includes[CR_LINKS_TEXT];  /* what the figure includes (module, retimers, ...) */
    char source_kind[16];        /* datasheet|standard|paper|press|quoted|user-given */
    char source[CR_LINKS_TEXT];  /* title + URL or standard clause; never empty */
    char notes[CR_LINKS_TEXT];
    char origin[300];            /* "FILE:LINE" the row was read from */
    int user;                    /* 1: from the user's --links file */
} cr_link_class_t;

typedef struct cr_links {
    cr_link_class_t cls[CR_LINKS_MAX];
    int n;
} cr_links_t;

/* The columns, in docs/formats.md's order; the header names each once, in any order. */
extern const char *const cr_links_cols[];

/* Reads one catalog file into *out (replacing rows of the same class id, adding
 * new ones). user: the user's own file, where source_kind user-given is allowed.
 * CR_OK, or CR_ERR_INVAL / CR_ERR_IO with "FILE:LINE: what is wrong" in err. */
cr_status_t cr_links_read(const char *path, int user, cr_links_t *out, char *err, size_t errlen);

/* The shipped catalog's path: $COLLROOF_LINKS_CATALOG when set, else
 * $(pkgdatadir)/links.csv when readable, else the source tree's copy. */
const char *cr_links_default_path(void);

/* The shipped catalog, then user_path (NULL: none) over it. */
cr_status_t cr_links_load(const char *user_path, cr_links_t *out, char *err, size_t errlen);

/* The class with that id, or NULL. */
const cr_link_class_t *cr_links_find(const cr_links_t *l, const char *id);

/* "a, b, c": the class ids, truncated to len. */
const char *cr_links_ids(const cr_links_t *l, char *buf, size_t len);

#endif
