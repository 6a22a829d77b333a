# Spack recipe for collroof. Copy this directory into a Spack package repository
# (see contrib/spack/README.md); it is not part of Spack's builtin repository.

import os

from spack.package import *

try:  # Spack >= 1.0 keeps the build systems in the builtin package repository
    from spack_repo.builtin.build_systems.autotools import AutotoolsPackage
except ImportError:  # Spack 0.23 and 0.x before it export them from spack.package
    pass


class Collroof(AutotoolsPackage):
    """MPI collective rooflines: collroof measures all-reduce, all-gather,
    all-to-all, reduce-scatter, broadcast and point-to-point at every level of
    the topology (NUMA node, socket, host); collroof-fit fits latency and
    bandwidth ceilings and predicts the cost of any collective size and rank
    count."""

    # PLACEHOLDERS: replace the three addresses below with the project's real ones.
    homepage = "https://example.org/collroof"  # PLACEHOLDER
    url = "https://example.org/collroof/collroof-0.1.0.tar.gz"  # PLACEHOLDER (make dist)
    git = "https://example.org/collroof.git"  # PLACEHOLDER

    version("main", branch="main")
    # PLACEHOLDER: a tag of the git repository; once a `make dist` tarball is
    # published at `url`, replace with the line `spack checksum collroof 0.1.0` prints.
    version("0.1.0", tag="v0.1.0")

    variant(
        "numa",
        default=True,
        description="Place and verify buffers on NUMA nodes with libnuma (--mem); "
        "without it every buffer gets the kernel's default placement (mem=default)",
    )
    variant(
        "gnuplot",
        default=False,
        description="Depend on gnuplot to render the roofline and time plots (SVG, PNG); "
        "without it collroof-fit uses a gnuplot on PATH at run time, or writes the "
        "gnuplot scripts and data and prints the command that renders them",
    )

    depends_on("c", type="build")
    # A git clone has no configure script: autoreconf -fi needs the autotools,
    # and configure.ac's PKG_CHECK_MODULES needs pkg.m4 from pkg-config.
    depends_on("autoconf", type="build")
    depends_on("automake", type="build")
    depends_on("libtool", type="build")
    depends_on("m4", type="build")
    depends_on("pkgconfig", type="build")

    # One per m4/cr_*.m4 check (tests/spack-recipe.sh holds them in step).
    depends_on("mpi@3.1:")  # m4/cr_mpi.m4: MPI-3.1 (MPI_Iallreduce, MPI_Comm_split_type)
    depends_on("hwloc@2:")  # m4/cr_hwloc.m4
    depends_on("numactl", when="+numa")  # m4/cr_numa.m4: libnuma, optional
    depends_on("jansson@2.7:")  # m4/cr_jansson.m4
    depends_on("cunit", type="test")  # m4/cr_cunit.m4: unit tests of `make check`
    # configure records gnuplot's path (CR_GNUPLOT); collroof-fit runs it; PNG needs cairo.
    depends_on("gnuplot+cairo", type=("build", "run"), when="+gnuplot")

    def autoreconf(self, spec, prefix):
        # Every dependency's aclocal directory, so pkg.m4 and libtool.m4 are found
        # however Spack laid them out.
        args = ["-fi"]
        for dep in spec.dependencies(deptype="build"):
            aclocal = join_path(dep.prefix, "share", "aclocal")
            if os.path.isdir(aclocal):
                args += ["-I", aclocal]
        which("autoreconf")(*args)

    def configure_args(self):
        spec = self.spec
        mpicc = spec["mpi"].mpicc
        if os.path.basename(mpicc) == "mpicc":
            # --with-mpi=DIR takes DIR/bin/mpicc's flags and DIR/bin's launcher.
            args = ["--with-mpi={0}".format(os.path.dirname(os.path.dirname(mpicc)))]
        else:  # a wrapper by another name (Cray's cc): configure's MPICC variable
            args = ["MPICC={0}".format(mpicc)]
        # --with-numa makes a missing libnuma an error instead of a silent fallback.
        args.append("--with-numa" if spec.satisfies("+numa") else "--without-numa")
        if spec.satisfies("+gnuplot"):
            args.append("GNUPLOT={0}".format(spec["gnuplot"].prefix.bin.gnuplot))
        else:  # not a gnuplot that happens to be on the build's PATH: "gnuplot" at run time
            args.append("GNUPLOT=no")
        return args

    def check(self):
        # `spack install --test=root collroof`: the suite runs MPI jobs sized for
        # the build host's cores, so one test at a time. Tests that need root
        # (network namespaces, a private Slurm) or MPICH beside the chosen MPI skip.
        make("check", parallel=False)
