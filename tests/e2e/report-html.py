"""report-html.py — checks of tests/e2e/report-html.sh (standard library only).

  outline PDF.xml REPORT.html     the PDF's bookmarks (pdftohtml -xml) against the
                                  HTML's h1/h2 headings: same texts, levels, order
  numbers PDF.xml PDF.txt REPORT.html
                                  per section: the numbers of the HTML's tables are
                                  all on the PDF's pages of that section, and the
                                  numbers of the whole PDF text are those of the HTML
  selfcontained REPORT.html       no script, no external resource
  png FILE.png                    width, height, non-white pixels, distinct colours,
                                  dark pixels (every channel under 128: text, lines)
Each prints one line; the shell script compares it.
"""
import html.parser
import re
import struct
import sys
import zlib

NUM = re.compile(r"(?<![\w.])[-\u2212]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def numbers(text):
    return {m.group(0).replace("\u2212", "-") for m in NUM.finditer(text)}


def pdf_outline(xml):
    """[(level, page, text)] from pdftohtml -xml's <outline>."""
    out, depth = [], 0
    start = xml.find("<outline>")
    for m in re.finditer(r"<outline>|</outline>|<item page=\"(\d+)\">(.*?)</item>", xml[start:]):
        if m.group(0) == "<outline>":
            depth += 1
        elif m.group(0) == "</outline>":
            depth -= 1
        else:
            text = html.unescape(m.group(2))
            out.append((depth - 1, int(m.group(1)), text))
    return out


class Doc(html.parser.HTMLParser):
    """The HTML's headings, and per level-0 section its table text and all text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings = []        # (level, text)
        self.sections = [[]]      # table cell texts per h1 section (0: the cover)
        self.text = [[]]          # every text per section (charts included)
        self.stack = []
        self.cur = None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "nav", "footer", "title"):
            self.skip += 1
        if tag in ("h1", "h2", "h3"):
            self.cur = (int(tag[1]) - 1, [])
            if tag == "h1":
                self.sections.append([])
                self.text.append([])
        if tag in ("td", "th"):
            self.stack.append([])

    def handle_endtag(self, tag):
        if tag in ("style", "nav", "footer", "title"):
            self.skip -= 1
        if tag in ("h1", "h2", "h3") and self.cur is not None:
            self.headings.append((self.cur[0], "".join(self.cur[1])))
            self.cur = None
        if tag in ("td", "th") and self.stack:
            self.sections[-1].append(" ".join(self.stack.pop()))

    def handle_data(self, data):
        if self.skip:
            return
        if self.cur is not None:
            self.cur[1].append(data)
        if self.stack:
            self.stack[-1].append(data)
        self.text[-1].append(data + " ")


def parse_html(path):
    d = Doc()
    d.feed(open(path, encoding="utf-8").read())
    return d


def cmd_outline(xml_path, html_path):
    pdf = [(lv, t) for lv, _, t in pdf_outline(open(xml_path, encoding="utf-8").read())
           if t != "Cover"]
    d = parse_html(html_path)
    htm = [(lv, t) for lv, t in d.headings if lv <= 1]
    if pdf == htm:
        print("same %d headings" % len(pdf))
    else:
        for i, (a, b) in enumerate(zip(pdf + [None] * len(htm), htm + [None] * len(pdf))):
            if a != b:
                print("heading %d: pdf %r, html %r" % (i, a, b))
                break


def pdf_pages(txt_path):
    # pdftotext separates pages by form feeds; drop the footer "... page N of M"
    pages = open(txt_path, encoding="utf-8", errors="replace").read().split("\f")
    return [re.sub(r"page \d+ of \d+", " ", p) for p in pages]


def cmd_numbers(xml_path, txt_path, html_path):
    out = pdf_outline(open(xml_path, encoding="utf-8").read())
    tops = [(p, t) for lv, p, t in out if lv == 0 and t != "Cover"]
    pages = pdf_pages(txt_path)
    d = parse_html(html_path)
    bad = []
    for k, (page, title) in enumerate(tops):
        last = tops[k + 1][0] if k + 1 < len(tops) else len(pages)
        pdfnums = numbers(" ".join(pages[page - 1:last]))
        htmlnums = numbers(" ".join(d.sections[k + 1]))
        missing = sorted(htmlnums - pdfnums)
        if missing:
            bad.append("%s: %s" % (title, " ".join(missing[:8])))
    allpdf = numbers(" ".join(pages))
    allhtml = numbers(" ".join(" ".join(t) for t in d.text))
    if bad:
        print("table numbers not in the PDF's section: " + "; ".join(bad))
    elif allpdf != allhtml:
        print("numbers only in the PDF: %s; only in the HTML: %s" % (
            " ".join(sorted(allpdf - allhtml)[:10]), " ".join(sorted(allhtml - allpdf)[:10])))
    else:
        print("same numbers in %d sections (%d distinct)" % (len(tops), len(allpdf)))


def cmd_selfcontained(html_path):
    s = open(html_path, encoding="utf-8").read()
    found = []
    for pat in (r"<script", r"\bsrc\s*=", r"url\(", r"@import", r"<link", r"<iframe",
                r"<object", r"<embed", r"<img", r"\bon[a-z]+\s*="):
        if re.search(pat, s, re.I):
            found.append(pat)
    for m in re.finditer(r"\bhref\s*=\s*\"([^\"]*)\"", s, re.I):
        if not m.group(1).startswith("#"):
            found.append("href=" + m.group(1))
    print("self-contained" if not found else "found: " + " ".join(found))


def cmd_png(path):
    d = open(path, "rb").read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        print("not a PNG")
        return
    pos, idat = 8, b""
    w = h = ct = bd = 0
    while pos < len(d):
        n, t = struct.unpack(">I4s", d[pos:pos + 8])
        c = d[pos + 8:pos + 8 + n]
        pos += 12 + n
        if t == b"IHDR":
            w, h, bd, ct = struct.unpack(">IIBB", c[:10])
        elif t == b"IDAT":
            idat += c
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ct]
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    nonwhite, dark, colours, p = 0, 0, set(), 0
    for _ in range(h):
        f = raw[p]
        line = bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((a + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                pp = a + b - c
                pa, pb, pc = abs(pp - a), abs(pp - b), abs(pp - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for i in range(0, stride, bpp):
            px = bytes(line[i:i + min(bpp, 3)])
            colours.add(px)
            if px != b"\xff" * len(px):
                nonwhite += 1
            if max(px) < 128:
                dark += 1
        prev = line
    print("%d %d %d %d %d" % (w, h, nonwhite, len(colours), dark))


if __name__ == "__main__":
    cmd = {"outline": cmd_outline, "numbers": cmd_numbers,
           "selfcontained": cmd_selfcontained, "png": cmd_png}[sys.argv[1]]
    cmd(*sys.argv[2:])
