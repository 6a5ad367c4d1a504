#!/bin/sh
# slice.sh — audit-slice --discover, degree 2 over 20 columns cut into 10
# bins (the 12 slicing columns of audit-synth's credit rows, a weak slice
# planted, plus 8 uniform numeric columns made by awk), as rows/s and peak
# RSS; degree 1 and degree 3 beside it. Quick by default (100,000 rows);
# BENCH_FULL=1 runs a million. Prints figures; asserts nothing.
# shellcheck disable=SC2154  # _s: the seconds of the last bench_time (bench/lib.sh)
. bench/lib.sh
for t in audit-synth audit-slice; do
	[ -x "$BIN/$t" ] || { echo "($BIN/$t is not built: the audit-slice bench is skipped)"; exit 0; }
done
if [ "${BENCH_FULL:-0}" = 1 ]; then ROWS=1000000; else ROWS=100000; fi
f="$BENCH_DIR/slice-$ROWS.csv"
if [ ! -f "$f" ]; then
	# x1..x8: a MINSTD generator seeded by the id (exact in awk's doubles)
	"$BIN/audit-synth" --rows "$ROWS" --seed 1 --error-rate 0.1 \
	    --weak-slice 'region=west,age<30:0.35' -q |
	awk -F, 'BEGIN { OFS = "," }
	NR == 1 { print $0, "x1,x2,x3,x4,x5,x6,x7,x8"; next }
	{ h = $1; s = ""
	  for (k = 1; k <= 8; k++) { h = (h * 48271) % 2147483647; s = s "," int(h / 2147483.647) / 10 }
	  print $0 s }' >"$f.tmp" && mv "$f.tmp" "$f" || exit 1
fi
bytes=$(wc -c <"$f")
C=age,income,debt_ratio,credit_years,employment_years,loan_amount,num_accounts,late_payments
C=$C,region,sex,group,score,x1,x2,x3,x4,x5,x6,x7,x8
echo "($ROWS rows, $((bytes / 1000000)) MB; 20 slicing columns, --bins 10)"

rows_per_s() { awk -v n="$1" -v s="$_s" 'BEGIN { if (s > 0) printf "  %.2f million rows/s\n", n / s / 1e6 }'; }

bench_time "named slice (reading alone)" "$bytes" "$BIN/audit-slice" --label label --pred pred \
    --slice 'west=region == "west"' -q -o /dev/null "$f" && rows_per_s "$ROWS"
for d in 1 2 3; do
	bench_time "discover --max-degree $d" "$bytes" "$BIN/audit-slice" --label label --pred pred \
	    --discover --max-degree "$d" --columns "$C" -q -o /dev/null "$f" && rows_per_s "$ROWS"
done
echo "(discovery keeps 8 bytes a number or 4 a code per row and column, then 2 a predicate: RSS grows with rows x columns)"
