#!/bin/sh
# synth-sentiment.sh — audit-synth --scenario sentiment: the columns, the
# same bytes for the same seed (and the first n rows of a longer run equal a
# run of n rows), each row's words column equal to its text's word count
# (counted here by awk), the planted weaknesses measured here by awk (model_a
# on negated posts, model_b on posts with a hashtag), and the options the
# scenario refuses.
. tests/e2e/lib.sh
S="$BIN/audit-synth"

t_run "4000 rows" 0 "$S" --scenario sentiment --rows 4000 --seed 11 -o "$T_TMP/s.csv"
t_eq "header" "$(head -n 1 "$T_TMP/s.csv")" "id,source,text,words,hashtags,label,model_a,model_b,retweets,retweets_pred"
t_eq "4001 lines" "$(wc -l <"$T_TMP/s.csv" | tr -d ' ')" 4001
t_run "same seed again" 0 "$S" --scenario sentiment --rows 4000 --seed 11
cp "$T_OUT" "$T_TMP/again.csv"
t_ok "same seed, same bytes" cmp "$T_TMP/again.csv" "$T_TMP/s.csv"
t_run "the first 100 rows" 0 "$S" --scenario sentiment --rows 100 --seed 11
t_eq "a shorter run is a prefix" "$(cksum <"$T_OUT")" "$(head -n 101 "$T_TMP/s.csv" | cksum)"
t_run "another seed" 0 "$S" --scenario sentiment --rows 100 --seed 12
cp "$T_OUT" "$T_TMP/other.csv"
t_ok "another seed, other rows" sh -c "! head -n 101 '$T_TMP/s.csv' | cmp -s - '$T_TMP/other.csv'"
t_run "0 rows" 0 "$S" --scenario sentiment --rows 0
t_eq "0 rows: the header only" "$(wc -l <"$T_OUT" | tr -d ' ')" 1

# every row: 9 fields, no quote, words = the text's word count, known values
t_eq "every row well formed" "$(awk -F, 'NR > 1 {
	n = split($3, w, " ")
	if (NF != 10 || index($0, "\"") || $4 != n || $1 != NR - 1) bad++
	if ($5 != gsub(/#/, "#", $3)) bad++
	if ($2 !~ /^(web|android|iphone)$/) bad++
	for (k = 6; k <= 8; k++) if ($k !~ /^(negative|neutral|positive)$/) bad++
	if ($9 !~ /^[0-9]+$/ || $10 !~ /^[0-9]+\.[0-9]$/) bad++
} END { print bad + 0 }' "$T_TMP/s.csv")" 0

# accuracy of a model (column k) on rows whose text matches re, and on the others
acc() { awk -F, -v k="$1" -v re="$2" 'NR > 1 {
	m = ($3 ~ re); n[m]++; ok[m] += ($k == $6)
} END { printf "%.3f %.3f %d\n", ok[1] / n[1], ok[0] / n[0], n[1] }' "$T_TMP/s.csv"; }
# lower IN OUT: IN is at least 0.25 below OUT
lower() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0.25 < b) }'; }
set -- $(acc 7 ' (not|never|hardly) ')
t_ok "model_a is weak on negated posts ($1 against $2, $3 posts)" lower "$1" "$2"
set -- $(acc 8 ' (not|never|hardly) ')
t_ok "model_b is not ($1 against $2)" sh -c "! awk -v a=$1 -v b=$2 'BEGIN { exit !(a + 0.1 < b) }'"
set -- $(acc 8 '#')
t_ok "model_b is weak on posts with a hashtag ($1 against $2, $3 posts)" lower "$1" "$2"
set -- $(acc 7 '#')
t_ok "model_a is not ($1 against $2)" sh -c "! awk -v a=$1 -v b=$2 'BEGIN { exit !(a + 0.1 < b) }'"
# a neutral post is never negated
t_eq "no negated neutral post" "$(awk -F, '$6 == "neutral" && $3 ~ / (not|never|hardly) / { n++ } END { print n + 0 }' "$T_TMP/s.csv")" 0
# android carries more hashtags than web
t_ok "android posts carry more hashtags than web posts" awk -F, 'NR > 1 { n[$2]++; h[$2] += ($3 ~ /#/) }
	END { exit !(h["android"] / n["android"] > h["web"] / n["web"] + 0.15) }' "$T_TMP/s.csv"

# refused options
t_run "--model-out refused" 2 "$S" --scenario sentiment --model-out "$T_TMP/m.pmml" -o "$T_TMP/x.csv"
t_eq "--model-out: the message" "$(head -n 1 "$T_ERR")" "audit-synth: --model-out: the sentiment scenario has no planted model to write (its models' predictions are columns) (see 'audit-synth --help')"
t_eq "--model-out: nothing written" "$(ls "$T_TMP"/m.pmml "$T_TMP"/x.csv 2>/dev/null)" ""
t_run "--shift refused" 2 "$S" --scenario sentiment --shift income=1
t_eq "--shift: the message" "$(head -n 1 "$T_ERR")" "audit-synth: --shift: the sentiment scenario has no drift exercises (credit has) (see 'audit-synth --help')"
t_run "--months refused" 2 "$S" --scenario sentiment --months 3
t_done
