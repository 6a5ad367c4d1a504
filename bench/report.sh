#!/bin/sh
# report.sh — audit-report: the demo report drawn from its JSON documents, as
# PDF and as HTML (target: a report of 20 pages or more in under one second,
# in either format). Uses every document of `make demo` (reports/demo/) when
# present, else the test fixtures.
. bench/lib.sh
D=reports/demo
if [ -f $D/fair.json ] && [ -f $D/explain.json ]; then
	docs=""
	for f in profile check drift fair slices policy frontier fair-mitigated robust explain; do
		[ -f "$D/$f.json" ] && docs="$docs $D/$f.json"
	done
	what="make demo's documents"
else
	docs="tests/data/report/fair.json tests/data/report/robust.json tests/data/report/explain.json tests/data/report/explain-pdp.json"
	what="the test fixtures"
fi
card=datasets/credit-model-card.json
for fmt in pdf html; do
	out="$BENCH_DIR/report.$fmt"
	# shellcheck disable=SC2086
	bench_time "audit-report --format $fmt ($what)" 0 "$BIN/audit-report" --format "$fmt" -o "$out" \
		--title "Audit of the planted credit model" --model-card "$card" $docs || exit 1
	if [ "$fmt" = pdf ]; then
		pages=$(pdfinfo "$out" 2>/dev/null | sed -n 's/^Pages: *//p')
		echo "($pages pages, $(wc -c <"$out") bytes; target: under 1 s)"
	else
		echo "($(grep -c '<svg ' "$out") inline charts, $(wc -c <"$out") bytes; target: under 1 s, under 2 MB)"
	fi
	# ten runs back to back, to see the time of one without process start noise
	start=$(date +%s.%N)
	i=0
	while [ $i -lt 10 ]; do
		# shellcheck disable=SC2086
		"$BIN/audit-report" --format "$fmt" -o "$out" --model-card "$card" $docs || exit 1
		i=$((i + 1))
	done
	end=$(date +%s.%N)
	awk -v a="$start" -v b="$end" -v f="$fmt" 'BEGIN { printf "%-48s %8.3f s per report (mean of 10)\n", "audit-report --format " f, (b - a) / 10 }'
done
