#!/bin/sh
# text-view.sh — a saved result prints as its tool printed it: for each
# analysing tool, `TOOL ... --format json -o x.json` then
# `audit-report --format F x.json` equals `TOOL ... --format F` byte for byte
# (F = table, md, csv); several documents print one after the other.
. tests/e2e/lib.sh
REP="$BIN/audit-report"

# same NAME STATUS TOOL ARGS...: the identity for the three text formats (the
# tool exits with STATUS: 1 when a check fails, the document is written all the same)
same() {
	_nm=$1; _st=$2; _tool=$3; shift 3
	t_run "$_nm: json" "$_st" "$BIN/$_tool" "$@" --format json -o "$T_TMP/$_nm.json"
	for _f in table md csv; do
		"$BIN/$_tool" "$@" --format $_f >"$T_TMP/$_nm.$_f" 2>/dev/null
		t_run "$_nm: audit-report --format $_f" 0 "$REP" --format $_f "$T_TMP/$_nm.json"
		if cmp -s "$T_OUT" "$T_TMP/$_nm.$_f" && [ -s "$T_OUT" ]; then
			t_pass "$_nm: $_f view identical"
		else
			t_fail "$_nm: $_f view differs"
			diff "$T_TMP/$_nm.$_f" "$T_OUT" | head -n 10
		fi
	done
}

F=tests/data/fair/small.csv
G=tests/data/text/groups.csv
same fair-weighted 0 audit-fair -q --label label --pred pred --score score --protected sex,race \
    --intersect --weights w $F
same fair-bootstrap 0 audit-fair -q --label label --pred pred --protected sex \
    --ci-method bootstrap --bootstrap 100 $F
same fair-checks 1 audit-fair -q --check 'demographic_parity_ratio>=0.9' --label label \
    --pred pred --protected sex $F
same fair-escape 0 audit-fair -q --min-group-size 1 --label label --pred pred --protected group $G

RD=tests/data/robust
same robust-grid 0 audit-robust -q --model-cmd "sh $RD/rules-model.sh" --label label --protected sex \
    --perturb grid:age=1,priors=1 --freeze id $RD/rules.csv
same robust-bins 0 audit-robust -q -m $RD/age-threshold.pmml --bins age=25,45 --counterfactual age \
    --protected age --label label $RD/age.csv
same robust-sweep 0 audit-robust -q --model-cmd "sh $RD/rules-model.sh" --label label --protected sex \
    --freeze id --perturb gaussian --levels 0,0.5 --repeats 3 $RD/rules.csv
same robust-escape 0 audit-robust -q -m tests/data/text/group-age.pmml --label label \
    --protected group --counterfactual group --freeze id $G

M=tests/data/text/group-age.pmml
same explain-exact 0 audit-explain -q -m $M --method exact --background $G --threads 1 $G
same explain-kernel 0 audit-explain -q -m $M --method kernel --background $G --threads 1 $G
same explain-permutation 0 audit-explain -q -m $M --method permutation --label label --threads 1 $G
same explain-pdp 0 audit-explain -q -m $M --method pdp --features group,age --grid 4 --threads 1 $G

S=tests/data/slice/tiny.csv
same slice-named 0 audit-slice -q --label label --pred pred --slice 'hashtag=text contains "#"' \
    --slice 'short=length < 9' --slice 'none=lang == "xx"' $S
same slice-checks 1 audit-slice -q --task regression --label y --pred yhat \
    --slice 'english=lang == "en"' --check 'english: slices.effect >= 1' $S
same slice-discover 0 audit-slice -q --label label --pred pred --discover --min-size 2 --bins 2 \
    --fdr 0.6 tests/data/slice/discover-hand.csv

# several documents: each view in turn, a blank line between them (none in csv)
t_run "three documents" 0 "$REP" --format table "$T_TMP/fair-escape.json" \
    "$T_TMP/robust-escape.json" "$T_TMP/explain-pdp.json"
{ cat "$T_TMP/fair-escape.table"; echo; cat "$T_TMP/robust-escape.table"; echo
  cat "$T_TMP/explain-pdp.table"; } >"$T_TMP/three.want"
if cmp -s "$T_OUT" "$T_TMP/three.want"; then t_pass "three documents: views in order"
else t_fail "three documents: views in order"; fi

# -o writes the view to a file
t_run "-o" 0 "$REP" --format md -o "$T_TMP/view.md" "$T_TMP/robust-escape.json"
t_ok "-o: the file holds the view" cmp "$T_TMP/view.md" "$T_TMP/robust-escape.md"
t_done
