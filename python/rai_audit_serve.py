#!/usr/bin/env python3
"""Serve a pickled model to rai-audit's --model-cmd, over any --model-protocol.

usage: python3 python/rai_audit_serve.py [--positive CLASS] [--features COLS] MODEL.pkl

    bin/audit-explain --model-cmd 'python3 python/rai_audit_serve.py model.pkl' \\
        --model-protocol binary --background data.csv --rows 10 data.csv

MODEL.pkl holds a fitted object with predict_proba (a classifier: the score is
the probability of the positive class) or predict (a regressor: the score is
the prediction), such as a scikit-learn Pipeline, or a dict
    {"model": object, "features": [column, ...], "positive": class,
     "dtypes": {column: "float64" | "object" | ...}}
(every key but "model" optional; examples/train-sklearn-example.py writes one).

The protocol is told from the first bytes of standard input: "RAIAUDB1" is the
binary protocol, "@batch " the stream protocol, anything else one batch (a CSV
with a header, then end of input). docs/model-protocol.md describes all three.
Standard output carries the scores and nothing else (whatever the model prints
goes to standard error); each frame is answered with one write and a flush.

The model gets a pandas DataFrame whose columns are, in this order of
preference: --features, the model's feature_names_in_, the dict's "features",
or every input column. Each column has the kind the model was trained on:
numbers as float, categories as str (object dtype), missing values as NaN. The
kind of a column comes from the dict's "dtypes", else from the model itself (a
OneHotEncoder or OrdinalEncoder fitted on strings wants str, one fitted on
numbers or a scaler wants float), else from what the tool sends. A number sent
for a column the model saw as text becomes the text it was trained on when one
matches (1.0 is "1" when the training values were "1", "1.0" when they were
"1.0"), else its shortest form ("1", "2.5"); text sent for a numeric column is
read as a number.

The positive class is --positive, else the dict's "positive", else 1 when it
is a class, else the last of the model's classes.

Errors are one line on standard error, "rai_audit_serve: ...", and a non-zero
exit status: 2 when the model cannot be used (no such file, not a pickle, no
predict_proba or predict, an unknown positive class, a bad option), 1 when
serving fails (a malformed frame, a column missing from the input, a value
the model cannot take, an exception in the model). rai-audit quotes that line.

Only load pickles you trust: unpickling runs code. Needs Python 3 with numpy
and pandas, and whatever the pickle was made with (scikit-learn, ...).
"""
import argparse
import io
import math
import os
import pickle
import struct
import sys
import warnings

PROG = "rai_audit_serve"
MAGIC = b"RAIAUDB1"


class ServeError(Exception):
    """An error reported as one line on stderr with the given exit status."""

    def __init__(self, msg, status=1):
        Exception.__init__(self, msg)
        self.status = status


def one_line(text):
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------
# The model: loading, the positive class, the kinds of its columns


class Served:
    """The model and what the helper knows about its input columns."""

    def __init__(self, path, positive=None, features=None):
        try:
            with open(path, "rb") as f:
                obj = pickle.load(f)
        except OSError as e:
            raise ServeError("cannot open '%s': %s" % (path, e.strerror or e), 2)
        except ImportError as e:
            raise ServeError("cannot load '%s': %s (the pickle needs that module)"
                             % (path, one_line(e)), 2)
        except Exception as e:  # any unpickling failure: not a pickle, truncated
            raise ServeError("cannot load '%s': not a pickle (%s: %s)"
                             % (path, type(e).__name__, one_line(e)), 2)
        dtypes, listed = None, None
        model = obj
        if isinstance(obj, dict):
            if "model" not in obj:
                raise ServeError("'%s' holds a dict without a \"model\" key" % path, 2)
            model = obj["model"]
            listed = obj.get("features")
            dtypes = obj.get("dtypes")
            if positive is None and obj.get("positive") is not None:
                positive = obj["positive"]
        self.model = model
        self.proba = callable(getattr(model, "predict_proba", None))
        if not self.proba and not callable(getattr(model, "predict", None)):
            raise ServeError("the object in '%s' (%s) has neither predict_proba nor predict"
                             % (path, type(model).__name__), 2)
        self.column = self.positive_column(positive) if self.proba else None
        if features:
            self.features = list(features)
        elif getattr(model, "feature_names_in_", None) is not None:
            self.features = [str(c) for c in model.feature_names_in_]
        elif listed is not None:
            self.features = [str(c) for c in listed]
        else:
            self.features = None  # every input column, in the input's order
        self.kinds = {}  # column -> ("float", None) or ("str", {number: text})
        names = self.features
        try:
            infer_kinds(model, names, self.kinds)
        except Exception:  # an estimator we do not understand: the data decide
            self.kinds = {}
        for name, kind in dtype_kinds(dtypes).items():
            mapping = self.kinds.get(name, (None, None))[1]
            self.kinds[name] = (kind, mapping if kind == "str" else None)

    def positive_column(self, positive):
        classes = getattr(self.model, "classes_", None)
        if classes is None:
            if positive is not None:
                raise ServeError("--positive '%s' given, but the model has no classes_"
                                 % positive, 2)
            return -1
        classes = list(classes)
        if positive is not None:
            for i, c in enumerate(classes):
                if same_class(c, positive):
                    return i
            raise ServeError("positive class '%s' is not one of the model's classes: %s"
                             % (positive, ", ".join(str(c) for c in classes)), 2)
        for i, c in enumerate(classes):
            if same_class(c, 1):
                return i
        return len(classes) - 1

    def score(self, frame):
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="X has feature names")
                warnings.filterwarnings("ignore", message="X does not have valid feature names")
                if self.proba:
                    out = self.model.predict_proba(frame)
                    out = np.asarray(out, dtype=float)
                    scores = out[:, self.column] if out.ndim == 2 else out
                else:
                    scores = np.asarray(self.model.predict(frame), dtype=float)
        except Exception as e:
            raise ServeError("the model failed: %s: %s" % (type(e).__name__, one_line(e)))
        scores = np.ascontiguousarray(scores, dtype=float).reshape(-1)
        if scores.shape[0] != len(frame):
            raise ServeError("the model returned %d scores for %d rows"
                             % (scores.shape[0], len(frame)))
        bad = np.flatnonzero(~np.isfinite(scores))
        if bad.size:
            raise ServeError("the model returned %r for row %d of the frame"
                             % (float(scores[bad[0]]), bad[0] + 1))
        return scores


def same_class(c, wanted):
    """True when class c is the class named wanted (a value or its text)."""
    if isinstance(c, (bool, np.bool_)):
        return str(wanted).lower() in (str(bool(c)).lower(), str(int(c)))
    if isinstance(c, (int, float, np.integer, np.floating)):
        try:
            return float(c) == float(wanted)
        except (TypeError, ValueError):
            return False
    return str(c) == str(wanted)


def dtype_kinds(dtypes):
    """{column: "float" | "str"} from a dict (or pandas Series) of dtypes."""
    if dtypes is None:
        return {}
    if hasattr(dtypes, "items"):
        pairs = dtypes.items()
    else:
        raise ServeError("the pickle's \"dtypes\" is not a dict of column: dtype", 2)
    kinds = {}
    for name, t in pairs:
        t = str(t).lower()
        numeric = t.startswith(("float", "int", "uint", "bool")) or t in ("number", "numeric")
        kinds[str(name)] = "float" if numeric else "str"
    return kinds


ENCODERS = ("OneHotEncoder", "OrdinalEncoder")
NUMERIC = ("StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "Normalizer",
           "PowerTransformer", "QuantileTransformer", "KBinsDiscretizer", "SplineTransformer",
           "PolynomialFeatures", "Binarizer")


def category_mapping(categories):
    """{number: text} for the categories that read as numbers ("1" -> 1.0)."""
    mapping = {}
    for s in categories:
        if not isinstance(s, str):
            continue
        try:
            v = float(s)
        except ValueError:
            continue
        if not math.isnan(v) and v not in mapping:
            mapping[v] = s
    return mapping


def select(ct, spec, names):
    """The column names a ColumnTransformer entry selects (None: unknown)."""
    known = getattr(ct, "feature_names_in_", None)
    known = [str(c) for c in known] if known is not None else names
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, slice):
        return known[spec] if known is not None else None
    spec = list(np.asarray(spec).reshape(-1)) if not isinstance(spec, list) else spec
    if all(isinstance(s, str) for s in spec):
        return list(spec)
    if known is None:
        return None
    if all(isinstance(s, (bool, np.bool_)) for s in spec):
        return [c for c, keep in zip(known, spec) if keep]
    return [known[int(i)] for i in spec]


def infer_kinds(est, names, kinds):
    """Fills kinds with what est, receiving the columns names, was fitted on."""
    if names is None:
        names = getattr(est, "feature_names_in_", None)
        names = [str(c) for c in names] if names is not None else None
    kind = type(est).__name__
    if kind == "Pipeline":
        for _, step in est.steps:
            if step is None or step == "passthrough":
                continue
            if type(step).__name__ == "SimpleImputer":
                stats = getattr(step, "statistics_", None)
                if stats is not None and np.asarray(stats).dtype.kind in "OUS" and names:
                    for c in names:
                        kinds.setdefault(c, ("str", None))
                continue  # one column in, one column out: look at the next step
            infer_kinds(step, names, kinds)
            return
    elif kind == "ColumnTransformer":
        for _, trans, spec in est.transformers_:
            if isinstance(trans, str):  # "drop", "passthrough": no kind known
                continue
            cols = select(est, spec, names)
            if cols:
                infer_kinds(trans, cols, kinds)
    elif kind in ENCODERS and names is not None:
        for c, cats in zip(names, est.categories_):
            cats = np.asarray(cats)
            if cats.dtype.kind in "OUS":
                kinds[c] = ("str", category_mapping(cats))
            else:
                kinds[c] = ("float", None)
    elif kind in NUMERIC and names is not None:
        for c in names:
            kinds[c] = ("float", None)
    elif names is not None and callable(getattr(est, "predict", None)):
        # a final estimator given the columns as they are: numbers
        for c in names:
            kinds.setdefault(c, ("float", None))


# ---------------------------------------------------------------------------
# Columns: what the tool sent, turned into what the model wants


def number_text(v, mapping):
    if v in mapping:
        return mapping[v]
    if v == int(v) and abs(v) < 1e16:
        return str(int(v))
    return repr(float(v))


def to_kind(name, values, served):
    """values (float64 or object array, NaN = missing) as the column's kind."""
    kind, mapping = served.kinds.get(name, (None, None))
    if kind is None:
        return values
    if kind == "float" and values.dtype == object:
        out = np.full(values.shape[0], np.nan)
        text = np.array([isinstance(v, str) for v in values], dtype=bool)
        if text.any():
            uniq, inverse = np.unique(values[text].astype(str), return_inverse=True)
            numbers = np.empty(uniq.shape[0])
            for i, v in enumerate(uniq):
                try:
                    numbers[i] = float(v)
                except ValueError:
                    raise ServeError("column '%s': '%s' is not a number, and the model "
                                     "was trained on numbers" % (name, v))
            out[text] = numbers[inverse]
        return out
    if kind == "str" and values.dtype != object:
        mapping = mapping or {}
        out = np.full(values.shape[0], np.nan, dtype=object)
        seen = ~np.isnan(values)
        if seen.any():
            uniq, inverse = np.unique(values[seen], return_inverse=True)
            texts = np.array([number_text(v, mapping) for v in uniq.tolist()], dtype=object)
            out[seen] = texts[inverse]
        return out
    return values


def make_frame(columns, served):
    """The DataFrame the model gets, from {name: array} of what was sent."""
    names = served.features if served.features is not None else list(columns)
    missing = [c for c in names if c not in columns]
    if missing:
        raise ServeError("column '%s' the model needs is not in the input (its columns: %s)"
                         % (missing[0], ", ".join(columns)))
    return pd.DataFrame({c: to_kind(c, columns[c], served) for c in names}, columns=names)


def csv_columns(data):
    """{name: array} of a CSV text (bytes): numbers as float, else text, "" missing."""
    try:
        # a blank line is a row whose one field is missing, not a line to skip
        raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False,
                          na_filter=False, skip_blank_lines=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise ServeError("the input has no CSV header")
    except Exception as e:
        raise ServeError("cannot read the input CSV: %s" % one_line(e))
    header = [str(c) for c in raw.columns]
    if len(set(header)) != len(header):
        raise ServeError("the input CSV repeats a column name")
    columns = {}
    for name in header:
        text = raw[name].to_numpy(dtype=object)
        missing = text == ""
        try:
            values = np.where(missing, "nan", text).astype(float)
        except ValueError:
            values = text.copy()
            values[missing] = np.nan
        columns[name] = values
    return columns


# ---------------------------------------------------------------------------
# The three protocols


def read_exact(inp, n, what):
    data = inp.read(n)
    if len(data) != n:
        raise ServeError("the input ended inside %s (%d of %d bytes)" % (what, len(data), n))
    return data


def serve_batch(prefix, inp, out, served):
    data = prefix + inp.read()
    frame = make_frame(csv_columns(data), served)
    scores = served.score(frame) if len(frame) else []
    out.write("".join(repr(float(s)) + "\n" for s in scores).encode())
    out.flush()


def read_record(inp, first=None):
    """One CSV record (bytes, may span lines: quotes are counted)."""
    parts = [first] if first is not None else []
    quotes = first.count(b'"') if first is not None else 0
    while True:
        if parts and quotes % 2 == 0 and parts[-1].endswith(b"\n"):
            return b"".join(parts)
        line = inp.readline()
        if not line:
            raise ServeError("the input ended inside a frame")
        parts.append(line)
        quotes += line.count(b'"')


def serve_stream(prefix, inp, out, served):
    line = prefix + inp.readline()
    nframe = 0
    while line:
        nframe += 1
        head = line.rstrip(b"\r\n").split(b" ")
        if len(head) != 2 or head[0] != b"@batch" or not head[1].isdigit() or int(head[1]) < 1:
            raise ServeError("frame %d: expected '@batch N', got '%s'"
                             % (nframe, one_line(line.decode("utf-8", "replace"))[:60]))
        n = int(head[1])
        records = [read_record(inp) for _ in range(n + 1)]
        columns = csv_columns(b"".join(records))
        frame = make_frame(columns, served)
        if len(frame) != n:
            raise ServeError("frame %d: %d rows announced, %d read" % (nframe, n, len(frame)))
        scores = served.score(frame)
        out.write(("\n".join(repr(s) for s in scores.tolist()) + "\n").encode())
        out.flush()
        line = inp.readline()


def read_string(inp, what):
    (n,) = struct.unpack("<I", read_exact(inp, 4, what))
    try:
        return read_exact(inp, n, what).decode("utf-8")
    except UnicodeDecodeError:
        raise ServeError("%s is not UTF-8" % what)


def serve_binary(inp, out, served):
    (nfeat,) = struct.unpack("<I", read_exact(inp, 4, "the handshake"))
    if nfeat < 1:
        raise ServeError("the handshake announces no feature")
    names, categorical = [], []
    for j in range(nfeat):
        (kind,) = read_exact(inp, 1, "the handshake")
        if kind not in (0, 1):
            raise ServeError("the handshake gives feature %d the kind %d (0 or 1 expected)"
                             % (j + 1, kind))
        names.append(read_string(inp, "the handshake"))
        categorical.append(kind == 1)
    if len(set(names)) != len(names):
        raise ServeError("the handshake repeats a column name")
    make_frame({c: np.zeros(0) for c in names}, served)  # a missing column fails now
    out.write(MAGIC)
    out.flush()
    dicts = [[] for _ in names]
    arrays = [np.empty(0, dtype=object) for _ in names]
    nframe = 0
    while True:
        head = inp.read(8)
        if not head:
            return
        nframe += 1
        what = "frame %d" % nframe
        if len(head) != 8:
            raise ServeError("the input ended inside %s" % what)
        (n,) = struct.unpack("<Q", head)
        if n < 1:
            raise ServeError("%s announces no row" % what)
        for j in range(nfeat):
            if not categorical[j]:
                continue
            (k,) = struct.unpack("<I", read_exact(inp, 4, what))
            if k:
                dicts[j].extend(read_string(inp, what) for _ in range(k))
                arrays[j] = np.array(dicts[j], dtype=object)
        block = np.frombuffer(read_exact(inp, 8 * n * nfeat, what), dtype="<f8")
        block = block.reshape(nfeat, n)
        columns = {}
        for j, name in enumerate(names):
            values = block[j]
            if categorical[j]:
                seen = ~np.isnan(values)
                codes = values[seen]
                ok = (codes >= 0) & (codes < len(dicts[j])) & (codes == np.floor(codes))
                if not ok.all():
                    raise ServeError("%s: column '%s': code %r is not in its dictionary "
                                     "of %d categories"
                                     % (what, name, float(codes[~ok][0]), len(dicts[j])))
                text = np.full(n, np.nan, dtype=object)
                text[seen] = arrays[j][codes.astype(np.int64)]
                values = text
            else:
                values = values.astype(float)  # native byte order, writable
            columns[name] = values
        scores = served.score(make_frame(columns, served))
        out.write(struct.pack("<Q", n) + scores.astype("<f8").tobytes())
        out.flush()


# ---------------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ServeError("%s (usage: %s [--positive CLASS] [--features COLS] MODEL.pkl)"
                         % (message, PROG + ".py"), 2)


def serve(argv, out):
    ap = Parser(prog=PROG, description=__doc__.split("\n")[0])
    ap.add_argument("model", help="the pickle: a fitted model or a dict with \"model\"")
    ap.add_argument("--positive", help="the class whose probability is the score")
    ap.add_argument("--features", help="the model's columns, comma-separated, in order")
    args = ap.parse_args(argv)
    global np, pd
    try:
        import numpy as np
        import pandas as pd
    except ImportError as e:
        raise ServeError("%s (install numpy and pandas: Debian's python3-pandas)" % e, 2)
    features = [c for c in args.features.split(",")] if args.features else None
    served = Served(args.model, args.positive, features)

    inp = sys.stdin.buffer
    prefix = b""
    while len(prefix) < len(MAGIC):
        chunk = inp.read(len(MAGIC) - len(prefix))
        if not chunk:
            break
        prefix += chunk
    if not prefix:
        return  # nothing to score
    if prefix == MAGIC:
        serve_binary(inp, out, served)
    elif prefix.startswith(b"@batch "):
        serve_stream(prefix, inp, out, served)
    else:
        serve_batch(prefix, inp, out, served)


def main():
    # Scores go to the real standard output; anything else written to it (the
    # model's prints, a C library's) goes to standard error instead.
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    status = 0
    try:
        serve(sys.argv[1:], out)
    except ServeError as e:
        sys.stderr.write("%s: %s\n" % (PROG, one_line(e)))
        status = e.status
    except BrokenPipeError:
        sys.stderr.write("%s: the tool stopped reading the scores\n" % PROG)
        status = 1
    except KeyboardInterrupt:
        status = 130
    except Exception as e:
        sys.stderr.write("%s: internal error: %s: %s\n" % (PROG, type(e).__name__, one_line(e)))
        status = 1
    try:
        out.close()
    except OSError:
        pass
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
