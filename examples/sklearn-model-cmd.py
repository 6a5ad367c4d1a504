#!/usr/bin/env python3
"""Serve a pickled scikit-learn model to rai-audit's --model-cmd.

usage: sklearn-model-cmd.py [--features COLS] [--positive CLASS] MODEL.pkl

rai-audit runs this once per batch of rows. It reads a CSV with a header on
standard input (missing values are empty fields), picks the model's feature
columns by name, and prints a header line `score` and then one score per row:
the probability of the positive class (predict_proba) for a classifier, the
prediction (predict) for a regressor. Errors go to standard error with a
non-zero exit status, which rai-audit reports (exit 4) with that message.

MODEL.pkl holds either a fitted estimator or a dict
    {"model": estimator, "features": [column, ...], "positive": class}
(what train-sklearn-example.py writes). The feature columns are, in order of
preference: --features, the dict's "features", the estimator's
feature_names_in_, or every input column. A column whose values are all
numbers (or empty) is passed as floats (empty = NaN); any other column as
strings (empty = ""). The positive class is --positive, the dict's
"positive", 1 when it is a class, else the last of classes_.

Only load pickles you trust: unpickling runs code.
"""
import argparse
import csv
import math
import pickle
import sys


def fail(msg, status=2):
    sys.stderr.write("sklearn-model-cmd: %s\n" % msg)
    sys.exit(status)


def as_number(text):
    if text == "":
        return math.nan
    return float(text)


def column_values(rows, j):
    """Column j as floats when every value is a number or empty, else as strings."""
    texts = [r[j] for r in rows]
    try:
        return [as_number(t) for t in texts]
    except ValueError:
        return texts


def positive_index(classes, wanted):
    names = [str(c) for c in classes]
    if wanted is not None:
        if str(wanted) not in names:
            fail("positive class '%s' is not one of the model's classes %s" % (wanted, names))
        return names.index(str(wanted))
    if "1" in names:
        return names.index("1")
    return len(names) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", help="pickled estimator or {'model', 'features', 'positive'} dict")
    ap.add_argument("--features", help="comma-separated feature columns, in the model's order")
    ap.add_argument("--positive", help="class whose probability is the score")
    args = ap.parse_args()

    import numpy as np  # imported late: usage errors need no numpy

    try:
        with open(args.model, "rb") as f:
            obj = pickle.load(f)
    except OSError as e:
        fail("cannot open '%s': %s" % (args.model, e.strerror))
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as e:
        fail("cannot load '%s': %s" % (args.model, e))

    features, positive = None, args.positive
    model = obj
    if isinstance(obj, dict):
        model = obj.get("model")
        features = obj.get("features")
        if positive is None:
            positive = obj.get("positive")
    if args.features:
        features = args.features.split(",")
    if features is None and hasattr(model, "feature_names_in_"):
        features = [str(c) for c in model.feature_names_in_]

    reader = csv.reader(sys.stdin)
    try:
        header = next(reader)
    except StopIteration:
        fail("no input (expected a CSV header)")
    rows = list(reader)
    if features is None:
        features = header
    index = {name: j for j, name in enumerate(header)}
    missing = [c for c in features if c not in index]
    if missing:
        fail("feature column '%s' is not in the input (columns: %s)"
             % (missing[0], ",".join(header)))
    for k, r in enumerate(rows):
        if len(r) != len(header):
            fail("input row %d has %d fields, the header %d" % (k + 1, len(r), len(header)))

    cols = [column_values(rows, index[c]) for c in features]
    if all(isinstance(v, float) for col in cols for v in col):
        X = np.array(cols, dtype=float).T.reshape(len(rows), len(features))
    else:
        X = np.empty((len(rows), len(features)), dtype=object)
        for j, col in enumerate(cols):
            X[:, j] = col

    if len(rows) == 0:
        scores = []
    elif hasattr(model, "predict_proba"):
        proba = model.predict_proba(X)
        scores = proba[:, positive_index(model.classes_, positive)]
    else:
        scores = model.predict(X)

    out = sys.stdout
    out.write("score\n")
    out.write("".join(repr(float(s)) + "\n" for s in scores))
    out.flush()


if __name__ == "__main__":
    main()
