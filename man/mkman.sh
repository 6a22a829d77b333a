#!/bin/sh
# mkman.sh PAGE: prints man/PAGE.1, its template man/PAGE.1.in with the line
# @OPTIONS@ replaced by the OPTIONS section generated from the program's option
# table (cr_mangen) or, for collroof-campaign, from its --help text.
#   mkman.sh --list PAGE: the long options PAGE's source of truth declares.
# Uses $top_srcdir and $top_builddir (default: this script's parent directory).
set -u
list=''
[ "${1:-}" = --list ] && { list=1; shift; }
[ $# = 1 ] || { echo "usage: mkman.sh [--list] collroof|collroof-fit|collroof-campaign" >&2; exit 2; }
page=$1
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}

# collroof-campaign's usage text: "  [-x, ]--name [ARG]  help" lines, continued on
# lines indented deeper; printed as roff .TP entries, or as names with --list.
campaign_options() {
    [ -n "$list" ] || echo ".SH OPTIONS"
    bash "$top_srcdir/scripts/collroof-campaign" --help | awk -v list="$list" '
    function roff(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); return s }
    function flush() {
        if (spec == "") return
        n = split(spec, w, " ")
        head = ""
        for (i = 1; i <= n; i++) {
            if (w[i] ~ /^--/) { name = w[i]; head = head "\\fB" roff(w[i]) "\\fR" }
            else if (w[i] ~ /^-.,$/) head = head "\\fB" roff(substr(w[i], 1, 2)) "\\fR, "
            else head = head " \\fI" roff(w[i]) "\\fR"
        }
        if (list) print name
        else {
            d = index(text, "[default:")   # on a line of its own, as cr_cli_man puts it
            if (d > 1) text = substr(text, 1, d - 2) "\n.br\n" substr(text, d)
            printf ".TP\n%s\n%s\n", head, roff(text)
        }
        spec = ""
    }
    /^  -/ {
        flush()
        line = substr($0, 3)
        p = match(line, /  +/)
        spec = p ? substr(line, 1, p - 1) : line
        text = p ? substr(line, p + RLENGTH) : ""
        next
    }
    /^      +[^ ]/ && spec != "" { sub(/^ +/, ""); text = text " " $0; next }
    { flush() }
    END { flush() }'
}

options() {
    case $page in
        collroof|collroof-fit)
            [ -x "$top_builddir/man/cr_mangen" ] ||
                { echo "mkman.sh: $top_builddir/man/cr_mangen not built (make check builds it)" >&2; return 1; }
            if [ -n "$list" ]; then "$top_builddir/man/cr_mangen" --list "$page"
            else "$top_builddir/man/cr_mangen" "$page"; fi ;;
        collroof-campaign) campaign_options ;;
        *) echo "mkman.sh: no page '$page'" >&2; return 2 ;;
    esac
}

if [ -n "$list" ]; then
    options
    exit
fi
tmp=$(mktemp "${TMPDIR:-/tmp}/mkman.XXXXXX") || exit 1
trap 'rm -f "$tmp"' EXIT
options >"$tmp" || exit 1
awk -v gen="$tmp" '$0 == "@OPTIONS@" { while ((getline l < gen) > 0) print l; next } { print }' \
    "$top_srcdir/man/$page.1.in"
