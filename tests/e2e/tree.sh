#!/bin/sh
# tree.sh — the shape of the build and of the shipped text:
#  - each object is rebuilt when a header it includes changes, and only then
#    (the compiler's own dependency lists, not "every object depends on every header");
#  - the tools are compiled with the public headers only (include/), never libaudit/;
#  - no comment, help text, man page or build file cites a document that is not in
#    the repository: the project explains itself (docs/).
. tests/e2e/lib.sh
BUILD=${BUILD:-build}
LIB="$BUILD/libaudit.a"

# make -n [-W HEADER]: the sources that would be compiled (if HEADER changed), one a line
would_compile() {
	make --no-print-directory -n BUILD="$BUILD" -o Makefile ${1:+-W "$1"} "$LIB" 2>/dev/null |
	    sed -n 's/.* CC  *\([^ "]*\).*/\1/p' | sort
}
# check_header NAME HEADER SOURCE...: changing HEADER recompiles exactly the SOURCEs
# (besides what is out of date already)
check_header() {
	name=$1 h=$2
	shift 2
	printf '%s\n' "$@" | sort >"$T_TMP/want"
	would_compile >"$T_TMP/before"
	would_compile "$h" >"$T_TMP/with"
	got=$(comm -23 "$T_TMP/with" "$T_TMP/before" | comm -23 - "$T_TMP/want" | tr '\n' ' ')
	lost=$(comm -23 "$T_TMP/want" "$T_TMP/with" | tr '\n' ' ')
	t_eq "$name" "rebuilt besides: '$got'; not rebuilt: '$lost'" "rebuilt besides: ''; not rebuilt: ''"
}
if ls "$BUILD"/dep/*.d >/dev/null 2>&1; then
	check_header "a public header rebuilds only the objects that include it" \
	    include/audit/synth.h libaudit/synth.c libaudit/synth_sentiment.c
	# shellcheck disable=SC2046
	check_header "a private header rebuilds only the objects that include it" \
	    libaudit/fairness_sort.h $(grep -l '"fairness_sort.h"' libaudit/*.c)
	# a tool's dependency list names the headers it includes, not another tool's
	t_eq "a tool depends on the headers it includes" \
	    "$(grep -l 'include/audit/synth\.h' "$BUILD"/dep/*_audit-*.d | sed 's|.*/||')" \
	    "$(echo "$BIN" | tr / _)_audit-synth.d"
else
	# make check builds first: no list means the compiles do not write them
	t_fail "header dependencies" "no $BUILD/dep/*.d after the build"
fi

# the tools' compile line: -Iinclude, no -Ilibaudit
line=$(make --no-print-directory -n -B BUILD="$BUILD" -o "$LIB" "$BIN/audit-fair" 2>/dev/null |
    grep -- 'tools/audit-fair.c')
t_eq "a tool is compiled with -Iinclude" "$(echo "$line" | grep -c -- ' -Iinclude')" 1
t_eq "a tool is not compiled with -Ilibaudit" "$(echo "$line" | grep -c -- '-Ilibaudit')" 0
t_eq "no tool includes a private header" \
    "$(grep -ln '^#include "' tools/*.c bench/*.c tests/fuzz/*.c 2>/dev/null)" ""

# citations of documents outside the repository (section numbers of a contract or
# of a style guide; in what is installed, the sibling folder of reference data)
cites=$(grep -rn 'SPEC [0-9]\|SPEC;\|(SPEC\|STYLE [0-9]' \
    tools libaudit include man Makefile scripts tests/*.sh bench README.md docs 2>/dev/null)
t_eq "no citation of a document outside the repository" "$cites" ""
t_eq "nothing installed points to ../shared" \
    "$(grep -rn '\.\./shared' tools libaudit include man 2>/dev/null)" ""

# the module map of docs/architecture.md names every source file and header
if [ -f docs/architecture.md ]; then
	missing=""
	for f in libaudit/*.c libaudit/*.h include/audit/*.h; do
		grep -q "\`$(basename "$f")\`" docs/architecture.md || missing="$missing $f"
	done
	t_eq "docs/architecture.md maps every module" "$missing" ""
else
	t_fail "docs/architecture.md maps every module" "docs/architecture.md is missing"
fi
t_eq "README links the docs" "$(grep -c '(docs/architecture.md)' README.md | awk '$1 > 0 { print "yes" }')" yes
t_done
