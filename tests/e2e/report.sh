#!/bin/sh
# report.sh — audit-report end to end: the sections and the checks' values in the
# text (pdftotext), embedded fonts (pdffonts), document info and outline, byte-identical
# output, a report from audit-fair's JSON alone, A4 and letter.
. tests/e2e/lib.sh
D=tests/data/report
R="$BIN/audit-report"
TITLE='Prüfbericht für Kreditmodell'

if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1; then
	t_skip "report" "poppler-utils (pdftotext, pdffonts) not installed"
	t_done
	exit $?
fi

t_run "full report" 0 "$R" -o "$T_TMP/full.pdf" --title "$TITLE" \
	--model-card datasets/credit-model-card.json $D/fair.json $D/robust.json $D/explain.json
pdftotext -layout "$T_TMP/full.pdf" "$T_TMP/full.txt" 2>/dev/null
pdftotext "$T_TMP/full.pdf" "$T_TMP/plain.txt" 2>/dev/null

# every section, and the UTF-8 title
for s in "$TITLE" "Overall verdict" "Executive summary" "What was not found" "Data and model" \
	"Fairness" "Attribute 'sex'" "Attribute 'group'" "Intersectional groups 'sex & group'" \
	"Robustness" "Per-feature fragility" "Counterfactual test (anti-classification)" \
	"Explanations" "Global importance" "Attribution per group" "Proxy table" \
	"Local explanations" "Model card" "Intended use" "Ethical considerations" \
	"Caveats and recommendations" "Appendix" "Definitions" "Provenance" \
	"independence / demographic parity" "separation / equalized odds" \
	"sufficiency / predictive parity" "anti-classification" "four-fifths rule"; do
	if grep -qF -- "$s" "$T_TMP/full.txt"; then t_pass "text has '$s'"; else t_fail "text has '$s'"; fi
done
t_eq "verdict" "$(grep -o 'FAIL' "$T_TMP/full.txt" | head -n 1)" "FAIL"
# the verdict counts the requested checks only; the four-fifths entries
# ("requested": false) are reported apart and do not count
REQ='[.checks[] | select(.requested != false)'
nfail=$(jq "$REQ | select(.status == \"fail\")] | length" $D/fair.json $D/robust.json $D/explain.json | awk '{ s += $1 } END { print s }')
npass=$(jq "$REQ | select(.status == \"pass\")] | length" $D/fair.json $D/robust.json $D/explain.json | awk '{ s += $1 } END { print s }')
ntot=$(jq "$REQ] | length" $D/fair.json $D/robust.json $D/explain.json | awk '{ s += $1 } END { print s }')
nrep=$(jq '[.checks[] | select(.requested == false)] | length' $D/fair.json | awk '{ s += $1 } END { print s }')
nrepf=$(jq '[.checks[] | select(.requested == false and .status == "fail")] | length' $D/fair.json | awk '{ s += $1 } END { print s }')
t_eq "verdict counts" "$(grep -c "$nfail of $ntot requested checks failed, $npass passed, $((ntot - nfail - npass)) undefined" "$T_TMP/full.txt")" 1
t_eq "reported entries apart" "$(grep -c "not part of the verdict: $nrep four-fifths rule entries ($nrepf not met)" "$T_TMP/full.txt")" 1

# every check is a row: status, value (as the JSON has it, 4 significant digits) and
# threshold; a reported entry's status reads "met" / "not met"
jq -r '.checks[] | [(if .requested == false then (if .status == "fail" then "not" else "met" end) else (.status | ascii_upcase) end), .value, .op, .threshold] | @tsv' $D/fair.json $D/robust.json >"$T_TMP/checks.tsv"
n=0
while IFS="$(printf '\t')" read -r st val op thr; do
	n=$((n + 1))
	want=$(awk -v v="$val" -v t="$thr" -v s="$st" -v o="$op" 'BEGIN {
		f = (v == int(v)) ? sprintf("%.0f", v) : sprintf("%.4g", v)
		g = (t == int(t)) ? sprintf("%.0f", t) : sprintf("%.4g", t)
		printf "%s %s %s %s", s, f, o, g }')
	set -- $want
	if awk -v s="$1" -v v="$2" -v ot="$3 $4" '
		{ ok = 0; for (i = 1; i <= NF; i++) if ($i == v) ok = 1 }
		$1 == s && ok && index($0, ot) { found = 1 } END { exit !found }' "$T_TMP/full.txt"; then
		t_pass "check $n row: $want"
	else
		t_fail "check $n row: $want"
	fi
done <"$T_TMP/checks.tsv"
t_eq "all checks read" "$n" "$(jq '.checks | length' $D/fair.json $D/robust.json | awk '{ s += $1 } END { print s }')"

# group table values (3 decimals) and intervals from the JSON
sr=$(jq -r '.results.attributes[0].groups[] | select(.group == "female") | .metrics.selection_rate' $D/fair.json)
lo=$(jq -r '.results.attributes[0].groups[] | select(.group == "female") | .ci.selection_rate[0]' $D/fair.json)
hi=$(jq -r '.results.attributes[0].groups[] | select(.group == "female") | .ci.selection_rate[1]' $D/fair.json)
want=$(awk -v a="$sr" 'BEGIN { printf "%.3f", a }')
t_eq "female selection rate in the table" "$(awk -v w="$want" '$1 == "female" { for (i = 2; i <= NF; i++) if ($i == w) { print w; exit } }' "$T_TMP/full.txt")" "$want"
want=$(awk -v a="$lo" -v b="$hi" 'BEGIN { printf "%.2f\342\200\223%.2f", a, b }')
if grep -qF -- "$want" "$T_TMP/full.txt"; then t_pass "female selection-rate interval $want"; else t_fail "female selection-rate interval $want"; fi
# key findings, with the numbers the JSON has
want=$(jq -r '.results.attributes[] | select(.attribute == "group") | .summary.demographic_parity_ratio' $D/fair.json | awk '{ printf "%.4g", $1 }')
t_eq "finding: group parity ratio" "$(grep -c "'group': demographic parity ratio $want" "$T_TMP/plain.txt")" 1
if grep -qF "the most important features are 'income', 'debt_ratio', 'region'" "$T_TMP/plain.txt"; then
	t_pass "finding: top features"; else t_fail "finding: top features"; fi
if grep -qF "'region' with 'group' (Cramér's V 0.61): a possible proxy" "$T_TMP/plain.txt"; then
	t_pass "finding: proxy"; else t_fail "finding: proxy"; fi
# small groups are marked
t_eq "small groups marked" "$(grep -c 'C \*' "$T_TMP/full.txt" | awk '{ print ($1 >= 2) }')" 1
# the counterfactual result and the proxy
if grep -qF "Flipping 'sex': 0 of 3000 rows changed decision" "$T_TMP/full.txt"; then t_pass "counterfactual sentence"; else t_fail "counterfactual sentence"; fi
t_eq "proxy flagged (table and finding)" "$(grep -c 'possible' "$T_TMP/full.txt")" 2

# fonts: every font embedded
pdffonts "$T_TMP/full.pdf" >"$T_TMP/fonts.txt" 2>/dev/null
t_eq "two fonts" "$(tail -n +3 "$T_TMP/fonts.txt" | wc -l | tr -d ' ')" 2
t_eq "all fonts embedded" "$(tail -n +3 "$T_TMP/fonts.txt" | awk '{ for (i = 1; i <= NF; i++) if ($i == "Identity-H") { print $(i + 1) } }' | sort -u)" "yes"

# document info
pdfinfo "$T_TMP/full.pdf" >"$T_TMP/info.txt" 2>/dev/null
t_eq "info title" "$(sed -n 's/^Title: *//p' "$T_TMP/info.txt")" "$TITLE"
t_eq "info creator" "$(sed -n 's/^Creator: *//p' "$T_TMP/info.txt")" "audit-report 0.1.0"
t_eq "info date from SOURCE_DATE_EPOCH" "$(sed -n 's/^CreationDate: *//p' "$T_TMP/info.txt")" "Thu Jan  1 00:00:00 1970 UTC"
t_eq "A4" "$(sed -n 's/^Page size: *//p' "$T_TMP/info.txt")" "595.276 x 841.89 pts (A4)"
pages=$(sed -n 's/^Pages: *//p' "$T_TMP/info.txt")
t_eq "page numbers" "$(grep -c "page [0-9]* of $pages" "$T_TMP/full.txt")" "$pages"

# outline (bookmarks)
if command -v pdftohtml >/dev/null 2>&1; then
	pdftohtml -xml -i -stdout "$T_TMP/full.pdf" 2>/dev/null >"$T_TMP/full.xml"
	for b in Cover "Executive summary" Fairness "Attribute 'group'" Robustness Explanations "Model card" Appendix; do
		if grep -q "<item page=\"[0-9]*\">$b</item>" "$T_TMP/full.xml"; then t_pass "bookmark $b"; else t_fail "bookmark $b"; fi
	done
fi

# same inputs, same bytes; another date, other bytes but the same text
t_run "second run" 0 "$R" -o "$T_TMP/again.pdf" --title "$TITLE" \
	--model-card datasets/credit-model-card.json $D/fair.json $D/robust.json $D/explain.json
t_ok "byte-identical" cmp "$T_TMP/full.pdf" "$T_TMP/again.pdf"
SOURCE_DATE_EPOCH=1767225600 "$R" -o "$T_TMP/later.pdf" --title "$TITLE" \
	--model-card datasets/credit-model-card.json $D/fair.json $D/robust.json $D/explain.json
if cmp -s "$T_TMP/full.pdf" "$T_TMP/later.pdf"; then t_fail "date changes the bytes"; else t_pass "date changes the bytes"; fi
t_eq "later date on the cover" "$(pdftotext "$T_TMP/later.pdf" - 2>/dev/null | grep -c 'Report date: 2026-01-01 (UTC)')" 1
# standard output (not a terminal) gives the same bytes as -o
"$R" --title "$TITLE" --model-card datasets/credit-model-card.json $D/fair.json $D/robust.json \
	$D/explain.json >"$T_TMP/stdout.pdf"
t_ok "stdout equals -o" cmp "$T_TMP/full.pdf" "$T_TMP/stdout.pdf"

# a report from audit-fair's JSON alone
t_run "fair only" 0 "$R" -o "$T_TMP/fair.pdf" $D/fair.json
pdftotext -layout "$T_TMP/fair.pdf" "$T_TMP/fair.txt" 2>/dev/null
t_eq "fair only: fairness section" "$(grep -c "Attribute 'group'" "$T_TMP/fair.txt" | awk '{ print ($1 >= 1) }')" 1
t_eq "fair only: no robustness section" "$(grep -c 'Per-feature fragility' "$T_TMP/fair.txt")" 0
t_eq "fair only: says what was not assessed" "$(grep -c 'Not assessed: robustness' "$T_TMP/fair.txt")" 1
t_eq "fair only: default title" "$(pdfinfo "$T_TMP/fair.pdf" 2>/dev/null | sed -n 's/^Title: *//p')" "Responsible-AI audit report"
t_eq "fair only: no model card given" "$(grep -c 'No model card was given' "$T_TMP/fair.txt")" 1

# the other shapes a reader may meet (by_group as objects, phi as an object, flip_rate_ci)
t_run "alternative layouts" 0 "$R" -o "$T_TMP/alt.pdf" $D/robust-alt.json $D/explain-alt.json
pdftotext -layout "$T_TMP/alt.pdf" "$T_TMP/alt.txt" 2>/dev/null
for s in "Row 17: output 0.6221" "Row 42: output 0.4001" "Flip rate against gaussian level" \
	"Flip rate per feature under gaussian:0.4" "Mean attribution by group of 'group'" "possible"; do
	if grep -qF -- "$s" "$T_TMP/alt.txt"; then t_pass "alt: '$s'"; else t_fail "alt: '$s'"; fi
done
t_run "pdp" 0 "$R" -o "$T_TMP/pdp.pdf" $D/explain-pdp.json
t_eq "pdp chart" "$(pdftotext "$T_TMP/pdp.pdf" - 2>/dev/null | grep -c 'Partial dependence on income')" 1
# the real layouts: waterfalls of the local rows, the curve from results.curves
for s in "Row 17: output 0.6221" "Flip rate against gaussian level" "group=C" "Cramér's V" \
	"median smallest flipping radius 0.0625 standard deviations" \
	"Decisions changed from each value of 'sex' to each other"; do
	if grep -qF -- "$s" "$T_TMP/full.txt"; then t_pass "full: '$s'"; else t_fail "full: '$s'"; fi
done

# documents whose results hold unexpected types (strings for numbers, lists for
# objects, 1e308, long and non-Latin strings) still give a report: a section shows
# what it can read
t_run "unexpected types" 0 "$R" -o "$T_TMP/odd.pdf" $D/odd-fair.json $D/odd-robust.json $D/odd-explain.json
t_eq "unexpected types: verdict" "$(pdftotext "$T_TMP/odd.pdf" - 2>/dev/null | grep -c '^INCONCLUSIVE$')" 1

# letter paper
t_run "letter" 0 "$R" --paper letter -o "$T_TMP/letter.pdf" $D/robust.json
t_eq "letter size" "$(pdfinfo "$T_TMP/letter.pdf" 2>/dev/null | sed -n 's/^Page size: *//p')" "612 x 792 pts (letter)"

# a failed run leaves an existing output untouched
cp "$T_TMP/fair.pdf" "$T_TMP/keep.pdf"
t_run "malformed input" 3 "$R" -o "$T_TMP/keep.pdf" $D/fair.json $D/malformed.json
t_ok "existing output untouched" cmp "$T_TMP/fair.pdf" "$T_TMP/keep.pdf"
t_eq "no temporary file left" "$(ls -a "$T_TMP" | grep -c '\.tmp')" 0
# the bins of a numeric protected column are written for people, as the tools'
# tables write them, never as JSON ({"age":[30,50]})
printf 'label,pred,age\n1,1,20\n0,1,25\n1,0,35\n0,0,40\n1,1,55\n0,1,60\n' >"$T_TMP/bins.csv"
for spec in 'age=30,50|age < 30, 30 <= age < 50, age >= 50' 'age=<=30,<=50|age <= 30, 30 < age <= 50, age > 50'; do
	"$BIN/audit-fair" -q --label label --pred pred --protected age --bins "${spec%%|*}" \
		-o "$T_TMP/bins.json" "$T_TMP/bins.csv"
	t_run "bins ${spec%%|*}: report" 0 "$R" -o "$T_TMP/bins.pdf" "$T_TMP/bins.json"
	pdftotext "$T_TMP/bins.pdf" - 2>/dev/null | tr '\n' ' ' >"$T_TMP/bins.txt"
	if grep -qF -- "${spec#*|}" "$T_TMP/bins.txt" && ! grep -qF 'on them): {' "$T_TMP/bins.txt"; then
		t_pass "bins ${spec%%|*}: written as '${spec#*|}'"
	else
		t_fail "bins ${spec%%|*}: written as '${spec#*|}'"
	fi
done
t_done
