/*
 * chart_fair.c — the fairness grid (Aequitas style): groups by metrics, each
 * cell the group's ratio to the reference, tinted bluish green within the
 * band and vermillion outside it, hatched when the group is small. Drawn
 * through pdf.h only. See chart.h.
 */
#include <math.h>
#include <stdio.h>

#include "chart.h"

#define GRID_HEAD 12.0
#define GRID_ROW 13.0
#define GRID_NOTE 12.0
#define GRID_TEXT 6.5

double
aud__chart_grid_height(size_t nrows)
{
	return AUD__CHART_TITLE + GRID_HEAD + (double)nrows * GRID_ROW + GRID_NOTE;
}

/* rgb mixed with white: t = 1 keeps the colour, 0 gives white. */
unsigned
aud__chart_tint(unsigned rgb, double t)
{
	unsigned out = 0;
	int shift;

	for (shift = 16; shift >= 0; shift -= 8) {
		double ch = (double)((rgb >> shift) & 0xFFu);
		long v = lround(255.0 - (255.0 - ch) * t);

		out |= (unsigned)(v < 0 ? 0 : v > 255 ? 255 : v) << shift;
	}
	return out;
}

int
aud__grid_cell_fails(double ratio, double band_lo, double band_hi)
{
	if (isnan(ratio))
		return -1;
	return ratio < band_lo || ratio > band_hi;
}

int
aud__chart_grid(struct aud_pdf *pdf, double x, double top, double w,
    const struct aud__grid *g, struct aud_error *err)
{
	double lw = 0, cw, ytop = top - AUD__CHART_TITLE, y;
	char buf[64];
	size_t i, j;

	for (i = 0; i < g->nrows; i++) {
		double t = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 7.0, g->rows[i]);

		if (t > lw)
			lw = t;
	}
	lw = fmin(lw + 8, 0.3 * w);
	cw = (w - lw) / (double)(g->ncols ? g->ncols : 1);
	aud__pdf_fill_grey(pdf, 0);
	if (g->title != NULL)
		aud__pdf_text(pdf, AUD__FONT_BOLD, 8.5, x, top - 9, AUD__LEFT, g->title);
	for (j = 0; j < g->ncols; j++)
		aud__pdf_text(pdf, AUD__FONT_BOLD, GRID_TEXT, x + lw + ((double)j + 0.5) * cw,
		    ytop - 8.5, AUD__CENTER, g->cols[j]);
	y = ytop - GRID_HEAD;
	aud__pdf_fill_grey(pdf, 0);
	aud__chart_row_labels(pdf, g->rows, g->nrows, lw - 6, x + lw - 4, y, GRID_ROW, 4);
	for (i = 0; i < g->nrows; i++) {
		double yb = y - (double)(i + 1) * GRID_ROW;

		for (j = 0; j < g->ncols; j++) {
			double v = g->ratio[i * g->ncols + j];
			double cx = x + lw + (double)j * cw;
			int fails = aud__grid_cell_fails(v, g->band_lo, g->band_hi);

			if (fails < 0)
				aud__pdf_fill_grey(pdf, 1);
			else
				aud__pdf_fill_rgb(pdf, aud__chart_tint(fails ? AUD__C_VERMILION :
				    AUD__C_GREEN, 0.45));
			aud__pdf_stroke_grey(pdf, 1);
			aud__pdf_line_width(pdf, 1);
			aud__pdf_rect(pdf, cx, yb, cw, GRID_ROW, AUD__FILL_STROKE);
			if (g->small != NULL && g->small[i]) {
				aud__pdf_stroke_grey(pdf, 0.45);
				aud__pdf_line_width(pdf, 0.3);
				aud__pdf_hatch(pdf, cx + 0.5, yb + 0.5, cw - 1, GRID_ROW - 1, 3);
			}
			if (fails < 0)
				snprintf(buf, sizeof(buf), "\xE2\x80\x94");  /* — undefined */
			else
				aud__fmt_num(buf, sizeof(buf), v, 2, 0);
			aud__pdf_fill_grey(pdf, fails < 0 ? 0.4 : 0);
			aud__pdf_text(pdf, fails == 1 ? AUD__FONT_BOLD : AUD__FONT_REGULAR, GRID_TEXT,
			    cx + cw / 2, yb + 4, AUD__CENTER, buf);
		}
	}
	aud__pdf_fill_grey(pdf, 0);
	if (g->note != NULL)
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 6.5, x,
		    y - (double)g->nrows * GRID_ROW - 9, AUD__LEFT, g->note);
	aud__pdf_stroke_grey(pdf, 0);
	aud__pdf_line_width(pdf, 1);
	return aud__pdf_check(pdf, err);
}
