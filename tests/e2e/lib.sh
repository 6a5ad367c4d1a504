# lib.sh — helpers for end-to-end test scripts (tests/e2e/*.sh, run from the project root).
#
#   . tests/e2e/lib.sh
#   t_run NAME WANT_STATUS CMD...    run CMD, check its exit status; stdout/stderr in $T_OUT/$T_ERR
#   t_ok NAME CMD...                 pass when CMD exits 0
#   t_eq NAME GOT WANT               pass when the strings are equal
#   t_close NAME GOT WANT TOL        pass when |got-want| <= tol*max(1,|want|) (awk)
#   t_skip NAME WHY                  say why a test is skipped (counted as skipped)
#   t_shared                         prints ../shared when present (else nothing)
#   t_python MODULE...               prints the first of python3, /usr/bin/python3 that imports
#                                    every MODULE (else nothing)
#   t_done                           prints "N passed, M failed[, K skipped]" and exits non-zero on failure
# Tools are "$BIN/audit-*". Scratch space: $T_TMP (removed at exit).
BIN=${BIN:-bin}
LC_ALL=C TZ=UTC OPENBLAS_NUM_THREADS=1 SOURCE_DATE_EPOCH=0
export BIN LC_ALL TZ OPENBLAS_NUM_THREADS SOURCE_DATE_EPOCH
T_PASS=0
T_FAIL=0
T_SKIP=0
T_TMP=$(mktemp -d)
T_OUT="$T_TMP/.out"
T_ERR="$T_TMP/.err"
trap 'rm -rf "$T_TMP"' EXIT

t_pass() { T_PASS=$((T_PASS + 1)); echo "ok $1"; }
t_fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $1${2:+: $2}"; }

t_run() {
	_n=$1; _want=$2; shift 2
	"$@" >"$T_OUT" 2>"$T_ERR"
	_st=$?
	if [ "$_st" = "$_want" ]; then t_pass "$_n"; else
		t_fail "$_n" "exit status $_st, want $_want"; head -n 5 "$T_ERR" | sed 's/^/  stderr: /'; fi
}

t_ok() {
	_n=$1; shift
	if "$@" >"$T_OUT" 2>"$T_ERR"; then t_pass "$_n"; else
		t_fail "$_n" "command failed: $*"; head -n 5 "$T_ERR" | sed 's/^/  stderr: /'; fi
}

t_eq() {
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "got '$2', want '$3'"; fi
}

t_close() {
	if awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; s = w < 0 ? -w : w; if (s < 1) s = 1; exit !(g != "" && d <= t * s) }'; then
		t_pass "$1"; else t_fail "$1" "got $2, want $3 (tol $4)"; fi
}

t_skip() { T_SKIP=$((T_SKIP + 1)); echo "SKIP: $1: $2"; }

t_shared() { [ -d ../shared ] && echo ../shared; }

# Debian's python3-* packages go to /usr/bin/python3; the python3 first on
# PATH may be another one without them.
t_python() {
	_mods=$(echo "$*" | tr ' ' ',')
	for _p in python3 /usr/bin/python3; do
		if "$_p" -c "import $_mods" >/dev/null 2>&1; then echo "$_p"; return 0; fi
	done
	return 0
}

t_done() {
	if [ "$T_SKIP" -gt 0 ]; then echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"
	else echo "$T_PASS passed, $T_FAIL failed"; fi
	[ "$T_FAIL" -eq 0 ]
}
