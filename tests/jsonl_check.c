/* jsonl_check FILE RANKS ROWS: every line of a results.jsonl parses; line 1 is the
 * metadata of a RANKS-rank run, then ROWS measurements whose raw samples (when
 * present) number `samples` and whose median lies within their range. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char *line = NULL;         /* whole lines, however long (raw samples) */
    size_t cap = 0;
    int n = 0, bad = 0;
    FILE *fp;
    if (argc != 4 || !(fp = fopen(argv[1], "r"))) {
        fprintf(stderr, "usage: jsonl_check FILE RANKS ROWS\n");
        return 2;
    }
    while (getline(&line, &cap, fp) >= 0) {
        json_error_t e;
        json_t *o = json_loads(line, 0, &e), *raw;
        const char *type;
        n++;
        if (!o) {
            fprintf(stderr, "%s:%d: %s\n", argv[1], n, e.text);
            bad++;
            continue;
        }
        type = json_string_value(json_object_get(o, "type"));
        if (n == 1) {
            if (!type || strcmp(type, "metadata") != 0 ||
                json_integer_value(json_object_get(o, "ranks")) != atoi(argv[2]) ||
                !json_object_get(o, "mpi_library") || !json_object_get(o, "timer")) {
                fprintf(stderr, "%s:1: metadata incomplete or wrong rank count\n", argv[1]);
                bad++;
            }
        } else if (!type || strcmp(type, "measurement") != 0) {
            fprintf(stderr, "%s:%d: not a measurement\n", argv[1], n);
            bad++;
        } else if ((raw = json_object_get(o, "raw_us"))) {
            double med = json_real_value(json_object_get(o, "t_median_us")), lo = 1e300, hi = -1;
            size_t i;
            json_t *v;
            json_array_foreach(raw, i, v) {
                double x = json_number_value(v);
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
            }
            if ((json_int_t)json_array_size(raw) != json_integer_value(json_object_get(o, "samples")) ||
                med < lo || med > hi) {
                fprintf(stderr, "%s:%d: raw samples disagree with the summary\n", argv[1], n);
                bad++;
            }
        }
        json_decref(o);
    }
    fclose(fp);
    free(line);
    if (n != atoi(argv[3]) + 1) {
        fprintf(stderr, "%s: %d lines, expected %d\n", argv[1], n, atoi(argv[3]) + 1);
        bad++;
    }
    return bad ? 1 : 0;
}
