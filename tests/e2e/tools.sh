#!/bin/sh
# tools.sh — what every tool owes its user: --help (usage on stdout, exit 0),
# --version, exit 2 and one line pointing to --help for an unknown option, the
# same --threads bound in the tool, its --help and its man page, a man page that
# renders cleanly and names every long option of --help, and `make install`.
. tests/e2e/lib.sh
for t in "$BIN"/audit-*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	t_run "$name --help exits 0" 0 "$t" --help
	cp "$T_OUT" "$T_TMP/help"
	t_ok "$name --help prints usage on stdout" grep -q '^usage: ' "$T_TMP/help"
	opts=$(grep -oE -- '--[a-z][a-z0-9-]+' "$T_TMP/help" | sort -u)
	t_run "$name --version exits 0" 0 "$t" --version
	t_eq "$name --version" "$(cat "$T_OUT")" "$name (rai-audit) 0.1.0"
	t_run "$name --no-such-option exits 2" 2 "$t" --no-such-option
	cp "$T_ERR" "$T_TMP/usage"
	t_eq "$name usage error is one line that points to --help" \
	    "$(cat "$T_TMP/usage")" "$name: unknown option '--no-such-option' (see '$name --help')"
	# --threads: the tool, its --help and its man page give the same upper bound
	if grep -q -- '--threads' "$T_TMP/help"; then
		max=$(sed -n 's/^#define AUD_MAX_THREADS \([0-9][0-9]*\).*/\1/p' include/audit/cli.h)
		t_ok "$name --help gives --threads 1 to $max" grep -q -- "--threads N .*1 to $max" "$T_TMP/help"
		t_ok "$name man page gives --threads 1 to $max" grep -qi "threads, 1 to $max" "man/$name.1"
		t_run "$name --threads $max is accepted" 0 "$t" --threads "$max" --help
		"$t" --threads $((max + 1)) >"$T_OUT" 2>"$T_ERR"
		t_eq "$name --threads $((max + 1)) is refused" "$?:$(grep -c "out of range \[1, $max\]" "$T_ERR")" "2:1"
	fi
	man="man/$name.1"
	if [ ! -f "$man" ]; then
		t_fail "$name has a man page" "$man is missing"
		continue
	fi
	t_pass "$name has a man page"
	if command -v groff >/dev/null 2>&1; then
		groff -man -Tutf8 -ww -z "$man" >"$T_OUT" 2>"$T_ERR"
		t_eq "$name man page renders without warnings" "$(cat "$T_ERR")" ""
	else
		t_skip "$name man page renders" "groff is not installed"
	fi
	missing=""
	src=$(sed 's/\\//g' "$man")
	for o in $opts; do
		case "$src" in *"$o"*) ;; *) missing="$missing $o" ;; esac
	done
	t_eq "$name man page describes every option of --help" "$missing" ""
done
dest="$T_TMP/inst"
t_ok "make install DESTDIR=... PREFIX=/usr" make -s install DESTDIR="$dest" PREFIX=/usr BIN="$BIN"
for t in "$BIN"/audit-*; do
	name=$(basename "$t")
	t_ok "installed $name" test -x "$dest/usr/bin/$name"
	t_ok "installed man page of $name" test -f "$dest/usr/share/man/man1/$name.1"
done
t_done
