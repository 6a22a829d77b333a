/* File-system helpers shared by collroof and collroof-fit (pure, no MPI). */
#ifndef CR_FS_H
#define CR_FS_H

#include <stddef.h>
#include <stdio.h>
#include "cr_error.h"

/* mkdir -p dir, then check it is writable; on failure a message naming the path in err. */
cr_status_t cr_mkdir_p(const char *dir, char *err, size_t len);

/* A new file for writing, never through a symbolic link (O_NOFOLLOW): with replace
 * 0 it must not exist (O_EXCL; an existing one is "already holds"), with 1 it is
 * truncated. Mode 0644 (less the umask). NULL with a message in err. */
FILE *cr_fs_create(const char *path, int replace, char *err, size_t len);

/* getline(3) with a bound: the line's length, -1 at end of file (or a read error),
 * -2 when a line reaches max bytes without ending (the rest left unread): /dev/zero
 * is not a results file, and must not eat the memory. A NUL byte is stored as SUB
 * (0x1a), so that the line is one string and the field holding it malformed. */
long cr_getline_max(char **line, size_t *cap, FILE *f, size_t max);

#endif
