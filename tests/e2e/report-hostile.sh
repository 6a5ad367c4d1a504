#!/bin/sh
# report-hostile.sh — audit-report on hostile documents (issue 12, items 10
# and 18): strings longer than libharu takes, characters the font cannot
# draw, look-alike names, model cards of the wrong shape, a NUL in a string.
# The PDF's text is read back with pdftotext.
. tests/e2e/lib.sh
D=tests/data/report
R="$BIN/audit-report"

if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
	t_skip "report-hostile" "poppler-utils (pdftotext, pdfinfo) not installed"
	t_done
	exit $?
fi

# -- characters the font cannot draw, look-alikes --
t_run "hostile names" 0 "$R" -o "$T_TMP/names.pdf" $D/hostile-names.json
t_eq "one warning" "$(wc -l < "$T_ERR" | tr -d ' ')" 1
# Chinese and Japanese are drawn with the installed CJK font (fontconfig finds
# it); without one they are placeholders like the rest
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list ':charset=4e2d 65e5' file)" ]; then
	cjk=1 first="⟦U+1F600⟧"
else
	cjk=0 first="⟦U+4E2D⟧"
fi
t_eq "the warning names the first text" "$(sed 's/ in .*//' "$T_ERR")" \
    "audit-report: warning: no installed font draws some characters faithfully: they are drawn as placeholders, the first $first"
pdftotext "$T_TMP/names.pdf" "$T_TMP/names.txt" 2>/dev/null
for s in "⟦U+1F600⟧" "⟦U+05E9⟧" "⟦U+0645⟧" \
	"m⟦U+0430⟧le" "ma⟦U+200B⟧le" "tab⟦U+0009⟧here" "⟦U+27E6⟧U+4E2D"; do
	if grep -qF -- "$s" "$T_TMP/names.txt"; then t_pass "placeholder '$s'"; else t_fail "placeholder '$s'"; fi
done
# none of those characters is drawn as itself (a box, nothing, or reversed)
t_eq "no emoji, Hebrew or Arabic drawn" "$(grep -c '😀\|ש\|م' "$T_TMP/names.txt")" 0
if [ $cjk = 1 ]; then
	for s in 中文 日本; do
		if grep -qF -- "$s" "$T_TMP/names.txt"; then t_pass "'$s' drawn"; else t_fail "'$s' drawn"; fi
	done
	t_eq "no CJK placeholder" "$(grep -c '⟦U+4E2D⟧⟦U+6587⟧\|⟦U+65E5⟧⟦U+672C⟧' "$T_TMP/names.txt")" 0
else
	for s in "⟦U+4E2D⟧⟦U+6587⟧" "⟦U+65E5⟧⟦U+672C⟧"; do
		if grep -qF -- "$s" "$T_TMP/names.txt"; then t_pass "placeholder '$s'"; else t_fail "placeholder '$s'"; fi
	done
fi
# 'other' and 'other ' look the same once drawn: the second is marked in the
# groups table and in each of the ten charts of the attribute (four rates, and
# the ratios of five: FDR's and FOR's are undefined, so not drawn) and the
# grid; 'male' and 'male ' in the charts and the grid (the table says
# "male (reference)"): 1 + 2 x (4 + 5 + 1)
t_eq "look-alike marked" "$(grep -c '⟦#2⟧' "$T_TMP/names.txt")" 21
t_run "quiet" 0 "$R" -q -o "$T_TMP/names-q.pdf" $D/hostile-names.json
t_eq "quiet: no warning" "$(cat "$T_ERR")" ""
t_ok "same PDF with -q" cmp "$T_TMP/names.pdf" "$T_TMP/names-q.pdf"

# -- strings of 70,000 bytes: a title, a group name, an input path, card values --
t_run "long strings" 0 "$R" -o "$T_TMP/long.pdf" --title "$(printf '%070000d' 7)" \
    --model-card $D/card-long.json $D/hostile-long.json
t_eq "long strings: no message" "$(cat "$T_ERR")" ""
pdftotext "$T_TMP/long.pdf" "$T_TMP/long.txt" 2>/dev/null
# the title and the card's two long values: their first 2,000 bytes, then the mark
t_eq "paragraphs cut with a mark" "$(grep -c '⟦cut: the first 2000 of 70000 bytes⟧' "$T_TMP/long.txt")" 3
# the charts get the two names cut alike ("xxx…"): the second is marked in each
# (four rate charts, five ratio charts, the grid)
t_eq "long names marked apart in the charts and the grid" "$(grep -c '⟦#2⟧' "$T_TMP/long.txt")" 10
t_eq "the path cut with a mark" "$(grep -c '⟦cut: the first 2000 of 70080 bytes⟧' "$T_TMP/long.txt")" 1
# two group names of 70,000 bytes differing in the last byte: each cell shows
# 8 lines and a mark with a hash of the cell (FNV-1a, 24 bits, of the first
# 1,008 bytes, then "…#" and the hash of the whole name), computed here apart
fnv() { # FNV-1a 64 of stdin, low 24 bits, in hex
	python3 -c 'import sys
h = 0xcbf29ce484222325
for c in sys.stdin.buffer.read():
    h = ((h ^ c) * 0x100000001b3) % (1 << 64)
print("%06x" % (h & 0xffffff))'
}
if command -v python3 >/dev/null 2>&1; then
for last in x y; do
	name=$(printf '%069999d' 0 | tr 0 x)$last
	inner=$(printf '%s' "$name" | fnv)
	mark=$( { printf '%01008d' 0 | tr 0 x; printf '…#%s' "$inner"; } | fnv)
	if grep -qF "⟦cut #$mark⟧" "$T_TMP/long.txt"; then t_pass "group name ending in $last: mark #$mark"
	else t_fail "group name ending in $last: mark #$mark"; fi
done
else
	t_skip "long group names' marks" "python3 is absent: no independent hash"
fi
t_eq "document title cut at 1000 bytes" "$(pdfinfo "$T_TMP/long.pdf" 2>/dev/null | sed -n 's/^Title: *//p' | wc -c | tr -d ' ')" \
    "$((1000 + 3 + 1))"

# -- model cards of the wrong shape, NUL in a string: exit 3, no PDF --
for c in number no-sections bad-section bad-name null-item list-in-list; do
	t_run "card $c refused" 3 "$R" -o "$T_TMP/card-$c.pdf" --model-card $D/card-$c.json $D/fair.json
	cp "$T_ERR" "$T_TMP/card-$c.err"
	t_ok "card $c: no PDF" test ! -e "$T_TMP/card-$c.pdf"
done
t_eq "card message" "$(cat "$T_TMP/card-list-in-list.err")" \
    "audit-report: $D/card-list-in-list.json: model card: 'metrics[0]' is a list, expected a string, a number, a boolean or an object"
t_run "NUL in the schema" 3 "$R" -o "$T_TMP/nul.pdf" $D/nul-schema.json
t_eq "NUL message" "$(cat "$T_ERR")" \
    "audit-report: $D/nul-schema.json:1:29: a NUL character ('\\u0000') in a JSON string"
t_done
