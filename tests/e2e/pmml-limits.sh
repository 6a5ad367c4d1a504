#!/bin/sh
# pmml-limits.sh — PMML documents at the loader's limits, with little stack.
. tests/e2e/lib.sh

printf 'x\n0.999\n0.3\n' > "$T_TMP/x.csv"

# A 200-level tree evaluates (node 199 for 0.999; node 59 has no true child
# for 0.3: null) even with a 256 KiB stack; a deeper one than the parser
# admits is one line, exit 3.
t_run "deep tree, ulimit -s 256" 0 sh -c "ulimit -s 256 && exec \"$BIN/audit-predict\" -m tests/data/pmml/deep-tree-200.pmml \"$T_TMP/x.csv\""
t_eq "deep tree scores" "$(cat "$T_OUT")" "$(printf 'x,score\n0.999,199\n0.3,')"
t_run "too deep a tree, ulimit -s 256" 3 sh -c "ulimit -s 256 && exec \"$BIN/audit-predict\" -m tests/data/pmml/deep-tree-255.pmml \"$T_TMP/x.csv\""
t_eq "too deep a tree: one line" "$(wc -l < "$T_ERR" | tr -d ' ')" 1
t_eq "too deep a tree: names the limit" \
	"$(sed 's/.*: elements nested/elements nested/' "$T_ERR")" "elements nested deeper than 256 levels (the limit)"

t_done
