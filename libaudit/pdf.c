/*
 * pdf.c — the libharu wrapper: the only file of libaudit that calls HPDF_*.
 * See pdf.h. libharu's error handler stores the first error in the
 * document object through user_data; nothing longjmps.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <hpdf.h>

#include "font.h"
#include "pdf.h"
#include "utf8.h"
#include "svg.h"

/* The font file, read again to find the components of composite glyphs. */
struct embed {
	FILE *fp;             /* NULL: not needed or cannot be read */
	unsigned char *done;  /* a bit per glyph whose components are marked */
};

/* A font loaded to draw the characters the main fonts lack. */
struct fallback {
	char *path;
	int index;
	HPDF_Font font;  /* NULL: libharu cannot load it */
	struct embed e;
};

struct aud_pdf {
	HPDF_Doc doc;
	HPDF_Font font[2];
	struct embed e[2];
	struct aud__fonts *fc;   /* fontconfig, for fallback fonts */
	struct fallback *fb;     /* loaded fallback fonts, in the order first needed */
	size_t nfb;
	uint32_t *none;          /* code points no installed font has (cache) */
	size_t nnone;
	HPDF_Encoder utf8;
	HPDF_Page page;          /* current page */
	HPDF_Page *pages;
	size_t npages, cap;
	HPDF_Outline last_root;  /* last level-0 bookmark */
	double width, height;
	HPDF_STATUS error_no;    /* first libharu error, 0 when none */
	HPDF_STATUS detail_no;
	HPDF_STATUS last_error_no; /* most recent, for messages */
	char *first_marked;      /* first text drawn with a placeholder (owned) */
	char first_ph[24];       /* its first placeholder */
	size_t nmarked;          /* texts drawn with placeholders */
	struct aud__svg *svg;    /* an SVG surface (aud__pdf_new_svg()), or NULL */
};

static void
on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct aud_pdf *pdf = user_data;

	if (pdf->error_no == 0) {
		pdf->error_no = error_no;
		pdf->detail_no = detail_no;
	}
	pdf->last_error_no = error_no;
}

int
aud__pdf_check(const struct aud_pdf *pdf, struct aud_error *err)
{
	if (pdf->error_no == 0)
		return 0;
	if (pdf->error_no == HPDF_FAILD_TO_ALLOC_MEM)
		return AUD_ERROR(err, AUD_ENOMEM, "pdf: out of memory");
	return AUD_ERROR(err, AUD_EINTERNAL, "pdf: libharu error 0x%04X (detail %u)",
	    (unsigned)pdf->error_no, (unsigned)pdf->detail_no);
}

/* A libharu call returned NULL: its error, or a generic one when it set none. */
static int
failed(const struct aud_pdf *pdf, const char *what, struct aud_error *err)
{
	int rc = aud__pdf_check(pdf, err);

	if (rc < 0)
		return rc;
	return AUD_ERROR(err, AUD_EINTERNAL, "pdf: %s", what);
}

static void
embed_open(struct embed *e, const char *path, HPDF_Font font)
{
	HPDF_TTFontDefAttr a;

	e->fp = NULL;
	e->done = NULL;
	if (font == NULL || ((HPDF_FontAttr)font->attr)->fontdef == NULL)
		return;
	a = (HPDF_TTFontDefAttr)((HPDF_FontAttr)font->attr)->fontdef->attr;
	e->done = calloc((size_t)a->num_glyphs / 8 + 1, 1);
	e->fp = e->done != NULL ? fopen(path, "rb") : NULL;
}

static void
embed_close(struct embed *e)
{
	if (e->fp != NULL)
		fclose(e->fp);
	free(e->done);
	e->fp = NULL;
	e->done = NULL;
}

static int
read_u16(FILE *fp, unsigned *v)
{
	int hi = getc(fp), lo = getc(fp);

	if (hi == EOF || lo == EOF)
		return -1;
	*v = (unsigned)hi << 8 | (unsigned)lo;
	return 0;
}

/*
 * Mark glyph gid and, when it is composite, each of its components at any
 * depth as used, so that libharu embeds them. libharu 2.3 marks only the
 * first level of components and reads their index as signed, so that CJK
 * fonts with more than 32,767 glyphs (Droid Sans Fallback has 49,382) lose
 * the strokes of many characters, or whole characters.
 */
static void
embed_glyph(struct embed *e, HPDF_Font font, unsigned gid, int depth)
{
	HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)((HPDF_FontAttr)font->attr)->fontdef->attr;
	unsigned long off;
	unsigned flags, comp, contours;

	if (gid >= a->num_glyphs)
		return;
	a->glyph_tbl.flgs[gid] = 1;
	if (e->fp == NULL || depth > 8 || (e->done[gid / 8] & (1u << (gid % 8))))
		return;
	e->done[gid / 8] |= (unsigned char)(1u << (gid % 8));
	if (a->glyph_tbl.offsets[gid] == a->glyph_tbl.offsets[gid + 1])
		return;  /* no outline */
	off = (unsigned long)a->glyph_tbl.offsets[gid] * (a->header.index_to_loc_format == 0 ? 2 : 1) +
	    a->glyph_tbl.base_offset;
	if (fseek(e->fp, (long)off, SEEK_SET) != 0 || read_u16(e->fp, &contours) < 0 ||
	    contours != 0xFFFF || fseek(e->fp, 8, SEEK_CUR) != 0)
		return;
	do {
		long next;

		if (read_u16(e->fp, &flags) < 0 || read_u16(e->fp, &comp) < 0)
			return;
		next = ftell(e->fp) + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 :
		    (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
		embed_glyph(e, font, comp, depth + 1);
		if (fseek(e->fp, next, SEEK_SET) != 0)
			return;
	} while (flags & 0x20);
}

/* Load a TrueType face (a collection's face by its index), embedded.
 * @return libharu's name for it, or NULL */
static const char *
load_face(struct aud_pdf *pdf, const char *path, int index)
{
	size_t n = strlen(path);

	if (n > 4 && strcasecmp(path + n - 4, ".ttc") == 0)
		return HPDF_LoadTTFontFromFile2(pdf->doc, path, (HPDF_UINT)index, HPDF_TRUE);
	return HPDF_LoadTTFontFromFile(pdf->doc, path, HPDF_TRUE);
}

int
aud__pdf_new(struct aud_pdf **out, double width, double height,
    const struct aud__pdf_fonts *fonts, struct aud_error *err)
{
	struct aud_pdf *pdf;
	const char *names[2];
	int rc = 0;
	int i;

	assert(out != NULL && fonts != NULL && fonts->regular != NULL);
	*out = NULL;
	pdf = calloc(1, sizeof(*pdf));
	if (pdf == NULL)
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	pdf->width = width;
	pdf->height = height;
	pdf->doc = HPDF_New(on_error, pdf);
	if (pdf->doc == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "pdf: cannot create a document");
		goto done;
	}
	/* Deterministic output: no encryption (hence no /ID), no time taken
	 * from the clock (the dates are set from `created` in finish). */
	HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_ALL);
	HPDF_SetPageMode(pdf->doc, HPDF_PAGE_MODE_USE_OUTLINE);
	HPDF_UseUTFEncodings(pdf->doc);
	HPDF_SetCurrentEncoder(pdf->doc, "UTF-8");
	pdf->utf8 = HPDF_GetEncoder(pdf->doc, "UTF-8");
	rc = aud__pdf_check(pdf, err);
	if (rc < 0)
		goto done;
	rc = aud__fonts_new(&pdf->fc, err);
	if (rc < 0)
		goto done;
	for (i = 0; i < 2; i++) {
		struct aud__face face = { NULL, 0 };
		const char *spec = i == 0 || fonts->bold == NULL ? fonts->regular : fonts->bold;

		rc = aud__fonts_find(pdf->fc, spec, i == 1 && fonts->bold == NULL, &face, err);
		if (rc < 0)
			goto done;
		names[i] = load_face(pdf, face.path, face.index);
		if (names[i] == NULL) {
			rc = AUD_ERROR(err, AUD_EIO, "cannot load font '%s' (libharu error 0x%04X)",
			    face.path, (unsigned)pdf->error_no);
			aud__face_clear(&face);
			goto done;
		}
		pdf->font[i] = HPDF_GetFont(pdf->doc, names[i], "UTF-8");
		if (pdf->font[i] == NULL) {
			aud__face_clear(&face);
			rc = AUD_ERROR(err, AUD_EIO, "cannot use font '%s' with UTF-8", spec);
			goto done;
		}
		embed_open(&pdf->e[i], face.path, pdf->font[i]);
		aud__face_clear(&face);
	}
done:
	if (rc < 0) {
		aud__pdf_free(pdf);
		return rc;
	}
	*out = pdf;
	return 0;
}

void
aud__pdf_free(struct aud_pdf *pdf)
{
	size_t i;

	if (pdf == NULL)
		return;
	if (pdf->doc != NULL)
		HPDF_Free(pdf->doc);
	for (i = 0; i < pdf->nfb; i++) {
		free(pdf->fb[i].path);
		embed_close(&pdf->fb[i].e);
	}
	embed_close(&pdf->e[0]);
	embed_close(&pdf->e[1]);
	free(pdf->fb);
	free(pdf->none);
	aud__fonts_free(pdf->fc);
	free(pdf->first_marked);
	free(pdf->pages);
	aud__svg_free(pdf->svg);
	free(pdf);
}

/* ---- the SVG surface (svg.c) behind the same interface ---- */

int
aud__pdf_new_svg(struct aud_pdf **out, double width, double height,
    const struct aud__pdf_fonts *fonts, struct aud_error *err)
{
	struct aud_pdf *pdf = NULL;
	int rc;

	/* the fonts are loaded as for a PDF, to measure text the same way */
	rc = aud__pdf_new(&pdf, width, height, fonts, err);
	if (rc < 0)
		return rc;
	pdf->svg = aud__svg_new(height);
	if (pdf->svg == NULL) {
		aud__pdf_free(pdf);
		return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
	}
	*out = pdf;
	return 0;
}

struct aud__svg *
aud__pdf_svg(struct aud_pdf *pdf)
{
	return pdf->svg;
}

int
aud__pdf_add_page(struct aud_pdf *pdf, struct aud_error *err)
{
	HPDF_Page page;

	if (pdf->svg != NULL) {
		pdf->npages++;
		return 0;
	}
	if (pdf->npages == pdf->cap) {
		size_t cap = pdf->cap ? pdf->cap * 2 : 16;
		HPDF_Page *p = realloc(pdf->pages, cap * sizeof(*p));

		if (p == NULL)
			return AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		pdf->pages = p;
		pdf->cap = cap;
	}
	page = HPDF_AddPage(pdf->doc);
	if (page == NULL)
		return failed(pdf, "cannot add a page", err);
	HPDF_Page_SetWidth(page, (HPDF_REAL)pdf->width);
	HPDF_Page_SetHeight(page, (HPDF_REAL)pdf->height);
	pdf->pages[pdf->npages++] = page;
	pdf->page = page;
	return aud__pdf_check(pdf, err);
}

int
aud__pdf_page_count(const struct aud_pdf *pdf)
{
	return (int)pdf->npages;
}

double
aud__pdf_page_width(const struct aud_pdf *pdf)
{
	return pdf->width;
}

double
aud__pdf_page_height(const struct aud_pdf *pdf)
{
	return pdf->height;
}

/* At most AUD__PDF_MAX_META bytes of s (cut between characters, then
 * "…"): libharu refuses strings over 65,535 bytes in bookmarks and the
 * document information, and no viewer shows that much there. */
static void
short_copy(char *t, const char *s)
{
	size_t n = strlen(s);

	if (n <= AUD__PDF_MAX_META) {
		memcpy(t, s, n + 1);
		return;
	}
	n = AUD__PDF_MAX_META;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(t, s, n);
	memcpy(t + n, "\xE2\x80\xA6", 4);
}

int
aud__pdf_bookmark(struct aud_pdf *pdf, int level, const char *title, double y,
    struct aud_error *err)
{
	HPDF_Outline parent = NULL;
	HPDF_Outline o;
	HPDF_Destination dst;
	char t[AUD__PDF_MAX_META + 8];

	if (pdf->svg != NULL)
		return 0;  /* HTML: the headings' ids and the table of contents */
	assert(pdf->page != NULL);

	if (level > 0 && pdf->last_root != NULL)
		parent = pdf->last_root;
	short_copy(t, title);
	o = HPDF_CreateOutline(pdf->doc, parent, t, pdf->utf8);
	if (o == NULL)
		return failed(pdf, "cannot create a bookmark", err);
	dst = HPDF_Page_CreateDestination(pdf->page);
	if (dst != NULL) {
		HPDF_Destination_SetFitH(dst, (HPDF_REAL)y);
		HPDF_Outline_SetDestination(o, dst);
	}
	HPDF_Outline_SetOpened(o, HPDF_TRUE);
	if (level == 0 || pdf->last_root == NULL)
		pdf->last_root = o;
	return aud__pdf_check(pdf, err);
}

/* ---- text as drawn ---- */

/* Length of the UTF-8 character at s and its code point; an invalid or
 * truncated sequence (or an overlong form, a surrogate) is one byte, with
 * *cp = AUD__PDF_BAD_BYTE | the byte. */
#define AUD__PDF_BAD_BYTE 0x80000000u
static size_t
next_char(const char *s, size_t avail, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = aud__utf8_decode(u, avail, cp);

	if (n == 0) {
		*cp = AUD__PDF_BAD_BYTE | u[0];
		return 1;
	}
	return n;
}

/* Greek and Cyrillic letters drawn like Latin ones ('A' and U+0391 or
 * U+0410): shown as placeholders so that two different names never look
 * the same. */
static const uint16_t lookalikes[] = {
	0x0391, 0x0392, 0x0395, 0x0396, 0x0397, 0x0399, 0x039A, 0x039C, 0x039D, 0x039F,
	0x03A1, 0x03A4, 0x03A5, 0x03A7, 0x03B3, 0x03B9, 0x03BA, 0x03BD, 0x03BF, 0x03C1,
	0x03C5, 0x03C7, 0x03F2, 0x03F3, 0x03F9, 0x03FA,
	0x0405, 0x0406, 0x0408, 0x0410, 0x0412, 0x0415, 0x041A, 0x041C, 0x041D, 0x041E,
	0x0420, 0x0421, 0x0422, 0x0423, 0x0425, 0x0430, 0x0435, 0x043E, 0x0440, 0x0441,
	0x0443, 0x0445, 0x0455, 0x0456, 0x0458, 0x04AE, 0x04AF, 0x04BA, 0x04BB, 0x04C0,
	0x04CF, 0x0501, 0x051B, 0x051D,
};

/*
 * Whether the code point may be drawn as itself by a font that has it: it
 * is neither invisible (controls, format characters, unusual spaces), nor a
 * combining mark, nor right-to-left (the report draws text left to right,
 * unshaped), nor outside the Basic Multilingual Plane (the fonts' encoding
 * stops there), nor a look-alike of another character, nor the
 * placeholder's own brackets, nor private use (no two fonts agree on it).
 */
static int
drawable(uint32_t c)
{
	size_t i;

	if (c >= 0x20 && c < 0x7F)
		return 1;
	if (c < 0xA1 || c == 0xAD || c > 0xFFFF ||
	    (c >= 0x01C0 && c <= 0x01C3) ||       /* clicks: | || ‡ ! look-alikes */
	    (c >= 0x0250 && c <= 0x036F) ||       /* IPA, modifier letters, combining marks */
	    c == 0x037E || c == 0x0387 ||         /* Greek ; and · look-alikes */
	    (c >= 0x0483 && c <= 0x0489) ||       /* Cyrillic combining marks */
	    (c >= 0x0590 && c <= 0x08FF) ||       /* Hebrew, Arabic, Syriac... (right to left) */
	    (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
	    (c >= 0x2000 && c <= 0x200F) ||       /* spaces, zero-width, direction marks */
	    c == 0x2024 || (c >= 0x2028 && c <= 0x202F) || c == 0x2044 ||
	    (c >= 0x205F && c <= 0x206F) || (c >= 0x20D0 && c <= 0x20FF) ||
	    (c >= 0x2100 && c <= 0x214F) ||       /* letterlike: Kelvin K, Angstrom A... */
	    c == 0x2215 || c == 0x2223 || c == 0x2236 ||
	    c == 0x27E6 || c == 0x27E7 ||         /* the placeholder's brackets */
	    (c >= 0xD800 && c <= 0xF8FF) ||       /* surrogates, private use */
	    (c >= 0xFB1D && c <= 0xFDFF) ||       /* Hebrew and Arabic presentation forms */
	    (c >= 0xFE00 && c <= 0xFE2F) ||       /* variation selectors, half marks */
	    (c >= 0xFE70 && c <= 0xFFFF))         /* Arabic forms, BOM, full-width forms */
		return 0;
	for (i = 0; i < sizeof(lookalikes) / sizeof(lookalikes[0]); i++)
		if (lookalikes[i] == c)
			return 0;
	return 1;
}

static int
has_glyph(HPDF_Font font, uint32_t c)
{
	HPDF_FontAttr attr;

	if (font == NULL)
		return 0;
	attr = (HPDF_FontAttr)font->attr;
	return attr != NULL && attr->fontdef != NULL &&
	    HPDF_TTFontDef_GetGlyphid(attr->fontdef, (HPDF_UINT16)c) != 0;
}

/* Which font draws c: 0 the main font, k > 0 fallback k - 1, -1 none (a
 * placeholder). A fallback font is asked of fontconfig the first time a
 * character needs one, loaded once, and kept for every later character it
 * has. */
static int font_with(struct aud_pdf *pdf, enum aud__font font, uint32_t c);

static int
font_for(struct aud_pdf *pdf, enum aud__font font, uint32_t c)
{
	if (c >= 0x20 && c < 0x7F)
		return has_glyph(pdf->font[font], c) ? 0 : -1;
	if (!drawable(c))
		return -1;
	return font_with(pdf, font, c);
}

/* The font that has a glyph for c, drawable or not (font_for()'s answer
 * without its rules: for the placeholder's own brackets). */
static int
font_with(struct aud_pdf *pdf, enum aud__font font, uint32_t c)
{
	struct aud__face face;
	struct fallback *nf;
	const char *name;
	HPDF_STATUS before;
	size_t i;
	int found;

	if (has_glyph(pdf->font[font], c))
		return 0;
	for (i = 0; i < pdf->nfb; i++)
		if (has_glyph(pdf->fb[i].font, c))
			return (int)i + 1;
	for (i = 0; i < pdf->nnone; i++)
		if (pdf->none[i] == c)
			return -1;
	found = pdf->fc != NULL ? aud__fonts_fallback(pdf->fc, c, &face) : 0;
	if (found == 1) {
		for (i = 0; i < pdf->nfb; i++)
			if (strcmp(pdf->fb[i].path, face.path) == 0 && pdf->fb[i].index == face.index)
				break;
		if (i == pdf->nfb && pdf->nfb < 64 &&
		    (nf = realloc(pdf->fb, (pdf->nfb + 1) * sizeof(*nf))) != NULL) {
			pdf->fb = nf;
			nf = &pdf->fb[pdf->nfb++];
			nf->path = face.path;
			nf->index = face.index;
			nf->font = NULL;
			nf->e.fp = NULL;
			nf->e.done = NULL;
			face.path = NULL;
			/* a face libharu refuses is no error of the report: its
			 * characters become placeholders */
			before = pdf->error_no;
			name = load_face(pdf, nf->path, nf->index);
			if (name != NULL && pdf->error_no == before)
				nf->font = HPDF_GetFont(pdf->doc, name, "UTF-8");
			if (pdf->error_no != before) {
				HPDF_ResetError(pdf->doc);
				nf->font = NULL;
				pdf->error_no = before;
			}
			embed_open(&nf->e, nf->path, nf->font);
			if (has_glyph(nf->font, c)) {
				aud__face_clear(&face);
				return (int)pdf->nfb;
			}
		}
		aud__face_clear(&face);
	}
	/* remember that no font has it (up to a bound: the cache only saves time) */
	if (pdf->nnone < 4096 && (pdf->nnone & (pdf->nnone - 1)) == 0) {
		uint32_t *nn = realloc(pdf->none, (pdf->nnone ? pdf->nnone * 2 : 1) * sizeof(*nn));

		if (nn == NULL)
			return -1;
		pdf->none = nn;
	}
	if (pdf->nnone < 4096)
		pdf->none[pdf->nnone++] = c;
	return -1;
}

static HPDF_Font
run_font(const struct aud_pdf *pdf, enum aud__font font, int slot)
{
	return slot == 0 ? pdf->font[font] : pdf->fb[slot - 1].font;
}

/* Make sure the glyph of c in the font of `slot` is embedded whole. */
static void
use_glyph(struct aud_pdf *pdf, enum aud__font font, int slot, uint32_t c)
{
	HPDF_Font f = run_font(pdf, font, slot);
	struct embed *e = slot == 0 ? &pdf->e[font] : &pdf->fb[slot - 1].e;

	if (c >= 0x80)
		embed_glyph(e, f, HPDF_TTFontDef_GetGlyphid(((HPDF_FontAttr)f->attr)->fontdef,
		    (HPDF_UINT16)c), 0);
}

/* A stretch of the text as drawn that one font draws. */
struct run {
	size_t off, len;
	int slot;          /* 0 the main font, k fallback k - 1 */
};

struct rendered {
	char stackbuf[1024];
	char *s;
	size_t len;
	struct run stackruns[16];
	struct run *runs;
	size_t nruns, capruns;
	int marked;        /* a placeholder was used */
	char first_ph[24]; /* the first */
};

static int
add_run(struct rendered *r, size_t off, size_t len, int slot)
{
	if (r->nruns > 0 && r->runs[r->nruns - 1].slot == slot &&
	    r->runs[r->nruns - 1].off + r->runs[r->nruns - 1].len == off) {
		r->runs[r->nruns - 1].len += len;
		return 0;
	}
	if (r->nruns == r->capruns) {
		size_t ncap = r->capruns * 2;
		struct run *nr = r->runs == r->stackruns ? malloc(ncap * sizeof(*nr)) :
		    realloc(r->runs, ncap * sizeof(*nr));

		if (nr == NULL)
			return -1;
		if (r->runs == r->stackruns)
			memcpy(nr, r->stackruns, sizeof(r->stackruns));
		r->runs = nr;
		r->capruns = ncap;
	}
	r->runs[r->nruns].off = off;
	r->runs[r->nruns].len = len;
	r->runs[r->nruns].slot = slot;
	r->nruns++;
	return 0;
}

static void
rendered_release(struct rendered *r)
{
	if (r->s != NULL && r->s != r->stackbuf)
		free(r->s);
	r->s = NULL;
	if (r->runs != NULL && r->runs != r->stackruns)
		free(r->runs);
	r->runs = NULL;
}

/*
 * The text as drawn, in runs of one font each: every character no
 * installed font draws as itself becomes "⟦U+4E2D⟧" (a byte that is not
 * UTF-8: "⟦0xFF⟧"), drawn with the main font. The mapping is one-to-one
 * (the brackets are themselves replaced), so two different texts never look
 * the same. Input beyond AUD__PDF_MAX_TEXT bytes is dropped (a line of text
 * never holds that much).
 */
static int
render(struct rendered *r, struct aud_pdf *pdf, enum aud__font font, const char *s,
    size_t len)
{
	size_t i, n, cap = sizeof(r->stackbuf), used = 0;
	char *buf = r->stackbuf;

	r->marked = 0;
	r->s = NULL;
	r->runs = r->stackruns;
	r->nruns = 0;
	r->capruns = sizeof(r->stackruns) / sizeof(r->stackruns[0]);
	if (len > AUD__PDF_MAX_TEXT) {
		len = AUD__PDF_MAX_TEXT;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i += n) {
		uint32_t c;
		char ph[24];
		const char *add = s + i;
		size_t alen;
		int slot;

		n = next_char(s + i, len - i, &c);
		alen = n;
		slot = (c & AUD__PDF_BAD_BYTE) ? -1 : font_for(pdf, font, c);
		if (slot >= 0)
			use_glyph(pdf, font, slot, c);
		if (slot < 0) {
			if (c & AUD__PDF_BAD_BYTE)
				snprintf(ph, sizeof(ph), "\xE2\x9F\xA6" "0x%02X\xE2\x9F\xA7",
				    (unsigned)(c & 0xFFu));
			else
				snprintf(ph, sizeof(ph), "\xE2\x9F\xA6U+%04X\xE2\x9F\xA7", (unsigned)c);
			add = ph;
			alen = strlen(ph);
			if (!r->marked)
				memcpy(r->first_ph, ph, alen + 1);
			r->marked = 1;
			slot = 0;
		}
		if (used + alen + 1 > cap) {
			size_t ncap = cap * 2 + alen;
			char *nb = buf == r->stackbuf ? malloc(ncap) : realloc(buf, ncap);

			if (nb == NULL)
				goto nomem;
			if (buf == r->stackbuf)
				memcpy(nb, r->stackbuf, used);
			buf = nb;
			cap = ncap;
		}
		r->s = buf;
		if (add != s + i) {
			/* the placeholder: its brackets (3 bytes each) with the first
			 * font that has them, the code point between with the main font */
			int bs = font_with(pdf, font, 0x27E6);

			if (bs < 0)
				bs = 0;
			if (bs > 0) {
				use_glyph(pdf, font, bs, 0x27E6);
				use_glyph(pdf, font, bs, 0x27E7);
			}
			if (add_run(r, used, 3, bs) < 0 || add_run(r, used + 3, alen - 6, 0) < 0 ||
			    add_run(r, used + alen - 3, 3, bs) < 0)
				goto nomem;
		} else if (add_run(r, used, alen, slot) < 0) {
			goto nomem;
		}
		memcpy(buf + used, add, alen);
		used += alen;
	}
	buf[used] = '\0';
	r->s = buf;
	r->len = used;
	return 0;
nomem:
	r->s = buf;
	rendered_release(r);
	on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, pdf);
	return -1;
}

/* Width of text in one font, measured in pieces: libharu refuses to
 * measure more than 65,535 bytes at once. */
static double
width_in(HPDF_Font font, double size, const char *s, size_t len)
{
	double w = 0;

	while (len > 0) {
		size_t k = len > 16384 ? 16384 : len;
		HPDF_TextWidth tw;

		while (k < len && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)k);
		w += (double)tw.width;
		s += k;
		len -= k;
	}
	return w * size / 1000.0;
}

static double
width_of(struct aud_pdf *pdf, enum aud__font font, double size, const char *s, size_t len)
{
	return width_in(pdf->font[font], size, s, len);
}

/* Width of rendered text: each run measured with the font that draws it. */
static double
width_rendered(struct aud_pdf *pdf, enum aud__font font, double size, const struct rendered *r)
{
	double w = 0;
	size_t i;

	for (i = 0; i < r->nruns; i++)
		w += width_in(run_font(pdf, font, r->runs[i].slot), size, r->s + r->runs[i].off,
		    r->runs[i].len);
	return w;
}

double
aud__pdf_text_width_n(struct aud_pdf *pdf, enum aud__font font, double size,
    const char *s, size_t len)
{
	struct rendered r;
	double w;

	if (len == 0 || render(&r, pdf, font, s, len) < 0)
		return 0;
	w = width_rendered(pdf, font, size, &r);
	rendered_release(&r);
	return w;
}

double
aud__pdf_text_width(struct aud_pdf *pdf, enum aud__font font, double size, const char *s)
{
	return aud__pdf_text_width_n(pdf, font, size, s, strlen(s));
}

size_t
aud__pdf_marked(const struct aud_pdf *pdf, const char **first, const char **ph)
{
	if (first != NULL)
		*first = pdf->first_marked;
	if (ph != NULL)
		*ph = pdf->first_ph;
	return pdf->nmarked;
}

/* Length in bytes of the character starting at s (1 for a byte that is not UTF-8). */
static size_t
utf8_len(const char *s, size_t avail)
{
	uint32_t c;

	return next_char(s, avail, &c);
}

static void
put_line(struct aud__line *lines, size_t max, size_t *count, size_t start, size_t len)
{
	if (lines != NULL && *count < max) {
		lines[*count].start = start;
		lines[*count].len = len;
	}
	(*count)++;
}

size_t
aud__pdf_wrap(struct aud_pdf *pdf, enum aud__font font, double size,
    const char *s, double width, struct aud__line *lines, size_t max)
{
	size_t count = 0;
	size_t pos = 0;
	size_t n = strlen(s);

	for (;;) {
		/* One paragraph: [pos, pend). */
		size_t pend = pos;
		size_t start;

		while (pend < n && s[pend] != '\n')
			pend++;
		start = pos;
		if (start == pend)
			put_line(lines, max, &count, start, 0);
		while (start < pend) {
			size_t end = start;  /* end of the text that fits so far */
			size_t i = start;

			while (i < pend) {
				size_t wend = i;

				while (wend < pend && s[wend] == ' ')
					wend++;
				while (wend < pend && s[wend] != ' ')
					wend++;
				if (aud__pdf_text_width_n(pdf, font, size, s + start, wend - start) <= width) {
					end = wend;
					i = wend;
					continue;
				}
				break;
			}
			if (end == start) {
				/* The first word does not fit: cut it between characters. */
				size_t k = start;

				while (k < pend && s[k] != ' ') {
					size_t cl = utf8_len(s + k, pend - k);

					if (k > start && aud__pdf_text_width_n(pdf, font, size, s + start,
					    k + cl - start) > width)
						break;
					k += cl;
				}
				end = k;
				/* an identifier breaks after an underscore, dot, slash or
				 * hyphen when one fits ("demographic_parity_|difference") */
				if (k < pend && s[k] != ' ') {
					size_t j;

					for (j = k; j > start + 1; j--)
						if (strchr("_./-", s[j - 1]) != NULL) {
							end = j;
							break;
						}
				}
			}
			put_line(lines, max, &count, start, end - start);
			start = end;
			while (start < pend && s[start] == ' ')
				start++;
		}
		if (pend >= n)
			break;
		pos = pend + 1;
	}
	return count;
}

void
aud__pdf_text_n(struct aud_pdf *pdf, enum aud__font font, double size,
    double x, double y, enum aud__align align, const char *s, size_t len)
{
	struct rendered r;
	double w;
	size_t i;

	if (len == 0 || render(&r, pdf, font, s, len) < 0)
		return;
	if (r.marked) {
		if (pdf->first_marked == NULL) {
			memcpy(pdf->first_ph, r.first_ph, sizeof(pdf->first_ph));
			pdf->first_marked = malloc(len + 1);
			if (pdf->first_marked != NULL) {
				memcpy(pdf->first_marked, s, len);
				pdf->first_marked[len] = '\0';
			}
		}
		pdf->nmarked++;
	}
	if (align != AUD__LEFT) {
		w = width_rendered(pdf, font, size, &r);
		x -= align == AUD__CENTER ? w / 2 : w;
	}
	if (pdf->svg != NULL) {
		aud__svg_text(pdf->svg, font, size, x, y, r.s, r.len);
		rendered_release(&r);
		return;
	}
	for (i = 0; i < r.nruns; i++) {
		HPDF_Font f = run_font(pdf, font, r.runs[i].slot);
		char *end = r.s + r.runs[i].off + r.runs[i].len;
		char save = *end;

		*end = '\0';
		HPDF_Page_SetFontAndSize(pdf->page, f, (HPDF_REAL)size);
		HPDF_Page_BeginText(pdf->page);
		HPDF_Page_TextOut(pdf->page, (HPDF_REAL)x, (HPDF_REAL)y, r.s + r.runs[i].off);
		HPDF_Page_EndText(pdf->page);
		*end = save;
		if (i + 1 < r.nruns)
			x += width_in(f, size, r.s + r.runs[i].off, r.runs[i].len);
	}
	rendered_release(&r);
}

double
aud__pdf_mark_width(struct aud_pdf *pdf, enum aud__font font, double size, const char *s)
{
	return width_of(pdf, font, size, s, strlen(s));
}

void
aud__pdf_text_mark(struct aud_pdf *pdf, enum aud__font font, double size,
    double x, double y, const char *s)
{
	if (pdf->svg != NULL) {
		aud__svg_text(pdf->svg, font, size, x, y, s, strlen(s));
		return;
	}
	HPDF_Page_SetFontAndSize(pdf->page, pdf->font[font], (HPDF_REAL)size);
	HPDF_Page_BeginText(pdf->page);
	HPDF_Page_TextOut(pdf->page, (HPDF_REAL)x, (HPDF_REAL)y, s);
	HPDF_Page_EndText(pdf->page);
}

void
aud__pdf_text(struct aud_pdf *pdf, enum aud__font font, double size,
    double x, double y, enum aud__align align, const char *s)
{
	aud__pdf_text_n(pdf, font, size, x, y, align, s, strlen(s));
}

/* A grey level as 0xRRGGBB. */
static unsigned
grey_rgb(double g)
{
	long v = lround((g < 0 ? 0 : g > 1 ? 1 : g) * 255);

	return (unsigned)v * 0x010101u;
}

void
aud__pdf_fill_grey(struct aud_pdf *pdf, double g)
{
	if (pdf->svg != NULL) {
		aud__svg_fill(pdf->svg, grey_rgb(g));
		return;
	}
	HPDF_Page_SetGrayFill(pdf->page, (HPDF_REAL)g);
}

void
aud__pdf_stroke_grey(struct aud_pdf *pdf, double g)
{
	if (pdf->svg != NULL) {
		aud__svg_stroke(pdf->svg, grey_rgb(g));
		return;
	}
	HPDF_Page_SetGrayStroke(pdf->page, (HPDF_REAL)g);
}

void
aud__pdf_fill_rgb(struct aud_pdf *pdf, unsigned rgb)
{
	if (pdf->svg != NULL) {
		aud__svg_fill(pdf->svg, rgb);
		return;
	}
	HPDF_Page_SetRGBFill(pdf->page, (HPDF_REAL)((rgb >> 16) & 0xff) / 255,
	    (HPDF_REAL)((rgb >> 8) & 0xff) / 255, (HPDF_REAL)(rgb & 0xff) / 255);
}

void
aud__pdf_stroke_rgb(struct aud_pdf *pdf, unsigned rgb)
{
	if (pdf->svg != NULL) {
		aud__svg_stroke(pdf->svg, rgb);
		return;
	}
	HPDF_Page_SetRGBStroke(pdf->page, (HPDF_REAL)((rgb >> 16) & 0xff) / 255,
	    (HPDF_REAL)((rgb >> 8) & 0xff) / 255, (HPDF_REAL)(rgb & 0xff) / 255);
}

void
aud__pdf_line_width(struct aud_pdf *pdf, double w)
{
	if (pdf->svg != NULL) {
		aud__svg_line_width(pdf->svg, w);
		return;
	}
	HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)w);
}

void
aud__pdf_dash(struct aud_pdf *pdf, const unsigned *pattern, unsigned n)
{
	HPDF_UINT16 p[8];
	unsigned i;

	assert(n <= 8);
	if (pdf->svg != NULL) {
		aud__svg_dash(pdf->svg, pattern, n);
		return;
	}
	for (i = 0; i < n; i++)
		p[i] = (HPDF_UINT16)pattern[i];
	HPDF_Page_SetDash(pdf->page, n ? p : NULL, n, 0);
}

void
aud__pdf_line(struct aud_pdf *pdf, double x0, double y0, double x1, double y1)
{
	if (pdf->svg != NULL) {
		aud__svg_line(pdf->svg, x0, y0, x1, y1);
		return;
	}
	HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)x0, (HPDF_REAL)y0);
	HPDF_Page_LineTo(pdf->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
	HPDF_Page_Stroke(pdf->page);
}

void
aud__pdf_polyline(struct aud_pdf *pdf, const double *xs, const double *ys, size_t n)
{
	size_t i;

	if (n < 2)
		return;
	if (pdf->svg != NULL) {
		aud__svg_polyline(pdf->svg, xs, ys, n);
		return;
	}
	HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)xs[0], (HPDF_REAL)ys[0]);
	for (i = 1; i < n; i++)
		HPDF_Page_LineTo(pdf->page, (HPDF_REAL)xs[i], (HPDF_REAL)ys[i]);
	HPDF_Page_Stroke(pdf->page);
}

static void
paint_path(struct aud_pdf *pdf, enum aud__paint paint)
{
	if (paint == AUD__FILL)
		HPDF_Page_Fill(pdf->page);
	else if (paint == AUD__STROKE)
		HPDF_Page_Stroke(pdf->page);
	else
		HPDF_Page_FillStroke(pdf->page);
}

void
aud__pdf_rect(struct aud_pdf *pdf, double x, double y, double w, double h,
    enum aud__paint paint)
{
	if (pdf->svg != NULL) {
		aud__svg_rect(pdf->svg, x, y, w, h, paint);
		return;
	}
	HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
	paint_path(pdf, paint);
}

void
aud__pdf_hatch(struct aud_pdf *pdf, double x, double y, double w, double h,
    double spacing)
{
	double t;

	if (w <= 0 || h <= 0 || spacing <= 0)
		return;
	if (pdf->svg != NULL) {
		aud__svg_hatch(pdf->svg, x, y, w, h, spacing);
		return;
	}
	HPDF_Page_GSave(pdf->page);
	HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
	HPDF_Page_Clip(pdf->page);
	HPDF_Page_EndPath(pdf->page);
	/* Lines of slope 1: x - y = const, from x - h to x + w. */
	for (t = -h; t < w; t += spacing) {
		HPDF_Page_MoveTo(pdf->page, (HPDF_REAL)(x + t), (HPDF_REAL)y);
		HPDF_Page_LineTo(pdf->page, (HPDF_REAL)(x + t + h), (HPDF_REAL)(y + h));
	}
	HPDF_Page_Stroke(pdf->page);
	HPDF_Page_GRestore(pdf->page);
}

void
aud__pdf_marker(struct aud_pdf *pdf, enum aud__marker m, double x, double y, double size)
{
	HPDF_Page page = pdf->page;
	HPDF_REAL r = (HPDF_REAL)(size / 2);
	HPDF_REAL fx = (HPDF_REAL)x, fy = (HPDF_REAL)y;

	if (pdf->svg != NULL) {
		aud__svg_marker(pdf->svg, m, x, y, size);
		return;
	}
	switch (m) {
	case AUD__MARK_CIRCLE:
		HPDF_Page_Circle(page, fx, fy, r);
		break;
	case AUD__MARK_SQUARE:
		HPDF_Page_Rectangle(page, fx - r, fy - r, 2 * r, 2 * r);
		break;
	case AUD__MARK_TRIANGLE:
		HPDF_Page_MoveTo(page, fx - r, fy - r);
		HPDF_Page_LineTo(page, fx + r, fy - r);
		HPDF_Page_LineTo(page, fx, fy + r);
		HPDF_Page_ClosePath(page);
		break;
	case AUD__MARK_DIAMOND:
		HPDF_Page_MoveTo(page, fx - r, fy);
		HPDF_Page_LineTo(page, fx, fy - r);
		HPDF_Page_LineTo(page, fx + r, fy);
		HPDF_Page_LineTo(page, fx, fy + r);
		HPDF_Page_ClosePath(page);
		break;
	default:
		HPDF_Page_MoveTo(page, fx - r, fy - r);
		HPDF_Page_LineTo(page, fx + r, fy + r);
		HPDF_Page_MoveTo(page, fx - r, fy + r);
		HPDF_Page_LineTo(page, fx + r, fy - r);
		HPDF_Page_Stroke(page);
		return;
	}
	HPDF_Page_FillStroke(page);
}

static void
to_date(HPDF_Date *d, time_t t)
{
	struct tm tm;

	memset(d, 0, sizeof(*d));
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	d->year = tm.tm_year + 1900;
	d->month = tm.tm_mon + 1;
	d->day = tm.tm_mday;
	d->hour = tm.tm_hour;
	d->minutes = tm.tm_min;
	d->seconds = tm.tm_sec;
	d->ind = 'Z';
}

static void
set_info(struct aud_pdf *pdf, HPDF_InfoType type, const char *value)
{
	char t[AUD__PDF_MAX_META + 8];

	if (value != NULL && value[0] != '\0') {
		short_copy(t, value);
		HPDF_SetInfoAttr(pdf->doc, type, t);
	}
}

int
aud__pdf_finish(unsigned char **out, size_t *len, struct aud_pdf *pdf,
    const struct aud__pdf_info *info, const char *footer, struct aud_error *err)
{
	unsigned char *buf = NULL;
	HPDF_UINT32 size, got;
	HPDF_Date date;
	char num[64];
	size_t i, flen = 0;
	int rc, cut = 0;

	*out = NULL;
	*len = 0;
	if (footer != NULL) {
		/* the footer's length in bytes that fits left of "page N of N" */
		double room = pdf->width - 80 - 20 - aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 7.5,
		    "page 9999 of 9999");

		flen = strlen(footer);
		if (aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 7.5, footer) > room) {
			room -= aud__pdf_text_width(pdf, AUD__FONT_REGULAR, 7.5, "\xE2\x80\xA6");
			if (flen > 400)
				flen = 400;  /* more than a line holds: shorten from there */
			while (flen > 0 && (((unsigned char)footer[flen] & 0xC0) == 0x80 ||
			    aud__pdf_text_width_n(pdf, AUD__FONT_REGULAR, 7.5, footer, flen) > room))
				flen--;
			cut = 1;
		}
	}
	for (i = 0; i < pdf->npages; i++) {
		pdf->page = pdf->pages[i];
		aud__pdf_fill_grey(pdf, 0.35);
		if (footer != NULL) {
			aud__pdf_text_n(pdf, AUD__FONT_REGULAR, 7.5, 40, 22, AUD__LEFT, footer, flen);
			if (cut)
				aud__pdf_text(pdf, AUD__FONT_REGULAR, 7.5, 40 + aud__pdf_text_width_n(pdf,
				    AUD__FONT_REGULAR, 7.5, footer, flen), 22, AUD__LEFT, "\xE2\x80\xA6");
		}
		snprintf(num, sizeof(num), "page %zu of %zu", i + 1, pdf->npages);
		aud__pdf_text(pdf, AUD__FONT_REGULAR, 7.5, pdf->width - 40, 22, AUD__RIGHT, num);
		aud__pdf_fill_grey(pdf, 0);
	}
	to_date(&date, info->created);
	HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_MOD_DATE, date);
	set_info(pdf, HPDF_INFO_TITLE, info->title);
	set_info(pdf, HPDF_INFO_AUTHOR, info->author);
	set_info(pdf, HPDF_INFO_SUBJECT, info->subject);
	set_info(pdf, HPDF_INFO_KEYWORDS, info->keywords);
	set_info(pdf, HPDF_INFO_CREATOR, info->creator);
	rc = aud__pdf_check(pdf, err);
	if (rc < 0)
		goto done;
	HPDF_SaveToStream(pdf->doc);
	rc = aud__pdf_check(pdf, err);
	if (rc < 0)
		goto done;
	size = HPDF_GetStreamSize(pdf->doc);
	buf = malloc(size ? size : 1);
	if (buf == NULL) {
		rc = AUD_ERROR(err, AUD_ENOMEM, "out of memory");
		goto done;
	}
	HPDF_ResetStream(pdf->doc);
	got = size;
	HPDF_ReadFromStream(pdf->doc, buf, &got);
	if (got != size) {
		rc = aud__pdf_check(pdf, err);
		if (rc == 0)
			rc = AUD_ERROR(err, AUD_EINTERNAL, "pdf: read %u of %u bytes",
			    (unsigned)got, (unsigned)size);
		goto done;
	}
	*out = buf;
	*len = size;
	buf = NULL;
done:
	free(buf);
	return rc;
}
