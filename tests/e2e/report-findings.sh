#!/bin/sh
# report-findings.sh — what the report says around the numbers: the
# counterfactual flip test as a key finding and under the course's name, each
# explanation method's own text, categorical partial dependence, findings once
# per document, contents, model card, provenance (pdftotext).
. tests/e2e/lib.sh
D=tests/data/report
R="$BIN/audit-report"

if ! command -v pdftotext >/dev/null 2>&1; then
	t_skip "report findings" "poppler-utils (pdftotext) not installed"
	t_done
	exit $?
fi
# text of a PDF on one line (table cells and bullets wrap)
flat() { pdftotext "$1" - 2>/dev/null | tr '\n' ' ' | tr -s ' '; }

# anti-classification: the flip test is a key finding, with N of M and the percentage
t_run "robust report" 0 "$R" -o "$T_TMP/rob.pdf" $D/robust.json
flat "$T_TMP/rob.pdf" >"$T_TMP/rob.txt"
jq -r '.results.perturbations[] | select(.spec | startswith("flip:")) | [(.spec | ltrimstr("flip:")), .flips, .rows] | @tsv' \
	$D/robust.json >"$T_TMP/flips.tsv"
while IFS="$(printf '\t')" read -r col fl rows; do
	pct=$(awk -v f="$fl" -v n="$rows" 'BEGIN { p = 100 * f / n; if (p == int(p)) printf "%d", p; else printf "%.4g", p }')
	if grep -qF "Anti-classification: flipping '$col' changes $fl of $rows decisions ($pct %)" "$T_TMP/rob.txt"; then
		t_pass "finding: flipping '$col' ($fl of $rows, $pct %)"
	else
		t_fail "finding: flipping '$col' ($fl of $rows, $pct %)"
	fi
done <"$T_TMP/flips.tsv"
t_eq "flip rows in the table carry the course's name" \
	"$(grep -o 'flip:[a-z]* anti-classification / counterfactual flip' "$T_TMP/rob.txt" | wc -l | tr -d ' ')" \
	"$(wc -l <"$T_TMP/flips.tsv" | tr -d ' ')"

# each explanation method its own text. Fixtures written by audit-explain on
# datasets/credit.csv with the planted model: explain-permutation.json
# (--method permutation --label label --metric accuracy --rows 500 --protected
# sex,group), explain-pdp-categorical.json (--method pdp --rows 200 --protected
# sex; only age and region kept, ICE curves removed)
section() { pdftotext "$1" - 2>/dev/null | tr -d '\f' | sed -n '/^Explanations$/,/^Appendix$/p'; }
t_run "permutation report" 0 "$R" -o "$T_TMP/perm.pdf" $D/explain-permutation.json
section "$T_TMP/perm.pdf" >"$T_TMP/perm.txt"
t_eq "permutation: section found" "$(grep -c '^Explanations$' "$T_TMP/perm.txt")" 1
t_eq "permutation: no Shapley text" "$(grep -c 'Shapley\|base value' "$T_TMP/perm.txt")" 0
t_eq "permutation: method named" "$(grep -c 'Method: permutation importance' "$T_TMP/perm.txt")" 1
t_eq "permutation: chart title names the drop" "$(grep -c '^Global importance (permutation: drop in accuracy)$' "$T_TMP/perm.txt")" 1
t_eq "permutation: axis names the metric" "$(grep -c '^drop in accuracy when the feature is shuffled, with 95% interval$' "$T_TMP/perm.txt")" 1
t_eq "permutation: table header names the drop" "$(tr '\n' ' ' <"$T_TMP/perm.txt" | grep -c '(drop in accuracy)')" 1
base=$(jq -r '.results.baseline.accuracy' $D/explain-permutation.json | awk '{ printf "%.4g", $1 }')
t_eq "permutation: baseline $base" "$(tr '\n' ' ' <"$T_TMP/perm.txt" | grep -c "(baseline accuracy $base)")" 1

t_run "pdp report" 0 "$R" -o "$T_TMP/pdp.pdf" $D/explain-pdp-categorical.json
section "$T_TMP/pdp.pdf" >"$T_TMP/pdp.txt"
t_eq "pdp: no Shapley text" "$(grep -c 'Shapley\|base value' "$T_TMP/pdp.txt")" 0
t_eq "pdp: method named" "$(grep -c 'Method: partial dependence' "$T_TMP/pdp.txt")" 1
t_eq "pdp: numeric feature drawn" "$(grep -c '^Partial dependence on age$' "$T_TMP/pdp.txt")" 1
t_eq "pdp: categorical feature drawn" "$(grep -c '^Partial dependence on region (categorical)$' "$T_TMP/pdp.txt")" 1
# every category's bar, overall and per group, labelled with the JSON's value (4 digits)
jq -r '.results.pdp[] | select(.feature == "region") | . as $p | range(0; $p.grid | length) as $i |
	([$p.grid[$i], $p.pdp[$i]] | @tsv),
	($p.groups[] | .attribute as $a | .groups[] | ["\($p.grid[$i]) \u00b7 \($a)=\(.group)", .pdp[$i]] | @tsv)' \
	$D/explain-pdp-categorical.json >"$T_TMP/bars.tsv"
n=0
while IFS="$(printf '\t')" read -r label v; do
	n=$((n + 1))
	want=$(awk -v v="$v" 'BEGIN { printf "%.4g", v }')
	if grep -qxF "$label" "$T_TMP/pdp.txt" && grep -qxF "$want" "$T_TMP/pdp.txt"; then
		t_pass "pdp bar '$label' $want"; else t_fail "pdp bar '$label' $want"; fi
done <"$T_TMP/bars.tsv"
t_eq "pdp: 4 categories x 3 bars" "$n" 12

# key findings once: two explanation documents finding the same proxy say it
# once, and label their top features by method and document; a protected
# attribute is no proxy of itself
cp $D/explain.json "$T_TMP/explain2.json"
jq '.results.proxy += [{"feature": "sex", "importance": 0.5, "associations": [{"attribute": "sex", "measure": "cramers_v", "value": 1}]}]' \
	$D/explain.json >"$T_TMP/explain-self.json"
t_run "two explanation documents" 0 "$R" -o "$T_TMP/two.pdf" $D/explain.json "$T_TMP/explain2.json" "$T_TMP/explain-self.json"
flat "$T_TMP/two.pdf" >"$T_TMP/two.txt"
t_eq "proxy finding said once" "$(grep -o 'Strongest association with a protected attribute' "$T_TMP/two.txt" | wc -l | tr -d ' ')" 1
t_eq "no self-proxy finding" "$(grep -c "'sex' with 'sex'" "$T_TMP/two.txt")" 0
for f in $D/explain.json "$T_TMP/explain2.json"; do
	t_eq "top features labelled: $f" "$(grep -o "Explanations (linear; $f): the most important features are" "$T_TMP/two.txt" | wc -l | tr -d ' ')" 1
done

# contents: only the sections present; no model card, no model-card page
t_run "robustness only" 0 "$R" -o "$T_TMP/ronly.pdf" $D/robust.json
pdftotext "$T_TMP/ronly.pdf" - 2>/dev/null | tr -d '\f' >"$T_TMP/ronly.txt"
contents=$(tr '\n' ' ' <"$T_TMP/ronly.txt" | sed 's/.*Contents //; s/ The PDF outline.*//')
t_eq "contents of a robustness report" "$contents" \
	"Executive summary · Data and model · Robustness · Appendix: definitions and provenance."
t_eq "no model card heading" "$(grep -c '^Model card$' "$T_TMP/ronly.txt")" 0
t_eq "one line says no card was given" "$(grep -c 'No model card was given' "$T_TMP/ronly.txt")" 1
t_run "with a card" 0 "$R" -o "$T_TMP/card.pdf" --model-card datasets/credit-model-card.json $D/robust.json
t_eq "contents name the model card" "$(flat "$T_TMP/card.pdf" | grep -c 'Robustness · Model card · Appendix')" 1

# provenance: the model command and the hashes when the document has them, a
# note when it has not; an explanation's input.rows is the rows explained
jq '.params.model_cmd = "python3 score.py --fast" | del(.params.model) | .params.model_sha256 = "ab12cd34"' \
	$D/robust.json >"$T_TMP/robust-cmd.json"
t_run "provenance" 0 "$R" -o "$T_TMP/prov.pdf" "$T_TMP/robust-cmd.json" $D/explain.json
pdftotext "$T_TMP/prov.pdf" - 2>/dev/null | tr -d '\f' | sed -n '/^Provenance$/,$p' | tr '\n' ' ' | tr -s ' ' >"$T_TMP/prov.txt"
t_eq "model command shown" "$(grep -c 'model run command: python3 score.py --fast' "$T_TMP/prov.txt")" 1
t_eq "model hash shown" "$(grep -c 'model SHA-256 ab12cd34' "$T_TMP/prov.txt")" 1
t_eq "missing hashes said" "$(grep -o 'SHA-256 (not recorded in the document)' "$T_TMP/prov.txt" | wc -l | tr -d ' ')" 2
rows=$(jq '.input.rows' $D/explain.json)
t_eq "explained rows labelled" "$(grep -c "input.rows (rows explained, not the file's) $rows" "$T_TMP/prov.txt")" 1
t_eq "cover: rows explained" "$(flat "$T_TMP/prov.pdf" | grep -c "$rows rows explained")" 1
# a document of today's audit-explain: input.rows is the file's rows and
# results.explained_rows the explained ones; input.model and input.background
# carry the files' SHA-256 (checked against sha256sum)
"$BIN/audit-explain" -q -m datasets/credit-planted.pmml --background datasets/credit.csv \
	--method exact --rows 3 -o "$T_TMP/ex-now.json" datasets/credit.csv
t_run "provenance of a current explain document" 0 "$R" -o "$T_TMP/prov2.pdf" "$T_TMP/ex-now.json"
flat "$T_TMP/prov2.pdf" >"$T_TMP/prov2.txt"
nrows=$(($(wc -l <datasets/credit.csv) - 1))
t_eq "cover: the file's rows and the explained rows" \
	"$(grep -c "$nrows rows (3 explained)" "$T_TMP/prov2.txt")" 1
msha=$(sha256sum datasets/credit-planted.pmml | cut -d' ' -f1)
bsha=$(sha256sum datasets/credit.csv | cut -d' ' -f1)
t_eq "model SHA-256 from input.model" "$(grep -c "model SHA-256 $msha" "$T_TMP/prov2.txt")" 1
t_eq "background SHA-256 from input.background" "$(grep -c "background SHA-256 $bsha" "$T_TMP/prov2.txt")" 1
t_eq "model file named" "$(grep -c 'model run datasets/credit-planted.pmml' "$T_TMP/prov2.txt")" 1
t_done
