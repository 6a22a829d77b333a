#!/bin/sh
# The fuzz harnesses' entry points (tests/fuzz/fuzz_*.c) over their seed and
# regression corpus, without libFuzzer (tests/fuzz/replay.c): every crash the fuzzers
# once found stays fixed in every build, sanitized or not.
. "$(dirname "$0")/lib.sh"
for t in sizes cli csv jsonl; do
    dir="$top_srcdir/tests/fuzz/corpus/$t"
    n=$(ls "$dir" | wc -l)
    if [ "$n" -eq 0 ]; then
        fail "corpus $t is not empty"
        continue
    fi
    out=$("$top_builddir/tests/fuzz/replay_$t" "$dir" 2>&1 >/dev/null)
    rc=$?
    [ $rc -eq 0 ] || printf '%s\n' "$out" | tail -40
    check "replay_$t runs its $n corpus inputs (exit $rc)" test $rc -eq 0
done
finish
