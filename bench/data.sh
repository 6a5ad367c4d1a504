#!/bin/sh
# data.sh — audit-data on audit-synth rows: profile and drift, exact and with
# --sketch, as rows/s and MB/s beside the CSV scan speed of the same file
# (bench/csvscan: the reader alone) and their peak RSS. The current data is a
# second sample (another seed). Quick by default (1 million rows);
# BENCH_FULL=1 runs 10 million. Prints figures; asserts nothing.
# shellcheck disable=SC2154  # _s: the seconds of the last bench_time (bench/lib.sh)
. bench/lib.sh
for t in audit-synth audit-data; do
	[ -x "$BIN/$t" ] || { echo "($BIN/$t is not built: the audit-data bench is skipped)"; exit 0; }
done
if [ "${BENCH_FULL:-0}" = 1 ]; then ROWS=10000000; else ROWS=1000000; fi
ref="$BENCH_DIR/data-ref-$ROWS.csv"
cur="$BENCH_DIR/data-cur-$ROWS.csv"
[ -f "$ref" ] || "$BIN/audit-synth" --rows "$ROWS" --seed 1 -q -o "$ref" || exit 1
[ -f "$cur" ] || "$BIN/audit-synth" --rows "$ROWS" --seed 2 -q -o "$cur" || exit 1
bytes=$(wc -c <"$cur")
both=$(($(wc -c <"$ref") + bytes))
echo "($ROWS rows a file, $(($bytes / 1000000)) MB; $(head -n 1 "$cur" | tr ',' '\n' | wc -l) columns)"

# rows_per_s ROWS: from the seconds of the last bench_time
rows_per_s() { awk -v n="$1" -v s="$_s" 'BEGIN { if (s > 0) printf "  %.2f million rows/s\n", n / s / 1e6 }'; }

make -s "$BUILD/bench/csvscan" >/dev/null 2>&1 &&
    bench_time "csv: scan only (the reader alone)" "$bytes" "$BUILD/bench/csvscan" "$cur" &&
    rows_per_s "$ROWS"
bench_time "profile (exact)" "$bytes" "$BIN/audit-data" profile -q -o /dev/null "$cur" &&
    rows_per_s "$ROWS"
bench_time "profile --sketch" "$bytes" "$BIN/audit-data" profile --sketch -q -o /dev/null "$cur" &&
    rows_per_s "$ROWS"
bench_time "drift (exact), both files" "$both" "$BIN/audit-data" drift -q -o /dev/null \
    --reference "$ref" "$cur" && rows_per_s $((2 * ROWS))
bench_time "drift --sketch, both files" "$both" "$BIN/audit-data" drift --sketch -q \
    -o /dev/null --reference "$ref" "$cur" && rows_per_s $((2 * ROWS))
echo "(exact mode keeps 8 bytes a number; --sketch keeps a sketch per column: its RSS does not grow with the rows)"
