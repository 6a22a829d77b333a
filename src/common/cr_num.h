/* Strict decimal numbers for inputs that are data (docs/formats.md, "What the
 * readers reject"): an optional '-', digits, then optionally '.' and digits, then
 * optionally an exponent (e or E, an optional sign, digits); the whole text and
 * nothing else. No spaces, '+', hexadecimal, inf or nan: strtod and strtoll accept
 * all of these and would turn a cut or corrupted field into a number. Pure. */
#ifndef CR_NUM_H
#define CR_NUM_H

/* A finite double. Returns NULL and sets *out, or a reason for a message ("empty",
 * "not a plain decimal: ...", "out of range"); *out untouched then. */
const char *cr_num_double(const char *s, double *out);

/* A decimal integer (an optional '-', digits) that fits a long long. Returns as
 * cr_num_double. */
const char *cr_num_int(const char *s, long long *out);

#endif
