#include "config.h"

#include "cr_fs.h"

#include <errno.h>
#include <stdio.h>
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
