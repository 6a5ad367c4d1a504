#!/bin/sh
# report-slice.sh — the report's Slices section (audit.slice/1, named and
# discovered slices) and the fairness pages of audit.fairness-multiclass/1
# and audit.fairness-regression/1 documents: every number of their tables and
# sentences equals the document's (read here with jq, formatted with awk as
# the report formats them: rates with 3 decimals, other values with 4
# significant digits, p-values below 0.001 as "< 0.001"); the sections are
# present for each kind and listed on the cover; the charts are drawn; the
# verdict counts the documents' requested checks; a discovery that found
# nothing says so; and the page count of the PDF is the one its footers give.
. tests/e2e/lib.sh
D=tests/data/report
R="$BIN/audit-report"
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1 ||
    ! command -v pdfinfo >/dev/null 2>&1; then
	t_skip "report-slice" "poppler-utils (pdftotext, pdfinfo) or jq not installed"
	t_done; exit $?
fi

# fv X: a value (integers whole, else 4 significant digits); f3 X: 3 decimals
fv() { awk -v v="$1" 'BEGIN { if (v == "null" || v == "") printf "undefined"; else if (v == int(v)) printf "%.0f", v; else printf "%.4g", v }'; }
f3() { awk -v v="$1" 'BEGIN { if (v == "null" || v == "") printf "—"; else printf "%.3f", v }'; }
# fp X: a p-value
fp() { awk -v v="$1" 'BEGIN { if (v == "null" || v == "") printf "—"; else if (v < 0.001) printf "< 0.001"; else printf "%.3f", v }'; }
# ci3 DOC PATH: "m [lo, hi]" of a rate at PATH (metric) with PATH's ci
ci3() { echo "$(f3 "$(jq -r "$2" "$1")") [$(f3 "$(jq -r "$3[0]" "$1")"), $(f3 "$(jq -r "$3[1]" "$1")")]"; }
squeeze() { tr '\n' ' ' <"$1" | sed 's/  */ /g'; }
has() { if [ -n "$3" ] && squeeze "$2" | grep -qF -- "$3"; then t_pass "$1"; else t_fail "$1" "no '$3'"; fi; }
hasnt() { if squeeze "$2" | grep -qF -- "$3"; then t_fail "$1" "'$3' present"; else t_pass "$1"; fi; }
row() { awk -v k="$2" '{ $1 = $1 } $1 == k { print; exit }' "$1"; }
# pdf NAME DOC...: the report, its text with layout (.txt) and without (.plain)
pdf() {
	pn=$1; shift
	t_run "$pn: report" 0 "$R" -o "$T_TMP/$pn.pdf" "$@"
	pdftotext -layout "$T_TMP/$pn.pdf" "$T_TMP/$pn.txt" 2>/dev/null
	pdftotext "$T_TMP/$pn.pdf" "$T_TMP/$pn.plain" 2>/dev/null
}
# sec FILE FROM: the lines from the heading FROM to the Appendix
sec() { sed -n "/^[[:space:][:cntrl:]]*$2\$/,/^[[:space:][:cntrl:]]*Appendix\$/p" "$1"; }
# pages NAME: the page count the PDF has, and the one its last footer says
pages() {
	n=$(pdfinfo "$T_TMP/$1.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	f=$(grep -o 'page [0-9]* of [0-9]*' "$T_TMP/$1.txt" | tail -n 1 | awk '{ print $4 }')
	t_eq "$1: the footers count the PDF's $n pages" "$f" "$n"
}
# sentence DOC I: a slice in words, as the section says it
sentence() {
	p=".results.slices[$2]"
	e=$(jq -r "$p.effect" "$1")
	worse=$(jq -r .results.worse "$1")
	dir=$(awk -v e="$e" -v w="$worse" 'BEGIN { print ((e > 0) == (w == "lower")) ? "lower" : "higher" }')
	pv=$(fp "$(jq -r "$p.p_value" "$1")"); case $pv in "<"*) ;; *) pv="= $pv" ;; esac
	q=$(jq -r "$p.q_value // empty" "$1"); qs=""
	if [ -n "$q" ]; then qs=$(fp "$q"); case $qs in "<"*) qs=", q $qs" ;; *) qs=", q = $qs" ;; esac; fi
	name=$(jq -r "$p.name // $p.description" "$1")
	echo "accuracy on slice '$name' (n = $(jq -r "$p.size" "$1")) is $(ci3 "$1" "$p.metric" "$p.ci"), $(f3 "$(awk -v e="$e" 'BEGIN { print e < 0 ? -e : e }')") $dir than on the other rows ($(ci3 "$1" "$p.complement_metric" "$p.complement_ci"); p $pv$qs)."
}

# ---- named slices ----
named_doc() { # named_doc TAG DOC
tg=$1 NA=$2
pdf "$tg" "$NA"
sec "$T_TMP/$tg.txt" Slices >"$T_TMP/$tg.sec"
sec "$T_TMP/$tg.plain" Slices >"$T_TMP/$tg.psec"
t_eq "$tg: one Slices section" "$(grep -c '^[[:space:][:cntrl:]]*Slices$' "$T_TMP/$tg.txt")" 1
has "$tg: the contents list it" "$T_TMP/$tg.txt" "Data and model · Slices · Appendix"
has "$tg: heading" "$T_TMP/$tg.sec" "Named slices: '$(jq -r .params.pred "$NA")' on $(jq -r .input.path "$NA")"
has "$tg: what was measured, overall" "$T_TMP/$tg.psec" \
	"Over all $(jq -r .results.overall.size "$NA") eligible rows it is $(ci3 "$NA" .results.overall.metric .results.overall.ci)."
n=$(jq '.results.slices | length' "$NA")
i=0
while [ "$i" -lt "$n" ]; do
	p=".results.slices[$i]"
	want="$(jq -r "$p.name" "$NA") $(jq -r "$p.size" "$NA") $(ci3 "$NA" "$p.metric" "$p.ci") $(jq -r "$p.complement_size" "$NA") $(ci3 "$NA" "$p.complement_metric" "$p.complement_ci") $(f3 "$(jq -r "$p.effect" "$NA")") $(fp "$(jq -r "$p.p_value" "$NA")")"
	t_eq "$tg: row of '$(jq -r "$p.name" "$NA")'" "$(row "$T_TMP/$tg.sec" "$(jq -r "$p.name" "$NA")")" "$want"
	has "$tg: the chart's bar of the rest of '$(jq -r "$p.name" "$NA")'" "$T_TMP/$tg.sec" \
		"rest of '$(jq -r "$p.name" "$NA")' $(f3 "$(jq -r "$p.complement_metric" "$NA")")"
	i=$((i + 1))
done
has "$tg: the expression under the name" "$T_TMP/$tg.sec" "$(jq -r '.results.slices[0].expression' "$NA")"
has "$tg: the chart" "$T_TMP/$tg.sec" "Accuracy per slice and on the rest of the rows"
has "$tg: its reference line is the overall metric" "$T_TMP/$tg.psec" "line: all rows, $(f3 "$(jq -r .results.overall.metric "$NA")")"
# the words: every slice worse at p < 0.05, none of the others
for i in $(jq -r '.results.slices | to_entries[] | .key' "$NA"); do
	s=$(sentence "$NA" "$i")
	if [ "$(jq -r ".results.slices[$i] | (.effect > 0 and .p_value < 0.05)" "$NA")" = true ]; then
		has "$tg: slice $i in words" "$T_TMP/$tg.psec" "The model's $s"
	else
		hasnt "$tg: slice $i not told (not significantly worse)" "$T_TMP/$tg.psec" "$s"
	fi
done
t_eq "$tg: the fixture has two slices significantly worse" \
	"$(jq '[.results.slices[] | select(.effect > 0 and .p_value < 0.05)] | length' "$NA")" 2
worst=$(jq '.results.slices | to_entries | map(select(.value.effect > 0 and .value.p_value < 0.05)) | max_by(.value.effect) | .key' "$NA")
has "$tg: key finding, the largest effect" "$T_TMP/$tg.plain" "Slices: the model's $(sentence "$NA" "$worst")"
# checks: the verdict and the section's count
nf=$(jq '[.checks[] | select(.status == "fail")] | length' "$NA")
np=$(jq '[.checks[] | select(.status == "pass")] | length' "$NA")
has "$tg: the verdict counts its checks" "$T_TMP/$tg.plain" "$nf of $((nf + np)) requested checks failed, $np passed"
has "$tg: the section counts them" "$T_TMP/$tg.psec" "Checks requested on this document (counted in the verdict): $np passed, $nf failed, 0 undefined."
has "$tg: a check scoped to a slice" "$T_TMP/$tg.txt" "slice $(jq -r '.checks[0].slice' "$NA")"
pages "$tg"
}
named_doc named "$D/slice-named.json"

# ---- discovered slices ----
disc_doc() { # disc_doc TAG DOC
tg=$1 DI=$2
pdf "$tg" "$DI"
sec "$T_TMP/$tg.txt" Slices >"$T_TMP/$tg.sec"
sec "$T_TMP/$tg.plain" Slices >"$T_TMP/$tg.psec"
t_eq "$tg: one Slices section" "$(grep -c '^[[:space:][:cntrl:]]*Slices$' "$T_TMP/$tg.txt")" 1
has "$tg: heading" "$T_TMP/$tg.sec" "Discovered slices: '$(jq -r .params.pred "$DI")' on $(jq -r .input.path "$DI")"
has "$tg: the search in words" "$T_TMP/$tg.psec" \
	"It tested $(jq -r .results.discovery.candidates "$DI") candidate slices of at least $(jq -r .params.discover.min_size "$DI") rows"
case $(jq -r '.results.slices[0].test' "$DI") in
"fisher exact") tw="Fisher's exact test" ;; "welch t") tw="Welch t-test" ;; *) tw="two-proportion z-test" ;;
esac
has "$tg: the test named ($tw)" "$T_TMP/$tg.psec" "each against the rest with a one-sided $tw (the slice is worse)"
has "$tg: significant at the FDR" "$T_TMP/$tg.psec" \
	"$(jq -r .results.discovery.significant "$DI") are significantly worse at a false discovery rate of $(fv "$(jq -r .params.discover.fdr "$DI")")"
has "$tg: the columns" "$T_TMP/$tg.psec" "on the columns $(jq -r '[.results.discovery.columns[].name | "'"'"'\(.)'"'"'"] | join(", ")' "$DI")"
if [ "$(jq '.results.discovery.left_out | length' "$DI")" -gt 0 ]; then
	has "$tg: what was left out" "$T_TMP/$tg.psec" "left out: $(jq -r '.results.discovery.left_out[0] | "'"'"'\(.column)'"'"' (\(.reason))"' "$DI")"
else
	hasnt "$tg: nothing left out said" "$T_TMP/$tg.psec" "left out:"
fi
# the table: p and q of every slice, in order (the last two cells of its rows)
want=$(jq -r '.results.slices[] | "\(.p_value) \(.q_value)"' "$DI" | while read -r p q; do echo "$(fp "$p") $(fp "$q")"; done | tr '\n' '|')
got=$(sed -n '/Slice .* q$/,/^ *Bold:/p' "$T_TMP/$tg.sec" | grep -E '(< 0.001|[0-9]\.[0-9]{3}) +(< 0.001|[0-9]\.[0-9]{3}) *$' |
    sed 's/ *$//' | awk -F '  +' '{ print $(NF - 1) " " $NF }' | tr '\n' '|')
t_eq "$tg: p and q of each slice, best first" "$got" "$want"
for i in 0 1 2; do
	has "$tg: slice $i in words" "$T_TMP/$tg.psec" "The model's $(sentence "$DI" "$i")"
done
hasnt "$tg: at most three slices in words" "$T_TMP/$tg.psec" "The model's $(sentence "$DI" 3)"
has "$tg: key finding, the best slice" "$T_TMP/$tg.plain" "Slices: the model's $(sentence "$DI" 0)"
has "$tg: the chart, the best slice's bar" "$T_TMP/$tg.sec" \
	"$(jq -r '.results.slices[0].description' "$DI") $(f3 "$(jq -r '.results.slices[0].metric' "$DI")")"
pages "$tg"
}
DI=$D/slice-discover.json
disc_doc disc "$DI"

# a discovery that found nothing says so (the fixture without its slices)
jq '.results.slices = [] | .results.discovery.significant = 0 | .results.discovery.reported = 0 | .checks = []' "$DI" >"$T_TMP/none.json"
pdf none "$T_TMP/none.json"
has "nothing found: said" "$T_TMP/none.plain" "No slice is significantly worse than the rest of the rows."
has "nothing found: key finding" "$T_TMP/none.plain" \
	"discovery found no slice significantly worse than the rest (false discovery rate 0.05)"
hasnt "nothing found: no chart" "$T_TMP/none.plain" "per slice and on the rest of the rows"
has "nothing found: no verdict without checks" "$T_TMP/none.plain" "No checks were requested"

# ---- multi-class fairness (a group's metrics in "metrics" or beside "count") ----
# m Q KEY: the jq path of a group's metric
m() { echo "($1 | (.metrics.$2 // .$2))"; }
mc_doc() { # mc_doc TAG DOC
	tg=$1 MC=$2
	pdf "$tg" "$MC"
	sec "$T_TMP/$tg.txt" 'Fairness: multi-class' >"$T_TMP/$tg.sec"
	sec "$T_TMP/$tg.plain" 'Fairness: multi-class' >"$T_TMP/$tg.psec"
	t_eq "$tg: one section" "$(grep -c '^[[:space:][:cntrl:]]*Fairness: multi-class$' "$T_TMP/$tg.txt")" 1
	has "$tg: heading" "$T_TMP/$tg.sec" "Attribute 'source' (multi-class)"
	has "$tg: the classes" "$T_TMP/$tg.psec" "classes 'negative', 'neutral', 'positive'"
	for g in $(jq -r '.results.attributes[0].groups[].group' "$MC"); do
		q=".results.attributes[0].groups[] | select(.group == \"$g\")"
		want="$g"
		[ "$g" = "$(jq -r '.results.attributes[0].reference' "$MC")" ] && want="$want (reference)"
		want="$want $(jq -r "$q.count" "$MC")"
		for k in accuracy balanced_accuracy macro_f1 macro_precision macro_recall; do
			want="$want $(f3 "$(jq -r "$(m "$q" "$k")" "$MC")")"
		done
		t_eq "$tg: row of '$g'" "$(row "$T_TMP/$tg.sec" "$g")" "$want"
		# per-class recall, then selection rate: two rows starting with the group
		rec="$g"; sel="$g"
		for k in negative neutral positive; do
			rec="$rec $(f3 "$(jq -r "$q.per_class.$k.recall" "$MC")")"
			sel="$sel $(f3 "$(jq -r "$q.per_class.$k.selection_rate" "$MC")")"
		done
		has "$tg: per-class recall of '$g'" "$T_TMP/$tg.sec" "$rec"
		has "$tg: per-class selection rate of '$g'" "$T_TMP/$tg.sec" "$sel"
		lo=$(awk -v v="$(jq -r "$q.ci.accuracy[0]" "$MC")" 'BEGIN { printf "%.2f", v }')
		hi=$(awk -v v="$(jq -r "$q.ci.accuracy[1]" "$MC")" 'BEGIN { printf "%.2f", v }')
		has "$tg: accuracy interval of '$g'" "$T_TMP/$tg.sec" "$lo–$hi"
		has "$tg: chart bar of '$g'" "$T_TMP/$tg.sec" "$g $(f3 "$(jq -r "$(m "$q" accuracy)" "$MC")")"
	done
	S='.results.attributes[0].summary'
	for k in accuracy balanced_accuracy macro_f1; do
		has "$tg: $k difference and ratio" "$T_TMP/$tg.sec" \
			"$(fv "$(jq -r "$S.${k}_difference" "$MC")") $(fv "$(jq -r "$S.${k}_ratio" "$MC")")"
	done
	P='(.results.attributes[0].per_class // .results.attributes[0].summary.per_class)'
	has "$tg: per-class summary of 'negative'" "$T_TMP/$tg.sec" \
		"negative $(fv "$(jq -r "$P.negative.recall_difference" "$MC")") $(fv "$(jq -r "$P.negative.recall_ratio" "$MC")")"
	lo=$(jq -c '.results.attributes[0].groups | min_by(.metrics.accuracy // .accuracy) | [.group, (.metrics.accuracy // .accuracy)]' "$MC")
	hi=$(jq -c '.results.attributes[0].groups | max_by(.metrics.accuracy // .accuracy) | [.group, (.metrics.accuracy // .accuracy)]' "$MC")
	has "$tg: the finding" "$T_TMP/$tg.plain" \
		"'source' (multi-class): accuracy ranges from $(f3 "$(echo "$lo" | jq -r '.[1]')") ('$(echo "$lo" | jq -r '.[0]')') to $(f3 "$(echo "$hi" | jq -r '.[1]')") ('$(echo "$hi" | jq -r '.[0]')'); difference $(fv "$(jq -r "$S.accuracy_difference" "$MC")"), ratio $(fv "$(jq -r "$S.accuracy_ratio" "$MC")")."
	has "$tg: counted as fairness in the summary" "$T_TMP/$tg.plain" "1 on fairness (audit-fair)"
	hasnt "$tg: fairness is not 'not assessed'" "$T_TMP/$tg.plain" "Not assessed: fairness"
	pages "$tg"
}
MC=$D/fair-multiclass.json
mc_doc mc "$MC"
has "mc: the verdict counts its check" "$T_TMP/mc.plain" "1 of 1 requested checks failed"

# ---- regression fairness ----
rg_doc() { # rg_doc TAG DOC
	tg=$1 RG=$2
	pdf "$tg" "$RG"
	sec "$T_TMP/$tg.txt" 'Fairness: regression' >"$T_TMP/$tg.sec"
	sec "$T_TMP/$tg.plain" 'Fairness: regression' >"$T_TMP/$tg.psec"
	t_eq "$tg: one section" "$(grep -c '^[[:space:][:cntrl:]]*Fairness: regression$' "$T_TMP/$tg.txt")" 1
	for g in $(jq -r '.results.attributes[0].groups[].group' "$RG"); do
		q=".results.attributes[0].groups[] | select(.group == \"$g\")"
		want="$g"
		[ "$g" = "$(jq -r '.results.attributes[0].reference' "$RG")" ] && want="$want (reference)"
		want="$want $(jq -r "$q.count" "$RG")"
		for k in mean_prediction mean_label mae rmse r2 group_loss; do
			want="$want $(fv "$(jq -r "$(m "$q" "$k")" "$RG")")"
		done
		t_eq "$tg: row of '$g'" "$(row "$T_TMP/$tg.sec" "$g" | sed 's/−/-/g')" "$want"
	done
	S='.results.attributes[0].summary'
	for k in mae rmse r2; do
		has "$tg: $k difference and ratio" "$T_TMP/$tg.sec" \
			"$(fv "$(jq -r "$S.${k}_difference" "$RG")") $(fv "$(jq -r "$S.${k}_ratio" "$RG")")"
	done
	lo=$(jq -c '.results.attributes[0].groups | min_by(.metrics.mae // .mae) | [.group, (.metrics.mae // .mae)]' "$RG")
	hi=$(jq -c '.results.attributes[0].groups | max_by(.metrics.mae // .mae) | [.group, (.metrics.mae // .mae)]' "$RG")
	has "$tg: the finding" "$T_TMP/$tg.plain" \
		"'source' (regression): MAE ranges from $(fv "$(echo "$lo" | jq -r '.[1]')") ('$(echo "$lo" | jq -r '.[0]')') to $(fv "$(echo "$hi" | jq -r '.[1]')") ('$(echo "$hi" | jq -r '.[0]')'); difference $(fv "$(jq -r "$S.mae_difference" "$RG")"), ratio $(fv "$(jq -r "$S.mae_ratio" "$RG")")."
	has "$tg: the bounded group loss" "$T_TMP/$tg.plain" \
		"The largest group loss (squared error, Fairlearn's bounded group loss) is $(fv "$(jq -r "$S.bounded_group_loss.value" "$RG")"), in '$(jq -r "$S.bounded_group_loss.group" "$RG")'."
	has "$tg: the chart" "$T_TMP/$tg.sec" "MAE (mean absolute error) per group"
	pages "$tg"
}
RG=$D/fair-regression.json
rg_doc rg "$RG"

# ---- the same pages from audit-fair's own documents, and their text views ----
"$BIN/audit-synth" --scenario sentiment --rows 1500 --seed 7 -o "$T_TMP/posts.csv"
if "$BIN/audit-fair" --help 2>/dev/null | grep -q -- '--task'; then
	t_run "audit-fair --task multiclass" 0 "$BIN/audit-fair" --task multiclass --label label \
	    --pred model_b --protected source --format json -o "$T_TMP/mc-live.json" "$T_TMP/posts.csv"
	mc_doc mc-live "$T_TMP/mc-live.json"
	t_run "audit-fair --task regression" 0 "$BIN/audit-fair" --task regression --label retweets \
	    --pred retweets_pred --protected source --format json -o "$T_TMP/rg-live.json" "$T_TMP/posts.csv"
	rg_doc rg-live "$T_TMP/rg-live.json"
	for f in table md csv; do
		for k in mc rg; do
			if [ $k = mc ]; then set -- --task multiclass --label label --pred model_b
			else set -- --task regression --label retweets --pred retweets_pred; fi
			"$BIN/audit-fair" "$@" --protected source --format $f "$T_TMP/posts.csv" >"$T_TMP/$k.$f" 2>/dev/null
			t_run "$k: audit-report --format $f" 0 "$R" --format $f "$T_TMP/$k-live.json"
			cp "$T_OUT" "$T_TMP/$k.view.$f"
			t_ok "$k: the $f view is not empty" test -s "$T_TMP/$k.$f"
			t_ok "$k: audit-report --format $f prints what audit-fair printed" cmp "$T_TMP/$k.view.$f" "$T_TMP/$k.$f"
		done
	done
else
	t_skip "audit-fair's own multi-class and regression documents" "this audit-fair has no --task"
fi
if [ -x "$BIN/audit-slice" ]; then
	t_run "audit-slice, named" 1 "$BIN/audit-slice" --label label --pred model_b \
	    --slice hashtag='text contains "#"' \
	    --slice negation='text contains " not " || text contains " never " || text contains " hardly "' \
	    --slice mention='text startswith "@"' --slice android='source == "android"' \
	    --check 'hashtag: slices.effect <= 0.1' --check 'overall.metric >= 0.7' \
	    --format json -o "$T_TMP/named-live.json" "$T_TMP/posts.csv"
	named_doc named-live "$T_TMP/named-live.json"
	t_run "audit-slice --discover" 0 "$BIN/audit-slice" -q --label label --pred model_b --discover \
	    --columns source,words,hashtags --format json -o "$T_TMP/disc-live.json" "$T_TMP/posts.csv"
	t_run "audit-slice --discover, every column" 0 "$BIN/audit-slice" -q --label label --pred model_b \
	    --discover --format json -o "$T_TMP/disc-all.json" "$T_TMP/posts.csv"
	disc_doc disc-live "$T_TMP/disc-live.json"
	disc_doc disc-all "$T_TMP/disc-all.json"
	# a mean metric: regression's MAE, Welch's t-test, values with 4 significant digits
	t_run "audit-slice --task regression" 0 "$BIN/audit-slice" --task regression --label retweets \
	    --pred retweets_pred --slice iphone='source == "iphone"' --format json -o "$T_TMP/rs.json" "$T_TMP/posts.csv"
	pdf rs "$T_TMP/rs.json"
	has "regression slice: Welch's test named" "$T_TMP/rs.plain" "the two-sided p-value of the Welch t-test"
	q='.results.slices[0]'
	t_eq "regression slice: the row" "$(row "$T_TMP/rs.txt" iphone)" \
		"iphone $(jq -r "$q.size" "$T_TMP/rs.json") $(fv "$(jq -r "$q.metric" "$T_TMP/rs.json")") [$(fv "$(jq -r "$q.ci[0]" "$T_TMP/rs.json")"), $(fv "$(jq -r "$q.ci[1]" "$T_TMP/rs.json")")] $(jq -r "$q.complement_size" "$T_TMP/rs.json") $(fv "$(jq -r "$q.complement_metric" "$T_TMP/rs.json")") [$(fv "$(jq -r "$q.complement_ci[0]" "$T_TMP/rs.json")"), $(fv "$(jq -r "$q.complement_ci[1]" "$T_TMP/rs.json")")] $(fv "$(jq -r "$q.effect" "$T_TMP/rs.json")") $(fp "$(jq -r "$q.p_value" "$T_TMP/rs.json")")"
	has "regression slice: higher is worse, in words" "$T_TMP/rs.plain" \
		"mean absolute error on slice 'iphone' (n = $(jq -r "$q.size" "$T_TMP/rs.json")) is $(fv "$(jq -r "$q.metric" "$T_TMP/rs.json")")"
	for f in table md csv; do
		for k in named disc; do
			if [ $k = named ]; then set -- --slice hashtag='text contains "#"' --slice android='source == "android"'
			else set -- --discover --columns source,words,hashtags; fi
			"$BIN/audit-slice" -q --label label --pred model_b "$@" --format json -o "$T_TMP/$k.v.json" "$T_TMP/posts.csv"
			"$BIN/audit-slice" -q --label label --pred model_b "$@" --format $f "$T_TMP/posts.csv" >"$T_TMP/$k.$f" 2>/dev/null
			t_ok "$k: the $f view is not empty" test -s "$T_TMP/$k.$f"
			t_run "$k: audit-report --format $f" 0 "$R" --format $f "$T_TMP/$k.v.json"
			cp "$T_OUT" "$T_TMP/$k.view.$f"
			t_ok "$k: audit-report --format $f prints what audit-slice printed" cmp "$T_TMP/$k.view.$f" "$T_TMP/$k.$f"
		done
	done
else
	t_skip "audit-slice's own documents" "audit-slice is not built"
fi

# ---- odd documents: absent or mistyped keys leave a cell or a table out, never fail ----
i=0
for spec in "$NA|.results.slices[0].metric = null | .results.slices[0].ci = null | .results.slices[1].effect = null | .results.slices[2] = {} | .results.overall = null | del(.results.worse)" \
    "$DI|.results.discovery = {} | .results.slices[0].predicates = 3 | .params = null" \
    "$NA|.results.slices = {\"a\": 1}" \
    "$MC|.results.attributes[0].groups[0].metrics = null | .results.attributes[0].groups[1] = {} | .results.classes = 5 | .results.attributes[0].summary = [] | .results.overall = 7" \
    "$RG|.results.attributes = [{}]" "$RG|.results.attributes[0].groups = []"; do
	i=$((i + 1))
	jq "${spec#*|}" "${spec%%|*}" >"$T_TMP/odd$i.json"
	t_run "odd document $i: drawn" 0 "$R" -o "$T_TMP/odd$i.pdf" "$T_TMP/odd$i.json"
done
pdftotext -layout "$T_TMP/odd1.pdf" "$T_TMP/odd1.txt" 2>/dev/null
t_eq "odd document 1: an undefined metric drawn as a dash, without interval" \
	"$(row "$T_TMP/odd1.txt" hashtag | cut -d' ' -f1-4)" "hashtag $(jq -r '.results.slices[0].size' "$NA") — $(jq -r '.results.slices[0].complement_size' "$NA")"

# ---- all four together, with a binary fairness document: each section once, in order ----
pdf all "$D/fair.json" "$NA" "$DI" "$MC" "$RG"
has "all: the contents" "$T_TMP/all.txt" "Data and model · Fairness · Fairness: multi-class and regression · Slices · Appendix"
t_eq "all: sections in order" "$(grep -E '^[[:space:][:cntrl:]]*(Fairness|Fairness: multi-class and regression|Slices|Appendix)$' "$T_TMP/all.txt" | sed 's/^[[:space:][:cntrl:]]*//' | tr '\n' '|')" \
	"Fairness|Fairness: multi-class and regression|Slices|Appendix|"
has "all: 2 on slices in the summary" "$T_TMP/all.plain" "2 on slices (audit-slice)"
nf=$(jq -s '[.[].checks[] | select(.requested != false) | select(.status == "fail")] | length' "$D/fair.json" "$NA" "$DI" "$MC" "$RG")
nt=$(jq -s '[.[].checks[] | select(.requested != false)] | length' "$D/fair.json" "$NA" "$DI" "$MC" "$RG")
has "all: the verdict counts every document's requested checks" "$T_TMP/all.plain" "$nf of $nt requested checks failed"
pages all
pn=$(pdfinfo "$T_TMP/all.pdf" | awk '/^Pages:/ { print $2 }')
pf=$(pdfinfo "$T_TMP/named.pdf" | awk '/^Pages:/ { print $2 }')
t_ok "all: more pages than one document ($pn > $pf)" test "$pn" -gt "$pf"
t_done
