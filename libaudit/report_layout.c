/*
 * report_layout.c — page flow of the report: headings with bookmarks,
 * wrapped paragraphs, tables that break across pages; JSON accessors and
 * number formatting shared by the sections.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"
#include "svg.h"

static int html_text(struct aud__rctx *c, enum aud__font font, double size,
    const char *text, size_t cut_of);
static int html_table_begin(struct aud__rctx *c, struct aud__table *t);

int
aud__rep_is_html(const struct aud__rctx *c)
{
	return c->html != NULL;
}

static double
heading_height(struct aud__rctx *c, int level, const char *text)
{
	double size = level == 1 ? 11.5 : 9.5;
	size_t n = aud__pdf_wrap(c->pdf, AUD__FONT_BOLD, size, text, aud__rep_width(c), NULL, 0);

	return (level == 1 ? 6 : 0) + (double)n * size * 1.32 + (level == 1 ? 5 : 3);
}

/*
 * PDF: draw the heading that waits, on this page when it and the first
 * `next` points of what follows fit, else on a new page.
 */
static int
settle(struct aud__rctx *c, double next)
{
	char *text = c->pend_text;
	int level = c->pend_level, rc = 0;

	if (text == NULL)
		return 0;
	c->pend_text = NULL;
	if (c->y - heading_height(c, level, text) - next < c->bottom && c->y < c->top)
		rc = aud__rep_page(c);
	if (rc == 0 && level == 1) {
		c->y -= 6;
		rc = aud__pdf_bookmark(c->pdf, 1, text, c->y + 6, c->err);
	}
	if (rc == 0)
		rc = aud__rep_text(c, AUD__FONT_BOLD, level == 1 ? 11.5 : 9.5, 0, text,
		    level == 1 ? 5 : 3);
	free(text);
	return rc;
}

int
aud__rep_flush(struct aud__rctx *c)
{
	struct aud__hbuf *b;
	struct aud__svg *svg;
	double top, bottom, ph;
	size_t mark;
	int oom;

	if (c->html == NULL)
		return settle(c, 0);
	svg = aud__pdf_svg(c->pdf);
	b = aud__html_body(c->html);
	aud__html_end_list(c->html);
	mark = b->len;
	aud__hbuf_puts(b, "<figure>");
	oom = aud__svg_take(svg, b, &top, &bottom);
	if (top < bottom) {
		/* nothing was drawn */
		b->len = mark;
		if (b->s != NULL)
			b->s[mark] = '\0';
	} else {
		struct aud__hbuf head = AUD__HBUF_INIT;
		double w = aud__rep_width(c), h;

		/* the box the cursor moved over, and whatever was drawn beyond it */
		if (c->svg_top > top)
			top = c->svg_top;
		if (c->y < bottom)
			bottom = c->y;
		h = top - bottom;
		ph = aud__pdf_page_height(c->pdf);
		aud__hbuf_puts(&head, "<svg role=\"img\" viewBox=\"");
		aud__hbuf_num(&head, c->left);
		aud__hbuf_puts(&head, " ");
		aud__hbuf_num(&head, ph - top);
		aud__hbuf_puts(&head, " ");
		aud__hbuf_num(&head, w);
		aud__hbuf_puts(&head, " ");
		aud__hbuf_num(&head, h);
		aud__hbuf_puts(&head, "\" width=\"");
		aud__hbuf_num(&head, w * 4 / 3);
		aud__hbuf_puts(&head, "\" height=\"");
		aud__hbuf_num(&head, h * 4 / 3);
		aud__hbuf_puts(&head, "\">\n");
		/* insert the head after "<figure>" */
		if (!head.oom && !b->oom) {
			size_t at = mark + strlen("<figure>");

			aud__hbuf_add(b, head.s, head.len);  /* room */
			if (!b->oom) {
				memmove(b->s + at + head.len, b->s + at, b->len - head.len - at);
				memcpy(b->s + at, head.s, head.len);
			}
		}
		oom |= head.oom;
		aud__hbuf_release(&head);
		aud__hbuf_puts(b, "</svg></figure>\n");
	}
	c->svg_top = c->y;
	if (oom || b->oom)
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	return 0;
}

double
aud__rep_width(const struct aud__rctx *c)
{
	return c->right - c->left;
}

int
aud__rep_page(struct aud__rctx *c)
{
	int rc = aud__rep_flush(c);

	if (rc == 0)
		rc = aud__pdf_add_page(c->pdf, c->err);
	c->y = c->top;
	c->svg_top = c->y;
	return rc;
}

int
aud__rep_need(struct aud__rctx *c, double h)
{
	int rc;

	if (c->html != NULL)
		return aud__rep_flush(c);
	rc = settle(c, h);
	if (rc < 0)
		return rc;
	if (c->y - h >= c->bottom || c->y >= c->top)
		return 0;
	return aud__rep_page(c);
}

void
aud__rep_space(struct aud__rctx *c, double h)
{
	c->y -= h;
}

int
aud__rep_heading(struct aud__rctx *c, int level, const char *text)
{
	int rc;

	if (c->html != NULL) {
		rc = aud__rep_flush(c);
		if (rc < 0)
			return rc;
		aud__html_heading(c->html, level > 2 ? 2 : level, text);
		return 0;
	}
	if (level == 0) {
		rc = settle(c, 0);
		if (rc < 0)
			return rc;
		/* a new page only when less than a third of this one is left */
		rc = 0;
		if (c->y < c->top && c->y - c->bottom < (c->top - c->bottom) / 3)
			rc = aud__rep_page(c);
		else if (c->y < c->top)
			c->y -= 20;
		if (rc < 0)
			return rc;
		rc = aud__pdf_bookmark(c->pdf, 0, text, c->y + 10, c->err);
		if (rc < 0)
			return rc;
		aud__pdf_fill_grey(c->pdf, 0);
		aud__pdf_text(c->pdf, AUD__FONT_BOLD, 16, c->left, c->y - 16, AUD__LEFT, text);
		aud__pdf_line_width(c->pdf, 0.8);
		aud__pdf_stroke_grey(c->pdf, 0);
		aud__pdf_line(c->pdf, c->left, c->y - 22, c->right, c->y - 22);
		c->y -= 34;
		return aud__pdf_check(c->pdf, c->err);
	}
	/* a heading before this one goes with it */
	rc = settle(c, heading_height(c, level, text) + 3 * AUD__BODY * 1.32);
	if (rc < 0)
		return rc;
	c->pend_text = strdup(text);
	if (c->pend_text == NULL)
		return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	c->pend_level = level > 2 ? 2 : level;
	return 0;
}

/* FNV-1a, 64 bits. */
static uint64_t
hash_bytes(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}
#define HASH_INIT UINT64_C(0xcbf29ce484222325)

/* Bytes of s to keep so that at most max are kept, cut between characters. */
static size_t
cut_at(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

int
aud__rep_text(struct aud__rctx *c, enum aud__font font, double size, double indent,
    const char *text, double after)
{
	struct aud__line lines[64];
	struct aud__line *lp = lines;
	double lead = size * 1.32;
	size_t n, i, tlen = strlen(text), shown = cut_at(text, tlen, AUD__TEXT_MAX);
	char *cut = NULL;
	int rc = 0;

	if (shown < tlen) {
		cut = malloc(shown + 1);
		if (cut == NULL)
			return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
		memcpy(cut, text, shown);
		cut[shown] = '\0';
		text = cut;
	}
	if (c->html != NULL) {
		rc = html_text(c, font, size, text, cut != NULL ? tlen : 0);
		goto done;
	}
	rc = settle(c, 2 * lead);
	if (rc < 0)
		goto done;
	n = aud__pdf_wrap(c->pdf, font, size, text, aud__rep_width(c) - indent, lines, 64);
	if (n > 64) {
		lp = malloc(n * sizeof(*lp));
		if (lp == NULL) {
			rc = AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
			goto done;
		}
		aud__pdf_wrap(c->pdf, font, size, text, aud__rep_width(c) - indent, lp, n);
	}
	aud__pdf_fill_grey(c->pdf, 0);
	for (i = 0; i < n; i++) {
		rc = aud__rep_need(c, lead);
		if (rc < 0)
			goto done;
		aud__pdf_fill_grey(c->pdf, 0);
		aud__pdf_text_n(c->pdf, font, size, c->left + indent, c->y - size, AUD__LEFT,
		    text + lp[i].start, lp[i].len);
		c->y -= lead;
	}
	if (cut != NULL) {
		char mark[96];

		snprintf(mark, sizeof(mark), "\xE2\x9F\xA6" "cut: the first %zu of %zu bytes"
		    "\xE2\x9F\xA7", shown, tlen);
		rc = aud__rep_need(c, lead);
		if (rc < 0)
			goto done;
		aud__pdf_fill_grey(c->pdf, 0);
		aud__pdf_text_mark(c->pdf, AUD__FONT_BOLD, size, c->left + indent, c->y - size, mark);
		c->y -= lead;
	}
	c->y -= after;
	rc = aud__pdf_check(c->pdf, c->err);
done:
	if (lp != lines)
		free(lp);
	free(cut);
	return rc;
}

/* static helpers of HTML mode */
static int
html_text(struct aud__rctx *c, enum aud__font font, double size, const char *text,
    size_t cut_of)
{
	struct aud__hbuf *b = aud__html_body(c->html);
	int rc = aud__rep_flush(c);

	if (rc < 0)
		return rc;
	aud__html_end_list(c->html);
	aud__hbuf_puts(b, size >= 20 ? "<p class=\"t\">" : font == AUD__FONT_BOLD ?
	    "<p class=\"b\">" : size < AUD__BODY ? "<p class=\"s\">" : "<p>");
	aud__html_escape(b, text, strlen(text), AUD__ESC_NEWLINES);
	if (cut_of > 0)
		aud__hbuf_printf(b, "<br><b>\xE2\x9F\xA6" "cut: the first %zu of %zu bytes"
		    "\xE2\x9F\xA7</b>", strlen(text), cut_of);
	aud__hbuf_puts(b, "</p>\n");
	return b->oom ? AUD_ERROR(c->err, AUD_ENOMEM, "out of memory") : 0;
}

static int
vpara(struct aud__rctx *c, double indent, const char *prefix, const char *fmt, va_list ap)
{
	char stackbuf[2048];
	char *buf = stackbuf;
	size_t plen = strlen(prefix);
	va_list ap2;
	int n, rc;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return AUD_ERROR(c->err, AUD_EINTERNAL, "cannot format text");
	if ((size_t)n + plen + 1 > sizeof(stackbuf)) {
		buf = malloc((size_t)n + plen + 1);
		if (buf == NULL)
			return AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	}
	memcpy(buf, prefix, plen);
	vsnprintf(buf + plen, (size_t)n + 1, fmt, ap);
	if (c->html != NULL && plen > 0) {
		size_t blen = strlen(buf + plen);

		rc = aud__rep_flush(c);
		if (rc == 0 && blen > AUD__TEXT_MAX) {
			/* as the PDF: cut, and say so */
			size_t keep = cut_at(buf + plen, blen, AUD__TEXT_MAX);
			char mark[96];

			snprintf(mark, sizeof(mark), "\xE2\x9F\xA6" "cut: the first %zu of %zu "
			    "bytes\xE2\x9F\xA7", keep, blen);
			buf[plen + keep] = '\0';
			aud__html_bullet(c->html, buf + plen, mark);
		} else if (rc == 0) {
			aud__html_bullet(c->html, buf + plen, NULL);
		}
		if (rc == 0 && aud__html_body(c->html)->oom)
			rc = AUD_ERROR(c->err, AUD_ENOMEM, "out of memory");
	} else if (plen > 0) {
		/* a bullet: the marker hangs left of the indented text */
		double y0;

		rc = settle(c, 2 * AUD__BODY * 1.32);
		if (rc < 0)
			goto done;
		rc = aud__rep_need(c, AUD__BODY * 1.32);
		if (rc < 0)
			goto done;
		y0 = c->y;
		aud__pdf_fill_grey(c->pdf, 0);
		aud__pdf_text(c->pdf, AUD__FONT_REGULAR, AUD__BODY, c->left + 3, y0 - AUD__BODY,
		    AUD__LEFT, "\xE2\x80\xA2");
		rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, indent, buf + plen, 1.5);
	} else {
		rc = aud__rep_text(c, AUD__FONT_REGULAR, AUD__BODY, indent, buf, 4);
	}
done:
	if (buf != stackbuf)
		free(buf);
	return rc;
}

int
aud__rep_para(struct aud__rctx *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpara(c, 0, "", fmt, ap);
	va_end(ap);
	return rc;
}

int
aud__rep_bullet(struct aud__rctx *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpara(c, 12, "\xE2\x80\xA2 ", fmt, ap);
	va_end(ap);
	return rc;
}

static void
table_header(struct aud__rctx *c, struct aud__table *t)
{
	double lead = t->size * 1.25;
	size_t lines[AUD__MAXCOLS];
	size_t maxl = 1, i, j;
	double h, x;
	struct aud__line ln[4];

	for (i = 0; i < t->ncols; i++) {
		lines[i] = aud__pdf_wrap(c->pdf, AUD__FONT_BOLD, t->size, t->cols[i].title,
		    t->widths[i] - 6, NULL, 0);
		if (lines[i] > maxl)
			maxl = lines[i];
	}
	h = (double)(maxl > 4 ? 4 : maxl) * lead + 4;
	aud__pdf_fill_grey(c->pdf, 0.82);
	aud__pdf_rect(c->pdf, c->left, c->y - h, aud__rep_width(c), h, AUD__FILL);
	aud__pdf_fill_grey(c->pdf, 0);
	x = c->left;
	for (i = 0; i < t->ncols; i++) {
		size_t n = aud__pdf_wrap(c->pdf, AUD__FONT_BOLD, t->size, t->cols[i].title,
		    t->widths[i] - 6, ln, 4);
		double tx = t->cols[i].align == AUD__LEFT ? x + 4 :
		    t->cols[i].align == AUD__RIGHT ? x + t->widths[i] - 2 : x + t->widths[i] / 2;

		for (j = 0; j < n && j < 4; j++)
			aud__pdf_text_n(c->pdf, AUD__FONT_BOLD, t->size, tx,
			    c->y - 2 - t->size - (double)j * lead, t->cols[i].align,
			    t->cols[i].title + ln[j].start, ln[j].len);
		x += t->widths[i];
	}
	c->y -= h;
}

int
aud__rep_table_begin(struct aud__rctx *c, struct aud__table *t,
    const struct aud__col *cols, size_t ncols, double size)
{
	double total = 0;
	int frac = 1;
	size_t i;
	int rc;

	assert(ncols > 0 && ncols <= AUD__MAXCOLS);
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
	t->size = size;
	for (i = 0; i < ncols; i++) {
		total += cols[i].width;
		if (cols[i].width > 1)
			frac = 0;
	}
	for (i = 0; i < ncols; i++)
		t->widths[i] = frac ? cols[i].width / total * aud__rep_width(c) : cols[i].width;
	if (c->html != NULL)
		return html_table_begin(c, t);
	rc = settle(c, 4 * size * 1.25 + 12);
	if (rc < 0)
		return rc;
	rc = aud__rep_need(c, 3 * size * 1.25 + 12);
	if (rc < 0)
		return rc;
	table_header(c, t);
	return aud__pdf_check(c->pdf, c->err);
}

static const char *
align_class(enum aud__align a)
{
	return a == AUD__RIGHT ? " class=\"r\"" : a == AUD__CENTER ? " class=\"c\"" : "";
}

static int
html_table_begin(struct aud__rctx *c, struct aud__table *t)
{
	struct aud__hbuf *b = aud__html_body(c->html);
	double total = 0;
	size_t i;
	int rc = aud__rep_flush(c);

	if (rc < 0)
		return rc;
	for (i = 0; i < t->ncols; i++)
		total += t->widths[i];
	aud__hbuf_puts(b, "<table>\n<colgroup>");
	for (i = 0; i < t->ncols; i++)
		aud__hbuf_printf(b, "<col style=\"width:%.1f%%\">",
		    total > 0 ? t->widths[i] / total * 100 : 0);
	aud__hbuf_puts(b, "</colgroup>\n<thead><tr>");
	for (i = 0; i < t->ncols; i++) {
		aud__hbuf_printf(b, "<th%s>", align_class(t->cols[i].align));
		aud__html_escape(b, t->cols[i].title, strlen(t->cols[i].title), AUD__ESC_NEWLINES);
		aud__hbuf_puts(b, "</th>");
	}
	aud__hbuf_puts(b, "</tr></thead>\n<tbody>\n");
	return b->oom ? AUD_ERROR(c->err, AUD_ENOMEM, "out of memory") : 0;
}

static int
html_table_row(struct aud__rctx *c, struct aud__table *t, const char *const *cells,
    int bold)
{
	struct aud__hbuf *b = aud__html_body(c->html);
	size_t i;

	aud__hbuf_puts(b, bold ? "<tr class=\"b\">" : "<tr>");
	for (i = 0; i < t->ncols; i++) {
		aud__hbuf_printf(b, "<td%s>", align_class(t->cols[i].align));
		if (cells[i] != NULL)
			aud__html_escape(b, cells[i], strlen(cells[i]), AUD__ESC_NEWLINES);
		aud__hbuf_puts(b, "</td>");
	}
	aud__hbuf_puts(b, "</tr>\n");
	t->rows++;
	return b->oom ? AUD_ERROR(c->err, AUD_ENOMEM, "out of memory") : 0;
}

/* How a cell looks: its lines (as wrapped) without the spaces at their ends. */
static uint64_t
cell_look(const char *cell, const struct aud__line *ln, size_t n)
{
	uint64_t h = HASH_INIT;
	size_t j;

	for (j = 0; j < n; j++) {
		size_t a = ln[j].start, b = ln[j].start + ln[j].len;

		while (a < b && cell[a] == ' ')
			a++;
		while (b > a && cell[b - 1] == ' ')
			b--;
		h = hash_bytes(h, cell + a, b - a);
		h = hash_bytes(h, "\n", 1);
	}
	return h;
}

int
aud__rep_table_row(struct aud__rctx *c, struct aud__table *t,
    const char *const *cells, int bold)
{
	enum aud__font font = bold ? AUD__FONT_BOLD : AUD__FONT_REGULAR;
	double lead = t->size * 1.25;
	struct aud__line ln[8];
	char marks[AUD__MAXCOLS][48];
	size_t maxl = 1, i, j, k;
	double h, x;
	int rc;

	if (c->html != NULL)
		return html_table_row(c, t, cells, bold);
	for (i = 0; i < t->ncols; i++) {
		size_t n, shown;
		uint64_t text, look;

		marks[i][0] = '\0';
		if (cells[i] == NULL)
			continue;
		n = aud__pdf_wrap(c->pdf, font, t->size, cells[i], t->widths[i] - 6, ln, 8);
		shown = n > 8 ? 8 : n;
		text = hash_bytes(HASH_INIT, cells[i], strlen(cells[i]));
		if (n > 8) {
			snprintf(marks[i], sizeof(marks[i]), "\xE2\x9F\xA6" "cut #%06x\xE2\x9F\xA7",
			    (unsigned)(text & 0xFFFFFFu));
		} else {
			size_t rank = 1, same = 0;

			look = cell_look(cells[i], ln, shown);
			for (k = 0; k < t->nseen; k++) {
				if (t->seen_col[k] != i || t->seen_look[k] != look)
					continue;
				if (t->seen_text[k] == text)
					same = 1;
				else
					rank++;
			}
			if (!same && t->nseen < AUD__SEEN) {
				t->seen_col[t->nseen] = (unsigned char)i;
				t->seen_look[t->nseen] = look;
				t->seen_text[t->nseen] = text;
				t->nseen++;
			}
			if (rank > 1 && !same)
				snprintf(marks[i], sizeof(marks[i]), "\xE2\x9F\xA6#%zu\xE2\x9F\xA7", rank);
		}
		if (shown + (marks[i][0] != '\0') > maxl)
			maxl = shown + (marks[i][0] != '\0');
	}
	h = (double)maxl * lead + 3;
	rc = settle(c, h);
	if (rc < 0)
		return rc;
	if (c->y - h < c->bottom) {
		rc = aud__rep_page(c);
		if (rc < 0)
			return rc;
		table_header(c, t);
	}
	if (t->rows % 2 == 1) {
		aud__pdf_fill_grey(c->pdf, 0.94);
		aud__pdf_rect(c->pdf, c->left, c->y - h, aud__rep_width(c), h, AUD__FILL);
	}
	aud__pdf_fill_grey(c->pdf, 0);
	x = c->left;
	for (i = 0; i < t->ncols; i++) {
		size_t n;
		double tx = t->cols[i].align == AUD__LEFT ? x + 4 :
		    t->cols[i].align == AUD__RIGHT ? x + t->widths[i] - 2 : x + t->widths[i] / 2;

		if (cells[i] != NULL) {
			n = aud__pdf_wrap(c->pdf, font, t->size, cells[i], t->widths[i] - 6, ln, 8);
			for (j = 0; j < n && j < 8; j++)
				aud__pdf_text_n(c->pdf, font, t->size, tx,
				    c->y - 1.5 - t->size - (double)j * lead, t->cols[i].align,
				    cells[i] + ln[j].start, ln[j].len);
			if (marks[i][0] != '\0')
				aud__pdf_text_mark(c->pdf, AUD__FONT_BOLD, t->size, x + 4,
				    c->y - 1.5 - t->size - (double)(n > 8 ? 8 : n) * lead, marks[i]);
		}
		x += t->widths[i];
	}
	c->y -= h;
	t->rows++;
	return aud__pdf_check(c->pdf, c->err);
}

void
aud__rep_table_end(struct aud__rctx *c, struct aud__table *t)
{
	if (c->html != NULL) {
		aud__hbuf_puts(aud__html_body(c->html), "</tbody>\n</table>\n");
		c->svg_top = c->y;
		return;
	}
	aud__pdf_line_width(c->pdf, 0.5);
	aud__pdf_stroke_grey(c->pdf, 0);
	aud__pdf_line(c->pdf, c->left, c->y, c->right, c->y);
	(void)t;
	c->y -= 8;
}

void
aud__row_init(struct aud__row *row)
{
	size_t i;

	for (i = 0; i < AUD__MAXCOLS; i++) {
		row->buf[i][0] = '\0';
		row->cells[i] = row->buf[i];
	}
}

void
aud__row_set(struct aud__row *row, size_t i, const char *fmt, ...)
{
	va_list ap;

	va_list ap2;
	int n;

	assert(i < AUD__MAXCOLS);
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(row->buf[i], AUD__CELL, fmt, ap);
	if (n >= AUD__CELL) {
		/* too long: the start, "…" and a hash of the whole text, so that two
		 * long texts with the same start still look different */
		char *all = malloc((size_t)n + 1);
		uint64_t h = HASH_INIT;
		size_t keep;

		if (all != NULL) {
			vsnprintf(all, (size_t)n + 1, fmt, ap2);
			h = hash_bytes(h, all, (size_t)n);
			free(all);
		}
		keep = cut_at(row->buf[i], strlen(row->buf[i]), AUD__CELL - 16);
		snprintf(row->buf[i] + keep, AUD__CELL - keep, "\xE2\x80\xA6#%06x",
		    (unsigned)(h & 0xFFFFFFu));
	}
	va_end(ap2);
	va_end(ap);
}

const char *
aud__or(const char *s, const char *dflt)
{
	return s != NULL ? s : dflt;
}

void
aud__fmt_value(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "undefined");
	else if (isinf(v))
		snprintf(buf, size, "%s", v > 0 ? "inf" : "-inf");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.4g", v);
}

void
aud__fmt_rate(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "\xE2\x80\x94");
	else
		snprintf(buf, size, "%.3f", v);
}

size_t
aud__rep_docs(const struct aud_report *r, enum aud_report_kind kind,
    const struct aud__rdoc **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < r->ndocs; i++) {
		if (r->docs[i].kind != kind)
			continue;
		if (out != NULL && n < max)
			out[n] = &r->docs[i];
		n++;
	}
	return n;
}
