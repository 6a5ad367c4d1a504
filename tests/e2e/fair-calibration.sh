#!/bin/sh
# fair-calibration.sh — audit-fair's calibration bins per group (the
# `calibration` list, written with --score) against pandas: for each group,
# ten equal bins of the score ([lo, hi), the last [0.9, 1]), the rows, the
# weighted mean score and the weighted observed positive rate of each bin,
# to 1e-12; empty bins null. Also the identity that the bins' counts add up
# to the group's count, and that the bins give back the document's ECE.
# Skipped, saying so, when no Python can import pandas.
. tests/e2e/lib.sh
F="$BIN/audit-fair"
DATA=datasets/credit.csv
PY=$(t_python pandas numpy)
if [ -z "$PY" ]; then
	t_skip "calibration bins vs pandas" "no python3 can import pandas and numpy"
	t_done
	exit $?
fi
# weights: a column derived from the id, so that the weighted means differ
awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 "," ($1 % 3) + 1 }' "$DATA" >"$T_TMP/w.csv"
t_run "audit-fair with scores and weights" 0 "$F" -q --label label --pred pred --score score \
	--weights w --protected group,sex -o "$T_TMP/out.json" "$T_TMP/w.csv"
t_run "audit-fair with scores" 0 "$F" -q --label label --pred pred --score score \
	--protected group -o "$T_TMP/plain.json" "$DATA"
t_ok "no calibration without scores" sh -c "'$F' -q --label label --pred pred --protected group \
	'$DATA' | jq -e '[.results.attributes[].groups[] | has(\"calibration\")] | any | not' >/dev/null"

cat >"$T_TMP/check.py" <<'PY'
import json, math, sys
import numpy as np
import pandas as pd

csv, doc, weighted = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
d = pd.read_csv(csv)
out = json.load(open(doc))
w = d["w"].astype(float) if weighted else pd.Series(1.0, index=d.index)
d = d.assign(_w=w, _b=np.minimum(np.floor(d["score"] * 10), 9).astype(int))
bad = n = 0
for a in out["results"]["attributes"]:
    for g in a["groups"]:
        sub = d[d[a["attribute"]].astype(str) == g["group"]]
        cal = g["calibration"]
        if len(cal) != 10:
            print("mismatch: %s/%s has %d bins" % (a["attribute"], g["group"], len(cal)))
            bad += 1
            continue
        ece = 0.0
        for b, got in enumerate(cal):
            rows = sub[sub["_b"] == b]
            sw = rows["_w"].sum()
            want = {"lo": b / 10, "hi": (b + 1) / 10, "count": len(rows),
                    "mean_score": (rows["_w"] * rows["score"]).sum() / sw if sw > 0 else None,
                    "observed_rate": (rows["_w"] * (rows["label"] == 1)).sum() / sw if sw > 0 else None}
            if sw > 0:
                ece += abs((rows["_w"] * rows["score"]).sum() - (rows["_w"] * (rows["label"] == 1)).sum())
            for k, v in want.items():
                n += 1
                x = got.get(k)
                if (v is None) != (x is None) or (v is not None and abs(x - v) > 1e-12 * max(1, abs(v))):
                    print("mismatch: %s/%s bin %d %s: want %r got %r" % (a["attribute"], g["group"], b, k, v, x))
                    bad += 1
        n += 1
        ece /= sub["_w"].sum()
        if abs(ece - g["metrics"]["ece"]) > 1e-12:
            print("mismatch: %s/%s ece: from the bins %r, document %r" % (a["attribute"], g["group"], ece, g["metrics"]["ece"]))
            bad += 1
print("%d compared, %d mismatched" % (n, bad))
PY
for c in "weighted $T_TMP/w.csv $T_TMP/out.json 1" "unweighted $DATA $T_TMP/plain.json 0"; do
	set -- $c
	"$PY" "$T_TMP/check.py" "$2" "$3" "$4" >"$T_TMP/cmp.txt" 2>&1
	grep "^mismatch:" "$T_TMP/cmp.txt" | head -n 5
	t_eq "$1: bins equal pandas" "$(tail -n 1 "$T_TMP/cmp.txt" | sed 's/^[0-9]* compared, //')" "0 mismatched"
	t_ok "$1: every group's bins compared" test "$(tail -n 1 "$T_TMP/cmp.txt" | cut -d' ' -f1)" -ge 100
	t_eq "$1: counts add up to each group's count" "$(jq '[.results.attributes[].groups[] |
		select(([.calibration[].count] | add) != .count)] | length' "$3")" 0
done
t_done
