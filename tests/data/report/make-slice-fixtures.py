#!/usr/bin/python3
"""make-slice-fixtures.py — hand-built report fixtures for the Slices section
and the multi-class and regression fairness pages, in the shapes docs/slice.md
gives (audit.slice/1, audit.fairness-multiclass/1, audit.fairness-regression/1),
with every number computed here from an audit-synth sentiment sample by
pandas, SciPy and scikit-learn (Wilson intervals, the pooled two-proportion
z-test, Benjamini-Hochberg, scikit-learn's metrics per group, percentile
bootstrap intervals). They stand in for the tools' own documents in
report-slice.sh, which also draws the real ones when the tools exist.

Run from the project root after `make`:
    /usr/bin/python3 tests/data/report/make-slice-fixtures.py
"""
import itertools
import json
import subprocess

import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics as skm

D = "tests/data/report"
CSV = subprocess.run(["bin/audit-synth", "--scenario", "sentiment", "--rows", "1500",
                      "--seed", "7"], check=True, capture_output=True, text=True).stdout
open("/tmp/slice-fixture-posts.csv", "w").write(CSV)
df = pd.read_csv("/tmp/slice-fixture-posts.csv")
Z = stats.norm.ppf(0.975)


def wilson(k, n):
    if n == 0:
        return None
    p = k / n
    d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return [c - h, c + h]


def envelope(tool, schema, params, results, checks=None, warnings=None):
    return {"tool": tool, "version": "0.1.0", "schema": schema,
            "created": "2026-01-01T00:00:00Z",
            "input": {"path": "posts.csv", "rows": int(len(df)), "sha256": "0" * 64},
            "params": params, "results": results, "checks": checks or [],
            "warnings": warnings or []}


def compare(mask, ok):
    """A slice (mask) against its complement, accuracy (lower is worse)."""
    n, k = int(mask.sum()), int(ok[mask].sum())
    n2, k2 = int((~mask).sum()), int(ok[~mask].sum())
    m, m2 = k / n, k2 / n2
    p = (k + k2) / (n + n2)
    se = np.sqrt(p * (1 - p) * (1 / n + 1 / n2))
    z = (m2 - m) / se  # positive: the slice is worse
    return {"size": n, "metric": m, "ci": wilson(k, n), "complement_size": n2,
            "complement_metric": m2, "complement_ci": wilson(k2, n2), "effect": m2 - m,
            "test": "two-proportion z", "statistic": float(z),
            "p_two": float(2 * stats.norm.sf(abs(z))), "p_worse": float(stats.norm.sf(z))}


def overall(ok):
    return {"size": int(len(ok)), "metric": float(ok.mean()), "ci": wilson(int(ok.sum()), len(ok))}


# ---- named slices: model_b ----
ok_b = (df.model_b == df.label)
named = [("hashtag", 'text contains "#"'),
         ("negation", 'text contains " not " || text contains " never " || text contains " hardly "'),
         ("mention", 'text startswith "@"'),
         ("android", 'source == "android"')]
masks = {"hashtag": df.text.str.contains("#", regex=False),
         "negation": df.text.str.contains(" (?:not|never|hardly) ", regex=True),
         "mention": df.text.str.startswith("@"),
         "android": df.source == "android"}
slices = []
for name, expr in named:
    c = compare(masks[name], ok_b)
    s = {"name": name, "expression": expr}
    for k in ("size", "metric", "ci", "complement_size", "complement_metric", "complement_ci",
              "effect", "test", "statistic"):
        s[k] = c[k]
    s["p_value"] = c["p_two"]
    slices.append(s)
eff = slices[0]["effect"]
checks = [{"id": "hashtag: slices.effect <= 0.1", "metric": "slices.effect", "value": eff,
           "op": "<=", "threshold": 0.1, "status": "pass" if eff <= 0.1 else "fail",
           "slice": "hashtag", "requested": True},
          {"id": "overall.metric >= 0.7", "metric": "overall.metric", "value": float(ok_b.mean()),
           "op": ">=", "threshold": 0.7, "status": "pass" if ok_b.mean() >= 0.7 else "fail",
           "requested": True}]
doc = envelope("audit-slice", "audit.slice/1",
               {"label": "label", "pred": "model_b", "score": None, "task": "classification",
                "metric": "accuracy", "positive": "1", "slices": dict(named), "ci": 0.95,
                "checks": [c["id"] for c in checks], "policy": None},
               {"metric": "accuracy", "worse": "lower", "rows": int(len(df)), "skipped": 0,
                "overall": overall(ok_b), "slices": slices}, checks)
json.dump(doc, open(f"{D}/slice-named.json", "w"), indent=2)

# ---- discovery: model_b over source, words (quantile bins) and hashtags, degree <= 2 ----
ok = ok_b
cols = {}
w = df.words
edges = sorted(set(float(np.quantile(w, k / 10)) for k in range(1, 10)))
bins = [("<=", {"value": edges[0]}, f"words <= {edges[0]:g}", w <= edges[0])]
for lo, hi in zip(edges, edges[1:]):
    bins.append(("range", {"low": lo, "high": hi}, f"{lo:g} < words <= {hi:g}", (w > lo) & (w <= hi)))
bins.append((">", {"value": edges[-1]}, f"words > {edges[-1]:g}", w > edges[-1]))
cols["source"] = [("=", {"value": v}, f"source = {v}", df.source == v) for v in sorted(df.source.unique())]
cols["words"] = bins
cols["hashtags"] = [("=", {"value": int(v)}, f"hashtags = {v}", df.hashtags == v)
                    for v in sorted(df.hashtags.unique())]
preds = [(c, op, v, m, t) for c, lst in cols.items() for op, v, t, m in lst]
cands = []
for deg in (1, 2):
    for combo in itertools.combinations(preds, deg):
        if len({p[0] for p in combo}) < deg:
            continue
        mask = np.logical_and.reduce([p[3] for p in combo])
        if mask.sum() < 30 or (~mask).sum() < 1:
            continue
        c = compare(mask, ok)
        desc = " && ".join(p[4] for p in combo)
        cands.append((combo, desc, c))
p = np.array([c[2]["p_worse"] for c in cands])
order = np.argsort(p)
q = np.empty(len(p))
prev = 1.0
for rank in range(len(p), 0, -1):
    i = order[rank - 1]
    prev = min(prev, p[i] * len(p) / rank)
    q[i] = prev
sig = [(cands[i], q[i]) for i in range(len(cands)) if q[i] <= 0.05 and cands[i][2]["effect"] > 0]
sig.sort(key=lambda t: (-t[0][2]["effect"], t[0][2]["p_worse"], -t[0][2]["size"], t[0][1]))
reported = []
for (combo, desc, c), qv in sig:
    keys = {pp[4] for pp in combo}
    if any(r[0] < keys for r in reported):
        continue
    reported.append((keys, combo, desc, c, qv))
out = []
for keys, combo, desc, c, qv in reported[:10]:
    s = {"description": desc,
         "predicates": [dict({"column": pp[0], "op": pp[1]}, **pp[2]) for pp in combo]}
    for k in ("size", "metric", "ci", "complement_size", "complement_metric", "complement_ci",
              "effect", "test", "statistic"):
        s[k] = c[k]
    s["p_value"] = c["p_worse"]
    s["q_value"] = float(qv)
    s["degree"] = len(combo)
    out.append(s)
# descriptions name predicates in the file's column order
disc = {"columns": [{"name": k, "kind": "categorical" if k == "source" else "numeric",
                     "predicates": len(v)} for k, v in cols.items()],
        "left_out": [{"column": "text", "reason": "more than 100 distinct values"},
                     {"column": "id", "reason": "more than 100 distinct values"}],
        "candidates": len(cands), "significant": len(sig), "reported": len(out)}
dchecks = [{"id": "discovery.significant == 0", "metric": "discovery.significant",
            "value": len(sig), "op": "==", "threshold": 0,
            "status": "pass" if len(sig) == 0 else "fail", "requested": True}]
doc = envelope("audit-slice", "audit.slice/1",
               {"label": "label", "pred": "model_b", "score": None, "task": "classification",
                "metric": "accuracy", "positive": "1",
                "discover": {"max_degree": 2, "bins": 10, "min_size": 30, "fdr": 0.05, "top": 10,
                             "max_values": 100, "columns": ["source", "words", "hashtags"]},
                "ci": 0.95, "checks": [c["id"] for c in dchecks], "policy": None},
               {"metric": "accuracy", "worse": "lower", "rows": int(len(df)), "skipped": 0,
                "overall": overall(ok), "slices": out, "discovery": disc}, dchecks,
               ["column 'text' left out: more than 100 distinct values"])
json.dump(doc, open(f"{D}/slice-discover.json", "w"), indent=2)

# ---- multiclass fairness: model_b by source ----
rng = np.random.default_rng(7)
classes = ["negative", "neutral", "positive"]


def boot(y, p, fn, B=200):
    n = len(y)
    v = [fn(y[idx], p[idx]) for idx in (rng.integers(0, n, n) for _ in range(B))]
    return [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]


def mc_metrics(y, p):
    y, p = np.asarray(y), np.asarray(p)
    present = sorted(set(y) | set(p))
    g = {"count": int(len(y)),
         "confusion": skm.confusion_matrix(y, p, labels=classes).tolist(),
         "accuracy": skm.accuracy_score(y, p),
         "balanced_accuracy": skm.balanced_accuracy_score(y, p),
         "macro_precision": skm.precision_score(y, p, average="macro", labels=present, zero_division=0),
         "macro_recall": skm.recall_score(y, p, average="macro", labels=present, zero_division=0),
         "macro_f1": skm.f1_score(y, p, average="macro", labels=present, zero_division=0)}
    pc = {}
    for k in classes:
        sup = int((y == k).sum())
        npred = int((p == k).sum())
        tp = int(((y == k) & (p == k)).sum())
        rec = tp / sup if sup else None
        pre = tp / npred if npred else None
        f1 = 2 * pre * rec / (pre + rec) if rec and pre else (0.0 if rec is not None and pre is not None else None)
        pc[k] = {"support": sup, "recall": rec, "precision": pre, "f1": f1,
                 "selection_rate": npred / len(y)}
    g["per_class"] = pc
    ci = {"accuracy": wilson(int((y == p).sum()), len(y)),
          "balanced_accuracy": boot(y, p, skm.balanced_accuracy_score),
          "macro_f1": boot(y, p, lambda a, b: skm.f1_score(a, b, average="macro", zero_division=0)),
          "per_class": {k: {"recall": wilson(int(((y == k) & (p == k)).sum()), int((y == k).sum())),
                            "selection_rate": wilson(int((p == k).sum()), len(y))} for k in classes}}
    g["ci"] = ci
    return g


groups = []
for s in sorted(df.source.unique()):
    sub = df[df.source == s]
    g = {"group": s, "small": False}
    g.update(mc_metrics(sub.label.values, sub.model_b.values))
    groups.append(g)
summ = {}
for k in ("accuracy", "balanced_accuracy", "macro_f1", "macro_precision", "macro_recall"):
    vals = [g[k] for g in groups]
    summ[k + "_difference"] = max(vals) - min(vals)
    summ[k + "_ratio"] = min(vals) / max(vals)
summ["per_class"] = {}  # the tool writes it beside "summary", as below
for k in classes:
    e = {}
    for m in ("recall", "precision", "selection_rate"):
        vals = [g["per_class"][k][m] for g in groups]
        e[m + "_difference"] = max(vals) - min(vals)
        e[m + "_ratio"] = min(vals) / max(vals)
    summ["per_class"][k] = e
per_class_summary = summ.pop("per_class")
ov = mc_metrics(df.label.values, df.model_b.values)
mcchecks = [{"id": "source: accuracy_difference <= 0.05", "metric": "accuracy_difference",
             "value": summ["accuracy_difference"], "op": "<=", "threshold": 0.05,
             "status": "pass" if summ["accuracy_difference"] <= 0.05 else "fail",
             "attribute": "source", "requested": True}]
doc = envelope("audit-fair", "audit.fairness-multiclass/1",
               {"label": "label", "pred": "model_b", "task": "multiclass", "protected": ["source"],
                "reference": None, "min_group_size": 30, "bootstrap": 200, "seed": 42,
                "checks": [c["id"] for c in mcchecks]},
               {"task": "multiclass", "classes": classes, "overall": ov,
                "attributes": [{"attribute": "source", "reference": "web", "groups": groups,
                                "summary": summ, "per_class": per_class_summary}]}, mcchecks)
json.dump(doc, open(f"{D}/fair-multiclass.json", "w"), indent=2)

# ---- regression fairness: retweets_pred by source ----


def rg_metrics(y, p):
    y, p = np.asarray(y, float), np.asarray(p, float)
    n = len(y)
    t = stats.t.ppf(0.975, n - 1)

    def tci(x):
        m, s = x.mean(), x.std(ddof=1)
        return [m - t * s / np.sqrt(n), m + t * s / np.sqrt(n)]
    g = {"count": n, "mean_prediction": p.mean(), "mean_label": y.mean(),
         "mae": skm.mean_absolute_error(y, p), "mse": skm.mean_squared_error(y, p),
         "rmse": float(np.sqrt(skm.mean_squared_error(y, p))), "r2": skm.r2_score(y, p),
         "group_loss": skm.mean_squared_error(y, p)}
    g["ci"] = {"mean_prediction": tci(p), "mean_label": tci(y),
               "mae": boot(y, p, skm.mean_absolute_error),
               "rmse": boot(y, p, lambda a, b: float(np.sqrt(skm.mean_squared_error(a, b)))),
               "r2": boot(y, p, skm.r2_score)}
    return g


groups = []
for s in sorted(df.source.unique()):
    sub = df[df.source == s]
    g = {"group": s, "small": False}
    g.update(rg_metrics(sub.retweets.values, sub.retweets_pred.values))
    groups.append(g)
summ = {}
for k in ("mean_prediction", "mean_label", "mae", "mse", "rmse", "r2", "group_loss"):
    vals = [g[k] for g in groups]
    summ[k + "_difference"] = max(vals) - min(vals)
    summ[k + "_ratio"] = min(vals) / max(vals)
worst = max(groups, key=lambda g: g["group_loss"])
summ["bounded_group_loss"] = {"loss": "squared", "value": worst["group_loss"], "group": worst["group"]}
rgchecks = [{"id": "source: mae_ratio >= 0.8", "metric": "mae_ratio", "value": summ["mae_ratio"],
             "op": ">=", "threshold": 0.8, "status": "pass" if summ["mae_ratio"] >= 0.8 else "fail",
             "attribute": "source", "requested": True}]
doc = envelope("audit-fair", "audit.fairness-regression/1",
               {"label": "retweets", "pred": "retweets_pred", "task": "regression",
                "protected": ["source"], "min_group_size": 30, "bootstrap": 200, "seed": 42,
                "checks": [c["id"] for c in rgchecks]},
               {"task": "regression", "overall": rg_metrics(df.retweets.values, df.retweets_pred.values),
                "attributes": [{"attribute": "source", "reference": "web", "groups": groups,
                                "summary": summ}]}, rgchecks)
json.dump(doc, open(f"{D}/fair-regression.json", "w"), indent=2)
