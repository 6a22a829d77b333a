# CR_CHECK_SANITIZERS: --enable-sanitizers builds every program and test with
# AddressSanitizer and UndefinedBehaviorSanitizer; undefined behaviour aborts
# (-fno-sanitize-recover) so that a test sees it fail. --enable-fuzzing (clang only)
# adds libFuzzer coverage to the same build and the harnesses under tests/fuzz/.
# The flags are checked by linking a program with them. Sets CR_SAN_CFLAGS and
# CR_SAN_LDFLAGS (added to AM_CFLAGS and AM_LDFLAGS, so the dependency checks above
# and the user's CFLAGS stay as they were), CR_FUZZ_LDFLAGS (the harnesses' link),
# the conditional CR_FUZZING, cr_sanitizers and cr_fuzzing.
AC_DEFUN([CR_CHECK_SANITIZERS], [
  AC_ARG_ENABLE([sanitizers],
    [AS_HELP_STRING([--enable-sanitizers],
      [build with AddressSanitizer and UndefinedBehaviorSanitizer (testing; slower)])],
    [], [enable_sanitizers=no])
  AC_ARG_ENABLE([fuzzing],
    [AS_HELP_STRING([--enable-fuzzing],
      [build the libFuzzer harnesses of tests/fuzz (needs CC=clang; implies
       --enable-sanitizers)])],
    [], [enable_fuzzing=no])
  AS_IF([test "x$enable_fuzzing" = xyes], [enable_sanitizers=yes])

  cr_sanitizers=no
  cr_fuzzing=no
  CR_SAN_CFLAGS=
  CR_SAN_LDFLAGS=
  CR_FUZZ_LDFLAGS=
  AS_IF([test "x$enable_sanitizers" = xyes], [
    # float-cast-overflow: a double out of an integer's range converted to it; gcc's
    # -fsanitize=undefined leaves it out.
    cr_san="-fsanitize=address,undefined,float-cast-overflow"
    cr_san="$cr_san -fno-sanitize-recover=undefined,float-cast-overflow"
    AS_IF([test "x$enable_fuzzing" = xyes], [cr_san="$cr_san -fsanitize=fuzzer-no-link"])
    _CR_SAN_TRY([$cr_san -fno-omit-frame-pointer], [], [cr_sanitizers=yes],
      [AS_IF([test "x$enable_fuzzing" = xyes],
         [AC_MSG_ERROR([--enable-fuzzing needs clang's libFuzzer, which $CC lacks: configure CC=clang (apt-get install clang)])],
         [AC_MSG_ERROR([$CC cannot build with $cr_san (gcc >= 8 or clang can; with gcc, apt-get install libasan8 libubsan1)])])])
    CR_SAN_CFLAGS="$cr_san -fno-omit-frame-pointer"
    CR_SAN_LDFLAGS="$cr_san"
  ])
  AS_IF([test "x$enable_fuzzing" = xyes], [
    _CR_SAN_TRY([$CR_SAN_CFLAGS -fsanitize=fuzzer],
      [[#include <stddef.h>
        #include <stdint.h>
        int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }]],
      [cr_fuzzing=yes],
      [AC_MSG_ERROR([--enable-fuzzing: $CC cannot link with -fsanitize=fuzzer (configure CC=clang)])])
    CR_FUZZ_LDFLAGS="-fsanitize=fuzzer"
  ])
  AC_SUBST([CR_SAN_CFLAGS])
  AC_SUBST([CR_SAN_LDFLAGS])
  AC_SUBST([CR_FUZZ_LDFLAGS])
  AM_CONDITIONAL([CR_FUZZING], [test "x$cr_fuzzing" = xyes])
])

# _CR_SAN_TRY(FLAGS, PROGRAM, IF-LINKS, IF-NOT): links PROGRAM (an empty main when
# empty) with FLAGS in CFLAGS and LDFLAGS.
AC_DEFUN([_CR_SAN_TRY], [
  AC_MSG_CHECKING([whether $CC links with $1])
  cr_san_save_CFLAGS=$CFLAGS
  cr_san_save_LDFLAGS=$LDFLAGS
  CFLAGS="$CFLAGS $1"
  LDFLAGS="$LDFLAGS $1"
  AC_LINK_IFELSE([m4_ifval([$2], [AC_LANG_SOURCE([$2])], [AC_LANG_PROGRAM([], [])])],
    [AC_MSG_RESULT([yes]); $3], [AC_MSG_RESULT([no]); $4])
  CFLAGS=$cr_san_save_CFLAGS
  LDFLAGS=$cr_san_save_LDFLAGS
])
