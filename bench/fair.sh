#!/bin/sh
# fair.sh — audit-fair over 10 million prediction rows (label, pred, score, two
# protected columns): MB/s and peak RSS without and with --score, --intersect,
# --score-bins and --ci-method bootstrap. Targets: 300 MB/s; without
# --score (or with --score-bins) peak RSS under 64 MiB whatever the row count;
# bootstrap with 1000 replicates adds under 10%. Exact score metrics keep 16
# bytes a row (10M rows: 160 MB), sorted at the end on two threads (the
# result is the same for any thread count). FAIR_ROWS overrides the row count.
. bench/lib.sh
rows=${FAIR_ROWS:-10000000}
f="$BENCH_DIR/fair-$rows.csv"
if [ ! -f "$f" ]; then
	echo "generating $rows rows (awk) ..."
	awk -v n="$rows" 'BEGIN { srand(7); print "label,pred,score,race,sex"
		split("White,Black,Hispanic,Asian", race, ","); split("Male,Female", sex, ",")
		for (i = 0; i < n; i++) {
			r = int(rand() * 4) + 1; s = int(rand() * 2) + 1
			score = rand() * 0.8 + (r == 2 ? 0.2 : 0.1) * rand()
			y = (rand() < score) ? 1 : 0
			printf "%d,%d,%.6f,%s,%s\n", y, (score >= 0.5), score, race[r], sex[s] } }' >"$f"
fi
bytes=$(wc -c <"$f")
mb=$(($bytes / 1000000))
F="$BIN/audit-fair -q --label label --pred pred --protected race,sex"
bench_time "fair: rates ($mb MB)" "$bytes" $F "$f"
bench_time "fair: rates --intersect" "$bytes" $F --intersect "$f"
bench_time "fair: rates --ci-method bootstrap (1000)" "$bytes" $F --ci-method bootstrap "$f"
bench_time "fair: --score (exact AUC, 16 B/row)" "$bytes" $F --score score "$f"
bench_time "fair: --score --intersect" "$bytes" $F --score score --intersect "$f"
bench_time "fair: --score --score-bins 1000" "$bytes" $F --score score --score-bins 1000 "$f"
bench_time "fair: --score --ci-method bootstrap (1000)" "$bytes" $F --score score --ci-method bootstrap "$f"
bench_time "fair: --score-bins 1000 --ci-method bootstrap" "$bytes" $F --score score --score-bins 1000 --ci-method bootstrap "$f"
echo "(Fairlearn 0.12 on 1M rows: 24.4 s, 330 MiB; pandas.read_csv alone 50 MB/s; PEERS.md)"
