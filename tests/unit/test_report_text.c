/* test_report_text.c — how the report's text wraps: identifiers break at an
 * underscore (or dot, slash, hyphen), not in the middle of a word. */
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
test_report_text__identifier_breaks_at_underscore(void)
{
	const char *id = "demographic_parity_difference";
	struct aud__line lines[8];
	struct aud_pdf *pdf = new_pdf();
	double w;
	size_t n;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	/* room for "demographic_parity_differe" but not the whole word: the
	 * line ends after the second underscore */
	w = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, "demographic_parity_differe") + 0.01;
	n = aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, id, w, lines, 8);
	CHECK_INT_EQ(n, 2);
	CHECK_INT_EQ(lines[0].len, strlen("demographic_parity_"));
	CHECK_INT_EQ(lines[1].start, strlen("demographic_parity_"));
	CHECK_INT_EQ(lines[1].len, strlen("difference"));
	/* a dotted path: "params.background_rows_total" in a narrow cell */
	w = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, "params.backgrou") + 0.01;
	n = aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, "params.background_rows_total", w, lines, 8);
	CHECK(n >= 2);
	CHECK_INT_EQ(lines[0].len, strlen("params."));
	/* no break character that fits: cut between characters, as before */
	w = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 9, "abcde") + 0.01;
	n = aud__pdf_wrap(pdf, AUD__FONT_REGULAR, 9, "abcdefghij", w, lines, 8);
	CHECK_INT_EQ(n, 2);
	CHECK_INT_EQ(lines[0].len, 5);
	aud__pdf_free(pdf);
}
