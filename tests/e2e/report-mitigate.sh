#!/bin/sh
# report-mitigate.sh — the report's Mitigation section from audit-mitigate documents
# (audit.mitigate/1): every number of the group table, the overall table, the
# sentences and the frontier's points equals the document's (read here with jq and
# formatted with awk); the words follow the numbers (a worse and an unchanged after
# state say so, never "fell"); the chart marks the chosen point; the key finding
# names both states; audit-report --format table|md|csv prints a saved policy or
# frontier byte for byte as audit-mitigate printed it; a report of the tool's own
# documents carries their numbers.
. tests/e2e/lib.sh
D=tests/data/report
R="$BIN/audit-report"
TH=$D/mitigate-thresholds.json
FR=$D/mitigate-frontier.json
WO=$D/mitigate-worse.json
EQ=$D/mitigate-equal.json
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	t_skip "report-mitigate" "poppler-utils (pdftotext) or jq not installed"
	t_done; exit $?
fi

# f6 X: as the section writes a value (6 significant digits, integers whole)
f6() { awk -v v="$1" 'BEGIN { if (v == int(v)) printf "%.0f", v; else printf "%.6g", v }'; }
# f3 X: a rate in the group table (3 decimals)
f3() { awk -v v="$1" 'BEGIN { printf "%.3f", v }'; }
# has NAME FILE TEXT: the text (newlines joined) holds TEXT
has() { if tr '\n' ' ' <"$2" | sed 's/  */ /g' | grep -qF -- "$3"; then t_pass "$1"; else t_fail "$1" "no '$3'"; fi; }
hasnt() { if tr '\n' ' ' <"$2" | sed 's/  */ /g' | grep -qF -- "$3"; then t_fail "$1" "'$3' present"; else t_pass "$1"; fi; }
# change B A: the words the section uses for a change from B to A
change() {
	b=$(f6 "$1"); a=$(f6 "$2"); d=$(awk -v b="$1" -v a="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; print d }')
	d=$(f6 "$d")
	awk -v b="$1" -v a="$2" -v fb="$b" -v fa="$a" -v fd="$d" 'BEGIN {
		if (a == b) printf "is %s before and after: unchanged", fb
		else printf "%s from %s to %s (by %s)", (a < b ? "fell" : "rose"), fb, fa, fd }'
}
pdf() { # pdf NAME DOC...: draw, then $T_TMP/NAME.txt (layout) and NAME.plain
	pn=$1; shift
	t_run "$pn: report" 0 "$R" -o "$T_TMP/$pn.pdf" "$@"
	pdftotext -layout "$T_TMP/$pn.pdf" "$T_TMP/$pn.txt" 2>/dev/null
	pdftotext "$T_TMP/$pn.pdf" "$T_TMP/$pn.plain" 2>/dev/null
	# the section alone: from its heading to the appendix
	sed -n '/^[[:space:][:cntrl:]]*Mitigation$/,/^[[:space:][:cntrl:]]*Appendix$/p' "$T_TMP/$pn.txt" >"$T_TMP/$pn.sec"
}

# ---- thresholds: demographic parity on Fairlearn's grid ----
pdf th "$TH"
t_eq "thresholds: one Mitigation section" "$(grep -c '^[[:space:][:cntrl:]]*Mitigation$' "$T_TMP/th.txt")" 1
has "thresholds: heading" "$T_TMP/th.sec" "Group thresholds for 'group'"
has "thresholds: contents lists it" "$T_TMP/th.txt" "Data and model · Mitigation · Appendix"
for g in A B C; do
	q=".results.groups[] | select(.group == \"$g\")"
	want="$g $(jq -r "$q.before.count" "$TH")"
	for k in selection_rate tpr fpr accuracy; do
		want="$want $(f3 "$(jq -r "$q.before.$k" "$TH")") → $(f3 "$(jq -r "$q.after.$k" "$TH")")"
	done
	got=$(awk -v g="$g" '$1 == g && /→/ { $1 = $1; print; exit }' "$T_TMP/th.sec")
	t_eq "thresholds: group $g before → after" "$got" "$want"
done
for k in accuracy balanced_accuracy demographic_parity_difference equalized_odds_difference; do
	b=$(jq -r ".results.before.$k" "$TH"); a=$(jq -r ".results.after.$k" "$TH")
	d=$(f6 "$(awk -v b="$b" -v a="$a" 'BEGIN { print a - b }')")
	case $d in -*|0) ;; *) d="+$d" ;; esac
	# the measure's row is the line above its key: name, before, after, change
	got=$(grep -B1 "^ *$k\$" "$T_TMP/th.sec" | head -n 1 | awk '{ print $(NF - 2), $(NF - 1), $NF }')
	t_eq "thresholds: overall $k before, after, change" "$got" "$(f6 "$b") $(f6 "$a") $d"
done
b=$(jq -r .results.before.demographic_parity_difference "$TH")
a=$(jq -r .results.after.demographic_parity_difference "$TH")
has "thresholds: disparity sentence" "$T_TMP/th.plain" \
	"the demographic parity difference (the largest gap in selection rate between groups) $(change "$b" "$a")."
has "thresholds: within the tolerance" "$T_TMP/th.plain" \
	"that difference, $(f6 "$a"), is within the tolerance $(f6 "$(jq -r .results.tolerance "$TH")")."
b=$(jq -r .results.before.accuracy "$TH"); a=$(jq -r .results.after.accuracy "$TH")
has "thresholds: accuracy sentence" "$T_TMP/th.plain" "Objective: accuracy $(change "$b" "$a"): the cost of the constraint."
has "thresholds: grid against the exact optimum" "$T_TMP/th.plain" \
	"Fairlearn's grid ($(jq -r .results.grid "$TH") points) reaches accuracy $(f6 "$(jq -r .results.objective_value "$TH")"); the exact optimum is $(f6 "$(jq -r .results.exact.difference "$TH")") higher ($(f6 "$(jq -r .results.exact.objective_value "$TH")"))."
r=".results.groups[] | select(.group == \"A\") | .rule"
has "thresholds: group A's rule in words" "$T_TMP/th.sec" \
	"score > $(f6 "$(jq -r "$r.threshold0" "$TH")") with probability $(f6 "$(jq -r "$r.p0" "$TH")"), score > $(f6 "$(jq -r "$r.threshold1" "$TH")") with probability $(f6 "$(jq -r "$r.p1" "$TH")")"
has "thresholds: key finding" "$T_TMP/th.plain" \
	"Mitigation of 'group' (demographic parity, thresholds): demographic parity difference $(f6 "$(jq -r .results.before.demographic_parity_difference "$TH")") before, $(f6 "$(jq -r .results.after.demographic_parity_difference "$TH")") after (lower); accuracy $(f6 "$(jq -r .results.before.accuracy "$TH")") before, $(f6 "$(jq -r .results.after.accuracy "$TH")") after (lower)."
if command -v pdftohtml >/dev/null 2>&1; then
	pdftohtml -xml -i -stdout "$T_TMP/th.pdf" 2>/dev/null >"$T_TMP/th.xml"
	if grep -q '<item page="[0-9]*">Mitigation</item>' "$T_TMP/th.xml"; then t_pass "bookmark Mitigation"; else t_fail "bookmark Mitigation"; fi
fi
t_run "thresholds: second run" 0 "$R" -o "$T_TMP/th2.pdf" "$TH"
t_ok "thresholds: byte-identical" cmp "$T_TMP/th.pdf" "$T_TMP/th2.pdf"

# ---- a worse after state (equalized odds): the words say so ----
pdf wo "$WO"
b=$(jq -r .results.before.equalized_odds_difference "$WO"); a=$(jq -r .results.after.equalized_odds_difference "$WO")
t_eq "worse: the fixture is worse" "$(awk -v b="$b" -v a="$a" 'BEGIN { print (a > b) }')" 1
has "worse: disparity rose" "$T_TMP/wo.plain" "between groups) $(change "$b" "$a"): the group thresholds widened the gap."
has "worse: exceeds the tolerance" "$T_TMP/wo.plain" "that difference, $(f6 "$a"), exceeds the tolerance $(f6 "$(jq -r .results.tolerance "$WO")")."
b=$(jq -r .results.before.balanced_accuracy "$WO"); a=$(jq -r .results.after.balanced_accuracy "$WO")
has "worse: balanced accuracy fell" "$T_TMP/wo.plain" "Objective: balanced accuracy $(change "$b" "$a")"
hasnt "worse: disparity never said to fall" "$T_TMP/wo.plain" "difference (the larger of the largest gaps in TPR and in FPR between groups) fell"
hasnt "worse: nothing 'improved'" "$T_TMP/wo.sec" "improv"
has "worse: the grid found the exact optimum" "$T_TMP/wo.plain" "the exact optimum is the same: the grid found it."
has "worse: key finding says higher" "$T_TMP/wo.plain" "after (higher); balanced accuracy"
r=".results.groups[] | select(.group == \"young\") | .rule"
has "worse: a rule that ignores the score" "$T_TMP/wo.plain" \
	"with probability $(f6 "$(jq -r "$r.p_ignore" "$WO")") ignore the score and decide 1 with probability $(f6 "$(jq -r "$r.prediction_constant" "$WO")"); otherwise score > $(f6 "$(jq -r "$r.threshold0" "$WO")")"

# ---- nothing changes: "unchanged", neither fell nor rose ----
pdf eq "$EQ"
t_eq "equal: the fixture's before and after agree" "$(jq '.results | (.before == .after) and ([.groups[] | .before == .after] | all)' "$EQ")" true
has "equal: disparity unchanged" "$T_TMP/eq.plain" "between groups) is $(f6 "$(jq -r .results.before.demographic_parity_difference "$EQ")") before and after: unchanged."
has "equal: accuracy unchanged" "$T_TMP/eq.plain" "Objective: accuracy is $(f6 "$(jq -r .results.before.accuracy "$EQ")") before and after: unchanged."
for w in fell rose "cost of the constraint" improv widened; do hasnt "equal: no '$w'" "$T_TMP/eq.sec" "$w"; done
has "equal: key finding unchanged" "$T_TMP/eq.plain" "after (unchanged); accuracy"
hasnt "equal: no grid comparison without one" "$T_TMP/eq.plain" "Fairlearn's grid ("

# ---- the frontier: chart with the chosen point, its points, the chosen table ----
pdf fr "$FR"
has "frontier: heading" "$T_TMP/fr.sec" "Trade-off frontier for 'group'"
has "frontier: chart title" "$T_TMP/fr.sec" "Trade-off: accuracy against demographic parity"
has "frontier: x axis" "$T_TMP/fr.sec" "demographic parity difference (disparity)"
tol=$(jq -r .results.chosen.tolerance "$FR")
has "frontier: chosen point labelled on the chart" "$T_TMP/fr.sec" "chosen (tolerance $(f6 "$tol"))"
has "frontier: chosen point in words" "$T_TMP/fr.plain" \
	"The black diamond is the chosen point: tolerance $(f6 "$tol"), disparity $(f6 "$(jq -r .results.chosen.after.demographic_parity_difference "$FR")"), accuracy $(f6 "$(jq -r .results.chosen.objective_value "$FR")")."
n=$(jq '.results.points | length' "$FR")
jq -r '.results.points[] | [.tolerance, .disparity, .objective_value] | @tsv' "$FR" >"$T_TMP/pts.tsv"
i=0
while IFS="$(printf '\t')" read -r t d o; do
	i=$((i + 1))
	want="$(f6 "$t") $(f6 "$d") $(f6 "$o")"
	[ "$t" = "$tol" ] && want="$want chosen"
	got=$(awk -v t="$(f6 "$t")" -v d="$(f6 "$d")" '$1 == t && $2 == d && NF <= 4 { $1 = $1; print; exit }' "$T_TMP/fr.sec")
	t_eq "frontier: point $i of $n" "$got" "$want"
done <"$T_TMP/pts.tsv"
first=$(jq -r '.results.points[0].objective_value' "$FR"); last=$(jq -r '.results.points[-1].objective_value' "$FR")
has "frontier: the curve's rise in words" "$T_TMP/fr.plain" \
	"From tolerance $(f6 "$(jq -r '.results.points[0].tolerance' "$FR")") to tolerance $(f6 "$(jq -r '.results.points[-1].tolerance' "$FR")") the optimum accuracy $(change "$first" "$last")."
has "frontier: the chosen point's table" "$T_TMP/fr.sec" "The chosen point"
has "frontier: the chosen tolerance" "$T_TMP/fr.plain" "tolerance $(f6 "$tol") (the rates of any two groups may differ by at most $(f6 "$tol"))"

# a flat frontier (the same objective at every tolerance): "at both: unchanged"
jq '.results.points |= map(.objective_value = 0.765)' "$FR" >"$T_TMP/flat.json"
pdf flat "$T_TMP/flat.json"
has "flat frontier: unchanged" "$T_TMP/flat.plain" "the optimum accuracy is 0.765 at both: unchanged."
hasnt "flat frontier: never 'rose'" "$T_TMP/flat.plain" "the optimum accuracy rose"

# ---- with the other sections: the section sits between fairness and the appendix ----
pdf all $D/fair.json "$TH" "$FR"
order=$(grep -n -e '^[[:space:][:cntrl:]]*Fairness$' -e '^[[:space:][:cntrl:]]*Mitigation$' -e '^[[:space:][:cntrl:]]*Appendix$' "$T_TMP/all.txt" | cut -d: -f2 | tr -d ' \f' | tr '\n' ' ')
t_eq "with fairness: section order" "$order" "Fairness Mitigation Appendix "
has "with fairness: documents counted" "$T_TMP/all.plain" "3 result documents: 1 on fairness (audit-fair), 0 on robustness (audit-robust), 0 on explanations (audit-explain), 2 on mitigation (audit-mitigate)"
has "with fairness: each document named" "$T_TMP/all.plain" "From $FR."

# ---- text views: a saved policy prints as audit-mitigate printed it ----
printf 'label,score,group\n1,0.9,a\n0,0.7,a\n1,0.6,a\n0,0.2,a\n1,0.8,b\n0,0.4,b\n1,0.3,b\n0,0.1,b\n' >"$T_TMP/toy.csv"
if [ -x "$BIN/audit-mitigate" ]; then
	for sub in thresholds frontier; do
		"$BIN/audit-mitigate" $sub -q --label label --score score --protected group --format json \
			-o "$T_TMP/$sub.json" "$T_TMP/toy.csv"
		for fmt in table md csv; do
			"$BIN/audit-mitigate" $sub -q --label label --score score --protected group --format $fmt \
				-o "$T_TMP/$sub.$fmt" "$T_TMP/toy.csv"
			t_run "view $sub $fmt: runs" 0 "$R" --format $fmt -o "$T_TMP/$sub.view.$fmt" "$T_TMP/$sub.json"
			t_ok "view $sub $fmt: as audit-mitigate printed it" cmp "$T_TMP/$sub.$fmt" "$T_TMP/$sub.view.$fmt"
		done
	done
	# a report of the tool's own documents: the numbers are theirs
	pdf toy "$T_TMP/thresholds.json" "$T_TMP/frontier.json"
	for g in a b; do
		q=".results.groups[] | select(.group == \"$g\")"
		want="$g $(jq -r "$q.before.count" "$T_TMP/thresholds.json")"
		for k in selection_rate tpr fpr accuracy; do
			want="$want $(f3 "$(jq -r "$q.before.$k" "$T_TMP/thresholds.json")") → $(f3 "$(jq -r "$q.after.$k" "$T_TMP/thresholds.json")")"
		done
		t_eq "tool's policy: group $g before → after" \
			"$(awk -v g="$g" '$1 == g && /→/ { $1 = $1; print; exit }' "$T_TMP/toy.sec")" "$want"
	done
	b=$(jq -r .results.before.accuracy "$T_TMP/thresholds.json"); a=$(jq -r .results.after.accuracy "$T_TMP/thresholds.json")
	has "tool's policy: accuracy sentence" "$T_TMP/toy.plain" "Objective: accuracy $(change "$b" "$a")"
	# the reweighing table: each cell's weight as the document has it
	"$BIN/audit-mitigate" reweigh -q --table --label y --protected g --format json \
		-o "$T_TMP/rw.json" tests/data/mitigate/reweigh.csv
	pdf rw "$T_TMP/rw.json"
	jq -r '.results.weights[] | "\(.group) \(.label) \(.count) \(.weight // "undefined")"' "$T_TMP/rw.json" >"$T_TMP/rw.want"
	n=0
	while read -r g y k w; do
		n=$((n + 1))
		[ "$w" != undefined ] && w=$(f6 "$w")
		t_eq "reweighing: cell $g/$y" "$(awk -v g="$g" -v y="$y" '$1 == g && $2 == y { $1 = $1; print; exit }' "$T_TMP/rw.sec")" "$g $y $k $w"
	done <"$T_TMP/rw.want"
	t_eq "reweighing: six cells" "$n" 6
else
	t_skip "text views of the tool's documents" "audit-mitigate is not built"
fi
# unexpected types everywhere (strings for numbers, lists for objects, 1e308,
# non-Latin and bidi text): the report is drawn from what can be read
t_run "a document of unexpected types" 0 "$R" -q -o "$T_TMP/odd.pdf" $D/mitigate-odd.json
t_eq "a document of unexpected types: the section" "$(pdftotext "$T_TMP/odd.pdf" - 2>/dev/null | grep -c 'Trade-off frontier for')" 1
printf '{"schema":"audit.mitigate/1","results":{"method":"thresholds"}}\n' >"$T_TMP/nogroups.json"
t_run "PDF of a policy without groups: the section shows what there is" 0 "$R" -o "$T_TMP/nog.pdf" "$T_TMP/nogroups.json"
t_done
