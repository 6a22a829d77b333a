#include "config.h"

#include "cr_energy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cr_mpi.h"
#include "cr_place.h"

/* Rank 0: what the metadata's hosts say is missing, once. */
static void cr_energy_warn_missing(const cr_energy_t *e, const json_t *hosts)
{
    static const char *const kind[CR_PC_KINDS] = {"package", "dram"};
    const char *host = "?", *why = "no reader reported", *root;
    char what[1100];
    size_t i;
    json_t *h;
    int k = !e->have[CR_PC_PACKAGE] ? CR_PC_PACKAGE : CR_PC_DRAM;
    json_array_foreach(hosts, i, h) {
        if (json_is_true(json_object_get(h, kind[k]))) continue;
        host = json_string_value(json_object_get(h, "host"));
        root = json_string_value(json_object_get(h, "root"));
        why = json_string_value(json_object_get(h, "why"));
        if (!why) {   /* the other kind is there: name the tree searched */
            snprintf(what, sizeof what, "%s: no %s zone that reads", root ? root : "?", kind[k]);
            why = what;
        }
        break;
    }
    if (!e->have[CR_PC_PACKAGE] && !e->have[CR_PC_DRAM])
        cr_warn("energy: host %s has no readable powercap (RAPL) energy counters (%s): the "
                "energy_* columns are left empty (docs/method.md, \"Energy\")",
                host ? host : "?", why);
    else
        cr_warn("energy: host %s has no readable %s counter (%s): the energy_%s_* columns are "
                "left empty and energy_pJ_per_byte counts %s only", host ? host : "?", kind[k],
                why, kind[k], kind[!k]);
}

cr_status_t cr_energy_setup(MPI_Comm world, const cr_place_t *pl, int n, double time_limit,
                            cr_energy_t *e, json_t **meta)
{
    int me, have[CR_PC_KINDS] = {1, 1};
    double wrap = INFINITY;
    json_t *mine = NULL, *hosts = NULL;
    const char *root = getenv(CR_PC_ROOT_ENV);
    cr_status_t st;

    memset(e, 0, sizeof *e);
    *meta = NULL;
    CR_CHECK(CR_MPI(MPI_Comm_rank(world, &me)));
    e->reader = me < n && pl[me].local_rank == 0;
    if (e->reader) {
        cr_pc_scan(root && *root ? root : CR_PC_ROOT, &e->pc);
        for (int k = 0; k < CR_PC_KINDS; k++) have[k] = e->pc.have[k];
        wrap = cr_pc_wrap_s(&e->pc);
        if ((mine = cr_pc_to_json(&e->pc)) != NULL)
            json_object_set_new(mine, "host", json_string(pl[me].host));
    }
    st = cr_place_gather_json(world, pl, n, mine, &hosts);
    json_decref(mine);
    CR_CHECK(st);
    CR_CHECK(CR_MPI(MPI_Allreduce(have, e->have, CR_PC_KINDS, MPI_INT, MPI_MIN, world)));
    CR_CHECK(CR_MPI(MPI_Allreduce(&wrap, &e->wrap_s, 1, MPI_DOUBLE, MPI_MIN, world)));
    if (me != 0) return CR_OK;
    if (!e->have[CR_PC_PACKAGE] || !e->have[CR_PC_DRAM]) cr_energy_warn_missing(e, hosts);
    if ((e->have[CR_PC_PACKAGE] || e->have[CR_PC_DRAM]) && time_limit > e->wrap_s)
        cr_warn("energy: --time-limit %g s is longer than %.3g s, the shortest time in which a "
                "host's energy counter can wrap (max_energy_range_uj at the zone's power "
                "limit, or %g W): a loop that long could wrap twice unseen, so its row leaves "
                "the energy columns empty", time_limit, e->wrap_s, CR_PC_ASSUMED_W);
    *meta = json_pack("{s:b,s:b,s:o,s:o}", "package", e->have[CR_PC_PACKAGE], "dram",
                      e->have[CR_PC_DRAM], "wrap_s",
                      isfinite(e->wrap_s) ? json_real(e->wrap_s) : json_null(), "hosts",
                      hosts ? hosts : json_array());
    if (!*meta) cr_warn("energy: the metadata's energy object could not be built (JSON)");
    return CR_OK;
}

void cr_energy_begin(cr_energy_t *e, double now)
{
    if (!e) return;
    e->bad = 0;
    if (!e->reader || !(e->have[CR_PC_PACKAGE] || e->have[CR_PC_DRAM])) return;
    e->bad = cr_pc_read(&e->pc, e->before, e->why, sizeof e->why) != 0;
    e->t0 = now;
}

/* Reader: this loop's J per kind and its seconds into v (package, dram, both, s). */
static void cr_energy_local(cr_energy_t *e, double now, double calls, double *v)
{
    uint64_t after[CR_PC_MAX];
    double J[CR_PC_KINDS];
    v[3] = now - e->t0;
    if (e->bad) return;
    if (cr_pc_read(&e->pc, after, e->why, sizeof e->why) != 0 ||
        cr_pc_energy(&e->pc, e->before, after, J, e->why, sizeof e->why) != 0) {
        e->bad = 1;
        return;
    }
    if (v[3] >= cr_pc_wrap_s(&e->pc)) {
        snprintf(e->why, sizeof e->why, "the loop took %.3g s, longer than the %.3g s in which "
                 "a counter can wrap", v[3], cr_pc_wrap_s(&e->pc));
        e->bad = 1;
        return;
    }
    for (int k = 0; k < CR_PC_KINDS; k++)
        if (e->have[k]) v[k] = J[k] / calls;
    v[2] = (e->have[CR_PC_PACKAGE] ? v[0] : 0) + (e->have[CR_PC_DRAM] ? v[1] : 0);
}

cr_status_t cr_energy_end(cr_energy_t *e, MPI_Comm world, double now, double calls,
                          uint64_t bytes, cr_result_t *r)
{
    double v[5] = {0, 0, 0, 0, 0}, mx[5], sum[3];
    int me;
    if (!e || !(e->have[CR_PC_PACKAGE] || e->have[CR_PC_DRAM])) return CR_OK;
    if (e->reader && calls > 0) cr_energy_local(e, now, calls, v);
    if (e->reader && e->bad && !e->warned++)
        cr_warn("energy: %s; this measurement's energy columns are left empty (said once)",
                e->why);
    v[4] = e->reader && e->bad;
    CR_CHECK(CR_MPI(MPI_Reduce(v, mx, 5, MPI_DOUBLE, MPI_MAX, 0, world)));
    CR_CHECK(CR_MPI(MPI_Reduce(v, sum, 3, MPI_DOUBLE, MPI_SUM, 0, world)));
    CR_CHECK(CR_MPI(MPI_Comm_rank(world, &me)));
    if (me != 0 || mx[4] > 0 || calls <= 0) return CR_OK;
    r->energy.loop_s = mx[3];
    if (e->have[CR_PC_PACKAGE]) r->energy.pkg_J = mx[0], r->energy.pkg_J_sum = sum[0];
    if (e->have[CR_PC_DRAM]) r->energy.dram_J = mx[1], r->energy.dram_J_sum = sum[1];
    r->energy.pJ_per_B = mx[2] / (double)bytes * 1e12;
    r->energy.pJ_per_B_sum = sum[2] / (double)bytes * 1e12;
    return CR_OK;
}
