#!/bin/sh
# hostile-proc.sh — the tools in a hostile process environment: an
# address-space limit (ulimit -v), closed standard descriptors, -o through
# symbolic links and /dev/fd, protected files, fatal signals in the middle of
# a run, very long file names, terminal escapes in data and arguments, and an
# output that names an input. Each case must end with the documented exit
# status (or death by the signal sent), one stderr line where there is an
# error, and no temporary file left behind. Every run has a `timeout` guard,
# so a hang fails instead of blocking the suite.
. tests/e2e/lib.sh
D=datasets/credit.csv
M=datasets/credit-planted.pmml
for t in audit-synth audit-fair audit-predict audit-robust audit-explain audit-report; do
	if [ ! -x "$BIN/$t" ]; then
		t_skip "hostile process cases" "$BIN/$t is not built"
		t_done; exit $?
	fi
done
if [ ! -f "$D" ] || [ ! -f "$M" ]; then
	t_skip "hostile process cases" "datasets/credit.csv or its planted model is missing"
	t_done; exit $?
fi
H="$T_TMP/p"
mkdir -p "$H"
head -n 21 "$D" >"$H/good.csv"
head -n 101 "$D" >"$H/background.csv"
TO=60    # seconds: far more than any case needs

# leftovers DIR: the temporary files (".NAME.tmpXXXXXX") left in DIR
leftovers() { find "$1" -maxdepth 1 -name '.*.tmp*' | head -n 3; }

# one_line NAME WANT_STATUS REGEX: $T_ERR is exactly one line matching REGEX, status as wanted
one_line() {
	if [ "$_st" != "$2" ]; then
		t_fail "$1" "exit $_st, want $2: $(head -c 300 "$T_ERR")"
	elif [ "$(wc -l <"$T_ERR")" -ne 1 ] || ! grep -Eq -- "$3" "$T_ERR"; then
		t_fail "$1" "stderr is not one line matching '$3': $(head -c 300 "$T_ERR")"
	else
		t_pass "$1"
	fi
}

fair() { "$BIN/audit-fair" --label label --pred pred --score score --protected sex "$@"; }
robust() { "$BIN/audit-robust" -m "$M" --label label --protected sex --counterfactual sex "$@"; }

# ---- under ulimit -v: no tool hangs; out of memory is exit 6 with one line ----
# OpenBLAS would start worker threads without OPENBLAS_NUM_THREADS=1: unset it.
limited() {
	_kb=$1; shift
	env -u OPENBLAS_NUM_THREADS sh -c 'ulimit -v "$0" && exec timeout -s KILL '"$TO"' "$@"' "$_kb" "$@"
}
fair -o "$H/fair.json" "$H/good.csv" 2>/dev/null
# a sanitizer's shadow memory needs terabytes of address space: no ulimit -v then
if grep -qa __asan_init "$BIN/audit-synth"; then
	t_skip "the tools under ulimit -v" "built with AddressSanitizer, which cannot run under ulimit -v"
else
	for t in audit-synth audit-fair audit-predict audit-robust audit-explain audit-report; do
		limited 150000 "$BIN/$t" --version >"$T_OUT" 2>"$T_ERR"
		_st=$?
		t_eq "$t --version under ulimit -v 150000" "$_st:$(cat "$T_OUT")" "0:$t (rai-audit) 0.1.0"
	done
	limited 150000 "$BIN/audit-synth" --rows 100 -o "$H/lim.csv" 2>"$T_ERR"
	t_eq "audit-synth runs under ulimit -v" "$?:$(wc -l <"$H/lim.csv")" "0:101"
	limited 150000 "$BIN/audit-fair" --label label --pred pred --protected sex -q "$H/good.csv" >"$T_OUT" 2>"$T_ERR"
	t_eq "audit-fair runs under ulimit -v" "$?:$(jq -r .tool "$T_OUT" 2>/dev/null)" "0:audit-fair"
	limited 150000 "$BIN/audit-predict" -m "$M" "$H/good.csv" >"$T_OUT" 2>"$T_ERR"
	t_eq "audit-predict runs under ulimit -v" "$?:$(wc -l <"$T_OUT")" "0:21"
	limited 300000 "$BIN/audit-robust" -m "$M" --label label --protected sex --counterfactual sex \
	    --threads 1 -q "$H/good.csv" >"$T_OUT" 2>"$T_ERR"
	t_eq "audit-robust runs under ulimit -v" "$?:$(jq -r .tool "$T_OUT" 2>/dev/null)" "0:audit-robust"
	limited 150000 "$BIN/audit-report" -o "$H/lim.pdf" "$H/fair.json" >"$T_OUT" 2>"$T_ERR"
	t_eq "audit-report runs under ulimit -v" "$?:$(head -c 5 "$H/lim.pdf" 2>/dev/null)" "0:%PDF-"
	# the kernel method's least squares need OpenBLAS's 128 MiB buffer per thread
	limited 150000 "$BIN/audit-explain" -m "$M" --background "$H/background.csv" \
	    --threads 1 "$H/good.csv" >"$T_OUT" 2>"$T_ERR"
	_st=$?
	one_line "audit-explain kernel under ulimit -v 150000: exit 6" 6 '^audit-explain: out of memory: '
	limited 1000000 "$BIN/audit-explain" -m "$M" --background "$H/background.csv" \
	    --threads 1 -q "$H/good.csv" >"$T_OUT" 2>"$T_ERR"
	t_eq "audit-explain kernel under ulimit -v 1000000" "$?:$(jq -r .tool "$T_OUT" 2>/dev/null)" "0:audit-explain"
	limited 150000 "$BIN/audit-explain" -m "$M" --background "$H/background.csv" \
	    --method exact -q "$H/good.csv" >"$T_OUT" 2>"$T_ERR"
	t_eq "audit-explain exact (no BLAS) under ulimit -v 150000" "$?:$(jq -r .tool "$T_OUT" 2>/dev/null)" "0:audit-explain"

fi

# ---- closed standard descriptors ----
rm -f "$H/closed.json"
"$BIN/audit-fair" --label label --pred pred --protected sex -o "$H/closed.json" "$H/good.csv" 2>&-
_st=$?
if [ "$_st" = 0 ] && jq -e .tool "$H/closed.json" >/dev/null 2>&1 && ! grep -q 'audit-fair: warning' "$H/closed.json"; then
	t_pass "audit-fair 2>&-: the -o file is clean JSON"
else
	t_fail "audit-fair 2>&-: the -o file is clean JSON" "exit $_st: $(head -c 200 "$H/closed.json")"
fi
"$BIN/audit-synth" --rows 5 --model-out - -o "$H/closed.csv" >&-
_st=$?
t_eq "audit-synth >&-: no model in the -o file" "$_st:$(grep -c PMML "$H/closed.csv"):$(wc -l <"$H/closed.csv")" "0:0:6"
"$BIN/audit-predict" -m "$M" -o "$H/closed-in.csv" <&- 2>"$T_ERR"
_st=$?
one_line "audit-predict <&-: an empty input, exit 3" 3 '^audit-predict: '

# ---- -o: links, /dev/fd, modes ----
fair -o "$H/real.json" "$H/good.csv" 2>/dev/null
ln -s real.json "$H/link.json"
: >"$H/real.json"
fair -o "$H/link.json" "$H/good.csv" 2>/dev/null
if [ -L "$H/link.json" ] && jq -e .tool "$H/real.json" >/dev/null 2>&1; then
	t_pass "-o through a symbolic link writes its target, keeps the link"
else
	t_fail "-o through a symbolic link writes its target, keeps the link" "$(ls -l "$H/link.json")"
fi
ln -s made.csv "$H/dangling.csv"
"$BIN/audit-synth" --rows 2 -o "$H/dangling.csv"
t_eq "-o through a dangling link creates its target" "$([ -L "$H/dangling.csv" ] && wc -l <"$H/made.csv")" 3
"$BIN/audit-synth" --rows 3 -o /dev/fd/1 >"$H/fd1.csv"
t_eq "-o /dev/fd/1 with stdout a file" "$?:$(wc -l <"$H/fd1.csv")" "0:4"
if [ -L /dev/stdout ]; then
	"$BIN/audit-synth" --rows 3 -o /dev/stdout >"$H/stdout.csv"
	t_eq "-o /dev/stdout with stdout a file: written, /dev/stdout still a link" \
	    "$?:$(wc -l <"$H/stdout.csv"):$([ -L /dev/stdout ] && echo link)" "0:4:link"
else
	t_skip "-o /dev/stdout" "/dev/stdout is not a symbolic link here"
fi
"$BIN/audit-synth" --rows 3 -o /dev/fd/1 | cat >"$H/pipe.csv"
t_eq "-o /dev/fd/1 with stdout a pipe" "$(wc -l <"$H/pipe.csv")" 4
: >"$H/secret.json"
chmod 600 "$H/secret.json"
fair -o "$H/secret.json" "$H/good.csv" 2>/dev/null
t_eq "-o keeps a 0600 file 0600" "$(stat -c %a "$H/secret.json")" 600
chmod 640 "$H/secret.json"
"$BIN/audit-synth" --rows 1 -o "$H/secret.json"
t_eq "-o keeps a 0640 file 0640" "$(stat -c %a "$H/secret.json")" 640
rm -f "$H/new.csv"
(umask 077 && "$BIN/audit-synth" --rows 1 -o "$H/new.csv")
t_eq "a new -o file under umask 077 is 0600" "$(stat -c %a "$H/new.csv")" 600
rm -f "$H/new.csv"
(umask 022 && "$BIN/audit-synth" --rows 1 -o "$H/new.csv")
t_eq "a new -o file under umask 022 is 0644" "$(stat -c %a "$H/new.csv")" 644

# ---- a 245- and a 255-byte file name ----
for n in 245 255; do
	name=$(printf "%${n}s" "" | tr ' ' n)
	"$BIN/audit-synth" --rows 1 -o "$H/$name" 2>"$T_ERR"
	_st=$?
	t_eq "-o with a $n-byte file name" "$_st:$(wc -l <"$H/$name" 2>/dev/null)" "0:2"
	rm -f "$H/$name"
done

# ---- fatal signals: no temporary file stays, the status says which signal ----
# wait_tmp DIR [N]: wait (5 s at most) until N (default 1) temporary files show in DIR
wait_tmp() {
	_i=0
	while [ "$(leftovers "$1" | wc -l)" -lt "${2:-1}" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
}
# killed NAME SIGNAL WANT_STATUS DIR PID [PIDS TO CLEAN UP...]
killed() {
	_n=$1; _sig=$2; _want=$3; _dir=$4; _pid=$5; shift 5
	wait_tmp "$_dir" "${WANT_TMP:-1}"
	if [ -z "$(leftovers "$_dir")" ]; then
		t_fail "$_n" "no temporary file appeared"
		kill -KILL "$_pid" "$@" 2>/dev/null; wait "$_pid" 2>/dev/null
		return
	fi
	kill -"$_sig" "$_pid"
	wait "$_pid"
	_st=$?
	kill -KILL "$@" 2>/dev/null
	_left=$(leftovers "$_dir")
	if [ "$_st" != "$_want" ]; then
		t_fail "$_n" "exit status $_st, want $_want"
	elif [ -n "$_left" ]; then
		t_fail "$_n" "left behind: $_left"
	else
		t_pass "$_n"
	fi
}
for case in TERM:143 INT:130 HUP:129; do
	sig=${case%%:*}; want=${case#*:}
	S="$H/sig-synth-$sig"; mkdir -p "$S"
	# a background job starts with SIGINT ignored: give it the default action back
	env --default-signal="$sig" timeout -s KILL $TO "$BIN/audit-synth" --rows 50000000 \
	    --model-out "$S/model.pmml" -o "$S/big.csv" &
	pid=$!
	# both outputs open (the model's, then the data's) before the signal
	WANT_TMP=2
	killed "audit-synth killed by SIG$sig: no temporary file, exit $want" "$sig" "$want" "$S" "$pid"
	WANT_TMP=1
	# `timeout` passes the signal on and dies of it: check the files are gone too
	t_eq "audit-synth killed by SIG$sig: neither output exists" "$(ls -A "$S")" ""
done
# slow_pipe FIFO: feed good.csv into FIFO, then keep it open for a while (pid in $feeder)
slow_pipe() {
	rm -f "$1"; mkfifo "$1"
	( cat "$H/good.csv"; exec sleep $TO ) >"$1" &
	feeder=$!
}
for t in audit-fair audit-predict audit-robust; do
	S="$H/sig-$t"; mkdir -p "$S"
	slow_pipe "$S/in.fifo"
	case $t in
	audit-fair) "$BIN/audit-fair" --label label --pred pred --protected sex -q \
	    -o "$S/out.json" "$S/in.fifo" & ;;
	audit-predict) "$BIN/audit-predict" -m "$M" -q -o "$S/out.csv" "$S/in.fifo" & ;;
	audit-robust) "$BIN/audit-robust" -m "$M" --label label --protected sex \
	    --counterfactual sex -q -o "$S/out.json" "$S/in.fifo" & ;;
	esac
	pid=$!
	killed "$t killed by SIGTERM on a slow pipe: no temporary file, exit 143" TERM 143 "$S" "$pid" "$feeder"
done

# ---- --rows-out and -o are committed together ----
rm -f "$H/rows.csv"
"$BIN/audit-explain" -m "$M" --background "$H/background.csv" --method exact \
    --rows-out "$H/rows.csv" -o "$H/no/such/dir/out.json" "$H/good.csv" >"$T_OUT" 2>"$T_ERR"
_st=$?
one_line "audit-explain -o fails: exit 5" 5 "^audit-explain: cannot write '"
t_eq "audit-explain -o fails: no --rows-out file either" "$(ls "$H/rows.csv" 2>/dev/null; leftovers "$H")" ""

# ---- terminal escapes and binary bytes are escaped in stderr ----
esc=$(printf 'x\033]0;owned\007\033[2J')
"$BIN/audit-fair" --label "$esc" --pred pred --protected sex "$H/good.csv" >"$T_OUT" 2>"$T_ERR"
_st=$?
one_line "an escape sequence in an argument is escaped" 3 "unknown column 'x\\\\x1b\\]0;owned\\\\x07\\\\x1b\\[2J'"
{ head -n 1 "$D"; sed -n 2p "$D" | awk -F, -v OFS=, -v v="$esc" -v h="$(head -n 1 "$D")" \
    'BEGIN { n = split(h, a, ","); for (i = 1; i <= n; i++) if (a[i] == "label") c = i } { $c = v; print }'; } >"$H/esc.csv"
fair "$H/esc.csv" >"$T_OUT" 2>"$T_ERR"
_st=$?
one_line "an escape sequence in the data is escaped" 3 "non-numeric value 'x\\\\x1b\\]0;owned\\\\x07"
t_eq "no raw control byte reaches stderr" "$(tr -d '\n' <"$T_ERR" | LC_ALL=C tr -d '\040-\176' | wc -c)" 0
"$BIN/audit-fair" --x"$(printf '\001')" >"$T_OUT" 2>"$T_ERR"
_st=$?
one_line "a usage error is one line, escaped" 2 "^audit-fair: unknown option '--x\\\\x01' \\(see 'audit-fair --help'\\)$"

# ---- an output that names an input or another output is refused ----
# same NAME CMD...: exit 2, one line, and every input unchanged
same() {
	_n=$1; shift
	cp "$H/good.csv" "$H/in.csv"
	cp "$M" "$H/model.pmml"
	cp "$H/fair.json" "$H/result.json"
	"$@" >"$T_OUT" 2>"$T_ERR"
	_st=$?
	one_line "$_n" 2 "name the same file"
	t_eq "$_n: inputs unchanged" "$(cmp "$H/good.csv" "$H/in.csv" && cmp "$M" "$H/model.pmml" && cmp "$H/fair.json" "$H/result.json" && echo same)" same
}
same "audit-fair -o INPUT" fair -o "$H/in.csv" "$H/in.csv"
same "audit-fair -o ./INPUT" fair -o "$H/./in.csv" "$H/in.csv"
same "audit-predict -o MODEL" "$BIN/audit-predict" -m "$H/model.pmml" -o "$H/model.pmml" "$H/in.csv"
same "audit-robust -o INPUT" robust -o "$H/in.csv" "$H/in.csv"
same "audit-explain --rows-out INPUT" "$BIN/audit-explain" -m "$M" --background "$H/background.csv" \
    --rows-out "$H/in.csv" "$H/in.csv"
same "audit-explain -o BACKGROUND" "$BIN/audit-explain" -m "$M" --background "$H/in.csv" \
    -o "$H/in.csv" "$H/good.csv"
same "audit-report -o RESULT" "$BIN/audit-report" -o "$H/result.json" "$H/result.json"
rm -f "$H/x.out"
same "audit-synth --model-out X -o X" "$BIN/audit-synth" --rows 2 --model-out "$H/x.out" -o "$H/x.out"
t_eq "audit-synth --model-out X -o X: no X" "$(ls "$H/x.out" 2>/dev/null)" ""
"$BIN/audit-synth" --rows 2 -o /dev/null --model-out /dev/null >"$T_OUT" 2>"$T_ERR"
t_eq "two outputs on /dev/null are allowed" "$?" 0

echo "hostile-proc: $((T_PASS + T_FAIL)) cases, $( [ "$T_FAIL" -eq 0 ] && echo "every one handled as documented" || echo "$T_FAIL not handled as documented")"
t_done
