#!/bin/sh
# make-data-fixtures.sh — regenerate the report's audit-data fixtures with the
# real tools: data-profile.json (people.csv), data-check.json (incoming.csv
# against the schema people.csv implies), data-check-clean.json (people.csv
# against it), drift.json (an audit-synth sample with planted shifts against
# another, with --label, --pred, --by group, --window month and a failing
# check) and drift-none.json (two unshifted samples). Run from the project
# root after `make`: sh tests/data/report/make-data-fixtures.sh
set -eu
BIN=${BIN:-$(pwd)/bin}
D=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1767225600
cp "$D/people.csv" "$D/incoming.csv" "$T/"
cd "$T"
"$BIN/audit-data" profile -q --emit-schema people.schema.json --format json -o "$D/data-profile.json" people.csv
"$BIN/audit-data" check -q --schema people.schema.json --format json -o "$D/data-check.json" incoming.csv || [ $? -eq 1 ]
"$BIN/audit-data" check -q --schema people.schema.json --format json -o "$D/data-check-clean.json" people.csv
"$BIN/audit-synth" --rows 3000 --seed 5 -o ref.csv
"$BIN/audit-synth" --rows 3000 --seed 6 --shift income=0.8 --shift region=0.4 --months 3 --shift-from 2 -o cur.csv
"$BIN/audit-synth" --rows 3000 --seed 9 -o same.csv
"$BIN/audit-data" drift -q --reference ref.csv --columns age,income,debt_ratio,region,sex \
    --label label --pred pred --by group --window month --check 'drift.share < 0.3' \
    --format json -o "$D/drift.json" cur.csv || [ $? -eq 1 ]
"$BIN/audit-data" drift -q --reference ref.csv --columns age,income,debt_ratio,region,sex \
    --format json -o "$D/drift-none.json" same.csv
