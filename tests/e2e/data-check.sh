#!/bin/sh
# data-check.sh — audit-data check:
#  - a generated 10,000-row file with one planted violation of each kind (and
#    a missing rate above its bound): each counted once, at the line planted,
#    the offending rows written by --rows-out, exit 1 with one stderr line per
#    column and kind;
#  - Adult (when ../shared/datasets is there): the schema profile
#    --emit-schema writes from adult.data passes on adult.data (exit 0), and
#    adult.test (--skip-lines 1: its banner) fails on income, whose values
#    all end with '.' there: '<=50K.' and '>50K.' are unseen categories from
#    its first data line (line 2), 16,281 of them (counted here by awk).
. tests/e2e/lib.sh

# ---- the generated file -------------------------------------------------------
G="$T_TMP/gen.csv"
awk 'BEGIN {
	print "id,age,score,grp,note"
	split("a b c", g, " ")
	for (i = 1; i <= 10000; i++) {
		id = i; age = 18 + (i * 7) % 80; score = (i % 1000) / 1000; grp = g[1 + i % 3]
		if (i % 50 == 0) grp = ""          # 200 missing: rate 0.02 > 0.01
		if (i == 101) age = "abc"          # wrong_kind, line 102
		if (i == 202) age = "30.5"         # not_integer, line 203
		if (i == 303) age = 150            # out_of_range, line 304
		if (i == 304) score = 1.5          # out_of_range, line 305
		if (i == 405) grp = "z"            # unseen_category, line 406
		if (i == 506) age = ""             # missing_value, line 507
		if (i == 607) id = 17              # duplicate_key, line 608
		printf "%s,%s,%s,%s,n%d\n", id, age, score, grp, i
	}
}' >"$G"
cat >"$T_TMP/gen-schema.json" <<'EOF'
{
  "schema": "audit.data-schema/1",
  "columns": [
    {"name": "id", "kind": "numeric", "integer": true, "nullable": false},
    {"name": "age", "kind": "numeric", "nullable": false, "min": 18, "max": 99,
     "integer": true},
    {"name": "score", "kind": "numeric", "min": 0, "max": 1},
    {"name": "grp", "kind": "categorical", "categories": ["a", "b", "c"],
     "max_missing_rate": 0.01},
    {"name": "city", "kind": "categorical"}
  ],
  "key": ["id"],
  "extra_columns": "error"
}
EOF
t_run "check of the planted file exits 1" 1 "$BIN/audit-data" check \
    --schema "$T_TMP/gen-schema.json" --rows-out "$T_TMP/rows.csv" --format csv \
    -o "$T_TMP/gen.txt" "$G"
t_eq "each planted violation once, at its line" "$(cat "$T_TMP/gen.txt")" \
"column,violation,count,first
id,duplicate_key,1,$G:608
age,wrong_kind,1,$G:102
age,not_integer,1,$G:203
age,out_of_range,1,$G:304
age,missing_value,1,$G:507
score,out_of_range,1,$G:305
grp,unseen_category,1,$G:406
grp,missing_rate,1,$G:51
city,missing_column,1,$G:1
note,unexpected_column,1,$G:1"
t_eq "one stderr line per column and kind" "$(grep -c 'check failed: violations == 0 (' "$T_ERR")" 10
t_eq "the stderr line names column, kind and first line" \
    "$(grep 'score / out_of_range' "$T_ERR")" \
    "audit-data: check failed: violations == 0 (score / out_of_range, first at $G:305, value 1)"
t_eq "--rows-out: the header and the 7 offending rows" "$(cut -d, -f1,2 "$T_TMP/rows.csv")" \
"violations,id
wrong_kind:age,101
not_integer:age,202
out_of_range:age,303
out_of_range:score,304
unseen_category:grp,405
missing_value:age,506
duplicate_key:id,17"
t_eq "--rows-out keeps each row's fields" "$(sed -n 2p "$T_TMP/rows.csv")" "wrong_kind:age,101,abc,0.101,c,n101"
t_run "the JSON document" 1 "$BIN/audit-data" check --schema "$T_TMP/gen-schema.json" \
    -o "$T_TMP/gen.json" --check 'age: violations == 4' --check 'violations.out_of_range <= 1' \
    --check 'offending_rows == 7' --check 'rows == 10000' "$G"
t_eq "totals: 10 violations in 6 columns" \
    "$(grep -E '"(violations|failed_columns|offending_rows)":[^[]*$' "$T_TMP/gen.json" | tr -d ' \t\n')" \
    '"violations":10,"failed_columns":6,"offending_rows":7,'
t_eq "requested checks pass, the built-in one fails" \
    "$(grep -c 'check failed: violations == 0' "$T_ERR") $(grep -c 'check failed' "$T_ERR")" "10 10"
# without the planted rows, with a looser bound on grp's missing values and
# the extra column allowed, it passes
awk -F, 'NR == 1 || (NR != 102 && NR != 203 && NR != 304 && NR != 305 && NR != 406 &&
    NR != 507 && NR != 608)' "$G" >"$T_TMP/clean.csv"
sed -e 's/"extra_columns": "error"/"extra_columns": "ignore"/' -e 's/"max_missing_rate": 0.01/"max_missing_rate": 0.05/' \
    -e '/"name": "city"/d' -e 's/"categories": \["a", "b", "c"\],/"categories": ["a", "b", "c"],/' \
    "$T_TMP/gen-schema.json" | awk '{ lines[NR] = $0 } END { for (i = 1; i <= NR; i++) {
	l = lines[i]; if (lines[i + 1] ~ /^  \],?$/) sub(/},$/, "}", l); print l } }' \
    >"$T_TMP/clean-schema.json"
t_run "a file without violations passes" 0 "$BIN/audit-data" check \
    --schema "$T_TMP/clean-schema.json" --format csv -o "$T_TMP/clean.txt" "$T_TMP/clean.csv"
t_eq "no violation listed" "$(cat "$T_TMP/clean.txt")" "column,violation,count,first"

# ---- Adult --------------------------------------------------------------------
S=$(t_shared)
if [ -z "$S" ] || [ ! -f "$S/datasets/adult.data" ] || [ ! -f "$S/datasets/adult.test" ]; then
	t_skip "data-check adult" "../shared/datasets/adult.data or adult.test is absent"
	t_done
	exit $?
fi
NAMES=age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income
TEST=$S/datasets/adult.test
t_run "profile --emit-schema of adult.data" 0 "$BIN/audit-data" profile -q --no-header \
    --names "$NAMES" --emit-schema "$T_TMP/adult-schema.json" -o "$T_TMP/adult.json" \
    "$S/datasets/adult.data"
t_eq "the schema lists income's two categories" \
    "$(tr -d ' \t\n' <"$T_TMP/adult-schema.json" | grep -o '"name":"income","kind":"categorical","nullable":false,"categories":\[[^]]*\]')" \
    '"name":"income","kind":"categorical","nullable":false,"categories":["<=50K",">50K"]'
t_run "adult.data passes its own schema" 0 "$BIN/audit-data" check -q --no-header \
    --names "$NAMES" --schema "$T_TMP/adult-schema.json" -o "$T_TMP/c.json" \
    "$S/datasets/adult.data"
n=$(awk 'NR > 1 && /K\.$/' "$TEST" | wc -l | tr -d ' ')
t_eq "awk: every data line of adult.test ends with 'K.'" "$n" 16281
t_run "adult.test fails" 1 "$BIN/audit-data" check -q --skip-lines 1 --no-header \
    --names "$NAMES" --schema "$T_TMP/adult-schema.json" --format csv \
    -o "$T_TMP/test.txt" "$TEST"
t_eq "income: unseen categories from line 2" \
    "$(grep 'income / unseen_category' "$T_ERR")" \
    "audit-data: check failed: violations == 0 (income / unseen_category, first at $TEST:2, value $n)"
t_eq "the view says the same" "$(grep '^income,' "$T_TMP/test.txt")" \
    "income,unseen_category,$n,$TEST:2"
t_run "--rows-out of adult.test" 1 "$BIN/audit-data" check -q --skip-lines 1 --no-header \
    --names "$NAMES" --schema "$T_TMP/adult-schema.json" --columns income \
    --rows-out "$T_TMP/test-rows.csv" -o "$T_TMP/test.json" "$TEST"
t_eq "every row of adult.test is offending, income only" \
    "$(cut -d, -f1 "$T_TMP/test-rows.csv" | sort | uniq -c | sed 's/^ *//')" \
    "$n unseen_category:income
1 violations"
t_done
