#include "config.h"

#include "cr_wire.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cr_mpi.h"
#include "cr_place.h"

/* Rank 0: the first host whose reader found nothing to read, and why. */
static void cr_wire_warn_missing(const json_t *hosts)
{
    const char *host = "?", *why = "no reader reported";
    size_t i;
    json_t *h;
    json_array_foreach(hosts, i, h) {
        if (json_array_size(json_object_get(h, "interfaces"))) continue;
        host = json_string_value(json_object_get(h, "host"));
        why = json_string_value(json_object_get(h, "why"));
        break;
    }
    cr_warn("wire: host %s has no network interface byte counters to read (%s): the wire_* "
            "columns are left empty but wire_min_bytes_per_call (docs/method.md, \"Bytes on "
            "the wire\"; --net-if names interfaces)", host ? host : "?", why ? why : "none found");
}

cr_status_t cr_wire_setup(MPI_Comm world, const cr_place_t *pl, int n, const char *list,
                          cr_wire_t *w, json_t **meta)
{
    const char *sys = getenv(CR_NC_SYSFS_ENV), *proc = getenv(CR_NC_PROCFS_ENV);
    int me, mine_on = 1, bad = 0, none = list && !strcmp(list, "none");
    json_t *mine = NULL, *hosts = NULL;
    cr_status_t st;

    memset(w, 0, sizeof *w);
    *meta = NULL;
    w->pl = pl;
    w->npl = n;
    CR_CHECK(CR_MPI(MPI_Comm_rank(world, &me)));
    w->reader = me < n && pl[me].local_rank == 0;
    if (w->reader) {
        int k = cr_nc_scan(sys && *sys ? sys : CR_NC_SYSFS, proc && *proc ? proc : CR_NC_PROCFS,
                           list, &w->nc);
        if (k < 0) {
            cr_error("host %s: %s", pl[me].host, w->nc.why);
            bad = 1;
        }
        mine_on = k > 0;
        if ((mine = cr_nc_to_json(&w->nc)) != NULL)
            json_object_set_new(mine, "host", json_string(pl[me].host));
    }
    st = cr_place_gather_json(world, pl, n, mine, &hosts);
    json_decref(mine);
    CR_CHECK(st);
    if ((st = cr_mpi_agree(world, bad ? CR_ERR_INVAL : CR_OK)) != CR_OK) {
        json_decref(hosts);
        return st;
    }
    if ((st = CR_MPI(MPI_Allreduce(&mine_on, &w->on, 1, MPI_INT, MPI_MIN, world))) != CR_OK ||
        me != 0) {
        json_decref(hosts);
        return st;
    }
    if (!w->on && !none) cr_wire_warn_missing(hosts);
    *meta = json_pack("{s:s,s:b,s:f,s:f,s:o}", "net_if", list && *list ? list : "auto",
                      "measured", w->on, "idle_max_s", CR_WIRE_IDLE_MAX_S, "bg_share",
                      CR_WIRE_BG_SHARE, "hosts", hosts ? hosts : json_array());
    if (!*meta) cr_warn("wire: the metadata's wire object could not be built (JSON)");
    return CR_OK;
}

void cr_wire_begin(cr_wire_t *w, double now)
{
    if (!w) return;
    w->bad = 0;
    if (!w->reader || !w->on) return;
    w->bad = cr_nc_read(&w->nc, &w->before, w->why, sizeof w->why) != 0;
    w->t0 = now;
}

void cr_wire_stop(cr_wire_t *w, double now)
{
    if (!w || !w->reader || !w->on) return;
    w->loop_s = now - w->t0;
    if (!w->bad) w->bad = cr_nc_read(&w->nc, &w->after, w->why, sizeof w->why) != 0;
}

/* The minimum of this rank's group when it is the group's rank 0 (0 otherwise):
 * the group's hosts counted from the placement table. */
static cr_status_t cr_wire_group_min(const cr_wire_t *w, MPI_Comm world, const cr_level_ctx_t *lv,
                                     const cr_coll_ops_t *ops, cr_coll_shape_t sh, double *out)
{
    MPI_Group g, wg;
    int p, me, *in = NULL, *ws = NULL, hosts = 0;
    cr_status_t st = CR_OK;
    *out = 0;
    if (lv->comm == MPI_COMM_NULL) return CR_OK;
    CR_CHECK(CR_MPI(MPI_Comm_rank(lv->comm, &me)));
    if (me != 0) return CR_OK;
    CR_CHECK(CR_MPI(MPI_Comm_size(lv->comm, &p)));
    in = malloc((size_t)p * sizeof *in);
    ws = malloc((size_t)p * sizeof *ws);
    if (!in || !ws) {
        st = CR_ERR_NOMEM;
        goto out_with_arrays;
    }
    for (int i = 0; i < p; i++) in[i] = i;
    CR_CHECK_GOTO(CR_MPI(MPI_Comm_group(lv->comm, &g)), st, out_with_arrays);
    CR_CHECK_GOTO(CR_MPI(MPI_Comm_group(world, &wg)), st, out_with_group);
    st = CR_MPI(MPI_Group_translate_ranks(g, p, in, wg, ws));
    MPI_Group_free(&wg);
    if (st != CR_OK) goto out_with_group;
    for (int i = 0; i < p; i++) {   /* distinct node indexes among the members */
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = w->pl[ws[j]].node_index == w->pl[ws[i]].node_index;
        hosts += !seen && ws[i] >= 0 && ws[i] < w->npl;
    }
    sh.p = p;
    sh.rank = -1;
    *out = (double)ops->wire_min_bytes(&sh, hosts);
out_with_group:
    MPI_Group_free(&g);
out_with_arrays:
    free(in);
    free(ws);
    return st;
}

/* Every rank sleeps s seconds: no rank sends while the readers count. */
static void cr_wire_sleep(double s)
{
    struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - floor(s)) * 1e9) };
    while (nanosleep(&ts, &ts) != 0) {}
}

cr_status_t cr_wire_end(cr_wire_t *w, MPI_Comm world, const cr_level_ctx_t *lv,
                        const cr_coll_ops_t *ops, cr_coll_shape_t sh, double calls,
                        cr_result_t *r)
{
    double min = 0, min_sum = 0, loop = 0, idle, v[5] = {0, 0, 0, 0, 0}, sum[3], mx[2];
    cr_nc_sample_t i0, i1;
    uint64_t tx, rx, btx, brx;
    int me;
    if (!w) return CR_OK;
    CR_CHECK(CR_MPI(MPI_Comm_rank(world, &me)));
    if (ops->wire_min_bytes) CR_CHECK(cr_wire_group_min(w, world, lv, ops, sh, &min));
    CR_CHECK(CR_MPI(MPI_Reduce(&min, &min_sum, 1, MPI_DOUBLE, MPI_SUM, 0, world)));
    if (me == 0 && ops->wire_min_bytes) r->wire.min = min_sum;
    if (!w->on) return CR_OK;
    /* the idle interval: as long as the longest loop, at most CR_WIRE_IDLE_MAX_S */
    if (w->reader) loop = w->loop_s;
    CR_CHECK(CR_MPI(MPI_Allreduce(&loop, &idle, 1, MPI_DOUBLE, MPI_MAX, world)));
    idle = fmin(idle, CR_WIRE_IDLE_MAX_S);
    if (w->reader && !w->bad && cr_nc_read(&w->nc, &i0, w->why, sizeof w->why) != 0) w->bad = 1;
    if (idle > 0) cr_wire_sleep(idle);
    if (w->reader && !w->bad && cr_nc_read(&w->nc, &i1, w->why, sizeof w->why) != 0) w->bad = 1;
    if (w->reader && !w->bad && calls > 0) {
        if (w->loop_s >= cr_nc_wrap_s(&w->nc)) {
            snprintf(w->why, sizeof w->why, "the loop took %.3g s, longer than the %.3g s in "
                     "which a 32-bit counter can wrap", w->loop_s, cr_nc_wrap_s(&w->nc));
            w->bad = 1;
        } else if (cr_nc_bytes(&w->nc, &w->before, &w->after, &tx, &rx, w->why, sizeof w->why) ||
                   cr_nc_bytes(&w->nc, &i0, &i1, &btx, &brx, w->why, sizeof w->why)) {
            w->bad = 1;
        } else {
            v[0] = (double)tx / calls;
            v[1] = (double)rx / calls;
            v[2] = idle > 0 ? (double)btx * (w->loop_s / idle) / calls : 0;
        }
    }
    if (w->reader && w->bad && !w->warned++)
        cr_warn("wire: %s; this measurement's wire_* columns are left empty (said once)", w->why);
    v[3] = v[0];
    v[4] = w->reader && w->bad;
    CR_CHECK(CR_MPI(MPI_Reduce(v, sum, 3, MPI_DOUBLE, MPI_SUM, 0, world)));
    CR_CHECK(CR_MPI(MPI_Reduce(v + 3, mx, 2, MPI_DOUBLE, MPI_MAX, 0, world)));
    if (me != 0 || mx[1] > 0 || calls <= 0) return CR_OK;
    r->wire.tx = sum[0];
    r->wire.rx = sum[1];
    r->wire.bg = sum[2];
    r->wire.tx_max = mx[0];
    r->wire.eff = ops->wire_min_bytes && min_sum > 0 && sum[0] > 0 ? min_sum / sum[0] : NAN;
    r->wire.bg_high = sum[2] > CR_WIRE_BG_SHARE * sum[0];
    return CR_OK;
}
