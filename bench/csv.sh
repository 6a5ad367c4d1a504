#!/bin/sh
# csv.sh — CSV reader throughput on a numeric 5-column file (target: 300 MB/s on one core).
. bench/lib.sh
f="$BENCH_DIR/numeric5.csv"
if [ ! -f "$f" ]; then
	awk 'BEGIN { srand(1); print "a,b,c,d,e";
		for (i = 0; i < 8000000; i++)
			printf "%d,%.4f,%.6f,%d,%.2f\n", i, rand() * 1000, rand(), int(rand() * 100), rand() * 1e5 - 5e4 }' >"$f"
fi
bytes=$(wc -c <"$f")
make -s "$BUILD/bench/csvscan" >/dev/null
bench_time "csv: scan + parse 5 numeric columns ($(($bytes / 1000000)) MB)" "$bytes" "$BUILD/bench/csvscan" "$f"
echo "(reference: pandas.read_csv of a 25 MB file takes 0.5 s = 50 MB/s, PEERS.md)"
