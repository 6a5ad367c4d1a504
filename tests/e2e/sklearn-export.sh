#!/bin/sh
# sklearn-export.sh — python/rai_audit_export.py: every supported estimator
# (classifier and regressor), and pipelines with a name-selecting
# ColumnTransformer (imputers, scalers, one-hot with an unseen category,
# passthrough) in front of a forest and a logistic regression, is trained here
# on audit-synth rows, exported, and scored by audit-predict on held-out rows:
# the score must equal scikit-learn's predict_proba / predict to 1e-12. Also:
# the float32 threshold rule at its boundaries, the refusals (exit 2, named, no
# file), unreadable pickles (exit 3), an unwritable output (exit 5), Tree SHAP
# additivity on exported ensembles, and (with the reference data) the PMML
# schema. Runs only where python3 can import sklearn (Debian: python3-sklearn,
# python3-pandas); skips, saying so, otherwise.
. tests/e2e/lib.sh
EXPORT=python/rai_audit_export.py

PY=$(t_python sklearn numpy pandas)
if [ -z "$PY" ]; then
	t_skip sklearn-export "python3 cannot import sklearn, numpy and pandas (apt-get install python3-sklearn python3-pandas to run it)"
	t_done
	exit $?
fi
if [ ! -x "$BIN/audit-synth" ] || [ ! -x "$BIN/audit-predict" ]; then
	t_skip sklearn-export "$BIN/audit-synth or $BIN/audit-predict is not built (make all)"
	t_done
	exit $?
fi
echo "# using $PY ($("$PY" -c 'import sklearn; print("scikit-learn", sklearn.__version__)'))"

# Training rows, and held-out rows: clean.csv (an unseen region in some rows)
# nan.csv (the same with empty age, income and debt_ratio in some rows) and
# misc.csv (clean.csv with empty regions and ages, an unseen num_accounts, an
# age beyond the training range, an empty num_accounts; misc-known.csv without
# the unseen region, for an encoder that refuses it).
"$BIN/audit-synth" --rows 1500 --seed 11 -q -o "$T_TMP/train.csv"
"$BIN/audit-synth" --rows 300 --seed 12 -q -o "$T_TMP/held.csv"
"$PY" - "$T_TMP" <<'EOF'
import csv, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/held.csv")))
cols = [c for c in rows[0] if c not in ("score", "pred")]
def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
for i, r in enumerate(rows):
    if i % 17 == 3:
        r["region"] = "atlantis"
write(d + "/clean.csv", rows)
for i, r in enumerate(rows):
    if i % 11 == 2: r["age"] = ""
    if i % 13 == 5: r["income"] = ""
    if i % 19 == 7: r["debt_ratio"] = ""
write(d + "/nan.csv", rows)
rows = list(csv.DictReader(open(d + "/clean.csv")))
for i, r in enumerate(rows):
    if i % 23 == 4: r["region"] = ""
    if i % 29 == 1: r["num_accounts"] = "77"
    if i % 31 == 2: r["age"] = "150"
    if i % 37 == 6: r["age"] = ""
    if i % 41 == 8: r["num_accounts"] = ""
write(d + "/misc.csv", rows)
write(d + "/misc-known.csv", [r for r in rows if r["region"] != "atlantis"])
EOF
t_eq "the held-out rows have an unseen region and empty values" \
    "$(grep -c atlantis "$T_TMP/nan.csv" | awk '{ print ($1 > 10) }') $(grep -c ',,' "$T_TMP/nan.csv" | awk '{ print ($1 > 30) }')" "1 1"

# Train every model; MODEL.pkl and MODEL.expected (scikit-learn's score of
# each held-out row: predict_proba of the positive class, or predict).
mkdir "$T_TMP/m"
"$PY" - "$T_TMP" >"$T_TMP/trained" 2>"$T_TMP/train.err" <<'EOF'
import csv, math, pickle, sys, warnings
warnings.simplefilter("ignore")     # unknown categories, by design
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor,
    GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
    RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

d = sys.argv[1]
NUM = ["age", "income", "debt_ratio", "credit_years", "employment_years", "loan_amount",
       "num_accounts", "late_payments"]

def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    df = pd.DataFrame({c: [float(r[c]) if r[c] != "" else math.nan for r in rows] for c in NUM})
    df["region"] = [r["region"] if r["region"] != "" else np.nan for r in rows]
    y = np.array([int(r["label"]) for r in rows])
    s = np.array([float(r["score"]) for r in rows]) if "score" in rows[0] else None
    return df, y, s

tr, y, s = read(d + "/train.csv")
clean = read(d + "/clean.csv")[0]
nan = read(d + "/nan.csv")[0]
misc = read(d + "/misc.csv")[0]
trn = tr.copy()                     # missing values in training too, for the imputers
rng = np.random.RandomState(3)
for c in ("age", "income", "debt_ratio"):
    trn.loc[rng.rand(len(trn)) < 0.05, c] = np.nan
trm = tr.copy()                     # misc_pipe imputes age and the text column
for c in ("age", "region"):
    trm.loc[rng.rand(len(trm)) < 0.05, c] = np.nan
trc = tr.copy()                     # missing as a category of its own
for c in ("region", "num_accounts"):
    trc.loc[rng.rand(len(trc)) < 0.08, c] = np.nan
y3 = np.where(tr["debt_ratio"] < 0.3, "low", np.where(tr["debt_ratio"] < 0.6, "mid", "high"))
NUM3 = NUM[:2] + NUM[3:]

def ct_pipe(est):
    ct = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                          ("scale", StandardScaler())]), ["age", "income"]),
        ("mean", Pipeline([("impute", SimpleImputer(strategy="mean")),
                           ("mm", MinMaxScaler())]), ["debt_ratio"]),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["region"]),
        ("std", StandardScaler(with_mean=False), ["loan_amount"]),
    ], remainder="passthrough")
    return Pipeline([("pre", ct), ("est", est)])

def misc_pipe(est):
    # a text imputer, one-hot with drop="first", one-hot of numbers, a constant
    # fill, a clipping min-max scaler, columns by slice, remainder dropped
    ct = ColumnTransformer([
        ("reg", Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                          ("oh", OneHotEncoder(drop="first", handle_unknown="ignore"))]),
         ["region"]),
        ("acc", OneHotEncoder(handle_unknown="ignore"), ["num_accounts"]),
        ("age", Pipeline([("imp", SimpleImputer(strategy="constant", fill_value=40.5)),
                          ("mm", MinMaxScaler(clip=True, feature_range=(-1, 2)))]), ["age"]),
        ("ctr", StandardScaler(with_std=False), slice("income", "credit_years")),
    ], remainder="drop")
    return Pipeline([("pre", ct), ("est", est)])

def nan_category_pipe(est):
    # no imputer: the encoders learn "missing" as a category
    return Pipeline([("pre", ColumnTransformer([
        ("oh", OneHotEncoder(handle_unknown="ignore"), ["region", "num_accounts"]),
        ("oh1", OneHotEncoder(drop="first"), ["region"])], remainder="drop")),
        ("est", est)])

def objarray(df):
    X = np.empty((len(df), 9), dtype=object)
    for j, c in enumerate(NUM):
        X[:, j] = df[c].to_numpy()
    X[:, 8] = df["region"].to_numpy()
    return X

def example_pipe():
    # the example's form: an object array, columns by index, names in the dict
    return Pipeline([("pre", ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                          ("scale", StandardScaler())]), list(range(8))),
        ("cat", OneHotEncoder(handle_unknown="ignore"), [8])])),
        ("clf", GradientBoostingClassifier(n_estimators=20, random_state=7))])

X = {"num": lambda df: df[NUM].to_numpy(), "df": lambda df: df[NUM],
     "df3": lambda df: df[NUM3], "all": lambda df: df, "misc": lambda df: df,
     "nancat": lambda df: df[df["region"] != "atlantis"], "obj": objarray}
models = [
    # name, model, X kind, target, dict keys
    ("logreg", LogisticRegression(max_iter=2000), "num", y, {"features": NUM, "positive": 1}),
    ("logreg-multi", LogisticRegression(max_iter=3000), "df3", y3, {"positive": "mid"}),
    ("linreg", LinearRegression(), "df", s, {}),
    ("ridge", Ridge(alpha=3.0), "num", s, {"features": NUM}),
    ("tree-clf", DecisionTreeClassifier(random_state=1), "df", y, {}),
    ("tree-reg", DecisionTreeRegressor(random_state=1, min_samples_leaf=3), "df", s, {}),
    ("forest-clf", RandomForestClassifier(n_estimators=12, random_state=2), "df", y, {}),
    ("forest-multi", RandomForestClassifier(n_estimators=8, max_depth=10, random_state=3),
     "df3", y3, {"positive": "high"}),
    ("forest-reg", RandomForestRegressor(n_estimators=12, max_depth=9, random_state=2),
     "df", s, {}),
    ("extra-clf", ExtraTreesClassifier(n_estimators=12, min_samples_leaf=2, random_state=4),
     "df", y, {}),
    ("extra-reg", ExtraTreesRegressor(n_estimators=12, max_depth=10, random_state=4),
     "df", s, {}),
    ("boost-clf", GradientBoostingClassifier(n_estimators=40, max_depth=3, learning_rate=0.2,
                                             subsample=0.8, random_state=5), "df", y, {}),
    ("boost-reg", GradientBoostingRegressor(n_estimators=40, max_depth=3, random_state=5),
     "df", s, {}),
    ("pipe-forest", ct_pipe(RandomForestClassifier(n_estimators=10, max_depth=8,
                                                   random_state=6)), "all", y, {}),
    ("pipe-logreg", ct_pipe(LogisticRegression(max_iter=2000)), "all", y, {}),
    ("pipe-misc-logreg", misc_pipe(LogisticRegression(max_iter=3000)), "misc", y, {}),
    ("pipe-misc-tree", misc_pipe(DecisionTreeClassifier(max_depth=12, random_state=0)),
     "misc", y, {}),
    ("pipe-nan-category", nan_category_pipe(LogisticRegression(max_iter=3000)), "nancat", y, {}),
    ("pipe-array-boost", example_pipe(), "obj", y,
     {"features": NUM + ["region"], "positive": 1,
      "dtypes": dict([(c, "float64") for c in NUM] + [("region", "object")])}),
]
for name, model, kind, target, keys in models:
    held, hname = {"all": (nan, "nan"), "obj": (nan, "nan"), "misc": (misc, "misc"),
                   "nancat": (misc, "misc-known")}.get(kind, (clean, "clean"))
    model.fit(X[kind]({"all": trn, "obj": trn, "misc": trm, "nancat": trc}.get(kind, tr)),
              target)
    obj = dict(keys, model=model)
    with open("%s/m/%s.pkl" % (d, name), "wb") as f:
        pickle.dump(obj, f)
    if hasattr(model, "predict_proba"):
        pos = keys.get("positive", model.classes_[-1])
        p = model.predict_proba(X[kind](held))[:, list(model.classes_).index(pos)]
    else:
        p = model.predict(X[kind](held))
    with open("%s/m/%s.expected" % (d, name), "w") as f:
        f.write("".join(repr(float(v)) + "\n" for v in p))
    print(name, hname + ".csv")
EOF
t_eq "train the models" "$(wc -l <"$T_TMP/trained" | tr -d ' ')" 19
sed 's/^/  /' "$T_TMP/train.err" | head -n 5

# maxdiff OUT EXPECTED: the largest |score - expected| over the rows; nothing
# (a failure for t_close) when a score is missing or the row counts differ.
maxdiff() {
	"$PY" - "$1" "$2" <<'EOF'
import csv, sys
got = [r["score"] for r in csv.DictReader(open(sys.argv[1]))]
want = [float(l) for l in open(sys.argv[2])]
if len(got) == len(want) and len(got) > 0 and all(g != "" for g in got):
    print("%.3g" % max(abs(float(g) - w) for g, w in zip(got, want)))
EOF
}

while read -r name held; do
	rm -f "$T_TMP/m/$name.pmml"
	t_ok "$name: export" "$PY" "$EXPORT" "$T_TMP/m/$name.pkl" -o "$T_TMP/m/$name.pmml"
	t_ok "$name: audit-predict" sh -c "'$BIN/audit-predict' -m '$T_TMP/m/$name.pmml' '$T_TMP/$held' >'$T_TMP/m/$name.out'"
	t_close "$name: audit-predict's score = scikit-learn's, max abs diff" \
	    "$(maxdiff "$T_TMP/m/$name.out" "$T_TMP/m/$name.expected")" 0 1e-12
done <"$T_TMP/trained"

# Names of an array-fitted model: x0, x1, ... without "features"; --features
# must name every column.
"$PY" -c 'import pickle, sys; pickle.dump(pickle.load(open(sys.argv[1], "rb"))["model"], open(sys.argv[2], "wb"))' \
    "$T_TMP/m/ridge.pkl" "$T_TMP/bare.pkl"
t_ok "an array-fitted model without names: export" "$PY" "$EXPORT" "$T_TMP/bare.pkl" -o "$T_TMP/bare.pmml"
t_eq "an array-fitted model without names: x0, x1, ..." \
    "$(grep -o 'DataField name="[^"]*"' "$T_TMP/bare.pmml" | cut -d'"' -f2 | tr '\n' ' ')" \
    "x0 x1 x2 x3 x4 x5 x6 x7 target "
t_run "--features with too few names: exit 3" 3 "$PY" "$EXPORT" "$T_TMP/bare.pkl" --features a,b -o "$T_TMP/bare2.pmml"
t_eq "--features with too few names: said" "$(cat "$T_ERR")" "rai_audit_export: 2 feature names for a model fitted on 8 columns"

# The float32 rule matters on these rows: the plain thresholds (x <= t in
# double) give other leaves, so the tests above would catch a wrong rule.
"$PY" - "$EXPORT" "$T_TMP/m/forest-clf.pkl" "$T_TMP/naive.pmml" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("rai_audit_export", sys.argv[1])
r = importlib.util.module_from_spec(spec)
spec.loader.exec_module(r)
r.f32_threshold = float
sys.exit(r.main([sys.argv[2], "-o", sys.argv[3]]))
EOF
"$BIN/audit-predict" -m "$T_TMP/naive.pmml" "$T_TMP/clean.csv" >"$T_TMP/naive.out"
t_eq "without the float32 rule the forest's scores differ (the rule is exercised)" \
    "$(maxdiff "$T_TMP/naive.out" "$T_TMP/m/forest-clf.expected" | awk '{ print ($1 > 1e-6) }')" 1

# The rule itself: for thresholds of a fitted forest and awkward ones (zero,
# subnormal, negative, huge, float32 values, midpoints), every double x near
# the boundary goes left (x <= t') exactly when float32(x) <= t.
"$PY" - "$EXPORT" "$T_TMP/m/forest-clf.pkl" >"$T_TMP/rule" <<'EOF'
import importlib.util, pickle, sys
import numpy as np
spec = importlib.util.spec_from_file_location("rai_audit_export", sys.argv[1])
r = importlib.util.module_from_spec(spec)
spec.loader.exec_module(r)
forest = pickle.load(open(sys.argv[2], "rb"))["model"]
ts = [t for e in forest.estimators_ for t in e.tree_.threshold if t != -2]
f32 = lambda v: float(np.float32(v))
mid = lambda a: (a + float(np.nextafter(np.float32(a), np.float32(np.inf)))) / 2
ts += [0.0, -0.0, 1e-45, 5e-324, -1e-40, 0.5, 1.0, 3.0, -2.5, 0.195, 1e30, -1e30, 3.4e38,
       f32(0.1), mid(f32(0.1)), mid(1.0), mid(f32(3.4e38)), mid(f32(-7.3)), -mid(f32(7.3)),
       float(np.finfo(np.float32).max), 0.1 + 1e-17]
bad = checked = 0
with np.errstate(over="ignore"):
    for t in ts:
        tp = r.f32_threshold(t)
        f = np.float32(t)
        cands = {t, tp, float(f), mid(float(f)), f32(np.nextafter(f, np.float32(-np.inf)))}
        for c in list(cands):
            for k in range(-3, 4):
                x = c
                for _ in range(abs(k)):
                    x = float(np.nextafter(x, np.inf if k > 0 else -np.inf))
                checked += 1
                if (x <= tp) != (float(np.float32(x)) <= t):
                    bad += 1
                    print("t=%r t'=%r x=%r" % (t, tp, x), file=sys.stderr)
print(bad, checked > 10000)
EOF
t_eq "float32 threshold rule: no double on the wrong side" "$(cat "$T_TMP/rule")" "0 True"

# A missing value that no imputer fills: scikit-learn refuses the row, the
# exported model gives it no score (an empty field).
printf 'age,income,debt_ratio,credit_years,employment_years,loan_amount,num_accounts,late_payments\n40,30,0.2,,5,10,3,1\n40,30,0.2,10,5,10,3,1\n' \
    >"$T_TMP/missing.csv"
"$BIN/audit-predict" -m "$T_TMP/m/logreg.pmml" "$T_TMP/missing.csv" >"$T_TMP/missing.out"
t_eq "a missing input without an imputer: no score; a full row: a score" \
    "$(cut -d, -f9 "$T_TMP/missing.out" | tr '\n' ' ' | sed 's/[0-9][0-9.e-]*[0-9] /N /')" "score  N "

# Tree SHAP on exported ensembles (a forest, boosting's sum, boosting's
# log-odds): additive to 1e-9.
if command -v jq >/dev/null 2>&1; then
	for name in forest-clf boost-reg boost-clf; do
		out=score
		[ "$name" = boost-clf ] && out=margin   # a linked ensemble: its log-odds
		t_ok "$name: audit-explain --method tree (the $out)" "$BIN/audit-explain" --method tree -q \
		    --model-output $out \
		    -m "$T_TMP/m/$name.pmml" --background "$T_TMP/train.csv" --background-size 40 \
		    --rows 25 -o "$T_TMP/$name.json" "$T_TMP/clean.csv"
		t_close "$name: Tree SHAP additivity" \
		    "$(jq '.results.max_additivity_error' "$T_TMP/$name.json" 2>/dev/null)" 0 1e-9
	done
else
	t_skip "Tree SHAP on an exported forest" "jq is not installed"
fi
# and equal to the exact Shapley values (all coalitions, through the model's
# scores) with the same background: the trees Tree SHAP walks are the model's
for method in tree exact; do
	"$BIN/audit-explain" --method $method -q -m "$T_TMP/m/forest-clf.pmml" \
	    --background "$T_TMP/train.csv" --background-size 40 --rows 10 \
	    --rows-out "$T_TMP/forest-$method.csv" -o "$T_TMP/forest-$method.json" "$T_TMP/clean.csv"
done
t_close "forest-clf: Tree SHAP = exact Shapley values, max abs diff" "$("$PY" - "$T_TMP" <<'EOF'
import csv, sys
d = sys.argv[1]
a = list(csv.reader(open(d + "/forest-tree.csv")))
b = list(csv.reader(open(d + "/forest-exact.csv")))
if len(a) == len(b) == 11 and a[0] == b[0]:
    print("%.3g" % max(abs(float(x) - float(y)) for ra, rb in zip(a[1:], b[1:])
                       for x, y in zip(ra, rb)))
EOF
)" 0 1e-9

# Refusals: named, exit 2, no output file (and no temporary file left).
"$PY" - "$T_TMP" <<'EOF'
import pickle, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import SVC
d = sys.argv[1]
rng = np.random.RandomState(0)
X = rng.rand(60, 3)
y = (X[:, 0] + X[:, 1] > 1).astype(int)
y3 = (X[:, 0] * 3).astype(int)
for name, m, t in [("svc", SVC(probability=True), y), ("knn", KNeighborsClassifier(), y),
                   ("func", Pipeline([("log", FunctionTransformer(np.log1p)),
                                      ("lr", LogisticRegression())]), y),
                   ("ovr", LogisticRegression(multi_class="ovr"), y3)]:
    m.fit(X, t)
    pickle.dump(m, open("%s/%s.pkl" % (d, name), "wb"))
pickle.dump({"model": LogisticRegression()}, open(d + "/unfitted.pkl", "wb"))
from sklearn.tree import DecisionTreeRegressor
chain = np.arange(300.0).reshape(-1, 1)     # each split peels off the largest target
deep = DecisionTreeRegressor().fit(chain, 3.0 ** np.arange(300.0))
assert deep.tree_.max_depth > 240
pickle.dump(deep, open(d + "/deep.pkl", "wb"))
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder
df = pd.DataFrame({"region": ["north", "south", "east"] * 20, "age": X[:, 0]})
strict = Pipeline([("ct", ColumnTransformer([("oh", OneHotEncoder(), ["region"])])),
                   ("lr", LogisticRegression())]).fit(df, y)
pickle.dump(strict, open(d + "/strict.pkl", "wb"))
EOF
# handle_unknown="error": scikit-learn raises on an unseen category, audit-predict
# refuses the row's value (returnInvalid), exit 3, naming it.
t_ok "OneHotEncoder(handle_unknown='error'): export" "$PY" "$EXPORT" "$T_TMP/strict.pkl" -o "$T_TMP/strict.pmml"
printf 'region,age\nnorth,0.5\natlantis,0.5\n' >"$T_TMP/strict.csv"
t_run "an unseen category with handle_unknown='error': exit 3" 3 "$BIN/audit-predict" -m "$T_TMP/strict.pmml" "$T_TMP/strict.csv"
t_eq "an unseen category with handle_unknown='error': named" "$(grep -c "invalid value 'atlantis'" "$T_ERR")" 1

mkdir "$T_TMP/out"
refused() { # NAME PICKLE STATUS WORD: exit STATUS, WORD in the one-line message, no file
	t_run "$1: exit $3" "$3" "$PY" "$EXPORT" "$2" -o "$T_TMP/out/x.pmml"
	t_eq "$1: one line naming $4" "$(wc -l <"$T_ERR" | tr -d ' ') $(grep -c "^rai_audit_export: .*$4" "$T_ERR")" "1 1"
	t_eq "$1: nothing written" "$(ls -A "$T_TMP/out")" ""
}
refused "an SVC" "$T_TMP/svc.pkl" 2 "SVC is not supported"
refused "a KNeighborsClassifier" "$T_TMP/knn.pkl" 2 "KNeighborsClassifier is not supported"
refused "a FunctionTransformer" "$T_TMP/func.pkl" 2 "FunctionTransformer is not supported"
refused "a one-vs-rest multi-class logistic regression" "$T_TMP/ovr.pkl" 2 "one-vs-rest"
refused "a tree deeper than the PMML reader accepts" "$T_TMP/deep.pkl" 2 "levels deep is not supported"
refused "an unfitted model" "$T_TMP/unfitted.pkl" 3 "LogisticRegression is not fitted"
head -c 100 "$T_TMP/m/logreg.pkl" >"$T_TMP/corrupt.pkl"
refused "a corrupt pickle" "$T_TMP/corrupt.pkl" 3 "not a readable pickle"
printf 'not a pickle\n' >"$T_TMP/text.pkl"
refused "a text file" "$T_TMP/text.pkl" 3 "not a readable pickle"
printf 'cno_such_module\nThing\n(tR.' >"$T_TMP/module.pkl"
refused "a pickle of a module python cannot import" "$T_TMP/module.pkl" 3 "needs the Python module 'no_such_module'"
refused "a missing file" "$T_TMP/no-such.pkl" 3 "cannot read"
echo old >"$T_TMP/keep.pmml"
t_run "a refusal over an existing file: exit 2" 2 "$PY" "$EXPORT" "$T_TMP/svc.pkl" -o "$T_TMP/keep.pmml"
t_eq "a refusal leaves an existing file as it was" "$(cat "$T_TMP/keep.pmml")" old
t_run "usage: no -o" 2 "$PY" "$EXPORT" "$T_TMP/m/logreg.pkl"
t_run "an unwritable output: exit 5" 5 "$PY" "$EXPORT" "$T_TMP/m/logreg.pkl" -o "$T_TMP/no-dir/x.pmml"

# The documents are valid PMML 4.4 (the schema is reference data).
xsd="$(t_shared)/pmml-conformance/pmml-4-4.xsd"
if [ -n "$(t_shared)" ] && [ -f "$xsd" ] && command -v xmllint >/dev/null 2>&1; then
	for name in logreg-multi linreg tree-clf forest-reg boost-clf pipe-forest pipe-misc-logreg pipe-array-boost; do
		t_ok "$name: valid against the PMML 4.4 schema" \
		    xmllint --noout --nonet --schema "$xsd" "$T_TMP/m/$name.pmml"
	done
else
	t_skip "PMML schema validation" "needs xmllint and the reference data in ../shared"
fi

t_done
