#!/bin/sh
# demo.sh — `make demo`'s script (scripts/demo.sh) end to end, its outputs in a scratch
# folder: every step runs; audit-data profiles the bundled data, checks it against the
# schema it emitted (no violation) and finds the planted shift of a second
# audit-synth sample (income and region drift, the other features do not), and the
# PDF's Data section says so with the documents' numbers; audit-slice's discovery
# finds the slice where repayers are refused most in region west (the proxy), its
# size and false negative rate recounted by awk, and the Slices section says so; the PDF has the Mitigation section with the policy's
# numbers, the frontier chart and the after state audit-fair measured; the policy
# equalises the expected selection rates of 'group' (demographic parity); the
# mitigated decisions' selection rate per group is within sampling noise (4 standard
# errors) of the policy's expected rate; the model card no longer calls
# audit-mitigate planned.
. tests/e2e/lib.sh
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	t_skip "demo" "poppler-utils (pdftotext) or jq not installed"; t_done; exit $?
fi
for t in audit-data audit-fair audit-mitigate audit-report audit-slice; do
	if [ ! -x "$BIN/$t" ]; then t_skip "demo" "$t is not built"; t_done; exit $?; fi
done
O="$T_TMP/demo"
t_run "the demo runs" 0 env BIN="$BIN" DEMO_OUT="$O" DEMO_PDF="$T_TMP/demo.pdf" sh scripts/demo.sh
for f in profile.json credit.schema.json check.json credit-shifted.csv drift.json fair.json policy.json frontier.json mitigated.csv fair-mitigated.json; do
	t_ok "the demo wrote $f" test -s "$O/$f"
done
t_ok "the demo wrote the PDF" test -s "$T_TMP/demo.pdf"
t_ok "the demo wrote the HTML beside it" grep -q '^<!DOCTYPE html>' "$T_TMP/demo.html"
t_eq "the HTML has the PDF's sections (its h1 headings, as many as the PDF's top bookmarks but the cover)" \
    "$(grep -o '<h1[ >]' "$T_TMP/demo.html" | wc -l)" \
    "$(pdftohtml -xml -stdout -i "$T_TMP/demo.pdf" 2>/dev/null |
    awk '/<outline>/ { d++ } /<\/outline>/ { d-- } d == 1 && /^<item/ && !/>Cover</ { n++ } END { print n + 0 }')"
pdftotext -layout "$T_TMP/demo.pdf" "$T_TMP/demo.txt" 2>/dev/null
pdftotext "$T_TMP/demo.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g' >"$T_TMP/demo.plain"
has() { if grep -qF -- "$2" "$T_TMP/demo.plain"; then t_pass "$1"; else t_fail "$1" "no '$2'"; fi; }
f6() { awk -v v="$1" 'BEGIN { if (v == int(v)) printf "%.0f", v; else printf "%.6g", v }'; }
# ---- the Data section ----
t_eq "a Data section" "$(grep -c '^[[:space:][:cntrl:]]*Data$' "$T_TMP/demo.txt")" 1
t_eq "the profile: 5000 rows, 15 columns" "$(jq -r '.results | "\(.rows) \(.columns)"' "$O/profile.json")" "5000 15"
has "the section: the profile's counts" "audit-data profile: 5000 rows, 15 columns"
t_eq "the check: no violation of the emitted schema" "$(jq -r .results.violations "$O/check.json")" 0
has "the section: no violation said" "no violation. The file keeps every promise of the schema"
DR="$O/drift.json"
t_eq "the drift: the shifted columns drift, no other feature does" \
	"$(jq -r '[.results.columns[] | select(.drift == true) | .column] | join(",")' "$DR")" "income,region"
has "the section: the drift share" \
	"$(jq -r .results.drifted "$DR") of $(jq -r .results.tested "$DR") tested columns drift"
has "the section: income's chart" "'income': reference and current proportions"
has "the section: region's chart" "'region': reference and current proportions"
# the planted income shift is half a documented sd (23.2): the means differ by about 11.6
t_ok "the shifted sample's income mean is 0.5 sd (23.2) above the bundled data's (within 1.5)" awk -F, -v ref="$(jq -r '.results.columns_profile[] | select(.column == "income") | .mean' "$O/profile.json")" \
	'NR > 1 { s += $3; n++ } END { d = s / n - ref - 11.6; if (d < 0) d = -d; exit !(d < 1.5) }' "$O/credit-shifted.csv"
# ---- the Slices section: discovery of the slices where repayers are refused most ----
S="$O/slices.json"
t_ok "the demo wrote slices.json" test -s "$S"
t_eq "a Slices section" "$(grep -c '^[[:space:][:cntrl:]]*Slices$' "$T_TMP/demo.txt")" 1
t_eq "discovery: the false negative rate, higher is worse" "$(jq -r '.results | "\(.metric) \(.worse)"' "$S")" "fnr higher"
t_ok "discovery: some slice is significantly worse" test "$(jq -r .results.discovery.significant "$S")" -gt 0
# the worst slice involves the proxy, region west (the planted model's region penalty)
t_eq "the worst slice involves region = west" \
	"$(jq -r '[.results.slices[0].predicates[] | select(.column == "region") | .value] | join(",")' "$S")" west
# its size and false negative rate recounted here with awk from the CSV: the
# repayers (label 1) meeting every predicate, and the share of them refused
cond=$(jq -r '[.results.slices[0].predicates[] |
	if .op == "=" then "$c[\"\(.column)\"] == \"\(.value)\""
	elif .op == "<=" then "$c[\"\(.column)\"] + 0 <= \(.value)"
	elif .op == ">" then "$c[\"\(.column)\"] + 0 > \(.value)"
	else "$c[\"\(.column)\"] + 0 > \(.low) && $c[\"\(.column)\"] + 0 <= \(.high)" end] | join(" && ")' "$S")
got=$(awk -F, "NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next }
	\$c[\"label\"] == 1 && $cond { n++; fn += (\$c[\"pred\"] == 0) } END { printf \"%d %.12f\", n, fn / n }" datasets/credit.csv)
t_eq "the worst slice's size and FNR recounted by awk" "$got" "$(jq -r '.results.slices[0] | "\(.size) \(.metric * 1000000000000 | round / 1000000000000)"' "$S" | awk '{ printf "%d %.12f", $1, $2 }')"
has "the section: the worst slice in words" \
	"The model's false negative rate on slice '$(jq -r '.results.slices[0].description' "$S")' (n = $(jq -r '.results.slices[0].size' "$S")) is $(awk -v v="$(jq -r '.results.slices[0].metric' "$S")" 'BEGIN { printf "%.3f", v }')"
t_eq "a Mitigation section" "$(grep -c '^[[:space:][:cntrl:]]*Mitigation$' "$T_TMP/demo.txt")" 1
P="$O/policy.json"
t_eq "the policy: demographic parity on 'group'" "$(jq -r '.results | "\(.constraint) \(.protected)"' "$P")" "demographic_parity group"
has "the section: group thresholds for 'group'" "Group thresholds for 'group'"
has "the section: the disparity before and after" \
	"demographic parity difference $(f6 "$(jq -r .results.before.demographic_parity_difference "$P")") before, $(f6 "$(jq -r .results.after.demographic_parity_difference "$P")") after (lower)"
has "the section: accuracy before and after" \
	"accuracy $(f6 "$(jq -r .results.before.accuracy "$P")") before, $(f6 "$(jq -r .results.after.accuracy "$P")") after"
has "the section: the frontier chart and its chosen point" \
	"chosen (tolerance $(f6 "$(jq -r .results.tolerance "$O/frontier.json")"))"
has "the section: the after state measured" "After mitigation, as audit-fair measured it"
has "the section: the measured parity of 'group'" \
	"'group': demographic parity difference $(f6 "$(jq -r '.results.attributes[] | select(.attribute == "group") | .summary.demographic_parity_difference' "$O/fair-mitigated.json")")"
if grep -qF "planned" "$T_TMP/demo.txt"; then t_fail "the model card: audit-mitigate not 'planned'"; else t_pass "the model card: audit-mitigate not 'planned'"; fi
# the policy's expected selection rates are equal (the constraint, tolerance 0)
t_eq "the policy: equal expected selection rates" \
	"$(jq '[.results.groups[].after.selection_rate] | (max - min) < 1e-9' "$P")" true
# the decisions drawn: each group's selection rate within 4 standard errors of the expected
jq -r '.results.groups[] | "\(.group) \(.after.selection_rate) \(.before.count)"' "$P" >"$T_TMP/exp.txt"
while read -r g p n; do
	got=$(jq -r --arg g "$g" '.results.attributes[] | select(.attribute == "group") | .groups[] | select(.group == $g) | .metrics.selection_rate' "$O/fair-mitigated.json")
	t_ok "group $g: drawn selection rate $got within 4 standard errors of $p" \
		awk -v a="$got" -v p="$p" -v n="$n" 'BEGIN { d = a - p; if (d < 0) d = -d; exit !(d <= 4 * sqrt(p * (1 - p) / n)) }'
done <"$T_TMP/exp.txt"
# ---- an all-zero chart is a sentence, not an empty chart ----
if [ -s "$O/robust.json" ]; then
	t_eq "the planted model never reads sex: its counterfactual flips change no decision" \
	    "$(jq -r '[.results.perturbations[] | select(.spec == "flip:sex") | .flips] | add' "$O/robust.json")" 0
	has "so the flip chart is not drawn, and a sentence says why" \
	    "Not charted: Counterfactual flip rate by original group (flip:sex): every flip rate is 0"
fi
t_done
