#!/bin/sh
# raw-datasets.sh — the course's raw files as they are published (../shared/datasets:
# Adult, German credit, COMPAS), read with documented options only (--no-header,
# --names, --skip-lines, trimming by default) and no preprocessing. Every per-group
# count and rate is compared with values computed here by python3's csv module (and
# the counts with those of the datasets' README). Skipped, saying so, without ../shared.
. tests/e2e/lib.sh
F="$BIN/audit-fair"

# ---- encodings (no ../shared needed): Latin-1 group names ----
L=tests/data/csv/latin1.csv
t_run "latin1: refused as invalid UTF-8" 3 "$F" -q --label label --pred pred --protected group "$L"
t_eq "latin1: the error names line 2, column 7" "$(cat "$T_ERR")" \
    "audit-fair: $L:2:7: invalid UTF-8 (byte 0xE7): give the encoding with --encoding latin1 or cp1252"
t_run "latin1: --encoding latin1 runs" 0 "$F" -q --encoding latin1 --label label --pred pred \
    --protected group --format json "$L"
if command -v python3 >/dev/null 2>&1; then
	t_eq "latin1: the JSON is valid UTF-8 with the names transcoded" "$(python3 -c '
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))
print(",".join(sorted(g["group"] for a in doc["results"]["attributes"] for g in a["groups"])))
' "$T_OUT")" "$(printf 'Espa\303\261ol,Fran\303\247ais,\302\200uro')"
else
	t_skip "latin1: JSON check" "python3 is absent"
fi

S=$(t_shared)
D="$S/datasets"
if [ -z "$S" ] || [ ! -f "$D/adult.data" ] || [ ! -f "$D/german.data" ] ||
    [ ! -f "$D/compas-scores-two-years.csv" ] || [ ! -f "$D/adult.test" ]; then
	t_skip "raw datasets" "../shared/datasets is absent"
	t_done
	exit $?
fi
if ! command -v python3 >/dev/null 2>&1; then
	t_skip "raw datasets" "python3 is absent"
	t_done
	exit $?
fi

ADULT=age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income

# check.py OUT.json FILE SKIP DELIM HEADER LABEL POSITIVE PRED NAME:COL...
#   recomputes, with csv.reader, every group's count, base rate (LABEL == POSITIVE) and
#   selection rate (PRED == POSITIVE) of each protected attribute NAME read from column
#   COL (LABEL, PRED and COL are column names, or 1-based positions when HEADER is 0);
#   missing values are pandas' NA list plus '?'. Prints one line per difference, then
#   "N compared, M mismatched".
cat >"$T_TMP/check.py" <<'PY'
import csv, json, sys
out, path, skip, delim, header, label, positive, pred = sys.argv[1:9]
attrs = sys.argv[9:]
NA = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
      "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null", "?"}
with open(path, newline="", encoding="utf-8") as f:
    lines = f.readlines()[int(skip):]
sep = "\t" if delim == "tab" else delim
trim = sep != " " and all(lines[0][i + 1] == " " for i, ch in enumerate(lines[0]) if ch == sep)
rows = [r for r in csv.reader(lines, delimiter=sep, skipinitialspace=trim) if r]
if header == "1":
    names, rows = rows[0], rows[1:]
    col = lambda n: names.index(n)
else:
    col = lambda n: int(n) - 1
doc = json.load(open(out))          # also proves the output is valid JSON (UTF-8)
n = bad = 0
def same(what, got, want):
    global n, bad
    n += 1
    if isinstance(want, float):
        ok = got is not None and abs(got - want) <= 1e-12
    else:
        ok = got == want
    if not ok:
        bad += 1
        print("mismatch: %s: got %r, want %r" % (what, got, want))
same("rows", doc["input"]["rows"], len(rows))
il, ip = col(label), col(pred)
for spec in attrs:
    a, c = spec.split(":")
    ia = col(c)
    groups = {}
    for r in rows:
        g = "(missing)" if r[ia] in NA else r[ia]
        c = groups.setdefault(g, [0, 0, 0])
        c[0] += 1
        c[1] += r[il] == positive
        c[2] += r[ip] == positive
    got = {g["group"]: g for at in doc["results"]["attributes"] if at["attribute"] == a
           for g in at["groups"]}
    same(a + " groups", sorted(got), sorted(groups))
    for g, (cnt, pos, sel) in groups.items():
        if g not in got:
            continue
        same(a + "/" + g + " count", got[g]["count"], cnt)
        same(a + "/" + g + " base_rate", got[g]["metrics"]["base_rate"], pos / cnt)
        same(a + "/" + g + " selection_rate", got[g]["metrics"]["selection_rate"], sel / cnt)
print("%d compared, %d mismatched" % (n, bad))
PY

# group_count OUT.json ATTR GROUP
group_count() {
	jq -r --arg a "$2" --arg g "$3" \
	    '.results.attributes[] | select(.attribute == $a) | .groups[] | select(.group == $g) | .count' "$1"
}

compare() {
	_name=$1; shift
	python3 "$T_TMP/check.py" "$@" >"$T_TMP/cmp.txt" 2>&1
	grep -v ' compared, ' "$T_TMP/cmp.txt" | head -n 10
	t_ok "$_name: more than 10 values compared" test "$(tail -n 1 "$T_TMP/cmp.txt" | cut -d' ' -f1)" -gt 10
	t_eq "$_name: every count and rate as csv.reader gives them" \
	    "$(tail -n 1 "$T_TMP/cmp.txt" | sed 's/^[0-9]* compared, //')" "0 mismatched"
}

# ---- Adult (adult.data): ", " separated, no header, '?' for missing ----
t_run "adult.data: runs with --no-header --names" 0 "$F" --no-header --names "$ADULT" \
    --label income --pred income --positive '>50K' --protected sex,race,workclass \
    --format json "$D/adult.data"
cp "$T_OUT" "$T_TMP/adult.json"
t_eq "adult.data: trimming is said once" \
    "$(grep -c 'leading spaces of fields are dropped' "$T_ERR")" 1
compare "adult.data" "$T_TMP/adult.json" "$D/adult.data" 0 , 0 15 '>50K' 15 sex:10 race:9 \
    workclass:2
# the datasets' README: sex Male 21,790, Female 10,771; workclass '?' 1,836; label 7,841 >50K
t_eq "adult.data: Male count (README)" "$(group_count "$T_TMP/adult.json" sex Male)" 21790
t_eq "adult.data: Female count (README)" "$(group_count "$T_TMP/adult.json" sex Female)" 10771
t_eq "adult.data: missing workclass (README)" \
    "$(group_count "$T_TMP/adult.json" workclass '(missing)')" 1836
t_close "adult.data: overall base rate 7841/32561" \
    "$(jq '.results.overall.base_rate // .results.overall.metrics.base_rate' "$T_TMP/adult.json")" \
    "$(awk 'BEGIN { printf "%.17g", 7841 / 32561 }')" 1e-12
# --no-trim: the values keep their space and '>50K' is not a label value
t_run "adult.data --no-trim: groups keep the leading space" 0 "$F" -q --no-trim --no-header \
    --names "$ADULT" --label income --pred income --positive ' >50K' --protected sex \
    --format json "$D/adult.data"
t_eq "adult.data --no-trim: ' Male' count" "$(group_count "$T_OUT" sex ' Male')" 21790

# ---- Adult (adult.test): a banner line first, labels end in '.' ----
t_run "adult.test: runs with --skip-lines 1" 0 "$F" -q --skip-lines 1 --no-header --names "$ADULT" \
    --label income --pred income --positive '>50K.' --protected sex,race,workclass \
    --format json "$D/adult.test"
cp "$T_OUT" "$T_TMP/adult-test.json"
compare "adult.test" "$T_TMP/adult-test.json" "$D/adult.test" 1 , 0 15 '>50K.' 15 sex:10 \
    race:9 workclass:2
t_eq "adult.test: 16,281 rows (README)" "$(jq .input.rows "$T_TMP/adult-test.json")" 16281
t_eq "adult.test: missing workclass 963 (README)" \
    "$(group_count "$T_TMP/adult-test.json" workclass '(missing)')" 963
t_close "adult.test: overall base rate 3846/16281" \
    "$(jq '.results.overall.base_rate // .results.overall.metrics.base_rate' "$T_TMP/adult-test.json")" \
    "$(awk 'BEGIN { printf "%.17g", 3846 / 16281 }')" 1e-12

# ---- German credit: single-space separated, no header, label 21 (1 good, 2 bad) ----
t_run "german.data: runs with --no-header (columns 1..21)" 0 "$F" -q --no-header \
    --label 21 --pred 21 --positive 2 --protected 9 --format json "$D/german.data"
cp "$T_OUT" "$T_TMP/german.json"
compare "german.data" "$T_TMP/german.json" "$D/german.data" 0 ' ' 0 21 2 21 9:9
for gc in A93:548 A92:310 A94:92 A91:50; do
	t_eq "german.data: ${gc%%:*} count (README)" "$(group_count "$T_TMP/german.json" 9 "${gc%%:*}")" "${gc#*:}"
done
t_close "german.data: bad rate 300/1000" \
    "$(jq '.results.overall.base_rate // .results.overall.metrics.base_rate' "$T_TMP/german.json")" 0.3 1e-12

# ---- COMPAS: a header, two repeated names; is_recid as the decision ----
t_run "compas: runs" 0 "$F" -q --label two_year_recid --pred is_recid --protected race,sex \
    --format json "$D/compas-scores-two-years.csv"
cp "$T_OUT" "$T_TMP/compas.json"
compare "compas" "$T_TMP/compas.json" "$D/compas-scores-two-years.csv" 0 , 1 two_year_recid 1 \
    is_recid race:race sex:sex
t_eq "compas: African-American count (README)" \
    "$(group_count "$T_TMP/compas.json" race African-American)" 3696
t_eq "compas: Female count (README)" "$(group_count "$T_TMP/compas.json" sex Female)" 1395

# ---- a model over a raw file: a hand-written logistic regression on German credit ----
GERMAN=status,duration,history,purpose,amount,savings,employment,rate,personal,debtors,residence,property,age,plans,housing,credits,job,liable,telephone,foreign,credit
cat >"$T_TMP/german.pmml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
  <Header description="P(bad) = logistic(-2 + 0.04 duration + 0.0001 amount - 0.01 age)"/>
  <DataDictionary>
    <DataField name="duration" optype="continuous" dataType="double"/>
    <DataField name="amount" optype="continuous" dataType="double"/>
    <DataField name="age" optype="continuous" dataType="double"/>
    <DataField name="credit" optype="categorical" dataType="integer">
      <Value value="1"/>
      <Value value="2"/>
    </DataField>
  </DataDictionary>
  <RegressionModel functionName="classification" normalizationMethod="logit">
    <MiningSchema>
      <MiningField name="credit" usageType="target"/>
      <MiningField name="duration"/>
      <MiningField name="amount"/>
      <MiningField name="age"/>
    </MiningSchema>
    <RegressionTable intercept="-2" targetCategory="2">
      <NumericPredictor name="duration" coefficient="0.04"/>
      <NumericPredictor name="amount" coefficient="0.0001"/>
      <NumericPredictor name="age" coefficient="-0.01"/>
    </RegressionTable>
    <RegressionTable intercept="0" targetCategory="1"/>
  </RegressionModel>
</PMML>
XML
t_run "german.data: audit-predict with --no-header --names" 0 "$BIN/audit-predict" -q \
    -m "$T_TMP/german.pmml" --positive 2 --no-header --names "$GERMAN" "$D/german.data"
cp "$T_OUT" "$T_TMP/german-scored.csv"
t_eq "german.data: every score is logistic(-2 + 0.04 d + 0.0001 a - 0.01 age)" "$(python3 - "$D/german.data" "$T_TMP/german-scored.csv" <<'PY'
import csv, math, sys
src = list(csv.reader(open(sys.argv[1]), delimiter=" "))
out = list(csv.reader(open(sys.argv[2]), delimiter=" "))    # the input's separator
bad = 0 if len(out) == len(src) + 1 and out[0][-2:] == ["score", "pred"] else 1
for r, o in zip(src, out[1:]):
    z = -2 + 0.04 * float(r[1]) + 0.0001 * float(r[4]) - 0.01 * float(r[12])
    bad += abs(float(o[-2]) - 1 / (1 + math.exp(-z))) > 1e-12
print(bad, "bad")
PY
)" "0 bad"
t_run "german.data: audit-robust with --no-header --names" 0 "$BIN/audit-robust" -q \
    -m "$T_TMP/german.pmml" --positive 2 --label credit --protected personal \
    --no-header --names "$GERMAN" --format json "$D/german.data"
t_eq "german.data: audit-robust read 1,000 rows" "$(jq .input.rows "$T_OUT")" 1000
t_eq "german.data: audit-robust groups of personal" \
    "$(jq -r '[.. | objects | select(has("group")) | .group] | unique | join(",")' "$T_OUT")" \
    "A91,A92,A93,A94"
t_done
