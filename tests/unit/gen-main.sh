#!/bin/sh
# gen-main.sh FILE.c — print a main() that runs every test function of FILE.c:
# `void test_<module>__<case>(void)`, on one line or with `void` on the line above.
set -eu
names=$(sed -n 's/^\(void[[:space:]]\{1,\}\)\{0,1\}\(test_[A-Za-z0-9_]*__[A-Za-z0-9_]*\)[[:space:]]*(void).*/\2/p' "$1")
echo '#include "runner.h"'
for n in $names; do echo "void $n(void);"; done
echo 'static const struct aud_test_case cases[] = {'
for n in $names; do echo "	{ \"$n\", $n },"; done
echo '	{ 0, 0 } };'
echo 'int main(int argc, char **argv) { return aud_test_main(cases, sizeof(cases) / sizeof(cases[0]) - 1, argc, argv); }'
