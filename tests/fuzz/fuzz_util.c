#include "config.h"

#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

char *cr_fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return NULL;
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}
