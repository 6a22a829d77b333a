#!/bin/sh
# contrib/spack/collroof/package.py stays in step with configure: it parses as
# Python, passes only --with-*/--enable-* options (and VAR= settings) configure
# knows, and depends on a Spack package for every m4/cr_*.m4 library check.
. "$(dirname "$0")/lib.sh"
RECIPE="$top_srcdir/contrib/spack/collroof/package.py"
[ -r "$RECIPE" ] || skip_all "$RECIPE not found"
T=$(tmpdir)
trap 'rm -rf "$T"' EXIT

if command -v python3 >/dev/null 2>&1; then
    check "package.py parses as Python" \
        python3 -c "import ast,sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])" "$RECIPE"
else
    skip "package.py parses as Python" "python3 not installed (apt-get install python3)"
fi

"$top_srcdir/configure" --help >"$T/help" 2>&1
check "configure --help runs" grep -q -- '--with-mpi' "$T/help"

# Options in quoted strings of the recipe: "--with-mpi=...", '--enable-foo'.
grep -oE "[\"'](--(with|without|enable|disable)-[A-Za-z0-9_-]+)" "$RECIPE" |
    cut -c2- | sort -u >"$T/opts"
check "the recipe passes configure options" test -s "$T/opts"
while read -r opt; do
    # configure --help names --with-X for --without-X, and one of
    # --enable-X / --disable-X for the pair.
    name=${opt#--*-}
    case $opt in
        --with-*|--without-*) pat="--with(out)?-$name([=[ ]|$)" ;;
        *) pat="--(enable|disable)-$name([=[ ]|$)" ;;
    esac
    check "configure accepts $opt" grep -qE -- "$pat" "$T/help"
done <"$T/opts"

# VAR=value settings ("MPICC={0}", "GNUPLOT=no"): a variable configure reads.
grep -oE "[\"'][A-Z][A-Z0-9_]*=" "$RECIPE" | tr -d "\"'=" | sort -u >"$T/vars"
while read -r var; do
    check "configure reads $var" grep -qE "(^|[^A-Za-z0-9_])$var([^A-Za-z0-9_]|$)" "$top_srcdir/configure"
done <"$T/vars"

# Every library configure checks for (m4/cr_NAME.m4) has a depends_on; the
# Spack package's name where it differs from the check's.
for m4 in "$top_srcdir"/m4/cr_*.m4; do
    name=$(basename "$m4" .m4); name=${name#cr_}
    case $name in
        sanitizers) continue ;;   # compiler flags for testing, no library
        numa) pkg=numactl ;;
        *) pkg=$name ;;
    esac
    check "m4/cr_$name.m4 is covered by depends_on(\"$pkg...\")" \
        grep -qE "depends_on\(\"$pkg([@+~ \"]|$)" "$RECIPE"
done
finish
