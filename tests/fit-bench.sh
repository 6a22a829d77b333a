#!/bin/sh
# scripts/bench-fit runs and prints its figures (small size for make check).
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
out=$(sh "$top_srcdir/scripts/bench-fit" "$top_builddir/collroof-fit" 50 100)
echo "$out"
echo "$out" | grep -q "samples/s"
