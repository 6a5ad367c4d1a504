#!/bin/sh
# data-profile.sh — audit-data profile of Adult's training file against
# pandas: per column the count, missing values, distinct values, min, max,
# mean, sd (ddof 1), the quantiles (numpy's linear interpolation), the most
# frequent values, and the duplicate rows (DataFrame.duplicated()), all
# computed here by pandas from the same file. Then --sketch: every quantile's
# rank within eps of its level, and the duplicate rows estimated.
# Needs ../shared/datasets/adult.data and a python3 that imports pandas
# (Debian: python3-pandas); skips, saying so, otherwise.
. tests/e2e/lib.sh

S=$(t_shared)
ADULT=$S/datasets/adult.data
if [ -z "$S" ] || [ ! -f "$ADULT" ]; then
	t_skip data-profile "../shared/datasets/adult.data is absent"
	t_done
	exit $?
fi
PY=$(t_python pandas numpy)
if [ -z "$PY" ]; then
	t_skip data-profile "no python3 imports pandas (apt-get install python3-pandas to run it)"
	t_done
	exit $?
fi
NAMES=age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income

t_run "profile of adult.data" 0 "$BIN/audit-data" profile --no-header --names "$NAMES" \
    --top 5 -o "$T_TMP/prof.json" "$ADULT"

# pandas reads the file as audit-data does: no header, the spaces after ','
# dropped, '?' missing; every present value of a numeric column a number.
cat >"$T_TMP/compare.py" <<'EOF'
import json, sys
import numpy as np
import pandas as pd

path, doc, names = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
df = pd.read_csv(path, header=None, names=names, skipinitialspace=True, na_values=["?"])
res = json.load(open(doc))["results"]
bad, n = [], 0

def close(what, got, want, tol=1e-9):
    global n
    n += 1
    if got is None or abs(got - want) > tol * max(1.0, abs(want)):
        bad.append("%s: got %r, want %r" % (what, got, want))

def equal(what, got, want):
    global n
    n += 1
    if got != want:
        bad.append("%s: got %r, want %r" % (what, got, want))

equal("rows", res["rows"], len(df))
equal("columns", res["columns"], len(names))
equal("duplicate_rows", res["duplicate_rows"], int(df.duplicated().sum()))
equal("duplicate_rows_exact", res["duplicate_rows_exact"], True)
for c, name in zip(res["columns_profile"], names):
    s = df[name]
    equal(name + ".column", c["column"], name)
    numeric = pd.api.types.is_numeric_dtype(s)
    equal(name + ".kind", c["kind"], "numeric" if numeric else "categorical")
    equal(name + ".count", c["count"], int(s.count()))
    equal(name + ".missing", c["missing"], int(s.isna().sum()))
    close(name + ".missing_rate", c["missing_rate"], s.isna().mean())
    equal(name + ".distinct", c["distinct"], int(s.nunique()))
    equal(name + ".distinct_exact", c["distinct_exact"], s.nunique() <= 10000)
    equal(name + ".constant", c["constant"], s.nunique() == 1)
    if numeric:
        d = s.describe()
        close(name + ".min", c["min"], d["min"])
        close(name + ".max", c["max"], d["max"])
        close(name + ".mean", c["mean"], d["mean"])
        close(name + ".sd", c["sd"], d["std"])
        for k, q in (("p01", .01), ("p05", .05), ("p25", .25), ("p50", .5), ("p75", .75),
                     ("p95", .95), ("p99", .99)):
            close(name + ".quantiles." + k, c["quantiles"][k], s.quantile(q))
    else:
        vc = s.value_counts()
        want = sorted(vc.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:5]
        got = [(t["value"], t["count"]) for t in c["top"]]
        equal(name + ".top", got, [(k, int(v)) for k, v in want])
        close(name + ".top[0].share", c["top"][0]["share"], want[0][1] / s.count())
print("%d values compared" % n)
for b in bad:
    print("MISMATCH " + b)
EOF
"$PY" "$T_TMP/compare.py" "$ADULT" "$T_TMP/prof.json" "$NAMES" >"$T_TMP/cmp.txt" 2>&1
t_eq "pandas: values compared" "$(head -1 "$T_TMP/cmp.txt")" "208 values compared"
t_eq "pandas: every value equal" "$(grep -v 'values compared' "$T_TMP/cmp.txt" | head -5)" ""

# --sketch: quantiles within eps in rank, duplicates estimated
t_run "profile --sketch of adult.data" 0 "$BIN/audit-data" profile --sketch --sketch-eps 0.005 \
    --no-header --names "$NAMES" -o "$T_TMP/sketch.json" "$ADULT"
cat >"$T_TMP/sketch.py" <<'EOF'
import json, sys
import numpy as np
import pandas as pd

path, doc, names, eps = sys.argv[1], sys.argv[2], sys.argv[3].split(","), float(sys.argv[4])
df = pd.read_csv(path, header=None, names=names, skipinitialspace=True, na_values=["?"])
d = json.load(open(doc))
res, n, bad = d["results"], 0, []
if d["params"]["sketch"]["eps"] != eps:
    bad.append("params.sketch.eps %r" % d["params"]["sketch"]["eps"])
for c, name in zip(res["columns_profile"], names):
    if c["kind"] != "numeric":
        continue
    x = np.sort(df[name].dropna().to_numpy())
    for k, q in (("p01", .01), ("p05", .05), ("p25", .25), ("p50", .5), ("p75", .75),
                 ("p95", .95), ("p99", .99)):
        v = c["quantiles"][k]
        lo = np.searchsorted(x, v, "left") / len(x)    # share below v
        hi = np.searchsorted(x, v, "right") / len(x)   # share at or below v
        n += 1
        # some rank of v is within eps of q
        if not (lo - eps - 1e-12 <= q <= hi + eps + 1e-12):
            bad.append("%s.%s = %r: ranks [%g, %g], level %g" % (name, k, v, lo, hi, q))
    if c["mean"] != c["mean"] or abs(c["mean"] - x.mean()) > 1e-9 * max(1, abs(x.mean())):
        bad.append("%s.mean" % name)
dup = int(df.duplicated().sum())
distinct = len(df) - dup
est = len(df) - res["duplicate_rows"]
# the HyperLogLog estimate of distinct rows: relative standard error 0.8%; 4 errors
if abs(est - distinct) > 0.032 * distinct:
    bad.append("distinct rows estimated %d, exact %d" % (est, distinct))
if res["duplicate_rows_exact"] is not False:
    bad.append("duplicate_rows_exact is not false")
print("%d quantiles compared" % n)
for b in bad:
    print("MISMATCH " + b)
EOF
"$PY" "$T_TMP/sketch.py" "$ADULT" "$T_TMP/sketch.json" "$NAMES" 0.005 >"$T_TMP/sk.txt" 2>&1
t_eq "--sketch: quantiles compared" "$(head -1 "$T_TMP/sk.txt")" "42 quantiles compared"
t_eq "--sketch: every quantile within eps in rank" "$(grep -v 'compared' "$T_TMP/sk.txt" | head -5)" ""

# the same numbers through the table view and through checks
t_run "profile --check on adult.data" 1 "$BIN/audit-data" profile --no-header --names "$NAMES" \
    --check 'workclass: missing_rate < 0.05' --check 'age: quantiles.p50 == 37' \
    --check 'duplicate_rows == 0' -o "$T_TMP/c.json" "$ADULT"
t_eq "failing checks: workclass's missing rate and the duplicates" "$(grep "check failed" "$T_ERR")" \
"audit-data: check failed: workclass: missing_rate < 0.05 (workclass, value 0.0563865)
audit-data: check failed: duplicate_rows == 0 (value 24)"
t_done
