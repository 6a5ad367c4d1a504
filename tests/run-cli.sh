#!/bin/sh
# run-cli.sh — golden tests of the tools (one case a folder, curl/git style).
#
# tests/cli/<tool>/<case>/ holds:
#   args             the arguments, one shell line (evaluated by sh, run from the project root)
#   stdin            optional standard input (else /dev/null)
#   expected.stdout  optional: stdout must equal it
#   expected.stderr  optional: stderr must equal it
#   expected.status  the exit status (default 0)
#   expected.files   optional: lines "PATH exists" or "PATH absent" checked after the run
# The tool runs as "$BIN/<tool>" with LC_ALL=C TZ=UTC OPENBLAS_NUM_THREADS=1 SOURCE_DATE_EPOCH=0.
# Cases run CLI_JOBS at a time (default: the number of cores); the report is in
# the cases' order whatever finished first. `run-cli.sh --case DIR OUT` runs one.
BIN=${BIN:-bin}
RUNNER=${RUNNER:-}
LC_ALL=C TZ=UTC OPENBLAS_NUM_THREADS=1 SOURCE_DATE_EPOCH=0
export BIN RUNNER LC_ALL TZ OPENBLAS_NUM_THREADS SOURCE_DATE_EPOCH

# run_case DIR OUT: run one case, write "ok NAME" or its FAIL lines to OUT
run_case() {
	dir=${1%/}
	res=$2
	tool=$(basename "$(dirname "$dir")")
	name="$tool/$(basename "$dir")"
	out="$res.out"
	err="$res.err"
	input=/dev/null
	[ -f "$dir/stdin" ] && input="$dir/stdin"
	want_status=0
	[ -f "$dir/expected.status" ] && want_status=$(cat "$dir/expected.status")
	args=$(cat "$dir/args")
	eval "\$RUNNER \"\$BIN/$tool\" $args" <"$input" >"$out" 2>"$err"
	status=$?
	ok=1
	{
		if [ "$status" != "$want_status" ]; then
			echo "FAIL: $name: exit status $status, want $want_status"; ok=0
			sed 's/^/  stderr: /' "$err" | head -n 5
		fi
		if [ -f "$dir/expected.stdout" ] && ! cmp -s "$dir/expected.stdout" "$out"; then
			echo "FAIL: $name: stdout differs"; diff "$dir/expected.stdout" "$out" | head -n 20; ok=0
		fi
		if [ -f "$dir/expected.stderr" ] && ! cmp -s "$dir/expected.stderr" "$err"; then
			echo "FAIL: $name: stderr differs"; diff "$dir/expected.stderr" "$err" | head -n 20; ok=0
		fi
		if [ -f "$dir/expected.files" ]; then
			while read -r path what; do
				[ -n "$path" ] || continue
				if [ "$what" = exists ] && [ ! -e "$path" ]; then echo "FAIL: $name: $path should exist"; ok=0; fi
				if [ "$what" = absent ] && [ -e "$path" ]; then echo "FAIL: $name: $path should not exist"; ok=0; fi
			done <"$dir/expected.files"
		fi
		[ $ok -eq 1 ] && echo "ok $name"
	} >"$res"
	rm -f "$out" "$err"
}

if [ "${1:-}" = --case ]; then
	run_case "$2" "$3"
	exit 0
fi

jobs=${CLI_JOBS:-$(nproc 2>/dev/null || echo 2)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
for dir in tests/cli/*/*/; do
	[ -f "$dir/args" ] || continue
	i=$((i + 1))
	printf '%s %s/%06d\n' "${dir%/}" "$tmp" "$i"
done >"$tmp/list"
# each line: DIR RESULT; cases that write files use names of their own, so they may overlap
xargs -P "$jobs" -L 1 sh tests/run-cli.sh --case <"$tmp/list"
pass=0
fail=0
while read -r dir res; do
	if [ ! -f "$res" ]; then
		echo "FAIL: $dir: the case did not run"; fail=$((fail + 1)); continue
	fi
	cat "$res"
	if grep -q '^ok ' "$res"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done <"$tmp/list"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
