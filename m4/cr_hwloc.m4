# CR_CHECK_HWLOC: hwloc >= 2.0, pkg-config first, then the library itself.
AC_DEFUN([CR_CHECK_HWLOC], [
  PKG_CHECK_MODULES([HWLOC], [hwloc >= 2.0], [], [
    AC_CHECK_HEADER([hwloc.h], [], [AC_MSG_ERROR([hwloc >= 2.0 not found (apt-get install libhwloc-dev)])])
    AC_CHECK_LIB([hwloc], [hwloc_topology_init], [HWLOC_LIBS=-lhwloc],
                 [AC_MSG_ERROR([libhwloc not found (apt-get install libhwloc-dev)])])
    AC_MSG_CHECKING([for hwloc API >= 2.0])
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <hwloc.h>
#if HWLOC_API_VERSION < 0x00020000
#error too old
#endif]], [])], [AC_MSG_RESULT([yes])],
      [AC_MSG_RESULT([no]); AC_MSG_ERROR([hwloc >= 2.0 required])])])
])
