#!/bin/sh
# report-pipeline.sh — audit-report on the real tools' documents: audit-fair (and
# audit-robust, audit-explain when built and able to load the planted model) on the
# bundled dataset, then the report; the checks' values must be in the PDF's text as
# the JSON has them. Skipped, saying why, when a tool or the dataset is missing.
. tests/e2e/lib.sh
R="$BIN/audit-report"
DATA=datasets/credit.csv
MODEL=datasets/credit-planted.pmml
if ! command -v pdftotext >/dev/null 2>&1; then
	t_skip "pipeline" "poppler-utils not installed"; t_done; exit $?
fi
if [ ! -x "$BIN/audit-fair" ] || [ ! -f "$DATA" ]; then
	t_skip "pipeline" "audit-fair or $DATA is missing"; t_done; exit $?
fi
"$BIN/audit-fair" --label label --pred pred --score score --protected sex,group --intersect \
	--check 'demographic_parity_ratio>=0.8' --check 'equalized_odds_difference<=0.1' \
	--format json -o "$T_TMP/fair.json" "$DATA" 2>"$T_ERR"
st=$?
t_eq "audit-fair ran (its checks may fail: exit 0 or 1)" "$(( st <= 1 ))" 1
docs="$T_TMP/fair.json"
if [ -x "$BIN/audit-robust" ] && [ -f "$MODEL" ]; then
	"$BIN/audit-robust" -m "$MODEL" --label label --protected sex,group --counterfactual sex \
		--perturb gaussian:0.1 --levels 0.05,0.1,0.2 --format json -o "$T_TMP/robust.json" \
		"$DATA" 2>"$T_ERR"
	st=$?
	if [ $st -ne 0 ] && grep -q 'no model loaders' "$T_ERR"; then
		t_skip "audit-robust" "this build cannot load PMML models yet"
	else
		t_eq "audit-robust ran" "$st" 0
		docs="$docs $T_TMP/robust.json"
	fi
fi
if [ -x "$BIN/audit-explain" ] && [ -f "$MODEL" ]; then
	head -n 101 "$DATA" >"$T_TMP/background.csv"
	"$BIN/audit-explain" -m "$MODEL" --background "$T_TMP/background.csv" --method exact \
		--rows 50 --protected sex,group --format json -o "$T_TMP/explain.json" "$DATA" 2>"$T_ERR"
	st=$?
	if [ $st -ne 0 ] && grep -q 'no model loaders' "$T_ERR"; then
		t_skip "audit-explain" "this build cannot load PMML models yet"
	else
		t_eq "audit-explain ran" "$st" 0
		docs="$docs $T_TMP/explain.json"
	fi
fi
# shellcheck disable=SC2086
t_run "report of the pipeline" 0 "$R" -o "$T_TMP/audit.pdf" --title "Prüfbericht für Kreditmodell" \
	--model-card datasets/credit-model-card.json $docs
pdftotext -layout "$T_TMP/audit.pdf" "$T_TMP/audit.txt" 2>/dev/null
# shellcheck disable=SC2086
jq -r '.checks[] | [.status, .value, .op, .threshold] | @tsv' $docs >"$T_TMP/checks.tsv"
n=0
while IFS="$(printf '\t')" read -r st val op thr; do
	n=$((n + 1))
	want=$(awk -v v="$val" -v t="$thr" -v s="$st" -v o="$op" 'BEGIN {
		f = (v == int(v)) ? sprintf("%.0f", v) : sprintf("%.4g", v)
		g = (t == int(t)) ? sprintf("%.0f", t) : sprintf("%.4g", t)
		printf "%s %s %s %s", toupper(s), f, o, g }')
	set -- $want
	if awk -v s="$1" -v v="$2" -v ot="$3 $4" '
		{ ok = 0; for (i = 1; i <= NF; i++) if ($i == v) ok = 1 }
		$1 == s && ok && index($0, ot) { found = 1 } END { exit !found }' "$T_TMP/audit.txt"; then
		t_pass "check $n row: $want"
	else
		t_fail "check $n row: $want"
	fi
done <"$T_TMP/checks.tsv"
t_eq "some checks read" "$(( n > 0 ))" 1
# the planted bias: group C's selection rate is the lowest of 'group'
low=$(jq -r '.results.attributes[] | select(.attribute == "group") | .groups | min_by(.metrics.selection_rate) | .group' "$T_TMP/fair.json")
t_eq "planted bias: lowest selection rate" "$low" "C"
if grep -q "'group': demographic parity ratio .*lowest selection rate: 'C'" "$T_TMP/audit.txt" ||
	pdftotext "$T_TMP/audit.pdf" - 2>/dev/null | tr '\n' ' ' | grep -q "'group': demographic parity ratio .*lowest selection rate: 'C'"; then
	t_pass "finding names group C"
else
	t_fail "finding names group C"
fi
t_done
