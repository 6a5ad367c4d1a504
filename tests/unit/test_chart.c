/* test_chart.c — axis arithmetic, number formatting and chart layout primitives. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/report.h>

#include "chart.h"
#include "runner.h"

void
test_chart__axis_unit_interval(void)
{
	struct aud__axis ax;

	aud__axis_nice(&ax, 0, 1, 6);
	CHECK_DBL_EQ(ax.lo, 0);
	CHECK_DBL_EQ(ax.hi, 1);
	CHECK_REL(ax.step, 0.2, 1e-15);
	CHECK_INT_EQ(aud__axis_ticks(&ax), 6);
	CHECK_DBL_EQ(aud__axis_tick(&ax, 3), 0.6);  /* rounded, not 0.6000000000000001 */
	CHECK_INT_EQ(aud__axis_decimals(&ax), 1);
}

void
test_chart__axis_rounds_out(void)
{
	struct aud__axis ax;

	/* 0.013..0.087: range 0.074 -> nice 0.1, step 0.02, covering [0, 0.1] */
	aud__axis_nice(&ax, 0.013, 0.087, 6);
	CHECK_DBL_EQ(ax.lo, 0);
	CHECK_REL(ax.hi, 0.1, 1e-12);
	CHECK_REL(ax.step, 0.02, 1e-12);
	CHECK_INT_EQ(aud__axis_decimals(&ax), 2);
	CHECK(aud__axis_ticks(&ax) <= 6);
	/* a negative range: -0.11..0.12 -> step 0.05, -0.15..0.15 */
	aud__axis_nice(&ax, -0.11, 0.12, 6);
	CHECK_REL(ax.step, 0.1, 1e-12);
	CHECK_REL(ax.lo, -0.2, 1e-12);
	CHECK_REL(ax.hi, 0.2, 1e-12);
	CHECK_DBL_EQ(aud__axis_tick(&ax, 2), 0);  /* no -0 */
	CHECK(!signbit(aud__axis_tick(&ax, 2)));
	/* large values: 0..3760 -> step 1000 */
	aud__axis_nice(&ax, 0, 3760, 6);
	CHECK_DBL_EQ(ax.step, 1000);
	CHECK_DBL_EQ(ax.hi, 4000);
	CHECK_INT_EQ(aud__axis_decimals(&ax), 0);
}

void
test_chart__axis_tick_bound(void)
{
	static const double his[] = { 0.3, 0.7, 1.3, 7.7, 13, 99, 101, 0.051, 2.5e-4 };
	size_t i;
	int m;

	for (m = 2; m <= 10; m++) {
		for (i = 0; i < sizeof(his) / sizeof(his[0]); i++) {
			struct aud__axis ax;

			aud__axis_nice(&ax, 0, his[i], m);
			CHECK(aud__axis_ticks(&ax) <= m);
			CHECK(ax.lo <= 0 && ax.hi >= his[i]);
			/* a step of 1, 2 or 5 times a power of ten */
			{
				double e = floor(log10(ax.step) + 1e-9);
				double f = ax.step / pow(10, e);

				CHECK(fabs(f - 1) < 1e-9 || fabs(f - 2) < 1e-9 || fabs(f - 5) < 1e-9);
			}
		}
	}
}

void
test_chart__axis_degenerate(void)
{
	struct aud__axis ax;

	aud__axis_nice(&ax, 3, 3, 6);        /* empty range widened around 3 */
	CHECK(ax.lo <= 3 && ax.hi > 3);
	aud__axis_nice(&ax, 0, 0, 6);
	CHECK_DBL_EQ(ax.lo, 0);
	CHECK_DBL_EQ(ax.hi, 1);
	aud__axis_nice(&ax, NAN, 1, 6);      /* non-finite: [0, 1] */
	CHECK_DBL_EQ(ax.lo, 0);
	CHECK_DBL_EQ(ax.hi, 1);
	aud__axis_nice(&ax, 1, 0, 6);        /* inverted */
	CHECK_DBL_EQ(ax.lo, 0);
	CHECK_DBL_EQ(ax.hi, 1);
	aud__axis_nice(&ax, -1e308, 1e308, 6);  /* the range overflows: [0, 1] */
	CHECK_DBL_EQ(ax.lo, 0);
	CHECK_DBL_EQ(ax.hi, 1);
	CHECK_INT_EQ(aud__axis_ticks(&ax), 6);
	aud__axis_nice(&ax, 0, 1e300, 6);       /* huge but finite */
	CHECK(isfinite(ax.hi) && ax.hi >= 1e300 && aud__axis_ticks(&ax) <= 6);
	ax.lo = 0;                               /* a step far below the range: bounded */
	ax.hi = 1;
	ax.step = 1e-9;
	CHECK_INT_EQ(aud__axis_ticks(&ax), 100);
}

void
test_chart__axis_map(void)
{
	struct aud__axis ax = { 0.5, 1.5, 0.25 };

	CHECK_DBL_EQ(aud__axis_map(&ax, 0.5, 100, 300), 100);
	CHECK_DBL_EQ(aud__axis_map(&ax, 1.5, 100, 300), 300);
	CHECK_DBL_EQ(aud__axis_map(&ax, 0.8, 100, 300), 160);
	CHECK_DBL_EQ(aud__axis_map(&ax, 1.0, 300, 100), 200);  /* reversed */
}

void
test_chart__fmt_num(void)
{
	char b[64];

	aud__fmt_num(b, sizeof(b), 0.58123, 3, 0);
	CHECK_STR_EQ(b, "0.581");
	aud__fmt_num(b, sizeof(b), -0.0504, 3, 1);
	CHECK_STR_EQ(b, "\xE2\x88\x92" "0.050");       /* U+2212 minus */
	aud__fmt_num(b, sizeof(b), 0.12, 2, 1);
	CHECK_STR_EQ(b, "+0.12");
	aud__fmt_num(b, sizeof(b), -0.0004, 3, 1);     /* rounds to zero: no sign */
	CHECK_STR_EQ(b, "+0.000");
	aud__fmt_num(b, sizeof(b), NAN, 3, 0);
	CHECK_STR_EQ(b, "undefined");
}

void
test_chart__hbars_axis(void)
{
	struct aud__bar bars[2] = {
		{ "a", 0.6, 0.55, 0.66, 0, 0 },
		{ "b", 1.4, 1.3, 1.62, 0, 0 },
	};
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	struct aud__axis ax;

	aud__chart_hbars_axis(&ax, bars, 2, &o);     /* 0 .. 1.62 -> 0 .. 2 */
	CHECK_DBL_EQ(ax.lo, 0);
	CHECK_REL(ax.hi, 2, 1e-12);
	o.axis_lo = 0;
	o.axis_hi = 1;                               /* fixed limits win */
	aud__chart_hbars_axis(&ax, bars, 2, &o);
	CHECK_DBL_EQ(ax.hi, 1);
	o.axis_hi = NAN;
	o.band_lo = 0.8;
	o.band_hi = 2.25;                            /* the band is shown whole */
	aud__chart_hbars_axis(&ax, bars, 1, &o);
	CHECK(ax.hi >= 2.25);
	/* undefined values are ignored */
	bars[0].value = NAN;
	bars[0].lo = bars[0].hi = NAN;
	o = (struct aud__hbar_opts)AUD__HBAR_OPTS_INIT;
	aud__chart_hbars_axis(&ax, bars, 1, &o);
	CHECK_DBL_EQ(ax.lo, 0);
	CHECK_DBL_EQ(ax.hi, 1);
}

void
test_chart__heights(void)
{
	CHECK_DBL_EQ(aud__chart_hbars_height(0), AUD__CHART_TITLE + AUD__CHART_AXIS);
	CHECK_DBL_EQ(aud__chart_hbars_height(5), AUD__CHART_TITLE + 5 * AUD__BAR_ROW +
	    AUD__CHART_AXIS);
	CHECK_DBL_EQ(aud__chart_waterfall_height(3), aud__chart_hbars_height(5));
}

static struct aud_pdf *
new_pdf(void)
{
	struct aud__pdf_fonts fonts = { AUD_REPORT_FONT, AUD_REPORT_BOLD_FONT };
	struct aud_pdf *pdf = NULL;

	if (aud__pdf_new(&pdf, 595.276, 841.89, &fonts, NULL) < 0)
		return NULL;
	if (aud__pdf_add_page(pdf, NULL) < 0) {
		aud__pdf_free(pdf);
		return NULL;
	}
	return pdf;
}

void
test_chart__label_width(void)
{
	struct aud__bar bars[3] = {
		{ "A", 0.5, NAN, NAN, 0, 0 },
		{ "female & C *", 0.5, NAN, NAN, 1, 0 },
		{ "B", 0.5, NAN, NAN, 0, 0 },
	};
	struct aud__bar longbar = { "a very long group name that cannot fit in forty percent",
		0.5, NAN, NAN, 0, 0 };
	struct aud_pdf *pdf = new_pdf();
	double want;

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	/* the widest label, as libharu measures it at 7 pt, plus 6 pt */
	want = aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 7, "female & C *") + 6;
	CHECK_REL(aud__chart_label_width(pdf, bars, 3, 500), want, 1e-12);
	/* capped at 40% of the chart */
	CHECK_DBL_EQ(aud__chart_label_width(pdf, &longbar, 1, 100), 40);
	aud__pdf_free(pdf);
}

void
test_chart__draw_all(void)
{
	struct aud__bar bars[2] = {
		{ "A", 0.6, 0.55, 0.66, 0, 0 },
		{ "B", NAN, NAN, NAN, 1, 0 },
	};
	double xs[3] = { 0.1, 0.2, 0.4 }, ys[3] = { 0.01, NAN, 0.05 };
	struct aud__series s[2] = { { "overall", xs, ys, 3 }, { "g", xs, ys, 2 } };
	struct aud__wf_step st[2] = { { "income", 0.12 }, { "debt", -0.05 } };
	struct aud__hbar_opts o = AUD__HBAR_OPTS_INIT;
	struct aud__line_opts lo = AUD__LINE_OPTS_INIT;
	struct aud_error err = AUD_ERROR_INIT;
	struct aud_pdf *pdf = new_pdf();

	if (pdf == NULL) {
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	o.title = "t";
	o.band_lo = 0.8;
	o.band_hi = 1.25;
	o.ref = 1;
	CHECK_INT_EQ(aud__chart_hbars(pdf, 50, 800, 400, bars, 2, &o, &err), 0);
	lo.title = "lines";
	CHECK_INT_EQ(aud__chart_lines(pdf, 50, 600, 400, 100, s, 2, &lo, &err), 0);
	CHECK_INT_EQ(aud__chart_waterfall(pdf, 50, 300, 400, "w", 0.6, st, 2, &err), 0);
	CHECK_INT_EQ(aud__pdf_check(pdf, &err), 0);
	/* the legend of two short names fits one row */
	CHECK_DBL_EQ(aud__chart_legend_height(pdf, s, 2, 400), 11.0);
	CHECK_DBL_EQ(aud__chart_legend_height(pdf, s, 2, 40), 22.0);
	aud__pdf_free(pdf);
}

/* 1 when [a0, a1] and [b0, b1] (either order) overlap. */
static int
overlaps(double a0, double a1, double b0, double b1)
{
	return fmax(a0, a1) > fmin(b0, b1) && fmax(b0, b1) > fmin(a0, a1);
}

/*
 * Value labels never sit on their bar or whisker: in each hard case the
 * label's box [x, x + tw] is checked against the bar's extent and the
 * whisker's extent, and against the plot's left edge (the row labels).
 */
void
test_chart__value_label_clear_of_bar_and_whisker(void)
{
	/* p_org, p_end, w0, w1, tw, plot_x0; the expected x by hand */
	static const struct { double p0, p1, w0, w1, tw, px0, want; } c[] = {
		/* bar to the right, whisker past its end: right of the whisker */
		{ 100, 200, 180, 260, 18, 100, 262.5 },
		/* whisker inside the bar: right of the bar's end */
		{ 100, 200, 150, 190, 18, 100, 202.5 },
		/* whisker given high to low */
		{ 100, 200, 260, 180, 18, 100, 262.5 },
		/* a ratio bar to the left of parity (300) with its whisker below
		 * the end: left of the whisker's low end, 240 - 2.5 - 18 */
		{ 300, 250, 240, 320, 18, 100, 219.5 },
		/* the same near the row labels (plot starts at 230): no room on the
		 * left, so right of parity and of the whisker's high end */
		{ 300, 250, 240, 320, 18, 230, 322.5 },
		/* no whisker, bar to the left */
		{ 300, 250, NAN, NAN, 18, 100, 229.5 },
		/* a zero-length bar (the reference group, ratio 1): right of it */
		{ 300, 300, NAN, NAN, 18, 100, 302.5 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		double x = aud__chart_value_label_x(c[i].p0, c[i].p1, c[i].w0, c[i].w1, c[i].tw,
		    c[i].px0);

		CHECK_REL(x, c[i].want, 1e-12);
		CHECK(!overlaps(x, x + c[i].tw, c[i].p0, c[i].p1));
		if (isfinite(c[i].w0))
			CHECK(!overlaps(x, x + c[i].tw, c[i].w0, c[i].w1));
		CHECK(x >= c[i].px0);
		/* the gap is kept on the side the label went */
		CHECK(x >= fmax(c[i].p0, c[i].p1) + AUD__LABEL_GAP - 1e-9 ||
		    x + c[i].tw <= fmin(c[i].p0, c[i].p1) - AUD__LABEL_GAP + 1e-9);
	}
}

/* Labels of neighbouring rows cannot collide: rows are AUD__BAR_ROW apart and
 * the label text is 6.5 pt, and the whiskers are 6 pt high (±3). */
void
test_chart__rows_leave_room_for_labels(void)
{
	CHECK(AUD__BAR_ROW > 6.5 + 1);
	CHECK(AUD__BAR_ROW / 2 > 3);
}

void
test_chart__empty_charts(void)
{
	struct aud__bar b[3] = {
		{ "a", NAN, NAN, NAN, 0, 0 }, { "b", NAN, NAN, NAN, 0, 0 }, { "c", NAN, NAN, NAN, 1, 0 },
	};

	CHECK_INT_EQ(aud__chart_hbars_empty(b, 3), 1);   /* all undefined */
	CHECK_INT_EQ(aud__chart_hbars_empty(b, 0), 1);   /* no bars */
	b[0].value = 0;
	b[1].value = 0;
	CHECK_INT_EQ(aud__chart_hbars_empty(b, 3), 1);   /* zero or undefined */
	b[1].hi = 0.2;                                  /* a zero rate, interval up to 0.2 */
	b[1].lo = 0;
	CHECK_INT_EQ(aud__chart_hbars_empty(b, 3), 1);  /* still nothing but whiskers */
	b[1].hi = NAN;
	b[2].value = 0.01;
	CHECK_INT_EQ(aud__chart_hbars_empty(b, 3), 0);
}

void
test_chart__series_colours_differ(void)
{
	size_t i, j;

	/* seven series, seven colours; none is the yellow, too light on white */
	for (i = 0; i < 7; i++) {
		CHECK(aud__chart_series_rgb(i) != AUD__C_YELLOW);
		for (j = 0; j < i; j++)
			CHECK(aud__chart_series_rgb(i) != aud__chart_series_rgb(j));
	}
	CHECK_INT_EQ(aud__chart_series_rgb(7), aud__chart_series_rgb(0));
}
