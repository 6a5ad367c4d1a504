/*
 * chart_explain.c — the explanation charts: beeswarm, dependence plots,
 * waterfalls with feature values, ICE curves. Drawn through pdf.h only.
 * See chart_explain.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_explain.h"

#define LABEL_SIZE 7.0
#define TITLE_SIZE 8.5
#define TICK_SIZE 6.5
#define GRID_GREY 0.85
#define COLOUR_BAR 46.0   /* width kept right of a beeswarm for its colour bar */

/* ---- the layout of a beeswarm row ---- */

struct pos {
	double x;
	size_t i;
};

static int
cmp_pos(const void *a, const void *b)
{
	const struct pos *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->i < q->i ? -1 : p->i > q->i;
}

int
aud__swarm_layout(double *off, const double *px, size_t n, double dot, double half,
    struct aud_error *err)
{
	struct pos *p;
	size_t m = 0, k, lo = 0, i;
	double s = dot / 2;
	long kmax = (long)floor(half / s + 1e-9), c;

	for (i = 0; i < n; i++)
		off[i] = 0;
	p = malloc((n + 1) * sizeof(*p));
	if (p == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		if (!isnan(px[i])) {
			p[m].x = px[i];
			p[m].i = i;
			m++;
		}
	qsort(p, m, sizeof(*p), cmp_pos);
	for (k = 0; k < m; k++) {
		double best = -1, best_off = 0;

		while (lo < k && p[k].x - p[lo].x >= dot)
			lo++;
		/* candidates 0, +s, -s, +2s, -2s, ... within the band */
		for (c = 0; c <= 2 * kmax; c++) {
			double o = (c % 2 == 1 ? 1.0 : -1.0) * (double)((c + 1) / 2) * s;
			double dmin = INFINITY;
			size_t j;

			for (j = lo; j < k; j++) {
				double dx = p[k].x - p[j].x, dy = o - off[p[j].i];
				double d = dx * dx + dy * dy;

				if (d < dmin)
					dmin = d;
			}
			if (dmin >= dot * dot * (1 - 1e-9)) {
				best_off = o;
				break;
			}
			if (dmin > best) {
				best = dmin;
				best_off = o;
			}
		}
		off[p[k].i] = best_off;
	}
	free(p);
	return 0;
}

/* ---- colours ---- */

unsigned
aud__ramp_rgb(double t)
{
	unsigned lo = AUD__C_BLUE, hi = AUD__C_ORANGE, out = 0;
	int sh;

	if (isnan(t))
		return 0xB0B0B0u;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	for (sh = 0; sh <= 16; sh += 8) {
		double a = (double)((lo >> sh) & 0xFFu), b = (double)((hi >> sh) & 0xFFu);
		unsigned v = (unsigned)lround(a + (b - a) * t);

		out |= (v & 0xFFu) << sh;
	}
	return out;
}

/* ---- shared pieces ---- */

/* Copy s into buf, cut with an ellipsis so that it fits `width`. */
static void
fit(struct aud_pdf *pdf, enum aud__font font, double size, const char *s, double width,
    char *buf, size_t bufsize)
{
	size_t n = strlen(s), k;

	if (n == 0 || aud__pdf_text_width(pdf, font, size, s) <= width) {
		snprintf(buf, bufsize, "%s", s);
		return;
	}
	width -= aud__pdf_text_width(pdf, font, size, "\xE2\x80\xA6");
	for (k = n < 300 ? n : 300; k > 0; k--) {
		if (((unsigned char)s[k] & 0xC0) == 0x80)
			continue;
		if (k + 4 < bufsize && aud__pdf_text_width_n(pdf, font, size, s, k) <= width)
			break;
	}
	snprintf(buf, bufsize, "%.*s\xE2\x80\xA6", (int)k, s);
}

static void
title_line(struct aud_pdf *pdf, double x, double top, double w, const char *title)
{
	char buf[256];

	if (title == NULL)
		return;
	aud__pdf_fill_grey(pdf, 0);
	fit(pdf, AUD__FONT_BOLD, TITLE_SIZE, title, w, buf, sizeof(buf));
	aud__pdf_text(pdf, AUD__FONT_BOLD, TITLE_SIZE, x, top - 9, AUD__LEFT, buf);
}

/* The x axis at y: grid lines up to grid_top, ticks, numbers, a label. */
static void
x_axis(struct aud_pdf *pdf, const struct aud__axis *ax, double x0, double x1, double y,
    double grid_top, const char *label)
{
	int nt = aud__axis_ticks(ax), dec = aud__axis_decimals(ax), i;
	char buf[64];

	aud__pdf_line_width(pdf, 0.3);
	aud__pdf_stroke_grey(pdf, GRID_GREY);
	for (i = 0; i < nt; i++) {
		double px = aud__axis_map(ax, aud__axis_tick(ax, i), x0, x1);

		aud__pdf_line(pdf, px, y, px, grid_top);
	}
	aud__pdf_stroke_grey(pdf, 0);
	aud__pdf_line_width(pdf, 0.6);
	aud__pdf_line(pdf, x0, y, x1, y);
	aud__pdf_fill_grey(pdf, 0);
	for (i = 0; i < nt; i++) {
		double v = aud__axis_tick(ax, i), px = aud__axis_map(ax, v, x0, x1);

		aud__pdf_line(pdf, px, y, px, y - 3);
		aud__fmt_num(buf, sizeof(buf), v, dec, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, px, y - 10, AUD__CENTER, buf);
	}
	if (label != NULL) {
		fit(pdf, AUD__FONT_REGULAR, TICK_SIZE, label, x1 - x0, buf, sizeof(buf));
		aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, (x0 + x1) / 2, y - 19, AUD__CENTER,
		    buf);
	}
}

/* The y axis at x: grid lines to x1, ticks and numbers left of it. */
static void
y_axis(struct aud_pdf *pdf, const struct aud__axis *ax, double x, double x1, double y0,
    double y1)
{
	int nt = aud__axis_ticks(ax), dec = aud__axis_decimals(ax), i;
	char buf[64];

	aud__pdf_line_width(pdf, 0.3);
	aud__pdf_stroke_grey(pdf, GRID_GREY);
	for (i = 0; i < nt; i++) {
		double py = aud__axis_map(ax, aud__axis_tick(ax, i), y0, y1);

		aud__pdf_line(pdf, x, py, x1, py);
	}
	aud__pdf_stroke_grey(pdf, 0);
	aud__pdf_line_width(pdf, 0.6);
	aud__pdf_line(pdf, x, y0, x, y1);
	aud__pdf_fill_grey(pdf, 0);
	for (i = 0; i < nt; i++) {
		double v = aud__axis_tick(ax, i), py = aud__axis_map(ax, v, y0, y1);

		aud__pdf_line(pdf, x - 3, py, x, py);
		aud__fmt_num(buf, sizeof(buf), v, dec, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, x - 4, py - 2.3, AUD__RIGHT, buf);
	}
}

static void
range_of(const double *v, size_t n, double *lo, double *hi)
{
	size_t i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			*lo = fmin(*lo, v[i]);
			*hi = fmax(*hi, v[i]);
		}
}

static void
dot(struct aud_pdf *pdf, unsigned rgb, double x, double y, double size)
{
	aud__pdf_fill_rgb(pdf, rgb);
	aud__pdf_stroke_rgb(pdf, rgb);
	aud__pdf_marker(pdf, AUD__MARK_CIRCLE, x, y, size);
}

/* ---- beeswarm ---- */

double
aud__chart_beeswarm_height(size_t nrows)
{
	return AUD__CHART_TITLE + (double)nrows * AUD__SWARM_ROW + AUD__CHART_AXIS + 4;
}

int
aud__chart_beeswarm(struct aud_pdf *pdf, double x, double top, double w,
    const char *title, const struct aud__swarm_row *rows, size_t nrows,
    struct aud_error *err)
{
	struct aud__axis ax;
	double lo = 0, hi = 0, lw = 50, x0, x1, ytop = top - AUD__CHART_TITLE, ybot;
	double *px = NULL, *off = NULL;
	size_t r, i, nmax = 0;
	unsigned dash[2] = { 2, 2 };
	int rc = 0;

	for (r = 0; r < nrows; r++) {
		double a, b;

		range_of(rows[r].phi, rows[r].n, &a, &b);
		if (isfinite(a)) {
			lo = fmin(lo, a);
			hi = fmax(hi, b);
		}
		lw = fmax(lw, aud__pdf_text_width(pdf, AUD__FONT_REGULAR, LABEL_SIZE,
		    rows[r].label));
		if (rows[r].n > nmax)
			nmax = rows[r].n;
	}
	lw = fmin(lw + 6, 0.3 * w);
	x0 = x + lw;
	x1 = x + w - COLOUR_BAR;
	ybot = ytop - (double)nrows * AUD__SWARM_ROW;
	aud__axis_nice(&ax, lo, hi, 7);
	title_line(pdf, x, top, w, title);
	x_axis(pdf, &ax, x0, x1, ybot, ytop,
	    "attribution (effect on the model output)");
	/* the zero line */
	aud__pdf_stroke_grey(pdf, 0.4);
	aud__pdf_line_width(pdf, 0.5);
	aud__pdf_dash(pdf, dash, 2);
	aud__pdf_line(pdf, aud__axis_map(&ax, 0, x0, x1), ybot, aud__axis_map(&ax, 0, x0, x1),
	    ytop);
	aud__pdf_dash(pdf, NULL, 0);
	px = malloc((nmax + 1) * sizeof(*px));
	off = malloc((nmax + 1) * sizeof(*off));
	if (px == NULL || off == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (r = 0; r < nrows; r++) {
		double yc = ytop - ((double)r + 0.5) * AUD__SWARM_ROW;
		char buf[256];

		aud__pdf_fill_grey(pdf, 0);
		fit(pdf, AUD__FONT_REGULAR, LABEL_SIZE, rows[r].label, lw - 6, buf, sizeof(buf));
		aud__pdf_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, x0 - 4, yc - 2.5, AUD__RIGHT,
		    buf);
		for (i = 0; i < rows[r].n; i++)
			px[i] = isfinite(rows[r].phi[i]) ?
			    aud__axis_map(&ax, rows[r].phi[i], x0, x1) : NAN;
		rc = aud__swarm_layout(off, px, rows[r].n, AUD__SWARM_DOT,
		    AUD__SWARM_ROW / 2 - AUD__SWARM_DOT, err);
		if (rc < 0)
			goto done;
		aud__pdf_line_width(pdf, 0.1);
		for (i = 0; i < rows[r].n; i++)
			if (!isnan(px[i]))
				dot(pdf, aud__ramp_rgb(rows[r].colour[i]), px[i], yc + off[i],
				    AUD__SWARM_DOT);
	}
	/* the colour bar */
	{
		double bx = x1 + 18, bw = 7, steps = 24, k;
		double by0 = ybot + 4, by1 = ytop - 8;

		for (k = 0; k < steps; k++) {
			aud__pdf_fill_rgb(pdf, aud__ramp_rgb(k / (steps - 1)));
			aud__pdf_rect(pdf, bx, by0 + (by1 - by0) * k / steps, bw,
			    (by1 - by0) / steps + 0.2, AUD__FILL);
		}
		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, bx + bw / 2, by1 + 2, AUD__CENTER,
		    "high");
		aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, bx + bw / 2, by0 - 8, AUD__CENTER,
		    "low");
		aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, x1 + 12, ybot - 19, AUD__LEFT,
		    "feature value");
	}
done:
	aud__pdf_fill_grey(pdf, 0);
	aud__pdf_stroke_grey(pdf, 0);
	free(px);
	free(off);
	return rc;
}

/* ---- dependence plots ---- */

double
aud__chart_dependence_height(double plot_h)
{
	return AUD__CHART_TITLE + plot_h + AUD__CHART_AXIS + 4;
}

int
aud__chart_dependence(struct aud_pdf *pdf, double x, double top, double w,
    double plot_h, const struct aud__dependence *d, struct aud_error *err)
{
	struct aud__axis ax, ay;
	double ylo, yhi, xlo, xhi, x0 = x + 34, x1 = x + w - 6;
	double ytop = top - AUD__CHART_TITLE, ybot = ytop - plot_h;
	double *px = NULL, *off = NULL;
	unsigned dash[2] = { 2, 2 };
	size_t i, c;
	int rc = 0;

	range_of(d->y, d->n, &ylo, &yhi);
	if (!isfinite(ylo))
		ylo = yhi = 0;
	aud__axis_nice(&ay, fmin(ylo, 0), fmax(yhi, 0), 5);
	title_line(pdf, x, top, w, d->title);
	y_axis(pdf, &ay, x0, x1, ybot, ytop);
	if (d->cats == NULL) {
		range_of(d->x, d->n, &xlo, &xhi);
		if (!isfinite(xlo))
			xlo = xhi = 0;
		aud__axis_nice(&ax, xlo, xhi, 6);
		x_axis(pdf, &ax, x0, x1, ybot, ytop, d->x_label);
	} else {
		double cw = (x1 - x0) / (double)(d->ncats > 0 ? d->ncats : 1);
		char buf[128];

		aud__pdf_stroke_grey(pdf, 0);
		aud__pdf_line_width(pdf, 0.6);
		aud__pdf_line(pdf, x0, ybot, x1, ybot);
		aud__pdf_fill_grey(pdf, 0);
		for (c = 0; c < d->ncats; c++) {
			fit(pdf, AUD__FONT_REGULAR, TICK_SIZE, d->cats[c], cw - 2, buf,
			    sizeof(buf));
			aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE,
			    x0 + cw * ((double)c + 0.5), ybot - 10, AUD__CENTER, buf);
		}
		if (d->x_label != NULL)
			aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, (x0 + x1) / 2, ybot - 19,
			    AUD__CENTER, d->x_label);
	}
	/* attribution 0 */
	aud__pdf_stroke_grey(pdf, 0.4);
	aud__pdf_line_width(pdf, 0.5);
	aud__pdf_dash(pdf, dash, 2);
	aud__pdf_line(pdf, x0, aud__axis_map(&ay, 0, ybot, ytop), x1,
	    aud__axis_map(&ay, 0, ybot, ytop));
	aud__pdf_dash(pdf, NULL, 0);
	aud__pdf_line_width(pdf, 0.1);
	if (d->cats == NULL) {
		for (i = 0; i < d->n; i++)
			if (isfinite(d->x[i]) && isfinite(d->y[i]))
				dot(pdf, AUD__C_BLUE, aud__axis_map(&ax, d->x[i], x0, x1),
				    aud__axis_map(&ay, d->y[i], ybot, ytop), AUD__SWARM_DOT);
		goto done;
	}
	/* categorical: per category a column of dots spread sideways */
	px = malloc((d->n + 1) * sizeof(*px));
	off = malloc((d->n + 1) * sizeof(*off));
	if (px == NULL || off == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	for (c = 0; c < d->ncats; c++) {
		double cw = (x1 - x0) / (double)d->ncats, xc = x0 + cw * ((double)c + 0.5);

		for (i = 0; i < d->n; i++)
			px[i] = d->x[i] == (double)c && isfinite(d->y[i]) ?
			    aud__axis_map(&ay, d->y[i], ybot, ytop) : NAN;
		rc = aud__swarm_layout(off, px, d->n, AUD__SWARM_DOT,
		    fmax(0.4 * cw, AUD__SWARM_DOT), err);
		if (rc < 0)
			goto done;
		for (i = 0; i < d->n; i++)
			if (!isnan(px[i]))
				dot(pdf, AUD__C_BLUE, xc + off[i], px[i], AUD__SWARM_DOT);
	}
done:
	aud__pdf_fill_grey(pdf, 0);
	aud__pdf_stroke_grey(pdf, 0);
	free(px);
	free(off);
	return rc;
}

/* ---- waterfalls with feature values ---- */

double
aud__chart_waterfall_values_height(size_t n)
{
	return AUD__CHART_TITLE + (double)(n + 2) * AUD__BAR_ROW + AUD__CHART_AXIS + 12;
}

void
aud__chart_waterfall_values(struct aud_pdf *pdf, double x, double top, double w,
    const struct aud__wfv_step *steps, size_t n, const struct aud__wfv_opts *o)
{
	struct aud__axis ax;
	double lo = o->base, hi = o->base, cum = o->base, lw = 60, x0, x1;
	double ytop = top - AUD__CHART_TITLE, ybot = ytop - (double)(n + 2) * AUD__BAR_ROW;
	double bh = AUD__BAR_ROW * 0.62;
	unsigned dots[2] = { 1, 2 }, dash[2] = { 4, 2 };
	char num[64], buf[256];
	size_t i;

	for (i = 0; i < n; i++) {
		cum += steps[i].delta;
		lo = fmin(lo, cum);
		hi = fmax(hi, cum);
		lw = fmax(lw, aud__pdf_text_width(pdf, AUD__FONT_REGULAR, LABEL_SIZE,
		    steps[i].label));
	}
	if (isfinite(o->threshold)) {
		lo = fmin(lo, o->threshold);
		hi = fmax(hi, o->threshold);
	}
	lw = fmin(lw + 8, 0.4 * w);
	x0 = x + lw;
	x1 = x + w - 44;
	aud__axis_nice(&ax, lo, hi, 6);
	title_line(pdf, x, top, w, o->title);
	x_axis(pdf, &ax, x0, x1, ybot, ytop, "model output");
	/* the base value */
	{
		double yc = ytop - 0.5 * AUD__BAR_ROW, pb = aud__axis_map(&ax, o->base, x0, x1);

		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_BOLD, LABEL_SIZE, x0 - 4, yc - 2.5, AUD__RIGHT,
		    "base value");
		aud__pdf_marker(pdf, AUD__MARK_DIAMOND, pb, yc, 5);
		aud__fmt_num(num, sizeof(num), o->base, 3, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, pb + 5, yc - 2.3, AUD__LEFT, num);
		aud__pdf_line_width(pdf, 0.5);
		aud__pdf_dash(pdf, dots, 2);
		aud__pdf_line(pdf, pb, ybot, pb, yc);
		aud__pdf_dash(pdf, NULL, 0);
	}
	cum = o->base;
	for (i = 0; i < n; i++) {
		double yc = ytop - ((double)i + 1.5) * AUD__BAR_ROW;
		double p0 = aud__axis_map(&ax, cum, x0, x1);
		double p1 = aud__axis_map(&ax, cum + steps[i].delta, x0, x1);
		double bx = fmin(p0, p1), bw = fmax(fabs(p1 - p0), 0.6);
		unsigned rgb = steps[i].delta >= 0 ? AUD__C_ORANGE : AUD__C_BLUE;

		aud__pdf_fill_grey(pdf, 0);
		fit(pdf, AUD__FONT_REGULAR, LABEL_SIZE, steps[i].label, lw - 8, buf, sizeof(buf));
		aud__pdf_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, x0 - 4, yc - 2.5, AUD__RIGHT,
		    buf);
		aud__pdf_fill_rgb(pdf, rgb);
		aud__pdf_stroke_rgb(pdf, rgb);
		aud__pdf_line_width(pdf, 0.4);
		aud__pdf_rect(pdf, bx, yc - bh / 2, bw, bh, AUD__FILL_STROKE);
		/* a connector to the next row */
		aud__pdf_stroke_grey(pdf, 0.3);
		aud__pdf_line_width(pdf, 0.3);
		aud__pdf_line(pdf, p1, yc - bh / 2, p1, yc - AUD__BAR_ROW + bh / 2);
		aud__fmt_num(num, sizeof(num), steps[i].delta, 3, 1);
		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, fmax(p0, p1) + 2.5, yc - 2.3,
		    AUD__LEFT, num);
		cum += steps[i].delta;
	}
	/* the output */
	{
		double yc = ytop - ((double)n + 1.5) * AUD__BAR_ROW;
		double pf = aud__axis_map(&ax, cum, x0, x1);

		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_stroke_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_BOLD, LABEL_SIZE, x0 - 4, yc - 2.5, AUD__RIGHT,
		    "output");
		aud__pdf_line_width(pdf, 0.5);
		aud__pdf_marker(pdf, AUD__MARK_DIAMOND, pf, yc, 6);
		aud__fmt_num(num, sizeof(num), cum, 3, 0);
		aud__pdf_text(pdf, AUD__FONT_BOLD, TICK_SIZE, pf + 5, yc - 2.3, AUD__LEFT, num);
	}
	if (isfinite(o->threshold)) {
		double pt = aud__axis_map(&ax, o->threshold, x0, x1);

		aud__pdf_stroke_grey(pdf, 0);
		aud__pdf_line_width(pdf, 0.8);
		aud__pdf_dash(pdf, dash, 2);
		aud__pdf_line(pdf, pt, ybot, pt, ytop);
		aud__pdf_dash(pdf, NULL, 0);
	}
	if (o->note != NULL) {
		fit(pdf, AUD__FONT_REGULAR, LABEL_SIZE, o->note, w, buf, sizeof(buf));
		aud__pdf_fill_grey(pdf, 0);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, LABEL_SIZE, x, ybot - AUD__CHART_AXIS - 4,
		    AUD__LEFT, buf);
	}
	aud__pdf_line_width(pdf, 0.5);
}

/* ---- ICE curves ---- */

double
aud__chart_ice_height(double plot_h)
{
	return AUD__CHART_TITLE + plot_h + AUD__CHART_AXIS + 12;
}

void
aud__chart_ice(struct aud_pdf *pdf, double x, double top, double w, double plot_h,
    const char *title, const char *x_label, const double *grid, size_t G,
    const double *ice, size_t m, const double *pdp)
{
	struct aud__axis ax, ay;
	double lo, hi, a, b, x0 = x + 34, x1 = x + w - 6;
	double ytop = top - AUD__CHART_TITLE, ybot = ytop - plot_h;
	double xs[256], ys[256];
	size_t i, k;

	if (G > 256)
		G = 256;
	range_of(pdp, G, &lo, &hi);
	range_of(ice, m * G, &a, &b);
	lo = fmin(lo, a);
	hi = fmax(hi, b);
	if (!isfinite(lo))
		lo = hi = 0;
	aud__axis_nice(&ay, lo, hi, 5);
	range_of(grid, G, &a, &b);
	aud__axis_nice(&ax, a, b, 6);
	title_line(pdf, x, top, w, title);
	y_axis(pdf, &ay, x0, x1, ybot, ytop);
	x_axis(pdf, &ax, x0, x1, ybot, ytop, x_label);
	for (k = 0; k < G; k++)
		xs[k] = aud__axis_map(&ax, grid[k], x0, x1);
	aud__pdf_stroke_rgb(pdf, AUD__C_SKY);
	aud__pdf_line_width(pdf, 0.35);
	for (i = 0; i < m; i++) {
		for (k = 0; k < G; k++)
			ys[k] = aud__axis_map(&ay, ice[i * G + k], ybot, ytop);
		aud__pdf_polyline(pdf, xs, ys, G);
	}
	aud__pdf_stroke_grey(pdf, 0);
	aud__pdf_line_width(pdf, 1.8);
	for (k = 0; k < G; k++)
		ys[k] = aud__axis_map(&ay, pdp[k], ybot, ytop);
	aud__pdf_polyline(pdf, xs, ys, G);
	aud__pdf_line_width(pdf, 0.5);
	aud__pdf_fill_grey(pdf, 0);
	aud__pdf_text(pdf, AUD__FONT_REGULAR, TICK_SIZE, x, ybot - AUD__CHART_AXIS - 6, AUD__LEFT,
	    "thin light lines: each row's output as the feature moves (ICE); thick black line: "
	    "their mean (partial dependence)");
}
