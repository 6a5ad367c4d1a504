#!/bin/sh
# synth.sh — audit-synth writing 10 million rows (target: well under a minute,
# constant memory). Prints seconds, MB/s of CSV written and peak RSS, for a run
# to a file and for a run of 1 million rows (peak RSS must not grow with rows).
# Keeps $BENCH_DIR/credit-10M.csv (seed 1) as data for the other benchmarks.
. bench/lib.sh

synth_time() {
	_label=$1; _out=$2; shift 2
	_t="$BENCH_DIR/.time-synth"
	if ! /usr/bin/time -v "$@" -o "$_out" 2>"$_t"; then
		echo "$_label: failed"; tail -n 5 "$_t"; return 1
	fi
	_bytes=$(wc -c <"$_out")
	awk -F': ' -v l="$_label" -v b="$_bytes" '
		/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i] }
		/Maximum resident set size/ { r = $2 / 1024 }
		END { printf "%-48s %8.2f s %9.1f MB/s   peak RSS %.1f MiB   (%.0f MB)\n", l, s, b / s / 1e6, r, b / 1e6 }' "$_t"
}

if [ ! -x /usr/bin/time ]; then
	echo "synth: /usr/bin/time is missing (Debian package 'time'); skipped"
	exit 0
fi
synth_time "synth: 1 million rows" "$BENCH_DIR/credit-1M.csv" \
	"$BIN/audit-synth" -q --rows 1000000 --seed 1
rm -f "$BENCH_DIR/credit-1M.csv"
synth_time "synth: 10 million rows" "$BENCH_DIR/credit-10M.csv" \
	"$BIN/audit-synth" -q --rows 10000000 --seed 1
echo "(target: 10 million rows well under a minute; peak RSS the same for 1 and 10 million rows)"
