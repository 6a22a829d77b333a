/* --resume DIR: what an interrupted run left in DIR and whether this run may go on
 * with it. Pure (files and JSON, no MPI): rank 0 reads, the blob travels to every
 * rank, every rank asks the same questions of it. */
#ifndef CR_RESUME_H
#define CR_RESUME_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "cr_error.h"

/* One finished measurement: the row's identity within a run (the options fix the
 * rest: dtype, in_place, variant). */
typedef struct cr_resume_key {
    char collective[32], level[48], cadence[16];
    uint64_t bytes;
} cr_resume_key_t;

typedef struct cr_resume {
    json_t *meta;               /* results.jsonl line 1 (owned) */
    cr_resume_key_t *keys;      /* the rows kept, in file order (owned) */
    size_t nkeys;
    long csv_keep, jsonl_keep;  /* byte lengths of results.csv / .jsonl holding them */
    size_t dropped;             /* rows or torn lines beyond the kept ones */
} cr_resume_t;

/* Reads DIR/results.jsonl and DIR/results.csv: the metadata, the rows both files hold
 * whole and alike (a row in one file only, or a line cut short, is dropped: it is
 * measured again). header is the CSV header this collroof writes: another one
 * means another version wrote the run. A message naming the file in err. */
cr_status_t cr_resume_read(const char *dir, const char *header, cr_resume_t *rs, char *err,
                           size_t len);

/* The kept keys as text (one "collective level cadence bytes" line each), for the
 * other ranks, and back. */
char *cr_resume_keys_text(const cr_resume_t *rs);
cr_status_t cr_resume_keys_parse(const char *text, cr_resume_t *rs);

/* Whether the run already holds this measurement. */
int cr_resume_has(const cr_resume_t *rs, const char *collective, const char *level,
                  const char *cadence, uint64_t bytes);

/* Compares this run's options object with the one recorded in rs->meta, and the
 * job's shape (ranks, nodes, ppn, hosts: a JSON array of host names; ranks 0 and hosts
 * NULL: the options only). 0 when they
 * agree; else -1 and a message naming every difference. */
int cr_resume_compare(const cr_resume_t *rs, const json_t *options, int ranks, int nodes,
                      int ppn, const json_t *hosts, char *err, size_t len);

/* Truncates DIR's results files to the kept rows (rank 0, before appending). */
cr_status_t cr_resume_truncate(const cr_resume_t *rs, const char *dir, char *err, size_t len);

void cr_resume_free(cr_resume_t *rs);

#endif
