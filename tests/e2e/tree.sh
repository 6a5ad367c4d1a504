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

# make -n -W HEADER: what would be compiled if HEADER changed now
would_compile() {
	make --no-print-directory -n BUILD="$BUILD" -o Makefile -W "$1" "$2" 2>/dev/null |
	    sed -n 's/.* CC  *\([^ "]*\).*/\1/p' | tr '\n' ' '
}
if ls "$BUILD"/dep/*.d >/dev/null 2>&1; then
	t_eq "a public header rebuilds only the objects that include it" \
	    "$(would_compile include/audit/synth.h "$LIB")" "libaudit/synth.c "
	t_eq "a private header rebuilds only the objects that include it" \
	    "$(would_compile libaudit/fairness_sort.h "$LIB")" \
	    "$(grep -l '"fairness_sort.h"' libaudit/*.c | tr '\n' ' ')"
	# a tool's dependency list names the headers it includes, not another tool's
	t_eq "a tool depends on the headers it includes" \
	    "$(grep -l 'include/audit/synth\.h' "$BUILD"/dep/*_audit-*.d | sed 's|.*/||')" \
	    "$(echo "$BIN" | tr / _)_audit-synth.d"
else
	t_skip "header dependencies" "no $BUILD/dep/*.d: build first (make check-build)"
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
t_done
