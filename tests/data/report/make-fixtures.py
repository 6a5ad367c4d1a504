#!/usr/bin/env python3
"""Write the report's fixture documents (SPEC 5, 7, 9, 10 layouts).

Numbers are consistent: every rate comes from the confusion counts below with
Wilson intervals, as audit-fair defines them. Run from this folder:
    python3 make-fixtures.py
"""
import json, math

def wilson(k, n, z=1.959963984540054):
    if n == 0:
        return None
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [c - h, c + h]

def rate(a, b):
    return a / b if b else None

def group(name, tp, fp, tn, fn, small=False, extra=None):
    n = tp + fp + tn + fn
    P, N = tp + fn, fp + tn
    m = {"count": n, "base_rate": rate(P, n), "selection_rate": rate(tp + fp, n),
         "accuracy": rate(tp + tn, n), "tpr": rate(tp, P), "fpr": rate(fp, N),
         "tnr": rate(tn, N), "fnr": rate(fn, P), "ppv": rate(tp, tp + fp),
         "npv": rate(tn, tn + fn), "fdr": rate(fp, tp + fp), "for": rate(fn, fn + tn)}
    m["favorable_rate"] = m["selection_rate"]
    ci = {"selection_rate": wilson(tp + fp, n), "tpr": wilson(tp, P), "fpr": wilson(fp, N),
          "fnr": wilson(fn, P), "ppv": wilson(tp, tp + fp), "for": wilson(fn, fn + tn),
          "accuracy": wilson(tp + tn, n)}
    g = {"group": name, "count": n, "metrics": m, "ci": ci, "small": small}
    if extra:
        g.update(extra)
    return g

def attribute(name, groups, reference):
    ref = next(g for g in groups if g["group"] == reference)
    for g in groups:
        g["disparity"] = {}
        for k in ("selection_rate", "favorable_rate", "tpr", "fpr", "fnr", "ppv"):
            a, b = g["metrics"][k], ref["metrics"][k]
            g["disparity"][k] = {"ratio": a / b if b else None, "difference": a - b}
    sr = [g["metrics"]["selection_rate"] for g in groups]
    tpr = [g["metrics"]["tpr"] for g in groups]
    fpr = [g["metrics"]["fpr"] for g in groups]
    summary = {
        "demographic_parity_difference": max(sr) - min(sr),
        "demographic_parity_ratio": min(sr) / max(sr),
        "equalized_odds_difference": max(max(tpr) - min(tpr), max(fpr) - min(fpr)),
        "equalized_odds_ratio": min(min(tpr) / max(tpr), min(fpr) / max(fpr)),
        "equal_opportunity_difference": max(tpr) - min(tpr),
        "equal_opportunity_ratio": min(tpr) / max(tpr),
    }
    groups.sort(key=lambda g: (-g["count"], g["group"]))
    return {"attribute": name, "columns": name.split(" & "), "reference": reference, "summary": summary,
            "tests": {"selection_rate": {"test": "chi2", "statistic": 41.25, "dof": len(groups) - 1,
                                          "p_value": 1.1e-9}},
            "groups": groups}

counts = {  # (sex, group): tp, fp, tn, fn
    ("female", "A"): (700, 90, 420, 190), ("male", "A"): (760, 100, 400, 140),
    ("female", "B"): (150, 30, 150, 70), ("male", "B"): (170, 35, 140, 55),
    ("female", "C"): (25, 5, 40, 20), ("male", "C"): (22, 4, 28, 16),
}
def total(pred):
    s = [0, 0, 0, 0]
    for k, v in counts.items():
        if pred(k):
            s = [a + b for a, b in zip(s, v)]
    return s

sex = attribute("sex", [group("female", *total(lambda k: k[0] == "female")),
                        group("male", *total(lambda k: k[0] == "male"))], "male")
grp = attribute("group", [group(g, *total(lambda k, g=g: k[1] == g), small=(g == "C" and False))
                          for g in ("A", "B", "C")], "A")
inter = attribute("sex & group", [group(f"{s} & {g}", *counts[(s, g)], small=sum(counts[(s, g)]) < 100,
                                        extra={"columns": ["sex", "group"], "values": [s, g]})
                                  for (s, g) in counts], "male & A")
ov = group("overall", *total(lambda k: True))
overall = dict(ov["metrics"])
overall["auc"] = 0.8123
checks = []
for a in (sex, grp):
    v = a["summary"]["demographic_parity_ratio"]
    checks.append({"id": "demographic_parity_ratio>=0.8", "metric": "demographic_parity_ratio",
                   "value": v, "op": ">=", "threshold": 0.8,
                   "status": "pass" if v >= 0.8 else "fail", "attribute": a["attribute"],
                   "requested": True})
for a in (sex, grp, inter):
    rates = [(g["metrics"]["favorable_rate"], g["group"]) for g in a["groups"]]
    lo, hi = min(rates), max(rates)
    v = lo[0] / hi[0]
    checks.append({"id": "four_fifths_rule", "metric": "favorable_rate_ratio_to_highest", "value": v,
                   "op": ">=", "threshold": 0.8, "status": "pass" if v >= 0.8 else "fail",
                   "attribute": a["attribute"], "group": lo[1], "convention": "eeoc",
                   "requested": False})
v = sex["summary"]["equalized_odds_difference"]
checks.append({"id": "equalized_odds_difference<0.1", "metric": "equalized_odds_difference",
               "value": v, "op": "<", "threshold": 0.1, "status": "pass" if v < 0.1 else "fail",
               "attribute": "sex", "requested": True})

fair = {"tool": "audit-fair", "version": "0.1.0", "schema": "audit.fairness/1",
        "created": "2026-01-01T00:00:00Z",
        "input": {"path": "datasets/credit.csv", "rows": ov["count"],
                  "sha256": "3f9a1c0d5be2e8f4a7c6b5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4"},
        "params": {"label": "label", "pred": "pred", "score": "score", "protected": ["sex", "group"],
                   "positive": "1", "intersect": True, "ci": 0.95, "ci_method": "wilson",
                   "min_group_size": 100, "four_fifths": "eeoc", "seed": 42},
        "results": {"positive": "1", "favorable": "1", "ci_method": "wilson", "ci_level": 0.95,
                    "overall": overall, "overall_ci": ov["ci"], "attributes": [sex, grp, inter]},
        "checks": checks,
        "warnings": ["group 'female & C' has 90 rows, fewer than --min-group-size 100",
                     "group 'male & C' has 70 rows, fewer than --min-group-size 100"]}

def pert(spec, rows, flips, msc, by_group=None, by_feature=None, acc=None):
    kind, _, lvl = spec.partition(":")
    e = {"spec": spec, "kind": kind}
    try:
        e["level"] = float(lvl)
        e["sweep"] = kind
    except ValueError:
        e["attribute"] = lvl
    e.update({"rows": rows, "flips": flips, "flip_rate": flips / rows,
         "ci": {"flip_rate": wilson(flips, rows)}, "mean_abs_score_change": msc,
         "max_abs_score_change": round(msc * 7.3, 6)})
    if acc is not None:
        e["accuracy"] = acc
        e["accuracy_drop"] = 0.781 - acc
    if by_group is not None:
        e["by_group"] = by_group
    if by_feature is not None:
        e["by_feature"] = by_feature
    return e

def bg(rows_flips):
    return [{"attribute": attr, "groups": [{"group": g, "rows": r, "flips": f, "flip_rate": f / r,
                                            "ci": {"flip_rate": wilson(f, r)}} for g, r, f in groups]}
            for attr, groups in rows_flips.items()]

rows = 3000
perts = []
for lvl, f in ((0.05, 45), (0.1, 96), (0.2, 201), (0.4, 388)):
    perts.append(pert(f"gaussian:{lvl}", rows, f, lvl * 0.21,
                      by_group=bg({"sex": [("female", 1500, f // 2 - 3), ("male", 1500, f - f // 2 + 3)],
                                   "group": [("A", 2100, int(f * 0.62)), ("B", 650, int(f * 0.25)),
                                             ("C", 250, f - int(f * 0.62) - int(f * 0.25))]}),
                      by_feature=[{"feature": n, "rows": rows, "flips": k, "flip_rate": k / rows}
                                  for n, k in (("income", int(f * 0.5)), ("debt_ratio", int(f * 0.3)),
                                               ("late_payments", int(f * 0.12)), ("age", int(f * 0.05)),
                                               ("credit_years", int(f * 0.03)))] if lvl == 0.4 else None,
                      acc=0.781 - lvl * 0.05))
perts.append(pert("flip:sex", rows, 0, 0.0, by_group=bg({"sex": [("female", 1500, 0), ("male", 1500, 0)]})))
perts[-1]["transitions"] = [{"from": "female", "to": "male", "rows": 1500, "flips": 0, "flip_rate": 0.0},
                            {"from": "male", "to": "female", "rows": 1500, "flips": 0, "flip_rate": 0.0}]
perts.append(pert("flip:region", rows, 402, 0.061,
                  by_group=bg({"group": [("A", 2100, 180), ("B", 650, 121), ("C", 250, 101)]})))
sweep = [p for p in perts if p.get("sweep") == "gaussian"]
curves = [{"sweep": "gaussian", "kind": "gaussian", "levels": [p["level"] for p in sweep],
           "flip_rate": [p["flip_rate"] for p in sweep],
           "mean_abs_score_change": [p["mean_abs_score_change"] for p in sweep],
           "accuracy": [p["accuracy"] for p in sweep],
           "by_group": [{"attribute": a["attribute"], "group": g["group"],
                         "flip_rate": [next(x["flip_rate"] for b in p["by_group"] if b["attribute"] == a["attribute"]
                                            for x in b["groups"] if x["group"] == g["group"]) for p in sweep]}
                        for a in sweep[0]["by_group"] for g in a["groups"]]}]
adv = pert("adversarial:0.1", rows, 611, 0.05)
del adv["sweep"], adv["level"]
adv["epsilon"] = 0.1
adv["median_flip_radius"] = 0.0625
perts.append(adv)
robust = {"tool": "audit-robust", "version": "0.1.0", "schema": "audit.robustness/1",
          "created": "2026-01-01T00:00:00Z",
          "input": {"path": "datasets/credit.csv", "rows": rows,
                    "sha256": "3f9a1c0d5be2e8f4a7c6b5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4"},
          "params": {"model": "datasets/credit-planted.pmml", "label": "label",
                     "protected": ["sex", "group"], "perturb": ["gaussian"],
                     "levels": [0.05, 0.1, 0.2, 0.4], "counterfactual": "sex", "repeats": 1, "seed": 42},
          "results": {"baseline": {"rows": rows, "positive_rate": 0.612, "accuracy": 0.781, "correct": 2343},
                      "perturbations": perts, "curves": curves},
          "checks": [{"id": "counterfactual.sex.flip_rate<=0", "metric": "flip_rate", "value": 0,
                      "op": "<=", "threshold": 0, "status": "pass", "attribute": "sex"}],
          "warnings": []}

feats = [("income", 0.0912, 0.0011), ("debt_ratio", 0.0644, -0.0021), ("region", 0.0511, -0.0004),
         ("late_payments", 0.0407, -0.0032), ("credit_years", 0.0233, 0.0008), ("age", 0.0151, 0.0002),
         ("loan_amount", 0.0102, -0.0001), ("employment_years", 0.0089, 0.0003)]
explain = {"tool": "audit-explain", "version": "0.1.0", "schema": "audit.explanation/1",
           "created": "2026-01-01T00:00:00Z",
           "input": {"path": "datasets/credit.csv", "rows": 200,
                     "sha256": "3f9a1c0d5be2e8f4a7c6b5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4"},
           "params": {"model": "datasets/credit-planted.pmml", "background": "datasets/credit-bg.csv",
                      "background_size": 100, "method": "linear", "output": "score",
                      "protected": ["sex", "group"], "seed": 42},
           "results": {"method": "linear", "rows": 200, "features": [f for f, a, m in feats],
                       "base_value": 0.6021, "max_additivity_error": 2.2e-16,
                       "importance": [{"feature": f, "rank": i + 1, "mean_abs": a, "mean": m, "sd": a * 1.3,
                                       "ci": {"mean_abs": [a * 0.9, a * 1.1], "mean": [m - 0.001, m + 0.001]}}
                                      for i, (f, a, m) in enumerate(feats)],
                       "groups": [{"attribute": "group", "groups": [
                                       {"group": gname, "count": cnt, "mean_output": mo,
                                        "mean": {f: (rv if f == "region" else m) for f, a, m in feats},
                                        "mean_abs": {f: a for f, a, m in feats}}
                                       for gname, cnt, mo, rv in (("A", 140, 0.63, 0.011), ("B", 44, 0.57, -0.032),
                                                                 ("C", 16, 0.49, -0.071))]},
                                  {"attribute": "sex", "groups": [
                                       {"group": gname, "count": cnt, "mean_output": 0.6,
                                        "mean": {f: m for f, a, m in feats}, "mean_abs": {f: a for f, a, m in feats}}
                                       for gname, cnt in (("female", 97), ("male", 103))]}],
                       "proxy": [{"feature": f, "rank": i + 1, "importance": a,
                                  "associations": [{"attribute": "sex", "measure": "correlation ratio" if f != "region" else "Cramér's V",
                                                    "value": 0.02 + 0.001 * i},
                                                   {"attribute": "group", "measure": "correlation ratio" if f != "region" else "Cramér's V",
                                                    "value": 0.61 if f == "region" else 0.03 + 0.002 * i}]}
                                 for i, (f, a, m) in enumerate(feats)],
                       "local": [{"row": r, "base_value": 0.6021, "value": 0.6021 + sum(p),
                                  "contributions": [{"feature": f, "value": 1.5 * i, "phi": p[i]}
                                                    for i, (f, a, m) in enumerate(feats)]}
                                 for r, p in ((17, (0.12, -0.05, -0.08, 0.02, 0.01, -0.004, 0.003, 0.001)),
                                              (42, (-0.09, -0.11, 0.03, -0.06, 0.02, 0.01, -0.002, 0.0)))]},
           "checks": [], "warnings": []}

pdp = {"tool": "audit-explain", "version": "0.1.0", "schema": "audit.explanation/1",
       "created": "2026-01-01T00:00:00Z",
       "input": {"path": "datasets/credit.csv", "rows": 200, "sha256": explain["input"]["sha256"]},
       "params": {"model": "datasets/credit-planted.pmml", "method": "pdp", "features": ["income"],
                  "protected": ["group"], "grid": 5, "seed": 42},
       "results": {"method": "pdp", "rows": 200, "features": ["income"],
                   "pdp": [{"feature": "income", "kind": "numeric", "grid": [20, 40, 60, 80, 100],
                            "pdp": [0.41, 0.52, 0.63, 0.71, 0.77],
                            "groups": [{"attribute": "group", "groups": [
                                {"group": "A", "pdp": [0.45, 0.56, 0.67, 0.75, 0.80]},
                                {"group": "C", "pdp": [0.22, 0.31, 0.42, 0.52, 0.60]}]}]}]},
       "checks": [], "warnings": []}

for name, doc in (("fair.json", fair), ("robust.json", robust), ("explain.json", explain),
                  ("explain-pdp.json", pdp)):
    with open(name, "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
