#!/bin/sh
# run-all.sh — every suite of `make check`: header check, unit tests, CLI golden
# tests, end-to-end scripts. Each suite prints `N passed, M failed`; the last
# line is the total. Exits non-zero when anything failed or a suite could not run.
# Environment: BUILD (objects, default build), BIN (tools, default bin).
BUILD=${BUILD:-build}
BIN=${BIN:-bin}
export BUILD BIN
LC_ALL=C TZ=UTC OPENBLAS_NUM_THREADS=1
export LC_ALL TZ OPENBLAS_NUM_THREADS
# make valgrind: unit and CLI tests under memcheck (e2e scripts are left out: say so)
RUNNER=""
if [ "${AUD_VALGRIND:-0}" = 1 ]; then
	RUNNER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
fi
export RUNNER
total_pass=0
total_fail=0
total_skip=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# add_counts: read the last `N passed, M failed[, K skipped]` line of $log
add_counts() {
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "  (no summary line from $1: counted as 1 failure)"
		total_fail=$((total_fail + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + ${s:-0}))
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  ($1 exited $2 with no failure counted: counted as 1 failure)"
		total_fail=$((total_fail + 1))
	fi
}

echo "== header check"
hp=0; hf=0
for h in include/audit/*.h; do
	m=$(basename "$h" .h)
	if make --no-print-directory -s "$BUILD/hdr/$m.o" >"$log" 2>&1; then
		hp=$((hp + 1))
	else
		hf=$((hf + 1)); echo "FAIL: $h does not compile on its own"; cat "$log"
	fi
done
echo "$hp passed, $hf failed"
total_pass=$((total_pass + hp)); total_fail=$((total_fail + hf))

# The unit test programs run UNIT_JOBS at a time (default: the cores; each
# program's scratch files are its own), reported in their order.
units=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$units"' EXIT
for t in "$BUILD"/tests/test_*; do
	case "$t" in *.c|*.o|*.d) continue ;; esac
	[ -x "$t" ] && echo "$t"
done >"$units/list"
# shellcheck disable=SC2016
xargs -P "${UNIT_JOBS:-$(nproc 2>/dev/null || echo 2)}" -I{} sh -c \
	'$RUNNER "$1" </dev/null >"$2/$(basename "$1").log" 2>&1; echo $? >"$2/$(basename "$1").rc"' \
	_ {} "$units" <"$units/list"
while read -r t; do
	echo "== unit $(basename "$t")"
	cp "$units/$(basename "$t").log" "$log" 2>/dev/null || : >"$log"
	rc=$(cat "$units/$(basename "$t").rc" 2>/dev/null || echo 1)
	grep -E '^(FAIL|SKIP)' "$log"
	tail -n 1 "$log"
	add_counts "$t" "$rc"
done <"$units/list"

# AUD_VALGRIND_CLI=0 leaves the CLI cases out of a valgrind run (CI does: they run
# under ASan and UBSan in `make asan`)
if [ -n "$RUNNER" ] && [ "${AUD_VALGRIND_CLI:-1}" = 0 ]; then
	echo "(valgrind run: the CLI golden tests are left out, AUD_VALGRIND_CLI=0)"
else
	echo "== cli golden tests"
	sh tests/run-cli.sh </dev/null >"$log" 2>&1
	rc=$?
	grep -vE '^ok ' "$log"
	add_counts run-cli "$rc"
fi

[ -n "$RUNNER" ] && echo "(valgrind run: the end-to-end scripts are not run under valgrind)"
# The end-to-end scripts run E2E_JOBS at a time (default: the cores; each script's
# scratch files are its own, under its T_TMP), reported in their order.
if [ -z "$RUNNER" ]; then
	for t in tests/e2e/*.sh; do
		case "$t" in */lib.sh) continue ;; esac
		[ -f "$t" ] && echo "$t"
	done >"$units/e2e"
	# shellcheck disable=SC2016
	xargs -P "${E2E_JOBS:-$(nproc 2>/dev/null || echo 2)}" -I{} sh -c \
		'sh "$1" </dev/null >"$2/$(basename "$1").elog" 2>&1; echo $? >"$2/$(basename "$1").erc"' \
		_ {} "$units" <"$units/e2e"
	while read -r t; do
		echo "== e2e $(basename "$t")"
		cp "$units/$(basename "$t").elog" "$log" 2>/dev/null || : >"$log"
		rc=$(cat "$units/$(basename "$t").erc" 2>/dev/null || echo 1)
		grep -vE '^ok ' "$log"
		add_counts "$t" "$rc"
	done <"$units/e2e"
fi

[ "$total_skip" -gt 0 ] && echo "($total_skip tests skipped, each says why above)"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
