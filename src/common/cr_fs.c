#include "config.h"

#include "cr_fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

cr_status_t cr_mkdir_p(const char *dir, char *err, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", dir);
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
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(err, len, "output directory '%s' is not writable: %s", dir, strerror(errno));
        return CR_ERR_IO;
    }
    return CR_OK;
}
