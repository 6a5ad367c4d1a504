#!/bin/sh
# fair-task.sh — audit-fair --task multiclass|regression against scikit-learn:
# every group's metrics (accuracy_score, balanced_accuracy_score,
# precision/recall/f1 macro and per class with labels=..., confusion_matrix,
# mean_absolute_error, mean_squared_error, r2_score) and Fairlearn-style
# differences and ratios (computed with pandas) to 1e-12, on generated files
# with 4 classes, two protected columns, --bins and --intersect; the
# bootstrap intervals the same whatever --threads and from run to run, and
# around their estimates; the issue's 6-row 3-class file (accuracy 3/6).
# Runs where a python3 imports sklearn, pandas and numpy (Debian:
# python3-sklearn, python3-pandas, python3-numpy); skips, saying so, otherwise.
. tests/e2e/lib.sh

SOURCE_DATE_EPOCH=0
export SOURCE_DATE_EPOCH

# The issue's example needs no Python: 3 of 6 right.
printf 'g,label,pred\na,positive,positive\na,negative,neutral\na,neutral,neutral\nb,positive,negative\nb,negative,negative\nb,neutral,positive\n' >"$T_TMP/six.csv"
t_run "six rows, 3 classes: multiclass accuracy" 0 "$BIN/audit-fair" --task multiclass \
    --label label --pred pred --protected g -q --format csv "$T_TMP/six.csv"
t_eq "six rows: overall accuracy 3/6" "$(grep '^overall,overall,6,false,accuracy,' "$T_OUT" | cut -d, -f6)" "0.5"
t_run "six rows without --task: refused" 3 "$BIN/audit-fair" --label label --pred pred \
    --positive positive --protected g "$T_TMP/six.csv"
t_eq "six rows without --task: the message" "$(cat "$T_ERR")" \
    "audit-fair: $T_TMP/six.csv: column 'label' has 3 values ('negative', 'neutral', 'positive'): a binary audit needs two; use --task multiclass"

# --task binary is audit-fair as it was: the golden documents, byte for byte
for c in golden-json golden-table golden-md-bootstrap; do
	eval "set -- $(cat "tests/cli/audit-fair/$c/args")"
	"$BIN/audit-fair" --task binary "$@" >"$T_TMP/$c.out" 2>/dev/null
	t_ok "--task binary: $c unchanged" cmp "$T_TMP/$c.out" "tests/cli/audit-fair/$c/expected.stdout"
done

PY=$(t_python sklearn pandas numpy)
if [ -z "$PY" ]; then
	t_skip fair-task "no python3 imports sklearn, pandas and numpy (apt-get install python3-sklearn python3-pandas python3-numpy to run it)"
	t_done
	exit $?
fi
echo "# using $PY ($("$PY" -c 'import sklearn; print("scikit-learn", sklearn.__version__)'))"

# ---- the data: 4 classes (one rare), race x sex x age, a noisy model; a regression ----
"$PY" - "$T_TMP" <<'EOF'
import sys
import numpy as np
import pandas as pd
d = sys.argv[1]
rng = np.random.default_rng(18)
n = 3000
race = rng.choice(["A", "B", "C"], n, p=[0.5, 0.3, 0.2])
sex = rng.choice(["F", "M"], n)
age = rng.integers(18, 80, n)
classes = np.array(["cat", "dog", "eel", "fox"])
label = rng.choice(classes, n, p=[0.4, 0.3, 0.25, 0.05])
err = rng.random(n) < np.where(race == "C", 0.45, 0.25)
pred = np.where(err, rng.choice(classes, n), label)
pd.DataFrame({"race": race, "sex": sex, "age": age, "label": label, "pred": pred}).to_csv(
    f"{d}/mc.csv", index=False)
m = 2000
grp = rng.choice(["north", "south"], m, p=[0.6, 0.4])
kind = rng.choice(["x", "y", "z"], m)
y = rng.normal(50, 10, m)
p = y + rng.normal(0, np.where(grp == "south", 6, 3), m) + 0.5
pd.DataFrame({"region": grp, "kind": kind, "y": np.round(y, 3), "p": np.round(p, 3)}).to_csv(
    f"{d}/rg.csv", index=False)
EOF

t_ok "multiclass: run" "$BIN/audit-fair" --task multiclass --label label --pred pred \
    --protected race,sex,age --bins age=30,50 --intersect --bootstrap 200 --threads 1 \
    -q -o "$T_TMP/mc.json" "$T_TMP/mc.csv"
t_ok "regression: run" "$BIN/audit-fair" --task regression --label y --pred p \
    --protected region,kind --intersect --bootstrap 200 --threads 1 \
    -q -o "$T_TMP/rg.json" "$T_TMP/rg.csv"

# ---- every value against scikit-learn and pandas ----
"$PY" - "$T_TMP" >"$T_TMP/cmp.txt" 2>&1 <<'EOF'
import json, math, sys
import numpy as np
import pandas as pd
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, confusion_matrix,
    f1_score, mean_absolute_error, mean_squared_error, precision_recall_fscore_support,
    precision_score, r2_score, recall_score)
import warnings
warnings.filterwarnings("ignore")
d = sys.argv[1]
bad = []
nchecked = 0

def close(what, got, want, tol=1e-12):
    global nchecked
    nchecked += 1
    if want is None or (isinstance(want, float) and math.isnan(want)):
        if got is not None:
            bad.append(f"{what}: got {got}, want null")
        return
    if got is None or abs(got - want) > tol * max(1.0, abs(want)):
        bad.append(f"{what}: got {got}, want {want}")

def binlabel(a):
    return "age<30" if a < 30 else "30<=age<50" if a < 50 else "age>=50"

def groups_of(df, attr, cols):
    keys = df[cols].astype(str).agg(" & ".join, axis=1) if len(cols) > 1 else df[cols[0]].astype(str)
    return keys

def fl_summary(values):
    v = [x for x in values if x is not None and not math.isnan(x)]
    s = pd.Series(v)
    return s.max() - s.min(), s.min() / s.max()

# multiclass
doc = json.load(open(f"{d}/mc.json"))
res = doc["results"]
df = pd.read_csv(f"{d}/mc.csv", dtype={"label": str, "pred": str, "race": str, "sex": str})
df["age"] = df["age"].map(binlabel)
classes = sorted(set(df["label"]) | set(df["pred"]))
if res["classes"] != classes:
    bad.append(f"classes {res['classes']} != {classes}")

def mc_check(where, sub, obj, m):
    y, p = sub["label"], sub["pred"]
    close(f"{where} accuracy", m["accuracy"], accuracy_score(y, p))
    close(f"{where} balanced_accuracy", m["balanced_accuracy"], balanced_accuracy_score(y, p))
    close(f"{where} macro_precision", m["macro_precision"], precision_score(y, p, average="macro", zero_division=0))
    close(f"{where} macro_recall", m["macro_recall"], recall_score(y, p, average="macro", zero_division=0))
    close(f"{where} macro_f1", m["macro_f1"], f1_score(y, p, average="macro", zero_division=0))
    cm = confusion_matrix(y, p, labels=classes)
    if obj["confusion"] != cm.tolist():
        bad.append(f"{where} confusion {obj['confusion']} != {cm.tolist()}")
    pr, rc, f1, sup = precision_recall_fscore_support(y, p, labels=classes, zero_division=0)
    for i, c in enumerate(classes):
        pc = obj["per_class"][c]
        close(f"{where} support[{c}]", pc["support"], float(sup[i]))
        close(f"{where} selection_rate[{c}]", pc["selection_rate"], float((p == c).mean()))
        # undefined (null) only where scikit-learn's zero_division applies
        close(f"{where} recall[{c}]", pc["recall"], float(rc[i]) if sup[i] > 0 else None)
        close(f"{where} precision[{c}]", pc["precision"], float(pr[i]) if (p == c).sum() > 0 else None)
        close(f"{where} f1[{c}]", pc["f1"], float(f1[i]) if sup[i] + (p == c).sum() > 0 else None)
    return {c: (float(rc[i]) if sup[i] > 0 else None, float(pr[i]) if (p == c).sum() > 0 else None,
                float((p == c).mean())) for i, c in enumerate(classes)}

ov = res["overall"]
close("overall count", ov["count"], len(df))
mc_check("overall", df, ov, ov)
names = [a["attribute"] for a in res["attributes"]]
if names != ["race", "sex", "age", "race & sex & age"]:
    bad.append(f"attributes {names}")
for a in res["attributes"]:
    cols = a["columns"]
    keys = groups_of(df, a["attribute"], cols)
    per = {}
    vals = {k: [] for k in ["accuracy", "balanced_accuracy", "macro_precision", "macro_recall", "macro_f1"]}
    counts = keys.value_counts()
    order = sorted(counts.index, key=lambda k: (-counts[k], k))
    if [g["group"] for g in a["groups"]] != order:
        bad.append(f"{a['attribute']}: group order {[g['group'] for g in a['groups']]} != {order}")
    for g in a["groups"]:
        sub = df[keys == g["group"]]
        w = f"{a['attribute']}={g['group']}"
        close(f"{w} count", g["count"], len(sub))
        if g["small"] != (len(sub) < 30):
            bad.append(f"{w} small")
        per[g["group"]] = mc_check(w, sub, g, g["metrics"])
        for k in vals:
            vals[k].append(g["metrics"][k])
        ref = [x for x in a["groups"] if x["group"] == a["reference"]][0]["metrics"]
        for k in vals:
            close(f"{w} disparity {k}", g["disparity"][k]["difference"], g["metrics"][k] - ref[k])
    if a["reference"] != order[0]:
        bad.append(f"{a['attribute']}: reference {a['reference']} is not the largest")
    # Fairlearn's MetricFrame.difference()/ratio() from pandas
    for k, v in vals.items():
        diff, ratio = fl_summary(v)
        close(f"{a['attribute']} {k}_difference", a["summary"][k + "_difference"], diff)
        close(f"{a['attribute']} {k}_ratio", a["summary"][k + "_ratio"], ratio)
    for c in classes:
        for j, k in enumerate(["recall", "precision", "selection_rate"]):
            diff, ratio = fl_summary([per[gname][c][j] for gname in per if per[gname][c][j] is not None])
            close(f"{a['attribute']} {c} {k}_difference", a["per_class"][c][k + "_difference"], diff)
            close(f"{a['attribute']} {c} {k}_ratio", a["per_class"][c][k + "_ratio"], ratio)

# intervals: the bootstrap's around the estimate (groups of 30 rows or more), Wilson's too
def around(where, obj, ci, keys):
    for k in keys:
        lo, hi = ci[k]
        if obj[k] is None or lo is None:
            continue
        global nchecked
        nchecked += 1
        if not (lo <= obj[k] + 1e-12 and obj[k] <= hi + 1e-12):
            bad.append(f"{where} {k}: {obj[k]} outside [{lo}, {hi}]")

mkeys = ["accuracy", "balanced_accuracy", "macro_precision", "macro_recall", "macro_f1"]
around("overall", ov, ov["ci"], mkeys)
for a in res["attributes"]:
    for g in a["groups"]:
        if not g["small"]:
            around(f"{a['attribute']}={g['group']}", g["metrics"], g["ci"], mkeys)
    if all(not g["small"] for g in a["groups"]):
        around(a["attribute"], a["summary"], a["summary_ci"], [k + s for k in mkeys for s in ("_difference", "_ratio")])

# regression
doc = json.load(open(f"{d}/rg.json"))
res = doc["results"]
df = pd.read_csv(f"{d}/rg.csv", dtype={"region": str, "kind": str})
rkeys = ["mean_prediction", "mean_label", "mae", "mse", "rmse", "r2", "group_loss"]

def rg_check(where, sub, m):
    y, p = sub["y"].to_numpy(), sub["p"].to_numpy()
    mse = mean_squared_error(y, p)
    close(f"{where} mean_prediction", m["mean_prediction"], float(np.mean(p)))
    close(f"{where} mean_label", m["mean_label"], float(np.mean(y)))
    close(f"{where} mae", m["mae"], mean_absolute_error(y, p))
    close(f"{where} mse", m["mse"], mse)
    close(f"{where} rmse", m["rmse"], mean_squared_error(y, p, squared=False))
    close(f"{where} r2", m["r2"], r2_score(y, p), 1e-11)
    close(f"{where} group_loss", m["group_loss"], mse)

ov = res["overall"]
close("regression overall count", ov["count"], len(df))
rg_check("regression overall", df, ov)
around("regression overall", ov, ov["ci"], rkeys)
for a in res["attributes"]:
    keys = groups_of(df, a["attribute"], a["columns"])
    vals = {k: [] for k in rkeys}
    for g in a["groups"]:
        sub = df[keys == g["group"]]
        w = f"regression {a['attribute']}={g['group']}"
        close(f"{w} count", g["count"], len(sub))
        rg_check(w, sub, g["metrics"])
        around(w, g["metrics"], g["ci"], rkeys)
        for k in rkeys:
            vals[k].append(g["metrics"][k])
    for k, v in vals.items():
        diff, ratio = fl_summary(v)
        close(f"regression {a['attribute']} {k}_difference", a["summary"][k + "_difference"], diff)
        close(f"regression {a['attribute']} {k}_ratio", a["summary"][k + "_ratio"], ratio)
    b = a["summary"]["bounded_group_loss"]
    worst = max(a["groups"], key=lambda g: g["metrics"]["group_loss"])
    close(f"regression {a['attribute']} bounded_group_loss", b["value"], worst["metrics"]["group_loss"])
    if b["group"] != worst["group"] or b["loss"] != "squared":
        bad.append(f"regression {a['attribute']} bounded_group_loss {b}")
    around(f"regression {a['attribute']}", a["summary"], a["summary_ci"], [k + s for k in rkeys for s in ("_difference",)])

for b in bad[:20]:
    print("BAD", b)
print(f"checked {nchecked} values, {len(bad)} bad")
EOF
sed -n '/^BAD/p' "$T_TMP/cmp.txt" | head -n 20
t_eq "multiclass and regression equal scikit-learn's values" \
    "$(sed -n 's/^checked [0-9]* values, \([0-9]*\) bad$/\1/p' "$T_TMP/cmp.txt")" "0"
n=$(sed -n 's/^checked \([0-9]*\) values.*/\1/p' "$T_TMP/cmp.txt")
t_eq "more than 1000 values compared ($n)" "$([ "${n:-0}" -gt 1000 ] && echo yes)" "yes"

# ---- the bootstrap: the same whatever the threads, and from run to run ----
t_ok "multiclass: 2 threads" "$BIN/audit-fair" --task multiclass --label label --pred pred \
    --protected race,sex,age --bins age=30,50 --intersect --bootstrap 200 --threads 2 \
    -q -o "$T_TMP/mc2.json" "$T_TMP/mc.csv"
t_ok "multiclass: 2 threads, identical" cmp "$T_TMP/mc.json" "$T_TMP/mc2.json"
t_ok "regression: 2 threads" "$BIN/audit-fair" --task regression --label y --pred p \
    --protected region,kind --intersect --bootstrap 200 --threads 2 \
    -q -o "$T_TMP/rg2.json" "$T_TMP/rg.csv"
t_ok "regression: 2 threads, identical" cmp "$T_TMP/rg.json" "$T_TMP/rg2.json"
t_ok "regression: again" "$BIN/audit-fair" --task regression --label y --pred p \
    --protected region,kind --intersect --bootstrap 200 --threads 1 \
    -q -o "$T_TMP/rg3.json" "$T_TMP/rg.csv"
t_ok "regression: again, identical" cmp "$T_TMP/rg.json" "$T_TMP/rg3.json"
t_ok "regression: another seed" "$BIN/audit-fair" --task regression --label y --pred p \
    --protected region,kind --intersect --bootstrap 200 --seed 7 \
    -q -o "$T_TMP/rg4.json" "$T_TMP/rg.csv"
if cmp -s "$T_TMP/rg.json" "$T_TMP/rg4.json"; then t_fail "regression: another seed, other intervals"
else t_pass "regression: another seed, other intervals"; fi

# ---- --reference: the disparities against the group chosen ----
t_ok "multiclass: --reference race=C" "$BIN/audit-fair" --task multiclass --label label \
    --pred pred --protected race --reference race=C --bootstrap 20 -q -o "$T_TMP/ref.json" \
    "$T_TMP/mc.csv"
t_eq "--reference race=C: A's accuracy ratio is A's over C's" "$("$PY" -c '
import json, sys
a = json.load(open(sys.argv[1]))["results"]["attributes"][0]
g = {x["group"]: x for x in a["groups"]}
r = g["A"]["disparity"]["accuracy"]["ratio"]
w = g["A"]["metrics"]["accuracy"] / g["C"]["metrics"]["accuracy"]
print(a["reference"], abs(r - w) <= 1e-15 * w, g["C"]["disparity"]["accuracy"]["difference"])
' "$T_TMP/ref.json")" "C True 0"

# ---- checks, and the view audit-report prints of a saved document ----
t_run "check: accuracy_difference fails" 1 "$BIN/audit-fair" --task multiclass --label label \
    --pred pred --protected race --bootstrap 20 --check 'race:accuracy_difference < 0.01' \
    -o "$T_TMP/c.json" "$T_TMP/mc.csv"
t_run "check: bounded_group_loss passes" 0 "$BIN/audit-fair" --task regression --label y \
    --pred p --protected region --bootstrap 20 --check 'bounded_group_loss < 1000' \
    -q -o "$T_TMP/c2.json" "$T_TMP/rg.csv"
for fmt in table md csv; do
	"$BIN/audit-fair" --task multiclass --label label --pred pred --protected race,sex,age \
	    --bins age=30,50 --intersect --bootstrap 200 --threads 1 -q --format $fmt \
	    "$T_TMP/mc.csv" >"$T_TMP/view.$fmt"
	t_run "audit-report --format $fmt of a saved document" 0 "$BIN/audit-report" \
	    --format $fmt "$T_TMP/mc.json"
	cp "$T_OUT" "$T_TMP/report.$fmt"
	t_ok "audit-report --format $fmt prints audit-fair's view" cmp "$T_TMP/report.$fmt" \
	    "$T_TMP/view.$fmt"
done
t_done
