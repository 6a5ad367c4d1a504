#!/bin/sh
# progress.sh — long work shows a progress bar on stderr when stderr is a
# terminal, never otherwise, and -q does not break it. The terminal
# comes from script(1).
. tests/e2e/lib.sh
if ! command -v script >/dev/null 2>&1; then
	t_skip progress "script(1) is not installed"
	t_done; exit $?
fi
if [ ! -x "$BIN/audit-synth" ]; then
	t_skip progress "$BIN/audit-synth is not built"
	t_done; exit $?
fi
run="$BIN/audit-synth --scenario credit --rows 1500000 --seed 1 -o $T_TMP/big.csv"
script -qec "$run" /dev/null </dev/null >"$T_TMP/tty" 2>&1
t_ok "at a terminal: a bar is drawn, labelled by its phase" grep -q 'generate \[#' "$T_TMP/tty"
t_ok "at a terminal: the bar shows the rate and the time left" \
	grep -q '/1500000 rows, [0-9.]*[kM]* rows/s, ETA [0-9]*:[0-9][0-9]' "$T_TMP/tty"
t_ok "at a terminal: it is erased at the end" grep -q "$(printf '\033')\\[K" "$T_TMP/tty"
$run 2>"$T_TMP/err" >/dev/null
t_eq "not a terminal: nothing on stderr" "$(wc -c <"$T_TMP/err" | tr -d ' ')" 0
t_done
