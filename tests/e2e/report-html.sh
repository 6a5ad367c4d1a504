#!/bin/sh
# report-html.sh — audit-report --format html beside the PDF, from the same
# documents (make demo's, built here in a scratch folder):
#   - the HTML's h1/h2 headings are the PDF's bookmarks (pdftohtml -xml), same
#     texts, levels and order;
#   - per section, every number of the HTML's tables is on the PDF's pages of
#     that section (pdftotext), and the whole texts hold the same numbers;
#   - self-contained: no script, no src=, no href= other than "#...", no url(,
#     no @import; the same documents give the same bytes; under 2 MB;
#   - hostile group names (<script>, &, quotes, bytes that are not UTF-8) are
#     escaped and the file is valid UTF-8;
#   - headless Chromium draws it to a PNG of the window's size that is not
#     blank (non-white pixels, the palette's colours), decoded here with zlib.
# Needs python3 (standard library); pdftotext/pdftohtml; chromium for the picture.
. tests/e2e/lib.sh
R="$BIN/audit-report"
PY=$(t_python zlib html.parser)
if [ -z "$PY" ]; then
	t_skip "report-html" "no python3"; t_done; exit $?
fi
CHK="$PY tests/e2e/report-html.py"

# -- hostile names: a fairness document whose group 'female' is renamed --
"$PY" - "$T_TMP/hostile.json" <<'PYEOF'
import json, sys
s = json.dumps(json.load(open("tests/data/report/fair.json")), ensure_ascii=False)
s = s.replace('"female"', json.dumps("<script>alert(1)</script> & \"q\" 's' BAD"))
open(sys.argv[1], "wb").write(s.encode().replace(b"BAD", b"\xff\xc3("))
PYEOF
t_run "hostile names: the report is written" 0 "$R" -q --format html -o "$T_TMP/h.html" \
	--title 'A <b>title</b> & "more"' "$T_TMP/hostile.json"
H="$T_TMP/h.html"
t_eq "no <script> element" "$(grep -c '<script' "$H")" 0
t_eq "the title escaped in <title>" "$(grep -c '<title>A &lt;b&gt;title&lt;/b&gt; &amp; &quot;more&quot;</title>' "$H")" 1
t_ok "the group name escaped, bad bytes as placeholders" \
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;s&#39; ⟦0xFF⟧⟦0xC3⟧(' "$H"
t_ok "valid UTF-8" "$PY" -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$H"
t_eq "no raw quote or bracket of the name" "$(grep -c "alert(1)</script>\|\"q\"" "$H")" 0

# -- texts longer than a paragraph holds: cut with the PDF's mark, in both --
t_run "long strings" 0 "$R" --format html -o "$T_TMP/long.html" --title "$(printf '%070000d' 7)" \
	--model-card tests/data/report/card-long.json tests/data/report/hostile-long.json
t_eq "the title and the card's two long values cut with a mark, as in the PDF" \
	"$(grep -o '⟦cut: the first 2000 of 70000 bytes⟧' "$T_TMP/long.html" | wc -l | tr -d ' ')" 3

# -- the demo's documents, both formats --
for t in audit-data audit-fair audit-mitigate audit-slice audit-robust audit-explain; do
	if [ ! -x "$BIN/$t" ]; then t_skip "report-html demo" "$t is not built"; t_done; exit $?; fi
done
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftohtml >/dev/null 2>&1; then
	t_skip "report-html demo" "poppler-utils (pdftotext, pdftohtml) not installed"; t_done; exit $?
fi
O="$T_TMP/demo"
t_run "the demo runs" 0 env BIN="$BIN" DEMO_OUT="$O" DEMO_PDF="$T_TMP/demo.pdf" sh scripts/demo.sh
docs="$O/profile.json $O/check.json $O/drift.json $O/fair.json $O/slices.json $O/policy.json
$O/frontier.json $O/fair-mitigated.json $O/robust.json $O/explain.json"
# shellcheck disable=SC2086
t_run "HTML of the demo" 0 "$R" --format html -o "$T_TMP/demo.html" --title "Audit of the planted credit model" \
	--model-card datasets/credit-model-card.json $docs
# shellcheck disable=SC2086
t_run "PDF of the demo" 0 "$R" -o "$T_TMP/demo2.pdf" --title "Audit of the planted credit model" \
	--model-card datasets/credit-model-card.json $docs
D="$T_TMP/demo.html"
pdftohtml -xml -i -stdout "$T_TMP/demo2.pdf" >"$T_TMP/demo.xml" 2>/dev/null
pdftotext "$T_TMP/demo2.pdf" "$T_TMP/demo.txt" 2>/dev/null
t_eq "the PDF's bookmarks are the HTML's headings" \
	"$($CHK outline "$T_TMP/demo.xml" "$D" | sed 's/^same [0-9]* headings$/same/')" "same"
t_eq "every section's table numbers are in the PDF's section; same numbers overall" \
	"$($CHK numbers "$T_TMP/demo.xml" "$T_TMP/demo.txt" "$D" | sed 's/^same numbers in 10 sections .*/same/')" "same"
for s in "Executive summary" "Data and model" "Data" "Fairness" "Slices" "Mitigation" \
	"Robustness" "Explanations" "Model card" "Appendix"; do
	t_eq "section '$s' in the table of contents and as <h1>" \
		"$(grep -c "<li><a href=\"#s[0-9]*\">$s</a>" "$D") $(grep -c "<h1 id=\"s[0-9]*\">$s</h1>" "$D")" "1 1"
done
t_eq "self-contained" "$($CHK selfcontained "$D")" "self-contained"
t_ok "one file starting with the doctype" sh -c "head -n 1 '$D' | grep -qx '<!DOCTYPE html>'"
t_ok "UTF-8 declared" grep -q '<meta charset="utf-8">' "$D"
t_ok "printable: @page and figures kept whole" sh -c "grep -q '@page' '$D' && grep -q 'figure,table,tr,svg{break-inside:avoid}' '$D'"
size=$(wc -c <"$D" | tr -d ' ')
t_ok "under 2 MB ($size bytes)" test "$size" -lt 2000000
nsvg=$(grep -c '<svg ' "$D")
t_ok "charts inlined as SVG ($nsvg)" test "$nsvg" -ge 10
# shellcheck disable=SC2086
"$R" --format html -o "$T_TMP/demo-again.html" --title "Audit of the planted credit model" \
	--model-card datasets/credit-model-card.json $docs 2>/dev/null
t_ok "the same documents give the same bytes" cmp "$D" "$T_TMP/demo-again.html"
t_run "-o FILE.html without --format: the same HTML" 0 "$R" -o "$T_TMP/by-name.html" \
	"$O/fair.json"
t_run "--format html to a file, for comparison" 0 "$R" --format html -o "$T_TMP/by-format.html" \
	"$O/fair.json"
t_ok "-o FILE.html gives the HTML" cmp "$T_TMP/by-name.html" "$T_TMP/by-format.html"
t_run "--format pdf wins over the name" 0 "$R" --format pdf -o "$T_TMP/forced.html" "$O/fair.json"
t_eq "a PDF despite .html" "$(head -c 5 "$T_TMP/forced.html")" "%PDF-"
t_run "HTML written to a pipe" 0 sh -c \
	"'$R' --format html '$O/fair.json' | head -c 15 | grep -q '<!DOCTYPE html>'"

# -- headless Chromium draws it --
CH=""
for c in chromium chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then CH=$c; break; fi
done
if [ -z "$CH" ]; then
	t_skip "chromium picture" "chromium is not installed (apt-get install chromium)"
else
	mkdir -p "$T_TMP/chrome"
	HOME="$T_TMP/chrome" timeout 120 "$CH" --headless=new --no-sandbox --disable-gpu \
		--user-data-dir="$T_TMP/chrome" --hide-scrollbars \
		--screenshot="$T_TMP/demo.png" --window-size=1000,3000 "file://$(cd "$T_TMP" && pwd)/demo.html" \
		>/dev/null 2>&1
	t_ok "chromium wrote a PNG" test -s "$T_TMP/demo.png"
	set -- $($CHK png "$T_TMP/demo.png")
	t_eq "the PNG has the window's size" "$1x$2" "1000x3000"
	# the page's background, text, table shading, the verdict box: far from
	# blank; dark pixels are text and lines (the background is light grey)
	t_ok "not blank: over 5% of the pixels are not white (${3:-0} of 3000000)" test "${3:-0}" -gt 150000
	t_ok "not blank: many colours (${4:-0})" test "${4:-0}" -gt 50
	t_ok "not blank: text drawn, over 1% dark pixels (${5:-0})" test "${5:-0}" -gt 30000
fi
t_done
