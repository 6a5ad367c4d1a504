#!/bin/sh
# drift-scipy.sh — audit-data drift against SciPy on cases generated here by
# numpy: ties, tiny samples, a column in one file only, all-missing columns,
# one category only, binary columns (the z-test from its formula), numeric
# columns of few values, references of at most 1000 values and of more
# (Evidently's test selection), --by groups, --window months with a planted
# jump of the label's base rate, --pred and --label reported apart, and
# --sketch within its stated bounds. Every statistic equal to SciPy's to
# 1e-9. Skipped when no python3 imports numpy and scipy (Debian:
# python3-numpy, python3-scipy).
. tests/e2e/lib.sh

PY=$(t_python numpy scipy)
if [ -z "$PY" ]; then
	t_skip drift-scipy "no python3 imports numpy and scipy (apt-get install python3-scipy to run it)"
	t_done
	exit $?
fi
echo "# using $PY ($("$PY" -c 'import scipy; print("SciPy", scipy.__version__)'))"

"$PY" - "$T_TMP" <<'PYEOF'
import json, os, sys
import numpy as np
from scipy import stats
from scipy.spatial import distance

out = sys.argv[1]
rng = np.random.default_rng(7)

def psi_of(r, c):
    r = np.maximum(np.asarray(r, float) / np.sum(r), 1e-4)
    c = np.maximum(np.asarray(c, float) / np.sum(c), 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))

def numeric(ref, cur):
    ref = np.asarray(ref, float); cur = np.asarray(cur, float)
    ref = ref[~np.isnan(ref)]; cur = cur[~np.isnan(cur)]
    ks = stats.ks_2samp(ref, cur)
    method = "exact" if max(len(ref), len(cur)) <= 10000 else "asymp"
    w = stats.wasserstein_distance(ref, cur)
    edges = np.quantile(ref, [k / 10 for k in range(1, 10)])
    rb = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=10)
    cb = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=10)
    sd = np.std(ref)
    return {"ks_statistic": float(ks.statistic), "ks_pvalue": float(ks.pvalue),
            "ks_method": method, "wasserstein": float(w),
            "wasserstein_normed": float(w / sd) if sd > 0 else None,
            "psi": psi_of(rb, cb)}

def categorical(ref, cur, numeric_psi=None):
    ref = [x for x in ref if x is not None]; cur = [x for x in cur if x is not None]
    cats = sorted(set(ref) | set(cur))
    r = np.array([ref.count(k) for k in cats], float)
    c = np.array([cur.count(k) for k in cats], float)
    d = {}
    if len(cats) >= 2 and np.all(r > 0):
        chi = stats.chisquare(c, r * c.sum() / r.sum())
        d["chisquare_statistic"] = float(chi.statistic)
        d["chisquare_pvalue"] = float(chi.pvalue)
    else:
        d["chisquare_statistic"] = None
        d["chisquare_pvalue"] = None
    # the 2 x k table's test of independence (Yates-corrected at one dof)
    if r.sum() > 0 and c.sum() > 0:
        cst, cp, _, _ = stats.chi2_contingency(np.array([r, c]))
        d["contingency_statistic"] = float(cst)
        d["contingency_pvalue"] = float(cp)
    d["jensenshannon"] = float(distance.jensenshannon(r / r.sum(), c / c.sum()))
    if numeric_psi is None:
        d["psi"] = psi_of(r, c)
    if len(cats) <= 2:
        # the pooled two-proportion z-test on the second value (the only one when one)
        s = 1 if len(cats) == 2 else 0
        n1, n2 = r.sum(), c.sum()
        p1, p2 = r[s] / n1, c[s] / n2
        P = (r[s] + c[s]) / (n1 + n2)
        if P in (0.0, 1.0):
            z, p = 0.0, 1.0
        else:
            z = (p1 - p2) / np.sqrt(P * (1 - P) * (1 / n1 + 1 / n2))
            p = float(2 * stats.norm.sf(abs(z)))
        d["z_statistic"] = float(z)
        d["z_pvalue"] = p
    return d

def text(x):
    if x is None:
        return ""
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    return str(x)

def write(path, cols):
    names = list(cols)
    n = len(cols[names[0]])
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for i in range(n):
            f.write(",".join(text(cols[k][i]) for k in names) + "\n")

def decide(d, test, thr):
    v = d[{"ks": "ks_pvalue", "chisquare": "chisquare_pvalue", "z": "z_pvalue",
           "wasserstein": "wasserstein_normed", "jensenshannon": "jensenshannon"}[test]]
    d["test"] = test
    if test in ("ks", "chisquare", "z"):
        d["drift"] = bool(v is not None and v < thr)
    else:
        d["drift"] = bool(v is not None and v >= thr)
    return d

# ---- small: a reference of 300 rows (p-value tests) ------------------------------
nr, nc = 300, 200
ref = {
    "ties": rng.integers(0, 20, nr).tolist(),                 # many ties, 20 values: KS
    "cont": np.round(rng.normal(0, 1, nr), 6).tolist(),
    "few": rng.integers(1, 5, nr).tolist(),                   # 4 values: chi-square
    "bin": rng.integers(0, 2, nr).tolist(),                   # 2 values: z
    "color": rng.choice(["red", "green", "blue"], nr, p=[.5, .3, .2]).tolist(),
    "const": ["k"] * nr,                                      # one category only
    "empty": [None] * nr,                                     # every value missing
    "onlyref": rng.integers(0, 9, nr).tolist(),
}
cur = {
    "ties": rng.integers(2, 22, nc).tolist(),
    "cont": np.round(rng.normal(0.4, 1, nc), 6).tolist(),
    "few": rng.integers(1, 5, nc).tolist(),
    "bin": (rng.random(nc) < 0.7).astype(int).tolist(),
    "color": rng.choice(["red", "green", "blue"], nc, p=[.2, .3, .5]).tolist(),
    "const": ["k"] * nc,
    "empty": [None] * nc,
    "onlycur": rng.integers(0, 9, nc).tolist(),
}
for i in range(0, nr, 7):
    ref["cont"][i] = None
for i in range(0, nc, 5):
    cur["color"][i] = None
write(os.path.join(out, "small-ref.csv"), ref)
write(os.path.join(out, "small-cur.csv"), cur)

def strs(v):
    return [None if x is None else str(x) for x in v]

want = {}
want["ties"] = decide(numeric(ref["ties"], cur["ties"]), "ks", 0.05)
want["cont"] = decide(numeric([np.nan if x is None else x for x in ref["cont"]], cur["cont"]), "ks", 0.05)
want["cont"]["missing_reference"] = sum(x is None for x in ref["cont"])
d = numeric(ref["few"], cur["few"]); d.update(categorical(strs(ref["few"]), strs(cur["few"]), True))
want["few"] = decide(d, "chisquare", 0.05)
d = numeric(ref["bin"], cur["bin"]); d.update(categorical(strs(ref["bin"]), strs(cur["bin"]), True))
want["bin"] = decide(d, "z", 0.05)
want["bin"]["kind"] = "binary"
want["color"] = decide(categorical(ref["color"], cur["color"]), "chisquare", 0.05)
want["color"]["missing_current"] = sum(x is None for x in cur["color"])
want["const"] = decide(categorical(ref["const"], cur["const"]), "z", 0.05)
want["const"]["psi"] = 0.0
want["empty"] = {"kind": "empty", "test": None, "drift": None, "missing_reference": nr}
want["onlyref"] = {"test": None, "drift": None, "reason": "only in the reference"}
want["onlycur"] = {"test": None, "drift": None, "reason": "only in the current data"}
json.dump(want, open(os.path.join(out, "want-small.json"), "w"))
tested = [k for k in want if want[k].get("drift") is not None]
json.dump({"tested": len(tested), "drifted": sum(want[k]["drift"] for k in tested)},
          open(os.path.join(out, "want-small-summary.json"), "w"))

# ---- tiny samples: 5 against 3 ----------------------------------------------------
write(os.path.join(out, "tiny-ref.csv"), {"x": [1.5, 2.5, 2.5, 7.0, 9.0], "c": ["a", "b", "a", "c", "d"]})
write(os.path.join(out, "tiny-cur.csv"), {"x": [2.5, 8.0, 10.0], "c": ["a", "a", "b"]})
want = {"x": decide(numeric([1.5, 2.5, 2.5, 7.0, 9.0], [2.5, 8.0, 10.0]), "ks", 0.05),
        "c": decide(categorical(["a", "b", "a", "c", "d"], ["a", "a", "b"]), "chisquare", 0.05)}
json.dump(want, open(os.path.join(out, "want-tiny.json"), "w"))

# ---- large: 12000 reference rows (asymptotic KS, the distances decide) -----------------
nr, nc = 12000, 3000
ref = {"x": np.round(rng.normal(10, 2, nr), 4).tolist(),
       "y": np.round(rng.exponential(1, nr), 4).tolist(),
       "few": rng.integers(0, 4, nr).tolist(),
       "cat": rng.choice(list("abcdefg"), nr).tolist(),
       "pred": (rng.random(nr) < 0.3).astype(int).tolist(),
       "label": (rng.random(nr) < 0.3).astype(int).tolist()}
cur = {"x": np.round(rng.normal(10.5, 2, nc), 4).tolist(),
       "y": np.round(rng.exponential(1, nc), 4).tolist(),
       "few": rng.integers(0, 4, nc).tolist(),
       "cat": rng.choice(list("abcdefg"), nc, p=[.4, .1, .1, .1, .1, .1, .1]).tolist(),
       "pred": (rng.random(nc) < 0.5).astype(int).tolist(),
       "label": (rng.random(nc) < 0.3).astype(int).tolist()}
write(os.path.join(out, "large-ref.csv"), ref)
write(os.path.join(out, "large-cur.csv"), cur)
want = {"x": decide(numeric(ref["x"], cur["x"]), "wasserstein", 0.1),
        "y": decide(numeric(ref["y"], cur["y"]), "wasserstein", 0.1)}
d = numeric(ref["few"], cur["few"]); d.update(categorical(strs(ref["few"]), strs(cur["few"]), True))
want["few"] = decide(d, "jensenshannon", 0.1)
want["cat"] = decide(categorical(ref["cat"], cur["cat"]), "jensenshannon", 0.1)
for k in ("pred", "label"):
    d = numeric(ref[k], cur[k]); d.update(categorical(strs(ref[k]), strs(cur[k]), True))
    want[k] = decide(d, "jensenshannon", 0.1)
json.dump(want, open(os.path.join(out, "want-large.json"), "w"))
tested = ["x", "y", "few", "cat"]
json.dump({"tested": 4, "drifted": sum(want[k]["drift"] for k in tested)},
          open(os.path.join(out, "want-large-summary.json"), "w"))
# the sketch's bounds: the exact values and the range of both files
span = {k: max(max(ref[k]), max(cur[k])) - min(min(ref[k]), min(cur[k])) for k in ("x", "y")}
json.dump(span, open(os.path.join(out, "span.json"), "w"))

# ---- --by: the shift hits group B only ---------------------------------------------
nr, nc = 800, 600
g_r = rng.choice(["A", "B"], nr).tolist(); g_c = rng.choice(["A", "B"], nc).tolist()
x_r = np.round(rng.normal(0, 1, nr), 5).tolist()
x_c = [round(float(rng.normal(1.5 if g == "B" else 0, 1)), 5) for g in g_c]
write(os.path.join(out, "by-ref.csv"), {"g": g_r, "x": x_r})
write(os.path.join(out, "by-cur.csv"), {"g": g_c, "x": x_c})
for G in ("A", "B"):
    xr = [x for x, g in zip(x_r, g_r) if g == G]; xc = [x for x, g in zip(x_c, g_c) if g == G]
    # Evidently's selection by the group's reference size
    t = "ks" if len(xr) <= 1000 else "wasserstein"
    json.dump({"x": decide(numeric(xr, xc), t, 0.05 if t == "ks" else 0.1)},
              open(os.path.join(out, "want-by-%s.json" % G), "w"))

# ---- --window month: the label's base rate jumps from 0.2 to 0.6 in March ---------------------
nr = 900
write(os.path.join(out, "win-ref.csv"), {"date": ["2023-12-%02d" % (1 + i % 28) for i in range(nr)],
      "x": np.round(rng.normal(0, 1, nr), 5).tolist(),
      "y": (rng.random(nr) < 0.2).astype(int).tolist()})
refwin = json.load(open(os.devnull)) if False else None
rows = {"date": [], "x": [], "y": []}
for m, rate in (("2024-01", 0.2), ("2024-02", 0.2), ("2024-03", 0.6), ("2024-04", 0.6)):
    for i in range(250):
        rows["date"].append("%s-%02dT08:00:00" % (m, 1 + i % 28))
        rows["x"].append(round(float(rng.normal(0, 1)), 5))
        rows["y"].append(int(rng.random() < rate))
# shuffled: the windows come out sorted whatever the order of the rows
perm = rng.permutation(len(rows["date"]))
rows = {k: [v[i] for i in perm] for k, v in rows.items()}
write(os.path.join(out, "win-cur.csv"), rows)
import csv
yr = [int(r["y"]) for r in csv.DictReader(open(os.path.join(out, "win-ref.csv")))]
for m in ("2024-01", "2024-02", "2024-03", "2024-04"):
    yc = [y for d, y in zip(rows["date"], rows["y"]) if d.startswith(m)]
    d = numeric(yr, yc); d.update(categorical(strs(yr), strs(yc), True))
    json.dump({"y": decide(d, "z", 0.05)}, open(os.path.join(out, "want-win-%s.json" % m), "w"))
PYEOF

# compare NAME GOT [SCOPE...]: every value of want-NAME.json against GOT
compare() {
	name=$1 got=$2
	shift 2
	"$PY" tests/e2e/drift-compare.py "$got" "$T_TMP/want-$name.json" "$name" "$@" >"$T_TMP/$name.cmp" ||
	    t_fail "$name: compare" "no such scope: $*"
	while read -r kind n g w; do
		if [ "$kind" = num ]; then t_close "$n" "$g" "$w" 1e-9
		else t_eq "$n" "$g" "$w"; fi
	done <"$T_TMP/$name.cmp"
}
jget() {
	"$PY" -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print("null" if v is None else str(v).lower() if isinstance(v, bool) else v)' "$@"
}
D="$BIN/audit-data drift"

t_run "small: runs" 0 $D --reference "$T_TMP/small-ref.csv" -o "$T_TMP/small.json" "$T_TMP/small-cur.csv"
compare small "$T_TMP/small.json"
t_eq "small: tested" "$(jget "$T_TMP/small.json" results tested)" "$(jget "$T_TMP/want-small-summary.json" tested)"
t_eq "small: drifted" "$(jget "$T_TMP/small.json" results drifted)" "$(jget "$T_TMP/want-small-summary.json" drifted)"
t_eq "small: warns of the reference-only column" "$(grep -c "column 'onlyref' is only in the reference" "$T_ERR")" 1
t_eq "small: warns of the empty column" "$(grep -c "column 'empty': every value is missing" "$T_ERR")" 1

t_run "tiny: runs" 0 $D --reference "$T_TMP/tiny-ref.csv" -o "$T_TMP/tiny.json" "$T_TMP/tiny-cur.csv"
compare tiny "$T_TMP/tiny.json"

t_run "large: runs" 0 $D --reference "$T_TMP/large-ref.csv" --pred pred --label label \
    -o "$T_TMP/large.json" "$T_TMP/large-cur.csv"
compare large "$T_TMP/large.json"
t_eq "large: prediction and label are not in the share" "$(jget "$T_TMP/large.json" results tested)" 4
t_eq "large: drifted" "$(jget "$T_TMP/large.json" results drifted)" "$(jget "$T_TMP/want-large-summary.json" drifted)"
t_eq "large: the prediction drifts" "$(jget "$T_TMP/large.json" results prediction drift)" true

# --sketch: KS within 2 eps, Wasserstein within 2 eps (max - min) of the exact values
t_run "sketch: runs" 0 $D --sketch --sketch-eps 0.005 --reference "$T_TMP/large-ref.csv" \
    -o "$T_TMP/sketch.json" "$T_TMP/large-cur.csv"
for c in x y; do
	for i in 0 1; do
		[ "$(jget "$T_TMP/large.json" results columns $i column)" = $c ] && ie=$i
		[ "$(jget "$T_TMP/sketch.json" results columns $i column)" = $c ] && is=$i
	done
	span=$(jget "$T_TMP/span.json" $c)
	t_close "sketch: $c KS within 2 eps" "$(jget "$T_TMP/sketch.json" results columns $is ks_statistic)" \
	    "$(jget "$T_TMP/large.json" results columns $ie ks_statistic)" 0.01
	ws=$(jget "$T_TMP/sketch.json" results columns $is wasserstein)
	we=$(jget "$T_TMP/large.json" results columns $ie wasserstein)
	t_eq "sketch: $c Wasserstein within 2 eps (max - min)" \
	    "$(awk -v a="$ws" -v b="$we" -v s="$span" 'BEGIN { d = a - b; if (d < 0) d = -d; print (d <= 0.01 * s) ? "yes" : "no " d }')" yes
done
t_eq "sketch: params state the bound" "$(jget "$T_TMP/sketch.json" params sketch ks_statistic_bound)" 0.01

t_run "by: runs" 0 $D --by g --reference "$T_TMP/by-ref.csv" -o "$T_TMP/by.json" "$T_TMP/by-cur.csv"
compare by-A "$T_TMP/by.json" groups=A
compare by-B "$T_TMP/by.json" groups=B
t_eq "by: B drifts, A does not" "$(jget "$T_TMP/by.json" results groups 0 dataset_drift) $(jget "$T_TMP/by.json" results groups 1 dataset_drift)" "false true"

t_run "window: runs" 0 $D --window date=month --label y --reference "$T_TMP/win-ref.csv" \
    -o "$T_TMP/win.json" "$T_TMP/win-cur.csv"
for m in 2024-01 2024-02 2024-03 2024-04; do
	compare win-$m "$T_TMP/win.json" windows=$m
done
t_eq "window: sorted" "$(jget "$T_TMP/win.json" results windows 0 window) $(jget "$T_TMP/win.json" results windows 3 window)" "2024-01 2024-04"
t_eq "window: the label drifts from March" \
    "$(for i in 0 1 2 3; do jget "$T_TMP/win.json" results windows $i label drift; done | tr '\n' ' ')" \
    "false false true true "
t_eq "window: rows" "$(jget "$T_TMP/win.json" results windows 2 rows)" 250

# checks over the results
t_run "check: drift.share passes" 0 $D --check 'drift.share < 1' --reference "$T_TMP/by-ref.csv" \
    -o "$T_TMP/c.json" "$T_TMP/by-cur.csv"
t_run "check: a group's share fails" 1 $D --by g --check 'group:B.drift_share < 0.5' \
    --reference "$T_TMP/by-ref.csv" -o "$T_TMP/c.json" "$T_TMP/by-cur.csv"
t_eq "check: the failure names the group" "$(grep -c 'check failed: group:B.drift_share < 0.5' "$T_ERR")" 1
t_run "check: a column's statistic" 1 $D --check 'column:color.chisquare_pvalue > 0.05' \
    --reference "$T_TMP/small-ref.csv" -o "$T_TMP/c.json" "$T_TMP/small-cur.csv"
t_eq "check: its value" "$(jget "$T_TMP/c.json" checks 0 value)" "$(jget "$T_TMP/want-small.json" color chisquare_pvalue)"
t_run "check: every window, a name with a '-' in the scope" 0 $D --window date=month --label y \
    --check 'window: tested == 1' --check 'window:2024-03: drift_share <= 1' \
    --check 'column:y.drift == 1' --allow-undefined --reference "$T_TMP/win-ref.csv" \
    -o "$T_TMP/c.json" --junit "$T_TMP/c.xml" "$T_TMP/win-cur.csv"
t_eq "check: one entry per window, then the scoped one and the label's" \
    "$("$PY" -c 'import json, sys; print(" ".join(str(c.get("window", c.get("column"))) for c in json.load(open(sys.argv[1]))["checks"]))' "$T_TMP/c.json")" \
    "2024-01 2024-02 2024-03 2024-04 2024-03 y"
t_eq "check: the JUnit file holds them" "$(grep -c '<testcase' "$T_TMP/c.xml")" 6
t_run "check: a window that is not there" 2 $D --window date=month --check 'window:2023-01: tested == 1' \
    --reference "$T_TMP/win-ref.csv" -o "$T_TMP/c.json" "$T_TMP/win-cur.csv"
t_run "check: unknown path" 2 $D --check 'column:x.nope < 1' --reference "$T_TMP/by-ref.csv" "$T_TMP/by-cur.csv"

# text views
t_run "table view" 0 $D --format table --reference "$T_TMP/small-ref.csv" "$T_TMP/small-cur.csv"
t_eq "table view: a line per column" "$(grep -cE '^(ties|cont|few|bin|color|const|empty|onlyref|onlycur) ' "$T_OUT")" 9
t_run "csv view" 0 $D --format csv --by g --reference "$T_TMP/by-ref.csv" "$T_TMP/by-cur.csv"
t_eq "csv view: all and both groups" "$(cut -d, -f1,2,3 "$T_OUT" | tr '\n' ' ')" "scope,scope_value,column all,,g all,,x group,A,x group,B,x "

# error paths
t_run "no --reference" 2 $D "$T_TMP/by-cur.csv"
t_run "unreadable reference" 3 $D --reference "$T_TMP/nope.csv" "$T_TMP/by-cur.csv"
t_eq "unreadable reference: one line" "$(wc -l <"$T_ERR")" 1
t_run "bad --window unit" 2 $D --window date=week --reference "$T_TMP/win-ref.csv" "$T_TMP/win-cur.csv"
t_run "a --window value that is not a date" 3 $D --window x=month --reference "$T_TMP/win-ref.csv" "$T_TMP/win-cur.csv"
t_run "unknown --by column" 3 $D --by nope --reference "$T_TMP/by-ref.csv" "$T_TMP/by-cur.csv"
t_eq "unknown --by column: named" "$(grep -c "'nope'" "$T_ERR")" 1
t_run "--threshold 0" 2 $D --threshold 0 --reference "$T_TMP/by-ref.csv" "$T_TMP/by-cur.csv"
t_run "--threshold 1.5 for a p-value" 2 $D --method ks --threshold 1.5 --reference "$T_TMP/by-ref.csv" "$T_TMP/by-cur.csv"
t_run "--reference -" 2 $D --reference - "$T_TMP/by-cur.csv"
t_run "standard input" 2 sh -c "$D --reference '$T_TMP/by-ref.csv' < '$T_TMP/by-cur.csv'"
t_done
