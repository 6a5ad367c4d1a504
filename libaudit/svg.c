/*
 * svg.c — pdf.h's drawing primitives as SVG elements. See svg.h.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

struct aud__svg {
	double page_h;
	unsigned fill, stroke;
	double lw;
	unsigned dash[8];
	unsigned ndash;
	struct aud__hbuf el;     /* elements since the last take */
	double top, bottom;      /* their extent (page y) */
};

struct aud__svg *
aud__svg_new(double height)
{
	struct aud__svg *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->page_h = height;
	s->lw = 1;
	s->top = -INFINITY;
	s->bottom = INFINITY;
	return s;
}

void
aud__svg_free(struct aud__svg *s)
{
	if (s == NULL)
		return;
	aud__hbuf_release(&s->el);
	free(s);
}

void
aud__svg_fill(struct aud__svg *s, unsigned rgb)
{
	s->fill = rgb & 0xFFFFFFu;
}

void
aud__svg_stroke(struct aud__svg *s, unsigned rgb)
{
	s->stroke = rgb & 0xFFFFFFu;
}

void
aud__svg_line_width(struct aud__svg *s, double w)
{
	s->lw = w;
}

void
aud__svg_dash(struct aud__svg *s, const unsigned *pattern, unsigned n)
{
	assert(n <= 8);
	if (n > 0)  /* a solid line comes as (NULL, 0): memcpy must not see NULL */
		memcpy(s->dash, pattern, n * sizeof(*pattern));
	s->ndash = n;
}

static void
extent(struct aud__svg *s, double ylo, double yhi)
{
	if (yhi > s->top)
		s->top = yhi;
	if (ylo < s->bottom)
		s->bottom = ylo;
}

static void
x_attr(struct aud__svg *s, const char *name, double x)
{
	aud__hbuf_printf(&s->el, " %s=\"", name);
	aud__hbuf_num(&s->el, x);
	aud__hbuf_puts(&s->el, "\"");
}

static void
y_attr(struct aud__svg *s, const char *name, double y)
{
	x_attr(s, name, s->page_h - y);
}

static void
stroke_attrs(struct aud__svg *s)
{
	unsigned i;

	aud__hbuf_printf(&s->el, " stroke=\"#%06x\"", s->stroke);
	if (s->lw != 1)
		x_attr(s, "stroke-width", s->lw);
	if (s->ndash > 0) {
		aud__hbuf_puts(&s->el, " stroke-dasharray=\"");
		for (i = 0; i < s->ndash; i++)
			aud__hbuf_printf(&s->el, "%s%u", i ? " " : "", s->dash[i]);
		aud__hbuf_puts(&s->el, "\"");
	}
}

void
aud__svg_line(struct aud__svg *s, double x0, double y0, double x1, double y1)
{
	aud__hbuf_puts(&s->el, "<line");
	x_attr(s, "x1", x0);
	y_attr(s, "y1", y0);
	x_attr(s, "x2", x1);
	y_attr(s, "y2", y1);
	stroke_attrs(s);
	aud__hbuf_puts(&s->el, "/>\n");
	extent(s, fmin(y0, y1), fmax(y0, y1));
}

static void
points(struct aud__svg *s, const double *xs, const double *ys, size_t n)
{
	size_t i;

	aud__hbuf_puts(&s->el, " points=\"");
	for (i = 0; i < n; i++) {
		if (i > 0)
			aud__hbuf_puts(&s->el, " ");
		aud__hbuf_num(&s->el, xs[i]);
		aud__hbuf_puts(&s->el, ",");
		aud__hbuf_num(&s->el, s->page_h - ys[i]);
		extent(s, ys[i], ys[i]);
	}
	aud__hbuf_puts(&s->el, "\"");
}

void
aud__svg_polyline(struct aud__svg *s, const double *xs, const double *ys, size_t n)
{
	if (n < 2)
		return;
	aud__hbuf_puts(&s->el, "<polyline fill=\"none\"");
	points(s, xs, ys, n);
	stroke_attrs(s);
	aud__hbuf_puts(&s->el, "/>\n");
}

static void
paint_attrs(struct aud__svg *s, enum aud__paint paint)
{
	if (paint & AUD__FILL)
		aud__hbuf_printf(&s->el, " fill=\"#%06x\"", s->fill);
	else
		aud__hbuf_puts(&s->el, " fill=\"none\"");
	if (paint & AUD__STROKE)
		stroke_attrs(s);
}

void
aud__svg_rect(struct aud__svg *s, double x, double y, double w, double h,
    enum aud__paint paint)
{
	/* PDF allows negative sizes; SVG does not */
	if (w < 0) {
		x += w;
		w = -w;
	}
	if (h < 0) {
		y += h;
		h = -h;
	}
	aud__hbuf_puts(&s->el, "<rect");
	x_attr(s, "x", x);
	y_attr(s, "y", y + h);
	x_attr(s, "width", w);
	x_attr(s, "height", h);
	paint_attrs(s, paint);
	aud__hbuf_puts(&s->el, "/>\n");
	extent(s, y, y + h);
}

void
aud__svg_hatch(struct aud__svg *s, double x, double y, double w, double h,
    double spacing)
{
	double t;

	if (w <= 0 || h <= 0 || spacing <= 0)
		return;
	/* the lines of slope 1 of pdf.c, clipped to the rectangle here */
	aud__hbuf_puts(&s->el, "<path fill=\"none\"");
	stroke_attrs(s);
	aud__hbuf_puts(&s->el, " d=\"");
	for (t = -h; t < w; t += spacing) {
		double xa = x + t, ya = y, xb = x + t + h, yb = y + h;

		if (xa < x) {
			ya += x - xa;
			xa = x;
		}
		if (xb > x + w) {
			yb -= xb - (x + w);
			xb = x + w;
		}
		if (xb <= xa)
			continue;
		aud__hbuf_puts(&s->el, "M");
		aud__hbuf_num(&s->el, xa);
		aud__hbuf_puts(&s->el, " ");
		aud__hbuf_num(&s->el, s->page_h - ya);
		aud__hbuf_puts(&s->el, "L");
		aud__hbuf_num(&s->el, xb);
		aud__hbuf_puts(&s->el, " ");
		aud__hbuf_num(&s->el, s->page_h - yb);
	}
	aud__hbuf_puts(&s->el, "\"/>\n");
	extent(s, y, y + h);
}

void
aud__svg_marker(struct aud__svg *s, enum aud__marker m, double x, double y,
    double size)
{
	double r = size / 2;
	double xs[4], ys[4];

	switch (m) {
	case AUD__MARK_CIRCLE:
		aud__hbuf_puts(&s->el, "<circle");
		x_attr(s, "cx", x);
		y_attr(s, "cy", y);
		x_attr(s, "r", r);
		paint_attrs(s, AUD__FILL_STROKE);
		aud__hbuf_puts(&s->el, "/>\n");
		break;
	case AUD__MARK_SQUARE:
		aud__svg_rect(s, x - r, y - r, 2 * r, 2 * r, AUD__FILL_STROKE);
		break;
	case AUD__MARK_TRIANGLE:
	case AUD__MARK_DIAMOND:
		if (m == AUD__MARK_TRIANGLE) {
			xs[0] = x - r; ys[0] = y - r;
			xs[1] = x + r; ys[1] = y - r;
			xs[2] = x;     ys[2] = y + r;
		} else {
			xs[0] = x - r; ys[0] = y;
			xs[1] = x;     ys[1] = y - r;
			xs[2] = x + r; ys[2] = y;
			xs[3] = x;     ys[3] = y + r;
		}
		aud__hbuf_puts(&s->el, "<polygon");
		points(s, xs, ys, m == AUD__MARK_TRIANGLE ? 3 : 4);
		paint_attrs(s, AUD__FILL_STROKE);
		aud__hbuf_puts(&s->el, "/>\n");
		break;
	default:
		aud__hbuf_puts(&s->el, "<path fill=\"none\"");
		stroke_attrs(s);
		aud__hbuf_puts(&s->el, " d=\"M");
		aud__hbuf_num(&s->el, x - r);
		aud__hbuf_puts(&s->el, " ");
		aud__hbuf_num(&s->el, s->page_h - (y - r));
		aud__hbuf_puts(&s->el, "L");
		aud__hbuf_num(&s->el, x + r);
		aud__hbuf_puts(&s->el, " ");
		aud__hbuf_num(&s->el, s->page_h - (y + r));
		aud__hbuf_puts(&s->el, "M");
		aud__hbuf_num(&s->el, x - r);
		aud__hbuf_puts(&s->el, " ");
		aud__hbuf_num(&s->el, s->page_h - (y + r));
		aud__hbuf_puts(&s->el, "L");
		aud__hbuf_num(&s->el, x + r);
		aud__hbuf_puts(&s->el, " ");
		aud__hbuf_num(&s->el, s->page_h - (y - r));
		aud__hbuf_puts(&s->el, "\"/>\n");
		break;
	}
	extent(s, y - r, y + r);
}

void
aud__svg_text(struct aud__svg *s, enum aud__font font, double size, double x,
    double y, const char *text, size_t len)
{
	aud__hbuf_puts(&s->el, "<text");
	x_attr(s, "x", x);
	y_attr(s, "y", y);
	x_attr(s, "font-size", size);
	if (font == AUD__FONT_BOLD)
		aud__hbuf_puts(&s->el, " font-weight=\"bold\"");
	if (s->fill != 0)
		aud__hbuf_printf(&s->el, " fill=\"#%06x\"", s->fill);
	aud__hbuf_puts(&s->el, ">");
	aud__html_escape(&s->el, text, len, AUD__ESC_DRAWN);
	aud__hbuf_puts(&s->el, "</text>\n");
	/* ascent and descent of the font, about */
	extent(s, y - size * 0.25, y + size * 0.95);
}

int
aud__svg_take(struct aud__svg *s, struct aud__hbuf *out, double *top, double *bottom)
{
	int oom = s->el.oom;

	*top = s->top;
	*bottom = s->bottom;
	if (s->el.len > 0)
		aud__hbuf_add(out, s->el.s, s->el.len);
	s->el.len = 0;
	if (s->el.s != NULL)
		s->el.s[0] = '\0';
	s->el.oom = 0;
	s->top = -INFINITY;
	s->bottom = INFINITY;
	return oom || out->oom;
}
