/* Command-line options of collroof (pure parsing, no MPI). */
#ifndef CR_OPTS_H
#define CR_OPTS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <jansson.h>
#include "cr_cli.h"
#include "cr_error.h"
#include "cr_result.h"
#include "cr_skew.h"

#define CR_MAX_LIST 16

typedef enum cr_validate { CR_VALIDATE_OFF, CR_VALIDATE_ONCE, CR_VALIDATE_EVERY } cr_validate_t;
typedef enum cr_timer_src { CR_TIMER_CLOCK, CR_TIMER_MPI } cr_timer_src_t;
typedef enum cr_mem_policy {
    CR_MEM_LOCAL, CR_MEM_INTERLEAVE, CR_MEM_NODE, CR_MEM_DEFAULT
} cr_mem_policy_t;

typedef struct cr_opts {
    const char *colls[CR_MAX_LIST];   /* collective names, validated */
    int ncolls;
    uint64_t *sizes;                  /* bytes (S), ascending as given; owned */
    size_t nsizes;
    const char *dtype;                /* default float */
    const char *levels[CR_MAX_LIST];  /* world node package numa internode rail auto */
    int nlevels;
    int cadence[CR_CADENCE_COUNT];    /* 1: measured (--cadence, a list) */
    double overlap_compute;           /* F: overlap kernel lasts F × t_pure (default 1) */
    int stream_calls;                 /* K calls per streaming sample */
    double precision;                 /* target relative CI half-width (0.01 = 1%) */
    int min_iters, max_iters;         /* samples per size */
    double time_limit;                /* seconds per size */
    double timeout;                   /* watchdog, seconds per measurement (0: off) */
    int warmup;                       /* iterations discarded per size */
    cr_validate_t validate;
    int in_place, nonblocking;
    cr_skew_t skew;                   /* alltoallv's routing (--skew, --skew-seed) */
    int skew_given;                   /* --skew or --skew-seed given */
    cr_timer_src_t timer;
    char outdir[1024];                /* default collroof-YYYYmmdd-HHMMSS */
    char run_id[32];                  /* default YYYYmmdd-HHMMSS */
    int raw;                          /* raw samples in JSONL (default on) */
    int overwrite;                    /* replace results already in outdir */
    char resume[1024];                /* --resume DIR ("" none); outdir is DIR then */
    int output_given, run_id_given;   /* -o, --run-id given */
    cr_mem_policy_t mem;
    int mem_node;                     /* for --mem node:N */
    int cold_cache, huge_pages, probe_memory;
    char net_if[256];                 /* --net-if: auto, none or a comma list (cr_netcount.h) */
    char workload[1024];              /* --workload FILE ("" none): replay a step, no sweep */
    const char *sweep_opt;            /* the last of -c, -m, --cadence, --levels given, or NULL */
    int quiet;                        /* no per-measurement table */
    int progress;                     /* progress line on stderr even when it is not a tty */
    int help, version;
} cr_opts_t;

/* Parse argv into *o (defaults first). On a bad option returns CR_ERR_INVAL and
 * writes one message naming the bad value and what is accepted into err. `now`
 * (seconds since the epoch) names the default output directory. */
cr_status_t cr_opts_parse(int argc, char **argv, long now, cr_opts_t *o,
                          char *err, size_t errlen);
/* argv applied over *o, an earlier run's options (--resume): -o, --run-id,
 * --overwrite and --resume start unset. On error *o still needs cr_opts_free. */
cr_status_t cr_opts_overlay(int argc, char **argv, cr_opts_t *o, char *err, size_t errlen);
void cr_opts_free(cr_opts_t *o);
/* The options that shape the measurements, as results.jsonl's metadata records
 * them ("options"): what --resume compares. A new reference, or NULL. */
json_t *cr_opts_to_json(const cr_opts_t *o);
/* The cadence option as metadata records it: "isolated", "streaming" or "both" for
 * those selections (as before overlap existed, so older runs resume), else the
 * selected names in cr_cadence_names order, comma-separated. Into buf; returns buf. */
const char *cr_opts_cadence_str(const cr_opts_t *o, char *buf, size_t len);
/* Full --help text, every option with its default and unit. */
void cr_opts_usage(FILE *fp);
/* The option table behind the parser, --help and the man page. */
extern const cr_cli_t cr_opts_cli;

#endif
