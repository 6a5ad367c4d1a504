#!/bin/sh
# explain-points.sh — audit-explain's results.points (the rows of the report's
# beeswarm and dependence plots), each local row's decision and label, and the
# report's explanation pictures, against Shapley values worked out by hand.
#
# The model is a command: score = a * b + (0.3 when color is red), explained
# with --method exact against one background row (a = 0, b = 0, color blue).
# With a single background row z the Shapley values are, by hand:
#   phi_a = phi_b = (a*b - 0*b - a*0 + 0*0) / 2 = a*b / 2
#   phi_color = 0.3 when color is red, else 0;   phi_d = 0 (d is not used)
#   base value f(z) = 0, output a*b + phi_color.
. tests/e2e/lib.sh
X="$BIN/audit-explain"
CMD="awk -F, 'NR > 1 { print \$1 * \$2 + (\$3 == \"red\" ? 0.3 : 0) }'"

cat >"$T_TMP/rows.csv" <<'CSV'
a,b,color,d,y
0.2,0.5,red,1,1
0.9,0.8,blue,2,1
0.1,0.1,blue,3,0
0.6,0.9,red,4,1
0.3,0.2,green,5,0
0.5,0.5,blue,6,0
0.8,0.3,red,7,1
CSV
printf 'a,b,color,d,y\n0,0,blue,0,0\n' >"$T_TMP/bg.csv"

t_ok "exact with --label runs" "$X" --model-cmd "$CMD" --model-columns a,b,color,d \
    --background "$T_TMP/bg.csv" --method exact --label y -o "$T_TMP/all.json" "$T_TMP/rows.csv"
J="$T_TMP/all.json"
t_eq "points: every row when there are at most 1000" \
    "$(jq -c '.results.points | [.count, .explained_rows, .selection, .rows]' "$J")" \
    '[7,7,"all",[0,1,2,3,4,5,6]]'
t_eq "points: params.points default" "$(jq '.params.points' "$J")" 1000
# the features in the order of importance, by hand: mean |phi| of a and b
# (0.05+0.36+0.005+0.27+0.03+0.125+0.12)/7 = 0.96/7 = 0.13714 (a tie, kept in
# the model's order), color 0.9/7 = 0.12857, d 0
t_eq "points: features by importance" \
    "$(jq -c '[.results.points.features[].feature]' "$J")" '["a","b","color","d"]'
t_eq "points: numeric values as numbers" \
    "$(jq -c '.results.points.features[] | select(.feature == "a") | .values' "$J")" \
    '[0.2,0.9,0.1,0.6,0.3,0.5,0.8]'
t_eq "points: categorical values as text" \
    "$(jq -c '.results.points.features[] | select(.feature == "color") | [.kind, .values]' "$J")" \
    '["categorical",["red","blue","blue","red","green","blue","red"]]'
t_eq "points: the label as text" "$(jq -c '.results.points.label' "$J")" '["1","1","0","1","0","0","1"]'
# phi_a = a*b/2 by hand (awk from the CSV), phi_color = 0.3 for red, phi_d = 0
want_a=$(awk -F, 'NR > 1 { printf "%s%.12f", (NR > 2 ? "," : ""), $1 * $2 / 2 }' "$T_TMP/rows.csv")
got_a=$(jq -r '[.results.points.features[] | select(.feature == "a") | .phi[] | (. * 1e12 | round) / 1e12 | tostring] | join(",")' "$J")
want_a=$(echo "$want_a" | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s%.12g", (i > 1 ? "," : ""), $i }')
got_a=$(echo "$got_a" | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s%.12g", (i > 1 ? "," : ""), $i }')
t_eq "points: phi of a = a*b/2 (by hand)" "$got_a" "$want_a"
t_eq "points: phi of color = 0.3 when red (by hand)" \
    "$(jq -c '[.results.points.features[] | select(.feature == "color") | .phi[] | (. * 1e9 | round) / 1e9]' "$J")" \
    '[0.3,0,0,0.3,0,0,0.3]'
t_eq "points: phi of d = 0" \
    "$(jq -c '[.results.points.features[] | select(.feature == "d") | .phi[] | (. * 1e9 | round) / 1e9]' "$J")" \
    '[0,0,0,0,0,0,0]'
# identity: output = base + sum of phi, and the output is the model's a*b + 0.3*red
t_close "points: output = base + sum phi" "$(jq '.results as $r | [range(0; 7) as $i |
    ($r.points.output[$i] - $r.base_value - ([$r.points.features[].phi[$i]] | add)) | fabs] | max' "$J")" 0 1e-12
t_close "points: output of row 3 = 0.6*0.9 + 0.3" "$(jq '.results.points.output[3]' "$J")" 0.84 1e-12
# the local rows: decision at --threshold (0.5 by default), label as text
t_eq "local: decision and label" \
    "$(jq -c '[.results.local[] | [.row, .decision, .label]]' "$J")" \
    '[[0,0,"1"],[1,1,"1"],[2,0,"0"],[3,1,"1"],[4,0,"0"]]'
t_eq "params.threshold" "$(jq '.params.threshold' "$J")" 0.5

# --points 3 of 7 rows: rows k*7/3 for k = 0, 1, 2 (0, 2, 4), the same for any seed
t_ok "--points 3" "$X" --model-cmd "$CMD" --model-columns a,b,color,d --background "$T_TMP/bg.csv" \
    --method exact --points 3 --seed 9 -o "$T_TMP/p3.json" "$T_TMP/rows.csv"
t_eq "--points 3: rows 0, 2, 4 evenly" \
    "$(jq -c '.results.points | [.count, .explained_rows, .selection, .rows, .output]' "$T_TMP/p3.json")" \
    "$(jq -c '.results.points | [3, 7, "every_kth", [.rows[0], .rows[2], .rows[4]], [.output[0], .output[2], .output[4]]]' "$J")"
t_eq "--points 3: no label without --label" "$(jq -c '.results.points.label, .results.local[0].label' "$T_TMP/p3.json")" "null
null"
t_run "--points 0 is a usage error" 2 "$X" --model-cmd "$CMD" --model-columns a,b,color,d \
    --background "$T_TMP/bg.csv" --method exact --points 0 "$T_TMP/rows.csv"
t_eq "--points 0 message" "$(head -c 25 "$T_ERR")" "audit-explain: --points: "
# --threshold moves the decision: row 0 (0.4) is positive at 0.3
t_ok "--threshold 0.3" "$X" --model-cmd "$CMD" --model-columns a,b,color,d --background "$T_TMP/bg.csv" \
    --method exact --threshold 0.3 -o "$T_TMP/t3.json" "$T_TMP/rows.csv"
t_eq "--threshold 0.3: decisions" "$(jq -c '[.results.local[].decision]' "$T_TMP/t3.json")" '[1,1,0,1,0]'
# log-odds (the logit link) have no decision (a background whose score is 0.25)
printf 'a,b,color,d,y\n0.5,0.5,blue,0,0\n' >"$T_TMP/bg2.csv"
t_ok "logit link" "$X" --model-cmd "$CMD" --model-columns a,b,color,d --background "$T_TMP/bg2.csv" \
    --method exact --link logit -o "$T_TMP/lg.json" "$T_TMP/rows.csv"
t_eq "logit link: no decision, no threshold" \
    "$(jq -c '[.results.local[0].decision, .params.threshold]' "$T_TMP/lg.json")" '[null,null]'

# the report: the pictures' text is the document's
if ! command -v pdftotext >/dev/null 2>&1; then
	t_skip "explain pictures in the report" "pdftotext is not installed"
	t_done
	exit
fi
t_ok "report of the explanation" "$BIN/audit-report" -o "$T_TMP/r.pdf" "$J"
pdftotext -layout "$T_TMP/r.pdf" "$T_TMP/r.txt" 2>/dev/null
txt=$(tr -s ' \n' '  ' <"$T_TMP/r.txt")
has() { case "$txt" in *"$2"*) t_pass "$1" ;; *) t_fail "$1" "'$2' not in the report" ;; esac; }
has "beeswarm heading" "Attributions of every explained row"
has "7 rows shown" "7 rows are shown."
has "the zero feature is left out with a sentence" "1 feature whose attribution is 0 in every row is left out."
has "dependence plot of a" "Dependence on a"
has "dependence plot of color" "Dependence on color"
# the waterfalls of rows 0 to 2 (0.2*0.5 + 0.3 = 0.4; 0.9*0.8 = 0.72; 0.1*0.1 = 0.01)
has "waterfall names the values" "color = red"
has "waterfall: a = 0.9 with phi 0.36" "a = 0.9 +0.360"
has "waterfall of row 1: output" "Row 1: output 0.72"
has "decision and label of row 1" "Decision at the threshold 0.5 (dashed line): positive (output 0.72 ≥ 0.5); label 1"
has "decision and label of row 0" "negative (output 0.4 < 0.5); label 1"
has "decision and label of row 2" "negative (output 0.01 < 0.5); label 0"
# the sentence: a's mean |phi| and its t interval, from the document
m=$(jq -r '.results.importance[0] | [.feature, (.mean_abs | tostring)] | join(" ")' "$J")
t_eq "top feature is a" "$(echo "$m" | cut -d' ' -f1)" a
# by hand: the mean of |a*b/2| is 0.96/7, its t interval over the 7 rows
# (t at 0.975 with 6 degrees of freedom: 2.446912, from the tables)
ci=$(awk -F, 'NR > 1 { v[NR] = $1 * $2 / 2; s += v[NR]; n++ }
    END { m = s / n; for (i in v) q += (v[i] - m) ^ 2; h = 2.446912 * sqrt(q / (n - 1)) / sqrt(n);
          printf "%.4g to %.4g", m - h, m + h }' "$T_TMP/rows.csv")
has "finding sentence with the hand-computed interval" "a moves the output by 0.1371 on average (95% CI $ci)"
has "finding: the most of any feature" "the most of any feature; next is b (0.1371)."

# the same pictures in the HTML report (inline SVG; text of the SVG as drawn)
t_ok "HTML report of the explanation" "$BIN/audit-report" --format html -o "$T_TMP/r.html" "$J"
txt=$(sed 's/<[^>]*>/ /g' "$T_TMP/r.html" | tr -s ' \n' '  ')
has "HTML: beeswarm heading" "Attributions of every explained row"
has "HTML: beeswarm title" "Attribution of each row, by feature"
has "HTML: waterfall: a = 0.9 with phi 0.36" "a = 0.9 +0.360"
has "HTML: decision and label of row 1" "Decision at the threshold 0.5 (dashed line): positive (output 0.72 ≥ 0.5); label 1"
has "HTML: finding sentence" "a moves the output by 0.1371 on average (95% CI $ci)"
t_eq "HTML: one dot per row and feature drawn (7 rows, 3 features not all 0, twice: beeswarm and dependence)" \
    "$(grep -c '<circle' "$T_TMP/r.html")" 42

# partial dependence: ICE curves behind the line, categorical bars
t_ok "pdp runs" "$X" --model-cmd "$CMD" --model-columns a,b,color,d --method pdp --features a,color \
    --grid 5 -o "$T_TMP/pdp.json" "$T_TMP/rows.csv"
t_eq "pdp: ICE curves of every row" "$(jq -c '[.results.pdp[] | (.ice | length)]' "$T_TMP/pdp.json")" '[7,7]'
t_ok "report of the pdp" "$BIN/audit-report" -o "$T_TMP/p.pdf" "$T_TMP/pdp.json"
pdftotext -layout "$T_TMP/p.pdf" "$T_TMP/p.txt" 2>/dev/null
txt=$(tr -s ' \n' '  ' <"$T_TMP/p.txt")
has "ICE chart" "Partial dependence on a, with 7 ICE curves"
has "categorical pdp as bars" "Partial dependence on color (categorical)"
t_done
