#!/usr/bin/env python3
"""Train a tiny scikit-learn model on the synthetic credit data and pickle it.

usage: train-sklearn-example.py [--scores FILE] DATA.csv MODEL.pkl

DATA.csv is a CSV written by audit-synth (`audit-synth --rows 2000 -o
credit.csv`). The model is a logistic regression of `label` on the eight
numeric features (imputed with the median, standardised) and the categorical
`region` (one-hot; unseen values ignored); the protected attributes `sex` and
`group` are left out, as a careful modeller would, though `region` is a proxy
for `group` (the planted bias audit-fair finds). MODEL.pkl holds
{"model": pipeline, "features": [...], "positive": 1}, the format
sklearn-model-cmd.py serves. --scores FILE writes the fitted model's
probability of label 1 for every training row (a header, then one per line).
"""
import argparse
import csv
import math
import pickle
import sys

NUMERIC = ["age", "income", "debt_ratio", "credit_years", "employment_years",
           "loan_amount", "num_accounts", "late_payments"]
CATEGORICAL = ["region"]
LABEL = "label"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", help="training CSV (audit-synth's columns)")
    ap.add_argument("model", help="pickle to write")
    ap.add_argument("--scores", help="write the training rows' scores here")
    args = ap.parse_args()

    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    with open(args.data, newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    missing = [c for c in NUMERIC + CATEGORICAL + [LABEL]
               if c not in (reader.fieldnames or [])]
    if missing:
        sys.exit("train-sklearn-example: '%s' has no column '%s'" % (args.data, missing[0]))
    if not rows:
        sys.exit("train-sklearn-example: '%s' has no rows" % args.data)

    features = NUMERIC + CATEGORICAL
    X = np.empty((len(rows), len(features)), dtype=object)
    for j, c in enumerate(NUMERIC):
        X[:, j] = [float(r[c]) if r[c] != "" else math.nan for r in rows]
    for j, c in enumerate(CATEGORICAL, start=len(NUMERIC)):
        X[:, j] = [r[c] for r in rows]
    y = np.array([int(r[LABEL]) for r in rows])

    k = len(NUMERIC)
    pre = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                          ("scale", StandardScaler())]), list(range(k))),
        ("cat", OneHotEncoder(handle_unknown="ignore"), list(range(k, len(features)))),
    ])
    model = Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=1000))])
    model.fit(X, y)
    acc = float((model.predict(X) == y).mean())
    sys.stderr.write("train-sklearn-example: %d rows, training accuracy %.4f\n"
                     % (len(rows), acc))

    with open(args.model, "wb") as f:
        pickle.dump({"model": model, "features": features, "positive": 1}, f)
    if args.scores:
        p = model.predict_proba(X)[:, list(model.classes_).index(1)]
        with open(args.scores, "w") as f:
            f.write("score\n")
            f.write("".join(repr(float(s)) + "\n" for s in p))


if __name__ == "__main__":
    main()
