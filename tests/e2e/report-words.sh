#!/bin/sh
# report-words.sh — the findings in plain words (robustness, mitigation, data,
# multi-class and regression): each sentence carries the document's numbers,
# its effect size and its interval. The expected sentences are computed here
# in Python from the documents (rates from counts, accuracies from confusion
# matrices, ratios and points from the two sides) and looked for in the text
# pdftotext reads back.
. tests/e2e/lib.sh
D=tests/data/report
R="$BIN/audit-report"

if ! command -v pdftotext >/dev/null 2>&1; then
	t_skip "report words" "poppler-utils (pdftotext) not installed"
	t_done
	exit $?
fi
PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import json' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	t_skip "report words" "no python3"
	t_done
	exit $?
fi
flat() { pdftotext "$1" - 2>/dev/null | tr '\n' ' ' | tr -s ' '; }
has() { if grep -qF -- "$3" "$2"; then t_pass "$1"; else t_fail "$1" "no '$3'"; fi; }

# The formats of a sentence: percentages whole from 10 %, one decimal from 1 %,
# two significant digits below; accuracies with one decimal; numbers with 3
# significant digits.
cat > "$T_TMP/words.py" <<'PYEOF'
import json, sys

def pct(v):
    x = v * 100
    if x == 0:
        return "0%"
    if abs(x) >= 10:
        return "%.0f%%" % x
    if abs(x) >= 1:
        return "%.1f%%" % x
    return "%.2g%%" % x

def pct1(v):
    return "%.1f%%" % (v * 100)

def ci(lo, hi, f=pct):
    return " (95%% CI %s to %s)" % (f(lo), f(hi))

def num(v):
    return "%.3g" % v

what, path = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
res = doc["results"]
if what == "flips":
    for p in res["perturbations"]:
        if p["spec"].startswith("flip:"):
            lo, hi = p["ci"]["flip_rate"]
            print("In plain words: changing only '%s', all else equal, changes %s of the decisions%s."
                  % (p["spec"][5:], pct(p["flips"] / p["rows"]), ci(lo, hi)))
elif what == "worst":
    worst = max((p for p in res["perturbations"] if not p["spec"].startswith("flip:")),
                key=lambda p: p["flips"] / p["rows"])
    ab, ap = res["baseline"]["accuracy"], worst["accuracy"]
    best = None
    for a in worst["by_group"]:
        gs = sorted(a["groups"], key=lambda g: g["flips"] / g["rows"])
        lo, hi = gs[0], gs[-1]
        if lo["flips"] > 0:
            r = (hi["flips"] / hi["rows"]) / (lo["flips"] / lo["rows"])
            if best is None or r > best[0]:
                best = (r, a["attribute"], hi, lo)
    g = lambda x: "'%s' (%s, 95%% CI %s to %s)" % (x["group"], pct(x["flips"] / x["rows"]),
                                                   pct(x["ci"]["flip_rate"][0]), pct(x["ci"]["flip_rate"][1]))
    print("In plain words: under '%s', %s of the decisions change%s; accuracy goes from %s to %s "
          "(%+.1f points); by '%s', decisions change %.1f times as often for %s as for %s."
          % (worst["spec"], pct(worst["flips"] / worst["rows"]), ci(*worst["ci"]["flip_rate"]),
             pct1(ab), pct1(ap), (ap - ab) * 100, best[1], best[0], g(best[2]), g(best[3])))
elif what == "mitigate":
    db = res["before"]["demographic_parity_difference"]
    da = res["after"]["demographic_parity_difference"]
    ob, oa = res["before"]["accuracy"], res["after"]["accuracy"]
    most = max(res["groups"], key=lambda g: abs(g["after"]["selection_rate"] - g["before"]["selection_rate"]))
    print("In plain words: the mitigation brings the demographic parity difference (the largest gap in "
          "selection rate between groups) from %s to %s (%.0f%% %s), and accuracy goes from %s to %s "
          "(%+.1f points); the group that changes most is '%s', whose selection rate goes from %s to %s."
          % (pct(db), pct(da), abs(db - da) / db * 100, "smaller" if da <= db else "larger",
             pct1(ob), pct1(oa), (oa - ob) * 100, most["group"],
             pct(most["before"]["selection_rate"]), pct(most["after"]["selection_rate"])))
elif what == "drift":
    c = max((c for c in res["columns"] if c["drift"] and c["test"] == "wasserstein"),
            key=lambda c: c["value"] / c["threshold"])
    print("In plain words: the strongest drift is in '%s': its values moved by %s standard deviations "
          "on average (normed Wasserstein distance), %.2g times the threshold %s."
          % (c["column"], num(c["value"]), c["value"] / c["threshold"], num(c["threshold"])))
elif what == "profile":
    c = max(res["columns_profile"], key=lambda c: c["missing"])
    print("In plain words: '%s' is missing in %s of the rows (%d of %d)."
          % (c["column"], pct(c["missing"] / res["rows"]), c["missing"], res["rows"]))
elif what == "multiclass":
    for a in res["attributes"]:
        acc = lambda g: sum(g["confusion"][i][i] for i in range(len(g["confusion"]))) / \
            sum(sum(r) for r in g["confusion"])
        gs = sorted(a["groups"], key=acc)
        lo, hi = gs[0], gs[-1]
        print("In plain words: the model predicts the right class for %s of the rows of '%s'%s, "
              "against %s of '%s'%s: %.1f points less."
              % (pct(acc(lo)), lo["group"], ci(*lo["ci"]["accuracy"]), pct(acc(hi)), hi["group"],
                 ci(*hi["ci"]["accuracy"]), (acc(hi) - acc(lo)) * 100))
elif what == "regression":
    for a in res["attributes"]:
        gs = sorted(a["groups"], key=lambda g: g["mae"])
        lo, hi = gs[0], gs[-1]
        print("In plain words: predictions for '%s' are off by %s on average (mean absolute error, "
              "95%% CI %s to %s), against %s for '%s'%s: %.2g times as much."
              % (hi["group"], num(hi["mae"]), num(hi["ci"]["mae"][0]), num(hi["ci"]["mae"][1]),
                 num(lo["mae"]), lo["group"], ci(*lo["ci"]["mae"], f=num), hi["mae"] / lo["mae"]))
PYEOF
words() { "$PY" "$T_TMP/words.py" "$@"; }
check() { # NAME PDF-TEXT KIND DOC: every expected sentence is in the text
	words "$3" "$4" > "$T_TMP/want.txt"
	if [ ! -s "$T_TMP/want.txt" ]; then t_fail "$1: no expected sentence"; return; fi
	while IFS= read -r s; do has "$1" "$2" "$s"; done < "$T_TMP/want.txt"
}

# robustness: each flip test; the worst perturbation of a document whose
# worst one has an accuracy and groups (robust.json without the others)
t_run "robust report" 0 "$R" -o "$T_TMP/rob.pdf" $D/robust.json
flat "$T_TMP/rob.pdf" > "$T_TMP/rob.txt"
check "robust: flip tests with rate and interval" "$T_TMP/rob.txt" flips $D/robust.json
jq '.results.perturbations |= map(select((.spec | startswith("flip:")) or .spec == "gaussian:0.05"))' \
    $D/robust.json > "$T_TMP/rob1.json"
t_run "robust report, one perturbation" 0 "$R" -o "$T_TMP/rob1.pdf" "$T_TMP/rob1.json"
flat "$T_TMP/rob1.pdf" > "$T_TMP/rob1.txt"
check "robust: worst perturbation, accuracy change, groups as a ratio" "$T_TMP/rob1.txt" worst "$T_TMP/rob1.json"

t_run "mitigation report" 0 "$R" -o "$T_TMP/mit.pdf" $D/mitigate-thresholds.json
flat "$T_TMP/mit.pdf" > "$T_TMP/mit.txt"
check "mitigation: disparity before and after, objective in points, the group" "$T_TMP/mit.txt" \
    mitigate $D/mitigate-thresholds.json

t_run "data report" 0 "$R" -o "$T_TMP/dat.pdf" $D/drift.json $D/data-profile.json
flat "$T_TMP/dat.pdf" > "$T_TMP/dat.txt"
check "drift: the strongest drift against its threshold" "$T_TMP/dat.txt" drift $D/drift.json
check "profile: the most missing column" "$T_TMP/dat.txt" profile $D/data-profile.json

t_run "task report" 0 "$R" -o "$T_TMP/task.pdf" $D/fair-multiclass.json $D/fair-regression.json
flat "$T_TMP/task.pdf" > "$T_TMP/task.txt"
check "multi-class: accuracies from the confusion matrices, gap in points" "$T_TMP/task.txt" \
    multiclass $D/fair-multiclass.json
check "regression: MAE of the worst and best groups, ratio" "$T_TMP/task.txt" \
    regression $D/fair-regression.json
t_done
