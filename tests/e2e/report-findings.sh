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
t_done
