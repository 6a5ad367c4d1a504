#!/bin/sh
# run.sh — every benchmark (bench/*.sh but this one). Prints throughput and peak
# RSS beside the peers' figures; asserts nothing (machines are noisy).
# BENCH_DIR (default bench/out) holds generated data, kept between runs.
BENCH_DIR=${BENCH_DIR:-bench/out}
BUILD=${BUILD:-build}
BIN=${BIN:-bin}
export BENCH_DIR BUILD BIN
mkdir -p "$BENCH_DIR"
status=0
for b in bench/*.sh; do
	[ "$b" = bench/run.sh ] && continue
	[ "$b" = bench/lib.sh ] && continue
	echo "=== $(basename "$b" .sh)"
	sh "$b" || { echo "($b failed)"; status=1; }
done
exit $status
