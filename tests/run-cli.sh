#!/bin/sh
# run-cli.sh — golden tests of the tools (STYLE 26).
#
# tests/cli/<tool>/<case>/ holds:
#   args             the arguments, one shell line (evaluated by sh, run from the project root)
#   stdin            optional standard input (else /dev/null)
#   expected.stdout  optional: stdout must equal it
#   expected.stderr  optional: stderr must equal it
#   expected.status  the exit status (default 0)
#   expected.files   optional: lines "PATH exists" or "PATH absent" checked after the run
# The tool runs as "$BIN/<tool>" with LC_ALL=C TZ=UTC OPENBLAS_NUM_THREADS=1 SOURCE_DATE_EPOCH=0.
BIN=${BIN:-bin}
RUNNER=${RUNNER:-}
LC_ALL=C TZ=UTC OPENBLAS_NUM_THREADS=1 SOURCE_DATE_EPOCH=0
export LC_ALL TZ OPENBLAS_NUM_THREADS SOURCE_DATE_EPOCH
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in tests/cli/*/*/; do
	[ -f "$dir/args" ] || continue
	dir=${dir%/}
	tool=$(basename "$(dirname "$dir")")
	name="$tool/$(basename "$dir")"
	input=/dev/null
	[ -f "$dir/stdin" ] && input="$dir/stdin"
	want_status=0
	[ -f "$dir/expected.status" ] && want_status=$(cat "$dir/expected.status")
	args=$(cat "$dir/args")
	eval "\$RUNNER \"\$BIN/$tool\" $args" <"$input" >"$tmp/out" 2>"$tmp/err"
	status=$?
	ok=1
	if [ "$status" != "$want_status" ]; then
		echo "FAIL: $name: exit status $status, want $want_status"; ok=0
		sed 's/^/  stderr: /' "$tmp/err" | head -n 5
	fi
	if [ -f "$dir/expected.stdout" ] && ! cmp -s "$dir/expected.stdout" "$tmp/out"; then
		echo "FAIL: $name: stdout differs"; diff "$dir/expected.stdout" "$tmp/out" | head -n 20; ok=0
	fi
	if [ -f "$dir/expected.stderr" ] && ! cmp -s "$dir/expected.stderr" "$tmp/err"; then
		echo "FAIL: $name: stderr differs"; diff "$dir/expected.stderr" "$tmp/err" | head -n 20; ok=0
	fi
	if [ -f "$dir/expected.files" ]; then
		while read -r path what; do
			[ -n "$path" ] || continue
			if [ "$what" = exists ] && [ ! -e "$path" ]; then echo "FAIL: $name: $path should exist"; ok=0; fi
			if [ "$what" = absent ] && [ -e "$path" ]; then echo "FAIL: $name: $path should not exist"; ok=0; fi
		done <"$dir/expected.files"
	fi
	if [ $ok -eq 1 ]; then pass=$((pass + 1)); echo "ok $name"; else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
