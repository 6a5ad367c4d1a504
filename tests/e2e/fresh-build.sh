#!/bin/sh
# fresh-build.sh — the README's first command works on a machine that has none of
# the dependencies yet. On such a machine pkg-config knows none of them until the
# dependency step (`make deps`, run first by `make demo` and `make check`) has
# installed them, so nothing may ask pkg-config before that step has run.
#
# A copy of the tree is built with a pkg-config that fails (and says so in a log)
# until a marker file exists, a dependency step that only creates the marker, and
# a compiler and archiver that record their arguments instead of compiling. Every
# compile must then carry the dependencies' flags and every link their libraries.
. tests/e2e/lib.sh
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libxml-2.0 libcjson; then
	t_skip fresh-build "pkg-config or the libxml-2.0/libcjson .pc files are missing"
	t_done; exit $?
fi
F="$T_TMP/fresh"
mkdir -p "$F/bin" "$F/tree"
cp -R Makefile include libaudit tools scripts "$F/tree/"
real=$(command -v pkg-config)
cat >"$F/bin/pkg-config" <<EOF
#!/bin/sh
if [ ! -e "$F/installed" ]; then
	echo "pkg-config \$* (before the dependency step)" >>"$F/early.log"
	exit 1
fi
exec "$real" "\$@"
EOF
# the compiler: log the arguments, create the -o file
cat >"$F/bin/cc" <<EOF
#!/bin/sh
echo "\$*" >>"$F/cc.log"
out=""
while [ \$# -gt 0 ]; do
	[ "\$1" = -o ] && out=\$2
	shift
done
[ -n "\$out" ] && : >"\$out"
exit 0
EOF
cat >"$F/bin/ar" <<EOF
#!/bin/sh
: >"\$2"
EOF
chmod +x "$F/bin/pkg-config" "$F/bin/cc" "$F/bin/ar"

for target in demo bench; do
	rm -f "$F/installed" "$F/early.log" "$F/cc.log"
	rm -rf "$F/tree/build" "$F/tree/bin"
	# bench's runner is replaced by BUILD's bench scripts; only the build order matters here
	t_run "make $target on a fresh machine: the build succeeds" 0 \
		make -C "$F/tree" --no-print-directory PKG_CONFIG="$F/bin/pkg-config" CC="$F/bin/cc" \
		AR="$F/bin/ar" INSTALL_DEPS="touch $F/installed" DEMO_RUN=true \
		BENCH_RUN=true "$target"
	t_eq "make $target: no pkg-config call before the dependency step" \
		"$(cat "$F/early.log" 2>/dev/null)" ""
	xml=$("$real" --cflags libxml-2.0 | awk '{ print $1 }')
	ncompile=$(grep -c -- ' -c ' "$F/cc.log" 2>/dev/null || echo 0)
	nflags=$(grep -- ' -c ' "$F/cc.log" 2>/dev/null | grep -c -- "$xml")
	t_eq "make $target: every compile has libxml2's flags ($ncompile compiles)" "$nflags" "$ncompile"
	nlink=$(grep -v -- ' -c ' "$F/cc.log" 2>/dev/null | grep -c -- '-o .*/audit-')
	nlibs=$(grep -v -- ' -c ' "$F/cc.log" 2>/dev/null | grep -- '-o .*/audit-' | grep -- '-lxml2' | grep -c -- '-lcjson')
	t_eq "make $target: every tool links libxml2 and cJSON ($nlink links)" "$nlibs" "$nlink"
done
t_done
