#!/bin/sh
# demo.sh — `make demo`'s script (scripts/demo.sh) end to end, its outputs in a scratch
# folder: every step runs, the PDF has the Mitigation section with the policy's
# numbers, the frontier chart and the after state audit-fair measured; the policy
# equalises the expected selection rates of 'group' (demographic parity); the
# mitigated decisions' selection rate per group is within sampling noise (4 standard
# errors) of the policy's expected rate; the model card no longer calls
# audit-mitigate planned.
. tests/e2e/lib.sh
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	t_skip "demo" "poppler-utils (pdftotext) or jq not installed"; t_done; exit $?
fi
for t in audit-fair audit-mitigate audit-report; do
	if [ ! -x "$BIN/$t" ]; then t_skip "demo" "$t is not built"; t_done; exit $?; fi
done
O="$T_TMP/demo"
t_run "the demo runs" 0 env BIN="$BIN" DEMO_OUT="$O" DEMO_PDF="$T_TMP/demo.pdf" sh scripts/demo.sh
for f in fair.json policy.json frontier.json mitigated.csv fair-mitigated.json; do
	t_ok "the demo wrote $f" test -s "$O/$f"
done
t_ok "the demo wrote the PDF" test -s "$T_TMP/demo.pdf"
pdftotext -layout "$T_TMP/demo.pdf" "$T_TMP/demo.txt" 2>/dev/null
pdftotext "$T_TMP/demo.pdf" - 2>/dev/null | tr '\n' ' ' | sed 's/  */ /g' >"$T_TMP/demo.plain"
has() { if grep -qF -- "$2" "$T_TMP/demo.plain"; then t_pass "$1"; else t_fail "$1" "no '$2'"; fi; }
f6() { awk -v v="$1" 'BEGIN { if (v == int(v)) printf "%.0f", v; else printf "%.6g", v }'; }
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
