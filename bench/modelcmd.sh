#!/bin/sh
# modelcmd.sh — overhead of a model served by a command (--model-cmd), per row,
# for 1 million rows: the library writes each row as CSV into the command's
# stdin and parses one score per line from its stdout. The command is `cut`
# echoing a constant column, so nearly all the time is ours (and cut's).
#   - 1 column: pipe, spawn and score parsing alone;
#   - 12 short-decimal columns (data as read from a CSV: 34.2, 0.370);
#   - 12 high-entropy columns (perturbed data: 17 significant digits);
#   - batches of 100000 (the default: 10 invocations) and of 10000 (100).
# With audit-predict built, also the whole tool on a 1M-row CSV with `cut`.
# Then the protocols side by side (--model-protocol batch|stream|binary) with
# the same Python standard-library scorer (tests/data/modelcmd/fake_serve.py,
# which speaks all three): rows/s on large blocks, and on many small calls
# (Kernel SHAP's pattern), as ratios to batch.
. bench/lib.sh
make -s "$BUILD/bench/modelcmd" >/dev/null || exit 1
drv="$BUILD/bench/modelcmd"
cmd='cut -d, -f1'

run() {  # LABEL ROWS COLS BATCH KIND
	_out=$("$drv" "$2" "$3" "$4" "$5" "$cmd") || { echo "$1: failed"; return 1; }
	echo "$_out" | awk -v l="$1" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
		END { printf "%-48s %8.3f s %9.0f ns/row %8.2f M rows/s\n", l, v["seconds"], v["ns_per_row"], 1000 / v["ns_per_row"] }'
}

run "model-cmd: 1M rows, 1 column" 1000000 1 100000 short
run "model-cmd: 1M rows, 12 short decimals" 1000000 12 100000 short
run "model-cmd: 1M rows, 12 short decimals, batch 10k" 1000000 12 10000 short
run "model-cmd: 1M rows, 12 high-entropy doubles" 1000000 12 100000 entropy
bench_time "model-cmd driver, peak RSS (its 96 MB batch included)" 0 "$drv" 1000000 12 100000 short "$cmd"

if [ -x "$BIN/audit-predict" ] && printf 'x\n1\n' | "$BIN/audit-predict" --model-cmd 'echo 1' 2>&1 >/dev/null |
    grep -q -- '--model-cmd is not available in this build'; then
	echo "(audit-predict does not take --model-cmd yet: the tool's figure is skipped)"
elif [ -x "$BIN/audit-predict" ]; then
	f="$BENCH_DIR/modelcmd-1m.csv"
	if [ ! -f "$f" ]; then
		awk 'BEGIN { srand(3); print "c,a,b,d";
			for (i = 0; i < 1000000; i++)
				printf "0.5,%.1f,%.3f,%d\n", rand() * 100, rand(), int(rand() * 50) }' >"$f"
	fi
	bytes=$(wc -c <"$f")
	bench_time "audit-predict --model-cmd '$cmd', 1M rows" "$bytes" \
	    "$BIN/audit-predict" --model-cmd "$cmd" -o /dev/null "$f"
	# every value distinct: peak RSS shows whether memory stays flat
	g="$BENCH_DIR/modelcmd-1m-distinct.csv"
	if [ ! -f "$g" ]; then
		awk 'BEGIN { srand(5); print "c,a,b";
			for (i = 0; i < 1000000; i++) printf "0.5,%.17g,%d\n", rand(), i }' >"$g"
	fi
	bytes=$(wc -c <"$g")
	bench_time "audit-predict --model-cmd, 1M distinct values" "$bytes" \
	    "$BIN/audit-predict" --model-cmd "$cmd" -o /dev/null "$g"
else
	echo "(audit-predict is not built: the tool's figure is skipped)"
fi

# ---- the protocols side by side ----
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import csv, struct' >/dev/null 2>&1; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "(no python3: the protocols' figures are skipped)"
else
	scorer="exec $PY tests/data/modelcmd/fake_serve.py"
	# proto LABEL ROWS COLS BATCH CALLS: "protocol rows/s" per protocol, then ratios
	proto() {
		_l=$1; shift
		_base=
		for _p in batch stream binary; do
			_out=$("$drv" "$1" "$2" "$3" short "$scorer" "$_p" "$4") || { echo "$_l $_p: failed"; continue; }
			_rps=$(echo "$_out" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
				END { printf "%.0f", 1e9 / v["ns_per_row"] }')
			[ -n "$_base" ] || _base=$_rps
			echo "$_l, $_p" "$_rps" "$_base" | awk '{ r = $(NF - 1); b = $NF; $NF = ""; $(NF) = ""; NF -= 2
				printf "%-56s %10.0f rows/s  %6.2fx batch\n", $0, r, r / b }'
		done
	}
	proto "python scorer: 100k rows, 4 columns, blocks of 10k" 100000 4 10000 1
	proto "python scorer: 200 calls of 50 rows (Kernel SHAP)" 10000 4 10000 200
fi
echo "(no peer figure: Python tools call the model in-process)"
