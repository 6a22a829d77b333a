#!/bin/sh
# The man pages: each is its template plus the OPTIONS section generated from its
# program's option table (collroof, collroof-fit) or usage text (collroof-campaign)
# and is up to date; it documents exactly the options that source declares (and
# collroof-campaign's parser takes exactly those); groff renders it without a
# warning; docs/options.md's tables name every option. CR_UPDATE_MAN=1 rewrites the pages in the source tree (make update-man).
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
export top_builddir top_srcdir
. "$top_srcdir/tests/tap.sh"
MK="$top_srcdir/man/mkman.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/man.XXXXXX") || bail "cannot create a temporary directory"
trap 'rm -rf "$T"' EXIT INT TERM

# same WHAT FILE1 FILE2: the sorted option lists agree, or say which differ.
same() {
    if cmp -s "$2" "$3"; then ok "$1"; return; fi
    fail "$1"
    comm -3 "$2" "$3" | sed 's/^\t/    only in the page or parser: /; s/^--/    only in the table or usage: --/'
}

for page in collroof collroof-fit collroof-campaign; do
    man=$top_srcdir/man/$page.1
    if ! sh "$MK" "$page" >"$T/$page.1"; then
        fail "$page.1 can be generated"; continue
    fi
    if [ "${CR_UPDATE_MAN:-}" = 1 ]; then
        cmp -s "$T/$page.1" "$man" || { cp "$T/$page.1" "$man" && echo "updated $man"; }
        continue
    fi
    if diff -u "$man" "$T/$page.1" >"$T/diff"; then ok "$page.1 is up to date"
    else fail "$page.1 is up to date (make update-man rewrites it)"; cat "$T/diff"; fi
    # The page's option entries (.TP then \fB\-\-name\fR) against the declared names.
    sh "$MK" --list "$page" | sort -u >"$T/declared"
    sed -n '/^\.TP$/{n;p;}' "$man" | sed 's/\\-/-/g' |
        sed -n 's/^\(\\fB-.\\fR, \)\{0,1\}\\fB--\([A-Za-z0-9-]*\)\\fR.*/--\2/p' | sort -u >"$T/documented"
    check "$page declares options" test -s "$T/declared"
    same "$page.1 documents exactly the options $page declares" "$T/declared" "$T/documented"
    if command -v groff >/dev/null 2>&1; then
        groff -man -Tutf8 -ww -z "$man" >"$T/groff" 2>&1
        check "groff renders $page.1 without a warning" test ! -s "$T/groff"
        cat "$T/groff"
    else
        skip "groff renders $page.1 without a warning" "no groff here"
    fi
done

# docs/options.md's option tables name every option of collroof and collroof-fit.
for page in collroof collroof-fit; do
    missing=$(sh "$MK" --list "$page" | sort -u | while read -r o; do
        grep -q -- "\`$o\b\|[ ,]$o\b" "$top_srcdir/docs/options.md" || printf '%s ' "$o"; done)
    check "docs/options.md names every option of $page${missing:+ (missing: $missing)}" test -z "$missing"
done

# collroof-campaign's parser (its case arms) takes exactly the options its usage lists.
sh "$MK" --list collroof-campaign | sort -u >"$T/usage"
sed -n 's/^ *\(-[A-Za-z]|\)\{0,1\}\(--[a-z][a-z-]*\)).*/\2/p' \
    "$top_srcdir/scripts/collroof-campaign" | sort -u >"$T/parsed"
same "collroof-campaign parses exactly the options its usage lists" "$T/usage" "$T/parsed"
finish
