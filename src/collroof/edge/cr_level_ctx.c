/* Level communicators: MPI_Comm_split on the pure colours of cr_levels.c. */
#include "config.h"

#include "cr_level_ctx.h"
#include "cr_mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cr_status_t cr_split(MPI_Comm world, int color, int key, MPI_Comm *comm)
{
    return CR_MPI(MPI_Comm_split(world, color < 0 ? MPI_UNDEFINED : color, key, comm));
}

void cr_levels_free(cr_level_ctx_t *ctx, int n)
{
    for (int i = 0; ctx && i < n; i++)
        if (ctx[i].comm != MPI_COMM_NULL)
            MPI_Comm_free(&ctx[i].comm);
    free(ctx);
}

cr_status_t cr_levels_setup(MPI_Comm world, const cr_place_t *pl, int n, const cr_opts_t *o,
                            cr_level_ctx_t **out, int *nout, cr_level_times_t *t)
{
    cr_level_pick_t picks[CR_LEVEL_COUNT];
    cr_level_ctx_t *ctx;
    int np = 0, nc = 0, rank, *colors;
    cr_status_t st = CR_OK;

    if (MPI_Comm_rank(world, &rank) != MPI_SUCCESS || rank >= n) {
        cr_error_at(__FILE__, __LINE__, "MPI_Comm_rank failed or placement table too short");
        return CR_ERR_MPI;
    }
    double t0 = MPI_Wtime();

    CR_CHECK(cr_levels_resolve(pl, n, o->levels, o->nlevels, picks, &np));  /* same on every rank */
    t->colour += MPI_Wtime() - t0;
    colors = malloc((size_t)n * sizeof *colors);
    ctx = calloc(CR_LEVEL_COUNT, sizeof *ctx);
    if (colors == NULL || ctx == NULL) {
        cr_error_at(__FILE__, __LINE__, "cannot allocate the level tables (%d ranks)", n);
        st = CR_ERR_NOMEM;
    }
    /* A rank short of memory still agrees with the others before the splits. */
    if (cr_mpi_agree(world, st) != CR_OK) {
        free(ctx);
        free(colors);
        return st != CR_OK ? st : CR_ERR_NOMEM;
    }
    for (int i = 0; i < CR_LEVEL_COUNT; i++)
        ctx[i].comm = MPI_COMM_NULL;
    for (int i = 0; i < np; i++) {
        int lo, hi;
        if (!picks[i].run) {
            if (rank == 0)
                fprintf(stderr, "collroof: --levels auto: skipping level %s: %s\n",
                        cr_level_name(picks[i].level), picks[i].why);
            continue;
        }
        t0 = MPI_Wtime();
        ctx[nc].groups = cr_level_colors(pl, n, picks[i].level, colors);
        /* a rank short of memory for the colouring: all stop before the split */
        CR_CHECK_GOTO(cr_mpi_agree(world, ctx[nc].groups < 0 ? CR_ERR_NOMEM : CR_OK), st,
                      out_with_ctx);
        if (ctx[nc].groups == 0) {  /* e.g. no rank's package is known: nobody to measure */
            if (rank == 0)
                cr_warn("level %s: no rank belongs to a group (their %s is unknown: unbound "
                        "ranks?); skipped", cr_level_name(picks[i].level),
                        cr_level_name(picks[i].level));
            continue;
        }
        cr_level_group_sizes(colors, n, &lo, &hi);
        ctx[nc].ranks = hi;
        if (rank == 0 && lo != hi)
            cr_warn("level %s: groups of unequal size (%d to %d ranks, %d groups); its rows "
                    "report ranks=%d and busbw with F(%d), and each sample is the slowest "
                    "group's time", cr_level_name(picks[i].level), lo, hi, ctx[nc].groups,
                    hi, hi);
        snprintf(ctx[nc].name, sizeof ctx[nc].name, "%s", cr_level_name(picks[i].level));
        t->colour += MPI_Wtime() - t0;
        t0 = MPI_Wtime();
        CR_CHECK_GOTO(cr_split(world, colors[rank], rank, &ctx[nc].comm), st, out_with_ctx);
        t->split += MPI_Wtime() - t0;
        nc++;
    }
    if (rank == 0)
        fflush(stdout);
    free(colors);
    *out = ctx;
    *nout = nc;
    return CR_OK;
out_with_ctx:
    cr_levels_free(ctx, nc);
    free(colors);
    return st;
}

cr_status_t cr_levels_setup_pairs(MPI_Comm world, const cr_place_t *pl, int n,
                                  cr_level_ctx_t **out, int *nout, cr_level_times_t *t)
{
    cr_pair_t pairs[CR_DIST_COUNT];
    double t0 = MPI_Wtime();
    int np = cr_probe_pairs(pl, n, pairs), rank;
    cr_level_ctx_t *ctx;
    cr_status_t st;

    if (MPI_Comm_rank(world, &rank) != MPI_SUCCESS) {
        cr_error_at(__FILE__, __LINE__, "MPI_Comm_rank failed");
        return CR_ERR_MPI;
    }
    t->colour += MPI_Wtime() - t0;
    ctx = np >= 0 ? calloc(CR_DIST_COUNT, sizeof *ctx) : NULL;
    st = ctx ? CR_OK : CR_ERR_NOMEM;
    if (!ctx) cr_error_at(__FILE__, __LINE__, "cannot allocate the probe-pair table");
    if (cr_mpi_agree(world, st) != CR_OK) {  /* before the splits, on every rank */
        free(ctx);
        return CR_ERR_NOMEM;
    }
    for (int i = 0; i < CR_DIST_COUNT; i++)
        ctx[i].comm = MPI_COMM_NULL;
    for (int i = 0; i < np; i++) {
        int in = rank == pairs[i].a || rank == pairs[i].b;
        snprintf(ctx[i].name, sizeof ctx[i].name, "%s", cr_dist_name(pairs[i].dist));
        ctx[i].ranks = 2;
        ctx[i].groups = 1;
        t0 = MPI_Wtime();
        CR_CHECK_GOTO(cr_split(world, in ? 0 : -1, rank, &ctx[i].comm), st, out_with_ctx);
        t->split += MPI_Wtime() - t0;
    }
    *out = ctx;
    *nout = np;
    return CR_OK;
out_with_ctx:
    cr_levels_free(ctx, CR_DIST_COUNT);
    return st;
}
