# CR_CHECK_NUMA: libnuma, optional (--without-numa, or absent: buffers get the
# kernel's default placement, recorded as mem=default). pkg-config first, then the
# library itself. Sets NUMA_CFLAGS, NUMA_LIBS, HAVE_LIBNUMA and cr_have_numa.
AC_DEFUN([CR_CHECK_NUMA], [
  AC_ARG_WITH([numa],
    [AS_HELP_STRING([--without-numa], [build without libnuma (no NUMA buffer placement)])],
    [], [with_numa=check])
  cr_have_numa=no
  AS_IF([test "x$with_numa" != xno], [
    PKG_CHECK_MODULES([NUMA], [numa], [cr_have_numa=yes], [
      AC_CHECK_HEADER([numa.h],
        [AC_CHECK_LIB([numa], [numa_available], [NUMA_LIBS=-lnuma; cr_have_numa=yes])])])
    AS_IF([test "x$cr_have_numa" = xno && test "x$with_numa" = xyes],
      [AC_MSG_ERROR([--with-numa given but libnuma not found (apt-get install libnuma-dev)])])
  ])
  AS_IF([test "x$cr_have_numa" = xyes],
    [AC_DEFINE([HAVE_LIBNUMA], [1], [libnuma places and verifies buffers])],
    [NUMA_CFLAGS=; NUMA_LIBS=
     AS_IF([test "x$with_numa" != xno],
       [AC_MSG_WARN([libnuma not found: collroof will not place buffers on NUMA nodes (mem=default)])])])
  AC_SUBST([NUMA_CFLAGS])
  AC_SUBST([NUMA_LIBS])
])
