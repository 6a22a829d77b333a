/* collroof-fit command lines: fit (default), predict, intensity. */
#ifndef FIT_CMD_H
#define FIT_CMD_H

int cr_fit_cmd_fit(int argc, char **argv);
int cr_fit_cmd_predict(int argc, char **argv);
int cr_fit_cmd_intensity(int argc, char **argv);

/* Strict number parsing for options; print "invalid OPT 'VAL': expected WHAT". */
int cr_fit_opt_double(const char *opt, const char *val, double lo, double hi, double *out);
int cr_fit_opt_long(const char *opt, const char *val, long lo, long hi, long *out);

#endif
