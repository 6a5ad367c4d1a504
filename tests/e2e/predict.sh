#!/bin/sh
# predict.sh — audit-predict end to end: the reference models' scores, the
# conformance suite through the tool, hostile PMML in bounded time and memory.
. tests/e2e/lib.sh
P="$BIN/audit-predict"
S=$(t_shared)

# Hostile documents fail with exit 3 within 5 seconds of CPU and 256 MiB
# (AddressSanitizer reserves terabytes of address space: no -v limit there).
lim="ulimit -v 262144; ulimit -t 5"
case $BIN in *asan*) lim="ulimit -t 5" ;; esac
for f in billion-laughs xxe truncated unsupported nested-predicates function-bomb; do
	t_run "hostile $f" 3 sh -c "$lim; exec $P -m tests/data/pmml/$f.pmml tests/data/pmml/logreg.csv"
done
# 100,000 nested elements
awk 'BEGIN { printf "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\">"; for (i = 0; i < 100000; i++) printf "<a>"; print "" }' > "$T_TMP/deep.pmml"
t_run "hostile deep nesting" 3 sh -c "$lim; exec $P -m $T_TMP/deep.pmml tests/data/pmml/logreg.csv"
t_eq "deep nesting message" "$(grep -c 'elements nested deeper than 256 levels (the limit)' "$T_ERR")" 1

if [ -z "$S" ]; then
	t_skip "reference scores" "../shared is absent"
	t_done
	exit $?
fi

# The reference models reproduce scikit-learn's probabilities (1e-12).
for c in explain-adult-rf explain-german-logreg; do
	t_ok "$c predict" "$P" -m "$S/reference/$c/model.pmml" -o "$T_TMP/$c.csv" "$S/reference/$c/rows.csv"
	bad=$(awk -F, 'NR == FNR { if (FNR > 1) want[FNR] = $1; next }
		FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "score") col = i; next }
		{ d = $col - want[FNR]; if (d < 0) d = -d; if (d > 1e-12 * (want[FNR] < 1 ? 1 : want[FNR])) n++ }
		END { print n + 0 }' "$S/reference/$c/expected_scores.csv" "$T_TMP/$c.csv")
	t_eq "$c scores within 1e-12" "$bad" 0
	t_eq "$c rows" "$(wc -l < "$T_TMP/$c.csv")" "$(wc -l < "$S/reference/$c/rows.csv")"
done

# --all-outputs names and values as the conformance suite (one case per exporter family).
for c in sklearn-gbm-audit r-glm-audit knime-dtree-audit; do
	d="$S/pmml-conformance/$c"
	t_ok "$c all-outputs" "$P" --all-outputs --na 'N/A,NA,' -m "$d/model.pmml" -o "$T_TMP/out.csv" "$d/input.csv"
	bad=$(awk -F, 'NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) ecol[$i] = i } else for (k in ecol) e[FNR, k] = $ecol[k]; next }
		FNR == 1 { for (i = 1; i <= NF; i++) if ($i in ecol) ocol[$i] = i; next }
		{ for (k in ocol) { w = e[FNR, k]; g = $ocol[k]; d = g - w; if (d < 0) d = -d;
		    if (d > 1e-12 * (w < 0 ? -w : w) + 1e-13) n++ } }
		END { print n + 0 }' "$d/expected.csv" "$T_TMP/out.csv")
	t_eq "$c values" "$bad" 0
done
t_done
