#!/bin/sh
# regenerate.sh [DIR] — remake the bundled synthetic dataset without make.
#
# Runs audit-synth with the parameters documented in datasets/README.md and
# writes credit.csv and credit-planted.pmml into DIR (default: this folder).
# The tool is $BIN/audit-synth (BIN defaults to bin, relative to the project
# root); build it first with `make`. The output is byte-identical on every run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=${BIN:-bin}
case $bin in
/*) ;;
*) bin=$root/$bin ;;
esac
synth=$bin/audit-synth
out=${1:-$here}
if [ ! -x "$synth" ]; then
	echo "regenerate.sh: '$synth' not found: build it first with 'make'" >&2
	exit 1
fi
"$synth" --scenario credit --rows 5000 --seed 42 --label-bias 1.5 --proxy-strength 0.8 \
	--model-out "$out/credit-planted.pmml" -o "$out/credit.csv"
