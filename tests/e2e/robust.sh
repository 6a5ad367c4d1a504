#!/bin/sh
# robust.sh — audit-robust end to end: the hand-made rule list (as a model
# command and as PMML), known effects of each perturbation kind, determinism
# (seeds, threads), the planted audit-synth model and a real exporter's forest.
. tests/e2e/lib.sh
R="$BIN/audit-robust"
D=tests/data/robust
RULES="sh $D/rules-model.sh"

have_pmml() { ls libaudit/pmml*.c >/dev/null 2>&1; }

# ---- the rule list, counted by hand (see tests/unit/test_robust.c) ----
check_rules() {  # $1: name, then the model options
	_nm=$1; shift
	t_run "$_nm: runs" 0 "$R" "$@" --label label --protected sex --freeze id \
	    --counterfactual sex --perturb grid:age=1,priors=1 -o "$T_TMP/rules.json" $D/rules.csv
	J="$T_TMP/rules.json"
	t_eq "$_nm: counterfactual flips" "$(jq '.results.perturbations[0].flips' "$J")" 4
	t_eq "$_nm: counterfactual by group" \
	    "$(jq -c '[.results.perturbations[0].by_group[0].groups[] | [.group, .flips, .rows]]' "$J")" \
	    '[["F",2,5],["M",2,5]]'
	t_eq "$_nm: grid flips" "$(jq '.results.perturbations[1].flips' "$J")" 5
	t_eq "$_nm: grid neighbours" "$(jq '.results.perturbations[1].variants' "$J")" 66
	t_eq "$_nm: robust and correct" "$(jq -c '.results.perturbations[1] |
	    [.robust_and_correct, .correct, .robust_and_correct_rate]' "$J")" '[5,9,0.5]'
	t_eq "$_nm: grid by feature" \
	    "$(jq -c '[.results.perturbations[1].by_feature[] | [.feature, .flips]]' "$J")" \
	    '[["age",3],["priors",2]]'
	# adversarial:1 (age sd 3.843: whole steps up to 3; priors sd 1.663: up to 1):
	# rows 1 (age 17 or 21), 5, 7, 9 (age by 1) and 6, 8 (priors by 1) flip;
	# radii 2/sd_age, 1/sd_age (x3), 1/sd_priors (x2): median 1.5 / sd_age
	t_run "$_nm: adversarial" 0 "$R" "$@" --label label --protected sex --freeze id \
	    --perturb adversarial:1 -o "$T_TMP/adv.json" $D/rules.csv
	t_eq "$_nm: adversarial flips" "$(jq -c '.results.perturbations[0] |
	    [.flips, [.by_group[0].groups[].flips], [.by_feature[].flips]]' "$T_TMP/adv.json")" \
	    '[6,[2,4],[4,2]]'
	t_close "$_nm: adversarial median radius" \
	    "$(jq '.results.perturbations[0].median_flip_radius' "$T_TMP/adv.json")" \
	    "$(awk 'BEGIN { n = split("19 19 25 30 20 18 21 22 17 20", a, " "); for (i = 1; i <= n; i++) { s += a[i]; q += a[i] * a[i] }
	    printf "%.17g", 1.5 / sqrt((q - s * s / n) / (n - 1)) }')" 1e-12
	t_eq "$_nm: denominators stated" \
	    "$(jq '[.results.perturbations[] | has("denominator") and has("rows")] | all' "$J")" true
}
check_rules "rules via --model-cmd" --model-cmd "$RULES"
if have_pmml; then
	check_rules "rules.pmml" -m $D/rules.pmml
else
	t_skip "rules.pmml" "the PMML engine (libaudit/pmml*.c) is not in this tree yet"
fi

# ---- the counterfactual test through a transformation (PMML MapValues) ----
if have_pmml; then
	# logistic(-1 + 2 is_male + 0.001 age), is_male derived from sex: every decision
	# follows sex; with coefficient 0 the model reads sex but does not use it
	t_run "sex through a derived field" 0 "$R" -m $D/derived.pmml --protected sex \
	    --counterfactual sex --no-by-feature -o "$T_TMP/derived.json" $D/rules.csv
	t_eq "sex through a derived field: every row flips" \
	    "$(jq '.results.perturbations[0].flip_rate' "$T_TMP/derived.json")" 1
	t_run "sex read but unused" 0 "$R" -m $D/derived-unused.pmml --protected sex \
	    --counterfactual sex --no-by-feature -o "$T_TMP/unused.json" $D/rules.csv
	t_eq "sex read but unused: exactly 0" \
	    "$(jq -c '.results.perturbations[0] | [.flips, .max_abs_score_change]' "$T_TMP/unused.json")" \
	    '[0,0]'
else
	t_skip "derived.pmml" "the PMML engine (libaudit/pmml*.c) is not in this tree yet"
fi

# ---- each kind on a tiny case with a known effect (model commands) ----
printf 'x,c\n0.44,a\n0.6,a\n1.45,b\n1.6,b\n0.9,a\n' >"$T_TMP/x.csv"
THR='awk -F, "NR > 1 { print (\$1 >= 1) }"'
t_run "round:0 on a threshold model" 0 "$R" --model-cmd "$THR" --perturb round:0 \
    --features x -o "$T_TMP/round.json" "$T_TMP/x.csv"
# 0.6 -> 1 and 0.9 -> 1 cross the threshold; 1.45 -> 1 and 1.6 stay positive
t_eq "round:0 flips rows 2 and 5" "$(jq '.results.perturbations[0].flips' "$T_TMP/round.json")" 2
MISS='awk -F, "NR > 1 { print (\$1 == \"\" ? 0.8 : 0.2) }"'
t_run "missing:1 through the model's missing strategy" 0 "$R" --model-cmd "$MISS" \
    --perturb missing:1 --features x -o "$T_TMP/miss.json" "$T_TMP/x.csv"
t_eq "missing:1 flips every row" "$(jq '.results.perturbations[0].flip_rate' "$T_TMP/miss.json")" 1
ONLY='awk -F, "NR > 1 { print (\$1 == \"a\" ? 0.9 : 0.2) }"'
t_run "flip of the only feature" 0 "$R" --model-cmd "$ONLY" --model-columns c --counterfactual c \
    -o "$T_TMP/only.json" "$T_TMP/x.csv"
t_eq "flip of the only feature: flip_rate 1" \
    "$(jq '.results.perturbations[0].flip_rate' "$T_TMP/only.json")" 1
t_run "scale:1 is the identity" 0 "$R" --model-cmd "$THR" --perturb scale:1 --features x \
    -o "$T_TMP/scale.json" "$T_TMP/x.csv"
t_eq "scale:1 flips nothing" "$(jq '.results.perturbations[0].flips' "$T_TMP/scale.json")" 0

# ---- determinism ----
run_det() {  # $1 output, then extra options
	_o=$1; shift
	"$R" --model-cmd "$RULES" --label label --protected sex --freeze id --repeats 5 \
	    --perturb gaussian:0.5 --perturb uniform:1 --perturb missing:0.3 --perturb adversarial:0.5 \
	    -o "$_o" "$@" $D/rules.csv
}
t_ok "determinism: first run" run_det "$T_TMP/d1.json" --threads 1
t_ok "determinism: same seed" run_det "$T_TMP/d2.json" --threads 1
t_ok "determinism: two threads" run_det "$T_TMP/d3.json" --threads 2 --batch-size 3
t_ok "determinism: another seed" run_det "$T_TMP/d4.json" --threads 1 --seed 7
t_ok "same seed, same bytes" cmp "$T_TMP/d1.json" "$T_TMP/d2.json"
t_ok "1 and 2 threads, same bytes" cmp "$T_TMP/d1.json" "$T_TMP/d3.json"
if cmp -s "$T_TMP/d1.json" "$T_TMP/d4.json"; then t_fail "another seed, other noise"; else
	t_pass "another seed, other noise"; fi

# ---- the model command is started once per batch, not per row ----
calls() {  # count the command's starts: $1 file, then options
	_f=$1; shift
	: >"$_f"
	"$R" --model-cmd "echo >>'$_f'; $RULES" --freeze id -o "$T_TMP/calls.json" "$@" \
	    $D/rules.csv && wc -l <"$_f" | tr -d ' '
}
# baseline 1 + flip 1 (10 rows, each with one variant)
t_eq "one start for the baseline, one for the flip" \
    "$(calls "$T_TMP/c1" --counterfactual sex --no-by-feature)" 2
# batches of 4 rows: baseline 3 + flip 3
t_eq "--batch-size 4: ceil(10 / 4) starts a pass" \
    "$(calls "$T_TMP/c2" --counterfactual sex --batch-size 4 --threads 2)" 6
# gaussian with 3 repeats, all features and each of age, priors alone: 1 + 3 x 3
t_eq "gaussian: one start per repeat and slice" \
    "$(calls "$T_TMP/c3" --protected sex --label label --perturb gaussian:0.2 --repeats 3)" 10

# ---- output is atomic: a failing run leaves no file ----
t_run "model failure" 4 "$R" --model-cmd 'exit 1' -o "$T_TMP/none.json" $D/rules.csv
t_ok "no output file after a failure" test ! -e "$T_TMP/none.json"

# ---- the planted audit-synth model: sex is not used, region is its proxy ----
if [ -f datasets/credit.csv ] && [ -f datasets/credit-planted.pmml ] && have_pmml; then
	head -n 2001 datasets/credit.csv >"$T_TMP/credit.csv"
	t_run "planted model runs" 0 "$R" -m datasets/credit-planted.pmml --label label \
	    --protected sex,group --counterfactual sex --perturb swap:0.5 -o "$T_TMP/planted.json" \
	    "$T_TMP/credit.csv"
	t_eq "planted model: counterfactual on sex is exactly 0" \
	    "$(jq '.results.perturbations[0].flips' "$T_TMP/planted.json")" 0
	t_eq "planted model: region is a perturbed feature" \
	    "$(jq '[.results.perturbations[1].by_feature[] | select(.feature == "region")] | length' \
	    "$T_TMP/planted.json")" 1
	t_eq "planted model: swapping region changes decisions" \
	    "$(jq '[.results.perturbations[1].by_feature[] | select(.feature == "region") | .flips > 0] | all' \
	    "$T_TMP/planted.json")" true
	# the planted model gives no score when a value is missing: those rows are
	# 'unscored', not flips; the rows left untouched keep their score exactly,
	# so nothing flips and the scored and unscored rows add up to the input
	t_run "planted model: missing:0.1" 0 "$R" -m datasets/credit-planted.pmml --label label \
	    --protected sex --perturb missing:0.1 --no-by-feature -o "$T_TMP/pmiss.json" \
	    datasets/credit.csv
	t_eq "planted missing:0.1: no flip, no score change" \
	    "$(jq -c '.results.perturbations[0] | [.flips, .flip_rate, .max_abs_score_change, .mean_abs_score_change]' \
	    "$T_TMP/pmiss.json")" '[0,0,0,0]'
	t_eq "planted missing:0.1: rows + unscored = every row" \
	    "$(jq '.results.perturbations[0] | .rows + .unscored' "$T_TMP/pmiss.json")" \
	    "$(($(wc -l <datasets/credit.csv) - 1))"
	t_eq "planted missing:0.1: unscored by group add up" \
	    "$(jq '.results.perturbations[0] | ([.by_group[0].groups[].unscored] | add) == .unscored and .unscored > 0' \
	    "$T_TMP/pmiss.json")" true
	t_eq "planted missing:0.1: one warning" \
	    "$(jq '[.warnings[] | select(test("unscored"))] | length' "$T_TMP/pmiss.json")" 1
else
	t_skip "planted model" "datasets/credit.csv, datasets/credit-planted.pmml (audit-synth) or the PMML engine not in this tree yet"
fi

# ---- a real exporter's forest (../shared) ----
S=$(t_shared)
RF="$S/pmml-conformance/sklearn-rf-audit"
if [ -n "$S" ] && [ -f "$RF/model.pmml" ] && have_pmml; then
	t_run "sklearn forest: gaussian and swap" 0 "$R" -m "$RF/model.pmml" --protected Gender \
	    --perturb gaussian:0.1 --perturb swap:0.1 --threads 2 -o "$T_TMP/rf.json" "$RF/input.csv"
	t_eq "sklearn forest: every row" "$(jq '.results.perturbations[0].rows' "$T_TMP/rf.json")" \
	    "$(($(wc -l <"$RF/input.csv") - 1))"
	t_run "sklearn forest: one thread" 0 "$R" -m "$RF/model.pmml" --protected Gender \
	    --perturb gaussian:0.1 --perturb swap:0.1 --threads 1 -o "$T_TMP/rf1.json" "$RF/input.csv"
	t_ok "sklearn forest: same bytes for 1 and 2 threads" cmp "$T_TMP/rf.json" "$T_TMP/rf1.json"
else
	t_skip "sklearn forest" "../shared/pmml-conformance or the PMML engine not available"
fi
# ---- a wide input: 2 rows x 20000 columns within 600 MB of address space ----
# Reading reserves rows as they come, in batches of about 2^22 cells: before,
# 65536 rows were reserved for every column (about 16 GB of address space here).
if ldd "$BIN/audit-robust" 2>/dev/null | grep -q 'libasan'; then
	t_skip "wide input under ulimit -v" "a sanitizer build needs more address space than any limit tests"
else
	awk 'BEGIN { n = 20000
		for (i = 1; i <= n; i++) printf "%sc%d", (i > 1 ? "," : ""), i; print ""
		for (r = 0; r < 2; r++) { for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? "," : ""), (i + r) % 7; print "" } }' \
	    >"$T_TMP/wide.csv"
	printf 'awk -F, "NR > 1 { print 0.5 }"\n' >"$T_TMP/half.sh"
	t_run "wide input under ulimit -v 600000" 0 sh -c 'ulimit -v 600000 && exec "$1" -q \
	    --model-cmd "sh $2" --perturb gaussian:0.1 --no-by-feature --threads 1 -o "$3" "$4"' \
	    sh "$BIN/audit-robust" "$T_TMP/half.sh" "$T_TMP/wide.json" "$T_TMP/wide.csv"
	t_eq "wide input: every column a feature" \
	    "$(jq '.params.features | length' "$T_TMP/wide.json" 2>/dev/null)" 20000
	t_eq "wide input: both rows" "$(jq '.results.perturbations[0].rows' "$T_TMP/wide.json" 2>/dev/null)" 2
fi
t_done
