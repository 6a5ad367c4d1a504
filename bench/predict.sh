#!/bin/sh
# predict.sh — the PMML evaluator's throughput (target: at least 1 million rows
# per second per 100 trees): the engine alone on rows in memory (bench/predict.c)
# and audit-predict end to end (CSV in, CSV out, peak RSS): a synthetic forest
# of 100 trees of depth 8 (bench/forest.awk), then the suite's 71-tree boosted
# models (sklearn, XGBoost float32, LightGBM) and its random forests (needs
# ../shared/pmml-conformance; skipped, saying so, without it). The engine's
# figures are CPU time (the machine may be shared).
. bench/lib.sh
make -s "$BUILD/bench/predict" >/dev/null || exit 1
rows=${PREDICT_ROWS:-1000000}
fm="$BENCH_DIR/forest100.pmml"
fd="$BENCH_DIR/forest-$rows.csv"
[ -f "$fm" ] || awk -f bench/forest.awk >"$fm"
[ -f "$fd" ] || awk -v n="$rows" 'BEGIN { srand(5); print "f0,f1,f2,f3,f4,f5,f6,f7"
	for (i = 0; i < n; i++) { for (j = 0; j < 8; j++) printf "%s%.4f", j ? "," : "", rand(); print "" } }' >"$fd"
printf 'forest 100 trees depth 8 (engine): '
"$BUILD/bench/predict" "$fm" "$fd" 200000 5
bench_time "audit-predict forest 100 trees depth 8 ($rows rows)" "$(wc -c <"$fd")" \
	"$BIN/audit-predict" -m "$fm" -o "$BENCH_DIR/.pred.csv" "$fd"
S=../shared/pmml-conformance
if [ ! -d "$S" ]; then
	echo "predict: suite models skipped: $S is absent"
	exit 0
fi
for c in sklearn-gbm-audit xgboost-audit lightgbm-audit sklearn-rf-audit r-randomforest-audit sklearn-logreg-audit; do
	printf '%s (engine): ' "$c"
	"$BUILD/bench/predict" "$S/$c/model.pmml" "$S/$c/input.csv" 200000 5
done
f="$BENCH_DIR/audit-$rows.csv"
if [ ! -f "$f" ]; then
	awk -v n="$rows" 'NR == 1 { print; next } { l[++k] = $0 }
		END { for (i = 0; i < n; i++) print l[i % k + 1] }' "$S/sklearn-gbm-audit/input.csv" >"$f"
fi
bytes=$(wc -c <"$f")
bench_time "audit-predict sklearn-gbm-audit, 71 trees ($rows rows)" "$bytes" \
	"$BIN/audit-predict" -m "$S/sklearn-gbm-audit/model.pmml" -o "$BENCH_DIR/.pred.csv" "$f"
bench_time "audit-predict sklearn-rf-audit, 17 trees ($rows rows)" "$bytes" \
	"$BIN/audit-predict" -m "$S/sklearn-rf-audit/model.pmml" -o "$BENCH_DIR/.pred.csv" "$f"
rm -f "$BENCH_DIR/.pred.csv"
echo "(rows/s = $rows / seconds; target 1M rows/s per 100 trees, i.e. 1.4M rows/s at 71 trees)"
