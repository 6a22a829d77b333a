/* The readers' harnesses: one input as a results file, read strictly and then
 * leniently into a set that is grouped and freed. */
#ifndef CR_FUZZ_READ_H
#define CR_FUZZ_READ_H

#include <stdio.h>
#include "fit_read.h"

typedef cr_status_t (*cr_fuzz_reader_fn)(FILE *f, const char *name,
                                         const cr_fit_read_opts_t *o, cr_fit_set_t *set);

int cr_fuzz_read(cr_fuzz_reader_fn reader, const uint8_t *data, size_t size);

#endif
