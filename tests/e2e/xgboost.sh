#!/bin/sh
# xgboost.sh — XGBoost JSON models read natively (-m m.json): small boosters of
# every supported objective (and a dart booster) are trained here with python3-xgboost on data with
# missing values (so default directions matter) and values on a grid (so rows
# fall exactly on split values), with and without feature names; audit-predict
# must give XGBoost's own predictions (booster.predict) as the same float32
# numbers, audit-robust and audit-explain --method tree must run on them, and
# Tree SHAP must be additive and equal --method exact. When audit-explain
# offers --method tree-path, its values must equal XGBoost's pred_contribs
# (bias column = base value) to 1e-5. Runs only where python3 can import
# xgboost (Debian: python3-xgboost); skips, saying so, otherwise.
. tests/e2e/lib.sh

PY=$(t_python xgboost numpy)
if [ -z "$PY" ]; then
	t_skip xgboost "python3 cannot import xgboost (apt-get install python3-xgboost to run it)"
	t_done
	exit $?
fi
echo "# using $PY (xgboost $("$PY" -c 'import xgboost; print(xgboost.__version__)'))"
P="$BIN/audit-predict"
D=$T_TMP

# Train the models; write the data (missing values as empty fields), and for
# each model its predictions and margins as the doubles of XGBoost's floats.
cat >"$D/train.py" <<'EOF'
import sys
import numpy as np
import xgboost as xgb

d = sys.argv[1]
rng = np.random.default_rng(7)
n = 400
X = np.round(rng.normal(size=(n, 4)) * 2, 1)          # a grid of 0.1: ties with splits
X[:, 3] = rng.integers(0, 5, size=n)
X[rng.random((n, 4)) < 0.15] = np.nan
z = np.nan_to_num(X[:, 0]) - 0.8 * np.nan_to_num(X[:, 1], nan=1.5) + 0.3 * np.nan_to_num(X[:, 3])
y_bin = (z + rng.normal(size=n) > 0).astype(float)
y_prob = 1 / (1 + np.exp(-z))
y_reg = z + rng.normal(size=n) * 0.3
y_pos = rng.poisson(np.exp(0.3 * np.clip(z, -3, 3)))
y_gamma = np.exp(0.3 * np.clip(z, -3, 3)) * rng.gamma(2.0, 0.5, size=n)
names = ["age", "income", "debt", "visits"]

def write_csv(path, cols):
    with open(path, "w") as f:
        f.write(",".join(cols) + "\n")
        for r in X:
            f.write(",".join("" if np.isnan(v) else repr(float(v)) for v in r) + "\n")

write_csv(d + "/data.csv", names)
write_csv(d + "/data-f.csv", ["f%d" % i for i in range(4)])

models = {
    "logistic": ({"objective": "binary:logistic", "base_score": 0.3}, y_bin, True),
    "logistic-unnamed": ({"objective": "binary:logistic"}, y_bin, False),
    "logistic-forest": ({"objective": "binary:logistic", "num_parallel_tree": 3,
                         "subsample": 0.7, "colsample_bynode": 0.7}, y_bin, True),
    "reglogistic": ({"objective": "reg:logistic"}, y_prob, True),
    "squarederror": ({"objective": "reg:squarederror"}, y_reg, True),
    "pseudohuber": ({"objective": "reg:pseudohubererror"}, y_reg, True),
    "absoluteerror": ({"objective": "reg:absoluteerror"}, y_reg, True),
    "poisson": ({"objective": "count:poisson"}, y_pos, True),
    "gamma": ({"objective": "reg:gamma"}, y_gamma + 0.01, True),
    "tweedie": ({"objective": "reg:tweedie"}, y_pos, True),
    "dart": ({"objective": "binary:logistic", "booster": "dart", "rate_drop": 0.3,
              "skip_drop": 0.0}, y_bin, True),
}
for name, (params, y, named) in models.items():
    p = dict(params, max_depth=3, eta=0.3, tree_method="hist", seed=1)
    dm = xgb.DMatrix(X, label=y, feature_names=names if named else None)
    b = xgb.train(p, dm, 12)
    b.save_model(d + "/" + name + ".json")
    b = xgb.Booster(model_file=d + "/" + name + ".json")
    dm = xgb.DMatrix(X, feature_names=names if named else None)
    np.savetxt(d + "/" + name + ".want", b.predict(dm).astype(np.float64), fmt="%.17g")
    np.savetxt(d + "/" + name + ".margin", b.predict(dm, output_margin=True).astype(np.float64),
               fmt="%.17g")
    if name == "dart":
        import json
        w = json.load(open(d + "/dart.json"))["learner"]["gradient_booster"]["weight_drop"]
        print("dart weights other than 1: %d" % sum(1 for v in w if v != 1))
    if name == "logistic":
        c = b.predict(xgb.DMatrix(X[:30], feature_names=names), pred_contribs=True)
        np.savetxt(d + "/" + name + ".contribs", c.astype(np.float64), fmt="%.17g",
                   delimiter=",")
EOF
if ! "$PY" "$D/train.py" "$D" >"$T_OUT" 2>"$T_ERR"; then
	t_fail "training the XGBoost models" "$(tail -3 "$T_ERR")"
	t_done
	exit $?
fi
t_pass "trained the XGBoost models"
t_eq "the dart model weighs its trees" "$(grep -c 'dart weights other than 1: [1-9]' "$T_OUT")" 1

# column COL of a CSV (by its header name)
column() {
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"
}

# compare GOT WANT: the largest relative difference, and the number of rows
# whose numbers differ as float32 ("rows=N maxrel=X mismatches=M")
cat >"$D/cmp.py" <<'EOF'
import sys
import numpy as np
g = np.loadtxt(sys.argv[1], ndmin=1)
w = np.loadtxt(sys.argv[2], ndmin=1)
if g.shape != w.shape:
    print("rows=%d want=%d" % (g.size, w.size)); sys.exit()
rel = np.abs(g - w) / np.maximum(np.abs(w), 1e-30)
print("rows=%d maxrel=%s mismatches=%d" % (g.size, "%.3g" % rel.max() if g.size else "0",
      int(np.sum(g.astype(np.float32) != w.astype(np.float32)))))
EOF
# the maxrel of a comparison line, and its mismatches
maxrel() { echo "$1" | sed -n 's/.*maxrel=\([^ ]*\).*/\1/p'; }
mism() { echo "$1" | sed -n 's/.*mismatches=\([0-9]*\).*/\1/p'; }

for m in logistic logistic-unnamed logistic-forest reglogistic squarederror pseudohuber \
    absoluteerror poisson gamma tweedie dart; do
	data=$D/data.csv
	[ "$m" = logistic-unnamed ] && data=$D/data-f.csv
	t_ok "$m: audit-predict -m $m.json" "$P" -m "$D/$m.json" -o "$D/$m.csv" "$data"
	column "$D/$m.csv" score >"$D/$m.got"
	r=$("$PY" "$D/cmp.py" "$D/$m.got" "$D/$m.want")
	echo "# $m scores: $r"
	t_close "$m: scores = booster.predict (1e-6 relative)" "$(maxrel "$r")" 0 1e-6
	t_eq "$m: scores = booster.predict as float32" "$(mism "$r")" 0
done

# The margin (output_margin=True) through audit-explain's rows: exact's score
# column with --model-output margin is the model's margin of each row.
X="$BIN/audit-explain"
head -n 21 "$D/data.csv" >"$D/bg.csv"
head -n 31 "$D/data.csv" >"$D/rows.csv"
head -n 30 "$D/logistic.margin" >"$D/rows.margin"
for meth in tree exact; do
	t_ok "logistic: audit-explain --method $meth" "$X" -m "$D/logistic.json" \
	    --background "$D/bg.csv" --method $meth --model-output margin \
	    --rows-out "$D/$meth.csv" -o "$D/$meth.json" "$D/rows.csv"
done
column "$D/exact.csv" score >"$D/exact.score"
r=$("$PY" "$D/cmp.py" "$D/exact.score" "$D/rows.margin")
t_eq "logistic: margins = booster.predict(output_margin=True) as float32" "$(mism "$r")" 0
# additivity: base_value + sum(phi) = the explained margin (float32 leaves summed in double)
add=$(awk -F, 'NR > 1 { s = $2; for (i = 4; i <= NF; i++) s += $i; d = s - $3; if (d < 0) d = -d
	if (d > m) m = d } END { printf "%.3g", m + 0 }' "$D/tree.csv")
t_close "logistic: tree values add up to the margin" "$add" 0 1e-5
diff=$(paste -d, "$D/tree.csv" "$D/exact.csv" | awk -F, 'NR > 1 { h = NF / 2
	for (i = 2; i <= h; i++) { if (i == 3) continue; d = $i - $(i + h); if (d < 0) d = -d; if (d > m) m = d } }
	END { printf "%.3g", m + 0 }')
echo "# tree - exact: $diff, additivity: $add"
t_close "logistic: --method tree = --method exact (margin)" "$diff" 0 1e-5
t_run "logistic: tree on the score is refused (a linked ensemble)" 2 "$X" -m "$D/logistic.json" \
    --background "$D/bg.csv" --method tree "$D/rows.csv"
t_ok "squarederror: audit-explain --method tree" "$X" -m "$D/squarederror.json" \
    --background "$D/bg.csv" --method tree --rows-out "$D/sq.csv" -o /dev/null "$D/rows.csv"
add=$(awk -F, 'NR > 1 { s = $2; for (i = 4; i <= NF; i++) s += $i; d = s - $3; if (d < 0) d = -d
	if (d > m) m = d } END { printf "%.3g", m + 0 }' "$D/sq.csv")
t_close "squarederror: tree values add up to the prediction" "$add" 0 1e-5

# Path-dependent Tree SHAP (the training cover) = XGBoost's pred_contribs
if "$X" --help | grep -q tree-path; then
	t_ok "logistic: audit-explain --method tree-path" "$X" -m "$D/logistic.json" \
	    --method tree-path --model-output margin --rows-out "$D/path.csv" -o /dev/null "$D/rows.csv"
	# ours: row,base_value,score,<4 features>; XGBoost's: <4 features>,bias
	diff=$(tail -n +2 "$D/path.csv" | paste -d, - "$D/logistic.contribs" | awk -F, '{
		for (i = 4; i <= 7; i++) { d = $i - $(i + 4); if (d < 0) d = -d; if (d > m) m = d }
		d = $2 - $12; if (d < 0) d = -d; if (d > m) m = d; n++ }
		END { printf "%s %.3g", n, m + 0 }')
	echo "# tree-path - pred_contribs: rows and largest difference: $diff"
	t_eq "logistic: tree-path rows" "${diff% *}" 30
	t_close "logistic: tree-path = pred_contribs (bias = base value)" "${diff#* }" 0 1e-5
else
	t_skip "tree-path = pred_contribs" "audit-explain --help does not list --method tree-path"
fi

# audit-robust runs on an XGBoost model
t_ok "logistic: audit-robust" "$BIN/audit-robust" -m "$D/logistic.json" --perturb gaussian:0.5 \
    -o "$D/robust.json" "$D/data.csv"
t_eq "logistic: audit-robust counted every row" \
    "$(jq '.input.rows' "$D/robust.json")" 400

# errors: the message names the file and what is wrong; exit 3 (bad input)
printf '{"learner": {"objective": {"name": "multi:softprob"}}}\n' >"$D/multi.json"
t_run "multi:softprob refused" 3 "$P" -m "$D/multi.json" "$D/data.csv"
t_eq "multi:softprob message" "$(sed "s|$D/||" "$T_ERR")" \
    "audit-predict: multi.json: learner.objective.name: objective 'multi:softprob' is not supported (multi-class models are not supported: the tools score binary classifiers and regression models)"
sed 's/"gbtree"/"gblinear"/' "$D/squarederror.json" >"$D/linear.json"
t_run "gblinear refused" 3 "$P" -m "$D/linear.json" "$D/data.csv"
t_eq "gblinear message" "$(cat "$T_ERR")" \
    "audit-predict: $D/linear.json: learner.gradient_booster.name: the 'gblinear' booster is not supported (only gbtree and dart)"
head -c 300 "$D/squarederror.json" >"$D/cut.json"
t_run "truncated model refused" 3 "$P" -m "$D/cut.json" "$D/data.csv"
t_eq "truncated model message" "$(sed 's/:[0-9]*:[0-9]*:/:L:C:/' "$T_ERR")" \
    "audit-predict: $D/cut.json:L:C: malformed JSON"
t_run "unnamed model, named columns" 3 "$P" -m "$D/logistic-unnamed.json" "$D/data.csv"
t_eq "unnamed model message" "$(sed "s|$D/||" "$T_ERR")" \
    "audit-predict: data.csv:1: unknown column 'f0' (columns: age, income, debt, visits) (the XGBoost model has no feature names: its 4 features are read from columns f0 to f3)"
t_run "unnamed model in audit-robust, named columns" 3 "$BIN/audit-robust" \
    -m "$D/logistic-unnamed.json" --perturb gaussian:0.5 "$D/data.csv"
t_eq "unnamed model message in audit-robust" "$(cat "$T_ERR")" \
    "audit-robust: the model's feature 'f0' is not a column of the input (the XGBoost model has no feature names: its 4 features are read from columns f0 to f3)"
t_run "unnamed model in audit-explain (tree-path), named columns" 3 "$BIN/audit-explain" \
    -m "$D/logistic-unnamed.json" --method tree-path "$D/data.csv"
t_eq "unnamed model message in audit-explain" "$(sed "s|$D/||" "$T_ERR")" \
    "audit-explain: data.csv:1: unknown column 'f0' (columns: age, income, debt, visits) (the XGBoost model has no feature names: its 4 features are read from columns f0 to f3)"
t_run "--positive 0 refused" 2 "$P" -m "$D/logistic.json" --positive 0 "$D/data.csv"
t_done
