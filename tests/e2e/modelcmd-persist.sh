#!/bin/sh
# modelcmd-persist.sh — `--model-protocol stream|binary` end to end: the same
# output as the batch protocol, one command process per run (or per thread)
# however many times a tool scores, each failure exit 4 with one line, the
# option refused with -m, params.model_protocol, and SIGTERM or SIGINT to a tool ends
# the command's process group. The fake command is a standard-library Python
# script (tests/data/modelcmd/fake_serve.py).
. tests/e2e/lib.sh
FAKE_PY=tests/data/modelcmd/fake_serve.py
for t in audit-predict audit-explain audit-robust; do
	if [ ! -x "$BIN/$t" ]; then
		t_skip "persistent model commands" "$BIN/$t is not built"
		t_done; exit $?
	fi
done
PY=$(t_python csv struct)
if [ -z "$PY" ]; then
	t_skip "persistent model commands" "no python3 can be run"
	t_done; exit $?
fi
# a pyenv shim takes most of a second to start: Debian's python3 when it works
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import csv, struct' >/dev/null 2>&1; then
	PY=/usr/bin/python3
fi
FAKE="exec $PY $FAKE_PY"
TO=120

in="$T_TMP/in.csv"
cat >"$in" <<'CSV'
x,y,name
1,0.5,plain
2,-1.25,"a,b"
3,,"say ""hi"""
4,10,
5,0.125,"two
lines"
6,1e-300,ünïcödé ✓
7,2.5,plain
CSV

# ---- the three protocols give the same output ----
for bs in 2 100; do
	for p in batch stream binary; do
		timeout $TO "$BIN/audit-predict" --model-cmd "$FAKE" --model-protocol $p \
		    --batch-size $bs -o "$T_TMP/out-$p-$bs.csv" "$in" 2>"$T_ERR"
		t_eq "audit-predict --model-protocol $p --batch-size $bs exits 0" "$?:$(head -c 200 "$T_ERR")" "0:"
	done
	t_ok "stream: the same output as batch (--batch-size $bs)" cmp "$T_TMP/out-batch-$bs.csv" "$T_TMP/out-stream-$bs.csv"
	t_ok "binary: the same output as batch (--batch-size $bs)" cmp "$T_TMP/out-batch-$bs.csv" "$T_TMP/out-binary-$bs.csv"
done
# the formula of fake_serve.py by hand, row 1: x = 1, y = 0.5, name = "plain"
# (5 bytes summing to 532: 532 % 97 = 47): 1 + 2 * 0.5 + 3 * (5 + 47) / 1000 = 2.156
t_eq "row 1's score is the formula's" "$(sed -n 2p "$T_TMP/out-binary-2.csv")" "1,0.5,plain,2.156,1"

# ---- failures: exit 4, one line ----
# fail NAME WANT_REGEX ARGS...
fail() {
	_n=$1; _re=$2; shift 2
	timeout $TO "$BIN/audit-predict" "$@" "$in" >/dev/null 2>"$T_ERR"
	_st=$?
	if [ "$_st" != 4 ]; then
		t_fail "$_n" "exit $_st, want 4: $(head -c 300 "$T_ERR")"
	elif [ "$(wc -l <"$T_ERR")" -ne 1 ] || ! grep -Eq -- "$_re" "$T_ERR"; then
		t_fail "$_n" "stderr is not one line matching '$_re': $(head -c 300 "$T_ERR")"
	else
		t_pass "$_n"
	fi
}
fail "stream: a command that hangs after a frame times out" \
    "^audit-predict: model command .* timed out after 1 s \(rows 1 to 2\); stderr: zzz$" \
    --model-cmd "$FAKE hang=1 stderr=zzz" --model-protocol stream --batch-size 2 --model-timeout 1
fail "binary: a command that dies mid-run" \
    "exited after 0 of 2 scores \(rows 1 to 2\)" \
    --model-cmd "$FAKE die=2" --model-protocol binary --batch-size 2
fail "binary: a command that does not speak it" \
    "does not speak the binary protocol" \
    --model-cmd "$FAKE magic" --model-protocol binary
fail "stream: a command that is not found" \
    "exited with status 127 \(command not found\) before answering rows 1 to 7; stderr: .*not found" \
    --model-cmd "no-such-model-command-xyz" --model-protocol stream
fail "binary: the wrong count" "echoed a count of 8 for a frame of 7 rows" \
    --model-cmd "$FAKE count" --model-protocol binary

# ---- usage ----
timeout $TO "$BIN/audit-predict" -m tests/data/pmml/logreg.pmml --model-protocol binary \
    tests/data/pmml/logreg.csv >/dev/null 2>"$T_TMP/usage"
t_eq "--model-protocol with -m: exit 2, one line" "$?:$(wc -l <"$T_TMP/usage" | tr -d ' ')" "2:1"
t_ok "--model-protocol with -m: says so" grep -q -- "--model-protocol is for --model-cmd" "$T_TMP/usage"
timeout $TO "$BIN/audit-explain" -m tests/data/pmml/logreg.pmml --model-protocol stream \
    --background tests/data/pmml/logreg.csv tests/data/pmml/logreg.csv >/dev/null 2>"$T_ERR"
t_eq "audit-explain: --model-protocol with -m is exit 2" "$?" 2
timeout $TO "$BIN/audit-predict" --model-cmd "$FAKE" --model-protocol binry "$in" >/dev/null 2>"$T_ERR"
t_eq "an unknown protocol: exit 2" "$?" 2

# ---- one process per run, or per thread ----
D=datasets/credit.csv
if [ -f "$D" ]; then
	head -n 6 "$D" >"$T_TMP/rows.csv"
	head -n 41 "$D" >"$T_TMP/bg.csv"
	cols=age,income,debt_ratio,late_payments,region
	for th in 1 2; do
		rm -f "$T_TMP/starts"
		timeout $TO "$BIN/audit-explain" --method kernel --nsamples 200 --threads $th \
		    --model-cmd "$FAKE start=$T_TMP/starts" --model-protocol binary \
		    --model-columns $cols --background "$T_TMP/bg.csv" --batch-size 64 \
		    -o "$T_TMP/explain-$th.json" "$T_TMP/rows.csv" 2>"$T_ERR"
		t_eq "audit-explain --method kernel --threads $th exits 0" "$?:$(head -c 300 "$T_ERR")" "0:"
		n=$(wc -l <"$T_TMP/starts" 2>/dev/null | tr -d ' ')
		if [ $th = 1 ]; then
			t_eq "--threads 1: the command started exactly once" "$n" 1
		else
			t_ok "--threads 2: the command started once or twice ($n)" test "${n:-0}" -ge 1 -a "${n:-0}" -le 2
		fi
	done
	t_ok "params.model_protocol is binary" grep -q '"model_protocol":[[:space:]]*"binary"' "$T_TMP/explain-1.json"
	rm -f "$T_TMP/starts"
	timeout $TO "$BIN/audit-robust" --model-cmd "$FAKE start=$T_TMP/starts" --model-protocol stream \
	    --model-columns $cols --perturb gaussian:0.1 --perturb gaussian:0.2 --features age,income --threads 1 \
	    -o "$T_TMP/robust.json" "$T_TMP/bg.csv" 2>"$T_ERR"
	t_eq "audit-robust --model-protocol stream exits 0" "$?" 0
	t_eq "audit-robust --threads 1: the command started exactly once" "$(cat "$T_TMP/starts" 2>/dev/null | wc -l | tr -d ' ')" 1
	t_ok "audit-robust: params.model_protocol is stream" grep -q '"model_protocol":[[:space:]]*"stream"' "$T_TMP/robust.json"

	# ---- SIGTERM and SIGINT (Ctrl-C) to the tool end the command's group ----
	# (a background job of a non-interactive shell starts with SIGINT ignored:
	# env gives the tool the default action back, as a terminal's job has)
	for case in audit-explain:TERM:143 audit-predict:TERM:143 audit-explain:INT:130 audit-predict:INT:130; do
		t=${case%%:*}; sig=${case#*:}; want=${sig#*:}; sig=${sig%%:*}
		rm -f "$T_TMP/starts"
		if [ $t = audit-explain ]; then
			env --default-signal="$sig" "$BIN/audit-explain" --method kernel --nsamples 200 --threads 1 \
			    --model-cmd "$FAKE start=$T_TMP/starts hang=3" --model-protocol binary \
			    --model-columns $cols --background "$T_TMP/bg.csv" --batch-size 64 \
			    -o "$T_TMP/x.json" "$T_TMP/rows.csv" 2>"$T_ERR" &
		else
			env --default-signal="$sig" "$BIN/audit-predict" --model-cmd "$FAKE start=$T_TMP/starts hang=2" \
			    --model-protocol stream --batch-size 2 -o "$T_TMP/x.csv" "$in" 2>"$T_ERR" &
		fi
		pid=$!
		# a watchdog: the run must not outlive the test
		( sleep 60; kill -KILL $pid 2>/dev/null ) >/dev/null 2>&1 &
		dog=$!
		i=0
		# wait until the command has started and hangs (a second at most)
		while [ $i -lt 100 ] && [ ! -s "$T_TMP/starts" ]; do sleep 0.1; i=$((i + 1)); done
		sleep 0.5
		pg=$(head -n 1 "$T_TMP/starts" 2>/dev/null)
		kill -$sig $pid
		wait $pid
		st=$?
		kill $dog 2>/dev/null
		t_eq "$t --model-protocol: SIG$sig ends the tool ($want)" "$st" "$want"
		gone=no
		i=0
		while [ $i -lt 50 ]; do
			if [ -n "$pg" ] && ! kill -0 -- "-$pg" 2>/dev/null; then gone=yes; break; fi
			sleep 0.1; i=$((i + 1))
		done
		t_eq "$t: no process of the command's group survives SIG$sig" "$gone" yes
		[ "$gone" = yes ] || kill -KILL -- "-$pg" 2>/dev/null
	done
else
	t_skip "one process per run" "$D is missing"
fi
t_done
