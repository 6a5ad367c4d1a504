#!/bin/sh
# explain.sh — audit-explain end to end: the SHAP references, identities
# between methods, thread-count independence, the planted model, error paths.
. tests/e2e/lib.sh
X="$BIN/audit-explain"
D=tests/data/explain

# maxdiff A.csv B.csv: the largest absolute difference between two CSVs of
# numbers of the same shape (headers skipped, the first column compared too)
maxdiff() {
	awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) a[FNR, i] = $i; n = FNR; next }
	    FNR > 1 { for (i = 1; i <= NF; i++) { d = $i - a[FNR, i]; if (d < 0) d = -d; if (d > m) m = d } }
	    END { if (FNR != n) print "rows-differ"; else print m + 0 }' "$1" "$2"
}

S=$(t_shared)
if [ -z "$S" ]; then
	t_skip "explain-adult-rf" "../shared is absent: no SHAP reference"
	t_skip "explain-german-logreg" "../shared is absent: no SHAP reference"
else
	# Adult random forest (SHAP TreeExplainer, interventional). The reference
	# agrees with enumeration of all coalitions to better than 1e-8 (README of
	# the reference; 6.7e-9 here): tree, exact and kernel at full budget are
	# compared to it at 1e-8, and to each other at 1e-12.
	A=$S/reference/explain-adult-rf
	for m in tree exact "kernel --nsamples 64"; do
		name=$(echo "$m" | cut -d' ' -f1)
		# shellcheck disable=SC2086
		t_ok "adult $name runs" "$X" -m "$A/model.pmml" --background "$A/background.csv" \
		    --method $m --rows-out "$T_TMP/adult-$name.csv" -o "$T_TMP/adult-$name.json" "$A/rows.csv"
		t_close "adult $name = SHAP TreeExplainer" "$(maxdiff "$T_TMP/adult-$name.csv" "$A/expected_shap.csv")" 0 1e-8
	done
	t_close "adult tree = exact" "$(maxdiff "$T_TMP/adult-tree.csv" "$T_TMP/adult-exact.csv")" 0 1e-12
	t_close "adult kernel (64 >= 2^5-2) = exact" "$(maxdiff "$T_TMP/adult-kernel.csv" "$T_TMP/adult-exact.csv")" 0 1e-12
	t_close "adult scores = scikit-learn's" "$(cut -d, -f3 "$T_TMP/adult-tree.csv" | maxdiff - "$A/expected_scores.csv")" 0 1e-12
	t_close "adult max_additivity_error" "$(jq '.results.max_additivity_error' "$T_TMP/adult-tree.json")" 0 1e-12
	t_eq "adult nsamples reported" "$(jq '.params.nsamples' "$T_TMP/adult-kernel.json")" 30

	# German credit logistic regression: categorical features are one player each.
	G=$S/reference/explain-german-logreg
	for m in exact "kernel --nsamples 256"; do
		name=$(echo "$m" | cut -d' ' -f1)
		# shellcheck disable=SC2086
		t_ok "german $name runs" "$X" -m "$G/model.pmml" --background "$G/background.csv" \
		    --method $m --rows-out "$T_TMP/german-$name.csv" -o /dev/null "$G/rows.csv"
		t_close "german $name = reference" "$(maxdiff "$T_TMP/german-$name.csv" "$G/expected_shap.csv")" 0 1e-9
	done
	# linear: the margin of a logistic regression is linear, its score is not
	t_ok "german linear margin" "$X" -m "$G/model.pmml" --background "$G/background.csv" \
	    --method linear --model-output margin --rows-out "$T_TMP/gl.csv" -o /dev/null "$G/rows.csv"
	t_ok "german exact margin" "$X" -m "$G/model.pmml" --background "$G/background.csv" \
	    --method exact --model-output margin --rows-out "$T_TMP/ge.csv" -o /dev/null "$G/rows.csv"
	t_close "german linear = exact (margin)" "$(maxdiff "$T_TMP/gl.csv" "$T_TMP/ge.csv")" 0 1e-12
	t_run "german linear with a link refused" 2 "$X" -m "$G/model.pmml" --background "$G/background.csv" \
	    --method linear --link logit "$G/rows.csv"
	t_eq "german linear link message" "$(cat "$T_ERR")" \
	    "audit-explain: linear takes no link (it applies to the expected score); explain --model-output margin instead (see 'audit-explain --help')"
	t_run "german linear score refused" 2 "$X" -m "$G/model.pmml" --background "$G/background.csv" \
	    --method linear "$G/rows.csv"
	t_eq "german linear score message" "$(cut -c1-78 "$T_ERR")" \
	    "audit-explain: linear: the model is not linear in its score (at background row"
	t_run "tree on a regression model" 3 "$X" -m "$G/model.pmml" --background "$G/background.csv" \
	    --method tree "$G/rows.csv"
	# thread-count independence, byte for byte
	for th in 1 2 3; do
		t_ok "german kernel threads $th" "$X" -m "$G/model.pmml" --background "$G/background.csv" \
		    --method kernel --nsamples 40 --batch-size 500 --threads $th --protected sex,age_group \
		    --rows-out "$T_TMP/th$th.csv" -o "$T_TMP/th$th.json" "$G/rows.csv"
	done
	t_ok "same JSON for 1 and 2 threads" cmp "$T_TMP/th1.json" "$T_TMP/th2.json"
	t_ok "same JSON for 1 and 3 threads" cmp "$T_TMP/th1.json" "$T_TMP/th3.json"
	t_ok "same rows for 1 and 3 threads" cmp "$T_TMP/th1.csv" "$T_TMP/th3.csv"
	t_eq "per-group summary" "$(jq -r '[.results.groups[].attribute] | join(",")' "$T_TMP/th1.json")" "sex,age_group"
	t_eq "proxy measure of a categorical feature" \
	    "$(jq -r '.results.proxy[] | select(.feature == "status") | .associations[0].measure' "$T_TMP/th1.json")" cramers_v
	t_ok "permutation importance" "$X" -m "$G/model.pmml" --method permutation --label label \
	    --repeats 3 --protected sex -o "$T_TMP/perm.json" "$G/rows.csv"
	t_eq "permutation baseline accuracy in [0,1]" \
	    "$(jq '.results.baseline.accuracy >= 0 and .results.baseline.accuracy <= 1' "$T_TMP/perm.json")" true
	t_ok "pdp" "$X" -m "$G/model.pmml" --method pdp --features duration,status --grid 5 \
	    --protected sex --rows-out "$T_TMP/ice.csv" -o "$T_TMP/pdp.json" "$G/rows.csv"
	t_eq "pdp grid sizes" "$(jq -c '[.results.pdp[].grid | length]' "$T_TMP/pdp.json")" "[5,4]"
	t_eq "ice rows" "$(wc -l < "$T_TMP/ice.csv" | tr -d ' ')" $((1 + 100 * 9))
fi

# The planted model: the protected attribute sex is not an input of the model.
# Served through a command (audit-predict), sex is a player, and gets exactly 0.
C=datasets/credit.csv
if [ -f "$C" ] && [ -f datasets/credit-planted.pmml ]; then
	head -n 101 "$C" > "$T_TMP/bg.csv"
	CMD="$BIN/audit-predict -m datasets/credit-planted.pmml | awk -F, 'NR > 1 { print \$(NF - 1) }'"
	F=age,income,debt_ratio,credit_years,employment_years,loan_amount,num_accounts,late_payments,region,sex
	for m in exact kernel; do
		t_ok "planted $m via --model-cmd" "$X" --model-cmd "$CMD" --model-columns $F --background "$T_TMP/bg.csv" \
		    --method $m --nsamples 300 --rows 3 --protected sex,group -o "$T_TMP/p-$m.json" "$C"
		t_eq "planted $m: sex gets exactly 0" \
		    "$(jq '[.results.local[].contributions[] | select(.feature == "sex") | .phi] | unique' "$T_TMP/p-$m.json")" "[
  0
]"
	done
	t_ok "planted tree-free linear" "$X" -m datasets/credit-planted.pmml --background "$T_TMP/bg.csv" \
	    --method linear --model-output margin --protected sex,group --rows 200 -o "$T_TMP/pl.json" "$C"
	t_eq "proxy: region is associated with group" \
	    "$(jq '.results.proxy[] | select(.feature == "region") | .associations[] | select(.attribute == "group") | .value > 0.3' "$T_TMP/pl.json")" true

	# The proxy table is over every row of the input, whatever rows are
	# explained: Cramer's V of region and sex by awk over the 5000 rows
	# (columns 10 and 11), the same for --rows 10 and for every row.
	V=$(awk -F, 'NR > 1 && $10 != "" && $11 != "" { n++; t[$10, $11]++; r[$10]++; c[$11]++ }
	    END { for (a in r) for (b in c) { e = r[a] * c[b] / n; o = t[a, b] + 0; x += (o - e) ^ 2 / e }
	          nr = length(r); nc = length(c); k = (nr < nc ? nr : nc) - 1; printf "%.12f", sqrt(x / (n * k)) }' "$C")
	t_ok "planted linear --rows 10" "$X" -m datasets/credit-planted.pmml --background "$T_TMP/bg.csv" \
	    --method linear --model-output margin --protected sex,group --rows 10 -o "$T_TMP/p10.json" "$C"
	t_close "proxy region-sex over all rows = awk" \
	    "$(jq '.results.proxy[] | select(.feature == "region") | .associations[] | select(.attribute == "sex") | .value' "$T_TMP/p10.json")" \
	    "$V" 1e-12
	t_eq "proxy table: --rows 10 = --rows 200" \
	    "$(jq -c '[.results.proxy[] | {feature, associations}] | sort_by(.feature)' "$T_TMP/p10.json")" \
	    "$(jq -c '[.results.proxy[] | {feature, associations}] | sort_by(.feature)' "$T_TMP/pl.json")"
	t_eq "proxy table: counted on every row" "$(jq '.results.proxy_rows' "$T_TMP/p10.json")" 5000
	t_eq "input.rows is the file's, explained_rows the range's" \
	    "$(jq -c '[.input.rows, .results.explained_rows, .results.row_selection]' "$T_TMP/p10.json")" '[5000,10,"range"]'

	# --rows-sample: stratified by sex x group (6 strata: fA 1681, fB 548, fC 196,
	# mA 1823, mB 547, mC 205). N = 12: shares 12 n/5000 = 4.03, 1.32, 0.47,
	# 4.38, 1.31, 0.49, floored with at least one: 4, 1, 1, 4, 1, 1 (sum 12).
	for t in 1 2; do
		t_ok "rows-sample 12, $t threads" "$X" -m datasets/credit-planted.pmml --background "$T_TMP/bg.csv" \
		    --method linear --model-output margin --protected sex,group --rows-sample 12 --threads $t \
		    -o "$T_TMP/s12-$t.json" "$C"
	done
	t_ok "rows-sample: same bytes for 1 and 2 threads" cmp "$T_TMP/s12-1.json" "$T_TMP/s12-2.json"
	t_eq "rows-sample 12: n per sex and group" \
	    "$(jq -c '[.results.groups[] | [.attribute, ([.groups[] | [.group, .count]] | sort)]]' "$T_TMP/s12-1.json")" \
	    '[["sex",[["female",6],["male",6]]],["group",[["A",8],["B",2],["C",2]]]]'
	# the sampled rows are the ones counted: their sex and group read back from the file
	jq -r '.results.sample.rows[]' "$T_TMP/s12-1.json" > "$T_TMP/s12.ids"
	t_eq "rows-sample 12: the listed rows hold those groups" \
	    "$(awk -F, 'NR == FNR { want[$1 + 2] = 1; next } FNR in want { s[$11]++; g[$12]++ }
	        END { printf "%d %d %d %d %d", s["female"], s["male"], g["A"], g["B"], g["C"] }' "$T_TMP/s12.ids" "$C")" \
	    "6 6 8 2 2"
	t_eq "rows-sample: selection said" \
	    "$(jq -c '[.results.explained_rows, .results.row_selection, .results.sample.strata, .params.rows_sample]' "$T_TMP/s12-1.json")" \
	    '[12,"stratified_sample",6,12]'
	t_ok "rows-sample 12 again" "$X" -m datasets/credit-planted.pmml --background "$T_TMP/bg.csv" \
	    --method linear --model-output margin --protected sex,group --rows-sample 12 -o "$T_TMP/s12-again.json" "$C"
	t_ok "rows-sample: reproducible for a seed" cmp "$T_TMP/s12-1.json" "$T_TMP/s12-again.json"
	t_ok "rows-sample, seed 7" "$X" -m datasets/credit-planted.pmml --background "$T_TMP/bg.csv" \
	    --method linear --model-output margin --protected sex,group --rows-sample 12 --seed 7 -o "$T_TMP/s12-7.json" "$C"
	if [ "$(jq -c '.results.sample.rows' "$T_TMP/s12-1.json")" = "$(jq -c '.results.sample.rows' "$T_TMP/s12-7.json")" ]; then
		t_fail "rows-sample: another seed, other rows"
	else
		t_pass "rows-sample: another seed, other rows"
	fi
	# N = 3 < 6 strata: one row each from the strata that represent the most
	# groups not yet represented (ties: the larger): male A, female B, then male C
	t_ok "rows-sample 3" "$X" -m datasets/credit-planted.pmml --background "$T_TMP/bg.csv" \
	    --method linear --model-output margin --protected sex,group --rows-sample 3 -o "$T_TMP/s3.json" "$C"
	t_eq "rows-sample 3: every group of every attribute" \
	    "$(jq -c '[.results.groups[] | [.attribute, ([.groups[] | [.group, .count]] | sort)]]' "$T_TMP/s3.json")" \
	    '[["sex",[["female",1],["male",2]]],["group",[["A",1],["B",1],["C",1]]]]'
else
	t_skip "planted model" "datasets/credit.csv or credit-planted.pmml is absent"
fi

# error paths
t_run "too many features for exact" 2 "$X" -m $D/wide21.pmml --background $D/wide21.csv --method exact $D/wide21.csv
t_eq "too many features message" "$(cat "$T_ERR")" \
    "audit-explain: exact enumerates 2^M coalitions and takes at most 20 features, the model has 21; use --method kernel (see 'audit-explain --help')"
t_ok "21 features by kernel" "$X" -m $D/wide21.pmml --background $D/wide21.csv --method kernel --nsamples 100 -o /dev/null $D/wide21.csv
cut -d, -f1-20 $D/wide21.csv > "$T_TMP/bg20.csv"
t_run "background lacks a feature" 3 "$X" -m $D/wide21.pmml --background "$T_TMP/bg20.csv" --method kernel $D/wide21.csv
t_eq "background lacks a feature message" "$(cut -d'(' -f1 "$T_ERR")" "audit-explain: $T_TMP/bg20.csv:1: unknown column 'f21' "
t_run "input lacks a feature" 3 "$X" -m $D/wide21.pmml --background $D/wide21.csv "$T_TMP/bg20.csv"
head -n 1 $D/wide21.csv > "$T_TMP/empty.csv"
t_run "empty background" 3 "$X" -m $D/wide21.pmml --background "$T_TMP/empty.csv" $D/wide21.csv
t_eq "empty background message" "$(cat "$T_ERR")" "audit-explain: the background '$T_TMP/empty.csv' has no rows"
t_run "rows beyond the input" 3 "$X" -m $D/wide21.pmml --background $D/wide21.csv --rows 10:20 $D/wide21.csv
t_run "missing background file" 3 "$X" -m $D/wide21.pmml --background "$T_TMP/none.csv" $D/wide21.csv
t_run "rows-out cannot be written" 5 "$X" -m $D/wide21.pmml --background $D/wide21.csv --method linear \
    --rows-out /nonexistent/dir/r.csv -o "$T_TMP/never.json" $D/wide21.csv
t_ok "no result left behind" test ! -e "$T_TMP/never.json"
# Missing values (issue 12, items 2, 8 and 17). An explained row the model
# cannot score stops the run (exit 4, the row named); background rows the
# model cannot score are left out with a counted warning, and the result
# equals the run on the background without them. Every method, both cases.
# `timeout` makes a hang (the NaN tie loop of the AUC) a failure.
if [ -f datasets/credit.csv ] && [ -f datasets/credit-planted.pmml ]; then
	C=datasets/credit.csv
	P=datasets/credit-planted.pmml
	head -n 21 $C | awk -F, -v OFS=, 'NR == 5 { $4 = "" } 1' > "$T_TMP/miss.csv"
	head -n 21 $C > "$T_TMP/rows20.csv"
	head -n 41 $C | awk -F, -v OFS=, 'NR == 5 { $4 = "" } 1' > "$T_TMP/bgmiss.csv"
	head -n 41 $C | awk 'NR != 5' > "$T_TMP/bgless.csv"
	for m in exact kernel linear permutation pdp; do
		opt=
		[ $m = linear ] && opt="--model-output margin"
		# shellcheck disable=SC2086
		t_run "missing in an explained row: $m" 4 timeout 60 "$X" -m $P --method $m $opt \
		    --label label --background "$T_TMP/bgless.csv" "$T_TMP/miss.csv"
		t_eq "missing in an explained row: $m message" "$(cat "$T_ERR")" \
		    "audit-explain: $T_TMP/miss.csv: data row 3: the model gave no score (NaN); the value of 'debt_ratio' is missing"
	done
	for m in exact kernel linear; do
		opt=
		[ $m = linear ] && opt="--model-output margin"
		# shellcheck disable=SC2086
		t_ok "missing in the background: $m" timeout 60 "$X" -m $P --method $m $opt --rows 0:5 \
		    --background "$T_TMP/bgmiss.csv" -o "$T_TMP/bm-$m.json" "$T_TMP/rows20.csv"
		t_eq "missing in the background: $m warning" "$(cat "$T_ERR")" \
		    "audit-explain: warning: 1 of the 40 background rows was left out: the model gave no score (NaN) for it (a missing value in 'debt_ratio')"
		# shellcheck disable=SC2086
		t_ok "background without that row: $m" "$X" -m $P --method $m $opt --rows 0:5 \
		    --background "$T_TMP/bgless.csv" -o "$T_TMP/bl-$m.json" "$T_TMP/rows20.csv"
		t_eq "missing in the background: $m = without the row" \
		    "$(jq -c '[.results.base_value, [.results.local[].contributions[].phi]]' "$T_TMP/bm-$m.json")" \
		    "$(jq -c '[.results.base_value, [.results.local[].contributions[].phi]]' "$T_TMP/bl-$m.json")"
		t_eq "missing in the background: $m base_value defined" \
		    "$(jq '.results.base_value | type' "$T_TMP/bm-$m.json")" '"number"'
	done
	# permutation and pdp read no background: a missing value there changes nothing
	for m in permutation pdp; do
		t_ok "missing in the background: $m ignores it" timeout 60 "$X" -m $P --method $m \
		    --label label --background "$T_TMP/bgmiss.csv" -o /dev/null "$T_TMP/rows20.csv"
	done
	# the issue's reproducer: NaN scores used to hang the AUC
	t_run "permutation with a NaN score ends" 4 timeout 60 "$X" -m $P --method permutation \
	    --label label "$T_TMP/miss.csv"
else
	t_skip "missing values" "datasets/credit.csv or credit-planted.pmml is absent"
fi
# tree: a regression tree without a missing-value strategy
awk -F, -v OFS=, 'NR == 3 { $1 = "" } 1' $D/background.csv > "$T_TMP/tbg.csv"
awk -F, -v OFS=, 'NR != 3' $D/background.csv > "$T_TMP/tbgless.csv"
awk -F, -v OFS=, 'NR == 2 { $2 = "NA" } 1' $D/rows.csv > "$T_TMP/trows.csv"
t_run "missing in an explained row: tree" 4 timeout 60 "$X" -m $D/hard-tree.pmml --method tree \
    --background $D/background.csv "$T_TMP/trows.csv"
t_eq "missing in an explained row: tree message" "$(cat "$T_ERR")" \
    "audit-explain: $T_TMP/trows.csv: data row 0: the model gave no score (NaN); the value of 'x0' is missing"
t_ok "missing in the background: tree" timeout 60 "$X" -m $D/hard-tree.pmml --method tree \
    --background "$T_TMP/tbg.csv" -o "$T_TMP/tm.json" $D/rows.csv
t_eq "missing in the background: tree warning" "$(cat "$T_ERR")" \
    "audit-explain: warning: 1 of the 10 background rows was left out: the model gave no score (NaN) for it (a missing value in 'x0')"
t_ok "background without that row: tree" "$X" -m $D/hard-tree.pmml --method tree \
    --background "$T_TMP/tbgless.csv" -o "$T_TMP/tl.json" $D/rows.csv
t_eq "missing in the background: tree = without the row" \
    "$(jq -c '[.results.base_value, [.results.local[].contributions[].phi]]' "$T_TMP/tm.json")" \
    "$(jq -c '[.results.base_value, [.results.local[].contributions[].phi]]' "$T_TMP/tl.json")"
# base_value by hand: the 9 remaining background rows score 1 when x0 > 0.5 or x1 > 0
t_close "missing in the background: tree base_value by hand" "$(jq '.results.base_value' "$T_TMP/tm.json")" \
    "$(awk -F, 'NR > 1 && $1 != "" { n++; if ($1 > 0.5 || $2 > 0) k++ } END { printf "%.17g", k / n }' "$T_TMP/tbg.csv")" 1e-12
awk -F, -v OFS=, '{ $1 = "" } 1' $D/background.csv | sed 1s/^/x0/ > "$T_TMP/tbgnone.csv"
t_run "no background row can be scored" 4 "$X" -m $D/hard-tree.pmml --method tree \
    --background "$T_TMP/tbgnone.csv" $D/rows.csv
t_eq "no background row can be scored message" "$(cat "$T_ERR")" \
    "audit-explain: $T_TMP/tbgnone.csv: the model gave no score (NaN) for any of the 10 background rows; the value of 'x0' is missing"
# a logit link on a model of hard 0/1 labels: bad input, not an internal error
t_run "logit link on hard labels" 3 "$X" -m $D/hard-tree.pmml --method exact --link logit \
    --background $D/background.csv $D/rows.csv
t_eq "logit link on hard labels message" "$(cat "$T_ERR")" \
    "audit-explain: logit link: expected score 0 is outside (0, 1), so it has no log-odds (a model of hard 0/1 labels?): use the identity link"

# -o is --output, as in every tool; the quantity explained is --model-output, and an
# old command line that gave --output the quantity is refused, writing nothing
t_ok "--output FILE" "$X" -m $D/hard-tree.pmml --method exact --background $D/background.csv \
    --rows 3 --output "$T_TMP/long.json" $D/rows.csv
t_ok "-o FILE" "$X" -m $D/hard-tree.pmml --method exact --background $D/background.csv \
    --rows 3 -o "$T_TMP/short.json" $D/rows.csv
t_eq "--output and -o write the same" "$(cmp "$T_TMP/long.json" "$T_TMP/short.json" && echo same)" same
for w in score margin; do
	(cd "$T_TMP" && "$OLDPWD/$X" -m "$OLDPWD/$D/hard-tree.pmml" --method exact \
	    --background "$OLDPWD/$D/background.csv" --output $w "$OLDPWD/$D/rows.csv") \
	    >"$T_OUT" 2>"$T_ERR"
	t_eq "old --output $w: usage error" "$?" 2
	t_eq "old --output $w: no file '$w'" "$(ls "$T_TMP/$w" 2>/dev/null)" ""
	t_eq "old --output $w: names --model-output" \
	    "$(grep -c -- "--model-output $w" "$T_ERR")" 1
done

t_done
