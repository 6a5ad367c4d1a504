#!/bin/sh
# readme-data.sh — the README's two data exercises, each sh block run as written
# in a scratch folder that sees the tree's bin and datasets:
#  (a) Adult's training file against its test file (the download replaced by a
#      copy of ../shared/datasets, fetch-public.sh --from): every command
#      succeeds; the document's numbers are the ones the README states (no
#      column drifts, the largest distance is native-country's Jensen–Shannon
#      0.021, the label does not drift, the deciding tests are the distances,
#      the missing values are in workclass, occupation and native-country), and
#      native-country's distance equals SciPy's in ../shared/reference/drift-adult;
#  (b) the monthly file whose label base rate jumps from April: the label drifts
#      in 2025-04 to 2025-06 and in no earlier month, the prediction in none, no
#      window has dataset drift; the z-test's p-value of April recomputed here
#      from the files' counts; the report lists the windows that drift.
# (a) is skipped, saying so, without ../shared/datasets.
. tests/e2e/lib.sh
ROOT=$(pwd)
if [ ! -x "$BIN/audit-data" ]; then
	t_skip "readme-data" "audit-data is not built"; t_done; exit $?
fi
if ! command -v jq >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
	t_skip "readme-data" "jq or poppler-utils (pdftotext) not installed"; t_done; exit $?
fi
# block HEADING: the first sh block under the README heading HEADING
block() {
	awk -v h="$1" '$0 == h { s = 1; next } s && /^#+ / { exit }
		s && /^```sh/ { b = 1; next } b && /^```/ { exit } b { print }' README.md
}
W="$T_TMP/w"
mkdir -p "$W"
ln -s "$(cd "$BIN" && pwd)" "$W/bin"
ln -s "$ROOT/datasets" "$W/datasets"
# squeeze FILE: one line, blanks squeezed
squeeze() { tr '\n' ' ' <"$1" | sed 's/  */ /g'; }

# ---- (a) Adult ----
S=$(t_shared)
block "#### The course exercise: Adult, training data against test data" >"$T_TMP/adult.sh"
t_eq "README (a): four commands" "$(grep -c '^[a-z]' "$T_TMP/adult.sh")" 4
t_eq "README (a): the download first" "$(head -n 1 "$T_TMP/adult.sh")" "datasets/fetch-public.sh data"
if [ -z "$S" ] || [ ! -f "$S/datasets/adult.data" ] || [ ! -f "$S/datasets/adult.test" ]; then
	t_skip "README (a): Adult" "../shared/datasets/adult.data or adult.test is absent"
else
	sed "1s|^datasets/fetch-public.sh data\$|datasets/fetch-public.sh --from $(cd "$S/datasets" && pwd) data|" \
		"$T_TMP/adult.sh" >"$T_TMP/adult.run"
	if (cd "$W" && sh -e "$T_TMP/adult.run") >"$T_TMP/adult.out" 2>"$T_ERR"; then
		t_pass "README (a): the exercise as written"
	else
		t_fail "README (a): the exercise as written"; tail -n 5 "$T_ERR" | sed 's/^/  stderr: /'
	fi
	J="$W/adult-drift.json"
	if [ -s "$J" ]; then
		t_eq "(a): 32,561 reference rows, 16,281 current rows" \
			"$(jq -r '"\(.input.reference.rows) \(.input.rows)"' "$J")" "32561 16281"
		t_eq "(a): 0 of 14 tested columns drift, no dataset drift" \
			"$(jq -r '.results | "\(.drifted) \(.tested) \(.dataset_drift)"' "$J")" "0 14 false"
		has_out() { if squeeze "$T_TMP/adult.out" | grep -qF -- "$2"; then t_pass "$1"; else t_fail "$1" "no '$2'"; fi; }
		has_out "(a): the table's sentence the README quotes" "0 of 14 tested columns drift (share 0): dataset drift no"
		t_eq "(a): the label income does not drift, by Jensen–Shannon" \
			"$(jq -r '.results.label | "\(.column) \(.test) \(.drift)"' "$J")" "income jensenshannon false"
		t_eq "(a): the distances decide (6 Wasserstein, 8 Jensen–Shannon)" \
			"$(jq -r '[.results.columns[].test] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' "$J")" \
			"jensenshannon 8, wasserstein 6"
		t_eq "(a): the largest distance is native-country's, 0.021" \
			"$(jq -r '[.results.columns[] | {c: .column, v: (.wasserstein_normed // .jensenshannon)}] | max_by(.v) | "\(.c) \(.v * 1000 | round / 1000)"' "$J")" \
			"native-country 0.021"
		t_eq "(a): missing values in workclass, occupation and native-country only" \
			"$(jq -r '[.results.columns[] | select(.missing_reference > 0 or .missing_current > 0) | .column] | join(",")' "$J")" \
			"workclass,occupation,native-country"
		E="$S/reference/drift-adult/expected.json"
		if [ -f "$E" ]; then
			t_close "(a): native-country's Jensen–Shannon equals SciPy's" \
				"$(jq -r '.results.columns[] | select(.column == "native-country") | .jensenshannon' "$J")" \
				"$(jq -r '.full.categorical["native-country"].jensenshannon' "$E")" 1e-9
		else
			t_skip "(a): native-country's Jensen–Shannon equals SciPy's" "$E is absent"
		fi
		t_ok "(a): the PDF" test -s "$W/adult-drift.pdf"
	fi
fi

# ---- (b) the monthly label jump ----
block "#### The course exercise: a month whose label base rate jumps" >"$T_TMP/monthly.sh"
t_eq "README (b): five commands" "$(grep -c '^[a-z]' "$T_TMP/monthly.sh")" 5
if (cd "$W" && sh -e "$T_TMP/monthly.sh") >"$T_TMP/monthly.out" 2>"$T_ERR"; then
	t_pass "README (b): the exercise as written"
else
	t_fail "README (b): the exercise as written"; tail -n 5 "$T_ERR" | sed 's/^/  stderr: /'
	t_done; exit $?
fi
J="$W/monthly-drift.json"
t_eq "(b): six windows of 1000 rows" "$(jq -r '[.results.windows[] | "\(.window)=\(.rows)"] | join(" ")' "$J")" \
	"2025-01=1000 2025-02=1000 2025-03=1000 2025-04=1000 2025-05=1000 2025-06=1000"
t_eq "(b): the label drifts from 2025-04 on, by the z-test" \
	"$(jq -r '[.results.windows[] | "\(.label.test):\(.label.drift)"] | join(" ")' "$J")" \
	"z:false z:false z:false z:true z:true z:true"
t_eq "(b): the prediction drifts in no window" \
	"$(jq -r '[.results.windows[] | .prediction.drift] | unique | join(",")' "$J")" false
t_eq "(b): no window has dataset drift" \
	"$(jq -r '[.results.windows[] | .dataset_drift] | unique | join(",")' "$J")" false
t_ok "(b): no window's drift share reaches 0.5" \
	sh -c "jq -e '[.results.windows[].drift_share] | max < 0.5' '$J' >/dev/null"
# the z-test of April from the files' label counts: pooled two-proportion z, two-sided p
awk -F, 'FILENAME == ARGV[1] && FNR > 1 { n1++; k1 += $13 }
	FILENAME == ARGV[2] && FNR > 1 && $2 == "2025-04" { n2++; k2 += $14 }
	END { p1 = k1 / n1; p2 = k2 / n2; p = (k1 + k2) / (n1 + n2)
		z = (p2 - p1) / sqrt(p * (1 - p) * (1 / n1 + 1 / n2)); printf "%.17g\n", z }' \
	"$W/train.csv" "$W/monthly.csv" >"$T_TMP/z.txt"
t_close "(b): April's z statistic, recomputed from the counts" \
	"$(jq -r '.results.windows[] | select(.window == "2025-04") | .label.z_statistic' "$J" | tr -d -)" \
	"$(tr -d - <"$T_TMP/z.txt")" 1e-9
pdftotext "$W/monthly-drift.pdf" "$T_TMP/monthly.txt" 2>/dev/null
if squeeze "$T_TMP/monthly.txt" | grep -qF "Windows that drift: '2025-04' (label), '2025-05' (label), '2025-06' (label)."; then
	t_pass "(b): the report lists the windows that drift"
else
	t_fail "(b): the report lists the windows that drift"
fi
t_done
