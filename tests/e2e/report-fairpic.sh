#!/bin/sh
# report-fairpic.sh — the fairness pictures and plain words of audit-report,
# read back from the PDF's text (pdftotext) and compared with audit-fair's
# document (jq): each rate's disparity chart is titled, the grid's cells are
# the document's ratios, the confusion counts and baselines are the
# document's, the plain-word sentences carry the farthest group's ratio and
# its bootstrap interval (or say there is none), --decision and the model
# card's intended_use.decision choose the rate they lead with, and a rate
# chart with nothing to show is not drawn but named.
. tests/e2e/lib.sh
F="$BIN/audit-fair"
R="$BIN/audit-report"
DATA=datasets/credit.csv

if ! command -v pdftotext >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	t_skip "report fairness pictures" "pdftotext or jq not installed"
	t_done
	exit $?
fi

t_run "audit-fair with the bootstrap" 0 "$F" -q --label label --pred pred --protected group \
	--ci-method bootstrap --bootstrap 200 --seed 7 -o "$T_TMP/boot.json" "$DATA"
t_run "audit-fair without" 0 "$F" -q --label label --pred pred --protected group \
	-o "$T_TMP/plain.json" "$DATA"

# text: one line per page break removed, paragraphs joined (sentences wrap)
text() { pdftotext "$1" - 2>/dev/null | tr '\n' ' ' | tr -s ' '; }

t_run "report, punitive" 0 "$R" -q --decision punitive -o "$T_TMP/pun.pdf" "$T_TMP/boot.json"
text "$T_TMP/pun.pdf" >"$T_TMP/pun.txt"
ref=$(jq -r '.results.attributes[0].reference' "$T_TMP/boot.json")

# each rate's chart, titled with the reference group
for r in "Selection rate" TPR FPR FNR PPV FDR FOR; do
	if grep -qF "$r ratio to '$ref'" "$T_TMP/pun.txt"; then t_pass "chart '$r ratio to $ref'"
	else t_fail "chart '$r ratio to $ref'"; fi
done

# the sentence of a rate: the group farthest from parity (|log ratio|), its ratio
# and interval to 2 decimals, computed here from the document
expect() { # DOC KEY -> "group<TAB>ratio<TAB>lo<TAB>hi"
	jq -r --arg k "$2" '.results.attributes[0] as $a | [$a.groups[] |
		select(.group != $a.reference) | select(.disparity[$k].ratio > 0) |
		{g: .group, r: .disparity[$k].ratio, ci: (.disparity[$k].ratio_ci // [null, null]),
		 d: (.disparity[$k].ratio | log | fabs)}] | max_by(.d) |
		"\(.g)\t\(.r)\t\(.ci[0])\t\(.ci[1])"' "$1"
}
sentence_of() { # DOC KEY WORDS TEXTFILE
	e=$(expect "$1" "$2")
	g=$(printf '%s' "$e" | cut -f1)
	want=$(printf '%s' "$e" | awk -F '\t' '{ if ($3 == "null") printf "ratio %.2f, no interval", $2;
		else printf "ratio %.2f, 95%% CI %.2f to %.2f", $2, $3, $4 }')
	if grep -qF "Group '$g' has a $3" "$4" && grep -F "Group '$g' has a $3" "$4" |
		grep -qF "$want"; then
		t_pass "$2 sentence: '$g', $want"
	else
		t_fail "$2 sentence: '$g', $want"
	fi
}
sentence_of "$T_TMP/boot.json" fpr "false positive rate" "$T_TMP/pun.txt"
sentence_of "$T_TMP/boot.json" fdr "false discovery rate" "$T_TMP/pun.txt"
# the findings lead with the decision's rate: the first plain-words bullet
first() { sed 's/.*In plain words • //' "$1" | cut -c1-200; }
case $(first "$T_TMP/pun.txt") in
*"false positive rate"*) t_pass "punitive: FPR first" ;;
*) t_fail "punitive: FPR first" ;;
esac
t_ok "advice names the decision" grep -qF "decision is punitive: the findings below lead with FPR and FDR" "$T_TMP/pun.txt"

t_run "report, assistive" 0 "$R" -q --decision assistive -o "$T_TMP/ass.pdf" "$T_TMP/boot.json"
text "$T_TMP/ass.pdf" >"$T_TMP/ass.txt"
sentence_of "$T_TMP/boot.json" fnr "false negative rate" "$T_TMP/ass.txt"
sentence_of "$T_TMP/boot.json" for "false omission rate" "$T_TMP/ass.txt"
case $(first "$T_TMP/ass.txt") in
*"false negative rate"*) t_pass "assistive: FNR first" ;;
*) t_fail "assistive: FNR first" ;;
esac

# the model card's intended_use.decision, when --decision is not given
printf '{"intended_use": {"decision": "assistive", "primary_uses": "loans"}}\n' >"$T_TMP/card.json"
t_run "report, card says assistive" 0 "$R" -q --model-card "$T_TMP/card.json" \
	-o "$T_TMP/card.pdf" "$T_TMP/boot.json"
text "$T_TMP/card.pdf" >"$T_TMP/card.txt"
case $(first "$T_TMP/card.txt") in
*"false negative rate"*) t_pass "card: FNR first" ;;
*) t_fail "card: FNR first" ;;
esac
# --decision wins over the card
t_run "report, card and --decision punitive" 0 "$R" -q --decision punitive \
	--model-card "$T_TMP/card.json" -o "$T_TMP/both.pdf" "$T_TMP/boot.json"
case $(first "$(text "$T_TMP/both.pdf" >"$T_TMP/both.txt"; echo "$T_TMP/both.txt")") in
*"false positive rate"*) t_pass "--decision over the card" ;;
*) t_fail "--decision over the card" ;;
esac

# no decision: the selection rate first; no bootstrap: "no interval", honestly
t_run "report, no decision, no bootstrap" 0 "$R" -q -o "$T_TMP/none.pdf" "$T_TMP/plain.json"
text "$T_TMP/none.pdf" >"$T_TMP/none.txt"
sentence_of "$T_TMP/plain.json" selection_rate "selection rate" "$T_TMP/none.txt"
t_ok "no interval said so" grep -qF "no interval for the ratio" "$T_TMP/none.txt"
t_ok "no --decision: advice says so" grep -qF "No decision type was given" "$T_TMP/none.txt"

# the grid: each group's row holds its ratios in the column order the grid
# heads with (no decision: selection rate, FPR, FNR, TPR, PPV, FDR, FOR)
pdftotext -layout "$T_TMP/none.pdf" - 2>/dev/null |
	awk '/Disparity grid/ { on = 1; next } on && /^ *Cell:/ { on = 0 } on' |
	tr -s ' ' | sed 's/^ //' | grep -v '^$' >"$T_TMP/grid.txt"
t_eq "grid header" "$(head -n 1 "$T_TMP/grid.txt")" "Selection rate FPR FNR TPR PPV FDR FOR"
jq -r '.results.attributes[0].groups[] | [.group] + ([.disparity | .selection_rate, .fpr,
	.fnr, .tpr, .ppv, .fdr, .for | .ratio] | map(if . == null then "—" else . end)) | @tsv' \
	"$T_TMP/plain.json" | awk -F '\t' '{ printf "%s", $1
	for (i = 2; i <= NF; i++) if ($i == "—") printf " —"; else printf " %.2f", $i
	print "" }' >"$T_TMP/grid-want.txt"
t_eq "grid cells are the document's ratios" "$(tail -n +2 "$T_TMP/grid.txt")" \
	"$(cat "$T_TMP/grid-want.txt")"
t_ok "grid has a row per group" test "$(wc -l <"$T_TMP/grid-want.txt")" -ge 3

# the confusion table and the majority-class baseline, from the document
pdftotext -layout "$T_TMP/none.pdf" - 2>/dev/null |
	awk '/Confusion matrix per group/ { on = 1; next } on && /^ *TP, FP, FN, TN/ { on = 0 } on' |
	tr -s ' ' | sed 's/^ //' | grep -v '^$' | grep -v '^Group\|^baseline' >"$T_TMP/conf.txt"
jq -r '.results.attributes[0].groups[] | [.group, .count, .confusion.tp, .confusion.fp,
	.confusion.fn, .confusion.tn, .metrics.accuracy, .metrics.baseline_accuracy] | @tsv' \
	"$T_TMP/plain.json" | awk -F '\t' '{ printf "%s %d %d %d %d %d %.3f %.3f\n",
	$1, $2, $3, $4, $5, $6, $7, $8 }' >"$T_TMP/conf-want.txt"
t_eq "confusion counts, accuracy and baseline are the document's" "$(cat "$T_TMP/conf.txt")" \
	"$(cat "$T_TMP/conf-want.txt")"
# an identity the counts must meet: TP + FP + FN + TN = n
t_eq "confusion counts add up to n" "$(awk '$3 + $4 + $5 + $6 != $2' "$T_TMP/conf-want.txt")" ""

# with scores: a reliability diagram per group, titled with the group's ECE
# (4 significant digits) from the document; without scores, none
t_run "audit-fair with scores" 0 "$F" -q --label label --pred pred --score score \
	--protected group -o "$T_TMP/score.json" "$DATA"
t_run "report with scores" 0 "$R" -q -o "$T_TMP/score.pdf" "$T_TMP/score.json"
text "$T_TMP/score.pdf" >"$T_TMP/score.txt"
t_ok "reliability diagrams" grep -qF "Reliability per group (calibration)" "$T_TMP/score.txt"
jq -r '.results.attributes[0].groups[] | "\(.group)\t\(.metrics.ece)"' "$T_TMP/score.json" |
while IFS='	' read -r g e; do
	want=$(awk -v e="$e" -v g="$g" 'BEGIN { printf "%s (ECE %.4g)", g, e }')
	if grep -qF "$want" "$T_TMP/score.txt"; then echo "ok $want"; else echo "FAIL: $want"; fi
done >"$T_TMP/rel.txt"
cat "$T_TMP/rel.txt"
t_eq "each group's reliability diagram and ECE" "$(grep -c '^FAIL' "$T_TMP/rel.txt")" 0
t_ok "one diagram a group" test "$(grep -c '^ok' "$T_TMP/rel.txt")" -ge 3
t_ok "no reliability diagram without scores" sh -c "! grep -qF 'Reliability per group' '$T_TMP/none.txt'"

# a rate chart with nothing to show: no negatives predicted positive, so every
# FPR is 0 and its chart is named, not drawn
printf 'g,label,pred\n' >"$T_TMP/zero.csv"
for i in 1 2 3 4 5 6 7 8 9 10; do
	printf 'a,1,1\na,0,0\nb,1,%s\nb,0,0\n' $((i % 2)) >>"$T_TMP/zero.csv"
done
t_run "audit-fair, FPR all zero" 0 "$F" -q --label label --pred pred --protected g \
	-o "$T_TMP/zero.json" "$T_TMP/zero.csv"
t_eq "every FPR is 0 in the document" \
	"$(jq '[.results.attributes[0].groups[].metrics.fpr] | unique' -c "$T_TMP/zero.json")" "[0]"
t_run "report with an all-zero rate" 0 "$R" -q -o "$T_TMP/zero.pdf" "$T_TMP/zero.json"
text "$T_TMP/zero.pdf" >"$T_TMP/zero.txt"
t_ok "all-zero FPR chart named" grep -qF "Not charted, every group's rate being zero or undefined: FPR." "$T_TMP/zero.txt"
t_ok "no FPR rate chart drawn" sh -c "! grep -qF 'FPR · separation' '$T_TMP/zero.txt'"
t_done
