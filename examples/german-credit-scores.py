#!/usr/bin/env python3
"""Score UCI's German credit data with a logistic regression, for the mitigation exercise.

usage: german-credit-scores.py GERMAN.data OUT.csv

GERMAN.data is UCI's Statlog german.data as published (20 attributes and the
class, space-separated, no header; `datasets/fetch-public.sh DEST` downloads
it). OUT.csv is a CSV with a header: the 20 attributes under their names in
UCI's documentation (status, duration, ..., foreign_worker), `good` (1 when
the class is 1, good credit; 0 when it is 2, bad), `age_group` ("young" below
25 years, else "older", the split of Kamiran and Calders and of AIF360's
German credit), `score` (the model's probability of good credit) and `pred`
(score >= 0.5).

The model is a logistic regression (scikit-learn, lbfgs, C = 1) of `good` on
the seven numeric attributes, standardised, and the thirteen categorical ones,
one-hot; age is one of its inputs. Every row's score comes from a model fitted
without it: 5-fold cross-validation, stratified by `good`, shuffled with the
seed 0 (cross_val_predict), so the scores are those of unseen applicants.
Needs scikit-learn and pandas (Debian: python3-sklearn, python3-pandas).
"""
import argparse
import sys

NAMES = ["status", "duration", "credit_history", "purpose", "amount", "savings",
         "employment", "installment_rate", "personal_status", "other_debtors",
         "residence_since", "property", "age", "other_installments", "housing",
         "existing_credits", "job", "people_liable", "telephone", "foreign_worker"]
NUMERIC = ["duration", "amount", "installment_rate", "residence_since", "age",
           "existing_credits", "people_liable"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", help="UCI's german.data")
    ap.add_argument("out", help="the scored CSV to write")
    args = ap.parse_args()

    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    try:
        df = pd.read_csv(args.data, sep=r"\s+", header=None, names=NAMES + ["class"],
                         engine="python")
    except (OSError, ValueError) as e:
        sys.exit("german-credit-scores.py: cannot read %s: %s" % (args.data, e))
    if len(df) == 0 or set(df["class"].unique()) - {1, 2}:
        sys.exit("german-credit-scores.py: %s is not UCI's german.data (class 1 or 2 "
                 "in the 21st column)" % args.data)
    y = (df["class"] == 1).astype(int)
    categorical = [c for c in NAMES if c not in NUMERIC]
    model = Pipeline([
        ("columns", ColumnTransformer([
            ("numeric", StandardScaler(), NUMERIC),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical),
        ])),
        ("logreg", LogisticRegression(C=1.0, max_iter=1000)),
    ])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    score = cross_val_predict(model, df[NAMES], y, cv=folds, method="predict_proba")[:, 1]

    out = df[NAMES].copy()
    out["good"] = y
    out["age_group"] = ["young" if a < 25 else "older" for a in df["age"]]
    out["score"] = score
    out["pred"] = (score >= 0.5).astype(int)
    out.to_csv(args.out, index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
