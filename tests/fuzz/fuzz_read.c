#include "config.h"

#include "fuzz.h"
#include "fuzz_read.h"
#include "cr_error.h"

#include <stdlib.h>
#include <string.h>

int cr_fuzz_read(cr_fuzz_reader_fn reader, const uint8_t *data, size_t size)
{
    char *buf;
    if (size == 0) return 0;   /* fmemopen wants a buffer of at least one byte */
    if (!(buf = malloc(size))) return 0;
    memcpy(buf, data, size);
    cr_log_quiet(1);
    for (int lenient = 0; lenient <= 1; lenient++) {
        cr_fit_read_opts_t o = { .lenient = lenient };
        cr_fit_set_t set;
        FILE *f = fmemopen(buf, size, "r");
        if (!f) break;
        cr_fit_set_init(&set);
        if (reader(f, "fuzz", &o, &set) == CR_OK) cr_fit_set_finish(&set);
        cr_fit_set_free(&set);
        fclose(f);
    }
    free(buf);
    return 0;
}
