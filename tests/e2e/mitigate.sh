#!/bin/sh
# mitigate.sh — audit-mitigate end to end: thresholds on a toy whose optimum is
# worked out by hand, apply (reproducible draws, expected rates equal to the
# policy's, the draws' frequency within a binomial bound), a demographic-parity
# policy on COMPAS (../shared, else a synthetic dataset) checked through
# audit-fair, reweigh against the closed form (with an empty cell), frontier,
# and audit-predict --postprocess against audit-predict | audit-mitigate apply.
. tests/e2e/lib.sh
M="$BIN/audit-mitigate"
D=tests/data/mitigate

# ---- thresholds on the toy (tests/data/mitigate/toy.csv) -------------------------
# Group a (scores 0.9:1, 0.7:1, 0.6:0, 0.2:0) is separated perfectly at selection
# rate 1/2 (accuracy 1). Group b (0.8:1, 0.4:0, 0.35:1, 0.3:0): its ROC hull at
# rate 1/2 mixes its top 1 (rate 1/4, accuracy 3/4) and top 3 (rate 3/4, accuracy
# 3/4) half and half: accuracy 3/4. Both groups' accuracies are concave in the
# common rate with vertices at multiples of 1/4; at 1/4 and 3/4 the total is
# (3/4 + 3/4)/2, at 1/2 it is (1 + 3/4)/2 = 7/8: the exact optimum.
t_ok "thresholds --grid 0 on the toy" "$M" thresholds --label y --score s --protected g \
	--grid 0 -o "$T_TMP/toy.json" $D/toy.csv
J="$T_TMP/toy.json"
t_close "toy: objective 7/8" "$(jq .results.objective_value "$J")" 0.875 1e-12
t_close "toy: after, a's selection rate 1/2" \
	"$(jq '.results.groups[] | select(.group == "a") | .after.selection_rate' "$J")" 0.5 1e-12
t_close "toy: after, b's selection rate 1/2" \
	"$(jq '.results.groups[] | select(.group == "b") | .after.selection_rate' "$J")" 0.5 1e-12
t_close "toy: after, b's accuracy 3/4" \
	"$(jq '.results.groups[] | select(.group == "b") | .after.accuracy' "$J")" 0.75 1e-12
t_close "toy: after, demographic parity difference 0" \
	"$(jq .results.after.demographic_parity_difference "$J")" 0 1e-12
# before: score >= 0.5 selects 0.9, 0.7, 0.6 of a and 0.8 of b
t_eq "toy: before, a's rates (selection, TPR, FPR, accuracy)" \
	"$(jq -c '.results.groups[] | select(.group == "a") | [.before.selection_rate, .before.tpr, .before.fpr, .before.accuracy]' "$J")" \
	"[0.75,1,0.5,0.75]"
t_eq "toy: before, b's rates" \
	"$(jq -c '.results.groups[] | select(.group == "b") | [.before.selection_rate, .before.tpr, .before.fpr, .before.accuracy]' "$J")" \
	"[0.25,0.5,0,0.75]"
t_close "toy: before, accuracy 6/8" "$(jq .results.before.accuracy "$J")" 0.75 1e-12
t_close "toy: before, demographic parity difference 1/2" \
	"$(jq .results.before.demographic_parity_difference "$J")" 0.5 1e-12
t_eq "toy: no exact member with --grid 0" "$(jq '.results | has("exact")' "$J")" false
t_ok "thresholds on the toy (grid 1000)" "$M" thresholds --label y --score s --protected g \
	-o "$T_TMP/toy-grid.json" $D/toy.csv
t_eq "toy: the grid's result names the exact optimum 7/8" \
	"$(jq '.results.exact.objective_value' "$T_TMP/toy-grid.json")" 0.875
t_eq "toy: the exact optimum is no worse than the grid's" \
	"$(jq '.results.exact.difference >= 0' "$T_TMP/toy-grid.json")" true

# ---- apply on the toy: p_mitigated by hand ----------------------------------------
t_ok "apply the toy policy" "$M" apply --policy "$J" $D/toy.csv
t_eq "apply: the header gains pred_mitigated and p_mitigated" "$(head -n 1 "$T_OUT")" \
	"id,g,y,s,pred_mitigated,p_mitigated"
# a: score > 0.65 (0.9, 0.7); b: 0.8 above both thresholds, 0.4 and 0.35 above one (1/2), 0.3 none
t_eq "apply: p_mitigated of each row" "$(tail -n +2 "$T_OUT" | cut -d, -f6 | tr '\n' ' ')" \
	"1 1 0 0 1 0.5 0 0.5 "
t_eq "apply: rows copied as they stand" "$(cut -d, -f1-4 "$T_OUT")" "$(cat $D/toy.csv)"
t_eq "apply: a certain decision is that decision" \
	"$(awk -F, 'NR > 1 && ($6 == 1 || $6 == 0) && $5 != $6' "$T_OUT")" ""

# ---- reweigh: the closed form on a hand-made case with an empty cell -------------
# rows: a1 a1 a1 a0 b0 b0 c1 c0: n = 8, n_a = 4, n_b = 2, n_c = 2, n_1 = 4, n_0 = 4
# w(a,1) = 4*4/(8*3) = 2/3, w(a,0) = 4*4/(8*1) = 2, w(b,0) = 2*4/(8*2) = 1/2,
# w(c,1) = w(c,0) = 2*4/(8*1) = 1; (b,1) has no row: its weight is undefined.
t_ok "reweigh a file" "$M" reweigh --label y --protected g $D/reweigh.csv
cp "$T_OUT" "$T_TMP/rw-file.csv"
t_eq "reweigh: the empty cell is a warning" "$(cat "$T_ERR")" \
	"audit-mitigate: warning: group 'b' has no row of label '1': its weight is undefined (no row needs it)"
want="0.6666666666666666 0.6666666666666666 0.6666666666666666 2 0.5 0.5 1 1"
got=$(awk -F, 'NR > 1 { printf "%s ", $NF }' "$T_TMP/rw-file.csv")
i=0
for w in $want; do
	i=$((i + 1))
	t_close "reweigh: row $i's weight" "$(echo "$got" | cut -d' ' -f$i)" "$w" 1e-15
done
t_eq "reweigh: a quoted field is copied as it stands" "$(sed -n 2p "$T_TMP/rw-file.csv")" \
	'1,a,1,"x, y",0.6666666666666666'
"$M" reweigh --label y --protected g <$D/reweigh.csv >"$T_TMP/rw-stdin.csv" 2>/dev/null
t_ok "reweigh: standard input gives the same bytes as the file" \
	cmp "$T_TMP/rw-file.csv" "$T_TMP/rw-stdin.csv"
# reweighed, every group has the overall label distribution: sum of w over (g, y) = n_g n_y / n
t_close "reweigh: a's weighted positives are n_a n_1 / n = 2" \
	"$(awk -F, '$2 == "a" && $3 == 1 { s += $NF } END { print s }' "$T_TMP/rw-file.csv")" 2 1e-12
t_ok "reweigh --table" "$M" reweigh --label y --protected g --table --format json $D/reweigh.csv
cp "$T_OUT" "$T_TMP/rw.json"
t_eq "reweigh --table: the cells" \
	"$(jq -c '[.results.weights[] | [.group, .label, .count]]' "$T_TMP/rw.json")" \
	'[["a","1",3],["a","0",1],["b","1",0],["b","0",2],["c","1",1],["c","0",1]]'
t_eq "reweigh --table: the empty cell's weight is null" \
	"$(jq -c '.results.weights[] | select(.group == "b" and .label == "1") | .weight' "$T_TMP/rw.json")" null
t_close "reweigh --table: w(a, 0) = 2" \
	"$(jq '.results.weights[] | select(.group == "a" and .label == "0") | .weight' "$T_TMP/rw.json")" 2 1e-15
t_eq "reweigh --table: the warning is in the document" "$(jq '.warnings | length' "$T_TMP/rw.json")" 1
# two protected columns: their intersection
t_ok "reweigh with two protected columns" "$M" reweigh --label y --protected g,note --table \
	--format json $D/reweigh.csv
t_eq "reweigh: an intersection is named 'a & x, y'" \
	"$(jq -r '.results.weights[0].group' "$T_OUT")" "a & x, y"

# ---- a demographic-parity policy on real or synthetic data --------------------------
S=$(t_shared)
if [ -n "$S" ] && [ -f "$S/reference/fair-compas/compas.csv" ]; then
	data="$S/reference/fair-compas/compas.csv"; label=two_year_recid; prot=race
else
	echo "# ../shared/reference/fair-compas/compas.csv absent: a synthetic dataset instead"
	data="$T_TMP/synth.csv"; label=label; prot=group
	"$BIN/audit-synth" --rows 6000 -q -o "$data"
fi
t_ok "thresholds (demographic parity) on $(basename "$data")" "$M" thresholds --label $label \
	--score score --protected $prot -o "$T_TMP/dp.json" "$data"
t_ok "apply --seed 7" "$M" apply --policy "$T_TMP/dp.json" --seed 7 -o "$T_TMP/a7.csv" "$data"
t_ok "apply --seed 7 again" "$M" apply --policy "$T_TMP/dp.json" --seed 7 -o "$T_TMP/a7b.csv" "$data"
t_ok "the same seed gives the same bytes" cmp "$T_TMP/a7.csv" "$T_TMP/a7b.csv"
"$M" apply --policy "$T_TMP/dp.json" --seed 8 "$data" >"$T_TMP/a8.csv"
t_eq "another seed gives other decisions (the same probabilities)" \
	"$(paste -d'|' "$T_TMP/a7.csv" "$T_TMP/a8.csv" | awk -F'|' '{ n = split($1, a, ","); split($2, b, ",")
		if (a[n] != b[n]) bad++; if (a[n-1] != b[n-1]) diff++ } END { print bad + 0, (diff > 0) }')" "0 1"
"$M" apply --policy "$T_TMP/dp.json" --seed 7 <"$data" >"$T_TMP/a7-stdin.csv"
t_ok "apply: standard input gives the same bytes" cmp "$T_TMP/a7.csv" "$T_TMP/a7-stdin.csv"
# per group: the mean of p_mitigated is the policy's expected selection rate
pcol=$(head -n 1 "$T_TMP/a7.csv" | tr ',' '\n' | grep -n "^$prot\$" | cut -d: -f1)
lcol=$(head -n 1 "$T_TMP/a7.csv" | tr ',' '\n' | grep -n "^$label\$" | cut -d: -f1)
awk -F, -v g="$pcol" 'NR > 1 { n[$g]++; p[$g] += $NF; d[$g] += $(NF-1) }
	END { for (k in n) printf "%s\t%.15f\t%d\t%.15f\n", k, p[k] / n[k], n[k], d[k] / n[k] }' \
	"$T_TMP/a7.csv" | sort >"$T_TMP/means.tsv"
jq -r '.results.groups[] | "\(.group)\t\(.after.selection_rate)"' "$T_TMP/dp.json" | sort >"$T_TMP/policy.tsv"
t_eq "every group of the policy is in the rows" "$(cut -f1 "$T_TMP/means.tsv")" "$(cut -f1 "$T_TMP/policy.tsv")"
join -t "$(printf '\t')" "$T_TMP/means.tsv" "$T_TMP/policy.tsv" >"$T_TMP/joined.tsv"
while IFS="$(printf '\t')" read -r grp mean n freq want; do
	t_close "mean p_mitigated of '$grp' = the policy's selection rate" "$mean" "$want" 1e-9
	# 5 standard deviations of the frequency of n independent draws (sum of p(1-p) <= n/4)
	bound=$(awk -v n="$n" 'BEGIN { print 5 * sqrt(0.25 / n) }')
	t_eq "draws of '$grp': frequency within the binomial bound" \
		"$(awk -v a="$freq" -v b="$mean" -v t="$bound" 'BEGIN { d = a - b; if (d < 0) d = -d; print (d <= t) }')" 1
done <"$T_TMP/joined.tsv"
t_eq "demographic parity: the groups' expected selection rates are equal (1e-9)" \
	"$(awk -F'\t' '{ if (NR == 1 || $2 < lo) lo = $2; if (NR == 1 || $2 > hi) hi = $2 } END { print (hi - lo <= 1e-9) }' "$T_TMP/means.tsv")" 1
# the documented accuracy is the expected accuracy of the draws: mean of y p + (1 - y)(1 - p)
t_close "the policy's accuracy is the expected accuracy of the applied rows" \
	"$(awk -F, -v l="$lcol" 'NR > 1 { y = ($l == 1); s += y * $NF + (1 - y) * (1 - $NF); n++ } END { printf "%.15f", s / n }' "$T_TMP/a7.csv")" \
	"$(jq .results.after.accuracy "$T_TMP/dp.json")" 1e-9
# audit-fair reads the result: the mean score per group is the expected selection rate
t_ok "audit-fair --score p_mitigated on the applied rows" "$BIN/audit-fair" --label $label \
	--score p_mitigated --protected $prot --format json -o "$T_TMP/fair.json" "$T_TMP/a7.csv"
t_eq "audit-fair: every group's mean score equals the others (1e-9)" \
	"$(jq '[.results.attributes[0].groups[].metrics.mean_score] | (max - min) <= 1e-9' "$T_TMP/fair.json")" true
# a tolerance: the rates may differ by at most EPS
t_ok "thresholds --tolerance 0.05" "$M" thresholds --label $label --score score \
	--protected $prot --tolerance 0.05 -o "$T_TMP/dp05.json" "$data"
t_eq "--tolerance 0.05: the selection rates differ by at most 0.05" \
	"$(jq '.results.after.demographic_parity_difference <= 0.05 + 1e-9' "$T_TMP/dp05.json")" true

# ---- the tool's documents against Fairlearn's ThresholdOptimizer on COMPAS ------------
# (../shared/reference/mitigate-compas: each run's expected rates per group and accuracy)
REF="$S/reference/mitigate-compas/expected.json"
if [ -n "$S" ] && [ -f "$REF" ] && [ -f "$S/reference/fair-compas/compas.csv" ]; then
	nruns=$(jq '.runs | length' "$REF")
	i=0
	while [ "$i" -lt "$nruns" ]; do
		c=$(jq -r ".runs[$i].constraint" "$REF" | sed 's/^true_positive_rate_parity$/equal_opportunity/')
		o=$(jq -r ".runs[$i].objective" "$REF" | sed 's/_score$//')
		"$M" thresholds --label two_year_recid --score score --protected race --constraint "$c" \
			--objective "$o" -q -o "$T_TMP/ref.json" "$S/reference/fair-compas/compas.csv"
		# accuracy of the expected decisions, and each group's largest rate difference
		got=$(jq .results.after.accuracy "$T_TMP/ref.json")
		t_close "Fairlearn $c/$o: the documented accuracy" "$got" "$(jq ".runs[$i].expected.accuracy" "$REF")" 1e-9
		worst=$(jq -n --slurpfile a "$T_TMP/ref.json" --slurpfile r "$REF" --argjson i "$i" '
			[$a[0].results.groups[] as $g | ($r[0].runs[$i].expected.groups[$g.group]) as $e |
			 (["selection_rate", "tpr", "fpr"][] as $k | ($g.after[$k] - $e[$k]) | fabs),
			 ($g.after.count - $e.count | fabs)] | max')
		t_eq "Fairlearn $c/$o: every group's rates and count within 1e-9" \
			"$(awk -v w="$worst" 'BEGIN { print (w != "" && w <= 1e-9) }')" 1
		i=$((i + 1))
	done
else
	t_skip "Fairlearn's values on COMPAS" "../shared/reference/mitigate-compas is absent"
fi

# ---- frontier ------------------------------------------------------------------------
t_ok "frontier on the toy" "$M" frontier --label y --score s --protected g --tolerances 0,0.25,1 \
	-o "$T_TMP/fr.json" $D/toy.csv
t_eq "frontier: one point per tolerance" "$(jq -c '[.results.points[].tolerance]' "$T_TMP/fr.json")" "[0,0.25,1]"
# at tolerance 0 the exact optimum is 7/8 (above); with no constraint each group
# takes its best accuracy: a 1, b 3/4 (at 0.8 alone or at 0.8, 0.4, 0.35): 7/8 again
t_close "frontier: at 0 the toy's exact optimum" "$(jq '.results.points[0].objective_value' "$T_TMP/fr.json")" 0.875 1e-12
t_close "frontier: at 1 the unconstrained optimum" "$(jq '.results.points[2].objective_value' "$T_TMP/fr.json")" 0.875 1e-12
t_eq "frontier: the objective never falls as the tolerance grows" \
	"$(jq '[.results.points[].objective_value] | . == sort' "$T_TMP/fr.json")" true
t_eq "frontier: chosen is a thresholds solution at --tolerance 0" \
	"$(jq -c '[.results.chosen.method, .results.chosen.tolerance]' "$T_TMP/fr.json")" '["thresholds",0]'
t_ok "apply a frontier document (its chosen point)" "$M" apply --policy "$T_TMP/fr.json" $D/toy.csv
t_eq "apply of the frontier's chosen point = apply of thresholds" \
	"$("$M" apply --policy "$T_TMP/toy.json" $D/toy.csv)" "$(cat "$T_OUT")"
t_ok "frontier with the default tolerances" "$M" frontier --label y --score s --protected g \
	-o "$T_TMP/fr-default.json" $D/toy.csv
t_eq "frontier: the default tolerances are 0, 0.01, ..., 0.2" \
	"$(jq -c '[.results.points | length, .[0].tolerance, .[20].tolerance]' "$T_TMP/fr-default.json")" "[21,0,0.2]"

# ---- audit-predict --postprocess = audit-predict | audit-mitigate apply ---------------
"$BIN/audit-synth" --rows 2000 --seed 5 -q -o "$T_TMP/s.csv" --model-out "$T_TMP/s.pmml"
cut -d, -f1-13 "$T_TMP/s.csv" >"$T_TMP/s13.csv"      # without the synthetic score and pred
t_ok "predict the synthetic rows" "$BIN/audit-predict" -m "$T_TMP/s.pmml" -o "$T_TMP/pred.csv" "$T_TMP/s13.csv"
t_ok "a policy from the model's scores" "$M" thresholds --label label --score score \
	--protected group --constraint equalized_odds -o "$T_TMP/eo.json" "$T_TMP/pred.csv"
t_ok "predict --postprocess" "$BIN/audit-predict" -m "$T_TMP/s.pmml" --postprocess "$T_TMP/eo.json" \
	--seed 3 -o "$T_TMP/post.csv" "$T_TMP/s13.csv"
t_ok "predict | apply" "$M" apply --policy "$T_TMP/eo.json" --seed 3 -o "$T_TMP/piped.csv" "$T_TMP/pred.csv"
t_ok "predict --postprocess gives the bytes of predict | apply" cmp "$T_TMP/post.csv" "$T_TMP/piped.csv"
t_eq "predict --postprocess: the columns" "$(head -n 1 "$T_TMP/post.csv" | cut -d, -f14-)" \
	"score,pred,pred_mitigated,p_mitigated"
t_run "predict --seed without --postprocess" 2 "$BIN/audit-predict" -m "$T_TMP/s.pmml" --seed 3 "$T_TMP/s13.csv"
t_eq "predict --seed alone: the message" "$(cat "$T_ERR")" \
	"audit-predict: --seed goes with --postprocess (see 'audit-predict --help')"
t_done
