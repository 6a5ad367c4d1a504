#!/bin/sh
# fair.sh — end-to-end tests of audit-fair: the lecture example, a hand-computed
# file, checks and exit codes, formats, atomic output, bootstrap reproducibility.
. tests/e2e/lib.sh
F="$BIN/audit-fair"
D=tests/data/fair

# --- the lecture example, built with awk ---
# sex Male: TP 23, FP 11, FN 41, TN 925; Female: TP 13, FP 5, FN 2, TN 480
awk 'function rows(sex, y, p, n,  i) { for (i = 0; i < n; i++) print sex "," y "," p }
BEGIN { print "sex,label,pred"
	rows("Male", 1, 1, 23); rows("Male", 0, 1, 11); rows("Male", 1, 0, 41); rows("Male", 0, 0, 925)
	rows("Female", 1, 1, 13); rows("Female", 0, 1, 5); rows("Female", 1, 0, 2); rows("Female", 0, 0, 480) }' \
	>"$T_TMP/lecture.csv"
t_run "lecture: runs" 0 "$F" --label label --pred pred --protected sex --format json "$T_TMP/lecture.csv"
cp "$T_OUT" "$T_TMP/lecture.json"
t_close "lecture: demographic_parity_ratio = 0.034/0.036" \
	"$(jq '.results.attributes[0].summary.demographic_parity_ratio' "$T_TMP/lecture.json")" \
	"$(awk 'BEGIN { printf "%.17g", 0.034 / 0.036 }')" 1e-12
t_close "lecture: equalized_odds_difference = 13/15 - 23/64" \
	"$(jq '.results.attributes[0].summary.equalized_odds_difference' "$T_TMP/lecture.json")" \
	"$(awk 'BEGIN { printf "%.17g", 13 / 15 - 23 / 64 }')" 1e-12
t_close "lecture: Female FPR 5/485" \
	"$(jq '.results.attributes[0].groups[] | select(.group == "Female") | .metrics.fpr' "$T_TMP/lecture.json")" \
	"$(awk 'BEGIN { printf "%.17g", 5 / 485 }')" 1e-12
t_eq "lecture: reference is the largest group" \
	"$(jq -r '.results.attributes[0].reference' "$T_TMP/lecture.json")" Male
t_eq "lecture: groups listed by count" \
	"$(jq -r '[.results.attributes[0].groups[].group] | join(",")' "$T_TMP/lecture.json")" "Male,Female"
t_eq "lecture: four-fifths rule reported (EEOC), not gating" \
	"$(jq -r '.checks[0] | "\(.id) \(.convention) \(.status) \(.requested)"' "$T_TMP/lecture.json")" \
	"four_fifths_rule eeoc pass false"

# --- checks and exit status ---
t_run "check passes: exit 0" 0 "$F" -q --label label --pred pred --protected sex \
	--check 'demographic_parity_ratio>=0.9' "$T_TMP/lecture.csv"
t_eq "check passes: status" "$(jq -r '.checks[0].status' "$T_OUT")" pass
t_run "check fails: exit 1" 1 "$F" -q --label label --pred pred --protected sex \
	--check 'demographic_parity_ratio>=0.95' "$T_TMP/lecture.csv"
t_eq "check fails: status and value" "$(jq -r '.checks[0] | "\(.status) \(.threshold) \(.attribute)"' "$T_OUT")" \
	"fail 0.95 sex"
t_run "four-fifths failing alone: exit 0" 0 "$F" -q --label label --pred pred --protected sex \
	--favorable 0 --check 'equalized_odds_difference<1' "$T_TMP/lecture.csv"
t_run "policy file: one failing entry gives exit 1" 1 "$F" -q --label label --pred pred \
	--protected sex,race --policy "$D/policy.json" "$D/small.csv"
t_eq "policy file: entries" "$(jq -r '[.checks[] | select(.requested) | .status] | join(",")' "$T_OUT")" \
	"pass,fail,pass"
t_run "band convention" 0 "$F" -q --label label --pred pred --protected sex --four-fifths band \
	"$T_TMP/lecture.csv"
t_eq "band convention: two bounds" \
	"$(jq -r '[.checks[] | "\(.convention)\(.op)\(.threshold)"] | join(" ")' "$T_OUT")" "band>=0.8 band<=1.25"

# --- a hand-computed file (tests/data/fair/small.csv) ---
t_run "small: runs" 0 "$F" -q --label label --pred pred --score score --protected sex,race \
	--intersect "$D/small.csv"
cp "$T_OUT" "$T_TMP/small.json"
t_close "small: sex dp ratio 0.5/0.75" \
	"$(jq '.results.attributes[0].summary.demographic_parity_ratio' "$T_TMP/small.json")" 0.66666666666666667 1e-15
t_close "small: sex eo difference" \
	"$(jq '.results.attributes[0].summary.equalized_odds_difference' "$T_TMP/small.json")" 0.5 1e-15
t_eq "small: missing race is its own group" \
	"$(jq -r '.results.attributes[1].groups[] | select(.group == "(missing)") | "\(.count) \(.metrics.selection_rate)"' "$T_TMP/small.json")" \
	"1 1"
t_eq "small: intersection names, columns and values" \
	"$(jq -r '.results.attributes[2].groups[] | select(.group == "Male & B") | "\(.columns | join("+")) \(.values | join("+")) \(.count)"' "$T_TMP/small.json")" \
	"sex+race Male+B 2"
t_eq "small: Male & A FPR 1/1" \
	"$(jq -r '.results.attributes[2].groups[] | select(.group == "Male & A") | .metrics.fpr' "$T_TMP/small.json")" 1
t_eq "small: null FPR without negatives" \
	"$(jq -r '.results.attributes[2].groups[] | select(.group == "Female & A") | .metrics.fpr' "$T_TMP/small.json")" null
t_ok "small: a warning names the undefined metric" \
	grep -q "group 'Female & A': undefined (null): fpr" "$T_TMP/small.json"
t_eq "small: small groups marked" \
	"$(jq -r '[.results.attributes[0].groups[].small] | join(",")' "$T_TMP/small.json")" "true,true"
# weights: Male TP 1, FP 2, FN 1, TN 1; Female TP 1.5, TN 1, FP 1
t_run "small: weights" 0 "$F" -q --label label --pred pred --protected sex --weights w "$D/small.csv"
t_close "small: weighted Male selection rate 3/5" \
	"$(jq '.results.attributes[0].groups[] | select(.group == "Male") | .metrics.selection_rate' "$T_OUT")" 0.6 1e-15
t_close "small: weighted Female selection rate 2.5/3.5" \
	"$(jq '.results.attributes[0].groups[] | select(.group == "Female") | .metrics.selection_rate' "$T_OUT")" \
	"$(awk 'BEGIN { printf "%.17g", 2.5 / 3.5 }')" 1e-15
t_eq "small: count stays rows, weight the sum" \
	"$(jq -r '.results.attributes[0].groups[] | select(.group == "Female") | "\(.count) \(.weight)"' "$T_OUT")" "4 3.5"
# bins: age<30 (23, 29, 19), 30<=age<50 (35, 41, 33), age>=50 (52, 60)
t_run "small: bins" 0 "$F" -q --label label --pred pred --protected age --bins age=30,50 "$D/small.csv"
t_eq "small: bin groups and edges" \
	"$(jq -r '.results.attributes[0] | "\([.groups[] | "\(.group)=\(.count)"] | join(" ")) \(.bins.age | join(","))"' "$T_OUT")" \
	"30<=age<50=3 age<30=3 age>=50=2 30,50"
# score only: predicted positive when score >= threshold
t_run "small: threshold" 0 "$F" -q --label label --score score --threshold 0.6 --protected sex "$D/small.csv"
t_eq "small: threshold selection" \
	"$(jq -r '.results.attributes[0].groups[] | "\(.group)=\(.metrics.selection_rate)"' "$T_OUT" | tr '\n' ' ')" \
	"Female=0.5 Male=0.5 "
t_run "stdin input" 0 sh -c "\"$F\" -q --label label --pred pred --protected sex < $D/small.csv"
t_eq "stdin input: path" "$(jq -r '.input.path' "$T_OUT")" "-"

# --- formats ---
t_run "csv format" 0 "$F" -q --label label --pred pred --protected sex --format csv "$T_TMP/lecture.csv"
t_eq "csv: header" "$(head -n 1 "$T_OUT")" "attribute,group,count,small,metric,value,ci_low,ci_high,ratio,difference"
# overall (14 metrics, baseline_accuracy, tp, fp, fn, tn) + 2 groups x 19 + 9 summaries = 66 rows
t_eq "csv: one row per group and metric" "$(($(wc -l <"$T_OUT") - 1))" 66
t_eq "csv: the lecture's Male confusion counts" \
	"$(grep '^sex,Male,' "$T_OUT" | grep -E ',(tp|fp|fn|tn),' | cut -d, -f5,6 | tr '\n' ' ')" \
	"tp,23 fp,11 fn,41 tn,925 "
t_eq "csv: a row" "$(grep '^sex,Female,500,false,fpr,' "$T_OUT" | cut -d, -f6)" \
	"$(awk 'BEGIN { printf "%.17g", 5 / 485 }')"
t_run "md format" 0 "$F" -q --label label --pred pred --protected sex --format md "$T_TMP/lecture.csv"
cp "$T_OUT" "$T_TMP/lecture.md"
t_ok "md: course vocabulary beside library names" \
	grep -q 'independence / demographic parity.*demographic_parity_difference' "$T_TMP/lecture.md"
t_ok "md: FNR shown for separation" grep -q '| FNR |' "$T_TMP/lecture.md"
t_ok "md: sufficiency / predictive parity" grep -q 'sufficiency / predictive parity' "$T_TMP/lecture.md"
t_run "table format" 0 "$F" -q --label label --pred pred --protected sex --format table "$T_TMP/lecture.csv"
cp "$T_OUT" "$T_TMP/lecture.txt"
t_ok "table: separation / equalized odds" grep -q 'separation / equalized odds' "$T_TMP/lecture.txt"
t_ok "table: four-fifths rule named" grep -q 'four-fifths rule (eeoc)' "$T_TMP/lecture.txt"

# --- atomic output ---
echo stale >"$T_TMP/out.json"
t_run "failed run: exit 3" 3 "$F" --label nope --pred pred --protected sex -o "$T_TMP/out.json" "$T_TMP/lecture.csv"
t_eq "failed run: old output untouched" "$(cat "$T_TMP/out.json")" stale
t_run "successful run with -o" 0 "$F" -q --label label --pred pred --protected sex -o "$T_TMP/out.json" "$T_TMP/lecture.csv"
t_eq "successful run with -o: written" "$(jq -r .tool "$T_TMP/out.json")" audit-fair
t_eq "successful run with -o: nothing on stdout" "$(wc -c <"$T_OUT")" 0
t_eq "no temporary files left" "$(ls "$T_TMP" | grep -c '^\.\?out\.json.')" 0

# --- bootstrap: same seed, same bytes ---
t_run "bootstrap run 1" 0 "$F" -q --label label --pred pred --score score --protected sex,race \
	--ci-method bootstrap --bootstrap 200 --seed 5 "$D/small.csv"
cp "$T_OUT" "$T_TMP/b1.json"
t_run "bootstrap run 2" 0 "$F" -q --label label --pred pred --score score --protected sex,race \
	--ci-method bootstrap --bootstrap 200 --seed 5 "$D/small.csv"
cp "$T_OUT" "$T_TMP/b2.json"
t_ok "bootstrap: same seed, same bytes" cmp -s "$T_TMP/b2.json" "$T_TMP/b1.json"
t_run "bootstrap run 3" 0 "$F" -q --label label --pred pred --score score --protected sex,race \
	--ci-method bootstrap --bootstrap 200 --seed 6 "$D/small.csv"
cp "$T_OUT" "$T_TMP/b3.json"
t_run "bootstrap: another seed, other intervals" 1 cmp -s "$T_TMP/b3.json" "$T_TMP/b1.json"
t_eq "bootstrap: intervals of disparities" \
	"$(jq -r '.results.attributes[0].groups[1].disparity.selection_rate.ratio_ci | length' "$T_TMP/b1.json")" 2

# --- a protected column that is really an identifier ---
awk 'BEGIN { print "name,label,pred"; for (i = 0; i <= 10000; i++) print "p" i ",1," i % 2 }' >"$T_TMP/ids.csv"
t_run "too many distinct protected values: exit 3" 3 "$F" --label label --pred pred --protected name "$T_TMP/ids.csv"
t_eq "too many distinct protected values: message" "$(cat "$T_ERR")" \
	"audit-fair: $T_TMP/ids.csv:10002:1: protected column 'name' has more than 10000 distinct values: is it really a protected attribute?"
# 10000 groups is the most: a document far under audit-report's 256 MiB
awk 'BEGIN { print "name,label,pred"; for (i = 0; i < 10000; i++) print "p" i "," int(i / 2) % 2 "," i % 2 }' >"$T_TMP/ids10k.csv"
t_run "10000 groups: accepted" 0 "$F" -q --label label --pred pred --protected name -o "$T_TMP/ids10k.json" "$T_TMP/ids10k.csv"
t_ok "10000 groups: under 64 MiB of JSON" test "$(wc -c <"$T_TMP/ids10k.json")" -lt 67108864
t_eq "10000 groups: all there" "$(jq '.results.attributes[0].groups | length' "$T_TMP/ids10k.json")" 10000
# the groups of all attributes together: 2 x 6000 values
awk 'BEGIN { print "a,b,label,pred"; for (i = 0; i < 6000; i++) print "a" i ",b" i ",1," i % 2 }' >"$T_TMP/ab.csv"
t_run "too many groups in all attributes: exit 3" 3 "$F" --label label --pred pred --protected a,b "$T_TMP/ab.csv"
t_eq "too many groups in all attributes: message" "$(cat "$T_ERR")" \
	"audit-fair: the protected columns' values make more than 10000 groups in all attributes (audit-report reads documents of at most 256 MiB)"
# combinations: 110 x 110 values, 12100 cells
awk 'BEGIN { print "a,b,label,pred"; for (i = 0; i < 110; i++) for (j = 0; j < 110; j++) print "a" i ",b" j ",1," j % 2 }' >"$T_TMP/cells.csv"
t_run "too many combinations: exit 3" 3 "$F" --label label --pred pred --protected a,b "$T_TMP/cells.csv"
t_eq "too many combinations: message" "$(cat "$T_ERR")" \
	"audit-fair: more than 10000 combinations of the protected columns' values: are they all protected attributes?"
# bootstrap replicates: 2397 groups x 1000 replicates pass 1 GiB
awk 'BEGIN { print "name,label,pred"; for (i = 0; i < 2400; i++) print "p" i "," int(i / 2) % 2 "," i % 2 }' >"$T_TMP/ids2400.csv"
t_run "bootstrap replicates bound: exit 3" 3 "$F" --label label --pred pred --protected name \
	--ci-method bootstrap "$T_TMP/ids2400.csv"
t_eq "bootstrap replicates bound: message" "$(cat "$T_ERR")" \
	"audit-fair: --bootstrap 1000: the replicates of 2397 groups would need 1025 MiB, more than 1024 MiB: use fewer replicates"

t_done
