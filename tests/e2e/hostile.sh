#!/bin/sh
# hostile.sh — every tool that reads a CSV, fed hostile input (SPEC 3, 13):
# unterminated quotes, ragged rows, empty files, NUL bytes, binary garbage, a
# 3 MB field, non-numeric values, unknown columns, missing files, an
# unwritable -o. Each must exit with the documented status and one stderr
# line "audit-TOOL: ..." (with FILE:LINE:COLUMN where the input has one),
# never crash, and leave no -o file behind.
. tests/e2e/lib.sh
D=datasets/credit.csv
M=datasets/credit-planted.pmml
if [ ! -f "$D" ] || [ ! -f "$M" ]; then
	t_skip hostile "datasets/credit.csv or its planted model is missing"
	t_done; exit $?
fi
H="$T_TMP/h"
mkdir -p "$H"
head -n 21 "$D" >"$H/good.csv"
head -n 101 "$D" >"$H/background.csv"
hdr=$(head -n 1 "$D")
row=$(sed -n 2p "$D")
# the label column's position (1-based), to corrupt it
lab=$(echo "$hdr" | tr ',' '\n' | grep -n '^label$' | cut -d: -f1)
{ cat "$H/good.csv"; echo "$row" | sed 's/,/,"unterminated /3'; } >"$H/unterminated.csv"
{ cat "$H/good.csv"; echo "$row" | sed 's/,[^,]*$//'; } >"$H/ragged.csv"
: >"$H/empty.csv"
{ cat "$H/good.csv"; printf '%s\000\n' "$row"; } >"$H/nul.csv"
awk 'BEGIN { srand(7); for (i = 0; i < 4096; i++) printf "%c", int(rand() * 256) }' >"$H/garbage.csv"
{ cat "$H/good.csv"; echo "$row" | awk -F, -v OFS=, -v c="$lab" '{ s = "x"; while (length(s) < 3000000) s = s s; $c = s; print }'; } >"$H/bigfield.csv"
{ cat "$H/good.csv"; echo "$row" | awk -F, -v OFS=, -v c="$lab" '{ $c = "yes"; print }'; } >"$H/nonnumeric.csv"

# tool invocations: NAME ARGS... (the input file is appended)
run_tool() {
	_tool=$1; shift
	case $_tool in
	audit-fair) "$BIN/audit-fair" --label label --pred pred --score score --protected sex "$@" ;;
	audit-predict) "$BIN/audit-predict" -m "$M" --score-col model_score --pred-col model_pred "$@" ;;
	audit-robust) "$BIN/audit-robust" -m "$M" --label label --protected sex --counterfactual sex "$@" ;;
	audit-explain) "$BIN/audit-explain" -m "$M" --background "$H/background.csv" --method exact "$@" ;;
	esac
}

# check NAME TOOL WANT_STATUS WANT_REGEX INPUT [EXTRA...]
check() {
	_n=$1; _tool=$2; _want=$3; _re=$4; _in=$5; shift 5
	_o="$H/out-$_tool-$_n"
	rm -f "$_o"
	run_tool "$_tool" -o "$_o" "$@" "$_in" >"$T_OUT" 2>"$T_ERR"
	_st=$?
	_lines=$(wc -l <"$T_ERR")
	if [ "$_st" != "$_want" ]; then
		t_fail "$_tool $_n" "exit $_st, want $_want: $(head -c 300 "$T_ERR")"
	elif [ "$_lines" -ne 1 ] || ! grep -Eq "^$_tool: $_re" "$T_ERR"; then
		t_fail "$_tool $_n" "stderr not one line matching '$_tool: $_re': $(head -c 300 "$T_ERR")"
	elif [ -e "$_o" ] || ls "$H"/.out-* >/dev/null 2>&1; then
		t_fail "$_tool $_n" "an output file was left behind"
	else
		t_pass "$_tool $_n"
	fi
}

POS='[^:]+:[0-9]+:[0-9]+: '
for tool in audit-fair audit-predict audit-robust audit-explain; do
	if [ ! -x "$BIN/$tool" ]; then
		t_skip "$tool hostile inputs" "$BIN/$tool is not built"
		continue
	fi
	check unterminated "$tool" 3 "${POS}unterminated quoted field" "$H/unterminated.csv"
	check ragged "$tool" 3 "${POS}expected [0-9]+ fields, found [0-9]+" "$H/ragged.csv"
	check empty "$tool" 3 "${POS}empty input" "$H/empty.csv"
	check nul "$tool" 3 "${POS}NUL byte" "$H/nul.csv"
	check garbage "$tool" 3 "" "$H/garbage.csv"
	check missing-file "$tool" 3 "cannot open '[^']*': No such file or directory" "$H/no-such.csv"
	# -o into a missing folder, as given
	rm -f "$T_OUT"
	if run_tool "$tool" -o "$H/no/such/dir/out" "$H/good.csv" >/dev/null 2>"$T_ERR"; then
		t_fail "$tool -o missing folder" "exit 0"
	else
		_st=$?
		t_eq "$tool -o missing folder exits 5" "$_st" 5
	fi
done
# label-based cases: the tools that read the label as a number
for tool in audit-fair audit-robust; do
	[ -x "$BIN/$tool" ] || continue
	check bigfield "$tool" 3 "${POS}non-numeric value 'x+' in column 'label'" "$H/bigfield.csv"
	check nonnumeric "$tool" 3 "${POS}non-numeric value 'yes' in column 'label'" "$H/nonnumeric.csv"
done
if [ -x "$BIN/audit-fair" ]; then
	"$BIN/audit-fair" --label nosuch --pred pred --protected sex "$H/good.csv" >"$T_OUT" 2>"$H/err-unknown"
	t_eq "audit-fair unknown column exits 3" "$?" 3
	t_ok "audit-fair unknown column names it" grep -q "unknown column 'nosuch'" "$H/err-unknown"
fi
echo "hostile: $((T_PASS + T_FAIL)) cases, $( [ "$T_FAIL" -eq 0 ] && echo "every one handled as documented" || echo "$T_FAIL not handled as documented")"
t_done
