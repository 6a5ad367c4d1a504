#!/bin/sh
# demo.sh — `make demo`: the whole audit of the bundled dataset, ending in a PDF.
#   1. the data: datasets/credit.csv (made by audit-synth; regenerated when missing)
#   1b. audit-data: profile the data and emit its schema, check the data against that
#      schema, and measure the drift of a second audit-synth sample with planted
#      shifts (income moved by half a standard deviation, a fifth of the rows moved
#      to the west region) against the bundled data
#   2. audit-predict: the planted model (datasets/credit-planted.pmml) scores every row
#   3. audit-fair: group fairness by sex and group (and their intersection), with checks
#   3a. audit-slice --discover: the slices (region, sex, group, age bands) where the
#      model's false negative rate is worst against the rest
#   3b. audit-mitigate: group thresholds for demographic parity on 'group' (the policy),
#      the accuracy-disparity frontier, the policy applied to the rows, and audit-fair
#      on the mitigated decisions (the after state)
#   4. audit-robust: counterfactual flip of sex and group, noise sweeps, per-feature fragility
#   5. audit-explain: Shapley values of the planted model, per group, with the proxy table
#   6. audit-report: the PDF and the HTML, with the model card datasets/credit-model-card.json
# Every step's JSON goes to reports/demo/ ($DEMO_OUT); the report to
# reports/demo-audit.pdf ($DEMO_PDF).
set -eu
BIN=${BIN:-bin}
OUT=${DEMO_OUT:-reports/demo}
DATA=datasets/credit.csv
MODEL=datasets/credit-planted.pmml
CARD=datasets/credit-model-card.json
PDF=${DEMO_PDF:-reports/demo-audit.pdf}
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }
have() { [ -x "$BIN/$1" ]; }

if [ ! -f "$DATA" ] || [ ! -f "$MODEL" ]; then
	step "audit-synth: making $DATA and $MODEL"
	"$BIN/audit-synth" --scenario credit --rows 5000 --seed 42 --model-out "$MODEL" -o "$DATA"
fi
echo "data: $DATA ($(($(wc -l <"$DATA") - 1)) rows), model: $MODEL"

inputs=""
if have audit-data; then
	step "audit-data: profile $DATA and emit its schema"
	"$BIN/audit-data" profile --emit-schema "$OUT/credit.schema.json" --format json \
	    -o "$OUT/profile.json" "$DATA"
	"$BIN/audit-data" profile --format table "$DATA" | head -n 24 || true
	step "audit-data: check $DATA against that schema"
	"$BIN/audit-data" check --schema "$OUT/credit.schema.json" --format json \
	    -o "$OUT/check.json" "$DATA"
	echo "no violation: the data keeps the schema it implies ($OUT/credit.schema.json)"
	step "audit-data: drift of a new sample with planted shifts (audit-synth --shift)"
	"$BIN/audit-synth" --rows 5000 --seed 7 --shift income=0.5 --shift region=0.2 \
	    -o "$OUT/credit-shifted.csv"
	set +e
	"$BIN/audit-data" drift --reference "$DATA" --columns \
	    age,income,debt_ratio,credit_years,employment_years,loan_amount,num_accounts,late_payments,region,sex,group \
	    --pred pred --label label --by group --check 'drift.share < 0.5' \
	    --format json -o "$OUT/drift.json" "$OUT/credit-shifted.csv"
	st=$?
	set -e
	case $st in
	0) echo "the drift check passed (fewer than half the columns drift)" ;;
	1) echo "the drift check failed (exit 1): the report shows which columns drift" ;;
	*) exit "$st" ;;
	esac
	if have audit-report; then
		"$BIN/audit-report" --format table "$OUT/drift.json" | head -n 30 || true
	fi
	inputs="$inputs $OUT/profile.json $OUT/check.json $OUT/drift.json"
fi

if have audit-predict; then
	step "audit-predict: scoring $DATA with the planted model"
	"$BIN/audit-predict" -m "$MODEL" --score-col model_score --pred-col model_pred \
	    -o "$OUT/predictions.csv" "$DATA"
	echo "wrote $OUT/predictions.csv"
fi

if have audit-fair; then
	step "audit-fair: is the planted model fair to sex and group?"
	set +e
	"$BIN/audit-fair" --label label --pred pred --score score --protected sex,group \
	    --intersect --check 'demographic_parity_ratio>=0.8' \
	    --check 'equalized_odds_difference<=0.1' --format json -o "$OUT/fair.json" "$DATA"
	st=$?
	set -e
	case $st in
	0) echo "every fairness check passed" ;;
	1) echo "some fairness checks failed (exit 1): the report shows which" ;;
	*) exit "$st" ;;
	esac
	"$BIN/audit-fair" --label label --pred pred --score score --protected sex,group \
	    --format table "$DATA" | head -n 40 || true
	inputs="$inputs $OUT/fair.json"
fi

if have audit-slice; then
	step "audit-slice: where does the model fail the applicants who repay? (discovery)"
	"$BIN/audit-slice" -q --label label --pred pred --metric fnr --discover \
	    --columns region,sex,group,age --bins 4 --format json -o "$OUT/slices.json" "$DATA"
	"$BIN/audit-slice" -q --label label --pred pred --metric fnr --discover \
	    --columns region,sex,group,age --bins 4 --format table "$DATA" | head -n 12 || true
	inputs="$inputs $OUT/slices.json"
fi

if have audit-mitigate && have audit-fair; then
	step "audit-mitigate: group thresholds for demographic parity on 'group'"
	"$BIN/audit-mitigate" thresholds --label label --score score --protected group \
	    --constraint demographic_parity --format json -o "$OUT/policy.json" "$DATA"
	"$BIN/audit-mitigate" thresholds --label label --score score --protected group \
	    --constraint demographic_parity --format table "$DATA"
	"$BIN/audit-mitigate" frontier --label label --score score --protected group \
	    --constraint demographic_parity --tolerance 0.05 --format json \
	    -o "$OUT/frontier.json" "$DATA"
	echo "wrote $OUT/policy.json (the policy) and $OUT/frontier.json (the trade-off curve)"
	step "audit-mitigate apply, then audit-fair on the mitigated decisions"
	"$BIN/audit-mitigate" apply --policy "$OUT/policy.json" --seed 42 \
	    -o "$OUT/mitigated.csv" "$DATA"
	"$BIN/audit-fair" --label label --pred pred_mitigated --protected sex,group \
	    --format json -o "$OUT/fair-mitigated.json" "$OUT/mitigated.csv"
	"$BIN/audit-fair" --label label --pred pred_mitigated --protected group \
	    --format table "$OUT/mitigated.csv" | head -n 34 || true
	inputs="$inputs $OUT/policy.json $OUT/frontier.json $OUT/fair-mitigated.json"
fi

if have audit-robust; then
	step "audit-robust: counterfactual flips and perturbations"
	set +e
	"$BIN/audit-robust" -m "$MODEL" --label label --protected sex,group \
	    --counterfactual sex --counterfactual group --perturb gaussian \
	    --perturb swap --levels 0.05,0.1,0.2,0.5 --perturb missing:0.1 \
	    --check 'flip:sex.flip_rate == 0' --check 'flip:group.flip_rate == 0' \
	    --junit "$OUT/robust-checks.xml" --format json -o "$OUT/robust.json" "$DATA"
	st=$?
	set -e
	case $st in
	0) echo "the anti-classification checks passed (no decision follows sex or group)" ;;
	1) echo "an anti-classification check failed (exit 1): the report shows which" ;;
	*) exit "$st" ;;
	esac
	echo "wrote $OUT/robust.json and $OUT/robust-checks.xml (JUnit)"
	inputs="$inputs $OUT/robust.json"
fi

if have audit-explain; then
	step "audit-explain: which features drive the score, per group"
	head -n 101 "$DATA" >"$OUT/background.csv"
	"$BIN/audit-explain" -m "$MODEL" --background "$OUT/background.csv" \
	    --method exact --rows 300 --protected sex,group --label label --format json \
	    --rows-out "$OUT/shap-rows.csv" -o "$OUT/explain.json" "$DATA"
	echo "wrote $OUT/explain.json"
	inputs="$inputs $OUT/explain.json"
fi

if have audit-report && [ -n "$inputs" ]; then
	step "audit-report: the PDF, and the same report as one HTML file"
	# shellcheck disable=SC2086
	"$BIN/audit-report" -o "$PDF" --title "Audit of the planted credit model" \
	    --model-card "$CARD" $inputs
	# shellcheck disable=SC2086
	"$BIN/audit-report" --format html -o "${PDF%.pdf}.html" \
	    --title "Audit of the planted credit model" --model-card "$CARD" $inputs
	echo
	echo "report: $PDF"
	echo "        ${PDF%.pdf}.html (the same report as HTML: open it in a browser)"
else
	echo
	echo "demo: audit-report is not built yet; JSON results are in $OUT/"
fi
