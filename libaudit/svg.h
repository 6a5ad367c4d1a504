/*
 * svg.h — the SVG drawing surface (private to libaudit): the drawing
 * primitives of pdf.h written as SVG elements. pdf.c dispatches to it when a
 * surface was made with aud__pdf_new_svg(); text arrives already measured,
 * placed and with its placeholders, so labels sit where they sit in the PDF.
 *
 * Coordinates are the page's (points, origin bottom left); elements are
 * written with y flipped against the page height. aud__svg_take() hands the
 * elements drawn since the last take, with the vertical extent they cover,
 * to the report's context, which wraps them in an <svg> of the chart's size.
 */
#ifndef AUDIT_SVG_PRIVATE_H
#define AUDIT_SVG_PRIVATE_H

#include <stddef.h>

#include "html.h"
#include "pdf.h"

struct aud__svg;

/** A surface for pages `height` points high. NULL when out of memory. */
struct aud__svg *aud__svg_new(double height);
void aud__svg_free(struct aud__svg *s);

void aud__svg_fill(struct aud__svg *s, unsigned rgb);
void aud__svg_stroke(struct aud__svg *s, unsigned rgb);
void aud__svg_line_width(struct aud__svg *s, double w);
void aud__svg_dash(struct aud__svg *s, const unsigned *pattern, unsigned n);

void aud__svg_line(struct aud__svg *s, double x0, double y0, double x1, double y1);
void aud__svg_polyline(struct aud__svg *s, const double *xs, const double *ys, size_t n);
void aud__svg_rect(struct aud__svg *s, double x, double y, double w, double h,
    enum aud__paint paint);
void aud__svg_hatch(struct aud__svg *s, double x, double y, double w, double h,
    double spacing);
void aud__svg_marker(struct aud__svg *s, enum aud__marker m, double x, double y,
    double size);
/** Text (as drawn, UTF-8) starting at x with its baseline at y. */
void aud__svg_text(struct aud__svg *s, enum aud__font font, double size, double x,
    double y, const char *text, size_t len);

/**
 * The elements drawn since the last take, appended to `out`; *top and
 * *bottom get the highest and lowest page y they reach (*top < *bottom
 * when nothing was drawn). @return 1 when out of memory, else 0
 */
int aud__svg_take(struct aud__svg *s, struct aud__hbuf *out, double *top, double *bottom);

#endif
