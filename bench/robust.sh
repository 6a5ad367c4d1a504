#!/bin/sh
# robust.sh — audit-robust throughput: rows x perturbations per second through
# a PMML forest (scikit-learn's, from the conformance suite) and through a
# --model-cmd model. Prints seconds, rows x perturbations / s and peak RSS.
. bench/lib.sh
R="$BIN/audit-robust"
RF=../shared/pmml-conformance/sklearn-rf-audit
ROWS=${ROBUST_ROWS:-200000}
DATA="$BENCH_DIR/robust-audit-$ROWS.csv"

if [ ! -f "$RF/input.csv" ]; then
	echo "robust: skipped ($RF absent)"
	exit 0
fi
if [ ! -f "$DATA" ]; then
	# the conformance input repeated to ROWS rows
	awk -v n="$ROWS" 'NR == 1 { print; next } { r[++m] = $0 }
	    END { for (i = 0; i < n; i++) print r[i % m + 1] }' "$RF/input.csv" >"$DATA"
fi

# rate LABEL CMD...: time CMD (which writes JSON to stdout) and print the
# perturbed rows it scored (every perturbation and each feature alone; for flip
# and grid the variants) per second
rate() {
	_l=$1; shift
	bench_time "$_l" 0 "$@" || return 1
	_u=$(jq '[.results.perturbations[] | (.variants // .rows) +
	    ([.by_feature[]? | .variants // .rows] | add // 0)] | add' "$BENCH_DIR/.out")
	awk -v l="$_l" -v u="$_u" -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0;
	    for (i = 1; i <= n; i++) s = s * 60 + a[i];
	    if (s > 0) printf "%-48s %12.0f rows x perturbations / s (%.0f)\n", l, u / s, u }' "$BENCH_DIR/.time"
}

P3="--perturb gaussian:0.1 --perturb swap:0.1 --perturb missing:0.1"
if "$R" -m "$RF/model.pmml" --no-by-feature --perturb gaussian:0.1 -o /dev/null "$RF/input.csv" 2>/dev/null; then
	rate "forest (PMML), 3 perturbations, $ROWS rows" \
	    "$R" -q -m "$RF/model.pmml" --no-by-feature $P3 --format json "$DATA"
	# by_feature: each numeric feature alone as well
	rate "forest (PMML), gaussian + by_feature" \
	    "$R" -q -m "$RF/model.pmml" --perturb gaussian:0.1 --format json "$DATA"
	rate "forest (PMML), counterfactual Gender" \
	    "$R" -q -m "$RF/model.pmml" --counterfactual Gender --format json "$DATA"
	rate "forest (PMML), adversarial:0.2, 1899 rows" \
	    "$R" -q -m "$RF/model.pmml" --no-by-feature --perturb adversarial:0.2 --format json \
	    "$RF/input.csv"
else
	echo "robust: PMML model not loadable here (PMML engine missing?); forest runs skipped"
fi
# A model command: a linear score in awk, started once per batch of 100000 rows.
CMD='awk -F, "NR > 1 { s = 0.02 * \$1 + 0.00001 * \$2 + 0.01 * \$3 - 2; print 1 / (1 + exp(-s)) }"'
rate "--model-cmd (awk), 3 perturbations, $ROWS rows" \
    "$R" -q --model-cmd "$CMD" --features Age,Income,Hours --no-by-feature \
    --perturb gaussian:0.1 --perturb uniform:0.1 --perturb missing:0.1 --format json "$DATA"
