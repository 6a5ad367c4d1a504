#!/bin/sh
# serve-sklearn.sh — python/rai_audit_serve.py: scikit-learn Pipelines whose
# ColumnTransformer selects columns by name, trained here on audit-synth data,
# served through audit-predict --model-cmd (batch; stream and binary when the
# tools have --model-protocol) and through a small protocol driver written
# here (Python standard library and struct only: frames, growing category
# dictionaries, missing values, quoted text, a numeric column the model saw as
# text, many frames). Every score is compared with the model's own
# predict_proba on a DataFrame built here with the training kinds (1e-12). Then
# the helper's error paths (one line on stderr, non-zero exit), a model that
# prints (stdout carries scores only), and the README's scikit-learn commands
# as written. Runs where a python3 imports sklearn and pandas (Debian:
# python3-sklearn, python3-pandas; tried: python3, then /usr/bin/python3);
# skips, saying so, otherwise.
. tests/e2e/lib.sh

PY=$(t_python sklearn pandas)
if [ -z "$PY" ]; then
	t_skip serve-sklearn "no python3 imports sklearn and pandas (apt-get install python3-sklearn python3-pandas to run it)"
	t_done
	exit $?
fi
echo "# using $PY ($("$PY" -c 'import sklearn, pandas; print("scikit-learn", sklearn.__version__, "pandas", pandas.__version__)'))"
if [ ! -x "$BIN/audit-synth" ] || [ ! -x "$BIN/audit-predict" ]; then
	t_skip serve-sklearn "$BIN/audit-synth or $BIN/audit-predict is not built (make all)"
	t_done
	exit $?
fi
ROOT=$(pwd)
SERVE="$ROOT/python/rai_audit_serve.py"
HAVE_PROTOCOL=
if "$BIN/audit-predict" --help 2>/dev/null | grep -q -- '--model-protocol'; then HAVE_PROTOCOL=1; fi

# maxdiff A B: the largest |a - b| over the lines after the headers; nothing
# (a failure for t_close) when the files differ in length or hold a non-number.
maxdiff() {
	paste -d, "$1" "$2" | awk -F, '
		NR == 1 { next }
		NF != 2 || $1 !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ || $2 !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ { bad = 1 }
		{ d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d; n++ }
		END { if (!bad && n > 0) printf "%.3g", m + 0 }'
}
# score_col FILE COL: the column COL of a CSV with a header, as "score" then values
score_col() {
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; print "score"; next } { print $k }' "$1"
}

data="$T_TMP/credit.csv"
"$BIN/audit-synth" --rows 3000 --seed 5 -q -o "$data"
# the same rows with holes: age missing in every 7th row, region in every 11th
awk -F, -v OFS=, 'NR > 1 && NR % 7 == 3 { $2 = "" } NR > 1 && NR % 11 == 5 { $10 = "" } { print }' \
    "$data" >"$T_TMP/credit-na.csv"

# Two models, trained on DataFrames:
#  lr: StandardScaler on four numbers, OneHotEncoder on region and sex,
#      LogisticRegression; pickled bare (its feature_names_in_ name its columns)
#  rf: median imputer + scaler on three numbers, OneHotEncoder on region, sex and
#      num_accounts, the last as text ("0", "1", ...: the tools send numbers),
#      RandomForest; pickled as {"model", "positive"}
# want-*.txt: each model's predict_proba[:, 1] on credit.csv and credit-na.csv,
# read with the training kinds.
cat >"$T_TMP/train.py" <<'EOF'
import pickle, sys
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
tmp = sys.argv[1]
df = pd.read_csv(tmp + "/credit.csv")
lr_num = ["age", "income", "debt_ratio", "late_payments"]
lr = Pipeline([("pre", ColumnTransformer([
    ("num", StandardScaler(), lr_num),
    ("cat", OneHotEncoder(handle_unknown="ignore"), ["region", "sex"])])),
    ("clf", LogisticRegression(max_iter=1000))])
lr.fit(df[lr_num + ["region", "sex"]].astype({c: float for c in lr_num}), df["label"])
pickle.dump(lr, open(tmp + "/lr.pkl", "wb"))
rf_num = ["age", "income", "debt_ratio"]
rf_cat = ["region", "sex", "num_accounts"]
def rf_frame(path):
    d = pd.read_csv(path, dtype={"num_accounts": str, "region": object, "sex": object})
    return d[rf_num + rf_cat].astype({c: float for c in rf_num})
rf = Pipeline([("pre", ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), rf_num),
    ("cat", OneHotEncoder(handle_unknown="ignore"), rf_cat)])),
    ("clf", RandomForestClassifier(n_estimators=30, max_depth=8, random_state=0))])
rf.fit(rf_frame(tmp + "/credit.csv"), df["label"])
pickle.dump({"model": rf, "positive": 1}, open(tmp + "/rf.pkl", "wb"))
def write(name, p):
    open(tmp + "/" + name, "w").write("score\n" + "".join(repr(float(v)) + "\n" for v in p))
write("want-lr.txt", lr.predict_proba(df[lr_num + ["region", "sex"]].astype({c: float for c in lr_num}))[:, 1])
write("want-rf.txt", rf.predict_proba(rf_frame(tmp + "/credit.csv"))[:, 1])
write("want-rf-na.txt", rf.predict_proba(rf_frame(tmp + "/credit-na.csv"))[:, 1])
# the region codes the encoder learnt, for the record
sys.stderr.write("rf categories: %s\n" % [list(c) for c in rf.named_steps["pre"].named_transformers_["cat"].categories_])
EOF
t_ok "train the two pipelines" "$PY" "$T_TMP/train.py" "$T_TMP"

# --- through audit-predict ---------------------------------------------------
predict_case() {  # NAME MODEL DATA WANT [OPTIONS...]
	_n=$1 _m=$2 _d=$3 _w=$4
	shift 4
	if "$BIN/audit-predict" --model-cmd "'$PY' '$SERVE' '$T_TMP/$_m'" --score-col sk_score \
	    --pred-col sk_pred "$@" -o "$T_TMP/pred.csv" "$_d" 2>"$T_ERR"; then
		score_col "$T_TMP/pred.csv" sk_score >"$T_TMP/pred.txt"
		_worst=$(maxdiff "$T_TMP/pred.txt" "$T_TMP/$_w")
		echo "# $_n: max |diff| $_worst"
		t_close "$_n: equals predict_proba (max |diff|)" "$_worst" 0 1e-12
	else
		t_fail "$_n" "audit-predict failed: $(head -n 3 "$T_ERR")"
	fi
}
predict_case "audit-predict, lr, batch" lr.pkl "$data" want-lr.txt
predict_case "audit-predict, rf, batch" rf.pkl "$data" want-rf.txt
predict_case "audit-predict, rf, batch, missing values" rf.pkl "$T_TMP/credit-na.csv" want-rf-na.txt
predict_case "audit-predict, rf, batches of 700" rf.pkl "$T_TMP/credit-na.csv" want-rf-na.txt --batch-size 700
for proto in stream binary; do
	if [ -n "$HAVE_PROTOCOL" ]; then
		predict_case "audit-predict, lr, $proto" lr.pkl "$data" want-lr.txt --model-protocol "$proto"
		predict_case "audit-predict, rf, $proto, missing values, frames of 700" rf.pkl \
		    "$T_TMP/credit-na.csv" want-rf-na.txt --model-protocol "$proto" --batch-size 700
		predict_case "audit-predict, rf, $proto, 31 frames of 97 rows" rf.pkl \
		    "$T_TMP/credit-na.csv" want-rf-na.txt --model-protocol "$proto" --batch-size 97
	else
		t_skip "audit-predict --model-protocol $proto" "the tools do not have --model-protocol yet"
	fi
done

# --positive 0: the other column of predict_proba (1 - p, to rounding)
t_ok "--positive 0" sh -c "'$PY' '$SERVE' --positive 0 '$T_TMP/lr.pkl' <'$data' >'$T_TMP/pos0.txt'"
{ echo score; awk '{ printf "%.17g\n", 1 - $1 }' "$T_TMP/pos0.txt"; } >"$T_TMP/pos0-flipped.txt"
t_close "--positive 0: 1 - the score of class 1 (max |diff|)" "$(maxdiff "$T_TMP/pos0-flipped.txt" "$T_TMP/want-lr.txt")" 0 1e-12
# a bare model fitted on a numpy array (no feature names): --features picks
# and orders its columns; sklearn's feature-name warning is not printed
"$PY" - "$data" "$T_TMP/bare.pkl" >"$T_TMP/want-bare.txt" <<'EOF'
import pickle, sys
import pandas as pd
from sklearn.linear_model import LogisticRegression
df = pd.read_csv(sys.argv[1])
X = df[["income", "age"]].to_numpy(dtype=float)
m = LogisticRegression(max_iter=1000).fit(X, df["label"])
pickle.dump(m, open(sys.argv[2], "wb"))
sys.stdout.write("score\n" + "".join(repr(float(v)) + "\n" for v in m.predict_proba(X)[:, 1]))
EOF
t_ok "--features on a model without feature names" sh -c "'$PY' '$SERVE' --features income,age '$T_TMP/bare.pkl' <'$data' >'$T_TMP/bare.txt'"
t_eq "--features: nothing on stderr" "$(wc -c <"$T_ERR")" 0
{ echo score; cat "$T_TMP/bare.txt"; } >"$T_TMP/bare-h.txt"
t_close "--features: scores equal predict_proba (max |diff|)" "$(maxdiff "$T_TMP/bare-h.txt" "$T_TMP/want-bare.txt")" 0 1e-12

# several worker threads, each with its own helper process and dictionaries:
# audit-robust's results through binary with 2 threads equal those through batch
if "$BIN/audit-robust" --help 2>/dev/null | grep -q -- '--model-protocol'; then
	head -n 301 "$T_TMP/credit-na.csv" >"$T_TMP/robust.csv"
	for proto in batch binary; do
		"$BIN/audit-robust" --model-cmd "'$PY' '$SERVE' '$T_TMP/rf.pkl'" --model-protocol "$proto" \
		    --threads 2 --batch-size 150 --counterfactual sex --perturb gaussian:0.2 --perturb swap:0.2 \
		    --no-by-feature -q -o "$T_TMP/robust-$proto.json" "$T_TMP/robust.csv" 2>"$T_ERR" ||
		    t_fail "audit-robust --model-protocol $proto" "$(head -n 3 "$T_ERR")"
	done
	t_eq "audit-robust, 2 threads: binary gives batch's results" "$("$PY" -c '
import json, sys
a, b = (json.load(open(f))["results"] for f in sys.argv[1:])
print("same" if a == b else "differ")' "$T_TMP/robust-batch.json" "$T_TMP/robust-binary.json" 2>&1)" same
else
	t_skip "audit-robust --model-protocol binary --threads 2" "the tools do not have --model-protocol yet"
fi

# --- the helper alone, through a protocol driver ----------------------------
# driver.py PROTOCOL CASE.json [--truncate] -- COMMAND...: speaks the stream or
# binary protocol (written from docs/model-protocol.md) to COMMAND, frame by
# frame, checks each answer's framing, prints "score" and the scores. When the
# command ends early it exits with the command's status (its stderr passes
# through); --truncate sends half of the last frame and closes the input.
cat >"$T_TMP/driver.py" <<'EOF'
import csv, io, json, math, struct, subprocess, sys
proto, case = sys.argv[1], json.load(open(sys.argv[2]))
truncate = "--truncate" in sys.argv[3:sys.argv.index("--")]
cmd = sys.argv[sys.argv.index("--") + 1:]
feats, frames = case["features"], case["frames"]
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

def ended():
    try:
        p.stdin.close()
    except OSError:
        pass
    st = p.wait()
    if st == 0:
        sys.stderr.write("driver: the command exited 0 before answering\n")
        st = 99
    sys.exit(st)

def bad(msg):
    sys.stderr.write("driver: %s\n" % msg)
    p.kill()
    sys.exit(98)

def send(data):
    try:
        p.stdin.write(data)
        p.stdin.flush()
    except BrokenPipeError:
        ended()

def text(v, kind):
    if v is None:
        return ""
    if kind == "cat":
        return v
    return "%d" % v if float(v).is_integer() else repr(float(v))

def lstr(s):
    b = s.encode("utf-8")
    return struct.pack("<I", len(b)) + b

scores = []
if proto == "binary":
    hs = b"RAIAUDB1" + struct.pack("<I", len(feats))
    for name, kind in feats:
        hs += struct.pack("<B", 1 if kind == "cat" else 0) + lstr(name)
    send(hs)
    magic = p.stdout.read(8)
    if len(magic) < 8:
        ended()
    if magic != b"RAIAUDB1":
        bad("handshake answered with %r" % magic)
    codes = [dict() for _ in feats]
    for k, rows in enumerate(frames):
        n = len(rows)
        msg = struct.pack("<Q", n)
        for j, (name, kind) in enumerate(feats):
            if kind != "cat":
                continue
            new = []
            for r in rows:
                if r[j] is not None and r[j] not in codes[j]:
                    codes[j][r[j]] = len(codes[j])
                    new.append(r[j])
            msg += struct.pack("<I", len(new)) + b"".join(lstr(s) for s in new)
        for j, (name, kind) in enumerate(feats):
            vals = [math.nan if r[j] is None else (float(codes[j][r[j]]) if kind == "cat" else float(r[j]))
                    for r in rows]
            msg += struct.pack("<%dd" % n, *vals)
        if truncate and k == len(frames) - 1:
            send(msg[:len(msg) // 2])
            ended()
        send(msg)
        head = p.stdout.read(8)
        if len(head) < 8:
            ended()
        (m,) = struct.unpack("<Q", head)
        if m != n:
            bad("frame %d: count %d echoed for %d rows" % (k + 1, m, n))
        body = p.stdout.read(8 * n)
        if len(body) < 8 * n:
            bad("frame %d: the answer ends early" % (k + 1))
        scores.extend(struct.unpack("<%dd" % n, body))
else:
    for k, rows in enumerate(frames):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([name for name, kind in feats])
        for r in rows:
            w.writerow([text(v, kind) for v, (name, kind) in zip(r, feats)])
        msg = ("@batch %d\n" % len(rows) + buf.getvalue()).encode("utf-8")
        if truncate and k == len(frames) - 1:
            send(msg[:len(msg) // 2])
            ended()
        send(msg)
        for i in range(len(rows)):
            line = p.stdout.readline()
            if not line:
                ended()
            scores.append(float(line))
p.stdin.close()
extra = p.stdout.read()
st = p.wait()
if extra:
    bad("%d bytes after the last answer" % len(extra))
if st != 0:
    sys.exit(st)
sys.stdout.write("score\n" + "".join(repr(s) + "\n" for s in scores))
EOF

# case.py DATA OUT.json [COLUMNS]: 600 rows of DATA as frames of 1 to 9 rows,
# columns in another order than the model's (plus two it does not use), with
# holes: numbers and categories missing, unseen text with a quote, a comma and
# a line break; num_accounts sent as a number.
cat >"$T_TMP/case.py" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))[:600]
cols = (sys.argv[3] if len(sys.argv) > 3 else
        "sex:cat,id:num,num_accounts:num,income:num,region:cat,age:num,debt_ratio:num,group:cat").split(",")
feats = [c.split(":") for c in cols]
out = []
for k, r in enumerate(rows):
    row = []
    for name, kind in feats:
        v = r[name]
        v = v if kind == "cat" else float(v)
        if name == "age" and k % 7 == 3: v = None
        if name == "income" and k % 23 == 8: v = None
        if name == "region" and k % 11 == 5: v = None
        if name == "sex" and k % 13 == 2: v = None
        if name == "region" and k % 17 == 4: v = 'so"uth, east'
        if name == "region" and k % 19 == 6: v = "north\nwest"
        row.append(v)
    out.append(row)
frames, i, size = [], 0, 1
while i < len(out):
    frames.append(out[i:i + size])
    i += size
    size = size % 9 + 1
json.dump({"features": feats, "frames": frames}, open(sys.argv[2], "w"))
EOF
# expect.py CASE.json MODEL.pkl: predict_proba[:, 1] on the case's rows, as a
# DataFrame of the rf model's training kinds (num_accounts as "0", "1", ...)
cat >"$T_TMP/expect.py" <<'EOF'
import json, math, pickle, sys
import pandas as pd
case = json.load(open(sys.argv[1]))
obj = pickle.load(open(sys.argv[2], "rb"))
model = obj["model"] if isinstance(obj, dict) else obj
names = [f[0] for f in case["features"]]
rows = [r for fr in case["frames"] for r in fr]
cols = {}
for c in model.feature_names_in_:
    j = names.index(c)
    vals = [r[j] for r in rows]
    if c == "num_accounts":
        cols[c] = pd.Series([math.nan if v is None else "%d" % v for v in vals], dtype=object)
    elif c in ("region", "sex"):
        cols[c] = pd.Series([math.nan if v is None else v for v in vals], dtype=object)
    else:
        cols[c] = pd.Series([math.nan if v is None else v for v in vals], dtype=float)
X = pd.DataFrame(cols)
p = model.predict_proba(X)[:, list(model.classes_).index(1)]
sys.stdout.write("score\n" + "".join(repr(float(v)) + "\n" for v in p))
EOF
"$PY" "$T_TMP/case.py" "$data" "$T_TMP/case.json"
"$PY" "$T_TMP/expect.py" "$T_TMP/case.json" "$T_TMP/rf.pkl" >"$T_TMP/want-case.txt"
nframes=$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["frames"]))' "$T_TMP/case.json")
for proto in stream binary; do
	t_ok "driver, $proto: $nframes frames of 1 to 9 rows" "$PY" "$T_TMP/driver.py" "$proto" \
	    "$T_TMP/case.json" -- "$PY" "$SERVE" "$T_TMP/rf.pkl"
	cp "$T_OUT" "$T_TMP/got-$proto.txt"
	worst=$(maxdiff "$T_TMP/got-$proto.txt" "$T_TMP/want-case.txt")
	echo "# driver, $proto: max |diff| $worst"
	t_close "driver, $proto: scores equal predict_proba (max |diff|)" "$worst" 0 1e-12
	t_eq "driver, $proto: the helper wrote nothing on stderr" "$(wc -c <"$T_ERR")" 0
done
# batch: the same rows as one CSV
"$PY" - "$T_TMP/case.json" >"$T_TMP/case.csv" <<'EOF'
import csv, json, sys
case = json.load(open(sys.argv[1]))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow([f[0] for f in case["features"]])
for fr in case["frames"]:
    for r in fr:
        w.writerow(["" if v is None else (v if k == "cat" else ("%d" % v if float(v).is_integer() else repr(v)))
                    for v, (n, k) in zip(r, case["features"])])
EOF
t_ok "batch: the same rows as one CSV" sh -c "'$PY' '$SERVE' '$T_TMP/rf.pkl' <'$T_TMP/case.csv' >'$T_TMP/got-batch-raw.txt'"
{ echo score; cat "$T_TMP/got-batch-raw.txt"; } >"$T_TMP/got-batch.txt"
worst=$(maxdiff "$T_TMP/got-batch.txt" "$T_TMP/want-case.txt")
t_close "batch: scores equal predict_proba (max |diff|)" "$worst" 0 1e-12

# Without the conversion of num_accounts the scores would differ: the model
# given 5.0 as "5.0" (an unseen category) scores otherwise. (The test can fail.)
"$PY" - "$T_TMP/case.json" "$T_TMP/rf.pkl" >"$T_TMP/want-unconverted.txt" <<'EOF'
import json, math, pickle, sys
import pandas as pd
case = json.load(open(sys.argv[1])); model = pickle.load(open(sys.argv[2], "rb"))["model"]
names = [f[0] for f in case["features"]]; rows = [r for fr in case["frames"] for r in fr]
X = pd.DataFrame({c: pd.Series([math.nan if r[names.index(c)] is None else
                                (repr(float(r[names.index(c)])) if c == "num_accounts" else r[names.index(c)])
                                for r in rows], dtype=object if c in ("region", "sex", "num_accounts") else float)
                  for c in model.feature_names_in_})
sys.stdout.write("score\n" + "".join(repr(float(v)) + "\n" for v in model.predict_proba(X)[:, 1]))
EOF
t_eq "a numeric column the model saw as text matters (unconverted scores differ)" \
    "$(awk -v w="$(maxdiff "$T_TMP/got-binary.txt" "$T_TMP/want-unconverted.txt")" 'BEGIN { print (w > 1e-3) ? "differ" : "same" }')" differ

# --- error paths: one line on stderr, non-zero exit ---------------------------
one_line() {  # NAME WANT_STATUS WANT_PREFIX CMD...
	_case=$1 _status=$2 _prefix=$3
	shift 3
	t_run "$_case: exit $_status" "$_status" "$@"
	t_eq "$_case: one line on stderr" "$(wc -l <"$T_ERR")" 1
	t_eq "$_case: message" "$(head -c ${#_prefix} "$T_ERR")" "$_prefix"
	t_eq "$_case: nothing on stdout" "$(wc -c <"$T_OUT")" 0
}
printf 'age\n1\n' >"$T_TMP/one.csv"
one_line "no such model file" 2 "rai_audit_serve: cannot open '$T_TMP/nope.pkl': No such file or directory" \
    sh -c "'$PY' '$SERVE' '$T_TMP/nope.pkl' <'$T_TMP/one.csv'"
printf 'this is not a pickle\n' >"$T_TMP/text.pkl"
one_line "not a pickle" 2 "rai_audit_serve: cannot load '$T_TMP/text.pkl': not a pickle (UnpicklingError" \
    sh -c "'$PY' '$SERVE' '$T_TMP/text.pkl' <'$T_TMP/one.csv'"
"$PY" -c 'import pickle, sys; pickle.dump([1, 2, 3], open(sys.argv[1], "wb"))' "$T_TMP/list.pkl"
one_line "an object without predict" 2 "rai_audit_serve: the object in '$T_TMP/list.pkl' (list) has neither predict_proba nor predict" \
    sh -c "'$PY' '$SERVE' '$T_TMP/list.pkl' <'$T_TMP/one.csv'"
one_line "a positive class the model lacks" 2 "rai_audit_serve: positive class '7' is not one of the model's classes: 0, 1" \
    sh -c "'$PY' '$SERVE' --positive 7 '$T_TMP/lr.pkl' <'$data'"
one_line "a bad option" 2 "rai_audit_serve: unrecognized arguments: --bogus" \
    sh -c "'$PY' '$SERVE' --bogus '$T_TMP/lr.pkl' <'$data'"
one_line "batch: a column missing from the input" 1 "rai_audit_serve: column 'region' the model needs is not in the input" \
    sh -c "cut -d, -f1-9 '$data' | '$PY' '$SERVE' '$T_TMP/rf.pkl'"
"$PY" "$T_TMP/case.py" "$data" "$T_TMP/case-noregion.json" "sex:cat,num_accounts:num,income:num,age:num,debt_ratio:num"
for proto in stream binary; do
	one_line "$proto: a column missing from the input" 1 "rai_audit_serve: column 'region' the model needs is not in the input" \
	    "$PY" "$T_TMP/driver.py" "$proto" "$T_TMP/case-noregion.json" -- "$PY" "$SERVE" "$T_TMP/rf.pkl"
done
one_line "binary: the input ends inside a frame" 1 "rai_audit_serve: the input ended inside frame $nframes" \
    "$PY" "$T_TMP/driver.py" binary "$T_TMP/case.json" --truncate -- "$PY" "$SERVE" "$T_TMP/rf.pkl"
one_line "stream: the input ends inside a frame" 1 "rai_audit_serve: the input ended inside a frame" \
    "$PY" "$T_TMP/driver.py" stream "$T_TMP/case.json" --truncate -- "$PY" "$SERVE" "$T_TMP/rf.pkl"
printf 'age,income,debt_ratio,late_payments,region,sex\nold,1,2,3,north,male\n' >"$T_TMP/text-age.csv"
one_line "text in a numeric column" 1 "rai_audit_serve: column 'age': 'old' is not a number" \
    sh -c "'$PY' '$SERVE' '$T_TMP/lr.pkl' <'$T_TMP/text-age.csv'"
t_run "audit-predict: a failing helper is exit 4" 4 "$BIN/audit-predict" --model-cmd "'$PY' '$SERVE' '$T_TMP/nope.pkl'" "$data"
t_eq "audit-predict quotes the helper's line" \
    "$(grep -c "exited with status 2; stderr: rai_audit_serve: cannot open '$T_TMP/nope.pkl'" "$T_ERR")" 1

# --- stdout carries scores only, a regressor's predict ------------------------
mkdir -p "$T_TMP/mod"
cat >"$T_TMP/mod/noisy.py" <<'EOF'
import os, sys
class Noisy:
    def predict(self, X):
        print("a model that prints")
        sys.stdout.flush()
        os.write(1, b"and writes to descriptor 1\n")
        return X["a"].to_numpy() * 2 + X["b"].to_numpy()
class Plain:
    def predict(self, X):
        return X["a"].to_numpy() * 2 + X["b"].to_numpy()
class One:
    def predict(self, X):
        import numpy as np
        return np.nan_to_num(X["a"].to_numpy(), nan=-1.0) * 2
EOF
PYTHONPATH="$T_TMP/mod" "$PY" -c 'import pickle, sys, noisy; pickle.dump({"model": noisy.Noisy(), "features": ["b", "a"]}, open(sys.argv[1], "wb"))' "$T_TMP/noisy.pkl"
printf 'a,c,b\n1,x,0.5\n2.5,y,0\n' >"$T_TMP/noisy.csv"
t_ok "a model that prints" sh -c "PYTHONPATH='$T_TMP/mod' '$PY' '$SERVE' '$T_TMP/noisy.pkl' <'$T_TMP/noisy.csv'"
t_eq "its prints go to stderr, stdout has the scores of predict (2a + b)" "$(tr '\n' ' ' <"$T_OUT")" "2.5 5.0 "
t_eq "its prints are on stderr" "$(tr '\n' ' ' <"$T_ERR")" "a model that prints and writes to descriptor 1 "
printf 'a,b\n1,0.5\n2.5,\n' >"$T_TMP/noisy-nan.csv"
PYTHONPATH="$T_TMP/mod" "$PY" -c 'import pickle, sys, noisy; pickle.dump(noisy.Plain(), open(sys.argv[1], "wb"))' "$T_TMP/plain.pkl"
one_line "a model that returns NaN" 1 "rai_audit_serve: the model returned nan for row 2 of the frame" \
    sh -c "PYTHONPATH='$T_TMP/mod' '$PY' '$SERVE' '$T_TMP/plain.pkl' <'$T_TMP/noisy-nan.csv'"
# one column and a missing value: a blank line of the CSV is a row
printf 'a\n1\n\n2\n' >"$T_TMP/blank.csv"
PYTHONPATH="$T_TMP/mod" "$PY" -c 'import pickle, sys, noisy; pickle.dump(noisy.One(), open(sys.argv[1], "wb"))' "$T_TMP/one.pkl"
t_ok "batch: a blank line is a row with a missing value" sh -c "PYTHONPATH='$T_TMP/mod' '$PY' '$SERVE' '$T_TMP/one.pkl' <'$T_TMP/blank.csv'"
t_eq "batch: its scores (2a, -2 for missing)" "$(tr '\n' ' ' <"$T_OUT")" "2.0 -2.0 4.0 "
{ printf '@batch 3\n'; cat "$T_TMP/blank.csv"; printf '@batch 1\na\n\n'; } >"$T_TMP/blank-stream.txt"
t_ok "stream: a blank line is a row with a missing value" sh -c "PYTHONPATH='$T_TMP/mod' '$PY' '$SERVE' '$T_TMP/one.pkl' <'$T_TMP/blank-stream.txt'"
t_eq "stream: its scores" "$(tr '\n' ' ' <"$T_OUT")" "2.0 -2.0 4.0 -2.0 "

# --- the README's scikit-learn example, as written -----------------------------
# The first sh block of the section "Your own scikit-learn model", run in a
# scratch folder that sees the tree's bin, datasets, examples and python, with
# `python3` being the interpreter found above (Debian's, under /usr/bin).
awk '/^### Your own scikit-learn model/ { s = 1; next } s && /^### / { exit }
	s && /^```sh/ { b = 1; next } b && /^```/ { exit } b { print }' README.md >"$T_TMP/readme.sh"
t_eq "README: the example has two commands" "$(grep -c '^[a-z]' "$T_TMP/readme.sh")" 2
mkdir -p "$T_TMP/readme/pybin"
ln -s "$(command -v "$PY")" "$T_TMP/readme/pybin/python3"
ln -s "$(cd "$BIN" && pwd)" "$T_TMP/readme/bin"
for d in datasets examples python; do ln -s "$ROOT/$d" "$T_TMP/readme/$d"; done
readme_run() {  # NAME SCRIPT
	if (cd "$T_TMP/readme" && PATH="$T_TMP/readme/pybin:$PATH" sh -e "$2") >"$T_OUT" 2>"$T_ERR"; then
		t_pass "$1"
		t_eq "$1: every feature explained" \
		    "$(grep -cE '^ +[0-9]+ +(age|income|debt_ratio|credit_years|employment_years|loan_amount|num_accounts|late_payments|region) ' "$T_OUT")" 9
		t_close "$1: Shapley values add up (max additivity error)" \
		    "$(sed -n 's/.*max additivity error \([^ ]*\).*/\1/p' "$T_OUT")" 0 1e-9
	else
		t_fail "$1" "$(tail -n 3 "$T_ERR")"
	fi
}
if "$BIN/audit-explain" --help 2>/dev/null | grep -q -- '--model-protocol'; then
	readme_run "README: the scikit-learn example as written" "$T_TMP/readme.sh"
else
	t_skip "README: the scikit-learn example as written" "the tools do not have --model-protocol yet"
	sed 's/ --model-protocol binary//' "$T_TMP/readme.sh" >"$T_TMP/readme-batch.sh"
	readme_run "README: the scikit-learn example, --model-protocol left out" "$T_TMP/readme-batch.sh"
fi

# The second sh block of the section: export the same pickle to PMML and score
# it with -m; its scores must be the helper's (predict_proba's) to 1e-12.
awk '/^### Your own scikit-learn model/ { s = 1; next } s && /^### / { exit }
	s && /^```sh/ { n++; if (n == 2) { b = 1; next } } b && /^```/ { exit } b { print }' README.md >"$T_TMP/readme-export.sh"
t_eq "README: the export example has two commands" "$(grep -c '^[a-z]' "$T_TMP/readme-export.sh")" 2
if [ -f "$T_TMP/readme/model.pkl" ] &&
    (cd "$T_TMP/readme" && PATH="$T_TMP/readme/pybin:$PATH" sh -e "$T_TMP/readme-export.sh") >"$T_TMP/readme-pmml.csv" 2>"$T_ERR"; then
	t_pass "README: the export example as written"
	(cd "$T_TMP/readme" && "$(cd "$ROOT" && cd "$BIN" && pwd)/audit-predict" --model-cmd "'$PY' '$SERVE' model.pkl" \
	    datasets/credit.csv) 2>/dev/null | awk -F, 'NR > 1 { print $(NF - 1) }' >"$T_TMP/readme-helper.txt"
	awk -F, 'NR > 1 { print $(NF - 1) }' "$T_TMP/readme-pmml.csv" >"$T_TMP/readme-pmml.txt"
	t_close "README: the exported PMML scores as the helper (predict_proba), max |diff|" \
	    "$(paste -d, "$T_TMP/readme-pmml.txt" "$T_TMP/readme-helper.txt" | awk -F, '
		NF != 2 || $1 == "" || $2 == "" { bad = 1 }
		{ d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d }
		END { if (!bad && NR > 4000) print m + 0 }')" 0 1e-12
else
	t_fail "README: the export example as written" "$(tail -n 3 "$T_ERR")"
fi
t_done
