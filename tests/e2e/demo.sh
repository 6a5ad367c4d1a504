#!/bin/sh
# demo.sh — `make demo`'s script (scripts/demo.sh) end to end, its outputs in a scratch
# folder: every step runs; audit-data profiles the bundled data, checks it against the
# schema it emitted (no violation) and finds the planted shift of a second
# audit-synth sample (income and region drift, the other features do not), and the
# PDF's Data section says so with the documents' numbers; the PDF has the Mitigation section with the policy's
# numbers, the frontier chart and the after state audit-fair measured; the policy
# equalises the expected selection rates of 'group' (demographic parity); the
# mitigated decisions' selection rate per group is within sampling noise (4 standard
# errors) of the policy's expected rate; the model card no longer calls
# audit-mitigate planned.
. tests/e2e/lib.sh
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	t_skip "demo" "poppler-utils (pdftotext) or jq not installed"; t_done; exit $?
fi
for t in audit-data audit-fair audit-mitigate audit-report; do
	if [ ! -x "$BIN/$t" ]; then t_skip "demo" "$t is not built"; t_done; exit $?; fi
done
O="$T_TMP/demo"
t_run "the demo runs" 0 env BIN="$BIN" DEMO_OUT="$O" DEMO_PDF="$T_TMP/demo.pdf" sh scripts/demo.sh
for f in profile.json credit.schema.json check.json credit-shifted.csv drift.json fair.json policy.json frontier.json mitigated.csv fair-mitigated.json; do
	t_ok "the demo wrote $f" test -s "$O/$f"
done
t_ok "the demo wrote the PDF" test -s "$T_TMP/demo.pdf"
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
t_done
