/* test_chart_explain.c — the beeswarm layout, the colour ramp and the explanation charts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <audit/report.h>

#include "chart_explain.h"
#include "runner.h"

/* The smallest distance between two dots' centres (positions along, offsets across). */
static double
min_dist(const double *px, const double *off, size_t n)
{
	double best = INFINITY;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			double dx = px[i] - px[j], dy = off[i] - off[j];

			best = fmin(best, sqrt(dx * dx + dy * dy));
		}
	return best;
}

/* Seeded positions without rng.h: a linear congruential sequence. */
static void
positions(double *px, size_t n, double width, unsigned seed)
{
	unsigned long long s = seed;
	size_t i;

	for (i = 0; i < n; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		px[i] = width * (double)(s >> 11) / 9007199254740992.0;
	}
}

void
test_chart_explain__swarm_no_overlap_when_room(void)
{
	/* 60 dots over 300 points: about 2.6 dots per dot-width; a band of
	 * +-9.4 points holds 8 dots across, so none may overlap. */
	double px[60], off[60];
	size_t i;

	positions(px, 60, 300, 7);
	CHECK_INT_EQ(aud__swarm_layout(off, px, 60, 2.6, 9.4, NULL), 0);
	CHECK(min_dist(px, off, 60) >= 2.6 - 1e-9);
	for (i = 0; i < 60; i++)
		CHECK(fabs(off[i]) <= 9.4 + 1e-12);
}

void
test_chart_explain__swarm_same_value(void)
{
	/* seven dots at one position: 0, +1.3, -1.3, ... would overlap; the
	 * layout puts them 2.6 apart: 0, +2.6, -2.6, +5.2, -5.2, +7.8, -7.8 */
	double px[7] = { 5, 5, 5, 5, 5, 5, 5 }, off[7];
	double want[7] = { 0, 2.6, -2.6, 5.2, -5.2, 7.8, -7.8 };
	size_t i;

	CHECK_INT_EQ(aud__swarm_layout(off, px, 7, 2.6, 9.4, NULL), 0);
	for (i = 0; i < 7; i++)
		CHECK_REL(off[i], want[i], 1e-12);
}

void
test_chart_explain__swarm_crowded_stays_in_band(void)
{
	/* 500 dots on 20 points: they cannot all fit; every offset stays in the
	 * band, and dots still are never closer than the first that overlaps
	 * would need: no two dots on the same spot */
	double *px = malloc(500 * sizeof(double)), *off = malloc(500 * sizeof(double));
	size_t i;

	CHECK(px != NULL && off != NULL);
	if (px == NULL || off == NULL)
		goto done;
	positions(px, 500, 20, 11);
	CHECK_INT_EQ(aud__swarm_layout(off, px, 500, 2.6, 9.4, NULL), 0);
	for (i = 0; i < 500; i++)
		CHECK(fabs(off[i]) <= 9.4 + 1e-12);
	CHECK(min_dist(px, off, 500) > 0);
done:
	free(px);
	free(off);
}

void
test_chart_explain__swarm_deterministic(void)
{
	/* the same input gives the same offsets; input order changes nothing
	 * when positions differ (dots are placed by position) */
	double px[200], rev[200], a[200], b[200], c[200];
	size_t i;

	positions(px, 200, 150, 3);
	for (i = 0; i < 200; i++)
		rev[i] = px[199 - i];
	CHECK_INT_EQ(aud__swarm_layout(a, px, 200, 2.6, 9.4, NULL), 0);
	CHECK_INT_EQ(aud__swarm_layout(b, px, 200, 2.6, 9.4, NULL), 0);
	CHECK_INT_EQ(aud__swarm_layout(c, rev, 200, 2.6, 9.4, NULL), 0);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	for (i = 0; i < 200; i++)
		CHECK_DBL_EQ(a[i], c[199 - i]);
}

void
test_chart_explain__swarm_nan_and_empty(void)
{
	double px[3] = { NAN, 1, 1 }, off[3] = { 9, 9, 9 };

	CHECK_INT_EQ(aud__swarm_layout(off, px, 0, 2.6, 9.4, NULL), 0);
	CHECK_INT_EQ(aud__swarm_layout(off, px, 3, 2.6, 9.4, NULL), 0);
	CHECK_DBL_EQ(off[0], 0);
	CHECK_DBL_EQ(off[1], 0);
	CHECK_REL(off[2], 2.6, 1e-12);
}

void
test_chart_explain__ramp(void)
{
	/* the ends are the palette's blue and orange, the middle their mean */
	CHECK_INT_EQ(aud__ramp_rgb(0), AUD__C_BLUE);
	CHECK_INT_EQ(aud__ramp_rgb(1), AUD__C_ORANGE);
	CHECK_INT_EQ(aud__ramp_rgb(-3), AUD__C_BLUE);
	CHECK_INT_EQ(aud__ramp_rgb(7), AUD__C_ORANGE);
	/* (0x00+0xE6)/2 = 0x73, (0x72+0x9F)/2 = 0x88.5 -> 0x89, (0xB2+0x00)/2 = 0x59 */
	CHECK_INT_EQ(aud__ramp_rgb(0.5), 0x738959);
	CHECK_INT_EQ(aud__ramp_rgb(NAN), 0xB0B0B0);
}

void
test_chart_explain__draw_all(void)
{
	struct aud__pdf_fonts fonts = { AUD_REPORT_FONT, AUD_REPORT_BOLD_FONT };
	struct aud_pdf *pdf = NULL;
	struct aud_error err = AUD_ERROR_INIT;
	double phi[4] = { 0.1, -0.2, NAN, 0 }, col[4] = { 0, 1, 0.5, NAN };
	double xv[4] = { 1, 2, 3, NAN }, cat[4] = { 0, 1, 1, NAN };
	const char *cats[2] = { "east", "west" };
	struct aud__swarm_row rows[2] = { { "age", phi, col, 4 }, { "region", phi, col, 4 } };
	struct aud__dependence d = { "t", "age", xv, phi, 4, NULL, 0 };
	struct aud__wfv_step st[2] = { { "age = 37", 0.12 }, { "region = west", -0.05 } };
	struct aud__wfv_opts wo = { "row 1", 0.5, 0.5, "decision" };
	double grid[3] = { 0, 1, 2 }, ice[6] = { 0, 1, 2, 1, 1, 1 }, pdp[3] = { 0.5, 1, 1.5 };
	unsigned char *out = NULL;
	size_t len = 0;
	struct aud__pdf_info info = { "t", NULL, NULL, NULL, NULL, 0 };

	if (aud__pdf_new(&pdf, 595.276, 841.89, &fonts, NULL) < 0 ||
	    aud__pdf_add_page(pdf, NULL) < 0) {
		aud__pdf_free(pdf);
		aud_test_skip("DejaVu fonts not installed");
		return;
	}
	CHECK_INT_EQ(aud__chart_beeswarm(pdf, 50, 800, 480, "b", rows, 2, &err), 0);
	CHECK_INT_EQ(aud__chart_dependence(pdf, 50, 700, 230, 100, &d, &err), 0);
	d.x = cat;
	d.cats = cats;
	d.ncats = 2;
	CHECK_INT_EQ(aud__chart_dependence(pdf, 300, 700, 230, 100, &d, &err), 0);
	aud__chart_waterfall_values(pdf, 50, 500, 480, st, 2, &wo);
	aud__chart_ice(pdf, 50, 300, 480, 100, "ice", "x", grid, 3, ice, 2, pdp);
	CHECK_INT_EQ(aud__pdf_check(pdf, &err), 0);
	CHECK_INT_EQ(aud__pdf_finish(&out, &len, pdf, &info, "f", &err), 0);
	CHECK(len > 1000);
	/* the heights the callers reserve */
	CHECK_DBL_EQ(aud__chart_beeswarm_height(2), AUD__CHART_TITLE + 2 * AUD__SWARM_ROW +
	    AUD__CHART_AXIS + 4);
	free(out);
	aud__pdf_free(pdf);
}
