# CR_CHECK_CUNIT: CUnit for `make check`; without it the unit tests are skipped.
AC_DEFUN([CR_CHECK_CUNIT], [
  cr_have_cunit=no
  PKG_CHECK_MODULES([CUNIT], [cunit], [cr_have_cunit=yes], [
    AC_CHECK_HEADER([CUnit/Basic.h], [
      AC_CHECK_LIB([cunit], [CU_initialize_registry], [CUNIT_LIBS=-lcunit; cr_have_cunit=yes])])])
  AM_CONDITIONAL([HAVE_CUNIT], [test "x$cr_have_cunit" = xyes])
])
