/* test_svg.c — the SVG surface behind pdf.h: each primitive as an element,
 * coordinates flipped against the page height, text placed as in the PDF. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <audit/report.h>

#include "chart.h"
#include "pdf.h"
#include "svg.h"
#include "runner.h"

static struct aud_pdf *
new_svg(void)
{
	struct aud__pdf_fonts fonts = { AUD_REPORT_FONT, AUD_REPORT_BOLD_FONT };
	struct aud_pdf *pdf = NULL;

	if (aud__pdf_new_svg(&pdf, 200, 100, &fonts, NULL) < 0)
		return NULL;
	return pdf;
}

/* what was drawn since the last take */
static char *
take(struct aud_pdf *pdf, double *top, double *bottom)
{
	static char out[4096];
	struct aud__hbuf b = AUD__HBUF_INIT;

	CHECK_INT_EQ(aud__svg_take(aud__pdf_svg(pdf), &b, top, bottom), 0);
	snprintf(out, sizeof(out), "%s", b.s != NULL ? b.s : "");
	aud__hbuf_release(&b);
	return out;
}

void
test_svg__shapes(void)
{
	struct aud_pdf *pdf = new_svg();
	unsigned dash[2] = { 3, 2 };
	double xs[3] = { 0, 10, 20 }, ys[3] = { 0, 50, 25 };
	double top, bottom;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	CHECK(aud__pdf_svg(pdf) != NULL);
	/* pages are counted, bookmarks do nothing */
	CHECK_INT_EQ(aud__pdf_add_page(pdf, NULL), 0);
	CHECK_INT_EQ(aud__pdf_page_count(pdf), 1);
	CHECK_INT_EQ(aud__pdf_bookmark(pdf, 0, "x", 10, NULL), 0);
	/* nothing drawn: an empty take, top below bottom */
	CHECK_STR_EQ(take(pdf, &top, &bottom), "");
	CHECK(top < bottom);
	/* a rectangle 30 x 40 at (10, 20) on a page 100 high: its top edge y=60
	 * is SVG y 100 - 60 = 40 */
	aud__pdf_fill_grey(pdf, 0.5);   /* 0.5 * 255 = 127.5 -> 128 = 0x80 */
	aud__pdf_rect(pdf, 10, 20, 30, 40, AUD__FILL);
	CHECK_STR_EQ(take(pdf, &top, &bottom),
	    "<rect x=\"10\" y=\"40\" width=\"30\" height=\"40\" fill=\"#808080\"/>\n");
	CHECK_REL(top, 60, 1e-12);
	CHECK_REL(bottom, 20, 1e-12);
	/* a negative height is the same rectangle drawn downwards */
	aud__pdf_rect(pdf, 10, 60, 30, -40, AUD__STROKE);
	CHECK_STR_EQ(take(pdf, &top, &bottom),
	    "<rect x=\"10\" y=\"40\" width=\"30\" height=\"40\" fill=\"none\" stroke=\"#000000\"/>\n");
	/* a dashed, coloured, wider line and a polyline */
	aud__pdf_stroke_rgb(pdf, 0xD55E00);
	aud__pdf_line_width(pdf, 1.5);
	aud__pdf_dash(pdf, dash, 2);
	aud__pdf_line(pdf, 0, 0, 200, 100);
	aud__pdf_dash(pdf, NULL, 0);
	aud__pdf_line_width(pdf, 1);
	aud__pdf_polyline(pdf, xs, ys, 3);
	CHECK_STR_EQ(take(pdf, &top, &bottom),
	    "<line x1=\"0\" y1=\"100\" x2=\"200\" y2=\"0\" stroke=\"#d55e00\" stroke-width=\"1.5\" "
	    "stroke-dasharray=\"3 2\"/>\n"
	    "<polyline fill=\"none\" points=\"0,100 10,50 20,75\" stroke=\"#d55e00\"/>\n");
	CHECK_REL(top, 100, 1e-12);
	CHECK_REL(bottom, 0, 1e-12);
	aud__pdf_free(pdf);
}

void
test_svg__hatch_and_markers(void)
{
	struct aud_pdf *pdf = new_svg();
	double top, bottom;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	/* lines of slope 1, 5 apart, in the square (0,0)-(10,10), clipped by
	 * hand: t = -5 gives (0,5)-(5,10), t = 0 (0,0)-(10,10), t = 5
	 * (5,0)-(10,5); t = -10 touches only the corner and is left out */
	aud__pdf_hatch(pdf, 0, 0, 10, 10, 5);
	CHECK_STR_EQ(take(pdf, &top, &bottom),
	    "<path fill=\"none\" stroke=\"#000000\" d=\"M0 95L5 90M0 100L10 90M5 100L10 95\"/>\n");
	/* markers of size 4 at (50, 50): a circle of radius 2, a square from
	 * (48, 48), a triangle and a cross */
	aud__pdf_fill_rgb(pdf, 0x0072B2);
	aud__pdf_marker(pdf, AUD__MARK_CIRCLE, 50, 50, 4);
	aud__pdf_marker(pdf, AUD__MARK_SQUARE, 50, 50, 4);
	aud__pdf_marker(pdf, AUD__MARK_TRIANGLE, 50, 50, 4);
	aud__pdf_marker(pdf, AUD__MARK_CROSS, 50, 50, 4);
	CHECK_STR_EQ(take(pdf, &top, &bottom),
	    "<circle cx=\"50\" cy=\"50\" r=\"2\" fill=\"#0072b2\" stroke=\"#000000\"/>\n"
	    "<rect x=\"48\" y=\"48\" width=\"4\" height=\"4\" fill=\"#0072b2\" stroke=\"#000000\"/>\n"
	    "<polygon points=\"48,52 52,52 50,48\" fill=\"#0072b2\" stroke=\"#000000\"/>\n"
	    "<path fill=\"none\" stroke=\"#000000\" d=\"M48 52L52 48M48 48L52 52\"/>\n");
	CHECK_REL(top, 52, 1e-12);
	CHECK_REL(bottom, 48, 1e-12);
	aud__pdf_free(pdf);
}

void
test_svg__text(void)
{
	struct aud_pdf *pdf = new_svg();
	double top, bottom;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	/* right-aligned at x = 100: '0' is 6.36 wide at 10 pt (DejaVu Sans,
	 * test_pdf), so it starts at 93.64; baseline y = 30 is SVG y 70 */
	aud__pdf_fill_grey(pdf, 0);
	aud__pdf_text(pdf, AUD__FONT_REGULAR, 10, 100, 30, AUD__RIGHT, "0");
	CHECK_STR_EQ(take(pdf, &top, &bottom),
	    "<text x=\"93.64\" y=\"70\" font-size=\"10\">0</text>\n");
	CHECK_REL(top, 30 + 10 * 0.95, 1e-12);
	CHECK_REL(bottom, 30 - 10 * 0.25, 1e-12);
	/* bold, coloured, escaped; a byte that is not UTF-8 is the PDF's
	 * placeholder (its brackets kept) */
	aud__pdf_fill_rgb(pdf, 0x009E73);
	aud__pdf_text(pdf, AUD__FONT_BOLD, 7.5, 10, 10, AUD__LEFT, "a<b>&\xFF");
	CHECK_STR_EQ(take(pdf, &top, &bottom),
	    "<text x=\"10\" y=\"90\" font-size=\"7.5\" font-weight=\"bold\" fill=\"#009e73\">"
	    "a&lt;b&gt;&amp;\xE2\x9F\xA6" "0xFF\xE2\x9F\xA7</text>\n");
	/* the report's own marks as they are */
	aud__pdf_text_mark(pdf, AUD__FONT_BOLD, 8, 5, 5, "\xE2\x9F\xA6#2\xE2\x9F\xA7");
	CHECK_STR_EQ(take(pdf, &top, &bottom),
	    "<text x=\"5\" y=\"95\" font-size=\"8\" font-weight=\"bold\" fill=\"#009e73\">"
	    "\xE2\x9F\xA6#2\xE2\x9F\xA7</text>\n");
	aud__pdf_free(pdf);
}

void
test_svg__pdf_has_none(void)
{
	struct aud__pdf_fonts fonts = { AUD_REPORT_FONT, AUD_REPORT_BOLD_FONT };
	struct aud_pdf *pdf = NULL;

	if (aud__pdf_new(&pdf, 200, 100, &fonts, NULL) < 0) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	CHECK(aud__pdf_svg(pdf) == NULL);
	aud__pdf_free(pdf);
}

/* A bar's own colour (aud__bar.rgb) is its fill; without one, bars are blue. */
void
test_svg__bar_colours(void)
{
	struct aud_pdf *pdf = new_svg();
	struct aud__bar bars[2] = {
		{ "worse", 0.4, NAN, NAN, 0, AUD__C_VERMILION },
		{ "rest", 0.8, NAN, NAN, 0, 0 },
	};
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	double top, bottom;
	const char *svg;

	CHECK(pdf != NULL);
	if (pdf == NULL)
		return;
	o.axis_lo = 0;
	CHECK_INT_EQ(aud__chart_hbars(pdf, 0, 95, 200, bars, 2, &o, NULL), 0);
	svg = take(pdf, &top, &bottom);
	CHECK(strstr(svg, "fill=\"#d55e00\"") != NULL);
	CHECK(strstr(svg, "fill=\"#0072b2\"") != NULL);
	aud__pdf_free(pdf);
}
