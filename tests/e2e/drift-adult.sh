#!/bin/sh
# drift-adult.sh — audit-data drift on Adult's training file (the reference)
# against its test file: every statistic of the drift-adult reference
# (SciPy 1.10: ks_2samp with its method, wasserstein_distance and its normed
# form, chisquare, jensenshannon, PSI; missing counts) equal to 1e-9, for the
# whole files and for their first 800 / 600 rows (the exact KS regime).
# Skipped when ../shared is absent.
. tests/e2e/lib.sh

S=$(t_shared)
REF=$S/reference/drift-adult/expected.json
if [ -z "$S" ] || [ ! -f "$REF" ] || [ ! -f "$S/datasets/adult.data" ]; then
	t_skip drift-adult "../shared/reference/drift-adult or ../shared/datasets is absent"
	t_done
	exit $?
fi
PY=$(t_python json)
if [ -z "$PY" ]; then
	t_skip drift-adult "no python3"
	t_done
	exit $?
fi
A=age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income

# want.py SECTION: that part of the reference, as drift-compare.py reads it
section() {
	"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1]))[sys.argv[2]]
json.dump({"numeric": d["numeric"], "categorical": d["categorical"]}, open(sys.argv[3], "w"))
print(d["reference_rows"], d["current_rows"])' "$REF" "$1" "$T_TMP/want-$1.json"
}

# compare NAME: every value of $T_TMP/NAME.json against want-NAME.json
compare() {
	"$PY" tests/e2e/drift-compare.py "$T_TMP/$1.json" "$T_TMP/want-$1.json" "$1" >"$T_TMP/$1.cmp"
	while read -r kind name got want; do
		if [ "$kind" = num ]; then t_close "$name" "$got" "$want" 1e-9
		else t_eq "$name" "$got" "$want"; fi
	done <"$T_TMP/$1.cmp"
}

run() {
	name=$1 ref=$2 cur=$3
	set -- $(section "$name")
	t_run "$name: drift runs" 0 "$BIN/audit-data" drift --no-header --names "$A" \
	    --skip-lines 1 --reference-skip-lines 0 --strip-suffix . --reference "$ref" \
	    -o "$T_TMP/$name.json" "$cur"
	[ -s "$T_TMP/$name.json" ] || return 0
	t_eq "$name: reference rows" "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["input"]["reference"]["rows"])' "$T_TMP/$name.json")" "$1"
	t_eq "$name: current rows" "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["input"]["rows"])' "$T_TMP/$name.json")" "$2"
	compare "$name"
}

run full "$S/datasets/adult.data" "$S/datasets/adult.test"

# the first 800 reference rows and the first 600 current rows (after the banner)
head -n 800 "$S/datasets/adult.data" >"$T_TMP/ref800.csv"
head -n 601 "$S/datasets/adult.test" >"$T_TMP/cur600.csv"
run small "$T_TMP/ref800.csv" "$T_TMP/cur600.csv"

# without --strip-suffix the income values differ by their '.': the warning says so
t_run "no strip: runs" 0 "$BIN/audit-data" drift --no-header --names "$A" --skip-lines 1 \
    --reference-skip-lines 0 --reference "$T_TMP/ref800.csv" -o "$T_TMP/nostrip.json" \
    "$T_TMP/cur600.csv"
t_eq "no strip: the hint" "$(grep -c "column 'income'.*--strip-suffix \." "$T_ERR")" 1
t_done
