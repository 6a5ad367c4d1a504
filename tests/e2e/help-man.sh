#!/bin/sh
# help-man.sh — every tool's --help and man page say the same: --help exits 0
# and no line of it is wider than 79 columns; every long option of --help is
# in the man page, and every option the man page describes (its SYNOPSIS and
# the options it lists) is an option of --help; --version prints
# "TOOL (rai-audit) VERSION" with the library's version.
. tests/e2e/lib.sh
version=$(sed -n 's/^#define AUD_VERSION "\(.*\)"$/\1/p' include/audit/text.h)
[ -n "$version" ] || t_fail "AUD_VERSION found in include/audit/text.h"
for t in "$BIN"/audit-*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	man="man/$name.1"
	t_run "$name --help exits 0" 0 "$t" --help
	help="$T_TMP/$name.help"
	cp "$T_OUT" "$help"
	# columns are characters: drop UTF-8 continuation bytes before counting
	wide=$(tr -d '\200-\277' <"$help" | awk 'length($0) > 79 { printf "%d:%d ", NR, length($0) }')
	t_eq "$name --help has no line over 79 columns" "$wide" ""
	t_run "$name --version exits 0" 0 "$t" --version
	t_eq "$name --version" "$(cat "$T_OUT")" "$name (rai-audit) $version"
	if [ ! -f "$man" ]; then
		t_fail "$name has a man page" "$man is missing"
		continue
	fi
	# the options --help describes: its option lines ("  -o, --output", "      --na")
	hopts=$(grep -E '^(  -[A-Za-z0-9]|      --[a-z])' "$help" |
	    grep -oE -- '(^| )--?[A-Za-z0-9][A-Za-z0-9-]*' | sed 's/^ //' | sort -u)
	# the options of the man page: its SYNOPSIS and the tagged paragraphs (.TP)
	src=$(sed 's/\\//g' "$man")
	mopts=$(sed 's/\\//g; s/fB//g; s/fR//g; s/fI//g' "$man" | awk '
	    /^\.SH/ { syn = ($0 ~ /SYNOPSIS/) }
	    syn || tp { print }
	    { tp = ($0 ~ /^\.TP/) }' |
	    grep -oE -- '(^|[][ "(|])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed 's/^[][ "(|]//' |
	    grep -vE '^-[A-Za-z0-9]{2,}$' | sort -u)
	missing=""
	for o in $(grep -oE -- '--[a-z][a-z0-9-]+' "$help" | sort -u); do
		case "$src" in *"$o"*) ;; *) missing="$missing $o" ;; esac
	done
	t_eq "$name man page names every long option of --help" "$missing" ""
	extra=""
	for o in $mopts; do
		echo "$hopts" | grep -qxF -- "$o" || extra="$extra $o"
	done
	t_eq "$name --help has every option its man page lists" "$extra" ""
done
t_done
