#!/bin/sh
# install-deps.sh — install the Debian packages rai-audit needs, when missing.
# Run by `make check` and `make demo`. As root it calls apt-get directly,
# otherwise through sudo. Says what it installs; silent when nothing is missing.
set -eu
PKGS="make gcc pkg-config libgsl-dev libopenblas-dev libopenblas-serial-dev liblapacke-dev libxml2-dev
libcjson-dev libhpdf-dev nettle-dev libglpk-dev fonts-dejavu-core
libfontconfig-dev fontconfig fonts-droid-fallback bats jq poppler-utils groff-base"
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps: not a Debian system; make sure these are installed: $(echo $PKGS)" >&2
	exit 0
fi
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "install-deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
