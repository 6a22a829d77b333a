/* File-system helpers shared by collroof and collroof-fit (pure, no MPI). */
#ifndef CR_FS_H
#define CR_FS_H

#include <stddef.h>
#include "cr_error.h"

/* mkdir -p dir, then check it is writable; on failure a message naming the path in err. */
cr_status_t cr_mkdir_p(const char *dir, char *err, size_t len);

#endif
