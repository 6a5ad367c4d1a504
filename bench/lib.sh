# lib.sh — helpers for bench scripts.
#   bench_time LABEL BYTES CMD...   runs CMD under /usr/bin/time -v; prints seconds, MB/s, peak RSS
BENCH_DIR=${BENCH_DIR:-bench/out}
BUILD=${BUILD:-build}
BIN=${BIN:-bin}
mkdir -p "$BENCH_DIR"

bench_time() {
	_label=$1; _bytes=$2; shift 2
	_t="$BENCH_DIR/.time"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v "$@" >"$BENCH_DIR/.out" 2>"$_t" || { echo "$_label: failed"; cat "$_t" | tail -5; return 1; }
		_s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s }' "$_t")
		_rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$_t")
	else
		_st=$(date +%s.%N)
		"$@" >"$BENCH_DIR/.out" 2>/dev/null || { echo "$_label: failed"; return 1; }
		_s=$(echo "$(date +%s.%N) $_st" | awk '{ print $1 - $2 }')
		_rss="?"
	fi
	awk -v l="$_label" -v s="$_s" -v b="$_bytes" -v r="$_rss" 'BEGIN {
		if (b > 0 && s > 0) printf "%-48s %8.2f s %9.1f MB/s   peak RSS %s MiB\n", l, s, b / s / 1e6, r;
		else printf "%-48s %8.2f s   peak RSS %s MiB\n", l, s, r }'
}
