#!/bin/sh
# explain.sh — audit-explain on the performance targets' workload, beside SHAP's figures:
#   tree:   1000 rows, a forest of 100 trees of depth 8 (12 features), background 100
#   tree-path: the same rows and forest, its leaves given a recordCount
#   kernel: 100 rows of 12 features, nsamples 2048, background 100, the same forest
# The forest is random (written here by awk as PMML: a MiningModel averaging
# regression TreeModels), the rows uniform on [0, 1].
# shellcheck disable=SC2154  # _s: the seconds of the last bench_time (bench/lib.sh)
. bench/lib.sh
forest="$BENCH_DIR/forest100x8.pmml"
rows="$BENCH_DIR/explain-rows.csv"
bg="$BENCH_DIR/explain-bg.csv"
if [ ! -s "$forest" ] || [ ! -s "$rows" ] || [ ! -s "$bg" ]; then
	awk 'function node(depth, pred,    f, t) {
		if (depth == 0) {
			printf "<Node score=\"%.6f\">%s</Node>\n", rand(), pred
			return
		}
		f = 1 + int(rand() * 12); t = 0.1 + 0.8 * rand()
		printf "<Node>%s\n", pred
		node(depth - 1, sprintf("<SimplePredicate field=\"f%d\" operator=\"lessOrEqual\" value=\"%.4f\"/>", f, t))
		node(depth - 1, sprintf("<SimplePredicate field=\"f%d\" operator=\"greaterThan\" value=\"%.4f\"/>", f, t))
		printf "</Node>\n"
	}
	BEGIN {
		srand(8)
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header/><DataDictionary>"
		for (i = 1; i <= 12; i++) printf "<DataField name=\"f%d\" optype=\"continuous\" dataType=\"double\"/>\n", i
		print "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
		print "<MiningModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
		for (i = 1; i <= 12; i++) printf "<MiningField name=\"f%d\"/>\n", i
		print "</MiningSchema><Segmentation multipleModelMethod=\"average\">"
		for (s = 1; s <= 100; s++) {
			printf "<Segment id=\"%d\"><True/><TreeModel functionName=\"regression\" splitCharacteristic=\"binarySplit\"><MiningSchema>\n", s
			for (i = 1; i <= 12; i++) printf "<MiningField name=\"f%d\"/>\n", i
			print "</MiningSchema>"
			node(8, "<True/>")
			print "</TreeModel></Segment>"
		}
		print "</Segmentation></MiningModel></PMML>"
	}' >"$forest"
	for f in "$rows:1000:1" "$bg:100:2"; do
		awk -v n="$(echo "$f" | cut -d: -f2)" -v seed="$(echo "$f" | cut -d: -f3)" 'BEGIN {
			srand(seed)
			for (i = 1; i <= 12; i++) printf "%sf%d", (i > 1 ? "," : ""), i; print ""
			for (r = 0; r < n; r++) { for (i = 1; i <= 12; i++) printf "%s%.4f", (i > 1 ? "," : ""), rand(); print "" }
		}' >"$(echo "$f" | cut -d: -f1)"
	done
fi
bench_time "explain tree: 1000 rows, 100 trees x depth 8, K=100" 0 \
    "$BIN/audit-explain" -m "$forest" --background "$bg" --method tree -o /dev/null "$rows"
awk -v s="$_s" 'BEGIN { printf "  %.0f rows/s; SHAP TreeExplainer (interventional): 12.9 s = 78 rows/s\n", 1000 / s }'
bench_time "explain kernel: 100 rows, 12 features, nsamples 2048, K=100" 0 \
    "$BIN/audit-explain" -m "$forest" --background "$bg" --method kernel --nsamples 2048 \
    --rows 100 -o /dev/null "$rows"
awk -v s="$_s" 'BEGIN { printf "  %.1f rows/s; SHAP KernelExplainer: 56.8 s = 1.8 rows/s\n", 100 / s }'
bench_time "explain exact: 10 rows, 12 features (4095 coalitions), K=100" 0 \
    "$BIN/audit-explain" -m "$forest" --background "$bg" --method exact --rows 10 -o /dev/null "$rows"
awk -v s="$_s" 'BEGIN { printf "  %.2f rows/s (no peer figure)\n", 10 / s }'
echo "(kernel and exact are bound by the model: 20.5 and 4.1 million forest evaluations)"
# path-dependent Tree SHAP needs the leaves' training cover: the same forest with a
# recordCount on every leaf (deterministic counts 1..40)
forestc="$BENCH_DIR/forest100x8-cover.pmml"
if [ ! -s "$forestc" ]; then
	awk '{ while (match($0, /<Node score="[^"]*">/)) {
		n++; s = substr($0, RSTART, RLENGTH - 1)
		$0 = substr($0, 1, RSTART - 1) s " recordCount=\"" (1 + n * 7919 % 40) "\"" "\001" substr($0, RSTART + RLENGTH)
	} gsub(/\001/, ">"); print }' "$forest" >"$forestc"
fi
bench_time "explain tree-path: 1000 rows, 100 trees x depth 8" 0 \
    "$BIN/audit-explain" -m "$forestc" --method tree-path -o /dev/null "$rows"
awk -v s="$_s" 'BEGIN { printf "  %.0f rows/s, %.0f ns per leaf and row (25,600 leaves); SHAP TreeExplainer (path-dependent),\n  RF100 max_depth 8 on Adult, 14,870 leaves: 2.6 s = 385 rows/s, 175 ns per leaf and row\n", 1000 / s, s / 1000 / 25600 * 1e9 }'
