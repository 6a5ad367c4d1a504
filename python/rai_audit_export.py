#!/usr/bin/env python3
"""Export a fitted scikit-learn model to PMML 4.4 that rai-audit scores natively.

Usage:
    python3 python/rai_audit_export.py MODEL.pkl -o MODEL.pmml
        [--features A,B,...] [--positive CLASS] [--target NAME]

MODEL.pkl is either a pickled estimator or a pickled dict
{"model": estimator, "features": [...], "positive": cls, "dtypes": {...}}
(the form examples/train-sklearn-example.py writes). The input columns are
named, in this order of preference, by the model's feature_names_in_ (it was
fitted on a DataFrame), by --features, by the dict's "features", and else
x0, x1, ... "dtypes" (column -> numpy/pandas dtype name) tells which input
columns hold categories when the model alone does not say.

Only this file, the standard library and numpy are used: scikit-learn is
reached only through the unpickled object (it must be importable for the
pickle to load). No Java. Unpickling runs code: export only pickles you trust.

Supported, exactly as scikit-learn 1.x predicts:
    estimators:   LogisticRegression (binary; multinomial multi-class),
                  LinearRegression, Ridge (one target),
                  DecisionTreeClassifier, DecisionTreeRegressor,
                  RandomForestClassifier, RandomForestRegressor,
                  ExtraTreesClassifier, ExtraTreesRegressor,
                  GradientBoostingClassifier (binary, log-loss),
                  GradientBoostingRegressor
    transformers: Pipeline, ColumnTransformer (columns by name, by index,
                  by slice or by mask; remainder "drop", "passthrough" or
                  a supported transformer), OneHotEncoder (drop None,
                  "first", "if_binary" or explicit; handle_unknown "error"
                  or "ignore"; no infrequent categories), StandardScaler
                  (with_mean, with_std), MinMaxScaler (clip too),
                  SimpleImputer (mean, median, most_frequent, constant;
                  missing_values NaN; no add_indicator), "passthrough"
Anything else is refused with a one-line message naming it, exit status 2,
and no output file.

Exactness. Every number is written as the shortest text that reads back as
the same double, and every computation is laid out in scikit-learn's order:
a scaler is (x - mean_) / scale_ and x * scale_ + min_; a linear model is
intercept + dot product (the order of the dot product's additions may differ
from BLAS's, which moves a result by a few units in the last place); a
forest's probability is the sum, tree by tree in order, of each tree's
normalised leaf distribution, divided by the number of trees; gradient
boosting is init + learning_rate * value, tree by tree (the initial
prediction is the first segment of a sum, each leaf holds the product
learning_rate * value), followed for the classifier by the logistic function.

The float32 threshold rule. scikit-learn's trees (and gradient boosting)
convert X to float32 and send a row left when float32(x) <= t, where t is a
double threshold. PMML compares the double x. The exporter writes the
threshold t' such that, for every double x, x <= t' exactly when
float32(x) <= t under round-to-nearest-even: with f the largest float32 not
above t and m the midpoint between f and the next float32 (m is a double),
x rounds to f or below exactly when x < m, or x == m and f's significand is
even; so t' = m when f is even and the double just below m otherwise.

Missing values. A SimpleImputer becomes a FieldRef with mapMissingTo (the
imputed value, the statistic scikit-learn stored). A OneHotEncoder with
handle_unknown="ignore" maps a missing or unseen category to all zeros, as
scikit-learn does (invalidValueTreatment "asIs" on the input field, and
NormDiscrete gives 0); with handle_unknown="error" an unseen category is an
invalid value. A OneHotEncoder that learnt "missing" as a category (it was
fitted on NaN) gets that indicator as if(isMissing(x), 1, 0). Without an imputer, scikit-learn 1.2 refuses NaN in linear
models, trees and boosting; the PMML instead returns no prediction (an empty
score in audit-predict) for a row whose value is missing where the model
needs it: a linear model needs every input, a tree only those on the row's
path (missingValueStrategy "nullPrediction").

Trees stay binary, with one SimplePredicate per child (lessOrEqual left,
greaterThan right) and recordCount = tree_.weighted_n_node_samples on every
node (the training cover that path-dependent Tree SHAP reads).

Exit status: 0 written; 2 usage or an unsupported model (named); 3 the
pickle cannot be read, holds no model, or the model is not fitted or is
inconsistent; 5 the output cannot be written.
"""
import argparse
import math
import os
import pickle
import sys
import tempfile
import xml.etree.ElementTree as ET

PROG = "rai_audit_export"
PMML_NS = "http://www.dmg.org/PMML-4_4"
VERSION = "0.1"
MAX_TREE_DEPTH = 240    # XML nesting is bounded (256) where the PMML is read

SUPPORTED_ESTIMATORS = [
    "LogisticRegression", "LinearRegression", "Ridge",
    "DecisionTreeClassifier", "DecisionTreeRegressor",
    "RandomForestClassifier", "RandomForestRegressor",
    "ExtraTreesClassifier", "ExtraTreesRegressor",
    "GradientBoostingClassifier", "GradientBoostingRegressor",
]
SUPPORTED_TRANSFORMERS = [
    "Pipeline", "ColumnTransformer", "OneHotEncoder", "StandardScaler",
    "MinMaxScaler", "SimpleImputer", "passthrough",
]


class Refused(Exception):
    """The model uses something the exporter does not support (exit 2)."""


class BadInput(Exception):
    """The pickle cannot be read or holds an unusable model (exit 3)."""


def refuse_estimator(obj):
    raise Refused("%s is not supported (supported: %s)"
                  % (type(obj).__name__, ", ".join(SUPPORTED_ESTIMATORS)))


def refuse_transformer(obj):
    name = obj if isinstance(obj, str) else type(obj).__name__
    raise Refused("%s is not supported as a transformer (supported: %s)"
                  % (name, ", ".join(SUPPORTED_TRANSFORMERS)))


# ---------------------------------------------------------------- numbers

def num(x):
    """The shortest decimal text that reads back as the double x."""
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        raise BadInput("the model holds a non-finite number (%r)" % x)
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def f32_threshold(t):
    """The double t' with: x <= t' exactly when float32(x) <= t (every double x).

    float32(x) rounds to nearest, ties to even. With f the largest float32
    not above t and u the next float32, float32(x) <= f exactly when x < m,
    or x == m and f is the even one, m = (f + u) / 2 (exact in double).
    """
    import numpy as np
    t = float(t)
    if math.isnan(t):
        raise BadInput("a tree has a NaN threshold")
    with np.errstate(over="ignore"):
        f = np.float32(t)
    if float(f) > t:
        f = np.nextafter(f, np.float32(-np.inf))
    if np.isinf(f):
        # t is below -FLT_MAX: only -inf is at most t; x rounds to -inf
        # from -(FLT_MAX + half an ulp) down, the tie going to -inf (odd max)
        fm = float(np.finfo(np.float32).max)
        return -(fm + 2.0 ** 103)
    if float(f) == float(np.finfo(np.float32).max):
        u = 2.0 ** 128          # where the next float32 would be: overflow to inf
    else:
        u = float(np.nextafter(f, np.float32(np.inf)))
    m = (float(f) + u) / 2.0
    even = (int(np.array(f, dtype=np.float32).view(np.uint32)) & 1) == 0
    if float(f) == 0.0:
        even = True             # +0 and -0 are even
    return m if even else float(np.nextafter(m, -np.inf))


# ---------------------------------------------------------------- columns

class Col:
    """One column of the feature vector flowing through the pipeline."""

    def __init__(self, name, kind, raw=None, deps=None, origin=None):
        self.name = name        # PMML field name (DataField or DerivedField)
        self.kind = kind        # "num", "str" or None (raw, not yet known)
        self.raw = raw          # the Raw record when this is an input column
        self.deps = deps if deps is not None else {name}
        # the input column whose values this one carries (itself, or imputed)
        self.origin = raw if raw is not None else origin


class Raw:
    def __init__(self, name, kind):
        self.name = name
        self.kind = kind        # None until a use tells, or from dtypes
        self.values = []        # categories (text) declared in the DataDictionary
        self.ignore = None      # True: unseen categories allowed (asIs)
        self.col = Col(name, kind, raw=self)


class Doc:
    def __init__(self, raw_names, dtypes):
        self.raws = {}
        self.order = []
        self.derived = []       # DerivedField elements, in dependency order
        self.names = set()
        self.used = set()
        for n in raw_names:
            kind = None
            dt = (dtypes or {}).get(n)
            if dt is not None:
                s = str(dt).lower()
                numeric = s.startswith(("float", "int", "uint", "bool")) or \
                    s in ("number", "numeric")
                kind = "num" if numeric else "str"
            r = Raw(n, kind)
            self.raws[n] = r
            self.order.append(n)
            self.names.add(n)

    def fresh(self, base):
        name = base
        k = 1
        while name in self.names:
            k += 1
            name = "%s_%d" % (base, k)
        self.names.add(name)
        return name

    def need_num(self, col, who):
        if col.kind is None:
            col.kind = col.raw.kind = "num"
        if col.kind != "num":
            raise Refused("%s on the categorical column '%s' is not supported"
                          % (who, col.name))
        return col

    def derive(self, base, expr, kind, deps, origin=None):
        name = self.fresh(base)
        df = ET.Element("DerivedField", name=name,
                        optype="continuous" if kind == "num" else "categorical",
                        dataType="double" if kind == "num" else "string")
        df.append(expr)
        self.derived.append(df)
        return Col(name, kind, deps=set(deps), origin=origin)

    def use(self, cols):
        for c in cols:
            self.used |= c.deps


def apply(fn, *args):
    e = ET.Element("Apply", function=fn)
    for a in args:
        e.append(a)
    return e


def fieldref(name, **kw):
    return ET.Element("FieldRef", field=name, **kw)


def const(x):
    e = ET.Element("Constant", dataType="double")
    e.text = num(x)
    return e


# ---------------------------------------------------------------- transformers

def sk():
    """The scikit-learn classes the exporter knows, by name."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor,
                                  GradientBoostingClassifier,
                                  GradientBoostingRegressor,
                                  RandomForestClassifier,
                                  RandomForestRegressor)
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
    return {c.__name__: c for c in (
        ColumnTransformer, ExtraTreesClassifier, ExtraTreesRegressor,
        GradientBoostingClassifier, GradientBoostingRegressor,
        RandomForestClassifier, RandomForestRegressor, SimpleImputer,
        LinearRegression, LogisticRegression, Ridge, Pipeline, MinMaxScaler,
        OneHotEncoder, StandardScaler, DecisionTreeClassifier,
        DecisionTreeRegressor)}


def is_a(obj, name):
    return type(obj) is sk()[name]


def check_fitted(obj, attr):
    if not hasattr(obj, attr):
        raise BadInput("%s is not fitted" % type(obj).__name__)


def check_width(obj, cols):
    n = getattr(obj, "n_features_in_", None)
    if n is not None and n != len(cols):
        raise BadInput("%s was fitted on %d columns, but %d reach it"
                       % (type(obj).__name__, n, len(cols)))


def transform(doc, obj, cols):
    """The columns obj's transform() makes of cols."""
    if isinstance(obj, str) or obj is None:
        if obj in ("passthrough", None):
            return list(cols)
        refuse_transformer(obj)
    if is_a(obj, "Pipeline"):
        for _, step in obj.steps:
            cols = transform(doc, step, cols)
        return cols
    if is_a(obj, "ColumnTransformer"):
        return column_transformer(doc, obj, cols)
    if is_a(obj, "StandardScaler"):
        return standard_scaler(doc, obj, cols)
    if is_a(obj, "MinMaxScaler"):
        return minmax_scaler(doc, obj, cols)
    if is_a(obj, "SimpleImputer"):
        return simple_imputer(doc, obj, cols)
    if is_a(obj, "OneHotEncoder"):
        return one_hot(doc, obj, cols)
    refuse_transformer(obj)


def resolve_columns(ct, spec, cols):
    """Indices into cols that a ColumnTransformer column spec selects."""
    import numpy as np
    names = getattr(ct, "feature_names_in_", None)
    names = [str(n) for n in names] if names is not None else None

    def by_name(s):
        if names is None:
            raise BadInput("ColumnTransformer selects the column '%s' by name but "
                           "was fitted without column names" % s)
        if s not in names:
            raise BadInput("ColumnTransformer selects the unknown column '%s'" % s)
        return names.index(s)

    if callable(spec):
        raise Refused("ColumnTransformer with a callable column selection is not supported")
    if isinstance(spec, str):
        return [by_name(spec)]
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        return [int(spec) % len(cols)]
    if isinstance(spec, slice):
        if isinstance(spec.start, str) or isinstance(spec.stop, str):
            a = by_name(spec.start) if spec.start is not None else 0
            b = by_name(spec.stop) + 1 if spec.stop is not None else len(cols)
            return list(range(len(cols)))[a:b:spec.step]
        return list(range(len(cols)))[spec]
    arr = np.asarray(spec)
    if arr.size == 0:
        return []
    if arr.dtype == bool:
        return [int(i) for i in np.flatnonzero(arr)]
    if arr.dtype.kind in "iu":
        return [int(i) % len(cols) for i in arr]
    return [by_name(str(s)) for s in arr]


def column_transformer(doc, ct, cols):
    check_fitted(ct, "transformers_")
    check_width(ct, cols)
    if getattr(ct, "transformer_weights", None):
        raise Refused("ColumnTransformer with transformer_weights is not supported")
    passthrough = getattr(ct, "_name_to_fitted_passthrough", {}) or {}
    out = []
    for name, trans, spec in ct.transformers_:
        if isinstance(trans, str) and trans == "drop":
            continue
        idx = resolve_columns(ct, spec, cols)
        if not idx:
            continue
        if name in passthrough and not isinstance(trans, str):
            trans = "passthrough"
        out += transform(doc, trans, [cols[i] for i in idx])
    return out


def standard_scaler(doc, sc, cols):
    check_fitted(sc, "n_features_in_")
    check_width(sc, cols)
    out = []
    for j, c in enumerate(cols):
        doc.need_num(c, "StandardScaler")
        e = fieldref(c.name)
        if sc.with_mean:
            e = apply("-", e, const(sc.mean_[j]))
        if sc.with_std:
            e = apply("/", e, const(sc.scale_[j]))
        if not sc.with_mean and not sc.with_std:
            out.append(c)
            continue
        out.append(doc.derive("scaled(%s)" % c.name, e, "num", c.deps))
    return out


def minmax_scaler(doc, sc, cols):
    check_fitted(sc, "scale_")
    check_width(sc, cols)
    lo, hi = sc.feature_range
    out = []
    for j, c in enumerate(cols):
        doc.need_num(c, "MinMaxScaler")
        e = apply("+", apply("*", fieldref(c.name), const(sc.scale_[j])), const(sc.min_[j]))
        if getattr(sc, "clip", False):
            e = apply("min", apply("max", e, const(lo)), const(hi))
        out.append(doc.derive("minmax(%s)" % c.name, e, "num", c.deps))
    return out


def is_missing_marker(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def simple_imputer(doc, im, cols):
    import numpy as np
    check_fitted(im, "statistics_")
    check_width(im, cols)
    mv = im.missing_values
    if not (isinstance(mv, float) and math.isnan(mv)):
        raise Refused("SimpleImputer(missing_values=%r) is not supported (only NaN)" % (mv,))
    if im.add_indicator:
        raise Refused("SimpleImputer(add_indicator=True) is not supported")
    if im.strategy not in ("mean", "median", "most_frequent", "constant"):
        raise Refused("SimpleImputer(strategy=%r) is not supported" % (im.strategy,))
    keep = im.strategy == "constant" or getattr(im, "keep_empty_features", False)
    out = []
    for j, c in enumerate(cols):
        s = im.statistics_[j]
        if isinstance(s, (str, np.str_)):
            if c.kind is None:
                c.kind = c.raw.kind = "str"
            if c.kind != "str":
                raise Refused("SimpleImputer fills the numeric column '%s' with the text '%s'"
                              % (c.name, s))
            e = fieldref(c.name, mapMissingTo=str(s))
            out.append(doc.derive("imputed(%s)" % c.name, e, "str", c.deps, origin=c.origin))
            continue
        if is_missing_marker(s) and not keep:
            continue            # scikit-learn drops a column it could not fill
        try:
            v = float(s)
        except (TypeError, ValueError):
            raise Refused("SimpleImputer with the fill value %r is not supported" % (s,))
        if math.isnan(v):
            continue
        doc.need_num(c, "SimpleImputer with a number")
        e = fieldref(c.name, mapMissingTo=num(v))
        out.append(doc.derive("imputed(%s)" % c.name, e, "num", c.deps))
    return out


def one_hot(doc, enc, cols):
    import numpy as np
    check_fitted(enc, "categories_")
    check_width(enc, cols)
    if enc.handle_unknown not in ("error", "ignore"):
        raise Refused("OneHotEncoder(handle_unknown=%r) is not supported" % (enc.handle_unknown,))
    if getattr(enc, "_infrequent_enabled", False):
        raise Refused("OneHotEncoder with infrequent categories (min_frequency, "
                      "max_categories) is not supported")
    drop_idx = getattr(enc, "drop_idx_", None)
    ignore = enc.handle_unknown == "ignore"
    out = []
    for j, c in enumerate(cols):
        cats = list(enc.categories_[j])
        # missing as a category of its own (scikit-learn puts it last): its
        # indicator is isMissing, and a missing value sets no other indicator
        nan_k = [k for k, v in enumerate(cats) if is_missing_marker(v)]
        if len(nan_k) > 1:
            raise Refused("OneHotEncoder with two missing-value categories in '%s' is not "
                          "supported" % c.name)
        nan_k = nan_k[0] if nan_k else None
        if nan_k is not None:
            cats = cats[:nan_k] + cats[nan_k + 1:]
        strs = all(isinstance(v, (str, np.str_)) for v in cats)
        nums = all(isinstance(v, (int, float, np.integer, np.floating))
                   and not isinstance(v, (bool, np.bool_)) for v in cats)
        if strs:
            if c.kind is None:
                c.kind = c.raw.kind = "str"
            if c.kind != "str":
                raise Refused("OneHotEncoder with text categories on the numeric column '%s'"
                              % c.name)
            texts = [str(v) for v in cats]
        elif nums:
            doc.need_num(c, "OneHotEncoder with numeric categories")
            texts = [num(v) for v in cats]
        else:
            raise Refused("OneHotEncoder categories of '%s' mix kinds (not supported)" % c.name)
        r = c.origin
        if r is not None and c.kind == "str":
            for t in texts:
                if t not in r.values:
                    r.values.append(t)
            r.ignore = ignore if r.ignore is None else (r.ignore and ignore)
        drop = None
        if drop_idx is not None and drop_idx[j] is not None:
            drop = int(drop_idx[j])
        if nan_k is not None:
            texts = texts[:nan_k] + [None] + texts[nan_k:]
        for k, t in enumerate(texts):
            if k == drop:
                continue
            if t is None:
                e = apply("if", apply("isMissing", fieldref(c.name)), const(1), const(0))
                out.append(doc.derive("%s=missing" % c.name, e, "num", c.deps))
                continue
            attrs = {"field": c.name, "value": t}
            if ignore or nan_k is not None:
                attrs["mapMissingTo"] = "0"
            e = ET.Element("NormDiscrete", **attrs)
            out.append(doc.derive("%s=%s" % (c.name, t), e, "num", c.deps))
    return out


# ---------------------------------------------------------------- estimators

class Target:
    def __init__(self, name, classes=None, positive=None):
        self.name = name
        self.classes = classes          # list of class values, or None (regression)
        self.positive = positive

    def text(self, v):
        import numpy as np
        if isinstance(v, (bool, np.bool_)):
            raise Refused("boolean class labels are not supported (use 0/1 or text)")
        if isinstance(v, (int, np.integer)):
            return str(int(v))
        if isinstance(v, (float, np.floating)):
            return num(v)
        return str(v)

    def dtype(self):
        import numpy as np
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
               for v in self.classes):
            return "integer"
        if all(isinstance(v, (float, np.floating)) for v in self.classes):
            return "double"
        return "string"


def mining_schema(doc, target, extra=()):
    ms = ET.Element("MiningSchema")
    if target is not None:
        ET.SubElement(ms, "MiningField", name=target.name, usageType="target")
    for n in doc.order:
        if n in doc.used:
            r = doc.raws[n]
            attrs = {"name": n}
            if r.kind == "str" and r.ignore:
                attrs["invalidValueTreatment"] = "asIs"
            ET.SubElement(ms, "MiningField", **attrs)
    for n in extra:
        ET.SubElement(ms, "MiningField", name=n)
    return ms


def classes_of(est, target):
    cl = list(est.classes_)
    if target.positive is not None:
        texts = [target.text(c) for c in cl]
        if target.text(target.positive) not in texts:
            raise BadInput("the positive class '%s' is not among the classes %s"
                           % (target.text(target.positive), ", ".join(texts)))
    target.classes = cl
    return cl


def linear(doc, est, cols, target):
    import numpy as np
    for c in cols:
        doc.need_num(c, type(est).__name__)
    doc.use(cols)
    if is_a(est, "LogisticRegression"):
        check_fitted(est, "coef_")
        cl = classes_of(est, target)
        coef = np.asarray(est.coef_, dtype=float)
        icpt = np.asarray(est.intercept_, dtype=float).reshape(-1)
        if len(cl) == 2:
            tables = [(cl[1], coef[0], icpt[0]), (cl[0], None, 0.0)]
            norm = "logit"
        else:
            mc = est.multi_class
            if mc in ("ovr", "warn") or (mc == "auto" and est.solver == "liblinear"):
                raise Refused("LogisticRegression one-vs-rest with more than two classes is "
                              "not supported (multi_class='multinomial' is)")
            tables = [(cl[k], coef[k], icpt[k]) for k in range(len(cl))]
            norm = "softmax"
        m = ET.Element("RegressionModel", functionName="classification",
                       normalizationMethod=norm)
    else:
        check_fitted(est, "coef_")
        coef = np.asarray(est.coef_, dtype=float)
        if coef.ndim > 1 and coef.shape[0] != 1:
            raise Refused("%s with several targets is not supported" % type(est).__name__)
        coef = coef.reshape(-1)
        icpt = np.asarray(est.intercept_, dtype=float).reshape(-1)
        tables = [(None, coef, icpt[0] if icpt.size else 0.0)]
        m = ET.Element("RegressionModel", functionName="regression")
    if coef.shape[-1] != len(cols):
        raise BadInput("%s has %d coefficients for %d columns"
                       % (type(est).__name__, coef.shape[-1], len(cols)))
    m.append(mining_schema(doc, target))
    for cat, w, b in tables:
        t = ET.SubElement(m, "RegressionTable", intercept=num(b))
        if cat is not None:
            t.set("targetCategory", target.text(cat))
        if w is not None:
            for c, x in zip(cols, w):
                ET.SubElement(t, "NumericPredictor", name=c.name, coefficient=num(x))
    return m


def tree_nodes(tree, cols, leaf):
    """The Node element of tree (a sklearn Tree); leaf(node, el) fills a leaf."""
    left, right = tree.children_left, tree.children_right
    feat, thr = tree.feature, tree.threshold
    cover = tree.weighted_n_node_samples
    root = ET.Element("Node", id="0", recordCount=num(cover[0]))
    ET.SubElement(root, "True")
    stack = [(0, root)]
    while stack:
        i, el = stack.pop()
        if left[i] == -1:
            leaf(i, el)
            continue
        f = cols[feat[i]].name
        t = num(f32_threshold(thr[i]))
        for kid, op in ((left[i], "lessOrEqual"), (right[i], "greaterThan")):
            k = ET.SubElement(el, "Node", id=str(int(kid)), recordCount=num(cover[kid]))
            ET.SubElement(k, "SimplePredicate", field=f, operator=op, value=t)
            stack.append((kid, k))
    return root


def tree_model(doc, tree, cols, target, classification, scale=None):
    """A TreeModel of one fitted sklearn Tree (tree_)."""
    import numpy as np
    if tree.n_outputs != 1:
        raise Refused("trees with several outputs are not supported")
    if tree.max_depth > MAX_TREE_DEPTH:
        raise Refused("a tree %d levels deep is not supported (the PMML reader nests "
                      "elements at most 256 deep: at most %d levels; set max_depth)"
                      % (tree.max_depth, MAX_TREE_DEPTH))
    m = ET.Element("TreeModel",
                   functionName="classification" if classification else "regression",
                   missingValueStrategy="nullPrediction",
                   noTrueChildStrategy="returnNullPrediction",
                   splitCharacteristic="binarySplit")
    m.append(mining_schema(doc, target if classification else None))
    value = tree.value
    if classification:
        # predict_proba: the leaf's class weights divided by their sum, as
        # DecisionTreeClassifier.predict_proba computes it (0 sums -> 1)
        proba = value[:, 0, :]
        normalizer = proba.sum(axis=1)[:, np.newaxis]
        normalizer[normalizer == 0.0] = 1.0
        proba = proba / normalizer
        texts = [target.text(c) for c in target.classes]
        if proba.shape[1] != len(texts):
            raise BadInput("a tree has %d classes, the model %d" % (proba.shape[1], len(texts)))

        def leaf(i, el):
            el.set("score", texts[int(np.argmax(proba[i]))])
            for k, t in enumerate(texts):
                ET.SubElement(el, "ScoreDistribution", value=t,
                              recordCount=num(value[i, 0, k]), probability=num(proba[i, k]))
    else:
        def leaf(i, el):
            v = float(value[i, 0, 0])
            if scale is not None:
                v = float(scale) * v
            el.set("score", num(v))
    m.append(tree_nodes(tree, cols, leaf))
    return m


def const_tree(doc, v, cover):
    m = ET.Element("TreeModel", functionName="regression")
    m.append(mining_schema(doc, None))
    n = ET.SubElement(m, "Node", id="0", score=num(v), recordCount=num(cover))
    ET.SubElement(n, "True")
    return m


def segmentation(method, models):
    s = ET.Element("Segmentation", multipleModelMethod=method)
    for i, mdl in enumerate(models):
        seg = ET.SubElement(s, "Segment", id=str(i + 1))
        ET.SubElement(seg, "True")
        seg.append(mdl)
    return s


def single_tree(doc, est, cols, target, classification):
    check_fitted(est, "tree_")
    check_width(est, cols)
    for c in cols:
        doc.need_num(c, type(est).__name__)
    doc.use(cols)
    if classification:
        classes_of(est, target)
    return tree_model(doc, est.tree_, cols, target, classification)


def forest(doc, est, cols, target, classification):
    check_fitted(est, "estimators_")
    check_width(est, cols)
    for c in cols:
        doc.need_num(c, type(est).__name__)
    doc.use(cols)
    if classification:
        if getattr(est, "n_outputs_", 1) != 1:
            raise Refused("%s with several outputs is not supported" % type(est).__name__)
        classes_of(est, target)
    trees = [tree_model(doc, t.tree_, cols, target, classification) for t in est.estimators_]
    m = ET.Element("MiningModel",
                   functionName="classification" if classification else "regression")
    m.append(mining_schema(doc, target if classification else None))
    m.append(segmentation("average", trees))
    return m


def boosting(doc, est, cols, target, classification):
    import numpy as np
    check_fitted(est, "estimators_")
    check_width(est, cols)
    for c in cols:
        doc.need_num(c, type(est).__name__)
    doc.use(cols)
    name = type(est).__name__
    if classification:
        cl = classes_of(est, target)
        if len(cl) != 2:
            raise Refused("GradientBoostingClassifier with more than two classes is not supported")
        if est.loss not in ("log_loss", "deviance"):
            raise Refused("GradientBoostingClassifier(loss=%r) is not supported" % (est.loss,))
    init = est.init_
    if not (isinstance(init, str) and init == "zero") and \
            type(init).__name__ not in ("DummyClassifier", "DummyRegressor"):
        raise Refused("%s with the init estimator %s is not supported"
                      % (name, type(init).__name__))
    # the initial raw prediction, as scikit-learn computes it (X is not read)
    raw0 = est._raw_predict_init(np.zeros((1, est.n_features_in_), dtype=np.float32))
    raw0 = float(np.asarray(raw0).reshape(-1)[0])
    stages = est.estimators_
    cover = stages[0, 0].tree_.weighted_n_node_samples[0] if stages.shape[0] else 1.0
    models = [const_tree(doc, raw0, cover)]
    lr = float(est.learning_rate)
    for i in range(stages.shape[0]):
        models.append(tree_model(doc, stages[i, 0].tree_, cols, None, False, scale=lr))
    summ = ET.Element("MiningModel", functionName="regression")
    summ.append(mining_schema(doc, None))
    if not classification:
        summ.append(segmentation("sum", models))
        return summ
    margin = doc.fresh("gradient_boosting_margin")
    out = ET.SubElement(summ, "Output")
    ET.SubElement(out, "OutputField", name=margin, optype="continuous", dataType="double",
                  feature="predictedValue", isFinalResult="false")
    summ.append(segmentation("sum", models))
    reg = ET.Element("RegressionModel", functionName="classification",
                     normalizationMethod="logit")
    ms = ET.SubElement(reg, "MiningSchema")
    ET.SubElement(ms, "MiningField", name=target.name, usageType="target")
    ET.SubElement(ms, "MiningField", name=margin)
    t = ET.SubElement(reg, "RegressionTable", intercept="0", targetCategory=target.text(cl[1]))
    ET.SubElement(t, "NumericPredictor", name=margin, coefficient="1")
    ET.SubElement(reg, "RegressionTable", intercept="0", targetCategory=target.text(cl[0]))
    m = ET.Element("MiningModel", functionName="classification")
    m.append(mining_schema(doc, target))
    m.append(segmentation("modelChain", [summ, reg]))
    return m


def estimator(doc, est, cols, target):
    """The PMML model element of the final estimator est reading cols."""
    if isinstance(est, str) or est is None:
        raise Refused("a pipeline ending in %r has no estimator" % (est,))
    n = type(est).__name__
    if n in ("LogisticRegression", "LinearRegression", "Ridge") and is_a(est, n):
        check_width(est, cols)
        return linear(doc, est, cols, target), n == "LogisticRegression"
    if n in ("DecisionTreeClassifier", "DecisionTreeRegressor") and is_a(est, n):
        cls = n.endswith("Classifier")
        return single_tree(doc, est, cols, target, cls), cls
    if n in ("RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier",
             "ExtraTreesRegressor") and is_a(est, n):
        cls = n.endswith("Classifier")
        return forest(doc, est, cols, target, cls), cls
    if n in ("GradientBoostingClassifier", "GradientBoostingRegressor") and is_a(est, n):
        cls = n.endswith("Classifier")
        return boosting(doc, est, cols, target, cls), cls
    refuse_estimator(est)


# ---------------------------------------------------------------- document

def input_names(model, features):
    names = getattr(model, "feature_names_in_", None)
    n = getattr(model, "n_features_in_", None)
    if n is None and hasattr(model, "steps"):
        n = getattr(model.steps[0][1], "n_features_in_", None)
    if names is not None:
        return [str(s) for s in names]
    if n is None:
        raise BadInput("%s is not fitted (it has no n_features_in_)" % type(model).__name__)
    if features is not None:
        features = [str(s) for s in features]
        if len(features) != n:
            raise BadInput("%d feature names for a model fitted on %d columns"
                           % (len(features), n))
        if len(set(features)) != len(features):
            raise BadInput("the feature names repeat a name")
        return features
    return ["x%d" % i for i in range(n)]


def export(model, features=None, positive=None, dtypes=None, target_name=None):
    """The PMML document (an ElementTree element) of a fitted model."""
    if not hasattr(model, "fit"):
        raise BadInput("the pickle holds a %s, not a scikit-learn model" % type(model).__name__)
    final = model.steps[-1][1] if is_a(model, "Pipeline") and model.steps else model
    if type(final).__name__ not in SUPPORTED_ESTIMATORS + SUPPORTED_TRANSFORMERS \
            or type(final).__module__.split(".")[0] != "sklearn":
        refuse_estimator(final)     # before asking whether it is fitted
    names = input_names(model, features)
    doc = Doc(names, dtypes)
    cols = [doc.raws[n].col for n in names]
    est = model
    if is_a(model, "Pipeline"):
        for _, step in model.steps[:-1]:
            cols = transform(doc, step, cols)
        est = model.steps[-1][1]
    elif type(model).__name__ in SUPPORTED_TRANSFORMERS:
        raise Refused("%s has no final estimator (nothing to predict)" % type(model).__name__)
    tname = target_name or "target"
    while tname in doc.names:
        tname += "_"
    target = Target(tname, positive=positive)
    body, classification = estimator(doc, est, cols, target)

    pmml = ET.Element("PMML", xmlns=PMML_NS, version="4.4")
    hd = ET.SubElement(pmml, "Header", description="exported from scikit-learn's %s"
                       % type(model).__name__)
    ET.SubElement(hd, "Application", name="rai-audit rai_audit_export.py", version=VERSION)
    dd = ET.SubElement(pmml, "DataDictionary")
    for n in doc.order:
        if n not in doc.used:
            continue
        r = doc.raws[n]
        if r.kind == "str":
            f = ET.SubElement(dd, "DataField", name=n, optype="categorical", dataType="string")
            for v in r.values:
                ET.SubElement(f, "Value", value=v)
        else:
            ET.SubElement(dd, "DataField", name=n, optype="continuous", dataType="double")
    if classification:
        f = ET.SubElement(dd, "DataField", name=target.name, optype="categorical",
                          dataType=target.dtype())
        texts = [target.text(c) for c in target.classes]
        if positive is not None:
            # the positive class last: audit-predict's default when 1 is not a class
            p = target.text(positive)
            texts = [t for t in texts if t != p] + [p]
        for t in texts:
            ET.SubElement(f, "Value", value=t)
    else:
        ET.SubElement(dd, "DataField", name=target.name, optype="continuous", dataType="double")
    dd.set("numberOfFields", str(len(dd)))
    if doc.derived:
        td = ET.SubElement(pmml, "TransformationDictionary")
        for d in doc.derived:
            td.append(d)
    pmml.append(body)
    return pmml


def load(path):
    try:
        with open(path, "rb") as f:
            obj = pickle.load(f)
    except OSError as e:
        raise BadInput("cannot read '%s': %s" % (path, e.strerror or e))
    except ImportError as e:
        raise BadInput("cannot load '%s': it needs the Python module '%s', which %s cannot "
                       "import" % (path, getattr(e, "name", None) or e, sys.executable))
    except Exception as e:      # a corrupt or foreign pickle raises many kinds
        raise BadInput("'%s' is not a readable pickle of a model (%s: %s)"
                       % (path, type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
    if isinstance(obj, dict):
        if "model" not in obj:
            raise BadInput("'%s' holds a dict without a 'model' key" % path)
        return (obj["model"], obj.get("features"), obj.get("positive"), obj.get("dtypes"),
                obj.get("target"))
    return obj, None, None, None, None


def write_atomic(path, data):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # as an ordinary new file, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="rai_audit_export.py",
        description="Export a fitted scikit-learn model (a pickle) to PMML 4.4 for rai-audit.")
    ap.add_argument("model", metavar="MODEL.pkl",
                    help="a pickled estimator, or a dict {'model': ..., 'features': [...], "
                    "'positive': ..., 'dtypes': {...}}")
    ap.add_argument("-o", "--output", metavar="MODEL.pmml", required=True,
                    help="the PMML file to write (atomically)")
    ap.add_argument("--features", metavar="A,B,...",
                    help="input column names when the model was fitted on an array")
    ap.add_argument("--positive", metavar="CLASS",
                    help="the positive class, written last among the target's values")
    ap.add_argument("--target", metavar="NAME", help="the target field's name (default target)")
    args = ap.parse_args(argv)
    try:
        model, feats, pos, dtypes, tname = load(args.model)
        if args.features is not None:
            feats = args.features.split(",")
        if args.positive is not None:
            pos = args.positive
        if args.target is not None:
            tname = args.target
        if pos is not None and isinstance(pos, str) and hasattr(model, "classes_"):
            for c in model.classes_:        # --positive 1 names the class 1
                if str(c) == pos:
                    pos = c
        pmml = export(model, feats, pos, dtypes, tname)
        if hasattr(ET, "indent"):
            ET.indent(pmml, space=" ")
        data = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                + ET.tostring(pmml, encoding="unicode") + "\n").encode("utf-8")
    except Refused as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        return 2
    except BadInput as e:
        sys.stderr.write("%s: %s\n" % (PROG, e))
        return 3
    try:
        write_atomic(args.output, data)
    except OSError as e:
        sys.stderr.write("%s: cannot write '%s': %s\n" % (PROG, args.output, e.strerror or e))
        return 5
    return 0


if __name__ == "__main__":
    sys.exit(main())
