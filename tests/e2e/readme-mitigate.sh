#!/bin/sh
# readme-mitigate.sh — the README's mitigation exercise (German credit, group
# thresholds for age), its sh block run as written in a scratch folder that sees
# the tree's bin, datasets and examples, with `python3` the interpreter that
# imports scikit-learn and pandas (tried: python3, then /usr/bin/python3) and the
# download replaced by a copy of ../shared/datasets (fetch-public.sh --from).
# Checks: every command succeeds; the policy's expected selection rates of the
# two age groups are equal; the scores are out-of-fold logistic regression
# scores (recomputed here with scikit-learn); the report has the Mitigation
# section with the policy's numbers; the README's sentence about the numbers is
# true of this run. Skipped, saying so, without ../shared/datasets/german.data or
# without scikit-learn and pandas.
. tests/e2e/lib.sh
ROOT=$(pwd)
S=$(t_shared)
if [ -z "$S" ] || [ ! -f "$S/datasets/german.data" ]; then
	t_skip "readme-mitigate" "../shared/datasets/german.data is absent"; t_done; exit $?
fi
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import sklearn, pandas' >/dev/null 2>&1; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	t_skip "readme-mitigate" "no python3 imports sklearn and pandas (apt-get install python3-sklearn python3-pandas to run it)"
	t_done; exit $?
fi
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	t_skip "readme-mitigate" "poppler-utils (pdftotext) or jq not installed"; t_done; exit $?
fi
awk '/^#### The course exercise: German credit/ { s = 1; next } s && /^#+ / { exit }
	s && /^```sh/ { b = 1; next } b && /^```/ { exit } b { print }' README.md >"$T_TMP/readme.sh"
t_eq "README: the exercise has nine commands" "$(grep -c '^[a-z]' "$T_TMP/readme.sh")" 9
t_eq "README: the download is its first command" "$(head -n 1 "$T_TMP/readme.sh")" "datasets/fetch-public.sh data"
W="$T_TMP/readme"
mkdir -p "$W/pybin"
ln -s "$(command -v "$PY")" "$W/pybin/python3"
ln -s "$(cd "$BIN" && pwd)" "$W/bin"
for d in datasets examples; do ln -s "$ROOT/$d" "$W/$d"; done
sed "1s|^datasets/fetch-public.sh data\$|datasets/fetch-public.sh --from $(cd "$S/datasets" && pwd) data|" \
	"$T_TMP/readme.sh" >"$T_TMP/run.sh"
if (cd "$W" && PATH="$W/pybin:$PATH" sh -e "$T_TMP/run.sh") >"$T_TMP/run.out" 2>"$T_ERR"; then
	t_pass "README: the exercise as written"
else
	t_fail "README: the exercise as written"; tail -n 5 "$T_ERR" | sed 's/^/  stderr: /'
	t_done; exit $?
fi
P="$W/policy.json"
t_eq "the policy: two age groups" "$(jq -r '[.results.groups[].group] | sort | join(",")' "$P")" "older,young"
t_eq "the policy: equal expected selection rates" "$(jq '[.results.groups[].after.selection_rate] | (max - min) < 1e-9' "$P")" true
# the scores: out-of-fold logistic regression, recomputed here
t_eq "the scores: 5-fold out-of-fold logistic regression (recomputed)" "$("$PY" - "$W/data/german.data" "$W/german-scored.csv" <<'PY'
import sys
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import OneHotEncoder, StandardScaler
raw = pd.read_csv(sys.argv[1], sep=r"\s+", header=None)
got = pd.read_csv(sys.argv[2])
X, y = raw.iloc[:, :20], (raw[20] == 1).astype(int).values
num = [1, 4, 7, 10, 12, 15, 17]
cat = [c for c in range(20) if c not in num]
oof = np.empty(len(y))
for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
    sc = StandardScaler().fit(X.iloc[tr, num])
    oh = OneHotEncoder(handle_unknown="ignore").fit(X.iloc[tr, cat])
    f = lambda idx: np.hstack([sc.transform(X.iloc[idx, num]), oh.transform(X.iloc[idx, cat]).toarray()])
    oof[te] = LogisticRegression(C=1.0, max_iter=1000).fit(f(tr), y[tr]).predict_proba(f(te))[:, 1]
ok = (np.abs(got["score"].values - oof).max() < 1e-6 and (got["good"].values == y).all()
      and (got["age_group"].values == np.where(raw[12] < 25, "young", "older")).all())
print("same" if ok else "different: max %g" % np.abs(got["score"].values - oof).max())
PY
)" same
# the report
pdftotext "$W/german-mitigation.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g' >"$T_TMP/pdf.txt"
f6() { awk -v v="$1" 'BEGIN { if (v == int(v)) printf "%.0f", v; else printf "%.6g", v }'; }
db=$(jq -r .results.before.demographic_parity_difference "$P"); da=$(jq -r .results.after.demographic_parity_difference "$P")
ab=$(jq -r .results.before.accuracy "$P"); aa=$(jq -r .results.after.accuracy "$P")
for want in "Group thresholds for 'age_group'" "Trade-off frontier for 'age_group'" \
	"After mitigation, as audit-fair measured it" \
	"Mitigation of 'age_group' (demographic parity, thresholds): demographic parity difference $(f6 "$db") before, $(f6 "$da") after (lower); accuracy $(f6 "$ab") before, $(f6 "$aa") after"; do
	if grep -qF -- "$want" "$T_TMP/pdf.txt"; then t_pass "the report: '$want'"; else t_fail "the report: '$want'"; fi
done
# the README's own words about this run
t_close "README: 'falls from 0.136'" "$db" 0.136 0.0005
t_close "README: '... to 0'" "$da" 0 1e-9
t_close "README: 'accuracy rises from 0.75'" "$ab" 0.75 0.0005
t_close "README: '... to 0.765'" "$aa" 0.765 0.0005
t_eq "README: 'the frontier is flat at 0.765 for every tolerance up to 0.2'" \
	"$(jq '[.results.points[] | select(.tolerance <= 0.2 + 1e-12) | .objective_value - 0.765 | fabs < 0.0005] | (length > 1) and all' "$W/frontier.json")" true
# the last command prints the policy as audit-mitigate thresholds prints it
(cd "$W" && bin/audit-mitigate thresholds --label good --score score --protected age_group \
	--constraint demographic_parity --format table german-scored.csv) >"$T_TMP/view.txt" 2>/dev/null
t_eq "the last command: the policy's table view" \
	"$(tail -n "$(wc -l <"$T_TMP/view.txt")" "$T_TMP/run.out")" "$(cat "$T_TMP/view.txt")"
t_done
