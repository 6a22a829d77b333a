# CR_CHECK_MPI: find an MPI-3.1 C library.
# Order: --with-mpi=openmpi|mpich|DIR, then MPICC=wrapper, then mpicc on PATH,
# then pkg-config (ompi-c, mpich). The wrapper's own flags are extracted so that
# the serial parts (collroof-fit) are built with the plain compiler, without MPI.
AC_DEFUN([CR_CHECK_MPI], [
  AC_ARG_WITH([mpi],
    [AS_HELP_STRING([--with-mpi=openmpi|mpich|DIR],
      [MPI library: a Debian flavour or an install prefix holding bin/mpicc])],
    [], [with_mpi=check])
  AC_ARG_VAR([MPICC], [MPI C compiler wrapper whose flags are used (default: mpicc)])
  cr_mpi_how=
  cr_mpi_bindir=
  AS_CASE([$with_mpi],
    [openmpi], [cr_pc=ompi-c; MPICC=${MPICC:-mpicc.openmpi}],
    [mpich],   [cr_pc=mpich;  MPICC=${MPICC:-mpicc.mpich}],
    [check|yes], [cr_pc=],
    [no], [AC_MSG_ERROR([collroof needs MPI; --without-mpi is not supported])],
    [cr_pc=; MPICC="$with_mpi/bin/mpicc"; cr_mpi_bindir="$with_mpi/bin"])
  AS_IF([test -z "$MPICC"], [AC_PATH_PROG([MPICC], [mpicc], [])])
  AS_IF([test -n "$MPICC"], [
    AC_MSG_CHECKING([MPI flags from $MPICC])
    cr_show=`$MPICC --showme 2>/dev/null` || cr_show=
    AS_IF([test -z "$cr_show"], [cr_show=`$MPICC -show 2>/dev/null` || cr_show=])
    AS_IF([test -n "$cr_show"], [
      MPI_CFLAGS=; MPI_LIBS=
      set dummy $cr_show; shift; shift
      for cr_w in "$[@]"; do
        AS_CASE([$cr_w], [-I*|-D*|-pthread], [MPI_CFLAGS="$MPI_CFLAGS $cr_w"],
                         [-c|-o], [], [MPI_LIBS="$MPI_LIBS $cr_w"])
      done
      cr_mpi_how="wrapper $MPICC"
      AC_MSG_RESULT([ok])
    ], [AC_MSG_RESULT([no output])])
  ])
  AS_IF([test -z "$cr_mpi_how"], [
    for cr_p in $cr_pc ompi-c mpich; do
      PKG_CHECK_EXISTS([$cr_p], [
        MPI_CFLAGS=`$PKG_CONFIG --cflags $cr_p`; MPI_LIBS=`$PKG_CONFIG --libs $cr_p`
        cr_mpi_how="pkg-config $cr_p"; break])
    done
  ])
  AS_IF([test -z "$cr_mpi_how"],
    [AC_MSG_ERROR([no MPI found: install Open MPI (apt-get install libopenmpi-dev openmpi-bin) or pass --with-mpi=openmpi|mpich|DIR or MPICC=wrapper])])
  cr_save_CFLAGS=$CFLAGS; cr_save_LIBS=$LIBS
  CFLAGS="$CFLAGS $MPI_CFLAGS"; LIBS="$MPI_LIBS $LIBS"
  AC_MSG_CHECKING([for an MPI-3.1 library that links])
  AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <mpi.h>
#if MPI_VERSION < 3 || (MPI_VERSION == 3 && MPI_SUBVERSION < 1)
#error MPI-3.1 required
#endif]], [[MPI_Request r; MPI_Iallreduce(0, 0, 0, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &r);
     return MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, 0);]])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no]); AC_MSG_ERROR([$cr_mpi_how does not give a working MPI-3.1 C library])])
  # Which library mpi.h is: its launcher and its binding syntax differ.
  AC_MSG_CHECKING([which MPI library mpi.h belongs to])
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <mpi.h>
#ifndef OMPI_MAJOR_VERSION
#error not Open MPI
#endif]], [])], [cr_mpi_flavour=openmpi],
    [AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#include <mpi.h>
#ifndef MPICH_VERSION
#error not MPICH
#endif]], [])], [cr_mpi_flavour=mpich], [cr_mpi_flavour=other])])
  AC_MSG_RESULT([$cr_mpi_flavour])
  CFLAGS=$cr_save_CFLAGS; LIBS=$cr_save_LIBS
  AC_DEFINE_UNQUOTED([CR_MPI_FLAVOUR], ["$cr_mpi_flavour"],
    [the MPI library collroof is built with: openmpi, mpich or other (launcher advice)])
  AS_CASE([$cr_mpi_flavour],
    [openmpi], [AC_DEFINE([CR_MPI_OPENMPI], [1], [built with Open MPI])],
    [mpich], [AC_DEFINE([CR_MPI_MPICH], [1], [built with MPICH (hydra launcher)])])
  # The launcher of that library: an install prefix's own first, then the names a
  # Debian-style system gives each flavour (mpiexec there may be the other one's).
  AS_IF([test -z "$cr_mpi_bindir"], [AS_CASE([$MPICC], [/usr/bin/*|/bin/*], [],
    [*/*], [cr_mpi_bindir=`AS_DIRNAME(["$MPICC"])`])])
  AS_IF([test -z "$MPIEXEC" && test -n "$cr_mpi_bindir"], [
    for cr_n in mpiexec mpirun; do
      AS_IF([test -x "$cr_mpi_bindir/$cr_n"], [MPIEXEC="$cr_mpi_bindir/$cr_n"; break])
    done])
  AS_CASE([$cr_mpi_flavour],
    [openmpi], [cr_launchers="mpiexec.openmpi mpirun.openmpi mpiexec mpirun"],
    [mpich], [cr_launchers="mpiexec.hydra mpiexec.mpich mpirun.mpich mpiexec mpirun"],
    [cr_launchers="mpiexec mpirun"])
  AC_PATH_PROGS([MPIEXEC], [$cr_launchers], [no])
  AC_SUBST([MPIEXEC])
  AC_SUBST([MPI_CFLAGS])
  AC_SUBST([MPI_LIBS])
])
