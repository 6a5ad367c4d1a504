#!/bin/sh
# synth.sh — audit-synth end to end: files written atomically, determinism,
# and the planted model reproduced by the other tools when they exist:
# audit-predict gives the CSV's score to 1e-12, a counterfactual flip of the
# protected attributes (audit-robust) changes no decision.
. tests/e2e/lib.sh
S="$BIN/audit-synth"

# ---- outputs ----
mkdir -p "$T_TMP/out"
t_run "-o and --model-out" 0 "$S" --rows 300 --seed 5 -o "$T_TMP/out/d.csv" --model-out "$T_TMP/out/m.pmml"
t_eq "-o and --model-out: nothing on stdout" "$(wc -c <"$T_OUT" | tr -d ' ')" 0
t_eq "only the two files are left (no temporary file)" "$(ls -A "$T_TMP/out" | tr '\n' ' ')" "d.csv m.pmml "
t_run "same run to stdout" 0 "$S" --rows 300 --seed 5
cp "$T_OUT" "$T_TMP/stdout.csv"
t_ok "-o writes what stdout gets" cmp "$T_TMP/stdout.csv" "$T_TMP/out/d.csv"
t_eq "301 lines (header + 300 rows)" "$(wc -l <"$T_TMP/out/d.csv" | tr -d ' ')" 301
t_ok "the model does not depend on rows or seed" sh -c \
	"'$S' --rows 0 --seed 99 -o '$T_TMP/x.csv' --model-out - | cmp - '$T_TMP/out/m.pmml'"
XSD=$(t_shared)/pmml-conformance/pmml-4-4.xsd
if ! command -v xmllint >/dev/null 2>&1; then
	t_skip "PMML validates against the PMML 4.4 schema" "xmllint is not installed"
elif [ ! -f "$XSD" ]; then
	t_skip "PMML validates against the PMML 4.4 schema" "../shared/pmml-conformance/pmml-4-4.xsd is absent"
else
	t_ok "PMML validates against the PMML 4.4 schema" xmllint --noout --nonet --schema "$XSD" "$T_TMP/out/m.pmml"
	t_ok "bundled PMML validates too" xmllint --noout --nonet --schema "$XSD" datasets/credit-planted.pmml
fi
t_ok "PMML names neither sex nor group" sh -c "! grep -E 'name=\"(sex|group)\"' '$T_TMP/out/m.pmml'"

# an existing file is replaced only by a complete run
echo old >"$T_TMP/out/keep.csv"
t_run "--rows abc leaves the old file" 2 "$S" --rows abc -o "$T_TMP/out/keep.csv"
t_eq "old file untouched" "$(cat "$T_TMP/out/keep.csv")" old
t_run "model-out into a missing folder: exit 5" 5 "$S" --rows 3 -o "$T_TMP/out/keep.csv" --model-out "$T_TMP/none/m.pmml"
t_eq "old file still untouched" "$(cat "$T_TMP/out/keep.csv")" old
t_run "a good run replaces it" 0 "$S" --rows 3 -o "$T_TMP/out/keep.csv"
t_eq "replaced" "$(wc -l <"$T_TMP/out/keep.csv" | tr -d ' ')" 4
t_eq "still no temporary files" "$(ls -A "$T_TMP/out" | tr '\n' ' ')" "d.csv keep.csv m.pmml "

# ---- determinism ----
"$S" --rows 2000 --seed 7 >"$T_TMP/a.csv"
"$S" --rows 2000 --seed 7 >"$T_TMP/b.csv"
"$S" --rows 2000 --seed 8 >"$T_TMP/c.csv"
"$S" --rows 1000 --seed 7 >"$T_TMP/p.csv"
t_ok "same seed, same bytes" cmp "$T_TMP/a.csv" "$T_TMP/b.csv"
t_ok "another seed, other bytes" sh -c "! cmp -s '$T_TMP/a.csv' '$T_TMP/c.csv'"
t_ok "first 1000 rows of 2000 = a run of 1000" sh -c "head -n 1001 '$T_TMP/a.csv' | cmp - '$T_TMP/p.csv'"
LC_ALL=de_DE.UTF-8 "$S" --rows 200 --seed 7 >"$T_TMP/de.csv" 2>/dev/null
t_ok "the locale does not change the output" sh -c "head -n 201 '$T_TMP/a.csv' | cmp - '$T_TMP/de.csv'"

# ---- planted drift: --shift, --months, --shift-from ----
# Independent of the generator's code: the sample's own sd, binomial errors.
"$S" --rows 100000 --seed 11 >"$T_TMP/base.csv"
"$S" --rows 100000 --seed 11 --shift income=0.5 --shift region=0.3 --shift label=1 >"$T_TMP/shift.csv"
# income is column 3, region 10, label 13, score 14
res=$(awk -F, 'FNR == 1 { next }
	FILENAME == ARGV[1] { n++; s += $3; ss += $3 * $3; w += ($10 == "west"); l0 += $13; sc0[FNR] = $14 }
	FILENAME == ARGV[2] { s2 += $3; w2 += ($10 == "west"); l1 += $13; if ($10 == "west") ; }
	END { m = s / n; sd = sqrt(ss / n - m * m)
		printf "%.6f %.6f %.6f %.6f %.6f %.6f %d", sd, s2 / n - m, w / n, w2 / n, l0 / n, l1 / n, n }' \
	"$T_TMP/base.csv" "$T_TMP/shift.csv")
# shellcheck disable=SC2086
set -- $res
t_eq "--shift: 100000 rows" "$7" 100000
# the mean moves by 0.5 sd; the documented sd (23.2) is the population's, the
# sample's sd of 100000 lognormal values is within 1% of it
t_close "--shift income=0.5: mean moved by 0.5 x the sample sd (within 1%)" "$2" "$(awk -v s="$1" 'BEGIN { print 0.5 * s }')" \
	"$(awk -v s="$1" 'BEGIN { print 0.005 * s }')"
# region=0.3: west share p becomes 0.7 p + 0.3; binomial error of 100000 rows
t_close "--shift region=0.3: west share = 0.7 p + 0.3 (4.5 binomial se)" "$4" \
	"$(awk -v p="$3" 'BEGIN { print 0.7 * p + 0.3 }')" "$(awk -v p="$4" 'BEGIN { print 4.5 * sqrt(p * (1 - p) / 100000) }')"
t_ok "--shift label=1: the base rate rises by more than 0.1" awk -v a="$5" -v b="$6" 'BEGIN { exit !(b - a > 0.1) }'
t_eq "--shift: id, age, sex and group unchanged" "$(cut -d, -f1,2,11,12 "$T_TMP/base.csv" | md5sum)" \
	"$(cut -d, -f1,2,11,12 "$T_TMP/shift.csv" | md5sum)"
"$S" --rows 1000 --seed 11 --shift label=1 >"$T_TMP/l.csv"
t_eq "--shift label: the score does not follow" "$(head -n 1001 "$T_TMP/base.csv" | cut -d, -f14 | md5sum)" \
	"$(cut -d, -f14 "$T_TMP/l.csv" | md5sum)"
t_ok "--shift: same options, same bytes" sh -c "'$S' --rows 100000 --seed 11 --shift income=0.5 --shift region=0.3 --shift label=1 | cmp - '$T_TMP/shift.csv'"
"$S" --rows 1000 --seed 11 >"$T_TMP/l0.csv"
t_ok "--shift region=0: the same bytes as no shift" sh -c "'$S' --rows 1000 --seed 11 --shift region=0 | cmp - '$T_TMP/l0.csv'"
"$S" --rows 1000 --seed 11 --months 4 --shift age=2 --shift-from 3 >"$T_TMP/m.csv"
t_eq "--months 4: 250 rows a month" "$(cut -d, -f2 "$T_TMP/m.csv" | sed 1d | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')" \
	"2025-01=250 2025-02=250 2025-03=250 2025-04=250 "
t_eq "--shift-from 3: months 1-2 are the unshifted rows" "$(sed -n 2,501p "$T_TMP/m.csv" | cut -d, -f1,3- | md5sum)" \
	"$(sed -n 2,501p "$T_TMP/l0.csv" | md5sum)"
t_eq "--shift-from 3: months 3-4 have age + 2 x 10.6 = 21 (rounded to whole years)" \
	"$(paste -d, "$T_TMP/l0.csv" "$T_TMP/m.csv" | sed -n 502,1001p | awk -F, '{ print $18 - $2 }' | sort -u)" 21

# ---- the planted model through audit-predict ----
if [ ! -x "$BIN/audit-predict" ]; then
	t_skip "audit-predict reproduces score to 1e-12" "$BIN/audit-predict does not exist yet (pmml branch)"
else
	"$S" --rows 5000 --seed 3 --model-out "$T_TMP/m.pmml" >"$T_TMP/d.csv"
	cut -d, -f1-13 "$T_TMP/d.csv" >"$T_TMP/in.csv"
	t_run "audit-predict -m planted.pmml" 0 "$BIN/audit-predict" -m "$T_TMP/m.pmml" -o "$T_TMP/pred.csv" "$T_TMP/in.csv"
	t_eq "audit-predict: header" "$(head -n 1 "$T_TMP/pred.csv")" "$(head -n 1 "$T_TMP/d.csv")"
	# column 14 score, 15 pred: max |difference| and count of differing decisions
	res=$(paste -d, "$T_TMP/d.csv" "$T_TMP/pred.csv" | awk -F, 'NR > 1 {
		d = $14 - $29; if (d < 0) d = -d; if (d > m) m = d
		if ($14 + 0 != $29 + 0) ne++
		if ($15 != $30) bad++; n++ }
		END { printf "%d %d %.3g %d", n, bad + 0, m + 0, ne + 0 }')
	# shellcheck disable=SC2086
	set -- $res
	t_eq "audit-predict: 5000 rows" "$1" 5000
	t_eq "audit-predict: every pred agrees" "$2" 0
	t_close "audit-predict: max |score difference| <= 1e-12" "$3" 0 1e-12
	# the generator sums in the evaluators' order (intercept last): the same doubles
	t_eq "audit-predict: every score the same double" "$4" 0
	# the bundled pair, too
	t_run "audit-predict on the bundled dataset" 0 "$BIN/audit-predict" -m datasets/credit-planted.pmml \
		--score-col score2 --pred-col pred2 -o "$T_TMP/bundled.csv" datasets/credit.csv
	m=$(awk -F, 'NR > 1 { d = $14 - $16; if (d < 0) d = -d; if (d > m) m = d; if ($15 != $17) bad++ }
		END { printf "%.3g", (bad > 0) ? 1 : m + 0 }' "$T_TMP/bundled.csv")
	t_close "bundled credit.csv: score reproduced to 1e-12" "$m" 0 1e-12
fi

# ---- anti-classification: flipping sex or group changes nothing ----
if [ ! -x "$BIN/audit-robust" ]; then
	t_skip "counterfactual flip of sex and group is 0" "$BIN/audit-robust does not exist yet (robust branch)"
elif [ ! -x "$BIN/audit-predict" ]; then
	t_skip "counterfactual flip of sex and group is 0" "PMML models need the pmml branch"
else
	for col in sex group; do
		t_run "audit-robust --counterfactual $col" 0 "$BIN/audit-robust" -m datasets/credit-planted.pmml \
			--counterfactual "$col" --format json datasets/credit.csv
		cp "$T_OUT" "$T_TMP/robust.json"
		t_eq "flip of $col: flip_rate exactly 0" \
			"$(jq -r '[.results.perturbations[].flip_rate] | max' "$T_TMP/robust.json")" 0
	done
	# while the proxy does change decisions
	t_run "audit-robust --counterfactual region" 0 "$BIN/audit-robust" -m datasets/credit-planted.pmml \
		--counterfactual region --format json datasets/credit.csv
	cp "$T_OUT" "$T_TMP/robust.json"
	t_ok "flip of region changes decisions" awk -v r="$(jq -r '.results.perturbations[0].flip_rate' "$T_TMP/robust.json")" \
		'BEGIN { exit !(r > 0.1) }'
fi
# ---- slicing exercises: --error-rate, --weak-slice ----
# Checked from the CSV alone: binomial errors of 100000 rows, 4.5 se.
"$S" --rows 100000 --seed 13 >"$T_TMP/s0.csv"
"$S" --rows 100000 --seed 13 --error-rate 0.1 >"$T_TMP/s1.csv"
"$S" --rows 100000 --seed 13 --error-rate 0.1 --weak-slice 'region=west,age<30:0.35' >"$T_TMP/s2.csv"
"$S" --rows 100000 --seed 13 --weak-slice 'sex=female,income>=50:0.5' >"$T_TMP/s3.csv"
t_eq "--error-rate, --weak-slice: every column but pred unchanged" \
	"$(cut -d, -f1-14 "$T_TMP/s0.csv" | md5sum) $(cut -d, -f1-14 "$T_TMP/s0.csv" | md5sum)" \
	"$(cut -d, -f1-14 "$T_TMP/s1.csv" | md5sum) $(cut -d, -f1-14 "$T_TMP/s2.csv" | md5sum)"
t_eq "--weak-slice alone: every column but pred unchanged" "$(cut -d, -f1-14 "$T_TMP/s0.csv" | md5sum)" \
	"$(cut -d, -f1-14 "$T_TMP/s3.csv" | md5sum)"
# age is column 2, income 3, region 10, sex 11, label 13, pred 15
# shellcheck disable=SC2046  # the awk prints numbers only
set -- $(awk -F, 'FNR == 1 { next }
	FILENAME == ARGV[1] { n++; e1 += ($13 != $15) }
	FILENAME == ARGV[2] { w = ($10 == "west" && $2 < 30); nw += w; ew += w * ($13 != $15); eo += (1 - w) * ($13 != $15) }
	END { printf "%.6f %.6f %.6f %d %d", e1 / n, ew / nw, eo / (n - nw), nw, n }' "$T_TMP/s1.csv" "$T_TMP/s2.csv")
t_close "--error-rate 0.1: pred != label in 0.1 of rows" "$1" 0.1 "$(awk 'BEGIN { print 4.5 * sqrt(0.09 / 100000) }')"
t_close "--weak-slice: wrong in the slice 0.1 x 0.65 + 0.9 x 0.35 = 0.38" "$2" 0.38 \
	"$(awk -v n="$4" 'BEGIN { print 4.5 * sqrt(0.38 * 0.62 / n) }')"
t_close "--weak-slice: wrong outside it 0.1" "$3" 0.1 "$(awk -v n="$5" -v w="$4" 'BEGIN { print 4.5 * sqrt(0.09 / (n - w)) }')"
t_ok "--weak-slice: the slice has rows (west, under 30: $4)" [ "$4" -gt 1000 ]
# shellcheck disable=SC2046  # the awk prints numbers only
set -- $(awk -F, 'FNR == 1 { next } FILENAME == ARGV[1] { p[FNR] = $15; next }
	{ w = ($11 == "female" && $3 >= 50); nw += w; fw += w * ($15 != p[FNR]); fo += (1 - w) * ($15 != p[FNR]) }
	END { printf "%.6f %d %d", fw / nw, fo, nw }' "$T_TMP/s0.csv" "$T_TMP/s3.csv")
t_close "--weak-slice alone: pred flipped in half the slice (female, income >= 50)" "$1" 0.5 \
	"$(awk -v n="$3" 'BEGIN { print 4.5 * sqrt(0.25 / n) }')"
t_eq "--weak-slice alone: no pred flipped outside it" "$2" 0
"$S" --rows 2000 --seed 13 --error-rate 0 >"$T_TMP/s4.csv"
t_eq "--error-rate 0: pred is the label" "$(awk -F, 'NR > 1 && $13 != $15' "$T_TMP/s4.csv" | wc -l | tr -d ' ')" 0
t_ok "--error-rate, --weak-slice: same options, same bytes" sh -c \
	"'$S' --rows 100000 --seed 13 --error-rate 0.1 --weak-slice 'region=west,age<30:0.35' | cmp - '$T_TMP/s2.csv'"
t_ok "--error-rate, --weak-slice: the first 1000 rows of 100000 = a run of 1000" sh -c \
	"'$S' --rows 1000 --seed 13 --error-rate 0.1 --weak-slice 'region=west,age<30:0.35' | cmp - '$T_TMP/s2.csv' 2>&1 | grep -q EOF"
for bad in 'x=1:0.3' 'region<3:0.3' 'region=up:0.3' 'age<abc:0.2' 'age<30:2' 'age<30' '=3:0.1' 'label=1:0.1' \
	'a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9:0.1'; do
	t_run "--weak-slice '$bad': exit 2" 2 "$S" --rows 1 --weak-slice "$bad"
done
cp "$T_ERR" "$T_TMP/ws.err"
t_ok "... one line naming the problem" sh -c "[ \$(wc -l <'$T_TMP/ws.err') -eq 1 ] && grep -q 'weak-slice' '$T_TMP/ws.err'"
t_run "--error-rate 1.5: exit 2" 2 "$S" --rows 1 --error-rate 1.5
t_done
