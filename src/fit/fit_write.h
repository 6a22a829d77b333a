/* Output formats of collroof-fit, one ops table per file (fit.csv, roofline.csv,
 * scaling.csv, projection.csv) and the stdout summary. */
#ifndef FIT_WRITE_H
#define FIT_WRITE_H

#include <stdio.h>
#include "fit_group.h"

typedef struct cr_fit_writer_ops {
    const char *name;
    const char *file;                                  /* under the output directory */
    cr_status_t (*write)(FILE *f, const cr_fit_report_t *rep);
} cr_fit_writer_ops_t;

extern const cr_fit_writer_ops_t cr_fit_writer_fitcsv;
extern const cr_fit_writer_ops_t cr_fit_writer_roofline;
extern const cr_fit_writer_ops_t cr_fit_writer_scaling;
extern const cr_fit_writer_ops_t cr_fit_writer_projection;
extern const cr_fit_writer_ops_t cr_fit_writer_overlap;
extern const cr_fit_writer_ops_t cr_fit_writer_skew;
extern const cr_fit_writer_ops_t cr_fit_writer_workload;
extern const cr_fit_writer_ops_t cr_fit_writer_summary;
/* Files written to the output directory; NULL-terminated. */
extern const cr_fit_writer_ops_t *const cr_fit_writers[];

/* Creates dir (one level) if needed and runs every writer into it. */
cr_status_t cr_fit_write_all(const char *dir, const cr_fit_report_t *rep);

/* "%.6g", "inf", or "" for NaN: one CSV number. */
void cr_fit_put_num(FILE *f, double v);

/* Sections of the summary kept beside their files: overlap per size (overlap.csv),
 * skewed vs balanced all-to-all (skew.csv), replayed workload steps (workload.csv). */
void cr_fit_summary_overlap_table(FILE *f, const cr_fit_report_t *rep);
void cr_fit_summary_skew(FILE *f, const cr_fit_report_t *rep);
void cr_fit_summary_workload(FILE *f, const cr_fit_report_t *rep);

/* An alltoallv group with a routing (skew) recorded. */
int cr_fit_is_skewed(const cr_fit_group_t *g);
/* The group of g's key with another collective and skew ("" none); NULL when absent. */
const cr_fit_group_t *cr_fit_skew_partner(const cr_fit_set_t *set, const cr_fit_group_t *g,
                                          const char *collective, const char *skew);

/* Segment index holding point i of a result. */
size_t cr_fit_result_seg_of(const cr_fit_result_t *r, size_t i);

#endif
