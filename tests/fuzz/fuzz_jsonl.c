/* results.jsonl (fit_read_jsonl.c): any bytes are refused or read, nothing leaks. */
#include "config.h"

#include "fuzz.h"
#include "fuzz_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return cr_fuzz_read(cr_fit_read_jsonl, data, size);
}
