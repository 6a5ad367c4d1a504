#!/bin/sh
# report-data.sh — the report's Data section from audit-data documents
# (audit.data-profile/1, audit.data-check/1, audit.drift/1): every number of
# the quality, violation, drift, group and window tables equals the
# document's (read here with jq, formatted with awk as the report formats
# them); the sentences follow the numbers (which test decided and its
# threshold, the drift share against --share, no drift said as such, no
# violation said as such); a chart is drawn for each drifted column and none
# for the others; the verdict counts audit-data's requested checks; and,
# once audit-data is built, audit-report --format prints a saved document as
# audit-data printed it.
. tests/e2e/lib.sh
D=tests/data/report
R="$BIN/audit-report"
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	t_skip "report-data" "poppler-utils (pdftotext) or jq not installed"
	t_done; exit $?
fi

# fv X: a value as the report writes it (integers whole, else 4 significant digits)
fv() { awk -v v="$1" 'BEGIN { if (v == "null" || v == "") printf "undefined"; else if (v == int(v)) printf "%.0f", v; else printf "%.4g", v }'; }
# f3 X: a rate with 3 decimals
f3() { awk -v v="$1" 'BEGIN { printf "%.3f", v }'; }
# squeeze FILE: the text on one line, runs of blanks as one
squeeze() { tr '\n' ' ' <"$1" | sed 's/  */ /g'; }
has() { if [ -n "$3" ] && squeeze "$2" | grep -qF -- "$3"; then t_pass "$1"; else t_fail "$1" "no '$3'"; fi; }
hasnt() { if squeeze "$2" | grep -qF -- "$3"; then t_fail "$1" "'$3' present"; else t_pass "$1"; fi; }
pdf() { # pdf NAME DOC...: draw, then $T_TMP/NAME.txt (layout), .plain, and .sec (the section)
	pn=$1; shift
	t_run "$pn: report" 0 "$R" -o "$T_TMP/$pn.pdf" "$@"
	pdftotext -layout "$T_TMP/$pn.pdf" "$T_TMP/$pn.txt" 2>/dev/null
	pdftotext "$T_TMP/$pn.pdf" "$T_TMP/$pn.plain" 2>/dev/null
	sed -n '/^[[:space:][:cntrl:]]*Data$/,/^[[:space:][:cntrl:]]*Appendix$/p' "$T_TMP/$pn.txt" >"$T_TMP/$pn.sec"
	sed -n '/^[[:space:][:cntrl:]]*Data$/,/^[[:space:][:cntrl:]]*Appendix$/p' "$T_TMP/$pn.plain" >"$T_TMP/$pn.psec"
}
# row FILE FIRST: the first table line of the section starting with FIRST, blanks squeezed
row() { awk -v k="$2" '{ $1 = $1 } $1 == k { print; exit }' "$1"; }
# the decision cell: "value < threshold" (p-value tests) or "value ≥ threshold" (distances)
decision() { # decision DOC JQ-PATH
	t=$(jq -r "$2.test" "$1"); th=$(jq -r "$2.threshold" "$1")
	case $t in ks) k=ks_pvalue ;; chisquare) k=chisquare_pvalue ;; z) k=z_pvalue ;;
		wasserstein) k=wasserstein_normed ;; jensenshannon) k=jensenshannon ;; psi) k=psi ;; esac
	v=$(jq -r "$2.$k" "$1")
	case $t in ks|chisquare|z) op=$(awk -v v="$v" -v t="$th" 'BEGIN { print (v < t) ? "<" : "≥" }') ;;
		*) op=$(awk -v v="$v" -v t="$th" 'BEGIN { print (v >= t) ? "≥" : "<" }') ;; esac
	echo "$(fv "$v") $op $(fv "$th")"
}
statistic() { # statistic DOC JQ-PATH: the deciding test's statistic, or —
	case $(jq -r "$2.test" "$1") in ks) fv "$(jq -r "$2.ks_statistic" "$1")" ;;
		chisquare) fv "$(jq -r "$2.chisquare_statistic" "$1")" ;; z) fv "$(jq -r "$2.z_statistic" "$1")" ;;
		wasserstein) fv "$(jq -r "$2.wasserstein" "$1")" ;; *) echo "—" ;; esac
}

# ---- drift: columns, prediction and label, groups, windows ----
DR=$D/drift.json
pdf drift "$DR"
t_eq "drift: one Data section" "$(grep -c '^[[:space:][:cntrl:]]*Data$' "$T_TMP/drift.txt")" 1
has "drift: the contents list it" "$T_TMP/drift.txt" "Data and model · Data · Appendix"
has "drift: heading names both files" "$T_TMP/drift.sec" "Drift: $(jq -r .input.path "$DR") against $(jq -r .params.reference "$DR")"
n=$(jq '.results.columns | length' "$DR")
i=0
while [ "$i" -lt "$n" ]; do
	p=".results.columns[$i]"
	c=$(jq -r "$p.column" "$DR")
	d=$(jq -r "if $p.drift == true then \"yes\" elif $p.drift == false then \"no\" else \"not tested\" end" "$DR")
	want="$c $(jq -r "$p.kind" "$DR") $(jq -r "$p.test" "$DR") $(statistic "$DR" "$p") $(decision "$DR" "$p") $(fv "$(jq -r "$p.psi" "$DR")") $d"
	t_eq "drift: row of '$c'" "$(row "$T_TMP/drift.sec" "$c")" "$want"
	i=$((i + 1))
done
tested=$(jq -r .results.tested "$DR"); drifted=$(jq -r .results.drifted "$DR")
has "drift: the share sentence" "$T_TMP/drift.psec" \
	"$drifted of $tested tested columns drift (drift share $(fv "$(jq -r .results.drift_share "$DR")")); the dataset $(jq -r 'if .results.dataset_drift then "drifts" else "does not drift" end' "$DR") (it drifts when the share is $(fv "$(jq -r .params.share "$DR")") or more)."
# which tests decided, with their thresholds: one clause per (test, threshold)
nw=$(jq '[.results.columns[], .results.prediction, .results.label | select(.test == "wasserstein")] | length' "$DR")
nj=$(jq '[.results.columns[], .results.prediction, .results.label | select(.test == "jensenshannon")] | length' "$DR")
has "drift: the normed Wasserstein distance decides $nw columns at 0.1" "$T_TMP/drift.psec" \
	"Wasserstein distance normed by the reference's sd (drift when it is ≥ 0.1) for $nw columns"
has "drift: the Jensen–Shannon distance decides $nj columns at 0.1" "$T_TMP/drift.psec" \
	"Jensen–Shannon distance (drift when it is ≥ 0.1) for $nj columns"
for k in prediction label; do
	c=$(jq -r ".results.$k.column" "$DR")
	d=$(jq -r "if .results.$k.drift then \"yes\" else \"no\" end" "$DR")
	want="$c ($k) $(jq -r ".results.$k.kind" "$DR") $(jq -r ".results.$k.test" "$DR") $(statistic "$DR" ".results.$k") $(decision "$DR" ".results.$k") $(fv "$(jq -r ".results.$k.psi" "$DR")") $d"
	t_eq "drift: the $k apart" "$(row "$T_TMP/drift.sec" "$c")" "$want"
done
# a chart per drifted column, none for the others
for c in $(jq -r '.results.columns[] | .column' "$DR"); do
	if [ "$(jq -r ".results.columns[] | select(.column == \"$c\") | .drift" "$DR")" = true ]; then
		has "drift: chart of drifted '$c'" "$T_TMP/drift.psec" "'$c': reference and current proportions ("
	else
		hasnt "drift: no chart of '$c'" "$T_TMP/drift.psec" "'$c': reference and current proportions"
	fi
done
# the income chart's bars are the histogram's proportions (3 decimals), first and last bins
q='.results.columns[] | select(.column == "income") | .histogram'
has "drift: income's first bin, reference" "$T_TMP/drift.sec" "< $(fv "$(jq -r "$q.edges[0]" "$DR")") reference $(f3 "$(jq -r "$q.reference[0]" "$DR")")"
has "drift: income's last bin, current" "$T_TMP/drift.sec" "≥ $(fv "$(jq -r "$q.edges[8]" "$DR")") current $(f3 "$(jq -r "$q.current[9]" "$DR")")"
q='.results.columns[] | select(.column == "region") | .histogram'
wi=$(jq -r "$q.categories | index(\"west\")" "$DR")
has "drift: region's west, current" "$T_TMP/drift.sec" "west current $(f3 "$(jq -r "$q.current[$wi]" "$DR")")"
# groups: every row, and the group that drifts most
for g in $(jq -r '.results.groups[].group' "$DR"); do
	q=".results.groups[] | select(.group == \"$g\")"
	want="$g $(jq -r "$q.tested" "$DR") $(jq -r "$q.drifted" "$DR") $(fv "$(jq -r "$q.drift_share" "$DR")") $(jq -r "if $q.dataset_drift then \"yes\" else \"no\" end" "$DR")"
	want="$want $(jq -r "if $q.prediction.drift then \"yes\" else \"no\" end" "$DR") $(jq -r "if $q.label.drift then \"yes\" else \"no\" end" "$DR")"
	t_eq "drift: group $g" "$(row "$T_TMP/drift.sec" "$g")" "$want"
done
wg=$(jq -r '.results.groups | max_by(.drift_share) | .group' "$DR")
has "drift: the group that drifts most" "$T_TMP/drift.psec" \
	"Group '$wg' drifts most: drift share $(fv "$(jq -r '.results.groups | max_by(.drift_share) | .drift_share' "$DR")")"
# windows: rows, drifted / tested, share
for w in $(jq -r '.results.windows[].window' "$DR"); do
	q=".results.windows[] | select(.window == \"$w\")"
	want="$w $(jq -r "$q.rows" "$DR") $(jq -r "$q.drifted" "$DR") of $(jq -r "$q.tested" "$DR") $(fv "$(jq -r "$q.drift_share" "$DR")")"
	t_eq "drift: window $w" "$(row "$T_TMP/drift.sec" "$w" | cut -d" " -f1-6)" "$want"
done
has "drift: the line of drift share per window" "$T_TMP/drift.sec" "Drift share per window"
# its x axis counts windows: whole-number ticks only (1 2 3 for three windows)
nw=$(jq '.results.windows | length' "$DR")
ticks=$(sed -n '/Drift share per window/,/drift share$/p' "$T_TMP/drift.psec" |
    awk '/^[0-9]+$/ { n++ } /^[0-9]+\.5$/ { print "half " $1 } END { print n + 0 }' | tr '\n' ' ')
t_eq "drift: the window chart's ticks are the $nw windows" "$ticks" "$nw "
# the verdict counts audit-data's requested checks
nf=$(jq '[.checks[] | select(.status == "fail")] | length' "$DR")
t_eq "drift: the document's check fails" "$nf" 1
has "drift: verdict FAIL" "$T_TMP/drift.plain" "FAIL"
has "drift: 1 of 1 requested checks failed" "$T_TMP/drift.plain" "1 of 1 requested checks failed, 0 passed"
has "drift: the check in the summary" "$T_TMP/drift.txt" "$(jq -r '.checks[0].id' "$DR")"
has "drift: key finding" "$T_TMP/drift.plain" \
	"Drift ($(jq -r .input.path "$DR") against $(jq -r .params.reference "$DR")): $drifted of $tested columns drift"

# ---- a drift document without drift says so ----
NO=$D/drift-none.json
pdf none "$NO"
t_eq "no drift: the fixture has none" "$(jq -r .results.drifted "$NO")" 0
has "no drift: said" "$T_TMP/none.psec" "No column drifts: 0 of $(jq -r .results.tested "$NO") tested columns (drift share 0); the dataset does not drift"
hasnt "no drift: no chart section" "$T_TMP/none.psec" "Drifted columns"
hasnt "no drift: no 'yes' in the drift column" "$T_TMP/none.sec" " yes"
has "no drift: no verdict without checks" "$T_TMP/none.plain" "No checks were requested"

# ---- schema check: violations, and none ----
CK=$D/data-check.json
pdf check "$CK"
has "check: counts" "$T_TMP/check.psec" \
	"$(jq -r .results.violations "$CK") violations in $(jq -r .results.failed_columns "$CK") columns"
for c in $(jq -r '.results.columns[].column' "$CK"); do
	for k in $(jq -r ".results.columns[] | select(.column == \"$c\") | .violations[].kind" "$CK"); do
		q=".results.columns[] | select(.column == \"$c\") | .violations[] | select(.kind == \"$k\")"
		has "check: $c $k" "$T_TMP/check.sec" "$c $k $(jq -r "$q.count" "$CK") $(jq -r "$q.first" "$CK")"
	done
done
has "check: key finding" "$T_TMP/check.plain" "Schema check ($(jq -r .input.path "$CK")): $(jq -r .results.violations "$CK") violations"
pdf clean "$D/data-check-clean.json"
has "clean check: no violation said" "$T_TMP/clean.psec" "no violation. The file keeps every promise of the schema"

# ---- profile: the quality table ----
PR=$D/data-profile.json
pdf profile "$PR"
has "profile: rows, columns, duplicates" "$T_TMP/profile.psec" \
	"$(jq -r .results.rows "$PR") rows, $(jq -r .results.columns "$PR") columns, $(jq -r .results.duplicate_rows "$PR") duplicate row"
for c in $(jq -r '.results.columns_profile[].column' "$PR"); do
	q=".results.columns_profile[] | select(.column == \"$c\")"
	want="$c $(jq -r "$q.kind" "$PR") $(f3 "$(jq -r "$q.missing_rate" "$PR")") $(jq -r "$q.distinct" "$PR")"
	t_eq "profile: row of '$c'" "$(row "$T_TMP/profile.sec" "$c" | cut -d' ' -f1-4)" "$want"
done
q='.results.columns_profile[] | select(.column == "age")'
has "profile: age's range, mean and sd" "$T_TMP/profile.sec" \
	"$(fv "$(jq -r "$q.min" "$PR")") to $(fv "$(jq -r "$q.max" "$PR")"), mean $(fv "$(jq -r "$q.mean" "$PR")") (sd $(fv "$(jq -r "$q.sd" "$PR")"))"
q='.results.columns_profile[] | select(.column == "city")'
has "profile: city's top values (with their UTF-8)" "$T_TMP/profile.sec" \
	"$(jq -r "[$q.top[:3][] | \"\\(.value) \\(.share)\"] | join(\";\")" "$PR" | awk -F';' '{ for (i = 1; i <= NF; i++) { split($i, a, " "); printf "%s%s %.3f", (i > 1 ? ", " : ""), a[1], a[2] } }')"
for c in $(jq -r '.results.columns_profile[] | select(.constant) | .column' "$PR"); do
	t_eq "profile: '$c' flagged constant" "$(row "$T_TMP/profile.sec" "$c" | awk '{ print $NF }')" constant
done
t_eq "profile: the fixture has a constant column" "$(jq '[.results.columns_profile[] | select(.constant)] | length' "$PR")" 1
for c in $(jq -r '.results.columns_profile[] | select(.constant | not) | select(.id_like | not) | .column' "$PR"); do
	case $(row "$T_TMP/profile.sec" "$c") in
	*constant*|*ID-like*) t_fail "profile: '$c' not flagged" ;;
	*) t_pass "profile: '$c' not flagged" ;;
	esac
done
has "profile: the missing sentence" "$T_TMP/profile.psec" \
	"$(jq '[.results.columns_profile[] | select(.missing_rate > 0)] | length' "$PR") of $(jq -r .results.columns "$PR") columns have missing values"
# the key finding says one row and one column in the singular (the fixture: 1 and 1)
t_eq "profile: the fixture has one duplicate row" "$(jq -r .results.duplicate_rows "$PR")" 1
has "profile: the key finding in the singular" "$T_TMP/profile.plain" \
	"1 duplicate row, 1 column constant or ID-like."

# ---- all of them in one report: one Data section, in profile, check, drift order ----
pdf all "$DR" "$CK" "$PR"
t_eq "all: one Data section" "$(grep -c '^[[:space:][:cntrl:]]*Data$' "$T_TMP/all.txt")" 1
t_eq "all: profile, check, drift in order" "$(grep -oE '^ *(Data quality|Schema check|Drift):' "$T_TMP/all.sec" | sed 's/^ *//' | tr '\n' ' ')" \
	"Data quality: Schema check: Drift: "
has "all: the summary counts them" "$T_TMP/all.plain" "3 on data (audit-data)"

# ---- documents that hold little: the section shows what is there, never fails ----
for sch in audit.data-profile/1 audit.data-check/1 audit.drift/1; do
	printf '{"schema": "%s", "results": {}}\n' "$sch" >"$T_TMP/min.json"
	t_run "an empty $sch: a report" 0 "$R" -o "$T_TMP/min.pdf" "$T_TMP/min.json"
done
# a drifted column whose histogram does not add up (11 proportions for 9 edges) gets no chart
jq '.results.columns |= map(if .column == "income" then .histogram.reference += [0.5] else . end)' "$DR" >"$T_TMP/bad-hist.json"
pdf badhist "$T_TMP/bad-hist.json"
hasnt "a histogram that does not add up: no chart" "$T_TMP/badhist.psec" "'income': reference and current proportions"
has "a histogram that does not add up: the other charts stay" "$T_TMP/badhist.psec" "'region': reference and current proportions"
# an untested column says so, with its reason
jq '.results.columns[0] += {"test": null, "threshold": null, "drift": null, "reason": "no values in the reference"}' "$DR" >"$T_TMP/untested.json"
pdf untested "$T_TMP/untested.json"
c0=$(jq -r '.results.columns[0].column' "$DR")
has "an untested column: its reason" "$T_TMP/untested.sec" "no values in the reference"
t_eq "an untested column: 'not tested'" "$(row "$T_TMP/untested.sec" "$c0" | awk '{ print $(NF - 1), $NF }')" "not tested"

# ---- text views: a saved document prints as audit-data printed it ----
if [ -x "$BIN/audit-data" ]; then
	"$BIN/audit-synth" --rows 800 --seed 3 >"$T_TMP/ref.csv"
	"$BIN/audit-synth" --rows 800 --seed 4 --shift income=1 >"$T_TMP/cur.csv"
	for fmt in table md csv; do
		"$BIN/audit-data" drift -q --reference "$T_TMP/ref.csv" --format json -o "$T_TMP/d.json" "$T_TMP/cur.csv"
		"$BIN/audit-data" drift -q --reference "$T_TMP/ref.csv" --format $fmt -o "$T_TMP/d.$fmt" "$T_TMP/cur.csv"
		t_run "view drift $fmt: runs" 0 "$R" --format $fmt -o "$T_TMP/d.view.$fmt" "$T_TMP/d.json"
		t_ok "view drift $fmt: as audit-data printed it" cmp "$T_TMP/d.$fmt" "$T_TMP/d.view.$fmt"
		"$BIN/audit-data" profile -q --format json -o "$T_TMP/p.json" "$T_TMP/cur.csv"
		"$BIN/audit-data" profile -q --format $fmt -o "$T_TMP/p.$fmt" "$T_TMP/cur.csv"
		t_run "view profile $fmt: runs" 0 "$R" --format $fmt -o "$T_TMP/p.view.$fmt" "$T_TMP/p.json"
		t_ok "view profile $fmt: as audit-data printed it" cmp "$T_TMP/p.$fmt" "$T_TMP/p.view.$fmt"
	done
	pdf real "$T_TMP/d.json" "$T_TMP/p.json"
	has "real documents: income drifts" "$T_TMP/real.psec" "'income': reference and current proportions"
else
	t_skip "text views of audit-data's documents" "audit-data is not built"
fi
t_done
