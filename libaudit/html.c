/*
 * html.c — the HTML report: a growing buffer, escaping, and the document
 * (head with inline CSS, table of contents, body). See html.h.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "utf8.h"

void
aud__hbuf_release(struct aud__hbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

static int
grow(struct aud__hbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->s, cap);
	if (p == NULL) {
		b->oom = 1;
		return -1;
	}
	b->s = p;
	b->cap = cap;
	return 0;
}

void
aud__hbuf_add(struct aud__hbuf *b, const char *s, size_t n)
{
	if (grow(b, n) < 0)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
aud__hbuf_puts(struct aud__hbuf *b, const char *s)
{
	aud__hbuf_add(b, s, strlen(s));
}

void
aud__hbuf_printf(struct aud__hbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
aud__hbuf_num(struct aud__hbuf *b, double v)
{
	char t[64];
	size_t n;

	if (!isfinite(v))
		v = 0;
	snprintf(t, sizeof(t), "%.2f", v);
	n = strlen(t);
	while (n > 0 && t[n - 1] == '0')
		n--;
	if (n > 0 && t[n - 1] == '.')
		n--;
	t[n] = '\0';
	if (strcmp(t, "-0") == 0)
		strcpy(t, "0");
	aud__hbuf_puts(b, t);
}

void
aud__html_escape(struct aud__hbuf *b, const char *s, size_t len, int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	char ph[32];

	while (i < len) {
		uint32_t c = 0;

		n = aud__utf8_decode(u + i, len - i, &c);
		if (n == 0) {
			snprintf(ph, sizeof(ph), "\xE2\x9F\xA6" "0x%02X\xE2\x9F\xA7", u[i]);
			aud__hbuf_puts(b, ph);
			i++;
			continue;
		}
		switch (c) {
		case '&': aud__hbuf_puts(b, "&amp;"); break;
		case '<': aud__hbuf_puts(b, "&lt;"); break;
		case '>': aud__hbuf_puts(b, "&gt;"); break;
		case '"': aud__hbuf_puts(b, "&quot;"); break;
		case '\'': aud__hbuf_puts(b, "&#39;"); break;
		case '\t': aud__hbuf_puts(b, "\t"); break;
		case '\n':
			if (flags & AUD__ESC_NEWLINES) {
				aud__hbuf_puts(b, "<br>");
				break;
			}
			/* fall through */
		default:
			if (c < 0x20 || (c >= 0x7F && c < 0xA0) ||
			    ((c == 0x27E6 || c == 0x27E7) && !(flags & AUD__ESC_DRAWN)) ||
			    c == 0xFEFF || (c >= 0x202A && c <= 0x202E) ||
			    (c >= 0x2066 && c <= 0x2069)) {
				snprintf(ph, sizeof(ph), "\xE2\x9F\xA6U+%04X\xE2\x9F\xA7", (unsigned)c);
				aud__hbuf_puts(b, ph);
			} else {
				aud__hbuf_add(b, s + i, n);
			}
			break;
		}
		i += n;
	}
}

struct toc_entry {
	int level;
	unsigned id;
	char *text;
};

struct aud__html {
	struct aud__hbuf body;
	struct toc_entry *toc;
	size_t ntoc, cap;
	unsigned next_id;
	int in_list;
	int oom;
};

int
aud__html_new(struct aud__html **out, struct aud_error *err)
{
	struct aud__html *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (h == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	*out = h;
	return 0;
}

void
aud__html_free(struct aud__html *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->ntoc; i++)
		free(h->toc[i].text);
	free(h->toc);
	aud__hbuf_release(&h->body);
	free(h);
}

struct aud__hbuf *
aud__html_body(struct aud__html *h)
{
	return &h->body;
}

void
aud__html_end_list(struct aud__html *h)
{
	if (h->in_list)
		aud__hbuf_puts(&h->body, "</ul>\n");
	h->in_list = 0;
}

void
aud__html_bullet(struct aud__html *h, const char *text, const char *mark)
{
	if (!h->in_list)
		aud__hbuf_puts(&h->body, "<ul>\n");
	h->in_list = 1;
	aud__hbuf_puts(&h->body, "<li>");
	aud__html_escape(&h->body, text, strlen(text), AUD__ESC_NEWLINES);
	if (mark != NULL)
		aud__hbuf_printf(&h->body, "<br><b>%s</b>", mark);
	aud__hbuf_puts(&h->body, "</li>\n");
}

void
aud__html_heading(struct aud__html *h, int level, const char *text)
{
	unsigned id = ++h->next_id;

	assert(level >= 0 && level <= 2);
	aud__html_end_list(h);
	aud__hbuf_printf(&h->body, "<h%d id=\"s%u\">", level + 1, id);
	aud__html_escape(&h->body, text, strlen(text), 0);
	aud__hbuf_printf(&h->body, "</h%d>\n", level + 1);
	if (level > 1)
		return;
	if (h->ntoc == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 32;
		struct toc_entry *t = realloc(h->toc, cap * sizeof(*t));

		if (t == NULL) {
			h->oom = 1;
			return;
		}
		h->toc = t;
		h->cap = cap;
	}
	h->toc[h->ntoc].level = level;
	h->toc[h->ntoc].id = id;
	h->toc[h->ntoc].text = strdup(text);
	if (h->toc[h->ntoc].text == NULL) {
		h->oom = 1;
		return;
	}
	h->ntoc++;
}

/* Readable on screen, printable: A4-like margins, figures and tables kept
 * whole, each top-level section on a new printed page. */
static const char css[] =
	"body{margin:0;background:#f4f4f2;color:#000;font:15px/1.45 %s,"
	"\"Noto Sans\",\"Droid Sans Fallback\",Arial,sans-serif}\n"
	"main{max-width:52em;margin:0 auto;padding:1.5em 2.5em 3em;background:#fff}\n"
	"h1{font-size:1.6em;border-bottom:2px solid #000;padding-bottom:.2em;margin:1.6em 0 .6em}\n"
	"h2{font-size:1.2em;margin:1.3em 0 .4em}\n"
	"h3{font-size:1.02em;margin:1em 0 .3em}\n"
	"p{margin:.3em 0 .5em}\n"
	"p.b{font-weight:bold}\n"
	"p.s{font-size:.85em;color:#333}\n"
	"p.t{font-size:2em;font-weight:bold;margin:.2em 0 .3em}\n"
	"ul{margin:.2em 0 .6em;padding-left:1.4em}\n"
	"table{border-collapse:collapse;width:100%%;margin:.4em 0 1em;font-size:.82em}\n"
	"th{background:#d1d1d1;text-align:left;padding:.25em .4em;vertical-align:bottom}\n"
	"td{padding:.2em .4em;vertical-align:top;white-space:pre-wrap}\n"
	"tbody tr:nth-child(even){background:#f0f0f0}\n"
	"tr.b td{font-weight:bold}\n"
	".r{text-align:right}\n.c{text-align:center}\n"
	"table{border-bottom:1px solid #000}\n"
	"figure{margin:.6em 0 1em}\n"
	"svg{display:block;max-width:100%%;height:auto;overflow:visible}\n"
	"svg text{white-space:pre}\n"
	"nav{border:1px solid #bbb;padding:.5em 1em;margin:1em 0;background:#fafafa}\n"
	"nav ul{list-style:none;padding-left:0}\nnav ul ul{padding-left:1.4em}\n"
	"nav a{color:#0072b2;text-decoration:none}\n"
	"footer{margin-top:3em;font-size:.8em;color:#555}\n"
	"@page{size:A4;margin:18mm 16mm}\n"
	"@media print{body{background:#fff;font-size:10pt}main{max-width:none;padding:0}"
	"h1{break-before:page}h1,h2,h3{break-after:avoid}"
	"figure,table,tr,svg{break-inside:avoid}nav{break-after:page}}\n";

int
aud__html_finish(unsigned char **out, size_t *len, struct aud__html *h,
    const char *title, const char *font, const char *footer, struct aud_error *err)
{
	struct aud__hbuf d = AUD__HBUF_INIT;
	char fam[256];
	size_t i, j, k, cover;
	const char *first;
	int open_sub = 0;

	*out = NULL;
	*len = 0;
	aud__html_end_list(h);
	/* the font family named in CSS: letters, digits, spaces and hyphens only */
	for (i = 0, j = 0; font != NULL && font[i] != '\0' && j + 1 < sizeof(fam); i++) {
		char ch = font[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == ' ' || ch == '-')
			fam[j++] = ch;
	}
	fam[j] = '\0';
	aud__hbuf_puts(&d, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"generator\" content=\"rai-audit\">\n<title>");
	aud__html_escape(&d, title, strlen(title), 0);
	aud__hbuf_puts(&d, "</title>\n<style>\n");
	{
		char famq[300];

		if (fam[0] != '\0')
			snprintf(famq, sizeof(famq), "\"%s\"", fam);
		else
			snprintf(famq, sizeof(famq), "\"DejaVu Sans\"");
		aud__hbuf_printf(&d, css, famq);
	}
	aud__hbuf_puts(&d, "</style>\n</head>\n<body>\n<main>\n");
	/* the cover (what comes before the first section), then the table of contents */
	first = h->body.s != NULL ? strstr(h->body.s, "<h1 ") : NULL;
	cover = first != NULL ? (size_t)(first - h->body.s) : 0;
	if (cover > 0)
		aud__hbuf_add(&d, h->body.s, cover);
	/* the table of contents: level-0 entries with their level-1 children */
	aud__hbuf_puts(&d, "<nav aria-label=\"Contents\">\n<p class=\"b\">Contents</p>\n<ul>\n");
	for (k = 0; k < h->ntoc; k++) {
		const struct toc_entry *t = &h->toc[k];

		if (t->level == 0) {
			if (open_sub)
				aud__hbuf_puts(&d, "</ul>");
			if (k > 0)
				aud__hbuf_puts(&d, "</li>\n");
			open_sub = 0;
		} else if (!open_sub && k > 0) {
			aud__hbuf_puts(&d, "\n<ul>\n");
			open_sub = 1;
		}
		aud__hbuf_printf(&d, "<li><a href=\"#s%u\">", t->id);
		aud__html_escape(&d, t->text, strlen(t->text), 0);
		aud__hbuf_puts(&d, "</a>");
		if (t->level == 1)
			aud__hbuf_puts(&d, "</li>\n");
	}
	if (open_sub)
		aud__hbuf_puts(&d, "</ul>");
	if (h->ntoc > 0)
		aud__hbuf_puts(&d, "</li>\n");
	aud__hbuf_puts(&d, "</ul>\n</nav>\n");
	if (h->body.len > cover)
		aud__hbuf_add(&d, h->body.s + cover, h->body.len - cover);
	if (footer != NULL) {
		aud__hbuf_puts(&d, "<footer>");
		aud__html_escape(&d, footer, strlen(footer), 0);
		aud__hbuf_puts(&d, "</footer>\n");
	}
	aud__hbuf_puts(&d, "</main>\n</body>\n</html>\n");
	if (d.oom || h->body.oom || h->oom) {
		aud__hbuf_release(&d);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	*out = (unsigned char *)d.s;
	*len = d.len;
	return 0;
}
