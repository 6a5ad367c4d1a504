#!/bin/sh
# fair-compas.sh — audit-fair against Fairlearn/scikit-learn on COMPAS
# (../shared/reference/fair-compas/expected.json, see its README): every value of
# overall, race, sex and race & sex, to 1e-9. Skipped, saying so, without ../shared.
. tests/e2e/lib.sh
F="$BIN/audit-fair"
S=$(t_shared)
if [ -z "$S" ] || [ ! -f "$S/reference/fair-compas/expected.json" ]; then
	t_skip "compas vs Fairlearn" "../shared/reference/fair-compas is absent"
	t_done
	exit $?
fi
R="$S/reference/fair-compas"
t_run "compas: runs" 0 "$F" -q --label two_year_recid --pred high_risk --score score \
	--protected race,sex --intersect "$R/compas.csv"
cp "$T_OUT" "$T_TMP/out.json"
# one line per expected value: "where expected got"
jq -r --slurpfile o "$T_TMP/out.json" '
	def grp($a; $g): $o[0].results.attributes[] | select(.attribute == $a) | .groups[] | select(.group == $g);
	def attr($a): $o[0].results.attributes[] | select(.attribute == $a);
	(.overall | to_entries[] | "overall.\(.key) \(.value) \($o[0].results.overall[.key])"),
	(.attributes | to_entries[] | .key as $a |
		(.value.summary | to_entries[] | "\($a).\(.key) \(.value) \(attr($a).summary[.key])"),
		(.value.groups | to_entries[] | .key as $g | .value | to_entries[] |
			if .key == "count" then "\($a)/\($g).count \(.value) \(grp($a; $g).count)"
			else "\($a)/\($g).\(.key) \(.value) \(grp($a; $g).metrics[.key])" end))
	' "$R/expected.json" | awk '
	{ n++; want = $(NF - 1); got = $NF
	  if (want == "null" || got == "null") { if (want != got) { bad++; print "mismatch: " $0 } ; next }
	  d = got - want; if (d < 0) d = -d; s = want < 0 ? -want : want; if (s < 1) s = 1
	  if (got == "" || d > 1e-9 * s) { bad++; print "mismatch: " $0 } }
	END { print n " compared, " bad + 0 " mismatched" }' >"$T_TMP/cmp.txt"
cat "$T_TMP/cmp.txt" | grep mismatch: | head -n 10
t_eq "compas: every Fairlearn value to 1e-9" "$(tail -n 1 "$T_TMP/cmp.txt" | sed 's/^[0-9]* compared, //')" "0 mismatched"
t_ok "compas: all 270 values compared" test "$(tail -n 1 "$T_TMP/cmp.txt" | cut -d' ' -f1)" -ge 270
# TP/FP/FN/TN and the majority-class baseline from the reference's rates:
# P = count * base_rate, TP = tpr * P, FP = fpr * (count - P); 45.5% of the
# rows are positive, so the baseline always predicts 0 and scores 1 - base_rate
jq -r --slurpfile o "$T_TMP/out.json" '
	def grp($a; $g): $o[0].results.attributes[] | select(.attribute == $a) | .groups[] | select(.group == $g);
	def row($w; $e; $got):
		($e.count * $e.base_rate) as $p | (($e.tpr // 0) * $p | round) as $tp |
		(($e.count - $p) * ($e.fpr // 0) | round) as $fp |
		"\($w)\t\([$tp, $fp, ($p | round) - $tp, $e.count - ($p | round) - $fp] | join(","))/\(1 - $e.base_rate)\t\([$got.confusion.tp, $got.confusion.fp, $got.confusion.fn, $got.confusion.tn] | join(","))/\($got.baseline_accuracy // $got.metrics.baseline_accuracy)";
	row("overall"; .overall; $o[0].results.overall),
	(.attributes | to_entries[] | .key as $a | .value.groups | to_entries[] |
		row("\($a)/\(.key)"; .value; grp($a; .key)))
	' "$R/expected.json" | awk -F '\t' '
	{ n++; split($2, w, "/"); split($3, g, "/")
	  d = w[2] - g[2]; if (d < 0) d = -d
	  if (w[1] != g[1] || d > 1e-12) { bad++; print "mismatch: " $0 } }
	END { print n " compared, " bad + 0 " mismatched" }' >"$T_TMP/conf.txt"
grep mismatch: "$T_TMP/conf.txt" | head -n 10
t_eq "compas: confusion counts and baseline accuracy from the reference rates" \
	"$(tail -n 1 "$T_TMP/conf.txt" | sed 's/^[0-9]* compared, //')" "0 mismatched"
t_ok "compas: every group's counts compared" test "$(tail -n 1 "$T_TMP/conf.txt" | cut -d' ' -f1)" -ge 20
t_eq "compas: majority class" "$(jq -r .results.majority_class "$T_TMP/out.json")" negative
# the same groups, no more
for a in race sex "race & sex"; do
	t_eq "compas: groups of $a" \
		"$(jq -r --arg a "$a" '.results.attributes[] | select(.attribute == $a) | [.groups[].group] | sort | join(",")' "$T_TMP/out.json")" \
		"$(jq -r --arg a "$a" '.attributes[$a].groups | keys | sort | join(",")' "$R/expected.json")"
done
# ProPublica's headline on this file: FPR 0.4234 (African-American) vs 0.2201 (Caucasian)
t_eq "compas: FPR African-American / Caucasian" \
	"$(jq -r '.results.attributes[0].groups[] | select(.group == "African-American" or .group == "Caucasian") | .metrics.fpr * 10000 | round' "$T_TMP/out.json" | tr '\n' ' ')" \
	"4234 2201 "
# score histograms: 20 bins put the ten decile scores in ten different bins, so
# the binned AUC equals the exact one; with 4 bins it is within the reported bound
t_run "compas: 20 score bins" 0 "$F" -q --label two_year_recid --pred high_risk --score score \
	--protected race --score-bins 20 "$R/compas.csv"
t_eq "compas: 20 bins hold decile scores exactly" \
	"$(jq -r '[.results.attributes[0].groups[] | .metrics.auc] | map(. * 1e9 | round) | join(",")' "$T_OUT")" \
	"$(jq -r '[.results.attributes[0].groups[] | .metrics.auc] | map(. * 1e9 | round) | join(",")' "$T_TMP/out.json")"
t_run "compas: 4 score bins" 0 "$F" -q --label two_year_recid --pred high_risk --score score \
	--protected race --score-bins 4 "$R/compas.csv"
cp "$T_OUT" "$T_TMP/bins4.json"
t_eq "compas: 4-bin AUC within its bin error of the exact AUC" \
	"$(jq -r --slurpfile x "$T_TMP/out.json" '[.results.attributes[0].groups[] as $g |
		($x[0].results.attributes[0].groups[] | select(.group == $g.group) | .metrics.auc) as $exact |
		(($g.metrics.auc - $exact) | fabs) <= $g.auc_bin_error and $g.auc_bin_error > 0] | all' "$T_TMP/bins4.json")" true
t_close "compas: 4-bin Brier stays exact" \
	"$(jq -r '.results.overall.brier' "$T_TMP/bins4.json")" "$(jq -r '.results.overall.brier' "$T_TMP/out.json")" 1e-14
t_run "compas: bootstrap" 0 "$F" -q --label two_year_recid --pred high_risk --score score \
	--protected race,sex --ci-method bootstrap --bootstrap 300 "$R/compas.csv"
t_eq "compas: bootstrap interval of the sex dp ratio holds the estimate" \
	"$(jq -r '.results.attributes[1] | (.summary_ci.demographic_parity_ratio[0] <= .summary.demographic_parity_ratio and .summary.demographic_parity_ratio <= .summary_ci.demographic_parity_ratio[1])' "$T_OUT")" true
t_done
