/* test_pdf.c — the libharu wrapper: fonts, measured widths, wrapping, saving. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/report.h>

#include "pdf.h"
#include "runner.h"

static struct aud_pdf *
new_pdf(void)
{
	struct aud__pdf_fonts fonts = { AUD_REPORT_FONT, AUD_REPORT_BOLD_FONT };
	struct aud_pdf *pdf = NULL;

	if (aud__pdf_new(&pdf, 595.276, 841.89, &fonts, NULL) < 0)
		return NULL;
	return pdf;
}

void
test_pdf__text_width(void)
{
	struct aud_pdf *pdf = new_pdf();

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	/* DejaVu Sans advance widths (hmtx, 2048 units/em): '0' 1303 -> 636/1000,
	 * so 10 pt gives 6.36; the title sums to 13912/1000 em -> 166.944 at 12 pt
	 * (each glyph's width truncated to 1/1000 em as PDF widths are). */
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "0"), 6.36, 1e-9);
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 12,
	    "Pr\xC3\xBC" "fbericht f\xC3\xBCr Kreditmodell"), 166.944, 1e-9);
	/* widths add (no kerning) and bold is wider */
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, "ab"),
	    aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, "a") +
	    aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, "b"), 1e-12);
	CHECK(aud__pdf_text_width(pdf, AUD__FONT_BOLD, 9, "abc") >
	    aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, "abc"));
	CHECK_DBL_EQ(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, ""), 0);
	aud__pdf_free(pdf);
}

void
test_pdf__wrap_greedy(void)
{
	const char *s = "independence / demographic parity compares selection rates; "
	    "separation / equalized odds compares error rates (FPR and FNR)";
	struct aud__line lines[16];
	struct aud_pdf *pdf = new_pdf();
	double width = 120;
	size_t n, i;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	n = aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, s, width, lines, 16);
	CHECK(n > 1 && n <= 16);
	for (i = 0; i < n && i < 16; i++) {
		/* every line fits, as libharu measures it */
		CHECK(aud__pdf_text_width_n(pdf, AUD__FONT_REGULAR, 9, s + lines[i].start,
		    lines[i].len) <= width);
		/* greedy: the next word would not have fitted */
		if (i + 1 < n) {
			size_t next_end = lines[i + 1].start;

			while (s[next_end] != ' ' && s[next_end] != '\0')
				next_end++;
			CHECK(aud__pdf_text_width_n(pdf, AUD__FONT_REGULAR, 9, s + lines[i].start,
			    next_end - lines[i].start) > width);
			/* lines end at a word and the next starts after the spaces */
			CHECK(s[lines[i].start + lines[i].len] == ' ');
			CHECK(s[lines[i + 1].start - 1] == ' ');
		}
	}
	/* the lines cover the text */
	CHECK_INT_EQ(lines[n - 1].start + lines[n - 1].len, strlen(s));
	/* counting only gives the same number */
	CHECK_INT_EQ(aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, s, width, NULL, 0), n);
	aud__pdf_free(pdf);
}

void
test_pdf__wrap_breaks_and_long_words(void)
{
	struct aud__line lines[16];
	struct aud_pdf *pdf = new_pdf();
	const char *w = "\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC";
	double uw;
	size_t n, i;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	n = aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, "a\nb\n\nc", 500, lines, 16);
	CHECK_INT_EQ(n, 4);
	CHECK_INT_EQ(lines[0].start, 0);
	CHECK_INT_EQ(lines[0].len, 1);
	CHECK_INT_EQ(lines[2].len, 0);    /* the empty line */
	CHECK_INT_EQ(lines[3].start, 5);
	CHECK_INT_EQ(aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, "", 100, lines, 16), 1);
	/* a word wider than the line is cut between UTF-8 characters: 8 x 'ü',
	 * 3 fit in a line of 3.5 widths */
	uw = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, "\xC3\xBC");
	n = aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, w, 3.5 * uw, lines, 16);
	CHECK_INT_EQ(n, 3);
	for (i = 0; i < n; i++)
		CHECK(lines[i].start % 2 == 0 && lines[i].len % 2 == 0);
	CHECK_INT_EQ(lines[0].len, 6);
	CHECK_INT_EQ(lines[2].len, 4);
	/* a line narrower than one character still advances */
	n = aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, "abc", 0.1, lines, 16);
	CHECK_INT_EQ(n, 3);
	aud__pdf_free(pdf);
}

static int
contains(const unsigned char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

static int
make(unsigned char **out, size_t *len, time_t t)
{
	struct aud__pdf_info info = { "T\xC3\xBCtel", "a", "s", "k", "c", 0 };
	struct aud_pdf *pdf = new_pdf();
	int rc;

	if (pdf == NULL)
		return -1;
	info.created = t;
	rc = aud__pdf_add_page(pdf, NULL);
	if (rc == 0)
		rc = aud__pdf_bookmark(pdf, 0, "Section \xC3\xBC", 800, NULL);
	aud__pdf_text(pdf, AUD__FONT_REGULAR, 12, 50, 700, AUD__LEFT, "Gr\xC3\xBC\xC3\x9F" "e");
	aud__pdf_rect(pdf, 50, 500, 100, 50, AUD__FILL_STROKE);
	aud__pdf_hatch(pdf, 50, 500, 100, 50, 3);
	if (rc == 0)
		rc = aud__pdf_add_page(pdf, NULL);
	if (rc == 0)
		rc = aud__pdf_bookmark(pdf, 1, "child", 800, NULL);
	if (rc == 0)
		rc = aud__pdf_finish(out, len, pdf, &info, "footer", NULL);
	aud__pdf_free(pdf);
	return rc;
}

void
test_pdf__deterministic(void)
{
	unsigned char *a = NULL, *b = NULL, *c = NULL;
	size_t na = 0, nb = 0, nc = 0;

	if (make(&a, &na, 1767225600) < 0) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	CHECK_INT_EQ(make(&b, &nb, 1767225600), 0);
	CHECK_INT_EQ(make(&c, &nc, 0), 0);
	CHECK(na > 1000);
	CHECK(memcmp(a, "%PDF-1.", 7) == 0);
	CHECK(na > 6 && memcmp(a + na - 6, "%%EOF", 5) == 0);
	CHECK_INT_EQ(na, nb);
	CHECK(na == nb && memcmp(a, b, na) == 0);
	/* the date is in the bytes: another date, other bytes */
	CHECK(na != nc || memcmp(a, c, na) != 0);
	/* no /ID (it would hash the time) and the date as given */
	CHECK(!contains(a, na, "/ID"));
	CHECK(contains(a, na, "D:20260101000000Z"));
	CHECK(contains(c, nc, "D:19700101000000Z"));
	free(a);
	free(b);
	free(c);
}

void
test_pdf__missing_font(void)
{
	struct aud__pdf_fonts fonts = { "/nonexistent/font.ttf", AUD_REPORT_BOLD_FONT };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_pdf *pdf = (struct aud_pdf *)1;

	CHECK_INT_EQ(aud__pdf_new(&pdf, 595, 842, &fonts, &err), AUD_EIO);
	CHECK(pdf == NULL);
	CHECK_STR_EQ(err.msg, "font file '/nonexistent/font.ttf' cannot be read");
}

/* A family fontconfig does not have is not replaced by another one. */
void
test_pdf__unknown_family(void)
{
	struct aud__pdf_fonts fonts = { "No Such Family 42", NULL };
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_pdf *pdf = (struct aud_pdf *)1;

	CHECK_INT_EQ(aud__pdf_new(&pdf, 595, 842, &fonts, &err), AUD_ENOTFOUND);
	CHECK(pdf == NULL);
	CHECK_STR_EQ(err.msg, "fontconfig finds no TrueType font of family 'No Such Family 42'");
}

/* A character DejaVu Sans lacks (U+4E2D) is drawn with the installed CJK
 * font: an ideograph is one em wide in every CJK font (10 points at size
 * 10), and it is no placeholder. */
void
test_pdf__fallback_font(void)
{
	struct aud_pdf *pdf = new_pdf();
	double w;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	w = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "\xE4\xB8\xAD");
	if (fabs(w - aud__pdf_mark_width(pdf, AUD__FONT_REGULAR, 10,
	    "\xE2\x9F\xA6U+4E2D\xE2\x9F\xA7")) < 1e-9) {
		aud_test_skip("no installed font has U+4E2D (install fonts-droid-fallback)");
		aud__pdf_free(pdf);
		return;
	}
	CHECK_REL(w, 10.0, 1e-12);
	/* the runs are measured each with its font: Latin, then the ideograph */
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_BOLD, 10, "ab\xE4\xB8\xAD"),
	    aud__pdf_text_width(pdf, AUD__FONT_BOLD, 10, "ab") + 10.0, 1e-12);
	CHECK_INT_EQ(aud__pdf_add_page(pdf, NULL), 0);
	aud__pdf_text(pdf, AUD__FONT_REGULAR, 10, 50, 70, AUD__RIGHT, "group \xE4\xB8\xAD");
	CHECK_INT_EQ(aud__pdf_check(pdf, NULL), 0);
	CHECK_INT_EQ(aud__pdf_marked(pdf, NULL, NULL), 0);
	aud__pdf_free(pdf);
}

/* Characters the font cannot draw faithfully are measured (and drawn) as
 * their placeholders; text longer than libharu measures at once is measured
 * in pieces. */
void
test_pdf__placeholders_and_long_text(void)
{
	struct aud_pdf *pdf = new_pdf();
	const char *first = NULL, *ph = NULL;
	double wx, w;
	char *big;
	size_t i;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	/* U+E000 is private use, which no font draws the same: it takes the
	 * width of its placeholder, drawn as the mark is (brackets U+27E6, U+27E7) */
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "\xEE\x80\x80"),
	    aud__pdf_mark_width(pdf, AUD__FONT_REGULAR, 10, "\xE2\x9F\xA6U+E000\xE2\x9F\xA7"),
	    1e-12);
	/* a Cyrillic a (U+0430), which looks like a Latin a, and a zero-width space */
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "m\xD0\xB0le"),
	    aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "m") +
	    aud__pdf_mark_width(pdf, AUD__FONT_REGULAR, 10, "\xE2\x9F\xA6U+0430\xE2\x9F\xA7") +
	    aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "le"), 1e-12);
	CHECK(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "a\xE2\x80\x8B" "b") >
	    aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "ab") + 10);
	/* the placeholder's own bracket becomes a placeholder: one-to-one */
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "\xE2\x9F\xA6"),
	    aud__pdf_mark_width(pdf, AUD__FONT_REGULAR, 10, "\xE2\x9F\xA6U+27E6\xE2\x9F\xA7"),
	    1e-12);
	/* a byte that is not UTF-8 */
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "\xFF"),
	    aud__pdf_mark_width(pdf, AUD__FONT_REGULAR, 10, "\xE2\x9F\xA6" "0xFF\xE2\x9F\xA7"),
	    1e-12);
	/* umlauts, accents, Greek and Cyrillic that look like nothing else: as they are */
	CHECK_REL(aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "\xC3\xBC\xCE\xBB\xD0\xB6"),
	    aud__pdf_mark_width(pdf, AUD__FONT_REGULAR, 10, "\xC3\xBC\xCE\xBB\xD0\xB6"), 1e-12);
	CHECK_INT_EQ(aud__pdf_marked(pdf, NULL, NULL), 0);  /* measuring draws nothing */
	/* 70,000 bytes (libharu stops at 65,535): the width of AUD__PDF_MAX_TEXT x's */
	big = malloc(70001);
	CHECK(big != NULL);
	if (big == NULL)
		goto done;
	for (i = 0; i < 70000; i++)
		big[i] = 'x';
	big[70000] = '\0';
	wx = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, "x");
	w = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 10, big);
	CHECK_REL(w, wx * AUD__PDF_MAX_TEXT, 1e-9);
	/* drawing them and a placeholder: no libharu error, one marked text */
	CHECK_INT_EQ(aud__pdf_add_page(pdf, NULL), 0);
	aud__pdf_text(pdf, AUD__FONT_REGULAR, 10, 50, 50, AUD__LEFT, big);
	CHECK_INT_EQ(aud__pdf_bookmark(pdf, 0, big, 800, NULL), 0);
	aud__pdf_text(pdf, AUD__FONT_REGULAR, 10, 50, 70, AUD__LEFT, "group \xEE\x80\x80");
	aud__pdf_text(pdf, AUD__FONT_REGULAR, 10, 50, 90, AUD__LEFT, "\xF0\x9F\x98\x80");
	CHECK_INT_EQ(aud__pdf_check(pdf, NULL), 0);
	CHECK_INT_EQ(aud__pdf_marked(pdf, &first, &ph), 2);
	CHECK_STR_EQ(first, "group \xEE\x80\x80");
	CHECK_STR_EQ(ph, "\xE2\x9F\xA6U+E000\xE2\x9F\xA7");
	free(big);
done:
	aud__pdf_free(pdf);
}
