#!/bin/sh
# modelcmd-sklearn.sh — examples/: train the example scikit-learn Pipeline,
# serve it through sklearn-model-cmd.py (now a pointer to
# python/rai_audit_serve.py), check its scores against a hand computation from
# the fitted parameters, and (when audit-predict is built) score through
# --model-cmd. Runs only where a python3 imports sklearn and pandas (Debian:
# python3-sklearn, python3-pandas); skips, saying so, otherwise.
. tests/e2e/lib.sh

PY=$(t_python sklearn pandas)
if [ -z "$PY" ]; then
	t_skip modelcmd-sklearn "no python3 imports sklearn and pandas (apt-get install python3-sklearn python3-pandas to run it)"
	t_done
	exit $?
fi
echo "# using $PY ($("$PY" -c 'import sklearn; print("scikit-learn", sklearn.__version__)'))"

data="$T_TMP/credit.csv"
if [ -x "$BIN/audit-synth" ]; then
	"$BIN/audit-synth" --rows 1500 --seed 11 -q -o "$data"
else
	# audit-synth not built: the same columns from a small deterministic generator
	echo "# $BIN/audit-synth is not built: using awk-generated rows"
	awk 'BEGIN { srand(11); split("north east south west", reg, " ")
		print "id,age,income,debt_ratio,credit_years,employment_years,loan_amount,num_accounts,late_payments,region,sex,group,label"
		for (i = 1; i <= 1500; i++) {
			age = 20 + int(rand() * 50); inc = 20 + rand() * 60; dr = rand() * 0.8
			r = reg[1 + int(rand() * 4)]; late = int(rand() * 4)
			z = 0.04 * inc - 3 * dr - 0.5 * late + (r == "south" ? -0.7 : 0.3) + rand() - 0.5
			printf "%d,%d,%.1f,%.3f,%.1f,%.1f,%.1f,%d,%d,%s,%s,%s,%d\n", i, age, inc, dr,
			    rand() * 20, rand() * 15, 5 + rand() * 20, int(rand() * 8), late, r,
			    (rand() < 0.5 ? "male" : "female"), (r == "south" ? "C" : "A"), (z > 0) }
	}' >"$data"
fi
rows=$(($(wc -l <"$data") - 1))

# maxdiff A B: the largest |a - b| over the lines after the headers; nothing
# (a failure for t_close) when the files differ in length or hold a non-number.
maxdiff() {
	paste -d, "$1" "$2" | awk -F, '
		NR == 1 { next }
		NF != 2 || $1 !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ || $2 !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ { bad = 1 }
		{ d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d; n++ }
		END { if (!bad && n > 0) printf "%.3g", m + 0 }'
}

t_ok "train the example model" "$PY" examples/train-sklearn-example.py --scores "$T_TMP/train.txt" "$data" "$T_TMP/model.pkl"

# The adapter reads the whole input and picks its features by name; it prints
# one score per row, no header.
t_ok "adapter scores a CSV" sh -c "'$PY' examples/sklearn-model-cmd.py '$T_TMP/model.pkl' <'$data' >'$T_TMP/adapter-raw.txt'"
{ echo score; cat "$T_TMP/adapter-raw.txt"; } >"$T_TMP/adapter.txt"
t_eq "adapter: one score per row, no header" "$(head -n 1 "$T_TMP/adapter-raw.txt" | grep -c '^score'),$(wc -l <"$T_TMP/adapter-raw.txt")" "0,$rows"
t_eq "adapter scores equal predict_proba at training" "$(cmp "$T_TMP/adapter.txt" "$T_TMP/train.txt" && echo same)" same

# Independent value: the logistic regression computed by hand (pure Python,
# from the fitted imputer, scaler, encoder and coefficients, columns by name).
"$PY" - "$T_TMP/model.pkl" "$data" >"$T_TMP/hand.txt" <<'EOF'
import csv, math, pickle, sys
obj = pickle.load(open(sys.argv[1], "rb"))
pipe, feats = obj["model"], obj["features"]
ct, clf = pipe.named_steps["pre"], pipe.named_steps["clf"]
num = ct.named_transformers_["num"]
med = num.named_steps["impute"].statistics_
mean, scale = num.named_steps["scale"].mean_, num.named_steps["scale"].scale_
cats = ct.named_transformers_["cat"].categories_
coef, b = clf.coef_[0], clf.intercept_[0]
print("score")
for r in csv.DictReader(open(sys.argv[2], newline="")):
    z = []
    for j, f in enumerate(feats[:len(med)]):
        v = float(r[f]) if r[f] != "" else med[j]
        z.append((v - mean[j]) / scale[j])
    for j, f in enumerate(feats[len(med):]):
        z.extend(1.0 if r[f] == c else 0.0 for c in cats[j])
    t = b + sum(w * x for w, x in zip(coef, z))
    print(repr(1 / (1 + math.exp(-t))))
EOF
worst=$(maxdiff "$T_TMP/adapter.txt" "$T_TMP/hand.txt")
echo "# max difference from the hand computation: $worst"
t_close "adapter scores equal the hand-computed logistic regression (max |diff|)" "$worst" 0 1e-12

# The adapter's own errors: one line on stderr; status 2 for a model that
# cannot be loaded, 1 for input it cannot serve.
t_run "adapter: missing pickle exits 2" 2 sh -c "'$PY' examples/sklearn-model-cmd.py '$T_TMP/nope.pkl' <'$data'"
t_eq "adapter: missing pickle message" "$(cat "$T_ERR")" "rai_audit_serve: cannot open '$T_TMP/nope.pkl': No such file or directory"
t_run "adapter: missing feature column exits 1" 1 sh -c "cut -d, -f1-9 '$data' | '$PY' examples/sklearn-model-cmd.py '$T_TMP/model.pkl'"
t_eq "adapter: missing feature message" "$(cut -c1-68 "$T_ERR"),$(wc -l <"$T_ERR")" "rai_audit_serve: column 'region' the model needs is not in the input,1"

# Through a tool: every column goes to the command, which picks its features.
if [ -x "$BIN/audit-predict" ] && printf 'x\n1\n' | "$BIN/audit-predict" --model-cmd 'echo 1' 2>&1 >/dev/null |
    grep -q -- '--model-cmd is not available in this build'; then
	t_skip "audit-predict --model-cmd" "$BIN/audit-predict does not take --model-cmd yet (it must open models with aud_model_open())"
elif [ -x "$BIN/audit-predict" ]; then
	cmd="'$PY' examples/sklearn-model-cmd.py '$T_TMP/model.pkl'"
	t_ok "audit-predict --model-cmd with the adapter" "$BIN/audit-predict" --model-cmd "$cmd" -o "$T_TMP/pred.csv" "$data"
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "score") c = i; print "score"; next } { print $c }' \
	    "$T_TMP/pred.csv" >"$T_TMP/pred-score.txt"
	worst=$(maxdiff "$T_TMP/pred-score.txt" "$T_TMP/train.txt")
	t_eq "audit-predict scores: one per row" "$(($(wc -l <"$T_TMP/pred-score.txt") - 1))" "$rows"
	t_close "audit-predict scores equal predict_proba (max |diff|)" "$worst" 0 1e-15
	t_ok "audit-predict --model-cmd --batch-size 400" "$BIN/audit-predict" --model-cmd "$cmd" --batch-size 400 -o "$T_TMP/pred400.csv" "$data"
	t_eq "batches of 400 rows give the same output" "$(cmp "$T_TMP/pred.csv" "$T_TMP/pred400.csv" && echo same)" same
	t_run "audit-predict: a failing adapter is exit 4" 4 "$BIN/audit-predict" --model-cmd "'$PY' examples/sklearn-model-cmd.py '$T_TMP/nope.pkl'" "$data"
	t_eq "audit-predict: the adapter's stderr in the message" \
	    "$(grep -c "exited with status 2; stderr: rai_audit_serve: cannot open '$T_TMP/nope.pkl'" "$T_ERR")" 1
else
	t_skip "audit-predict --model-cmd" "$BIN/audit-predict is not built (the pmml branch brings it)"
fi
t_done
