#!/bin/sh
# report-verdict.sh — the report's verdict equals audit-fair's exit status:
# without --check (only the four-fifths rule reported) no FAIL on the cover;
# with a failed check FAIL; checks decided by a small group say so, with n and
# the interval.
. tests/e2e/lib.sh
R="$BIN/audit-report"
F="$BIN/audit-fair"

if ! command -v pdftotext >/dev/null 2>&1; then
	t_skip "report verdict" "poppler-utils (pdftotext) not installed"
	t_done
	exit $?
fi

# 60 rows: race 'x' (58 rows, every fourth predicted 1) and 'y' (2 rows, never
# predicted 1): the four-fifths rule fails on race, and 'y' is small (n = 2)
awk 'BEGIN { print "label,pred,sex,race"
	for (i = 0; i < 60; i++) {
		race = i < 58 ? "x" : "y"; pred = (i % 4 == 0 && race == "x") ? 1 : 0
		printf "%d,%d,%s,%s\n", i % 3 == 0, pred, i % 2 ? "m" : "f", race } }' >"$T_TMP/d.csv"

t_run "fair without checks" 0 "$F" --label label --pred pred --protected race,sex --intersect \
	--favorable 0 -q --format json -o "$T_TMP/nock.json" "$T_TMP/d.csv"
t_eq "four-fifths entries fail in the JSON" \
	"$(jq '[.checks[] | select(.status == "fail" and .requested == false)] | length' "$T_TMP/nock.json" | awk '{ print ($1 > 0) }')" 1
t_run "report without checks" 0 "$R" -o "$T_TMP/nock.pdf" "$T_TMP/nock.json"
pdftotext -layout "$T_TMP/nock.pdf" "$T_TMP/nock.txt" 2>/dev/null
t_eq "no checks: no FAIL anywhere" "$(grep -c 'FAIL' "$T_TMP/nock.txt")" 0
t_eq "no checks: no PASS anywhere" "$(grep -c 'PASS' "$T_TMP/nock.txt")" 0
t_eq "no checks: cover has no verdict" "$(grep -c '^ *NO VERDICT$' "$T_TMP/nock.txt")" 1
t_eq "no checks: cover says so" "$(grep -c 'No checks were requested (--check, --policy)' "$T_TMP/nock.txt")" 1
t_eq "no checks: reported entries apart" "$(grep -c 'four-fifths rule entries (.* not met)' "$T_TMP/nock.txt")" 1

t_run "fair with a failing check" 1 "$F" --label label --pred pred --protected race,sex \
	--check 'demographic_parity_ratio>=0.8' -q --format json -o "$T_TMP/ck.json" "$T_TMP/d.csv"
nreq=$(jq '[.checks[] | select(.requested == true)] | length' "$T_TMP/ck.json")
nfail=$(jq '[.checks[] | select(.requested == true and .status == "fail")] | length' "$T_TMP/ck.json")
t_run "report with checks" 0 "$R" -o "$T_TMP/ck.pdf" "$T_TMP/ck.json"
pdftotext -layout "$T_TMP/ck.pdf" "$T_TMP/ck.txt" 2>/dev/null
pdftotext "$T_TMP/ck.pdf" "$T_TMP/ck-plain.txt" 2>/dev/null
t_eq "checks: FAIL on the cover" "$(grep -c '^ *FAIL$' "$T_TMP/ck.txt")" 1
t_eq "checks: each requested check once" "$(grep -c "$nfail of $nreq requested checks failed" "$T_TMP/ck.txt")" 1
# race's parity ratio is decided by 'y' (selection rate 0 on 2 rows); its 95%
# Wilson interval for 0 of 2 is [0, z^2/(2 + z^2)]
hi=$(awk 'BEGIN { z = 1.959963984540054; printf "%.4g", z * z / (2 + z * z) }')
t_eq "small group named with n" "$(tr '\n' ' ' <"$T_TMP/ck-plain.txt" | grep -c "'y': n = 2, small")" 1
if tr '\n' ' ' <"$T_TMP/ck-plain.txt" | grep -qF "[0, $hi]"; then t_pass "small group interval [0, $hi]"
else t_fail "small group interval [0, $hi]"; fi
# the key finding on race names the small group with n and its interval
t_eq "finding names n" "$(tr '\n' ' ' <"$T_TMP/ck-plain.txt" | grep -c "lowest selection rate: 'y' at 0.000 (n = 2, a small group; interval \[0, $hi\])")" 1
# sex: both groups have 30 rows: no note
t_eq "large groups: no note" "$(grep -c "'[fm]': n = 30" "$T_TMP/ck-plain.txt")" 0

# COMPAS (from ../shared when present): without --check audit-fair exits 0 and
# the cover has no FAIL; with a check that fails, it exits 1 and the cover says
# FAIL; the intersection's smallest group is named with its n
SH=${SHARED:-$(t_shared)}
C=$SH/datasets/compas-scores-two-years.csv
if [ -z "$SH" ] || [ ! -f "$C" ]; then
	t_skip "compas verdict" "../shared/datasets/compas-scores-two-years.csv is absent"
else
	t_run "compas: fair without checks" 0 "$F" --label two_year_recid --pred is_recid \
		--protected race,sex --intersect --favorable 0 -q --format json -o "$T_TMP/compas.json" "$C"
	t_run "compas: report" 0 "$R" -o "$T_TMP/compas.pdf" "$T_TMP/compas.json"
	pdftotext -layout "$T_TMP/compas.pdf" "$T_TMP/compas.txt" 2>/dev/null
	t_eq "compas without checks: no FAIL" "$(grep -c 'FAIL' "$T_TMP/compas.txt")" 0
	t_eq "compas without checks: NO VERDICT" "$(grep -c '^ *NO VERDICT$' "$T_TMP/compas.txt")" 1
	n=$(jq '.results.attributes[] | select(.attribute == "race & sex") | .groups[] | select(.group == "Native American & Female") | .count' "$T_TMP/compas.json")
	t_eq "compas: Native American & Female is small, n = $n" \
		"$(pdftotext "$T_TMP/compas.pdf" - 2>/dev/null | tr '\n' ' ' | grep -c "'Native American & Female': n = $n, small")" 1
	t_run "compas: fair with a check" 1 "$F" --label two_year_recid --pred is_recid \
		--protected race,sex --intersect --favorable 0 --check 'demographic_parity_ratio>=0.8' -q \
		--format json -o "$T_TMP/compas-ck.json" "$C"
	t_run "compas: report with a check" 0 "$R" -o "$T_TMP/compas-ck.pdf" "$T_TMP/compas-ck.json"
	t_eq "compas with a failed check: FAIL" "$(pdftotext -layout "$T_TMP/compas-ck.pdf" - 2>/dev/null | grep -c '^ *FAIL$')" 1
fi
t_done
