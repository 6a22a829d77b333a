# CR_CHECK_NUMA: libnuma, pkg-config first, then the library itself.
AC_DEFUN([CR_CHECK_NUMA], [
  PKG_CHECK_MODULES([NUMA], [numa], [], [
    AC_CHECK_HEADER([numa.h], [], [AC_MSG_ERROR([libnuma not found (apt-get install libnuma-dev)])])
    AC_CHECK_LIB([numa], [numa_available], [NUMA_LIBS=-lnuma],
                 [AC_MSG_ERROR([libnuma not found (apt-get install libnuma-dev)])])])
])
