/* libFuzzer harnesses of tests/fuzz: each fuzz_*.c defines the entry point below.
 * Built with -fsanitize=fuzzer under --enable-fuzzing; in every build, replay.c's
 * main() runs the same entry point over the seed and regression corpus. */
#ifndef CR_FUZZ_H
#define CR_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* One input: data[0..size) (not NUL-terminated). Returns 0; a bug aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a NUL-terminated malloc'd string (cut at the first NUL); NULL when out of
 * memory. */
char *cr_fuzz_str(const uint8_t *data, size_t size);

#endif
