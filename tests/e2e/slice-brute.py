"""slice-brute.py — a brute-force enumeration of audit-slice --discover.

Written from the documented rules (docs/slice.md, "Discovery"), not from the
C code: every conjunction of up to D predicates on distinct columns is built
as a boolean mask with itertools, tested against its complement (the
one-sided Fisher exact test of a rate with scipy.stats.fisher_exact, or
Welch's t-test by hand with scipy.stats.t), the p-values adjusted by
Benjamini-Hochberg by hand, ranked and stripped of redundant supersets.

usage: slice-brute.py CSV RESULT.json [--label L] [--pred P] [--score S]
       [--metric M] [--positive V] [--max-degree D] [--bins B]
       [--min-size N] [--fdr Q] [--top K] [--max-values N] [--columns A,B]

Compares the tool's results.slices (description, size, metric, effect,
p_value, q_value, order) and results.discovery (candidates, significant,
reported) with the enumeration; prints what differs and exits 1, or prints
"ok N slices" and exits 0.
"""
import argparse
import itertools
import json
import math
import re
import sys

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact, t as student_t

# the CSV reader's default missing-value tokens (pandas' list plus "?")
NA = set(",#N/A,#N/A N/A,#NA,-1.#IND,-1.#QNAN,-NaN,-nan,1.#IND,1.#QNAN,<NA>,N/A,NA,"
         "NULL,NaN,None,n/a,nan,null,?".split(","))
NUMBER = re.compile(r"^[ \t]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t]*$")


def is_num(s):
    return NUMBER.match(s) is not None


def round_edge(sv, e):
    """The number of fewest significant digits (4 to 16) that cuts the sorted
    values sv where the edge e does (docs/slice.md), else e."""
    want = np.searchsorted(sv, e, "right")
    for p in range(4, 17):
        r = float("%.*g" % (p, e))
        if np.searchsorted(sv, r, "right") == want:
            return r
    return e


def fmt(x):
    """The shortest text that reads back as x, as the tool prints numbers."""
    if x == math.floor(x) and abs(x) < 1e15:
        s = "%.0f" % x
        return "0" if s == "-0" else s
    for p in (15, 16, 17):
        s = "%.*g" % (p, x)
        if float(s) == x:
            return s
    return s


def same(a, b):
    if a == b:
        return True
    return is_num(a) and is_num(b) and float(a) == float(b)


def row_value(metric, label, pred, score, positive):
    """(eligible, value) of one row."""
    if metric in ("accuracy", "error_rate"):
        ok = 1.0 if same(label, pred) else 0.0
        return True, ok if metric == "accuracy" else 1.0 - ok
    if metric == "fpr":
        if same(label, positive):
            return False, 0.0
        return True, 1.0 if same(pred, positive) else 0.0
    if metric == "fnr":
        if not same(label, positive):
            return False, 0.0
        return True, 0.0 if same(pred, positive) else 1.0
    if metric in ("mae", "mse"):
        d = float(pred) - float(label)
        return True, abs(d) if metric == "mae" else d * d
    y = 1.0 if same(label, positive) else 0.0
    p = float(score)
    if metric == "brier":
        return True, (p - y) ** 2
    if metric == "log_loss":
        eps = np.finfo(float).eps
        p = min(max(p, eps), 1 - eps)
    return True, -math.log(p) if y == 1.0 else -math.log1p(-p)


def predicates(name, texts, bins, max_values):
    """The column's predicates as (description, json, test(text) -> bool), or a reason."""
    present = [s for s in texts if s not in NA]
    preds = []
    if not present:
        return None, "every value is missing"
    if all(is_num(s) for s in present):
        vals = np.array([float(s) for s in present])
        distinct = np.unique(vals)
        if len(distinct) <= bins:
            for v in distinct:
                preds.append(("%s = %s" % (name, fmt(v)), {"op": "=", "value": v},
                              lambda s, v=v: s not in NA and float(s) == v))
        else:
            edges = np.unique([round_edge(np.sort(vals), e)
                               for e in np.quantile(vals, np.arange(1, bins) / bins)])
            preds.append(("%s <= %s" % (name, fmt(edges[0])), {"op": "<="},
                          lambda s, e=edges[0]: s not in NA and float(s) <= e))
            for lo, hi in zip(edges[:-1], edges[1:]):
                preds.append(("%s < %s <= %s" % (fmt(lo), name, fmt(hi)), {"op": "range"},
                              lambda s, lo=lo, hi=hi: s not in NA and lo < float(s) <= hi))
            preds.append(("%s > %s" % (name, fmt(edges[-1])), {"op": ">"},
                          lambda s, e=edges[-1]: s not in NA and float(s) > e))
    else:
        distinct = sorted(set(present), key=lambda s: s.encode())
        if len(distinct) > max_values:
            return None, "more distinct values than --max-values"
        for v in distinct:
            preds.append(("%s = %s" % (name, v), {"op": "=", "value": v},
                          lambda s, v=v: s == v))
    if len(present) < len(texts):
        preds.append(("%s is missing" % name, {"op": "missing"}, lambda s: s in NA))
    return preds, None


def compare(metric, vin, vout):
    """effect, one-sided p-value of "the slice is worse"."""
    n1, n2 = len(vin), len(vout)
    m1, m2 = vin.mean(), vout.mean()
    effect = (m2 - m1) if metric == "accuracy" else (m1 - m2)
    if metric in ("accuracy", "error_rate", "fpr", "fnr"):
        # Fisher's exact test, one-sided: the slice holds more bad rows
        bad_in = int(round(n1 - vin.sum())) if metric == "accuracy" else int(round(vin.sum()))
        bad_out = int(round(n2 - vout.sum())) if metric == "accuracy" else int(round(vout.sum()))
        table = [[bad_in, n1 - bad_in], [bad_out, n2 - bad_out]]
        return effect, float(fisher_exact(table, alternative="greater")[1])
    else:
        if n1 < 2 or n2 < 2:
            return effect, 1.0          # no test: no evidence
        a = vin.var(ddof=1) / n1
        b = vout.var(ddof=1) / n2
        se = math.sqrt(a + b)
        dof = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1)) if se > 0 else 1
    if not se > 0:
        return effect, (1.0 if effect == 0 else (0.0 if effect > 0 else 1.0))
    return effect, float(student_t.sf(effect / se, dof))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("result")
    ap.add_argument("--label", default="label")
    ap.add_argument("--pred", default="pred")
    ap.add_argument("--score")
    ap.add_argument("--task", default="classification")
    ap.add_argument("--metric", default="accuracy")
    ap.add_argument("--positive", default="1")
    ap.add_argument("--max-degree", type=int, default=2)
    ap.add_argument("--bins", type=int, default=10)
    ap.add_argument("--min-size", type=int, default=30)
    ap.add_argument("--fdr", type=float, default=0.05)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--max-values", type=int, default=100)
    ap.add_argument("--columns")
    a = ap.parse_args()

    df = pd.read_csv(a.csv, dtype=str, keep_default_na=False, na_filter=False)
    keep = ~(df[a.label].isin(NA) | df[a.pred].isin(NA))
    if a.score:
        keep &= ~df[a.score].isin(NA)
    df = df[keep].reset_index(drop=True)
    ev = [row_value(a.metric, l, p, s, a.positive) for l, p, s in
          zip(df[a.label], df[a.pred], df[a.score] if a.score else [None] * len(df))]
    elig = np.array([e for e, _ in ev])
    val = np.array([v for _, v in ev])[elig]

    if a.columns:
        cols = [c for c in df.columns if c in a.columns.split(",")]
    else:
        cols = [c for c in df.columns if c not in (a.label, a.pred, a.score)]
    table = {}          # column -> list of (description, mask over eligible rows)
    for c in cols:
        preds, why = predicates(c, list(df[c]), a.bins, a.max_values)
        if preds is None:
            continue
        texts = np.array(df[c])[elig]
        table[c] = [(d, np.array([f(s) for s in texts], dtype=bool)) for d, _, f in preds]
    kept = [c for c in cols if c in table]

    N = len(val)
    cands = []
    for deg in range(1, a.max_degree + 1):
        for combo in itertools.combinations(kept, deg):
            for ps in itertools.product(*(table[c] for c in combo)):
                mask = np.logical_and.reduce([m for _, m in ps])
                n = int(mask.sum())
                if n < a.min_size or N - n < 1:
                    continue
                effect, p = compare(a.metric, val[mask], val[~mask])
                cands.append({"description": " && ".join(d for d, _ in ps),
                              "preds": frozenset(d for d, _ in ps),
                              "size": n, "metric": float(val[mask].mean()),
                              "effect": float(effect), "p": p, "degree": deg})

    # Benjamini-Hochberg by hand
    m = len(cands)
    order = sorted(range(m), key=lambda i: cands[i]["p"])
    run = 1.0
    for rank in range(m, 0, -1):
        c = cands[order[rank - 1]]
        run = min(run, c["p"] * m / rank)
        c["q"] = run
    sig = [c for c in cands if c["q"] <= a.fdr and c["effect"] > 0]
    sig.sort(key=lambda c: (-c["effect"], c["p"], -c["size"], c["description"].encode()))
    rep = []
    for c in sig:
        if len(rep) == a.top:
            break
        if any(r["preds"] <= c["preds"] for r in rep):
            continue
        rep.append(c)

    with open(a.result) as f:
        doc = json.load(f)
    res = doc["results"]
    got = res["slices"]
    bad = []

    def close(x, y, rel):
        if x is None or y is None:
            return x is None and y is None
        return abs(x - y) <= rel * max(abs(y), 1e-300) or abs(x - y) <= 1e-15

    disc = res["discovery"]
    for k, want in (("candidates", m), ("significant", len(sig)), ("reported", len(rep))):
        if disc[k] != want:
            bad.append("discovery.%s = %s, want %s" % (k, disc[k], want))
    if [s["description"] for s in got] != [c["description"] for c in rep]:
        bad.append("slices differ:\n  got  %s\n  want %s" % (
            [s["description"] for s in got], [c["description"] for c in rep]))
    else:
        for s, c in zip(got, rep):
            for key, want, rel in (("size", c["size"], 0), ("metric", c["metric"], 1e-12),
                                   ("effect", c["effect"], 1e-9), ("p_value", c["p"], 1e-6),
                                   ("q_value", c["q"], 1e-6), ("degree", c["degree"], 0)):
                if not close(s[key], want, rel):
                    bad.append("%s: %s = %r, want %r" % (c["description"], key, s[key], want))
            if len(s["predicates"]) != c["degree"]:
                bad.append("%s: %d predicates" % (c["description"], len(s["predicates"])))
    if bad:
        print("\n".join(bad))
        sys.exit(1)
    print("ok %d slices of %d candidates (%d significant)" % (len(rep), m, len(sig)))


if __name__ == "__main__":
    main()
