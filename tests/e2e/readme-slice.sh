#!/bin/sh
# readme-slice.sh — the README's slicing exercise, its sh block run as written
# in a scratch folder that sees the tree's bin: every command succeeds, and the
# numbers the README states are recomputed here from posts.csv by pandas,
# SciPy and scikit-learn (each model's accuracy, the negation and hashtag
# slices against the rest with the pooled two-proportion z-test, the
# discovered slice with Fisher's exact test, accuracy per source, MAE per
# source and the largest group MSE) and equal the documents' to 1e-12, and the README's rounded figures
# are those numbers rounded. The report has the Slices section and the
# multi-class and regression fairness pages.
. tests/e2e/lib.sh
ROOT=$(pwd)
if [ ! -x "$BIN/audit-slice" ]; then
	t_skip "readme-slice" "audit-slice is not built"; t_done; exit $?
fi
if ! command -v jq >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
	t_skip "readme-slice" "jq or poppler-utils (pdftotext) not installed"; t_done; exit $?
fi
# block HEADING: the first sh block under the README heading HEADING
block() {
	awk -v h="$1" '$0 == h { s = 1; next } s && /^#+ / { exit }
		s && /^```sh/ { b = 1; next } b && /^```/ { exit } b { print }' README.md
}
# prose HEADING: the text under the heading, on one line
prose() {
	awk -v h="$1" '$0 == h { s = 1; next } s && /^#+ / { exit } s' README.md | tr '\n' ' ' | sed 's/  */ /g'
}
W="$T_TMP/w"
mkdir -p "$W"
ln -s "$(cd "$BIN" && pwd)" "$W/bin"
H="#### The course exercise: which posts does each sentiment model get wrong?"
block "$H" >"$T_TMP/lab.sh"
prose "$H" >"$T_TMP/prose"
t_eq "README: nine commands" "$(grep -c '^bin/' "$T_TMP/lab.sh")" 9
t_eq "README: the data first" "$(head -n 1 "$T_TMP/lab.sh")" \
	"bin/audit-synth --scenario sentiment --rows 2000 --seed 7 -o posts.csv"
if (cd "$W" && sh -e "$T_TMP/lab.sh") >"$T_TMP/lab.out" 2>"$T_ERR"; then
	t_pass "README: the exercise as written"
else
	t_fail "README: the exercise as written"; tail -n 5 "$T_ERR" | sed 's/^/  stderr: /'
	t_done; exit $?
fi
said() { if grep -qF -- "$2" "$T_TMP/prose"; then t_pass "$1"; else t_fail "$1" "the README does not say '$2'"; fi; }
out() { if tr '\n' ' ' <"$T_TMP/lab.out" | sed 's/  */ /g' | grep -qF -- "$2"; then t_pass "$1"; else t_fail "$1" "no '$2' in the output"; fi; }

# the views the README prints
out "the table of model_a's slices: negation" "negation 361 0.2909"
out "the table of model_b's slices: hashtag" "hashtag 445 0.4921"
out "the discovered slices' table" "source = web && hashtags = 1 153 0.4314"
out "the multi-class view" "audit-fair --task multiclass: posts.csv (2000 rows)"
# the report
pdftotext "$W/slices.pdf" "$T_TMP/report.txt" 2>/dev/null
for h in "Slices" "Fairness: multi-class and regression" "Named slices: 'model_a' on posts.csv" \
    "Discovered slices: 'model_b' on posts.csv" "Attribute 'source' (multi-class)" "Attribute 'source' (regression)"; do
	t_ok "the report has '$h'" grep -q "^[[:space:][:cntrl:]]*$h\$" "$T_TMP/report.txt"
done

PY=$(t_python pandas scipy sklearn)
if [ -z "$PY" ]; then
	t_skip "README's numbers against pandas" "no python3 with pandas, scipy and scikit-learn"
	t_done; exit $?
fi
cd "$W" && "$PY" - >"$T_TMP/py.out" 2>"$T_ERR" <<'PYEOF'
import json
import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics as skm

d = pd.read_csv("posts.csv")
docs = {k: json.load(open(f"{k}.json")) for k in ("slices-a", "slices-b", "discover-b", "fair-b", "fair-retweets")}
neg = d.text.str.contains(" not ", regex=False) | d.text.str.contains(" never ", regex=False) | d.text.str.contains(" hardly ", regex=False)
tag = d.text.str.contains("#", regex=False)
bad = []

def close(what, got, want, tol=1e-12, rel=False):
    if got is None or abs(got - want) > tol * (abs(want) if rel else max(1, abs(want))):
        bad.append(f"{what}: got {got}, want {want}")

def zcmp(ok, mask):
    n, k, n2, k2 = mask.sum(), ok[mask].sum(), (~mask).sum(), ok[~mask].sum()
    m, m2 = k / n, k2 / n2
    p = (k + k2) / (n + n2)
    z = (m2 - m) / np.sqrt(p * (1 - p) * (1 / n + 1 / n2))
    return int(n), m, m2, m2 - m, 2 * stats.norm.sf(abs(z)), stats.norm.sf(z)

out = {}
for model, doc in (("model_a", "slices-a"), ("model_b", "slices-b")):
    ok = d[model] == d.label
    close(f"{model} overall", docs[doc]["results"]["overall"]["metric"], ok.mean())
    out[f"{model}.acc"] = ok.mean()
    for name, mask in (("hashtag", tag), ("negation", neg)):
        s = [x for x in docs[doc]["results"]["slices"] if x["name"] == name][0]
        n, m, m2, e, p2, _ = zcmp(ok, mask)
        if s["size"] != n:
            bad.append(f"{model} {name} size {s['size']} != {n}")
        close(f"{model} {name} metric", s["metric"], m)
        close(f"{model} {name} rest", s["complement_metric"], m2)
        close(f"{model} {name} effect", s["effect"], e)
        close(f"{model} {name} p", s["p_value"], p2, 1e-9, rel=True)
        out[f"{model}.{name}"] = (n, m, m2, e, p2)
# discovery's first slice
ok = d.model_b == d.label
first = docs["discover-b"]["results"]["slices"][0]
mask = (d.source == "web") & (d.hashtags == 1)
n, m, m2, e, _, _ = zcmp(ok, mask)
if first["description"] != "source = web && hashtags = 1" or first["size"] != n:
    bad.append(f"discovery's first slice: {first['description']} n={first['size']}")
close("discovery's first metric", first["metric"], m)
# discovery tests a rate one-sided by Fisher's exact test: more wrong rows in the slice
wrong_in, wrong_out = int((~ok[mask]).sum()), int((~ok[~mask]).sum())
p1 = stats.fisher_exact([[wrong_in, n - wrong_in], [wrong_out, int((~mask).sum()) - wrong_out]],
                        alternative="greater")[1]
close("discovery's first one-sided p (Fisher)", first["p_value"], p1, 1e-9, rel=True)
out["disc.first"] = (n, m, first["q_value"])
out["disc.second"] = (docs["discover-b"]["results"]["slices"][1]["description"], docs["discover-b"]["results"]["slices"][1]["q_value"])
# accuracy per source (scikit-learn), MAE per source, the largest group MSE
acc = {}
for g in docs["fair-b"]["results"]["attributes"][0]["groups"]:
    sub = d[d.source == g["group"]]
    acc[g["group"]] = skm.accuracy_score(sub.label, sub.model_b)
    close(f"accuracy of {g['group']}", g["metrics"]["accuracy"], acc[g["group"]])
out["acc"] = acc
mae, mse = {}, {}
for g in docs["fair-retweets"]["results"]["attributes"][0]["groups"]:
    sub = d[d.source == g["group"]]
    mae[g["group"]] = skm.mean_absolute_error(sub.retweets, sub.retweets_pred)
    mse[g["group"]] = skm.mean_squared_error(sub.retweets, sub.retweets_pred)
    close(f"MAE of {g['group']}", g["metrics"]["mae"], mae[g["group"]])
bgl = docs["fair-retweets"]["results"]["attributes"][0]["summary"]["bounded_group_loss"]
close("bounded group loss", bgl["value"], max(mse.values()))
if bgl["group"] != max(mse, key=mse.get):
    bad.append(f"bounded group loss group {bgl['group']}")
out["mae"], out["bgl"] = mae, max(mse.values())
for b in bad:
    print("BAD", b)
a, b = out["model_a.negation"], out["model_b.hashtag"]
print("SAY", f"(`model_a` {out['model_a.acc']:.3f}, `model_b`")
print("SAY", f"{out['model_b.acc']:.3f})")
print("SAY", f"`model_a` gets {a[1]:.3f} of the {a[0]} negated posts right against {a[2]:.3f} of the others (effect {a[3]:.3f}, p < 1e-100)" if a[4] < 1e-100 else "SAY p of negation not below 1e-100")
print("SAY", f"as well on posts with a hashtag as without (p = {out['model_a.hashtag'][4]:.3f})")
print("SAY", f"`model_b` gets {b[1]:.3f} of the {b[0]} posts with a hashtag right against {b[2]:.3f} (effect {b[3]:.3f})")
print("SAY", f"significantly worse on negations (p = {out['model_b.negation'][4]:.3f})")
print("SAY", f"`source = web && hashtags = 1` ({out['disc.first'][1]:.3f}) and `{out['disc.second'][0]}`, both at q < 1e-19" if max(out['disc.first'][2], out['disc.second'][1]) < 1e-19 else "SAY q not below 1e-19")
print("SAY", f"accuracy is {out['acc']['android']:.3f} on android against {out['acc']['web']:.3f} on web (difference {max(out['acc'].values()) - min(out['acc'].values()):.3f})")
print("SAY", f"MAE of {out['mae']['iphone']:.2f} on iphone posts against {out['mae']['web']:.2f} on web (ratio {min(out['mae'].values()) / max(out['mae'].values()):.2f}")
print("SAY", f"iphone's mean squared error, {out['bgl']:.1f})")
PYEOF
st=$?
cd "$ROOT"
if [ "$st" -ne 0 ]; then
	t_fail "pandas cross-check ran"; tail -n 5 "$T_ERR" | sed 's/^/  stderr: /'
else
	t_pass "pandas cross-check ran"
	t_eq "the documents equal pandas, SciPy and scikit-learn" "$(grep -c '^BAD' "$T_TMP/py.out")" 0
	grep '^BAD' "$T_TMP/py.out" | head -n 5 | sed 's/^/  /'
	grep '^SAY ' "$T_TMP/py.out" | sed 's/^SAY //' >"$T_TMP/say"
	t_eq "ten sentences to find" "$(wc -l <"$T_TMP/say" | tr -d ' ')" 10
	while IFS= read -r line; do
		said "README says: $line" "$line"
	done <"$T_TMP/say"
fi
t_done
