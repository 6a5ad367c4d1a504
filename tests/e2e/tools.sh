#!/bin/sh
# tools.sh — what every tool owes its user: --help (usage on stdout, exit 0),
# --version, exit 2 with a hint for an unknown option, a man page that renders
# cleanly and names every long option of --help, and `make install`.
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
	t_ok "$name usage error hints at --help" grep -q "Try '$name --help'" "$T_TMP/usage"
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
