#!/bin/sh
# same-options.sh — a shared option behaves the same in every tool that has it:
# the same refusal (one line, the same words but for the tool's name, the
# --help hint) and the same exit status; -o and --output are one option
# everywhere. Each case runs every tool named and compares them with the first.
. tests/e2e/lib.sh
D=tests/data
FAIR="--label label --pred pred --protected sex $D/fair/small.csv"
MODEL="-m $D/pmml/logreg.pmml"
ROBUST="$MODEL $D/pmml/logreg.csv"
EXPLAIN="$MODEL --background $D/pmml/logreg.csv $D/pmml/logreg.csv"
PREDICT="$MODEL $D/pmml/logreg.csv"
MIT="thresholds --label y --score s --protected g"
APPLY="apply --policy $D/mitigate/toy-policy.json"
SIX=$D/data/six.csv
CHECK="check --schema $D/data/six-schema.json"
SLICE="--label label --pred pred --slice 'men=sex == \"Male\"' $D/fair/small.csv"

# same NAME STATUS TOOL:ARGS... — the tools' stderr, with the tool's name
# replaced by TOOL and paths under tests/data by FILE, are equal, one line each, and each exits STATUS
same() {
	_name=$1; _want=$2; shift 2
	_first=
	for _spec in "$@"; do
		_tool=${_spec%%:*}
		_args=${_spec#*:}
		eval "\"\$BIN/$_tool\" $_args" >/dev/null 2>"$T_TMP/err" </dev/null
		_st=$?
		t_eq "$_name: $_tool exits $_want" "$_st" "$_want"
		t_eq "$_name: $_tool says one line" "$(wc -l <"$T_TMP/err" | tr -d ' ')" 1
		_msg=$(sed -e "s/$_tool/TOOL/g" -e "s#tests/data/[^']*#FILE#g" "$T_TMP/err")
		if [ -z "$_first" ]; then _first=$_msg; else
			t_eq "$_name: $_tool says what the first tool says" "$_msg" "$_first"; fi
	done
}

same "an empty name in --protected" 2 \
	"audit-fair:--protected 'sex,,' --label label --pred pred $D/fair/small.csv" \
	"audit-robust:--protected 'sex,,' $ROBUST" \
	"audit-explain:--protected 'sex,,' $EXPLAIN" \
	"audit-mitigate:$MIT --protected 'sex,,' $D/mitigate/toy.csv"
same "the quote character as separator" 2 \
	"audit-fair:-d '\"' $FAIR" "audit-robust:-d '\"' $ROBUST" \
	"audit-explain:-d '\"' $EXPLAIN" "audit-predict:-d '\"' $PREDICT" \
	"audit-mitigate:$MIT -d '\"' $D/mitigate/toy.csv" "audit-mitigate:$APPLY -d '\"' $D/mitigate/toy.csv" \
	"audit-data:profile -d '\"' $SIX" "audit-data:$CHECK -d '\"' $SIX" \
	"audit-slice:-d '\"' $SLICE"
same "--delimiter is -d" 2 \
	"audit-fair:--delimiter ab $FAIR" "audit-robust:--delimiter ab $ROBUST" \
	"audit-explain:--delimiter ab $EXPLAIN" "audit-predict:--delimiter ab $PREDICT" \
	"audit-mitigate:$MIT --delimiter ab $D/mitigate/toy.csv" "audit-data:profile --delimiter ab $SIX" \
	"audit-slice:--delimiter ab $SLICE"
same "--ci out of range" 2 \
	"audit-fair:--ci 0.99999 $FAIR" "audit-robust:--ci 0.99999 $ROBUST" \
	"audit-slice:--ci 0.99999 $SLICE"
same "an unknown option" 2 \
	"audit-fair:--bogus" "audit-robust:--bogus" "audit-explain:--bogus" \
	"audit-predict:--bogus" "audit-report:--bogus" "audit-synth:--bogus" \
	"audit-mitigate:thresholds --bogus" "audit-mitigate:apply --bogus" \
	"audit-mitigate:reweigh --bogus" "audit-mitigate:frontier --bogus" \
	"audit-data:profile --bogus" "audit-data:check --bogus" "audit-data:drift --bogus" \
	"audit-slice:--bogus"
same "an option without its argument" 2 \
	"audit-fair:$FAIR --format" "audit-robust:$ROBUST --format" \
	"audit-explain:$EXPLAIN --format" "audit-report:x.json --format" \
	"audit-mitigate:$MIT $D/mitigate/toy.csv --format" "audit-data:profile $SIX --format" \
	"audit-slice:$SLICE --format"
same "an unknown format" 2 \
	"audit-fair:--format xml $FAIR" "audit-robust:--format xml $ROBUST" \
	"audit-explain:--format xml $EXPLAIN" "audit-mitigate:$MIT --format xml $D/mitigate/toy.csv" \
	"audit-data:profile --format xml $SIX" "audit-data:$CHECK --format xml $SIX" \
	"audit-slice:--format xml $SLICE"
same "a bad seed" 2 \
	"audit-fair:--seed x $FAIR" "audit-robust:--seed x $ROBUST" \
	"audit-explain:--seed x $EXPLAIN" "audit-synth:--seed x" \
	"audit-mitigate:$APPLY --seed x $D/mitigate/toy.csv" \
	"audit-predict:$PREDICT --postprocess $D/mitigate/logreg-policy.json --seed x"
same "--threads out of range" 2 \
	"audit-robust:--threads 0 $ROBUST" "audit-explain:--threads 0 $EXPLAIN"
same "--model-timeout not a number" 2 \
	"audit-robust:--model-timeout x $ROBUST" "audit-explain:--model-timeout x $EXPLAIN" \
	"audit-predict:--model-timeout x $PREDICT"
same "--model-protocol with a model file" 2 \
	"audit-robust:--model-protocol stream $ROBUST" \
	"audit-explain:--model-protocol stream $EXPLAIN" \
	"audit-predict:--model-protocol stream $PREDICT"
same "an unknown --model-protocol" 2 \
	"audit-robust:--model-protocol binry $ROBUST" \
	"audit-explain:--model-protocol binry $EXPLAIN" \
	"audit-predict:--model-protocol binry $PREDICT"
same "two inputs" 2 \
	"audit-fair:$FAIR $D/fair/small.csv" "audit-robust:$ROBUST $D/pmml/logreg.csv" \
	"audit-explain:$EXPLAIN $D/pmml/logreg.csv" "audit-predict:$PREDICT $D/pmml/logreg.csv" \
	"audit-mitigate:$MIT $D/mitigate/toy.csv $D/mitigate/toy.csv" \
	"audit-mitigate:$APPLY $D/mitigate/toy.csv $D/mitigate/toy.csv" \
	"audit-data:profile $SIX $SIX" "audit-data:$CHECK $SIX $SIX" \
	"audit-slice:$SLICE $D/fair/small.csv"
same "an unknown check path" 2 \
	"audit-fair:--check 'nothing >= 1' $FAIR" "audit-robust:--check 'nothing >= 1' $ROBUST" \
	"audit-explain:--check 'nothing >= 1' $EXPLAIN" \
	"audit-data:profile --check 'nothing >= 1' $SIX" "audit-data:$CHECK --check 'nothing >= 1' $SIX" \
	"audit-slice:--check 'nothing >= 1' $SLICE"
same "-o naming the input" 2 \
	"audit-fair:-o $D/fair/small.csv $FAIR" "audit-robust:--output $D/pmml/logreg.csv $ROBUST" \
	"audit-mitigate:$MIT -o $D/mitigate/toy.csv $D/mitigate/toy.csv" \
	"audit-mitigate:$APPLY --output $D/mitigate/toy.csv $D/mitigate/toy.csv" \
	"audit-mitigate:reweigh --label y --protected g -o $D/mitigate/toy.csv $D/mitigate/toy.csv" \
	"audit-data:profile -o $SIX $SIX" "audit-data:$CHECK --output $SIX $SIX" \
	"audit-slice:-o $D/fair/small.csv $SLICE"

# -o FILE and --output FILE write the same bytes, in every tool
for spec in "audit-fair:$FAIR" "audit-robust:$ROBUST --perturb flip:c" \
    "audit-explain:$EXPLAIN --method exact" "audit-predict:$PREDICT" "audit-synth:--rows 20" \
    "audit-mitigate:$MIT $D/mitigate/toy.csv" "audit-mitigate:$APPLY $D/mitigate/toy.csv" \
    "audit-mitigate:reweigh --label y --protected g $D/mitigate/toy.csv" \
    "audit-data:profile $SIX" "audit-data:$CHECK $SIX" "audit-slice:$SLICE"; do
	tool=${spec%%:*}
	args=${spec#*:}
	eval "\"\$BIN/$tool\" $args -o \"\$T_TMP/short\"" 2>/dev/null
	eval "\"\$BIN/$tool\" $args --output \"\$T_TMP/long\"" 2>/dev/null
	if [ -s "$T_TMP/short" ] && cmp -s "$T_TMP/short" "$T_TMP/long"; then
		t_pass "$tool: -o and --output write the same bytes"
	else
		t_fail "$tool: -o and --output write the same bytes"
	fi
	rm -f "$T_TMP/short" "$T_TMP/long"
done
t_done
