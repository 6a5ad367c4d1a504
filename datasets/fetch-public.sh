#!/bin/sh
# fetch-public.sh — download the public fairness datasets from their original
# sources and verify their SHA-256 sums.
#
# usage: fetch-public.sh [--from DIR] DEST
#
#   DEST        folder to write into (created when missing)
#   --from DIR  copy the files from the local folder DIR instead of downloading
#               (an offline mirror; also how the checksum logic is tested)
#
# Files (sources and sums as recorded in the project's dataset notes):
#   compas-scores-two-years.csv  ProPublica, github.com/propublica/compas-analysis
#   adult.data, adult.test       UCI Machine Learning Repository, "Adult"
#   german.data                  UCI Machine Learning Repository, "Statlog (German Credit Data)"
#
# Each file is fetched to a temporary name in DEST and renamed only when its
# SHA-256 matches. A file whose sum does not match is removed (together with
# any stale copy of that name in DEST), and the script goes on with the others.
# A file already in DEST with the right sum is kept and not fetched again.
# Some copies of german.data carry a trailing blank at the end of line 267;
# when the sum does not match, trailing blanks are removed and the sum is
# checked once more (the message says so).
#
# Exit status: 0 every file present and verified; 1 a checksum did not match
# (that file removed); 2 usage error; 3 a file could not be downloaded or copied.
set -uf

prog=fetch-public.sh
COMPAS_URL=https://raw.githubusercontent.com/propublica/compas-analysis/bafff5da3f2e45eca6c2d5055faad269defd135a/compas-scores-two-years.csv
UCI=https://archive.ics.uci.edu/ml/machine-learning-databases

# name, sha256, url
FILES="compas-scores-two-years.csv c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d $COMPAS_URL
adult.data 5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d $UCI/adult/adult.data
adult.test a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05 $UCI/adult/adult.test
german.data b21f3d81db8071257d5ff1deaeba1fd4303b62712e6fcc9715c7a86202cb5871 $UCI/statlog/german/german.data"

usage() {
	cat <<EOF
usage: $prog [--from DIR] DEST

Download COMPAS (ProPublica), Adult (UCI adult.data, adult.test) and German
credit (UCI german.data) into DEST and verify their SHA-256 sums.

  --from DIR   copy the files from the local folder DIR instead of downloading
  -h, --help   print this help and exit

Exit status: 0 all verified; 1 a checksum mismatch (that file is removed);
2 usage error; 3 a file could not be downloaded or copied.
EOF
}

usage_error() {
	echo "$prog: $1" >&2
	echo "Try '$prog --help' for more information." >&2
	exit 2
}

from=""
dest=""
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	--from)
		[ $# -ge 2 ] || usage_error "option '--from' needs an argument"
		from=$2; shift 2 ;;
	--from=*) from=${1#--from=}; shift ;;
	--) shift; break ;;
	-?*) usage_error "unknown option '$1'" ;;
	*)
		[ -z "$dest" ] || usage_error "unexpected argument '$1'"
		dest=$1; shift ;;
	esac
done
if [ $# -gt 0 ]; then
	[ -z "$dest" ] || usage_error "unexpected argument '$1'"
	dest=$1; shift
	[ $# -eq 0 ] || usage_error "unexpected argument '$1'"
fi
[ -n "$dest" ] || usage_error "missing DEST folder"
if [ -n "$from" ] && [ ! -d "$from" ]; then
	usage_error "--from: '$from' is not a folder"
fi

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d ' ' -f 1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d ' ' -f 1
	else
		openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
	fi
}

# fetch URL NAME OUT: download URL (or copy NAME from --from) into OUT
fetch() {
	if [ -n "$from" ]; then
		cp "$from/$2" "$3" 2>/dev/null
	elif command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 2 -o "$3" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -O "$3" "$1"
	else
		echo "$prog: neither curl nor wget is installed" >&2
		return 1
	fi
}

if ! mkdir -p "$dest" 2>/dev/null || [ ! -w "$dest" ]; then
	echo "$prog: cannot write into '$dest'" >&2
	exit 3
fi

mismatch=0
failed=0
tmp=""
trap 'if [ -n "$tmp" ]; then rm -f "$tmp" "$tmp.fix"; fi' EXIT
trap 'exit 130' INT TERM
newline='
'
old_ifs=$IFS
IFS=$newline
for line in $FILES; do
	IFS=$old_ifs
	# shellcheck disable=SC2086 # split the table line into its three words
	set -- $line
	name=$1; want=$2; url=$3
	if [ -f "$dest/$name" ] && [ "$(sha256 "$dest/$name")" = "$want" ]; then
		echo "$name: already present, sha256 ok"
		continue
	fi
	tmp=$(mktemp "$dest/.$name.XXXXXX") || { echo "$prog: cannot write into '$dest'" >&2; exit 3; }
	if [ -n "$from" ]; then src="$from/$name"; else src=$url; fi
	if ! fetch "$url" "$name" "$tmp"; then
		echo "$prog: $name: cannot fetch '$src'" >&2
		rm -f "$tmp"; tmp=""
		failed=1
		continue
	fi
	got=$(sha256 "$tmp")
	if [ "$got" != "$want" ] && [ "$name" = german.data ]; then
		sed 's/[ 	]*$//' "$tmp" > "$tmp.fix" && mv "$tmp.fix" "$tmp"
		got2=$(sha256 "$tmp")
		if [ "$got2" = "$want" ]; then
			echo "$name: removed trailing blanks (a known defect of some copies)"
			got=$got2
		fi
	fi
	if [ "$got" != "$want" ]; then
		echo "$prog: $name: sha256 mismatch: got $got, want $want; file removed" >&2
		rm -f "$tmp" "$dest/$name"; tmp=""
		mismatch=1
		continue
	fi
	chmod 0644 "$tmp"
	mv -f "$tmp" "$dest/$name"; tmp=""
	echo "$name: sha256 ok"
done
IFS=$old_ifs

if [ $mismatch -ne 0 ]; then exit 1; fi
if [ $failed -ne 0 ]; then exit 3; fi
exit 0
