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

# rate LABEL UNITS CMD...: time CMD and print UNITS per second
rate() {
	_l=$1; _u=$2; shift 2
	bench_time "$_l" 0 "$@" || return 1
	awk -v l="$_l" -v u="$_u" -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0;
	    for (i = 1; i <= n; i++) s = s * 60 + a[i];
	    if (s > 0) printf "%-48s %12.0f rows x perturbations / s\n", l, u / s }' "$BENCH_DIR/.time"
}

P3="--perturb gaussian:0.1 --perturb swap:0.1 --perturb missing:0.1"
if "$R" -m "$RF/model.pmml" --no-by-feature --perturb gaussian:0.1 -o /dev/null "$RF/input.csv" 2>/dev/null; then
	rate "forest (PMML), 3 perturbations, $ROWS rows" $((ROWS * 3)) \
	    "$R" -m "$RF/model.pmml" --no-by-feature $P3 -o /dev/null "$DATA"
	# by_feature: each of the 9 features alone as well (1 + 9 runs of each kind that touches it)
	rate "forest (PMML), gaussian + by_feature" $((ROWS * 7)) \
	    "$R" -m "$RF/model.pmml" --perturb gaussian:0.1 -o /dev/null "$DATA"
	rate "forest (PMML), counterfactual Gender" "$ROWS" \
	    "$R" -m "$RF/model.pmml" --counterfactual Gender -o /dev/null "$DATA"
else
	echo "robust: PMML model not loadable here (PMML engine missing?); forest runs skipped"
fi
# A model command: a linear score in awk, started once per batch of 100000 rows.
CMD='awk -F, "NR > 1 { s = 0.02 * \$1 + 0.00001 * \$2 + 0.01 * \$3 - 2; print 1 / (1 + exp(-s)) }"'
rate "--model-cmd (awk), 3 perturbations, $ROWS rows" $((ROWS * 3)) \
    "$R" --model-cmd "$CMD" --features Age,Income,Hours --no-by-feature \
    --perturb gaussian:0.1 --perturb uniform:0.1 --perturb missing:0.1 -o /dev/null "$DATA"
