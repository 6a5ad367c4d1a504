#!/usr/bin/env python3
"""Train a small scikit-learn Pipeline on the synthetic credit data and pickle it.

usage: train-sklearn-example.py [--scores FILE] DATA.csv MODEL.pkl

DATA.csv is a CSV written by audit-synth (`bin/audit-synth --rows 2000 -o
credit.csv`, or the bundled datasets/credit.csv). The model is a logistic
regression of `label` on the eight numeric features (imputed with the median,
standardised) and the categorical `region` (one-hot; unseen values ignored),
fitted on a pandas DataFrame through a ColumnTransformer that selects its
columns by name. The protected attributes `sex` and `group` are left out, as a
careful modeller would, though `region` is a proxy for `group` (the planted
bias audit-fair finds).

MODEL.pkl holds {"model": pipeline, "features": [...], "positive": 1,
"dtypes": {column: dtype}}, what python/rai_audit_serve.py serves. --scores
FILE writes the fitted model's probability of label 1 for every training row
(a header, then one per line). Needs scikit-learn and pandas (Debian:
python3-sklearn, python3-pandas).
"""
import argparse
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

    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    features = NUMERIC + CATEGORICAL
    df = pd.read_csv(args.data, dtype={c: str for c in CATEGORICAL})
    missing = [c for c in features + [LABEL] if c not in df.columns]
    if missing:
        sys.exit("train-sklearn-example: '%s' has no column '%s'" % (args.data, missing[0]))
    if len(df) == 0:
        sys.exit("train-sklearn-example: '%s' has no rows" % args.data)
    X = df[features].astype({c: float for c in NUMERIC})
    y = df[LABEL].astype(int)

    pre = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                          ("scale", StandardScaler())]), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
    ])
    model = Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=1000))])
    model.fit(X, y)
    acc = float((model.predict(X) == y).mean())
    sys.stderr.write("train-sklearn-example: %d rows, training accuracy %.4f\n"
                     % (len(df), acc))

    dtypes = {c: str(t) for c, t in X.dtypes.items()}
    with open(args.model, "wb") as f:
        pickle.dump({"model": model, "features": features, "positive": 1,
                     "dtypes": dtypes}, f)
    if args.scores:
        p = model.predict_proba(X)[:, list(model.classes_).index(1)]
        with open(args.scores, "w") as f:
            f.write("score\n")
            f.write("".join(repr(float(s)) + "\n" for s in p))


if __name__ == "__main__":
    main()
