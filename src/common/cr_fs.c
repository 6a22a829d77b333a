#include "config.h"

#include "cr_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

cr_status_t cr_mkdir_p(const char *dir, char *err, size_t len)
{
    char path[4096];
    struct stat sb;
    if ((size_t)snprintf(path, sizeof path, "%s", dir) >= sizeof path) {
        snprintf(err, len, "output directory path is longer than %zu bytes: '%.64s...'",
                 sizeof path - 1, dir);
        return CR_ERR_INVAL;
    }
    for (char *p = path + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST) {
                snprintf(err, len, "cannot create output directory '%s': %s", path, strerror(errno));
                return CR_ERR_IO;
            }
            *p = c;
            if (!c) break;
        }
    }
    if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        snprintf(err, len, "output directory '%s' exists and is not a directory", dir);
        return CR_ERR_IO;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(err, len, "output directory '%s' is not writable: %s", dir, strerror(errno));
        return CR_ERR_IO;
    }
    return CR_OK;
}

FILE *cr_fs_create(const char *path, int replace, char *err, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL),
                  0644);
    FILE *f;
    if (fd < 0) {
        if (errno == EEXIST)
            snprintf(err, len, "'%s' already exists (refused: nothing is overwritten without "
                     "--overwrite)", path);
        else if (errno == ELOOP)
            snprintf(err, len, "'%s' is a symbolic link: refused (it could write outside the "
                     "directory)", path);
        else
            snprintf(err, len, "cannot create %s: %s", path, strerror(errno));
        return NULL;
    }
    if (!(f = fdopen(fd, "w"))) {
        snprintf(err, len, "cannot create %s: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

long cr_getline_max(char **line, size_t *cap, FILE *f, size_t max)
{
    size_t len = 0;
    int c;
    flockfile(f);
    while ((c = getc_unlocked(f)) != EOF) {
        if (len + 2 > *cap) {
            size_t ncap = *cap ? *cap * 2 : 256;
            char *n;
            if (len + 2 > max) {
                funlockfile(f);
                return -2;
            }
            if (ncap > max) ncap = max;
            if (!(n = realloc(*line, ncap))) {
                funlockfile(f);
                return -1;
            }
            *line = n;
            *cap = ncap;
        }
        /* a NUL byte becomes SUB (0x1a): the line stays one string, and whatever
         * field held it is malformed rather than cut short */
        (*line)[len++] = c ? (char)c : '\x1a';
        if (c == '\n') break;
    }
    funlockfile(f);
    if (len == 0) return -1;
    (*line)[len] = '\0';
    return (long)len;
}
