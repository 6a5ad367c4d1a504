#!/bin/sh
# datasets.sh — the bundled dataset and the public-dataset fetcher:
#  - datasets/regenerate.sh remakes credit.csv and credit-planted.pmml byte for byte;
#  - the statistics table of the data card (datasets/README.md) is what the file holds;
#  - fetch-public.sh verifies SHA-256 sums (against ../shared/datasets when present),
#    removes a file whose sum does not match and exits non-zero.
. tests/e2e/lib.sh

# keep: save the last command's stdout/stderr (t_ok overwrites $T_OUT/$T_ERR)
keep() { cp "$T_OUT" "$T_TMP/o"; cp "$T_ERR" "$T_TMP/e"; }

# ---- regenerate.sh: byte-identical ----
if [ -x "$BIN/audit-synth" ]; then
	mkdir -p "$T_TMP/regen"
	t_run "regenerate.sh runs" 0 sh datasets/regenerate.sh "$T_TMP/regen"
	t_ok "bundled credit.csv equals what audit-synth writes now" cmp datasets/credit.csv "$T_TMP/regen/credit.csv"
	t_ok "bundled credit-planted.pmml equals what audit-synth writes now" \
		cmp datasets/credit-planted.pmml "$T_TMP/regen/credit-planted.pmml"
	t_eq "regenerate.sh leaves no temporary files" "$(ls -A "$T_TMP/regen" | tr '\n' ' ')" \
		"credit-planted.pmml credit.csv "
else
	t_fail "regenerate" "$BIN/audit-synth is not built"
fi
t_eq "credit.csv has 5000 data rows" "$(($(wc -l <datasets/credit.csv) - 1))" 5000
BIN=/nonexistent t_run "regenerate.sh without the tool fails" 1 sh datasets/regenerate.sh "$T_TMP"
t_eq "regenerate.sh says to build first" "$(cat "$T_ERR")" \
	"regenerate.sh: '/nonexistent/audit-synth' not found: build it first with 'make'"

# ---- the data card's table is the file's content ----
awk -F, '
NR == 1 { next }
{
	g = $12; s = $11; r = $10; y = $13; p = $15
	n[g]++; N++; lab[g] += y; sel[g] += p; sc[g] += $14
	if (y == 1) { P[g]++; TP[g] += p } else { F[g]++; FP[g] += p }
	ns[s]++; labs[s] += y; sels[s] += p
	rn[r]++; rC[r] += (g == "C"); L += y; S += p
}
END {
	print "| group | rows | share | base rate (label) | selection rate (pred) | mean score | TPR | FPR |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	split("A B C", G, " ")
	for (i = 1; i <= 3; i++) { g = G[i]
		printf "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", g, n[g], n[g] / N,
		    lab[g] / n[g], sel[g] / n[g], sc[g] / n[g], TP[g] / P[g], FP[g] / F[g] }
	printf "| all | %d | 1.000 | %.3f | %.3f | | | |\n\n", N, L / N, S / N
	print "| region | rows | share of group C |"
	print "| --- | ---: | ---: |"
	split("north south east west", R, " ")
	for (j = 1; j <= 4; j++) printf "| %s | %d | %.3f |\n", R[j], rn[R[j]], rC[R[j]] / rn[R[j]]
	print ""
	print "| sex | rows | base rate | selection rate |"
	print "| --- | ---: | ---: | ---: |"
	split("female male", X, " ")
	for (i = 1; i <= 2; i++) printf "| %s | %d | %.3f | %.3f |\n", X[i], ns[X[i]], labs[X[i]] / ns[X[i]], sels[X[i]] / ns[X[i]]
}' datasets/credit.csv >"$T_TMP/stats.md"
sed -n '/<!-- stats:begin -->/,/<!-- stats:end -->/p' datasets/README.md | sed '1d;$d' >"$T_TMP/card.md"
if cmp -s "$T_TMP/stats.md" "$T_TMP/card.md"; then t_pass "data card table matches credit.csv"; else
	t_fail "data card table matches credit.csv"; diff "$T_TMP/card.md" "$T_TMP/stats.md" | head -n 20; fi

# ---- audit-fair finds the planted bias the data card states ----
if [ ! -x "$BIN/audit-fair" ]; then
	t_skip "audit-fair on credit.csv" "$BIN/audit-fair does not exist yet (fair branch)"
else
	t_run "audit-fair on credit.csv" 0 "$BIN/audit-fair" --label label --pred pred --protected group \
		--format json datasets/credit.csv
	cp "$T_OUT" "$T_TMP/fair.json"
	set -- $(awk -F, 'NR > 1 { n[$12]++; s[$12] += $15 }
		END { a = s["A"] / n["A"]; b = s["B"] / n["B"]; c = s["C"] / n["C"]
		      mx = a; if (b > mx) mx = b; if (c > mx) mx = c
		      mn = a; if (b < mn) mn = b; if (c < mn) mn = c
		      printf "%.17g %.17g %.17g", c, mn / mx, c / a }' datasets/credit.csv)
	t_close "audit-fair: selection rate of group C" \
		"$(jq '.results.attributes[0].groups[] | select(.group == "C") | .metrics.selection_rate' "$T_TMP/fair.json")" "$1" 1e-12
	t_close "audit-fair: demographic parity ratio" \
		"$(jq '.results.attributes[0].summary.demographic_parity_ratio' "$T_TMP/fair.json")" "$2" 1e-12
	t_close "audit-fair: C's selection rate ratio to A (the reference)" \
		"$(jq '.results.attributes[0].groups[] | select(.group == "C") | .disparity.selection_rate.ratio' "$T_TMP/fair.json")" "$3" 1e-12
	t_ok "demographic parity ratio below 0.8 (four-fifths rule fails)" awk -v r="$2" 'BEGIN { exit !(r < 0.8) }'
fi

# ---- fetch-public.sh: usage ----
F=datasets/fetch-public.sh
t_run "fetch-public --help" 0 sh $F --help
keep
t_ok "fetch-public --help shows the usage" grep -q '^usage: fetch-public.sh \[--from DIR\] DEST' "$T_TMP/o"
t_run "fetch-public without DEST" 2 sh $F
t_eq "fetch-public without DEST: message" "$(head -n 1 "$T_ERR")" "fetch-public.sh: missing DEST folder"
t_run "fetch-public unknown option" 2 sh $F --bogus "$T_TMP/x"
t_eq "fetch-public unknown option: message" "$(head -n 1 "$T_ERR")" "fetch-public.sh: unknown option '--bogus'"
t_run "fetch-public --from a missing folder" 2 sh $F --from "$T_TMP/none" "$T_TMP/x"
t_run "fetch-public two DEST" 2 sh $F "$T_TMP/x" "$T_TMP/y"

# ---- checksum logic without the shared data: wrong files are refused ----
mkdir -p "$T_TMP/fake"
for f in compas-scores-two-years.csv adult.data adult.test german.data; do echo "not $f" >"$T_TMP/fake/$f"; done
t_run "fake files: every sum mismatches, exit 1" 1 sh $F --from "$T_TMP/fake" "$T_TMP/fake-out"
t_eq "fake files: all four reported" "$(grep -c 'sha256 mismatch: .*; file removed$' "$T_ERR")" 4
t_eq "fake files: nothing kept, no temporary file" "$(ls -A "$T_TMP/fake-out" | wc -l | tr -d ' ')" 0
rm "$T_TMP/fake/adult.data"
t_run "a file missing from --from: exit 1 beats 3" 1 sh $F --from "$T_TMP/fake" "$T_TMP/fake-out"
keep
t_ok "a file missing from --from: reported" grep -q "adult.data: cannot fetch '$T_TMP/fake/adult.data'" "$T_TMP/e"

# ---- against the real files ----
SHARED=$(t_shared)
if [ -z "$SHARED" ] || [ ! -f "$SHARED/datasets/README.md" ]; then
	t_skip "fetch-public against ../shared/datasets" "../shared/datasets is absent"
else
	S=$SHARED/datasets
	t_run "fetch-public --from ../shared/datasets" 0 sh $F --from "$S" "$T_TMP/pub"
	t_eq "four files verified" "$(grep -c ': sha256 ok$' "$T_OUT")" 4
	# the sums in the script are the ones the shared README lists
	for f in compas-scores-two-years.csv adult.data adult.test german.data; do
		want=$(grep "^| \`$f\`" "$S/README.md" | sed 's/.*| `\([0-9a-f]\{64\}\)` |.*/\1/')
		got=$(sha256sum "$T_TMP/pub/$f" | cut -d ' ' -f 1)
		t_eq "$f: sha256 as listed in ../shared/datasets/README.md" "$got" "$want"
	done
	t_run "second run keeps verified files" 0 sh $F --from "$S" "$T_TMP/pub"
	t_eq "second run: nothing fetched again" "$(grep -c 'already present, sha256 ok$' "$T_OUT")" 4

	# a corrupted copy: one byte changed in adult.test
	mkdir -p "$T_TMP/bad"
	cp "$S"/compas-scores-two-years.csv "$S"/adult.data "$S"/adult.test "$S"/german.data "$T_TMP/bad/"
	chmod u+w "$T_TMP/bad"/*
	printf 'X' | dd of="$T_TMP/bad/adult.test" bs=1 seek=1000 conv=notrunc 2>/dev/null
	t_run "corrupted adult.test: exit 1" 1 sh $F --from "$T_TMP/bad" "$T_TMP/bad-out"
	keep
	t_ok "corrupted adult.test: message" grep -q '^fetch-public.sh: adult.test: sha256 mismatch: got [0-9a-f]*, want a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05; file removed$' "$T_TMP/e"
	t_eq "corrupted adult.test: removed, the others kept" "$(ls -A "$T_TMP/bad-out" | tr '\n' ' ')" \
		"adult.data compas-scores-two-years.csv german.data "
	# a stale wrong copy in DEST is replaced by a good one, or removed with a bad one
	cp "$T_TMP/bad/adult.test" "$T_TMP/pub/adult.test"
	t_run "stale corrupted file, corrupted source: exit 1" 1 sh $F --from "$T_TMP/bad" "$T_TMP/pub"
	t_ok "stale corrupted file removed" test ! -e "$T_TMP/pub/adult.test"
	t_run "stale file replaced from a good source" 0 sh $F --from "$S" "$T_TMP/pub"
	t_ok "adult.test back" cmp "$S/adult.test" "$T_TMP/pub/adult.test"

	# german.data with the known trailing blank on line 267
	cp "$S/adult.test" "$T_TMP/bad/adult.test"
	sed '267s/$/ /' "$S/german.data" >"$T_TMP/bad/german.data"
	t_run "german.data with a trailing blank is repaired" 0 sh $F --from "$T_TMP/bad" "$T_TMP/german-out"
	keep
	t_ok "german.data repair is reported" grep -q '^german.data: removed trailing blanks' "$T_TMP/o"
	t_ok "repaired german.data equals the reference" cmp "$S/german.data" "$T_TMP/german-out/german.data"
fi
t_done
