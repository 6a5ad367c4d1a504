#!/bin/sh
# tree-path.sh — audit-explain --method tree-path (path-dependent Tree SHAP):
# a hand-computed tree, the refusals, the PMML files of the conformance suite
# that carry recordCount (additivity, threads), the report, and XGBoost's own
# pred_contribs (through a PMML written from the booster's dump with its
# covers; and on the booster's JSON when -m accepts it). The XGBoost cases run
# where python3 can import xgboost (Debian: python3-xgboost) and skip, saying
# so, otherwise.
. tests/e2e/lib.sh

# jget FILE EXPR: a value of a JSON document (python3's json module)
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# ---- a tree computed by hand ----
# x1 <= 0.5: leaf 1 (2 training rows); else x2 <= 0.5: leaf 3 (1 row), else leaf 7 (1 row).
# v({}) = (2*1 + 3 + 7)/4 = 3, v({x1}) = (3 + 7)/2 = 5, v({x2}) = (2*1 + 2*7)/4 = 4, v(all) = 7
# For x = (1, 1): phi1 = ((5-3) + (7-4))/2 = 2.5, phi2 = ((4-3) + (7-5))/2 = 1.5.
hand_pmml() {   # $1: 1 to give every leaf its recordCount
	rc1=' recordCount="2"'; rc3=' recordCount="1"'; rc7=' recordCount="1"'
	[ "$1" = 1 ] || rc3=
	cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <Header/>
  <DataDictionary numberOfFields="3">
    <DataField name="x1" optype="continuous" dataType="double"/>
    <DataField name="x2" optype="continuous" dataType="double"/>
    <DataField name="y" optype="continuous" dataType="double"/>
  </DataDictionary>
  <TreeModel functionName="regression">
    <MiningSchema>
      <MiningField name="x1"/>
      <MiningField name="x2"/>
      <MiningField name="y" usageType="target"/>
    </MiningSchema>
    <Node>
      <True/>
      <Node score="1"$rc1><SimplePredicate field="x1" operator="lessOrEqual" value="0.5"/></Node>
      <Node>
        <SimplePredicate field="x1" operator="greaterThan" value="0.5"/>
        <Node score="3"$rc3><SimplePredicate field="x2" operator="lessOrEqual" value="0.5"/></Node>
        <Node score="7"$rc7><SimplePredicate field="x2" operator="greaterThan" value="0.5"/></Node>
      </Node>
    </Node>
  </TreeModel>
</PMML>
EOF
}
hand_pmml 1 >"$T_TMP/hand.pmml"
hand_pmml 0 >"$T_TMP/nocover.pmml"
printf 'x1,x2\n1,1\n0,1\n1,0\n' >"$T_TMP/hand.csv"

t_ok "tree-path on a hand tree" "$BIN/audit-explain" -m "$T_TMP/hand.pmml" --method tree-path \
    --rows-out "$T_TMP/hand-rows.csv" -o "$T_TMP/hand.json" "$T_TMP/hand.csv"
t_eq "hand tree: row 0 is base 3, f 7, phi 2.5 and 1.5" "$(sed -n 2p "$T_TMP/hand-rows.csv")" "0,3,7,2.5,1.5"
# row 1 (x1 = 0): v({x1}) = 1, v({x2}) = 4, v(all) = 1: phi1 = ((1-3) + (1-4))/2 = -2.5, phi2 = ((4-3) + (1-1))/2 = 0.5
t_eq "hand tree: row 1 is base 3, f 1, phi -2.5 and 0.5" "$(sed -n 3p "$T_TMP/hand-rows.csv")" "1,3,1,-2.5,0.5"
t_eq "hand tree: params.method" "$(jget "$T_TMP/hand.json" 'd["params"]["method"]')" "tree-path"
t_eq "hand tree: no background in params or input" \
    "$(jget "$T_TMP/hand.json" '"background" in d["params"] or "background" in d["input"]')" "False"
t_eq "hand tree: results.base_value" "$(jget "$T_TMP/hand.json" 'd["results"]["base_value"]')" "3"
t_eq "hand tree: max_additivity_error" \
    "$(jget "$T_TMP/hand.json" 'd["results"]["max_additivity_error"]')" "0"

# ---- refusals ----
t_run "--background with tree-path: usage error" 2 "$BIN/audit-explain" -m "$T_TMP/hand.pmml" \
    --method tree-path --background "$T_TMP/hand.csv" "$T_TMP/hand.csv"
t_eq "--background: the message names tree-path" \
    "$(grep -c 'tree-path uses no background' "$T_ERR")" 1
t_run "--background-size with tree-path: usage error" 2 "$BIN/audit-explain" -m "$T_TMP/hand.pmml" \
    --method tree-path --background-size 10 "$T_TMP/hand.csv"
t_run "a leaf without recordCount: exit 3" 3 "$BIN/audit-explain" -m "$T_TMP/nocover.pmml" \
    --method tree-path "$T_TMP/hand.csv"
t_eq "no recordCount: the message says so, on one line" \
    "$(grep -c "no training cover (recordCount) on every leaf 'Node'" "$T_ERR"),$(wc -l <"$T_ERR")" "1,1"
t_run "a model command: exit 3" 3 "$BIN/audit-explain" --model-cmd "awk 'NR > 1 { print 0.5 }'" \
    --method tree-path "$T_TMP/hand.csv"
t_eq "a model command: no trees" "$(grep -c 'has no trees' "$T_ERR")" 1
t_run "tree without --background still needs it" 2 "$BIN/audit-explain" -m "$T_TMP/hand.pmml" \
    --method tree "$T_TMP/hand.csv"
# a compound predicate: two paths reach the leaf of its false branch
sed 's|<SimplePredicate field="x1" operator="lessOrEqual" value="0.5"/>|<CompoundPredicate booleanOperator="and"><SimplePredicate field="x1" operator="lessOrEqual" value="0.5"/><SimplePredicate field="x2" operator="lessOrEqual" value="5"/></CompoundPredicate>|' \
    "$T_TMP/hand.pmml" >"$T_TMP/compound.pmml"
t_run "a compound predicate sharing a node: exit 3" 3 "$BIN/audit-explain" \
    -m "$T_TMP/compound.pmml" --method tree-path "$T_TMP/hand.csv"
t_eq "compound: the message says why" "$(grep -c 'two paths to the same node' "$T_ERR")" 1
t_ok "the compound model still explains with --method tree" "$BIN/audit-explain" \
    -m "$T_TMP/compound.pmml" --method tree --background "$T_TMP/hand.csv" "$T_TMP/hand.csv"

# ---- the conformance PMML that carry recordCount ----
S=$(t_shared)
if [ -z "$S" ]; then
	t_skip "conformance PMML" "../shared is absent"
else
	C=$S/pmml-conformance
	for c in sklearn-rf-audit sklearn-dtree-audit r-rpart-audit knime-treeensemble-audit \
	    rapidminer-dtree-audit; do
		t_ok "$c: tree-path" "$BIN/audit-explain" -m "$C/$c/model.pmml" --method tree-path \
		    --rows 300 --threads 1 -o "$T_TMP/$c.json" "$C/$c/input.csv"
		t_close "$c: additivity" \
		    "$(jget "$T_TMP/$c.json" 'd["results"]["max_additivity_error"]')" 0 1e-12
	done
	# KNIME's multi-way splits list only the categories seen below each node, with
	# returnNullPrediction: a coalition can lead row 7 where the model has no score
	t_run "knime-dtree-audit: a row led to a null prediction: exit 4" 4 "$BIN/audit-explain" \
	    -m "$C/knime-dtree-audit/model.pmml" --method tree-path --rows 7:8 -o /dev/null \
	    "$C/knime-dtree-audit/input.csv"
	t_eq "knime-dtree-audit: the message names the row and the reason" \
	    "$(grep -c 'data row 7: the model gives no score (NaN) where some of the row' "$T_ERR")" 1
	t_run "checks resolve on a tree-path document" 0 "$BIN/audit-explain" \
	    -m "$C/r-rpart-audit/model.pmml" --method tree-path --rows 50 \
	    --check 'max_additivity_error < 1e-12' --check 'Marital: importance.rank <= 9' \
	    -o /dev/null "$C/r-rpart-audit/input.csv"
	t_ok "sklearn-rf-audit: 2 threads" "$BIN/audit-explain" -m "$C/sklearn-rf-audit/model.pmml" \
	    --method tree-path --rows 300 --threads 2 -o "$T_TMP/rf2.json" "$C/sklearn-rf-audit/input.csv"
	t_eq "sklearn-rf-audit: the same document on 1 and 2 threads" \
	    "$(cmp "$T_TMP/sklearn-rf-audit.json" "$T_TMP/rf2.json" && echo same)" same
	t_run "xgboost-audit (no recordCount): exit 3" 3 "$BIN/audit-explain" \
	    -m "$C/xgboost-audit/model.pmml" --method tree-path --model-output margin --rows 5 \
	    "$C/xgboost-audit/input.csv"
	t_run "lightgbm-audit asked for its score: usage error (a link follows)" 2 "$BIN/audit-explain" \
	    -m "$C/lightgbm-audit/model.pmml" --method tree-path --rows 5 "$C/lightgbm-audit/input.csv"
	# the report names the method and claims no background
	t_ok "report: table view" "$BIN/audit-report" --format table "$T_TMP/sklearn-rf-audit.json"
	t_eq "report: table has the base value" "$(grep -c '^base value' "$T_OUT")" 1
	t_ok "report: PDF" "$BIN/audit-report" -o "$T_TMP/rf.pdf" "$T_TMP/sklearn-rf-audit.json"
	if command -v pdftotext >/dev/null 2>&1; then
		pdftotext "$T_TMP/rf.pdf" "$T_TMP/rf.txt" 2>/dev/null
		t_eq "report: names path-dependent Tree SHAP" \
		    "$(grep -c 'Method: tree-path (path-dependent Tree SHAP)' "$T_TMP/rf.txt")" 1
		t_eq "report: no 'interventional with respect to a background sample' paragraph" \
		    "$(grep -c 'interventional with respect to a background sample:' "$T_TMP/rf.txt")" 0
	else
		t_skip "report text" "pdftotext is not installed"
	fi
fi

# ---- XGBoost: pred_contribs ----
PY=$(t_python xgboost numpy)
if [ -z "$PY" ]; then
	t_skip "xgboost pred_contribs" "python3 cannot import xgboost (apt-get install python3-xgboost to run it)"
	t_done
	exit $?
fi
echo "# using $PY ($("$PY" -c 'import xgboost; print("xgboost", xgboost.__version__)'))"

# Train a regression and a logistic booster on a grid of values (splits are
# exact binary fractions), with missing values; write the data, the booster's
# JSON, its pred_contribs (features then the bias) and a PMML of the same
# trees with each leaf's cover as its recordCount and the default direction
# as defaultChild.
"$PY" - "$T_TMP" <<'EOF'
import json, sys
import numpy as np
import xgboost as xgb

d = sys.argv[1]
rng = np.random.default_rng(7)
n, names = 500, ["a", "b", "c", "d"]
X = rng.integers(0, 24, size=(n, 4)) / 4.0
X[rng.random((n, 4)) < 0.08] = np.nan
Z = np.nan_to_num(X, nan=2.0)
y = Z[:, 0] * Z[:, 1] - 2 * Z[:, 2] + (Z[:, 3] > 3) + rng.normal(0, 0.3, n)
with open(d + "/x.csv", "w") as f:
    f.write(",".join(names) + "\n")
    for r in X:
        f.write(",".join("" if np.isnan(v) else repr(float(v)) for v in r) + "\n")

def pmml(bst, base, path, logit=False):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>',
           '<DataDictionary numberOfFields="5">']
    out += ['<DataField name="%s" optype="continuous" dataType="double"/>' % f for f in names]
    if logit:
        out += ['<DataField name="y" optype="categorical" dataType="integer"><Value value="0"/>'
                '<Value value="1"/></DataField></DataDictionary>']
    else:
        out += ['<DataField name="y" optype="continuous" dataType="double"/></DataDictionary>']
    fields = "".join('<MiningField name="%s"/>' % f for f in names)
    schema = "<MiningSchema>" + fields + '<MiningField name="y" usageType="target"/></MiningSchema>'
    if logit:
        # [sum of the trees: the margin] -> logistic regression on it
        out += ['<MiningModel functionName="classification">', schema,
                '<Segmentation multipleModelMethod="modelChain"><Segment id="sum"><True/>',
                '<MiningModel functionName="regression"><MiningSchema>' + fields + '</MiningSchema>',
                '<Output><OutputField name="margin" optype="continuous" dataType="double" '
                'isFinalResult="false"/></Output>']
        schema = "<MiningSchema>" + fields + "</MiningSchema>"
    else:
        out += ['<MiningModel functionName="regression">', schema]
    out += ['<Segmentation multipleModelMethod="sum">']
    def node(t, pred):
        if "leaf" in t:
            return '<Node id="%d" score="%r" recordCount="%r">%s</Node>' % (
                t["nodeid"], t["leaf"], t["cover"], pred)
        kids = {k["nodeid"]: k for k in t["children"]}
        yes, no = kids[t["yes"]], kids[t["no"]]
        v = repr(float(np.float32(t["split_condition"])))
        return '<Node id="%d" defaultChild="%d">%s%s%s</Node>' % (
            t["nodeid"], t["missing"], pred,
            node(yes, '<SimplePredicate field="%s" operator="lessThan" value="%s"/>' % (t["split"], v)),
            node(no, '<SimplePredicate field="%s" operator="greaterOrEqual" value="%s"/>' % (t["split"], v)))
    segs = ['<Node score="%r" recordCount="1"><True/></Node>' % base]
    segs += [node(json.loads(s), "<True/>") for s in bst.get_dump(dump_format="json", with_stats=True)]
    for i, s in enumerate(segs):
        out.append('<Segment id="%d"><True/><TreeModel functionName="regression" '
                   'missingValueStrategy="defaultChild">%s%s</TreeModel></Segment>' % (i, schema, s))
    out += ["</Segmentation></MiningModel>"]
    if logit:
        out += ['</Segment><Segment id="link"><True/>',
                '<RegressionModel functionName="classification" normalizationMethod="logit">',
                '<MiningSchema><MiningField name="y" usageType="target"/><MiningField name="margin"/>'
                '</MiningSchema><RegressionTable intercept="0" targetCategory="1">'
                '<NumericPredictor name="margin" coefficient="1"/></RegressionTable>'
                '<RegressionTable intercept="0" targetCategory="0"/></RegressionModel>',
                "</Segment></Segmentation></MiningModel>"]
    out += ["</PMML>"]
    open(path, "w").write("\n".join(out) + "\n")

for name, obj, label in (("reg", "reg:squarederror", y), ("logit", "binary:logistic", (y > np.median(y)).astype(float))):
    dm = xgb.DMatrix(X, label=label, feature_names=names, missing=np.nan)
    bst = xgb.train({"objective": obj, "max_depth": 4, "eta": 0.3, "base_score": 0.5, "seed": 1,
                     "nthread": 1}, dm, 20)
    bst.save_model(d + "/%s.json" % name)
    contribs = bst.predict(dm, pred_contribs=True)
    np.savetxt(d + "/%s-contribs.csv" % name, contribs, delimiter=",", fmt="%.9g")
    # the base margin: base_score 0.5 for a regression, logit(0.5) = 0 for a logistic
    pmml(bst, 0.5 if name == "reg" else 0.0, d + "/%s.pmml" % name, logit=name == "logit")
EOF
t_eq "xgboost: trained and written" \
    "$(ls "$T_TMP/reg.json" "$T_TMP/reg.pmml" "$T_TMP/logit.json" "$T_TMP/logit.pmml" 2>/dev/null | wc -l)" 4

# maxdiff ROWS CONTRIBS: the largest |difference| between audit-explain's
# per-row values (row,base_value,score,a,b,c,d) and pred_contribs (a,b,c,d,bias)
maxdiff() {
	"$PY" - "$1" "$2" <<'EOF'
import sys
import numpy as np
rows = np.genfromtxt(sys.argv[1], delimiter=",", skip_header=1)
c = np.loadtxt(sys.argv[2], delimiter=",")
c = c[rows[:, 0].astype(int)]
ours = np.column_stack([rows[:, 3:], rows[:, 1]])
print("%.3g" % np.max(np.abs(ours - c)) if ours.shape == c.shape else "shape")
EOF
}

t_ok "xgboost as PMML with covers: tree-path" "$BIN/audit-explain" -m "$T_TMP/reg.pmml" \
    --method tree-path --rows-out "$T_TMP/reg-pmml-rows.csv" -o "$T_TMP/reg-pmml.json" "$T_TMP/x.csv"
echo "# max diff $(maxdiff "$T_TMP/reg-pmml-rows.csv" "$T_TMP/reg-contribs.csv")"
t_close "xgboost as PMML: tree-path = pred_contribs (bias = base value), 1e-5" \
    "$(maxdiff "$T_TMP/reg-pmml-rows.csv" "$T_TMP/reg-contribs.csv")" 0 1e-5

t_run "xgboost logistic as PMML: tree-path on the score is a usage error" 2 "$BIN/audit-explain" \
    -m "$T_TMP/logit.pmml" --method tree-path "$T_TMP/x.csv"
t_ok "xgboost logistic as PMML: tree-path of the margin" "$BIN/audit-explain" \
    -m "$T_TMP/logit.pmml" --method tree-path --model-output margin \
    --rows-out "$T_TMP/logit-pmml-rows.csv" "$T_TMP/x.csv"
t_close "xgboost logistic as PMML: tree-path of the margin = pred_contribs, 1e-5" \
    "$(maxdiff "$T_TMP/logit-pmml-rows.csv" "$T_TMP/logit-contribs.csv")" 0 1e-5

if "$BIN/audit-predict" -m "$T_TMP/reg.json" "$T_TMP/x.csv" >/dev/null 2>&1; then
	t_ok "xgboost JSON: tree-path (regression)" "$BIN/audit-explain" -m "$T_TMP/reg.json" \
	    --method tree-path --rows-out "$T_TMP/reg-rows.csv" "$T_TMP/x.csv"
	t_close "xgboost JSON: tree-path = pred_contribs (regression), 1e-5" \
	    "$(maxdiff "$T_TMP/reg-rows.csv" "$T_TMP/reg-contribs.csv")" 0 1e-5
	t_ok "xgboost JSON: tree-path (logistic, margin)" "$BIN/audit-explain" -m "$T_TMP/logit.json" \
	    --method tree-path --model-output margin --rows-out "$T_TMP/logit-rows.csv" "$T_TMP/x.csv"
	t_close "xgboost JSON: tree-path = pred_contribs (logistic margin), 1e-5" \
	    "$(maxdiff "$T_TMP/logit-rows.csv" "$T_TMP/logit-contribs.csv")" 0 1e-5
else
	t_skip "xgboost JSON tree-path" "audit-predict does not read XGBoost JSON models (-m m.json) in this build"
fi

t_done
