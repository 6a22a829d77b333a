/* collroof-fit: communication roofline from collroof runs (serial, no MPI). */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include "cr_error.h"
#include "fit_cmd.h"

int main(int argc, char **argv)
{
    cr_log_set_prefix("collroof-fit", NULL, -1);
    umask(umask(0) | S_IWOTH);   /* whatever the caller's umask: no world-writable file */
    if (argc > 1 && !strcmp(argv[1], "predict")) return cr_fit_cmd_predict(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "intensity"))
        return cr_fit_cmd_intensity(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "plan")) return cr_fit_cmd_plan(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "workload")) return cr_fit_cmd_workload(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "boundary")) return cr_fit_cmd_boundary(argc - 1, argv + 1);
    return cr_fit_cmd_fit(argc, argv);
}
