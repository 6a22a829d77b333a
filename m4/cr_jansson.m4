# CR_CHECK_JANSSON: jansson >= 2.7 (JSON writer and reader), pkg-config first.
AC_DEFUN([CR_CHECK_JANSSON], [
  PKG_CHECK_MODULES([JANSSON], [jansson >= 2.7], [], [
    AC_CHECK_HEADER([jansson.h], [], [AC_MSG_ERROR([jansson not found (apt-get install libjansson-dev)])])
    AC_CHECK_LIB([jansson], [json_dumps], [JANSSON_LIBS=-ljansson],
                 [AC_MSG_ERROR([jansson not found (apt-get install libjansson-dev)])])])
])
