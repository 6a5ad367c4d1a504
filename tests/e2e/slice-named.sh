#!/bin/sh
# slice-named.sh — audit-slice's named slices against pandas and SciPy: a
# generated sentiment-like file (a text column, three classes, two models'
# predictions, a score and a regression target), slices that use every
# operator of the row expressions once, and per slice its size, metric,
# complement, effect, interval, z or Welch t and p-value computed here with
# pandas' own filters, scipy.stats and scikit-learn, for every metric. Runs
# only where a python3 imports pandas, scipy and sklearn (Debian:
# python3-pandas, python3-scipy, python3-sklearn); skips, saying so, otherwise.
. tests/e2e/lib.sh

PY=$(t_python pandas scipy sklearn)
if [ -z "$PY" ]; then
	t_skip slice-named "no python3 imports pandas, scipy and sklearn (apt-get install python3-pandas python3-scipy python3-sklearn to run it)"
	t_done
	exit $?
fi
echo "# using $PY ($("$PY" -c 'import scipy; print("SciPy", scipy.__version__)'))"

data="$T_TMP/sentiment.csv"
"$PY" - "$data" <<'EOF'
import sys
import numpy as np
import pandas as pd

rng = np.random.default_rng(18)
n = 1500
words = ["great", "awful", "movie", "today", "love", "hate", "service", "slow",
         "fast", "really", "okay", "meh", "best", "worst", "phone", "again"]
classes = np.array(["negative", "neutral", "positive"])
rows = []
for i in range(n):
    w = list(rng.choice(words, rng.integers(2, 12)))
    neg = rng.random() < 0.25
    tag = rng.random() < 0.3
    if neg:
        w.insert(int(rng.integers(0, len(w))), "not")
    if tag:
        w.append("#" + str(rng.choice(["fail", "win", "mood"])))
    if rng.random() < 0.15:
        w.insert(0, "@" + str(rng.choice(["bob", "ann"])))
    text = " ".join(w)
    label = rng.choice(classes)
    # model_a errs on negations, model_b on hashtags
    pa = 0.55 if neg else 0.85
    pb = 0.5 if tag else 0.85
    a = label if rng.random() < pa else rng.choice(classes)
    b = label if rng.random() < pb else rng.choice(classes)
    lang = rng.choice(["en", "fr", "es", "NA"], p=[0.5, 0.2, 0.2, 0.1])
    length = len(text) if rng.random() > 0.05 else "NA"
    y = 1 if label == "positive" else 0
    score = float(np.clip(rng.beta(2, 5) + (0.45 if y else 0) + (0.1 if tag else 0), 0, 1))
    if i % 97 == 0:
        score = float(y)  # a certain score, right or (below) wrong: log loss clips it
    if i % 211 == 0:
        score = 1.0 - y
    likes = float(np.round(rng.gamma(2, 10), 1))
    likes_pred = float(np.round(likes + rng.normal(0, 4 + (6 if tag else 0)), 1))
    rows.append(dict(id=i + 1, text=text, lang=lang, length=length,
                     source=rng.choice(["web", "app", "api"]),
                     **{"user group": rng.choice(["a", "b", "c"])},
                     label=label, model_a=a, model_b=b, score=round(score, 4),
                     likes=likes, likes_pred=likes_pred))
df = pd.DataFrame(rows)
# a few missing labels and predictions: skipped and counted
df.loc[[5, 50], "label"] = "NA"
df.loc[[7], "model_a"] = ""
# the binary label of the score metrics
df.insert(len(df.columns), "is_positive",
          ["" if l == "NA" else int(l == "positive") for l in df["label"]])
df.to_csv(sys.argv[1], index=False)
EOF
t_ok "the sentiment-like file is generated" test -s "$data"

# The slices, one operator or combination each (the same list is written in pandas below).
set -- \
	--slice 'hashtag=text contains "#"' \
	--slice 'mention=text startswith "@"' \
	--slice 'english=lang == "en"' \
	--slice 'not_english=lang != "en"' \
	--slice 'short=length < 40' \
	--slice 'short_eq=length <= 40' \
	--slice 'long=length > 60' \
	--slice 'long_eq=length >= 60' \
	--slice 'len30=length == 30' \
	--slice 'not_len30=length != 30' \
	--slice 'romance=lang in ("fr", "es")' \
	--slice 'no_lang=lang is missing' \
	--slice 'has_lang=lang is not missing' \
	--slice 'early=source < "b"' \
	--slice 'web=source >= "web"' \
	--slice 'ids=id in (3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, "x")' \
	--slice 'groups=`user group` in ("a", "c")' \
	--slice 'combo=text contains "#" && !(lang == "en") || `user group` == "b"' \
	--slice 'negation=(text contains "not " || text contains " not") && id > 100' \
	--slice 'none=lang == "de"'

run() { # run NAME ARGS...: audit-slice's JSON to $T_TMP/NAME.json
	_n=$1; shift
	t_run "audit-slice $_n runs" 0 "$BIN/audit-slice" -q --format json -o "$T_TMP/$_n.json" "$@" "$data"
}
run accuracy_a --label label --pred model_a "$@"
run accuracy_b --label label --pred model_b "$@"
run error_rate --label label --pred model_b --metric error_rate "$@"
run fpr --label label --pred model_a --metric fpr --positive positive "$@"
run fnr --label label --pred model_b --metric fnr --positive positive "$@"
run log_loss --label is_positive --pred model_a --score score --metric log_loss "$@"
run brier --label is_positive --pred model_a --score score --metric brier --ci 0.9 "$@"
run mae --task regression --label likes --pred likes_pred "$@"
run mse --task regression --label likes --pred likes_pred --metric mse "$@"

"$PY" - "$data" "$T_TMP" >"$T_TMP/compare" <<'EOF'
import json, math, sys
import numpy as np
import pandas as pd
import scipy.stats as st
import sklearn.metrics as skm

df = pd.read_csv(sys.argv[1])
tmp = sys.argv[2]
eps = np.finfo(float).eps
t, L = df["text"], df["length"]
lang, src, grp = df["lang"], df["source"], df["user group"]
has = lang.notna()
# pandas' own filters; a missing value is in no comparison (numbers and texts alike)
masks = {
    "hashtag": t.str.contains("#", regex=False),
    "mention": t.str.startswith("@"),
    "english": has & (lang == "en"),
    "not_english": has & (lang != "en"),
    "short": L < 40,
    "short_eq": L <= 40,
    "long": L > 60,
    "long_eq": L >= 60,
    "len30": L == 30,
    "not_len30": L.notna() & (L != 30),
    "romance": lang.isin(["fr", "es"]),
    "no_lang": lang.isna(),
    "has_lang": lang.notna(),
    "early": src < "b",
    "web": src >= "web",
    "ids": df["id"].isin([3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987]),
    "groups": grp.isin(["a", "c"]),
    "combo": (t.str.contains("#", regex=False) & ~(has & (lang == "en"))) | (grp == "b"),
    "negation": (t.str.contains("not ", regex=False) | t.str.contains(" not", regex=False))
                & (df["id"] > 100),
    "none": has & (lang == "de"),
}
runs = {
    "accuracy_a": ("label", "model_a", "accuracy"), "accuracy_b": ("label", "model_b", "accuracy"),
    "error_rate": ("label", "model_b", "error_rate"), "fpr": ("label", "model_a", "fpr"),
    "fnr": ("label", "model_b", "fnr"), "log_loss": ("is_positive", "model_a", "log_loss"),
    "brier": ("is_positive", "model_a", "brier"), "mae": ("likes", "likes_pred", "mae"),
    "mse": ("likes", "likes_pred", "mse"),
}

def out(ok, what, got=None, want=None):
    print(("PASS " if ok else "FAIL ") + what + ("" if ok else " (got %r, want %r)" % (got, want)))

def close(what, got, want, tol):
    if want is None or (isinstance(want, float) and math.isnan(want)):
        out(got is None, what, got, None)
        return
    ok = got is not None and abs(got - want) <= tol * max(1.0, abs(want))
    out(ok, what, got, want)

def wilson(k, n, level):
    z = st.norm.ppf(0.5 + level / 2)
    p = k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return c - h, c + h

for run, (lab, pred, metric) in runs.items():
    doc = json.load(open("%s/%s.json" % (tmp, run)))
    res, level = doc["results"], doc["params"]["ci"]
    ok = df[lab].notna() & df[pred].notna()
    if metric in ("log_loss", "brier"):
        ok &= df["score"].notna()
    y = (df[lab] == 1).astype(float)
    p = df["score"].clip(eps, 1 - eps)
    if metric == "accuracy":
        v, elig = (df[lab] == df[pred]).astype(float), ok
    elif metric == "error_rate":
        v, elig = (df[lab] != df[pred]).astype(float), ok
    elif metric == "fpr":
        v, elig = (df[pred] == "positive").astype(float), ok & (df[lab] != "positive")
    elif metric == "fnr":
        v, elig = (df[pred] != "positive").astype(float), ok & (df[lab] == "positive")
    elif metric == "log_loss":
        v, elig = -(y * np.log(p) + (1 - y) * np.log1p(-p)), ok
    elif metric == "brier":
        v, elig = (df["score"] - y) ** 2, ok
    elif metric == "mae":
        v, elig = (df[pred] - df[lab]).abs(), ok
    else:
        v, elig = (df[pred] - df[lab]) ** 2, ok
    rate = metric in ("accuracy", "error_rate", "fpr", "fnr")
    lower = metric == "accuracy"
    close("%s: rows" % run, res["rows"], len(df), 0)
    close("%s: skipped" % run, res["skipped"], int((~ok).sum()), 0)
    close("%s: overall size" % run, res["overall"]["size"], int(elig.sum()), 0)
    close("%s: overall metric" % run, res["overall"]["metric"], v[elig].mean(), 1e-12)
    # the overall metric is scikit-learn's where it defines one
    e = elig
    if metric == "accuracy":
        close("%s: overall = accuracy_score" % run, res["overall"]["metric"],
              skm.accuracy_score(df[lab][e], df[pred][e]), 1e-12)
    if metric == "log_loss":
        close("%s: overall = sklearn log_loss" % run, res["overall"]["metric"],
              skm.log_loss(y[e], df["score"][e], labels=[0, 1]), 1e-12)
    if metric == "brier":
        close("%s: overall = brier_score_loss" % run, res["overall"]["metric"],
              skm.brier_score_loss(y[e], df["score"][e]), 1e-12)
    if metric == "mae":
        close("%s: overall = mean_absolute_error" % run, res["overall"]["metric"],
              skm.mean_absolute_error(df[lab][e], df[pred][e]), 1e-12)
    if metric == "mse":
        close("%s: overall = mean_squared_error" % run, res["overall"]["metric"],
              skm.mean_squared_error(df[lab][e], df[pred][e]), 1e-12)
    names = [s["name"] for s in res["slices"]]
    out(names == list(masks), "%s: the slices in the order given" % run, names, list(masks))
    for s in res["slices"]:
        name = s["name"]
        m = masks[name].fillna(False).astype(bool)
        a, b = v[elig & m].to_numpy(), v[elig & ~m].to_numpy()
        w = "%s/%s" % (run, name)
        close(w + " size", s["size"], len(a), 0)
        close(w + " complement_size", s["complement_size"], len(b), 0)
        if len(a) == 0:
            for k in ("metric", "effect", "statistic", "p_value"):
                close(w + " " + k + " is null", s[k], None, 0)
            continue
        ma, mb = a.mean(), b.mean()
        eff = mb - ma if lower else ma - mb
        close(w + " metric", s["metric"], ma, 1e-12)
        close(w + " complement_metric", s["complement_metric"], mb, 1e-12)
        close(w + " effect", s["effect"], eff, 1e-12)
        if rate:
            out(s["test"] == "two-proportion z", w + " test", s["test"], "two-proportion z")
            for key, x in (("ci", a), ("complement_ci", b)):
                lo, hi = wilson(x.sum(), len(x), level)
                close(w + " " + key + " low", s[key][0], lo, 1e-12)
                close(w + " " + key + " high", s[key][1], hi, 1e-12)
            pool = (a.sum() + b.sum()) / (len(a) + len(b))
            z = eff / math.sqrt(pool * (1 - pool) * (1 / len(a) + 1 / len(b)))
            close(w + " z", s["statistic"], z, 1e-12)
            close(w + " p_value", s["p_value"], 2 * st.norm.sf(abs(z)), 1e-12)
        else:
            out(s["test"] == "welch t", w + " test", s["test"], "welch t")
            r = st.ttest_ind(a, b, equal_var=False)
            tt = r.statistic if not lower else -r.statistic
            # the intervals: GSL's t quantile is good to about 1e-9
            for key, x in (("ci", a), ("complement_ci", b)):
                lo, hi = st.t.interval(level, len(x) - 1, loc=x.mean(), scale=st.sem(x))
                close(w + " " + key + " low", s[key][0], lo, 1e-8)
                close(w + " " + key + " high", s[key][1], hi, 1e-8)
            close(w + " welch t", s["statistic"], tt, 1e-12)
            close(w + " welch p_value", s["p_value"], r.pvalue, 1e-12)
EOF
t_eq "the comparison ran" "$?" 0
while IFS= read -r line; do
	case $line in
	PASS\ *) t_pass "${line#PASS }" ;;
	*) t_fail "${line#FAIL }" ;;
	esac
done <"$T_TMP/compare"

# the lab's exercise: model_b was made weak on hashtags, model_a on negations
"$BIN/audit-slice" -q --format json --label label --pred model_b \
    --slice hashtag='text contains "#"' "$data" >"$T_TMP/lab.json"
eff=$("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))["results"]["slices"][0]; print(int(s["effect"] > 0.1 and s["p_value"] < 1e-6))' "$T_TMP/lab.json")
t_eq "the lab: model_b is much worse on hashtag tweets (effect > 0.1, p < 1e-6)" "$eff" 1
t_run "the lab: the hashtag slice of model_a is no failing check" 0 "$BIN/audit-slice" -q \
    --format table --label label --pred model_a --slice hashtag='text contains "#"' \
    --check 'hashtag: slices.effect <= 0.1' "$data"
cp "$T_OUT" "$T_TMP/lab.table"
t_ok "the lab: the table names the slice" grep -q "^hashtag " "$T_TMP/lab.table"
t_run "the lab: model_b fails the same check" 1 "$BIN/audit-slice" -q --format table \
    --label label --pred model_b --slice hashtag='text contains "#"' \
    --check 'hashtag: slices.effect <= 0.1' "$data"
t_done
