#include "config.h"

#include "cr_schema_json.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CR_CFIELD(type, c, r) ((const type *)((const char *)(r) + (c)->off))
#define CR_FIELD(type, c, r) ((type *)((char *)(r) + (c)->off))

static json_t *cr_schema_json_value(const cr_col_t *c, const void *r)
{
    int e;
    switch (c->type) {
    case CR_COL_STR: return json_string(CR_CFIELD(char, c, r));
    case CR_COL_INT: return json_integer(*CR_CFIELD(int, c, r));
    case CR_COL_U64: return json_integer((json_int_t)*CR_CFIELD(uint64_t, c, r));
    case CR_COL_SIZE: return json_integer((json_int_t)*CR_CFIELD(size_t, c, r));
    case CR_COL_DBL:
        if (c->empty && isnan(*CR_CFIELD(double, c, r))) return json_null();
        return json_real(*CR_CFIELD(double, c, r));   /* NULL for NaN, inf */
    case CR_COL_ENUM:
        e = *CR_CFIELD(int, c, r);
        for (int i = 0; c->names[i]; i++)
            if (i == e) return json_string(c->names[i]);
        return NULL;
    }
    return NULL;
}

json_t *cr_schema_to_json(const cr_result_t *r)
{
    json_t *o = json_object();
    if (!o || json_object_set_new(o, "type", json_string("measurement")) != 0) goto out_with_obj;
    for (size_t i = 0; i < cr_schema_n; i++)
        if (json_object_set_new(o, cr_schema[i].name, cr_schema_json_value(&cr_schema[i], r)))
            goto out_with_obj;
    return o;
out_with_obj:
    json_decref(o);
    return NULL;
}

json_t *cr_schema_row_json(const cr_col_t *cols, size_t n, const void *row)
{
    json_t *o = json_object();
    if (!o) return NULL;
    for (size_t i = 0; i < n; i++)
        if (json_object_set_new(o, cols[i].name, cr_schema_json_value(&cols[i], row))) {
            json_decref(o);
            return NULL;
        }
    return o;
}

int cr_schema_from_json(const cr_col_t *c, const json_t *v, cr_result_t *r, char *why,
                        size_t wl)
{
    const char *s;
    char names[128];
    json_int_t iv;
    double d;
    switch (c->type) {
    case CR_COL_STR:
        if (!json_is_string(v)) break;
        s = json_string_value(v);
        if (strlen(s) >= CR_NAME_LEN || !cr_schema_str_ok(s)) {
            char shown[64];
            snprintf(why, wl, "key '%s': '%s' is not a name (under %d characters of printable "
                     "ASCII, no ',' or '\"')", c->name, cr_name_show(s, shown, sizeof shown),
                     CR_NAME_LEN);
            return -1;
        }
        strcpy(CR_FIELD(char, c, r), s);
        return 0;
    case CR_COL_INT:
    case CR_COL_U64:
    case CR_COL_SIZE:
        if (!json_is_integer(v)) break;
        iv = json_integer_value(v);
        if (iv < (json_int_t)c->min || (c->type == CR_COL_INT && iv > INT_MAX)) break;
        if (c->type == CR_COL_INT) *CR_FIELD(int, c, r) = (int)iv;
        else if (c->type == CR_COL_U64) *CR_FIELD(uint64_t, c, r) = (uint64_t)iv;
        else *CR_FIELD(size_t, c, r) = (size_t)iv;
        return 0;
    case CR_COL_DBL:
        if (c->empty && json_is_null(v)) {   /* not measured */
            *CR_FIELD(double, c, r) = NAN;
            return 0;
        }
        if (!json_is_number(v)) break;
        d = json_number_value(v);
        if (isfinite(c->min) && !(isfinite(d) && d >= c->min)) break;
        *CR_FIELD(double, c, r) = d;
        return 0;
    case CR_COL_ENUM:
        if (!json_is_string(v)) break;
        s = json_string_value(v);
        for (int e = 0; c->names[e]; e++)
            if (!strcmp(s, c->names[e])) {
                *CR_FIELD(int, c, r) = e;
                return 0;
            }
        break;
    }
    switch (c->type) {
    case CR_COL_STR: snprintf(why, wl, "key '%s' must be a string", c->name); break;
    case CR_COL_INT:
    case CR_COL_U64:
    case CR_COL_SIZE:
        snprintf(why, wl, "key '%s' must be an integer >= %.0f%s", c->name, c->min,
                 c->type == CR_COL_INT ? " that fits an int" : "");
        break;
    case CR_COL_DBL:
        snprintf(why, wl, "key '%s' must be a number >= %g%s", c->name, c->min,
                 c->empty ? " or null" : "");
        break;
    case CR_COL_ENUM:
        cr_schema_names(c, names, sizeof names);
        snprintf(why, wl, "key '%s' must be %s", c->name, names);
        break;
    }
    return -1;
}
