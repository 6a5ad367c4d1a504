#!/bin/sh
# report-fonts.sh — audit-report's fonts: found through fontconfig (the
# default family, --font and --bold-font as a family or a file), Chinese text
# drawn with the installed CJK font and read back by pdftotext (the fallback
# font's ToUnicode map), the one warning for a character no installed font
# draws, and the errors of --font.
. tests/e2e/lib.sh
R="$BIN/audit-report"

if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1 ||
    ! command -v fc-match >/dev/null 2>&1; then
	t_skip "report-fonts" "poppler-utils or fontconfig's fc-match not installed"
	t_done
	exit $?
fi

# an audit-fair document whose groups are 男性 and 女性
sed -e 's/,female,/,女性,/' -e 's/,male,/,男性,/' datasets/credit.csv > "$T_TMP/cjk.csv"
t_run "audit-fair on CJK groups" 0 "$BIN/audit-fair" --label label --pred pred --score score \
    --protected sex -o "$T_TMP/cjk.json" "$T_TMP/cjk.csv"

# -- the default family, found by fontconfig: the fonts fc-match names are embedded --
regular=$(fc-match -f '%{postscriptname}' 'DejaVu Sans')
bold=$(fc-match -f '%{postscriptname}' 'DejaVu Sans:bold')
t_run "default font" 0 "$R" -o "$T_TMP/plain.pdf" --title "Plain" "$T_TMP/cjk.json"
pdffonts "$T_TMP/plain.pdf" 2>/dev/null | awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); sub(/,.*/, "", $1); print $1 }' \
    | sort > "$T_TMP/fonts.txt"
t_ok "fc-match's regular face embedded ($regular)" grep -qx "$regular" "$T_TMP/fonts.txt"
t_ok "fc-match's bold face embedded ($bold)" grep -qx "$bold" "$T_TMP/fonts.txt"

# -- CJK: the title and the group names drawn, no placeholder, no warning --
if [ -z "$(fc-list ':charset=516c 5e73 6027 5be9 67e5 7537 5973' file)" ]; then
	t_skip "CJK report" "no installed font has Chinese characters (install fonts-droid-fallback)"
else
	cjkfont=$(fc-list ':charset=516c 5e73 6027 5be9 67e5 7537 5973' file | head -1)
	t_run "CJK report" 0 "$R" -o "$T_TMP/cjk.pdf" --title "公平性審查" "$T_TMP/cjk.json"
	t_eq "no warning" "$(cat "$T_ERR")" ""
	pdftotext "$T_TMP/cjk.pdf" "$T_TMP/cjk.txt" 2>/dev/null
	t_ok "the CJK title in the text" grep -q '^公平性審查$' "$T_TMP/cjk.txt"
	t_ok "the group sizes name 男性 and 女性" grep -q "Group sizes for 'sex': 男性 2575, 女性 2425" "$T_TMP/cjk.txt"
	t_ok "the reference group 男性" grep -qF "Reference group (for disparities): '男性'." "$T_TMP/cjk.txt"
	t_eq "no placeholder" "$(grep -c '⟦U+' "$T_TMP/cjk.txt")" 0
	t_eq "three fonts embedded, the third a CJK one" "$(pdffonts "$T_TMP/cjk.pdf" 2>/dev/null | tail -n +3 | wc -l | tr -d ' ')" 3
	# the same with a main font that has no CJK, given as a file
	t_run "CJK with --font FILE" 0 "$R" -o "$T_TMP/cjk2.pdf" --title "公平性審查" \
	    --font "$(fc-match -f '%{file}' 'DejaVu Sans Mono')" "$T_TMP/cjk.json"
	t_eq "--font FILE: no warning" "$(cat "$T_ERR")" ""
	pdftotext "$T_TMP/cjk2.pdf" "$T_TMP/cjk2.txt" 2>/dev/null
	t_ok "--font FILE: the CJK title in the text" grep -q '^公平性審查$' "$T_TMP/cjk2.txt"
	t_ok "--font FILE: the Mono face embedded" sh -c "pdffonts '$T_TMP/cjk2.pdf' 2>/dev/null | grep -q 'DejaVuSansMono'"
	: "$cjkfont"
fi

# -- a character no installed font draws (private use U+E000): one warning, exit 0 --
pua=$(printf '\356\200\200')
t_run "private use" 0 "$R" -o "$T_TMP/pua.pdf" --font "DejaVu Sans" --title "Audit ${pua} end" "$T_TMP/cjk.json"
t_eq "one warning naming the text and the code point" "$(cat "$T_ERR")" \
    "audit-report: warning: no installed font draws some characters faithfully: they are drawn as placeholders, the first ⟦U+E000⟧ in 'Audit ${pua} end'"
pdftotext "$T_TMP/pua.pdf" "$T_TMP/pua.txt" 2>/dev/null
t_ok "the placeholder in the text" grep -qF "Audit ⟦U+E000⟧ end" "$T_TMP/pua.txt"
t_run "private use, -q" 0 "$R" -q -o "$T_TMP/pua-q.pdf" --title "Audit ${pua} end" "$T_TMP/cjk.json"
t_eq "-q: no warning" "$(cat "$T_ERR")" ""

# -- --font and --bold-font errors --
t_run "--font: unknown family" 2 "$R" -o "$T_TMP/x.pdf" --font "No Such Family 42" "$T_TMP/cjk.json"
t_eq "--font: unknown family, the message" "$(cat "$T_ERR")" \
    "audit-report: fontconfig finds no TrueType font of family 'No Such Family 42' (see 'audit-report --help')"
t_run "--bold-font: unknown family" 2 "$R" -o "$T_TMP/x.pdf" --bold-font "No Such Family 42" "$T_TMP/cjk.json"
t_run "--font: missing file" 3 "$R" -o "$T_TMP/x.pdf" --font "$T_TMP/none.ttf" "$T_TMP/cjk.json"
t_eq "--font: missing file, the message" "$(cat "$T_ERR")" \
    "audit-report: font file '$T_TMP/none.ttf' cannot be read"
printf 'not a font' > "$T_TMP/bad.ttf"
t_run "--font: not a font" 3 "$R" -o "$T_TMP/x.pdf" --font "$T_TMP/bad.ttf" "$T_TMP/cjk.json"
t_eq "--font: not a font, the message" "$(cat "$T_ERR")" \
    "audit-report: font file '$T_TMP/bad.ttf' is not a TrueType font"
t_ok "no output file after errors" test ! -e "$T_TMP/x.pdf"

# -- a machine where fontconfig finds no font at all (a configuration with an
# empty font folder): the default family is missing (exit 3, no file); a font
# file still works, its bold face is itself, and Chinese has no font, so it is
# drawn as placeholders with the one warning --
mkdir -p "$T_TMP/nofonts" "$T_TMP/fccache"
cat > "$T_TMP/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$T_TMP/nofonts</dir><cachedir>$T_TMP/fccache</cachedir></fontconfig>
CONF
t_run "no font installed" 3 env FONTCONFIG_FILE="$T_TMP/fonts.conf" "$R" -o "$T_TMP/x.pdf" "$T_TMP/cjk.json"
t_eq "no font installed, the message" "$(cat "$T_ERR")" \
    "audit-report: fontconfig finds no TrueType font of family 'DejaVu Sans'"
t_ok "no font installed: no output file" test ! -e "$T_TMP/x.pdf"
dv=$(fc-match -f '%{file}' 'DejaVu Sans')
t_run "no font installed, --font FILE" 0 env FONTCONFIG_FILE="$T_TMP/fonts.conf" "$R" \
    -o "$T_TMP/nofc.pdf" --font "$dv" --title "公平性審查" "$T_TMP/cjk.json"
# (the title, five placeholders wide, wraps: the first line drawn is named)
cp "$T_ERR" "$T_TMP/nofc.err"
t_eq "no CJK font: one warning naming the title and its first code point" \
    "$(wc -l < "$T_TMP/nofc.err" | tr -d ' ') $(sed "s/ in '.*//" "$T_TMP/nofc.err")" \
    "1 audit-report: warning: no installed font draws some characters faithfully: they are drawn as placeholders, the first ⟦U+516C⟧"
t_ok "no CJK font: the warning names the title's start" grep -qF "in '公平性" "$T_TMP/nofc.err"
pdftotext "$T_TMP/nofc.pdf" - 2>/dev/null | tr '\n' ' ' > "$T_TMP/nofc.txt"
t_ok "no CJK font: the title as placeholders" grep -qF "⟦U+516C⟧⟦U+5E73⟧⟦U+6027⟧" "$T_TMP/nofc.txt"
t_ok "no CJK font: the title's last character as a placeholder" grep -qF "⟦U+67E5⟧" "$T_TMP/nofc.txt"
t_eq "no CJK font: one font embedded (regular and bold the same file)" \
    "$(pdffonts "$T_TMP/nofc.pdf" 2>/dev/null | tail -n +3 | wc -l | tr -d ' ')" 1
t_done
